"""The operations the rules of ``en.toml`` map to.

Each rule names one operation (``op = "date"``, ``"shift"``, ``"offset"`` ...).
An operation reads the named groups of one match and returns the unresolved
expression (:mod:`timeline.find.expressions`) and the direction the words
fixed, if any; or ``None`` when the match is no temporal expression after
all ("a track meet", "China Daily").  Operations know words, never calendars.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import expressions as E
from .expressions import Candidate

__all__ = [
    "ARTICLE_COMPOUND",
    "OPS",
    "RANGE_OPS",
    "Groups",
    "Tables",
    "duration_value",
    "modifier",
    "norm",
    "number",
]

_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)
def norm(word: str) -> str:
    """A table key's normal form: trimmed, lower case, single spaces.

    Cached: the same few words ("last", "Friday", "the past") recur.
    """
    return _SPACES.sub(" ", word.strip().lower())


Groups = dict[str, str | None]
Tables = Mapping[str, Mapping[str, Any]]
OpResult = tuple[E.Expr, int | None] | None

_POS_MODS = {
    "earlier": "START",
    "early": "START",
    "the beginning of": "START",
    "the start of": "START",
    "later": "END",
    "late": "END",
    "the end of": "END",
    "mid": "MID",
    "mid-": "MID",
    "the middle of": "MID",
}

_UNIT_CODES = {
    "second": ("T", "S", 1),
    "minute": ("T", "M", 1),
    "hour": ("T", "H", 1),
    "day": ("", "D", 1),
    "night": ("", "D", 1),
    "week": ("", "W", 1),
    "fortnight": ("", "W", 2),
    "weekend": ("", "WE", 1),
    "month": ("", "M", 1),
    "quarter": ("", "Q", 1),  # TimeML writes quarters in their own unit: P2Q
    "year": ("", "Y", 1),
    "decade": ("", "Y", 10),
    "century": ("", "Y", 100),
}

_CONTEXT_MONTHS = {3, 5, 6}  # March, May, June: also common verbs and names
_MONTH_DETERMINERS = frozenset("a an its his her their our".split())
_LOWER_NOUN_AFTER = re.compile(r"[ \t]{1,3}[a-z]{3,}")
_MONTH_CUES = frozenset(
    "in since until till by of during last next this early late mid before after through "
    "from to between and or each every the end beginning start middle until throughout "
    "around about on for".split()
)


_TENS = frozenset({20, 30, 40, 50, 60, 70, 80, 90})


def number(text: str | None, tables: Tables) -> float | None:
    """Parse a number written in digits or words; ``None`` for vague amounts."""
    if text is None:
        return None
    t = norm(text)
    if t == "1/2":
        return 0.5  # "1/2 day"
    if t and t[0].isdigit():
        whole, half, rest = t.partition(" 1/2")
        return float(whole.replace(",", "")) + (0.5 if half and not rest else 0.0)
    if t.endswith(" and a half") and t.count(" ") == 3:
        whole_word = number(t.split(" ")[0], tables)
        return None if whole_word is None else whole_word + 0.5  # "two and a half"
    if "-" in t or " " in t:
        tens, _, ones = t.replace(" ", "-").partition("-")
        a = tables["numbers"].get(tens)
        b = tables["numbers"].get(ones)
        if isinstance(a, int) and isinstance(b, int) and a in _TENS and 1 <= b <= 9:
            return float(a + b)
    value = tables["numbers"].get(t)
    if isinstance(value, int | float):
        return float(value)
    return None


def _int(g: Groups, key: str) -> int | None:
    value = g.get(key)
    return int(value) if value else None


def _month(text: str, tables: Tables) -> int:
    t = norm(text)
    if t.isdigit():
        return int(t)
    if t in tables["months"]:
        return int(tables["months"][t])
    return int(tables["month_abbrs"][t])


def _year(text: str) -> tuple[int, bool]:
    t = text.strip().lstrip("'’")
    if len(t) == 2:
        return int(t), True
    return int(t), False


def modifier(g: Groups, tables: Tables) -> str | None:
    if g.get("ye"):
        return "END"  # "year-end"
    if g.get("mod"):
        found = tables["modifiers"].get(norm(g["mod"] or ""))
        return str(found) if found else None
    for key in ("pos", "dpos"):
        if g.get(key):
            return _POS_MODS.get(
                norm(g[key] or "").rstrip("-") if norm(g[key] or "") != "mid-" else "mid"
            )
    return None


def _rel(g: Groups, tables: Tables) -> tuple[int | None, bool]:
    rel = g.get("rel")
    if not rel:
        return None, False
    key = norm(rel)
    if key.startswith("the "):
        key = key[4:]
    info = tables["relatives"].get(key)
    if info is None:
        return None, False
    return int(info["shift"]), info["anchor"] == "anaphoric"


def _weekday(text: str, tables: Tables) -> int:
    key = norm(text)
    if key in tables["weekdays"]:
        return int(tables["weekdays"][key])
    return int(tables["weekday_abbrs"][key.rstrip(".")])  # "sat", "Thurs."


def _op_date(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    month = _month(g["month"] or "", t)
    if g.get("era"):
        return E.CalDate(-int(g["bcy"] or 0), month), None  # "April 480 BC"
    if g.get("thatyear"):
        # "August of that year": the month in the story's year (or the next one)
        rel = norm(g["thatyear"] or "")
        offset = (
            1
            if rel.endswith(("following", "next"))
            else -1
            if rel.endswith(("previous", "preceding"))
            else 0
        )
        return E.CalDate(None, month, _int(g, "day"), story_offset=offset), None
    day = _int(g, "day")
    year: int | None = None
    short = False
    if g.get("year"):
        year, short = _year(g["year"] or "")
    if not 1 <= month <= 12:
        return None
    if day is not None and day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        return None
    hour = _int(g, "hour")
    minute = _int(g, "minute")
    pod = t["parts_of_day"].get(norm(g["pod"] or "")) if g.get("pod") else None
    wd = _weekday(g["wd"] or "", t) if g.get("wd") else None
    return E.CalDate(
        year, month, day, hour, minute, short_year=short, part_of_day=pod, weekday=wd
    ), None


def _op_holiday(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    key = t["holidays"][norm(g["holiday"] or "")]
    year = _int(g, "year")
    shift, _ = _rel(g, t)
    pod = t["parts_of_day"].get(norm(g["pod"] or "")) if g.get("pod") else None
    if "-" in key:
        mm, dd = key.split("-")
        return E.CalDate(year, int(mm), int(dd), part_of_day=pod), shift
    if pod is not None:
        return None  # "Easter morning": a computed holiday takes no part of day here
    return E.Holiday(key, year, shift), shift


def _op_clock(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("named"):
        hour = 0 if norm(g["named"] or "") == "midnight" else 12
        minute: int | None = 0
    elif g.get("inthe"):
        hour = int(g["hour"] or 0)
        minute = None
        if norm(g["inthe"] or "") in ("afternoon", "evening", "night") and hour < 12:
            hour += 12
        if norm(g["inthe"] or "") == "night" and hour in (13, 14, 15, 16):
            hour -= 12  # "2 in the night" is early morning
    else:
        hour = int(g["hour"] or 0)
        minute = _int(g, "minute")
        ampm = norm(g.get("ampm") or "")
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    if g.get("month") and g.get("day"):
        # "5 p.m. EST, Nov. 6": the time on that day
        month = _month(g["month"] or "", t)
        return E.CalDate(_int(g, "year"), month, _int(g, "day"), hour, minute), None
    day: E.Weekday | E.RelDay | None = None
    if g.get("wd"):
        day = E.Weekday(_weekday(g["wd"] or "", t), _rel(g, t)[0])
    elif g.get("relday"):
        day = E.RelDay(_RELDAYS[norm(g["relday"] or "")])
    return E.Clock(hour, minute, day), None


# A weekday named just before, and what joins it to the next: "Mon and",
# "every Monday, Wednesday and", "friday night or".  Every quantifier is
# bounded; the search runs over a short window before the candidate.
_WD_WORD = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"
)
_WEEKDAY_LIST_BEFORE = re.compile(
    rf"(?i)(?<![a-z])(?:(?P<every>every|each|on)\s{{1,3}})?(?P<head>{_WD_WORD})"
    rf"(?:\s{{1,3}}(?:morning|afternoon|evening|night)s?)?"
    rf"(?:\s{{0,2}}[,&]\s{{0,2}}{_WD_WORD}){{0,5}}"
    rf"\s{{0,2}}(?:,\s{{0,2}}(?:and|or)|,|&|and|or)\s{{1,2}}\Z"
)


# What every list above ends with: a cheap test before the search for it.
_LIST_JOINT = re.compile(r"(?i)(?:,|&|and|or)\s{1,2}\Z")

_VERB_ABBRS = frozenset(("sat", "wed", "sun"))


def _weekday_list(text: str, start: int) -> re.Match[str] | None:
    """The list of weekdays that the candidate at ``start`` continues, if any
    ("sat", "wed" and "sun" in lower case begin none unless "on" or "every"
    comes first: "the students sat and wed")."""
    if _LIST_JOINT.search(text, max(0, start - 6), start) is None:
        return None  # no joiner right before: no list (most weekdays stop here)
    m = _WEEKDAY_LIST_BEFORE.search(text, max(0, start - 72), start)
    if m is not None and m.group("head").rstrip(".") in _VERB_ABBRS and not m.group("every"):
        return None
    return m


def _op_weekday(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    shift, _anaphoric = _rel(g, t)
    pod = t["parts_of_day"].get(norm(g["pod"] or "")) if g.get("pod") else None
    wd = _weekday(g["wd"] or "", t)
    if shift is None:
        listed = _weekday_list(text, start)
        if listed is not None and norm(listed.group("every") or "") in ("every", "each"):
            # "every Monday and Thursday": each day of the list recurs
            every = norm(listed.group("every"))
            return E.SetExpr(
                f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""),
                "EACH" if every == "each" else "EVERY",
            ), None
    return E.Weekday(wd, shift, pod), (shift if shift in (-1, 1) else None)


def _op_weekday_in_list(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    """ "Mon and tues", "every mon, wed, thur", "friday night or sat": a short
    weekday name is a day when it continues a list of weekdays."""
    if _weekday_list(text, start) is None:
        return None
    return _op_weekday(g, t, text, start)


_RELDAYS = {
    "today": 0,
    "tdy": 0,
    "tonight": 0,
    "tonite": 0,
    "yesterday": -1,
    "yday": -1,
    "tomorrow": 1,
    "tmr": 1,
    "tmrw": 1,
    "tomo": 1,
    "tomolo": 1,
    "2moro": 1,
    "2morrow": 1,
}


def _op_relday(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    rd = norm(g["relday"] or "")
    pod = t["parts_of_day"].get(norm(g["pod"] or "")) if g.get("pod") else None
    if not rd:  # "by mid-afternoon": the day of the text
        return E.RelDay(0, pod), None
    if rd in ("tonight", "tonite", "2nite", "2night", "overnight"):
        return E.RelDay(0, "NI"), None
    if rd == "this":
        return E.RelDay(0, pod), None
    if rd == "last":
        return E.RelDay(-1 if pod == "NI" else 0, pod), -1
    if rd.startswith("the day before"):
        return E.RelDay(-2), -1
    if rd.startswith("the day after"):
        return E.RelDay(2), 1
    days = _RELDAYS[rd]
    return E.RelDay(days, pod), (days or None)


ARTICLE_COMPOUND = re.compile(r"[Tt]he [A-Za-z0-9]{1,12}-[A-Za-z]{1,12}")

_UNIT_ALIASES = {
    "fiscal year": "year",
    "financial year": "year",
    "calendar year": "year",
    "yr": "year",
    "wk": "week",
    "wknd": "weekend",
    "wkend": "weekend",
    "mth": "month",
    "morning": "day",
    "afternoon": "day",
    "evening": "day",
    "night": "day",
}


_DAY_UNITS = frozenset({"day", "morning", "afternoon", "evening", "night"})


def _op_shift(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("theunit"):
        # "over the weekend": the weekend nearest publication, by tense
        return E.Shift("weekend", 0, definite=True), None
    if g.get("thisunit"):
        # "the end of the year" (the modifier comes from the pos group)
        unit = norm(g["thisunit"] or "").split(" ")[-1]
        return E.Shift(unit, 0, definite=True), None
    raw_unit = norm(g["unit"] or "")
    unit = _UNIT_ALIASES.get(raw_unit, raw_unit)
    if g.get("daywhich"):
        # "the day before", "the day after": from the story's last date
        which = norm(g["daywhich"] or "")
        g = {**g, "rel": "the following" if which == "after" else "the previous"}
    pod = (
        t["parts_of_day"].get(raw_unit)
        if raw_unit in ("morning", "afternoon", "evening", "night")
        else None
    )
    rel = "that" if g.get("inthe") else norm(g.get("rel") or "")
    definite = rel.startswith("the ") or norm(g.get("_match") or "").startswith("the ")
    if rel.startswith("the "):
        rel = rel[4:]
    # "that day", "that month": the day or month of the story's last date;
    # "the fiscal year" is the current one
    info: Mapping[str, Any] | None = (
        {"shift": 0, "anchor": "anaphoric"}
        if rel in ("that", "that same")
        else {"shift": 0, "anchor": "deictic"}
        if rel in ("", "the") and raw_unit in ("fiscal year", "financial year")
        else t["relatives"].get(rel)
    )
    if info is None:
        return None
    n = int(info["shift"])
    if unit in ("decade", "century") and n == -1 and norm(g.get("_match") or "").startswith("the "):
        # "the past decade" is a length of time, ten years up to now
        return E.Duration(duration_value(1, unit)), None
    # "the next day" looks from the story's last date, "next week" from today;
    # "the next year" does too in a story (see the resolver).
    anaphoric = info["anchor"] == "anaphoric" or (definite and raw_unit in _DAY_UNITS)
    return E.Shift(unit, n, anaphoric, pod, definite=definite), (n if n else None)


def _op_month(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    month = _month(g["month"] or "", t)
    if g.get("yrel"):
        # "June last year": a month of a year named relative to publication
        offset = {"last": -1, "next": 1, "this": 0}[norm(g["yrel"] or "")]
        return E.CalDate(None, month, _int(g, "day"), year_offset=offset), None
    shift, _ = _rel(g, t)
    if shift is None and not g.get("mod") and not g.get("pos") and month in _CONTEXT_MONTHS:
        # "May", "March" and "June" are also verbs and names: ask for a cue word.
        before = text[max(0, start - 24) : start].split()
        cue = norm(before[-1]).strip(",") if before else ""
        if cue not in _MONTH_CUES and not (
            # "a June meeting", "its May outlook", "Japan's March exports"
            (cue in _MONTH_DETERMINERS or cue.endswith(("'s", "’s")))
            and _LOWER_NOUN_AFTER.match(text, start + len(g["month"] or ""))
        ):
            return None
    return E.CalDate(None, month), shift


# A record or a first before "in <N units>": "the first time in 12 years", "the
# biggest monthly jump in 30 years", "the second attack in three days" (but not
# across a clause or a "will": "will be the biggest in a year" is ahead).
_RECORD = re.compile(
    r"\b(?:first|second|third|only|worst|best|most|least|biggest|largest|highest|lowest|"
    r"smallest|greatest|strongest|weakest|longest|shortest|fastest|slowest|deadliest|"
    r"busiest|heaviest|sharpest|steepest|warmest|coldest|hottest|wettest|driest|worst-ever|"
    r"lightest|deepest|widest|closest|toughest|hardest|poorest|richest|cheapest|safest)"
    r"(?:-[a-z]{1,10})?(?:[ \t]{1,3}[\w'’-]{1,20}){0,5}[ \t]{1,3}in[ \t]{1,3}\Z"
)
# ... unless the clause looks ahead: "the first shipment will arrive in three weeks"
_AHEAD_WORDS = re.compile(
    r"\b(?:will|would|shall|could|can|may|might|going|expected|due|set|plans?|'ll)\b"
)


def _op_offset(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    unit = t["units"].get(norm(g["unit"] or ""), norm(g["unit"] or ""))
    # "year-earlier" writes no number: one year; "days later", none at all
    if g.get("num") is not None:
        n = number(g["num"], t)
    else:
        n = None if norm(g["unit"] or "").endswith("s") else 1.0
    period = norm(g.get("period") or "")
    if unit == "year" and n == 1 and period in ("quarter", "period"):
        # "the year-ago quarter": the reported quarter, a year back
        return E.Period(
            "Q" if period == "quarter" else "P", None, None, anaphoric=True, year_offset=-1
        ), None
    word = norm(g.get("dir") or "")
    if g.get("in") is not None or word in ("later", "hence", "from now", "on", "after"):
        sign = 1
    else:
        sign = -1
    anaphoric = word in ("earlier", "later", "before", "after", "on")
    if g.get("in") is not None:
        record = _RECORD.search(text, max(0, start - 60), start)
        if record is not None and _AHEAD_WORDS.search(record.group()):
            record = None
        if n is None or g.get("the") or record is not None:
            # "in the next five years", "in the last few weeks", "the first
            # time in 12 years", "the worst drought in a decade": a length of time
            return E.Duration(duration_value(n, unit)), None
        return E.Offset(unit, n, sign, anaphoric, within=True), None
    return E.Offset(unit, n, sign, anaphoric), sign


def _op_quarter(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    year = _int(g, "year")
    if g.get("year_pre"):
        year = int(g["year_pre"] or 0)
    if g.get("qn"):
        qn = g["qn"] or ""
        if g.get("yr2"):
            year = 2000 + int(g["yr2"] or 0)
        kind = qn[0]
        n = int(qn[1])
        if kind == "H" and n > 2:
            return None
        return E.Period(kind, n, year), None
    if g.get("spunit") or g.get("spunit2") or g.get("spunit3"):
        # "the same period last year": the reported period, a year back;
        # "the 1988 quarter": the reported quarter, in 1988
        unit = g.get("spunit") or g.get("spunit2") or g.get("spunit3") or ""
        kind = "Q" if norm(unit) == "quarter" else "P"
        year = _int(g, "spyear") or year
        if year is not None:
            return E.Period(kind, None, year, anaphoric=True), None
        return E.Period(kind, None, None, anaphoric=True, year_offset=-1), None
    if g.get("theq"):
        # "the quarter" is the one just named; "the latest quarter" the last
        # one reported, whatever was named before
        latest = "latest" in norm(g["theq"] or "") or "recent" in norm(g["theq"] or "")
        if "current" in norm(g["theq"] or ""):
            return E.Period("Q", None, None, 0), None  # the quarter now running
        return E.Period("Q", None, None, None, anaphoric=not latest), None
    q = norm(g["q"] or "")
    kind = "H" if q.startswith("half") else "Q"
    ordinal = t["ordinals"].get(norm(g["ord"] or ""))
    if ordinal is None:
        return None
    n = int(ordinal)
    top = 2 if kind == "H" else 4
    if n == -1:
        n = top
    if not 1 <= n <= top:
        return None
    shift, anaphoric = _rel(g, t)
    if g.get("qyrel") or g.get("qyrel2"):
        # "this year's third quarter", "the first quarter of next year"
        offset = {"this": 0, "last": -1, "next": 1}[norm(g.get("qyrel") or g.get("qyrel2") or "")]
        return E.Period(kind, n, None, None, False, year_offset=offset), None
    if g.get("qago"):
        # "the year-ago third quarter": the same quarter a year before
        return E.Period(kind, n, None, None, False, year_offset=-1), None
    if year is None and shift is None and _is_game_period(text, start, len(g["_match"] or "")):
        return None
    return E.Period(kind, n, year, shift, anaphoric), shift if shift in (-1, 1) else None


# A half or quarter of a game: "six minutes into the second half", "a
# first-half goal", "23 seconds left in the third quarter".
_GAME_WORDS = re.compile(
    r"\b(?:goals?|penalty|penalties|seconds|scored|scoring|striker|kick-?off|"
    r"half-?time|match|touchdowns?|quarterback|rebounds|innings|wickets?|header|"
    r"equali[sz]er|equali[sz]ed|substitute|referee|free-throw|field\s{1,3}goal|"
    r"minutes?\s{1,3}(?:into|left|remaining|before|after))\b",
    re.IGNORECASE,
)
_MONEY_WORDS = re.compile(
    r"\b(?:profits?|sales|earnings|revenues?|growth|economy|economic|percent|fiscal|"
    r"billion|million|shares|prices?|output|exports?|imports?|quarterly|GDP|inflation|"
    r"forecasts?|year|trading|market|index|registrations|basis|yields?|unemployment|"
    r"housing|bonds?|rates?|government)\b|%",
    re.IGNORECASE,
)


_OF_AFTER = re.compile(r"\s{1,3}of\b")


def _is_game_period(text: str, start: int, length: int) -> bool:
    """Whether the half or quarter at ``start`` is one of a game: a sports word
    near it, no money word, and no "of" after it ("the second half of 2006")."""
    end = start + length
    if _OF_AFTER.match(text, end):
        return False
    lo, hi = max(0, start - 80), min(len(text), end + 80)
    return (
        _GAME_WORDS.search(text, lo, hi) is not None and _MONEY_WORDS.search(text, lo, hi) is None
    )


def _op_season(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    code = str(t["seasons"][norm(g["season"] or "")])
    year = _int(g, "year") or _int(g, "bcy")
    if g.get("era") and year is not None:
        year = -year
    shift, _ = _rel(g, t)
    return E.Season(code, year, shift), shift if shift in (-1, 1) else None


_DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}


def _op_decade(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("decword"):
        return E.Decade(_DECADE_WORDS[norm(g["decword"] or "")], century_known=False), None
    raw = (g["dec"] or "").lstrip("'’")
    if len(raw) == 2:
        return E.Decade(int(raw), century_known=False), None
    return E.Decade(int(raw)), None


def _op_century(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    ordinal = t["ordinals"].get(norm(g["ord"] or ""))
    if not isinstance(ordinal, int) or ordinal < 1:
        return None
    if g.get("era"):
        return E.Century(-ordinal), None  # "the 4th century BC" is BC04
    return E.Century(ordinal - 1), None


# Names that a number after them belongs to: products and indexes ("Windows
# 2000", "the Russell 2000", "Office 2010"), not years.
_NAMED_NUMBER = re.compile(
    r"(?:Windows|Office|Russell|Stoxx|STOXX|FTSE|Nikkei|Topix|MSCI|Server|Fortune)\s{1,3}\Z"
)


def _op_year(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if _NAMED_NUMBER.search(text, max(0, start - 12), start):
        return None
    year, short = _year(g["year"] or "")
    if g.get("era"):
        return E.CalDate(-year, None), None
    period = norm(g.get("period") or "")
    if period:
        # "the 1988 period": the period just reported on, in that year (the
        # whole year when no quarter or half has been reported)
        return E.Period("Q" if period == "quarter" else "P", None, year, anaphoric=True), None
    return E.CalDate(year, None, short_year=short), None


_SPOKEN_UNITS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "hundred": 0,
}


def _op_spoken_year(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    """ "nineteen ninety-six" is 1996; "two thousand and one" is 2001;
    "January nineteen ninety-seven" and "the winter of nineteen ninety-four"
    are that month and season."""
    year = _spoken_year(norm(g["spoken"] or ""), t)
    if g.get("month"):
        return E.CalDate(year, _month(g["month"] or "", t)), None
    if g.get("season"):
        return E.Season(str(t["seasons"][norm(g["season"] or "")]), year, None), None
    return E.CalDate(year, None), None


def _spoken_year(spoken: str, t: Tables) -> int:
    words = spoken.replace("-", " ").split()
    if words[0] == "two":
        rest = [w for w in words[2:] if w != "and"]
        value = number(rest[0], t) if rest else 0.0
        return 2000 + int(value or 0)
    century = 1800 if words[0] == "eighteen" else 1900
    tail = words[1:]
    if len(tail) == 1 and tail[0] in _SPOKEN_UNITS:
        return century + _SPOKEN_UNITS[tail[0]]
    return century + sum(int(number(w, t) or 0) for w in tail)


def _op_week_of_month(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("wday"):
        # "the week of March 6": the week holding that day
        day = int(g["wday"] or 0)
        if not 1 <= day <= 31:
            return None
        return E.WeekOfMonth(0, _month(g["month"] or "", t), _int(g, "year"), day), None
    ordinal = norm(g["ord"] or "")
    n = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(ordinal, -1)
    return E.WeekOfMonth(n, _month(g["month"] or "", t), _int(g, "year")), None


def _op_year_end(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    """ "year-end", "by year's end": the end of the publication's year."""
    return E.Shift("year", 0), None


