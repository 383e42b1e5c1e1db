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


# --------------------------------------------------------------------------
# Issue #14: a batch tool you can trust
# --------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def cli(
    *argv: str, stdin: object = subprocess.DEVNULL, **kw: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *argv],
        cwd=ROOT,
        stdin=stdin,  # type: ignore[arg-type]
        capture_output=True,
        timeout=180,
        **kw,  # type: ignore[arg-type]
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from timeline import __version__

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"news-timeline {__version__}\n"


def test_piped_stdin_is_read_without_a_file() -> None:
    done = cli("dump", "--published", "2025-01-22", input=b"Talks were held on Friday.", stdin=None)
    assert done.returncode == 0, done.stderr
    assert b"2025-01-17" in done.stdout


def test_no_file_and_no_pipe_is_a_usage_error() -> None:
    done = cli("dump")  # standard input is /dev/null, a device: not a pipe
    assert done.returncode == 2
    assert done.stdout == b""
    assert b"give one or more FILEs" in done.stderr


def test_eval_errors_go_to_stderr(tmp_path: Path) -> None:
    for extra in ([], ["--format", "json"], ["--events"]):
        done = cli("eval", str(tmp_path / "missing"), *extra)
        assert done.returncode == 2
        assert done.stderr.decode().startswith("timeline eval: no ")
        assert len(done.stderr.decode().splitlines()) == 1
        if "--format" not in extra:
            assert done.stdout == b""


def test_the_dateline_is_the_reference_not_an_event(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "dump", "--example", "--format", "jsonl")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert events and all(e["mention"]["start"] > 50 for e in events)
    assert "01/22/2025" not in [e["mention"]["text"] for e in events]
    code, out, _ = run(capsys, "dump", "--example")
    first = out.splitlines()[0]
    assert first == (
        "<example>  (published 2025-01-22, from dateline: "
        "Harbor City Ledger — 01/22/2025 04:56:48 am)"
    )
    assert "01/22/2025  " not in out
    # Given --published, the dateline is a date of the text like any other.
    code, out, _ = run(
        capsys, "dump", "--example", "--published", "2025-01-22", "--format", "jsonl"
    )
    assert "01/22/2025" in [json.loads(line)["mention"]["text"] for line in out.splitlines()]


def _bad_inputs(folder: Path) -> dict[str, str]:
    """One input of each kind that cannot be processed, by name -> kind."""
    (folder / "good.txt").write_text("Ledger, Jan. 22, 2025\n\nTalks were held on Friday.\n")
    (folder / "undated.txt").write_text("No date anywhere in this article.\n")
    (folder / "empty.html").write_text("<html><body></body></html>")
    (folder / "feed.jsonl").write_text(
        '{"id": "ok", "text": "They met on Friday.", "published": "2025-01-22"}\n{not json\n'
    )
    (folder / "broken.tml").write_text("<TimeML><TEXT>unclosed")
    (folder / "broken.xml").write_text('<?xml version="1.0"?>\n<Document><token t_id="1">x')
    (folder / "baddct.tml").write_text(
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="03-02-2009">03-02-2009</TIMEX3></DCT>'
        "<TEXT>It fell on Monday.</TEXT></TimeML>"
    )
    return {
        "undated.txt": "text",
        "empty.html": "HTML",
        "feed.jsonl:2": "JSON Lines",
        "broken.tml": "TimeML",
        "broken.xml": "CAT",
        "baddct.tml": "TimeML creation time",
    }


