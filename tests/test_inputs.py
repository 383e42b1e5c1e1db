"""Reading inputs: folders, stdin, JSON Lines, HTML pages and bad bytes."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import stat
import sys
import threading
from pathlib import Path

import pytest

from timeline.io.inputs import InputDoc, InputError, iter_inputs

# A hand-written article page: navigation and footer around the story, the
# publish date only in the <meta> element.
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbor City opens ferry ticket office</title>
<meta property="article:published_time" content="2025-01-22">
</head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Harbor City opens ferry ticket office</h1>
<p>The Harbor City council on Tuesday opened a ticket office for the new ferry
route to the island of Kessel, a week after the route was approved.</p>
<p>The first boats will sail on Friday. The operator said fares for residents
will be reviewed next month, and Mayor Irene Dovek promised a full report
on the service early next year.</p>
</article>
<footer>Copyright Harbor City Ledger. All rights reserved.</footer>
</body>
</html>
"""


def docs(items: list[InputDoc | InputError]) -> list[InputDoc]:
    return [x for x in items if isinstance(x, InputDoc)]


def errors(items: list[InputDoc | InputError]) -> list[str]:
    return [str(x) for x in items if isinstance(x, InputError)]


def read(*paths: str, glob: str = "*", stdin: bytes | None = None) -> list[InputDoc | InputError]:
    return list(
        iter_inputs(list(paths), glob=glob, stdin=io.BytesIO(stdin) if stdin is not None else None)
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of articles with a subfolder, hidden entries and other files."""
    root = tmp_path / "news"
    (root / "b-sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "a.txt").write_text("Talks were held on Friday.", "utf-8")
    (root / "c.txt").write_text("The vote is next week.", "utf-8")
    (root / "b-sub" / "z.txt").write_text("The minister left yesterday.", "utf-8")
    (root / "b-sub" / "notes.md").write_text("Not an article.", "utf-8")
    (root / ".hidden.txt").write_text("Hidden on Monday.", "utf-8")
    (root / ".git" / "x.txt").write_text("Not read.", "utf-8")
    return root


# --------------------------------------------------------------------------
# Plain text, folders and stdin
# --------------------------------------------------------------------------


def test_folder_is_walked_in_sorted_order_without_hidden_files(tree: Path) -> None:
    got = read(str(tree))
    names = [Path(d.id).relative_to(tree).as_posix() for d in docs(got)]
    assert names == ["a.txt", "b-sub/notes.md", "b-sub/z.txt", "c.txt"]
    assert not errors(got)
    first = docs(got)[0]
    assert first.text == "Talks were held on Friday."
    assert first.published is None and first.published_from is None and first.warning is None


def test_glob_filters_file_names_or_relative_paths(tree: Path) -> None:
    names = [Path(d.id).name for d in docs(read(str(tree), glob="*.txt"))]
    assert names == ["a.txt", "z.txt", "c.txt"]
    names = [Path(d.id).name for d in docs(read(str(tree), glob="b-sub/*"))]
    assert names == ["notes.md", "z.txt"]


def test_folder_with_nothing_matching_is_an_error(tree: Path) -> None:
    got = read(str(tree), glob="*.xml")
    assert errors(got) == [f"{tree}: no files matching '*.xml' in this folder"]


def test_one_bad_input_does_not_stop_the_others(tree: Path) -> None:
    missing = str(tree / "missing.txt")
    got = read(missing, str(tree / "a.txt"))
    assert len(got) == 2
    assert isinstance(got[0], InputError) and str(got[0]).startswith(missing + ": cannot read")
    assert isinstance(got[1], InputDoc)


def test_stdin_and_order_of_arguments(tree: Path) -> None:
    got = read(str(tree / "c.txt"), "-", str(tree / "a.txt"), stdin=b"Read from stdin on Monday.")
    assert [d.id for d in docs(got)] == [str(tree / "c.txt"), "-", str(tree / "a.txt")]
    assert docs(got)[1].text == "Read from stdin on Monday."


def test_undecodable_bytes_are_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 talks on Friday.".encode("latin-1"))
    (doc,) = docs(read(str(path)))
    assert doc.text == "Caf\ufffd talks on Friday."
    assert doc.warning is not None
    assert doc.warning.startswith(f"{path}: not valid UTF-8 (byte 3)")


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTalks on Friday.")
    (doc,) = docs(read(str(path)))
    assert doc.text == "Talks on Friday." and doc.warning is None


# --------------------------------------------------------------------------
# JSON Lines
# --------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Talks were held on Friday.", "published": "2025-01-22"},
        "this is not json",
        {"id": "b", "text": "No date field."},
        {"id": "c", "text": "Bad date.", "published": "2025-02-30"},
        "",
        ["not", "an", "object"],
        {
            "id": 7,
            "text": "Integer ids are kept as text.",
            "published": "2025-01-22T23:30:00+09:00",
        },
        {"id": "d", "text": 42, "published": "2025-01-22"},
        {"id": "e", "text": "No publish date known.", "published": None},
        {"id": "a", "text": "A repeated id.", "published": "22/01/2025"},
        {"id": "a", "text": "A repeated id.", "published": "2025-01-23"},
    ]
    body = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    path = tmp_path / "feed.jsonl"
    path.write_text(body, "utf-8")
    got = read(str(path))
    assert errors(got) == [
        f"{path}:2: not valid JSON: Expecting value: line 1 column 1 (char 0)",
        f"{path}:3: missing field: published",
        f"{path}:4: 'published': '2025-02-30' is not a valid date: day is out of range for month",
        f"{path}:6: expected a JSON object, got list",
        f"{path}:8: 'text' must be a string",
        f"{path}:10: 'published': '22/01/2025' is not an ISO 8601 date (YYYY-MM-DD)",
    ]
    good = docs(got)
    assert [(d.id, d.published, d.published_from) for d in good] == [
        ("a", dt.date(2025, 1, 22), "jsonl"),
        ("7", dt.date(2025, 1, 22), "jsonl"),  # the article's own wall-clock date
        ("e", None, None),
        ("a", dt.date(2025, 1, 23), "jsonl"),
    ]
    assert good[-1].warning == f"{path}:11: id 'a' repeats line 1"
    # Errors come in their place in the stream, in line order.
    kinds = ["doc" if isinstance(x, InputDoc) else "err" for x in got]
    assert kinds == ["doc", "err", "err", "err", "err", "doc", "err", "doc", "err", "doc"]


def test_jsonl_bad_bytes_and_lone_surrogates(tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": "x", "text": "caf\xe9 on Friday", "published": "2025-01-22"}\n'
        b'{"id": "y", "text": "half \\ud800 a pair", "published": "2025-01-22"}\n'
    )
    x, y = docs(read(str(path)))
    assert x.text == "caf\ufffd on Friday"
    assert x.warning is not None and x.warning.startswith(f"{path}:1: not valid UTF-8")
    assert y.text == "half \ufffd a pair"
    assert y.warning == f"{path}:2: lone surrogate escapes replaced with U+FFFD"
    y.text.encode("utf-8")  # every output can write it


def test_jsonl_on_stdin_is_sniffed() -> None:
    feed = b'{"id": "s1", "text": "Talks on Friday.", "published": "2025-01-22"}\nnot json\n'
    got = read("-", stdin=feed)
    assert [d.id for d in docs(got)] == ["s1"]
    assert errors(got) == ["-:2: not valid JSON: Expecting value: line 1 column 1 (char 0)"]


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


@pytest.fixture
def html_deps() -> None:
    pytest.importorskip("trafilatura")
    pytest.importorskip("htmldate")


@pytest.mark.usefixtures("html_deps")
def test_html_page_text_and_publish_date(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(PAGE, "utf-8")
    (doc,) = docs(read(str(path)))
    assert doc.published == dt.date(2025, 1, 22)
    assert doc.published_from == "html-metadata"
    assert "The first boats will sail on Friday." in doc.text
    assert "on Tuesday opened a ticket office" in doc.text
    assert "All rights reserved" not in doc.text and "Sport" not in doc.text
    assert "\n\n" in doc.text  # paragraphs stay apart


@pytest.mark.usefixtures("html_deps")
def test_html_is_sniffed_without_an_extension(tmp_path: Path) -> None:
    path = tmp_path / "story"
    path.write_text(PAGE, "utf-8")
    (doc,) = docs(read(str(path)))
    assert doc.published_from == "html-metadata"
    (doc,) = docs(read("-", stdin=PAGE.encode("utf-8")))
    assert doc.id == "-" and doc.published == dt.date(2025, 1, 22)


@pytest.mark.usefixtures("html_deps")
def test_html_date_never_depends_on_the_clock(tmp_path: Path) -> None:
    """A date after today is kept: the upper bound is fixed, not the clock's today."""
    path = tmp_path / "future.html"
    path.write_text(PAGE.replace("2025-01-22", "2090-06-01"), "utf-8")
    (doc,) = docs(read(str(path)))
    assert doc.published == dt.date(2090, 6, 1)


@pytest.mark.usefixtures("html_deps")
def test_html_without_date_or_text(tmp_path: Path) -> None:
    undated = tmp_path / "undated.html"
    undated.write_text(
        PAGE.replace('<meta property="article:published_time" content="2025-01-22">', ""), "utf-8"
    )
    empty = tmp_path / "empty.html"
    empty.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body></body></html>", "utf-8"
    )
    got = read(str(undated), str(empty))
    (doc,) = docs(got)
    assert doc.published is None and doc.published_from is None and doc.text
    assert errors(got) == [f"{empty}: no article text found in the HTML page"]


