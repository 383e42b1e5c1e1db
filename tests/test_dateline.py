"""The dateline reader: the built-in scanner first, dateparser only when it fails."""

from __future__ import annotations

import datetime as _dt
import subprocess
import sys

import pytest

from timeline.io import dateline
from timeline.io.dateline import detect_published

JAN22 = _dt.date(2025, 1, 22)
BODY = "\n\nThe council met on Tuesday and will vote next week."


@pytest.mark.parametrize(
    "head",
    [
        "City Ledger, Jan. 22, 2025",
        "2025-01-22",
        "Posted 01/22/2025 04:56:48 am",
        "Wed, 22 Jan 2025 04:56:48 GMT",
        # dotted dates are day first, and the grammar reads them itself
        "Reuters — 22.01.2025",
        "LONDON, 22.01.2025 — The council met again.",
    ],
)
def test_builtin_reader_needs_no_fallback(head: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fallback(lines: list[str]) -> None:
        raise AssertionError(f"fallback asked for {lines!r}")

    monkeypatch.setattr(dateline, "_with_dateparser", no_fallback)
    assert detect_published(head + BODY) == JAN22


@pytest.mark.parametrize(
    "head",
    [
        "City Ledger | 22-Jan-2025",
        "22Jan2025",
        "By A. Writer\nJan-22-2025",
        "City Ledger, 22-Jan-2025, 10:15",
    ],
)
def test_datelines_only_dateparser_reads(head: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert detect_published(head + BODY) == JAN22
    # The same text without the fallback: the built-in reader alone finds nothing,
    # so the date above came from dateparser.
    monkeypatch.setattr(dateline, "_with_dateparser", lambda lines: None)
    assert detect_published(head + BODY) is None


def test_fallback_when_the_builtin_reader_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dateline, "scan", lambda text: [])
    # dateparser reads a line, a piece of one between "|" or "—", or a stretch
    # of date-like words in it.
    assert detect_published("City Ledger\nJan. 22, 2025" + BODY) == JAN22
    assert detect_published("City Ledger — Wednesday, January 22, 2025" + BODY) == JAN22
    assert detect_published("2025-01-22 | City Ledger" + BODY) == JAN22
    assert detect_published("City Ledger, Jan. 22, 2025" + BODY) == JAN22
    assert detect_published("Posted on the 22nd of January 2025 by staff" + BODY) == JAN22
    assert detect_published("The council met on Tuesday." + BODY) is None


def test_fallback_demands_day_month_and_year(monkeypatch: pytest.MonkeyPatch) -> None:
    # Without a year dateparser would take one from its base date; the strict
    # settings refuse instead, so nothing depends on a default or the clock.
    monkeypatch.setattr(dateline, "scan", lambda text: [])
    assert detect_published("City Ledger, 22 January" + BODY) is None
    assert detect_published("City Ledger, January 2025" + BODY) is None
    assert detect_published("City Ledger, 31/02/2025" + BODY) is None


def test_fallback_offers_only_text_with_a_digit() -> None:
    assert dateline._candidates(["LONDON, 22.01.2025 — The council", "No digits here", ""]) == [
        "LONDON, 22.01.2025 — The council",
        "LONDON, 22.01.2025",
        "22.01.2025",
    ]
    assert dateline._candidates(["Residents, about 1,200, came"]) == [
        "Residents, about 1,200, came",
        "1,200",
    ]
    assert dateline._candidates(["x" * 81 + " 22.01.2025"]) == []  # not a dateline


def test_fallback_reads_only_the_opening_lines() -> None:
    late = "Headline\n" + "a line\n" * 8 + "22-Jan-2025" + BODY
    assert detect_published(late) is None


def test_missing_dateparser_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dateparser", None)  # import now fails
    with pytest.raises(ImportError, match=r"dateparser.*news-timeline"):
        detect_published("City Ledger | 22-Jan-2025" + BODY)
    # A dateline the built-in reader handles never needs it, nor a head
    # without a digit, which cannot hold a full date.
    assert detect_published("City Ledger, Jan. 22, 2025" + BODY) == JAN22
    assert detect_published("City Ledger\nBy A. Writer" + BODY) is None


def _fresh_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.strip()


def test_import_timeline_does_not_import_dateparser() -> None:
    code = (
        "import sys, timeline, timeline.cli\n"
        "from timeline.io.dateline import detect_published\n"
        "assert str(detect_published('Jan. 22, 2025\\n\\nText.')) == '2025-01-22'\n"
        "print('dateparser' in sys.modules)"
    )
    assert _fresh_python(code) == "False"


def test_dateparser_is_imported_when_the_fallback_runs() -> None:
    code = (
        "import sys\n"
        "from timeline.io.dateline import detect_published\n"
        "assert str(detect_published('22-Jan-2025\\n\\nText.')) == '2025-01-22'\n"
        "print('dateparser' in sys.modules)"
    )
    assert _fresh_python(code) == "True"