def _op_year_range(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    # Handled in scan(), which yields one candidate per year.
    return E.CalDate(int(g["year"] or 0), None), None


_SET_UNITS = {
    "day": "P1D",
    "night": "P1D",
    "morning": "P1D",
    "evening": "P1D",
    "week": "P1W",
    "month": "P1M",
    "quarter": "P1Q",
    "year": "P1Y",
    "season": "P3M",
    "hour": "PT1H",
    "minute": "PT1M",
    "decade": "P10Y",
}


# A lower-case "daily" or "weekly" before a capitalised name on the same
# line is a paper ("the party daily Granma", "the weekly Der Spiegel"), not
# a recurrence; before a month, a weekday or a capitalised function word it
# still is one ("open daily April to October", "run daily Monday").
_PAPER_NAME = re.compile(r"[ \t]{1,3}([A-Z][a-z]+)")
_NOT_PAPER = frozenset("in on at for from to and or but".split())


# A newspaper ("the daily said", "the business daily reported").
_PAPER_VERB = re.compile(
    r"[ \t]{1,3}(?:said|says|reported|reports|quoted|quotes|cited|cites|wrote|writes|"
    r"added|carried|published|claimed|warned|noted|commented|revealed|disclosed)\b"
)
_LOWER_WORD_AFTER = re.compile(r"[ \t]{1,3}[a-z]")
_PAPER_ADJECTIVE_ENDINGS = ("al", "ic", "-run", "-language", "-based", "-owned", "ist")
_PAPER_ADJECTIVES = frozenset(
    "business sports leading independent party popular local mass-circulation influential "
    "conservative liberal tabloid evening morning financial official daily".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’-]*)[ \t]{1,3}\Z")