def test_html_without_the_extra_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    path = tmp_path / "story.htm"
    path.write_text(PAGE, "utf-8")
    got = read(str(path), "-", stdin=b"plain text still works")
    assert len(errors(got)) == 1
    assert errors(got)[0].startswith(f"{path}: reading HTML needs trafilatura and htmldate")
    assert "pip install 'news-timeline[html]'" in errors(got)[0]
    assert [d.text for d in docs(got)] == ["plain text still works"]


# --------------------------------------------------------------------------
# Into the formats
# --------------------------------------------------------------------------


def test_inputs_feed_the_formats(tree: Path) -> None:
    import timeline
    from timeline.io.formats import ArticleResult, render

    results = []
    for d in docs(read(str(tree), glob="*.txt")):
        published = d.published or dt.date(2025, 1, 22)
        t = timeline.build(d.text, published, document=d.id)
        results.append(ArticleResult(d.id, published, d.published_from or "option", d.text, t))
    out = render(results, "csv")
    assert out.count("\r\n") == 1 + sum(len(r.timeline) for r in results)


# --------------------------------------------------------------------------
# Issue #14: binary files, odd files in folders, TimeML and CAT
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b"\x7fELF\x02\x01\x01", "ELF executable"),
        (b"Talks on Friday.\x00\x00\x00", "NUL bytes"),
        (
            bytes(random.Random(3).choices(range(128, 256), k=4000)),
            "mostly undecodable bytes",
        ),
    ],
)
def test_binary_data_is_skipped_with_one_warning(tmp_path: Path, data: bytes, kind: str) -> None:
    from timeline.io.inputs import Skipped, binary_kind

    assert binary_kind(data) == kind
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    for got in (read(str(path)), read("-", stdin=data), read(str(tmp_path))):
        assert len(got) == 1 and isinstance(got[0], Skipped)
        assert str(got[0]).endswith(f"skipped: binary data ({kind}), not text")


