"""The command line, run in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_example_text_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dump", "--example")
    assert code == 0, err
    assert "published 2025-01-22, from dateline" in out
    header = out.splitlines()[1].split()
    assert header == ["DATE", "GRAIN", "PHRASE", "EVENT"]
    assert "2025-W03" in out and "last week" in out
    assert "2024-12" in out and "last month" in out


def test_example_json_carries_every_api_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dump", "--example", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "timeline/v1"
    (doc,) = data["documents"]
    assert doc["published"] == "2025-01-22"
    m = doc["mentions"][0]
    assert set(m) == {"start", "end", "text", "type", "value", "when", "why"}
    assert set(m["when"]) >= {"type", "value", "grain", "interval", "mod"}
    assert set(m["why"]) == {"rule", "anchor", "anchor_value", "direction", "reason"}
    e = doc["events"][0]
    assert set(e) >= {"when", "mention", "trigger", "text"}
    starts = [ev["when"]["interval"]["start"] for ev in doc["events"]]
    assert starts == sorted(starts)


def test_published_option_and_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Talks were held on Friday.")))
    code, out, _ = run(capsys, "dump", "-", "--published", "2025-01-22", "--format", "json")
    assert code == 0
    assert json.loads(out)["documents"][0]["events"][0]["when"]["value"] == "2025-01-17"


def test_missing_dateline_asks_for_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Talks were held on Friday.")
    code, out, err = run(capsys, "dump", str(f))
    assert code == 1
    assert "--published" in err and "a.txt" in err


def test_bad_published_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "dump", "--example", "--published", "2025-02-30")
    assert code == 2
    assert "2025-02-30" in err


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("2025-01-22\nTalks were held on Friday.")
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "dump", str(missing), str(good), "--format", "json")
    assert code == 1
    assert "missing.txt" in err and "cannot read" in err
    docs = json.loads(out)["documents"]
    assert [d["id"] for d in docs] == [str(good)]


def test_undecodable_bytes_are_replaced_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes(b"2025-01-22\nThe caf\xe9 opened on Friday.")
    code, out, err = run(capsys, "dump", str(f), "--format", "json")
    assert code == 1
    assert "UTF-8" in err
    assert json.loads(out)["documents"][0]["events"]


def test_output_file_is_written_atomically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "dump", "--example", "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["documents"][0]["published"] == "2025-01-22"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary left behind


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "dump")[0] == 2
    with pytest.raises(SystemExit) as exc:
        main(["dump", "--format", "yaml", "--example"])
    assert exc.value.code == 2


def test_console_script_runs_the_example() -> None:
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        [sys.executable, "-m", "timeline", "dump", "--example"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "last week" in done.stdout


def test_output_is_byte_identical_across_hash_seeds() -> None:
    outs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-m", "timeline", "dump", "--example", "--format", "json"],
            capture_output=True,
            env=env,
            check=True,
        )
        outs.add(done.stdout)
    assert len(outs) == 1


def test_folder_with_glob_and_parallel_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(5):
        (tmp_path / f"a{i}.txt").write_text(f"2025-01-2{i}\nTalks were held on Friday number {i}.")
    (tmp_path / "skip.md").write_text("2025-01-22\nIgnored on Friday.")
    code, serial, _ = run(capsys, "dump", str(tmp_path), "--glob", "*.txt", "--format", "jsonl")
    assert code == 0
    code, parallel, _ = run(
        capsys, "dump", str(tmp_path), "--glob", "*.txt", "--format", "jsonl", "--jobs", "2"
    )
    assert code == 0
    assert serial == parallel
    ids = {json.loads(line)["id"] for line in serial.splitlines()}
    assert ids == {str(tmp_path / f"a{i}.txt") for i in range(5)}


def test_jsonl_input_keeps_ids_and_survives_bad_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text(
        '{"id": "x1", "text": "Talks were held on Friday.", "published": "2025-01-22"}\n'
        "not json\n"
        '{"id": "x2", "text": "The vote is next week."}\n'
        '{"id": "x3", "text": "They met yesterday.", "published": "2025-01-22"}\n'
    )
    code, out, err = run(capsys, "dump", str(f), "--format", "json")
    assert code == 1
    assert "in.jsonl" in err and ":2" in err
    ids = [d["id"] for d in json.loads(out)["documents"]]
    assert ids == ["x1", "x3"] or ids == ["x1", "x2", "x3"]


@pytest.mark.parametrize(
    "fmt", ["text", "json", "jsonl", "csv", "timeml", "timelinejs", "ics", "html"]
)
def test_every_format_from_the_command_line(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dump", "--example", "--format", fmt)
    assert code == 0, err
    assert out.strip()


def test_entity_keeps_only_events_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dump", "--example", "--entity", "Tomas Vell", "--format", "json")
    assert code == 0
    events = json.loads(out)["documents"][0]["events"]
    assert events and all("Tomas Vell" in e["text"] for e in events)