_SENTENCE_START = re.compile(r"(?:\A|[.!?\"'`“”‘’(\n]\s{0,3})\Z")


def _is_paper(adv: str, text: str, start: int, t: Tables) -> bool:
    """Whether the set adverb at ``start`` names a publication: a lower-case
    one before a capitalised name ("the party daily Granma"), and "daily" or
    "weekly" as a paper ("China Daily", "the Daily Telegraph", "the business
    daily said")."""
    end = start + len(adv)
    if adv[:1].islower():
        name = _PAPER_NAME.match(text, end)
        word = norm(name.group(1)) if name is not None else ""
        if word and not (word in t["weekdays"] or word in t["months"] or word in _NOT_PAPER):
            return True
    if norm(adv) not in ("daily", "weekly"):
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    prev = before.group(1) if before is not None else ""
    if adv[:1].isupper():
        # Inside a sentence, a name: "China Daily said", "People's Daily",
        # "the Daily Telegraph"; but in a title ("National Geographic Daily
        # Dozen", "Daily and Weekly Winners", "How To Meditate Daily") the
        # capitals say nothing.
        if _SENTENCE_START.search(text, max(0, start - 4), start) is not None:
            return False
        if _PAPER_NAME.match(text, end) is not None:
            return prev.lower() == "the" or prev.endswith(("'s", "’s"))
        return prev[:1].isupper() and _LOWER_WORD_AFTER.match(text, end) is not None
    if _PAPER_VERB.match(text, end):
        # "the economic daily said", "the Haaretz daily reported"; but
        # "commuters who travel daily said" is how often
        return (
            prev.lower() in ("the", "a", "an")
            or prev[:1].isupper()
            or prev.lower().endswith(_PAPER_ADJECTIVE_ENDINGS)
            or prev.lower() in _PAPER_ADJECTIVES
        )
    # "according to the daily."
    return text.endswith("the ", max(0, start - 4), start) and text[end : end + 1] in (",", ".")