def test_random_bytes_yield_no_invented_events(tmp_path: Path) -> None:
    """Random bytes once read as text gave events such as "Q3" and "H2"."""
    from timeline.cli import main

    rng = random.Random(11)
    path = tmp_path / "noise.bin"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(20_000)))
    assert main(["dump", str(path), "--published", "2025-01-22", "--format", "jsonl"]) == 0


@pytest.mark.parametrize(
    "text",
    [
        "Caf\xe9 talks on Friday, na\xefve but fine.".encode("latin-1"),  # one bad byte a word
        "Sm\u00f6rg\u00e5sbord, \u65e5\u672c, \u0645\u0631\u062d\u0628\u0627 on Friday.".encode(),
        b"",
    ],
)
def test_text_is_not_taken_for_binary(text: bytes) -> None:
    from timeline.io.inputs import binary_kind

    assert binary_kind(text) is None


def test_odd_files_in_a_folder_are_never_opened(tmp_path: Path) -> None:
    """A FIFO in a folder once hung the run forever: it must not even be opened."""
    import socket
    import subprocess

    (tmp_path / "a.txt").write_text("Talks on Friday.")
    os.mkfifo(tmp_path / "b.fifo")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "c.sock"))
    (tmp_path / "d.link").symlink_to(tmp_path / "b.fifo")
    if os.geteuid() == 0:
        os.mknod(tmp_path / "e.dev", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    try:
        # In a child, so that a regression hangs one test (and fails it) rather than the run.
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from timeline.cli import main; sys.exit(main(sys.argv[1:]))",
                "dump",
                str(tmp_path),
                "--published",
                "2025-01-22",
                "--format",
                "csv",
            ],
            capture_output=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    finally:
        sock.close()
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    rows = done.stdout.decode().splitlines()
    assert len(rows) == 2 and rows[1].startswith(f"{tmp_path}/a.txt,")


def test_a_fifo_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)

    def writer() -> None:
        with fifo.open("w") as fh:
            fh.write("They met on Friday.")

    thread = threading.Thread(target=writer)
    thread.start()
    got = read(str(fifo))
    thread.join(timeout=30)
    assert [d.text for d in docs(got)] == ["They met on Friday."]


TIMEML = (
    '<?xml version="1.0"?>\n<TimeML>\n<DOCID>x</DOCID>\n'
    '<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
    'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n'
    '<TEXT>The talks <TIMEX3 tid="t1" type="DATE" value="2013-03-01">on Friday</TIMEX3>'
    " went well.</TEXT>\n</TimeML>\n"
)


@pytest.mark.parametrize("name", ["doc.tml", "doc.xml", "doc.TML"])
def test_timeml_files_give_their_text_and_creation_date(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(TIMEML.format(dct="2013-03-03"))
    (doc,) = docs(read(str(path)))
    assert doc.text.strip() == "The talks on Friday went well."
    assert doc.published == dt.date(2013, 3, 3) and doc.published_from == "dct"


def test_a_creation_time_that_is_no_date_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text(TIMEML.format(dct="03-02-2009"))
    (doc,) = docs(read(str(path)))
    assert doc.published is None
    assert doc.warning is not None and doc.warning.startswith(f"{path}: creation time '03-02-2009'")


def test_a_broken_timeml_file_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "doc.tml"
    path.write_text("<TimeML><TEXT>never closed")
    (err,) = errors(read(str(path)))
    assert err.startswith(f"{path}") and "cannot read as TimeML or CAT" in err


def test_an_xml_file_that_is_not_timeml_is_text(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("<rss><item>Talks on Friday.</item></rss>")
    (doc,) = docs(read(str(path)))
    assert "Talks on Friday." in doc.text and doc.published is None