@pytest.mark.parametrize(
    "fmt", ["text", "json", "jsonl", "csv", "timeml", "timelinejs", "html", "ics"]
)
def test_one_bad_record_costs_only_itself(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _bad_inputs(tmp_path)
    code, out, err = run(capsys, "dump", str(tmp_path), "--format", fmt)
    assert code == 1
    lines = err.splitlines()
    for name in bad:
        assert [ln for ln in lines if f"{tmp_path}/{name}" in ln], (name, err)
    assert "Traceback" not in err
    # one line per failure: the date-less TimeML file warns once about its
    # creation time and once more because no dateline gives a date either
    assert len(lines) == len(bad) + 1, err
    if fmt == "ics":
        pytest.importorskip("icalendar")
        assert out.count("BEGIN:VEVENT") == 2
    else:  # the good article and the good feed line are written
        assert "Talks were held on " in out and "They met on " in out


def test_an_article_that_breaks_the_engine_costs_only_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.cli as cli_module

    real = cli_module.build_windowed

    def fragile(text: str, *args: object, **kw: object) -> object:
        if "boom" in text:
            raise RuntimeError("engine bug")
        return real(text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(cli_module, "build_windowed", fragile)
    (tmp_path / "a.txt").write_text("boom on Friday")
    (tmp_path / "b.txt").write_text("Talks on Friday.")
    code, out, err = run(
        capsys, "dump", str(tmp_path), "--published", "2025-01-22", "--format", "csv"
    )
    assert code == 1
    assert err == f"timeline: {tmp_path}/a.txt: cannot process: RuntimeError: engine bug\n"
    assert out.count("\r\n") == 2 and "b.txt" in out


def test_ctrl_c_exits_130_with_one_line_and_no_output_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.cli as cli_module

    def interrupted(job: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli_module, "_process", interrupted)
    target = tmp_path / "out.json"
    code, out, err = run(capsys, "dump", "--example", "--format", "json", "-o", str(target))
    assert code == 130
    assert err == "timeline: interrupted\n"
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_streamed_output_comes_article_by_article(tmp_path: Path) -> None:
    """The first article is written while the second input is not yet readable."""
    first = tmp_path / "a.txt"
    first.write_text("Talks were held on Friday.\n")
    fifo = tmp_path / "b.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "timeline",
            "dump",
            str(first),
            str(fifo),
            "--published",
            "2025-01-22",
            "--format",
            "jsonl",
        ],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # arrives before the FIFO has a writer
        assert json.loads(line)["id"] == str(first)
        with fifo.open("w") as fh:
            fh.write("They met on Monday.\n")
        rest, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert json.loads(rest)["id"] == str(fifo)


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv"])
def test_streamed_pieces_equal_the_whole_render(fmt: str) -> None:
    import datetime as dt

    import timeline
    from timeline.io.formats import ArticleResult, render, render_stream

    day = dt.date(2025, 1, 22)
    texts = [
        "Talks were held on Friday.",
        "No dates.",
        "They will meet next week, the minister said.",
    ]
    results = [
        ArticleResult(f"d{i}", day, "option", t, timeline.build(t, day, document=f"d{i}"))
        for i, t in enumerate(texts)
    ]
    for n in range(len(results) + 1):
        assert "".join(render_stream(results[:n], fmt)) == render(results[:n], fmt)


def test_te3_silver_with_two_jobs_equals_one(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "te3-silver"
    if not folder.is_dir():
        pytest.skip("the shared corpora are not here")
    for path in sorted(folder.glob("*.tml"))[:24]:
        (tmp_path / path.name).symlink_to(path)
    one = cli("dump", str(tmp_path), "--format", "jsonl")
    two = cli("dump", str(tmp_path), "--format", "jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout and one.stdout.count(b"\n") > 24


def test_progress_inside_one_long_input_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import timeline.cli as cli_module

    monkeypatch.setattr(cli_module, "WINDOW", 200)  # the example is "long" now
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run(capsys, "dump", "--example", "--format", "jsonl")
    assert code == 0
    updates = err.split("\r")[1:]
    assert len(updates) >= 4  # one per window of 200 characters
    assert all(u.startswith("timeline: <example>: ") and " M characters (" in u for u in updates)
    assert updates[-1].startswith("timeline: <example>: 0.0 of 0.0 M characters")
    assert err.endswith("\n")
    # the output is the same as without windows
    monkeypatch.setattr(cli_module, "WINDOW", 10**9)
    assert run(capsys, "dump", "--example", "--format", "jsonl")[1] == out


def test_a_missing_optional_package_is_one_line_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)  # import fails
    target = tmp_path / "out.ics"
    code, out, err = run(capsys, "dump", "--example", "--format", "ics", "-o", str(target))
    assert code == 1
    assert err == "timeline: the ics format needs the icalendar package: pip install icalendar\n"
    assert list(tmp_path.iterdir()) == []