_SET_ABBRS = {
    "min": "minute",
    "hr": "hour",
    "wk": "week",
    "mth": "month",
    "yr": "year",
    "nite": "night",
}


def _op_set(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("adv"):
        adv = g["adv"] or ""
        if _is_paper(adv, text, start, t):
            return None
        info = t["sets"][norm(adv)]
        return E.SetExpr(str(info["value"]), str(info["quant"])), None
    if g.get("wdpl"):
        wd = _weekday(norm(g["wdpl"] or "")[:-1], t)
        return E.SetExpr(f"XXXX-WXX-{wd}", None), None
    if g.get("podpl"):
        wd = _weekday(g["wd"] or "", t)
        pod = t["parts_of_day"][norm(g["podpl"] or "")[:-1]]
        return E.SetExpr(f"XXXX-WXX-{wd}T{pod}", None), None
    every = norm(g.get("every") or "")
    quant = "EACH" if every in ("each", "per") else "EVERY"
    if g.get("hour"):
        # "every night at 10pm": the clock time of every day
        hour = int(g["hour"] or 0) % 12 + (12 if norm(g["ampm"] or "").startswith("p") else 0)
        return E.SetExpr(f"XXXX-XX-XXT{hour:02d}:{int(g.get('minute') or 0):02d}", quant), None
    if g.get("wd"):
        wd = _weekday(g["wd"] or "", t)
        pod = t["parts_of_day"].get(norm(g["pod"] or "")) if g.get("pod") else None
        return E.SetExpr(f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""), quant), None
    if g.get("month"):
        return E.SetExpr(f"XXXX-{_month(g['month'] or '', t):02d}", quant), None
    unit = norm(g["unit"] or "")
    unit = _SET_ABBRS.get(unit, unit)  # "every min", "every nite"
    if unit == "weekend":
        return E.SetExpr("XXXX-WXX-WE", quant), None  # "every weekend"
    if unit in t["seasons"]:
        return E.SetExpr(f"XXXX-{t['seasons'][unit]}", quant), None
    value = _SET_UNITS[unit]
    num2 = norm(g.get("num2") or "")
    if num2:
        k = 2 if num2 == "other" else int(number(num2, t) or 2)
        value = value.replace("1", str(k), 1)
    return E.SetExpr(value, quant), None


# The next smaller unit and how many of it make one, by part of the value
# (date or time): in the time part "M" is minutes, which go to seconds, not
# to days ("30.8 minutes": PT1848S).
_SMALLER = {
    "": {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60)},
    "T": {"H": ("M", 60), "M": ("S", 60)},
}


def duration_value(n: float | None, unit: str) -> str:
    """The TIMEX3 duration value for ``n`` units (``None`` means unknown: X)."""
    time_part, code, factor = _UNIT_CODES[unit]
    if n is None:
        amount = "X"
    else:
        total = n * factor
        if total >= 1 and total - int(total) == 0.5 and unit in ("year", "hour", "minute"):
            # "2 1/2 years", "5 1/2 hours", "a minute and a half": whole units
            # and the half in the next smaller one (P2Y6M, PT5H30M, PT1M30S)
            half = {"year": "6M", "hour": "30M", "minute": "30S"}[unit]
            return f"P{time_part}{int(total)}{code}{half}"
        if total != int(total):
            # Half units: express in the next smaller unit where one exists.
            smaller = _SMALLER[time_part]
            if code in smaller:
                code, mult = smaller[code]
                if code in ("H",) or (code == "M" and unit in ("hour",)):
                    time_part = "T"
                total = total * mult
            amount = f"{total:g}"
        else:
            amount = str(int(total))
    if code == "WE":
        return f"P{amount}WE"
    return f"P{time_part}{amount}{code}"


_RATE_BEFORE = re.compile(r"(?:[0-9%]|million|billion|thousand|hundred|[a-z]s)\s{1,3}\Z")


_COMPARATIVE_AFTER = re.compile(r"(?:faster|slower|quicker|sooner than)\b")

_ONE_DAY_GAME = re.compile(
    r"(?<=[Oo]ne-[Dd]ay)\s{1,3}(?:internationals?|series|squad|side|cricket|matches|"
    r"match|games?|format|cup|rankings?|specialists?|team|players?|captain|debut)\b"
)


def _op_duration(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    unit = t["units"].get(
        norm(g["unit"] or ""), "half" if norm(g["unit"] or "") == "half" else None
    )
    if unit is None:
        return None
    if unit == "half":
        return E.Duration("P6M"), None
    if unit == "day" and _ONE_DAY_GAME.match(text, start + len(g["_match"] or "")):
        return None  # "the one-day squad": a kind of cricket match
    if "num" not in g or g.get("num") is None:
        raw_unit = norm(g["unit"] or "")
        if raw_unit.endswith("s") or raw_unit.endswith("centuries"):
            return E.Duration(duration_value(None, unit)), None
        return E.Duration(duration_value(1, unit)), None
    n = number(g["num"], t)
    if unit == "second" and norm(g["num"] or "") in ("a", "an"):
        return None  # "a second opinion"
    end = start + len(g.get("_match") or "")
    after = text[end : end + 8].lstrip().lower()
    if unit == "quarter" and (
        (after.startswith("of") and n is not None)
        or (g["unit"] or "").lower().endswith("s")
        and "-" in (g.get("_match") or "")
    ):
        return None  # "three-quarters of its food", "a quarter of the market"
    if after.startswith(("old", "of age")):
        return None  # ages: "52 years old"
    if _COMPARATIVE_AFTER.match(after):
        return None  # a margin, not a time: "two seconds faster", "an hour quicker"
    if text.endswith(("sub-", "Sub-"), max(0, start - 4), start):
        return None  # a measure: "a sub-three-hour marathon"
    if norm(g["num"] or "") in ("a", "an") and _RATE_BEFORE.search(text, max(0, start - 24), start):
        # "$1.76 a year", "four flights a week": a rate, not a length of time
        return E.SetExpr(_SET_UNITS.get(unit, "P1Y"), "EACH"), None
    if g.get("num_hi"):
        hi = number(g["num_hi"], t)
        if hi is not None and n is not None and hi <= n:
            return None
    if n is not None and n == 0:
        return None
    if n is not None and g.get("andhalf"):
        n += 0.5  # "a year and a half"
    return E.Duration(duration_value(n, unit)), None


def _op_compound_duration(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    """ "1 hour 26 minutes", "14 years, nine months": one length in several
    units, each smaller than the one before (the pattern allows only those)."""
    parts: list[tuple[float, str]] = []
    for num_key, unit_key in (("num", "unit"), ("num2", "unit2"), ("num3", "unit3")):
        unit_word = next(
            (
                g[k]
                for k in (unit_key, unit_key + "w", unit_key + "d", unit_key + "h", unit_key + "m")
                if g.get(k)
            ),
            None,
        )
        if unit_word is None:
            break
        num_word = next(
            (
                g[k]
                for k in (num_key, num_key + "w", num_key + "d", num_key + "h", num_key + "m")
                if g.get(k)
            ),
            None,
        )
        n = number(num_word, t)
        unit = t["units"].get(norm(unit_word))
        if n is None or unit is None or n != int(n) or (parts and n == 0):
            return None  # "a few hours 30 minutes", "1.5 hours 20 minutes"
        parts.append((n, str(unit)))
    if len(parts) < 2 or parts[0][0] == 0:
        return None
    if parts[0][1] == "week":
        parts = [(n * 7, "day") if unit == "week" else (n, unit) for n, unit in parts]
        parts = [(sum(n for n, _ in parts), "day")]  # "three weeks and two days": P23D
    date_part = time_part = ""
    for n, unit in parts:
        is_time, code, _factor = _UNIT_CODES[unit]
        if is_time:
            time_part += f"{int(n)}{code}"
        else:
            date_part += f"{int(n)}{code}"
    return E.Duration("P" + date_part + ("T" + time_part if time_part else "")), None


def _op_ref(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    key = norm(g["ref"] or "")
    value = t["refs"].get(key) or t["modal_refs"].get(key) or t["narrative_refs"][key]
    return E.Ref(str(value)), None


OPS: dict[str, Callable[[Groups, Tables, str, int], OpResult]] = {
    "date": _op_date,
    "holiday": _op_holiday,
    "clock": _op_clock,
    "weekday": _op_weekday,
    "weekday_in_list": _op_weekday_in_list,
    "relday": _op_relday,
    "shift": _op_shift,
    "month": _op_month,
    "offset": _op_offset,
    "quarter": _op_quarter,
    "season": _op_season,
    "decade": _op_decade,
    "century": _op_century,
    "year": _op_year,
    "year_range": _op_year_range,
    "year_end": _op_year_end,
    "day_range": _op_year_range,
    "duration_pair": _op_year_range,
    "week_of_month": _op_week_of_month,
    "spoken_year": _op_spoken_year,
    "set": _op_set,
    "duration": _op_duration,
    "compound_duration": _op_compound_duration,
    "ref": _op_ref,
}


def _year_range(m: re.Match[str], rule: Any) -> Iterator[Candidate]:
    """ "1915-17" and "1990/1991" name two years: one candidate each."""
    names = dict(rule.groups)
    first = int(m.group(names["year"]))
    raw = m.group(names["year2"])
    if "era" in names and m.group(names["era"]):
        # "499-493 BC": both years before the common era, counting down
        a, b = -first, -int(raw)
        if a <= b:
            yield Candidate(
                m.start(names["year"]), m.end(names["year"]), rule.name, E.CalDate(a, None)
            )
            yield Candidate(m.start(names["year2"]), m.end(), rule.name, E.CalDate(b, None))
        return
    second = int(raw) if len(raw) == 4 else first - first % 100 + int(raw)
    if second <= first:
        # "1990-85" is no range: take the first year alone.
        yield Candidate(
            m.start(names["year"]), m.end(names["year"]), rule.name, E.CalDate(first, None)
        )
        return
    yield Candidate(m.start(names["year"]), m.end(names["year"]), rule.name, E.CalDate(first, None))
    yield Candidate(
        m.start(names["year2"]), m.end(names["year2"]), rule.name, E.CalDate(second, None)
    )


def _day_range(m: re.Match[str], rule: Any, tables: Tables) -> Iterator[Candidate]:
    """ "10-12 October" and "Oct. 5-7" name two days of one month: one
    candidate each, the bare number and the day written with its month."""
    names = dict(rule.groups)
    month = _month(m.group(names["month"]), tables)
    year = int(m.group(names["year"])) if m.group(names["year"]) else None
    d1, d2 = int(m.group(names["day"])), int(m.group(names["day2"]))
    if not d1 < d2 <= 31:
        return
    m_start, m_end = m.span(names["month"])
    y_end = m.end(names["year"]) if m.group(names["year"]) else None
    if m_start < m.start(names["day"]):
        # "Oct. 5-7, 2025": "Oct. 5" and "7" (with the year when written)
        first = (m.start(), m.end(names["day"]))
        second = (m.start(names["day2"]), y_end or m.end(names["day2"]))
    else:
        # "10-12 October 2013": "10" and "12 October 2013"
        first = (m.start(names["day"]), m.end(names["day"]))
        second = (m.start(names["day2"]), y_end or m_end)
    yield Candidate(first[0], first[1], rule.name, E.CalDate(year, month, d1))
    yield Candidate(second[0], second[1], rule.name, E.CalDate(year, month, d2))


def _duration_pair(m: re.Match[str], rule: Any, tables: Tables) -> Iterator[Candidate]:
    """ "between 6 and 9 months" names two lengths, the unit written once:
    "6" (six months) and "9 months"."""
    names = dict(rule.groups)
    unit = tables["units"].get(norm(m.group(names["unit"])))
    lo = number(m.group(names["num"]), tables)
    hi = number(m.group(names["num_hi"]), tables)
    if unit is None or hi is None or hi <= 0:
        return
    if m.string[m.end() : m.end() + 8].lstrip().lower().startswith(("old", "of age")):
        return  # ages: "children between three and six years old"
    if lo is not None and 0 < lo < hi:
        yield Candidate(
            m.start(names["num"]),
            m.end(names["num"]),
            rule.name,
            E.Duration(duration_value(lo, unit)),
        )
    yield Candidate(
        m.start(names["num_hi"]), m.end(), rule.name, E.Duration(duration_value(hi, unit))
    )


# Operations that name two expressions ("1915-17", "Oct. 5-7", "between 6 and
# 9 months"): one candidate each.
RANGE_OPS: dict[str, Callable[[re.Match[str], Any, Tables], Iterator[Candidate]]] = {
    "year_range": lambda m, rule, _tables: _year_range(m, rule),
    "day_range": _day_range,
    "duration_pair": _duration_pair,
}
