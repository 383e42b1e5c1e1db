"""TempEval-3 style evaluation of temporal expression extraction and normalisation.

The module reads gold-annotated corpora, runs an extractor over every document
and scores the output the way TempEval-3 (UzZaman et al., 2013) scored task A:

* **strict** match: the system and gold spans are identical (after stripping
  surrounding whitespace from both);
* **relaxed** match: the spans overlap; matches are one to one, pairs with the
  largest overlap are taken first (ties in text order);
* precision, recall and F1 are micro-averaged over all documents;
* type and value *accuracy* are computed over the relaxed matches, and the
  type / value F1 is ``accuracy * relaxed F1`` (the TempEval-3 definition).

The corpora are read by :mod:`timeline.io.timeml`.

The engine is imported lazily (only by :func:`run_eval` when no extractor is
given), so this module stays importable while the engine is being worked on.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..io.timeml import (
    Document,
    DocumentError,
    Timex,
    dct_argument,
    find_documents,
    read_document,
    stripped_span,
)

__all__ = [
    "ErrorItem",
    "ErrorKind",
    "Report",
    "Scores",
    "TypeRow",
    "format_report",
    "run_eval",
    "same_in_other_notation",
    "score",
    "split_of",
]


#: The TIMEX3 types, in the order the per-type breakdown lists them.
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")


Extractor = Callable[[str, str], Sequence[Any]]


@dataclass(frozen=True, slots=True)
class Scores:
    """True positives against the gold and system totals, with P/R/F1."""

    tp: int
    gold: int
    system: int

    @property
    def precision(self) -> float:
        """``tp / system`` (0.0 when the system found nothing)."""
        return _ratio(self.tp, self.system)

    @property
    def recall(self) -> float:
        """``tp / gold`` (0.0 when there is no gold)."""
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class TypeRow:
    """The breakdown for one TIMEX3 type.

    Gold-side counts (``gold``, ``strict``, ``relaxed``, ``type_correct``,
    ``value_correct``) are over gold TIMEX3s of this type; ``system`` and
    ``system_matched`` count system mentions that *claimed* this type.
    """

    type: str
    gold: int
    strict: int
    relaxed: int
    type_correct: int
    value_correct: int
    system: int
    system_matched: int

    @property
    def strict_recall(self) -> float:
        """Share of gold TIMEX3s of this type found with the exact span."""
        return _ratio(self.strict, self.gold)

    @property
    def relaxed_recall(self) -> float:
        """Share of gold TIMEX3s of this type overlapped by a system mention."""
        return _ratio(self.relaxed, self.gold)

    @property
    def relaxed_precision(self) -> float:
        """Share of system mentions typed as this type that overlap a gold."""
        return _ratio(self.system_matched, self.system)

    @property
    def type_accuracy(self) -> float:
        """Share of the relaxed matches of this gold type given the right type."""
        return _ratio(self.type_correct, self.relaxed)

    @property
    def value_accuracy(self) -> float:
        """Share of the relaxed matches of this gold type given the right value."""
        return _ratio(self.value_correct, self.relaxed)


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One error: a ``miss``, a ``spurious`` mention or a wrong ``value``.

    For a miss, the ``system_*`` fields describe an overlapping system mention
    that was matched to another gold TIMEX3, if there is one (and likewise the
    ``gold_*`` fields of a spurious mention).  ``context`` shows the phrase in
    brackets with some surrounding text, whitespace squashed.
    """

    kind: str
    doc: str
    start: int
    end: int
    gold_text: str | None
    gold_type: str | None
    gold_value: str | None
    system_text: str | None
    system_type: str | None
    system_value: str | None
    context: str

    @property
    def phrase(self) -> str:
        """The phrase the error is about (the gold text, or the system text)."""
        if self.kind == "spurious":
            return self.system_text or ""
        return self.gold_text or ""

    def to_dict(self) -> dict[str, Any]:
        """The item as a JSON-ready dict."""
        return {
            "kind": self.kind,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "gold_text": self.gold_text,
            "gold_type": self.gold_type,
            "gold_value": self.gold_value,
            "system_text": self.system_text,
            "system_type": self.system_type,
            "system_value": self.system_value,
            "context": self.context,
        }


@dataclass(frozen=True, slots=True)
class ErrorKind:
    """A group of similar errors: same kind, same normalised phrase."""

    kind: str
    key: str
    count: int
    example: ErrorItem


@dataclass(frozen=True)
class Report:
    """Everything :func:`score` computed; :func:`format_report` renders it.

    ``failures`` lists ``(file, reason)`` for documents that could not be
    read or extracted; ``notes`` holds other remarks (duplicates skipped ...);
    ``ignored`` counts system mentions dropped because they cover an in-text
    creation time, ``unannotated`` those dropped because they lie after the
    annotated part of their document.
    """

    docs: int
    strict: Scores
    relaxed: Scores
    type_correct: int
    value_correct: int
    per_type: tuple[TypeRow, ...]
    misses: tuple[ErrorItem, ...]
    spurious: tuple[ErrorItem, ...]
    wrong_values: tuple[ErrorItem, ...]
    ignored: int = 0
    unannotated: int = 0
    failures: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def gold(self) -> int:
        """Number of gold TIMEX3s."""
        return self.relaxed.gold

    @property
    def system(self) -> int:
        """Number of system mentions scored."""
        return self.relaxed.system

    @property
    def type_accuracy(self) -> float:
        """Correct types among the relaxed matches."""
        return _ratio(self.type_correct, self.relaxed.tp)

    @property
    def value_accuracy(self) -> float:
        """Correct values among the relaxed matches."""
        return _ratio(self.value_correct, self.relaxed.tp)

    @property
    def notation_variants(self) -> int:
        """Wrong values that name the same date in another spelling of it
        (``1968-XX`` for ``1968``, ``2000-W7`` for ``2000-W07``): a measure
        of the gold's notation, not a score (see :func:`same_in_other_notation`)."""
        return sum(
            1
            for item in self.wrong_values
            if same_in_other_notation(item.gold_value or "", item.system_value or "")
        )

    @property
    def type_f1(self) -> float:
        """TempEval-3 type F1: type accuracy times relaxed F1."""
        return self.type_accuracy * self.relaxed.f1

    @property
    def value_f1(self) -> float:
        """TempEval-3 value F1: value accuracy times relaxed F1."""
        return self.value_accuracy * self.relaxed.f1

    def error_kinds(self, limit: int = 15) -> list[ErrorKind]:
        """The most common error groups, keyed by kind and normalised phrase.

        The phrase is lower-cased, whitespace is squashed and every digit
        becomes ``9``, so "in 1998" and "in 2001" fall in one group.
        """
        counts: Counter[tuple[str, str]] = Counter()
        examples: dict[tuple[str, str], ErrorItem] = {}
        for item in (*self.misses, *self.spurious, *self.wrong_values):
            key = (item.kind, _error_key(item.phrase))
            counts[key] += 1
            examples.setdefault(key, item)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [ErrorKind(kind, key, n, examples[(kind, key)]) for (kind, key), n in ranked[:limit]]


# Spellings of one value that corpora use beside the canonical TIMEX3 form.
_YEAR_UNSPECIFIED = re.compile(r"\A(\d{4})(?:-XX)+\Z")


_WEEKDAY_TAIL = re.compile(r"(?<=\d{4}-\d\d-\d\d)-WXX-\d")


_SHORT_WEEK = re.compile(r"-W(\d)(?!\d)")


_HOUR_ONLY = re.compile(r"T(\d\d)\Z")


_DECADE_X = re.compile(r"\A(\d{3})X\Z|\A(\d\d)XX\Z")


def _canonical_notation(value: str) -> str:
    value = _WEEKDAY_TAIL.sub("", value.strip())
    value = _SHORT_WEEK.sub(r"-W0\1", value)
    value = _HOUR_ONLY.sub(r"T\1:00", value)
    m = _DECADE_X.match(value)
    if m:
        value = m.group(1) or m.group(2)
    return _YEAR_UNSPECIFIED.sub(r"\1", value)


def same_in_other_notation(gold: str, ours: str) -> bool:
    """Whether two different TIMEX3 values name the same thing in two
    spellings: ``1968-XX`` or ``1968-XX-XX`` for ``1968``, ``2014-12-12-WXX-5``
    for ``2014-12-12``, ``2000-W7`` for ``2000-W07``, ``1989-11-06T17`` for
    ``1989-11-06T17:00``, ``198X`` for ``198``.

    ```python
    >>> same_in_other_notation("1968-XX", "1968"), same_in_other_notation("2000-W7", "2000-W07")
    (True, True)
    >>> same_in_other_notation("1998-08-04", "1998-W32")
    False

    ```
    """
    if gold.strip() == ours.strip():
        return False
    return _canonical_notation(gold) == _canonical_notation(ours)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


_DIGIT_RE = re.compile(r"\d")


_SPACE_RE = re.compile(r"\s+")


def _error_key(phrase: str) -> str:
    return _DIGIT_RE.sub("9", _SPACE_RE.sub(" ", phrase).strip().lower())


def _as_timex(mention: Any, text: str) -> Timex:
    start = max(0, min(int(mention.start), len(text)))
    end = max(start, min(int(mention.end), len(text)))
    mod = getattr(mention, "mod", None)
    return Timex(
        start,
        end,
        text[start:end],
        str(getattr(mention, "type", "") or "").strip().upper(),
        str(getattr(mention, "value", "") or ""),
        str(mod) if mod else None,
    )


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = _SPACE_RE.sub(" ", text[max(0, start - width) : start]).lstrip()
    mid = _SPACE_RE.sub(" ", text[start:end])
    right = _SPACE_RE.sub(" ", text[end : end + width]).rstrip()
    return f"{left}[{mid}]{right}"


def _match(
    text: str, gold: Sequence[Timex], system: Sequence[Timex]
) -> tuple[dict[int, int], set[int]]:
    """One-to-one matching of gold to system mentions.

    Returns ``(pairs, strict)``: ``pairs`` maps gold index to system index for
    every relaxed match, ``strict`` holds the gold indexes matched exactly.
    Exact (whitespace-stripped) span matches are paired first; the remaining
    overlapping pairs are taken largest overlap first, ties in text order.
    """
    g_spans = [stripped_span(text, g.start, g.end) for g in gold]
    s_spans = [stripped_span(text, s.start, s.end) for s in system]
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_span: dict[tuple[int, int], list[int]] = {}
    for si, span in enumerate(s_spans):
        if span[0] < span[1]:
            by_span.setdefault(span, []).append(si)
    for gi in sorted(range(len(gold)), key=lambda i: g_spans[i]):
        candidates = by_span.get(g_spans[gi])
        if candidates:
            si = candidates.pop(0)
            pairs[gi] = si
            used.add(si)
    strict = set(pairs)
    options: list[tuple[int, int, int, int, int]] = []
    free_sys = sorted((i for i in range(len(system)) if i not in used), key=lambda i: s_spans[i])
    for gi in range(len(gold)):
        if gi in pairs:
            continue
        gs, ge = g_spans[gi]
        for si in free_sys:
            ss, se = s_spans[si]
            if ss >= ge:
                break
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0:
                options.append((-overlap, gs, ss, gi, si))
    options.sort()
    for _, _, _, gi, si in options:
        if gi not in pairs and si not in used:
            pairs[gi] = si
            used.add(si)
    return pairs, strict


def _overlaps(a: Timex, b: Timex) -> bool:
    return a.start < b.end and b.start < a.end


def score(pairs: Iterable[tuple[Document, Sequence[Any]]], *, whole_text: bool = False) -> Report:
    """Score system mentions against the gold of each document.

    ``pairs`` yields ``(document, mentions)``; a mention needs ``start``,
    ``end``, ``type``, ``value`` (and optionally ``mod``) attributes, with
    offsets into ``document.text``.  Figures are micro-averaged over all
    documents; see the module docstring for the matching rules.  System
    mentions that overlap an in-text creation time (``document.dct_span``)
    and no gold TIMEX3 are ignored, and so are those that start after the
    annotated part of a document (``document.annotated_end``) unless
    ``whole_text`` is true.
    """
    docs = n_gold = n_sys = n_strict = n_relaxed = type_ok = value_ok = ignored = 0
    unannotated = 0
    gold_rows: dict[str, list[int]] = {}  # type -> [gold, strict, relaxed, type_ok, value_ok]
    sys_rows: dict[str, list[int]] = {}  # type -> [system, matched]
    misses: list[ErrorItem] = []
    spurious: list[ErrorItem] = []
    wrong: list[ErrorItem] = []
    for doc, mentions in pairs:
        docs += 1
        text = doc.text
        gold = list(doc.gold)
        system = sorted((_as_timex(m, text) for m in mentions), key=lambda t: (t.start, t.end))
        if doc.dct_span is not None:
            dct = Timex(doc.dct_span[0], doc.dct_span[1], "", "", "")
            kept = [
                s for s in system if not _overlaps(s, dct) or any(_overlaps(s, g) for g in gold)
            ]
            ignored += len(system) - len(kept)
            system = kept
        if doc.annotated_end is not None and not whole_text:
            kept = [s for s in system if s.start < doc.annotated_end]
            unannotated += len(system) - len(kept)
            system = kept
        matched, strict = _match(text, gold, system)
        back = {si: gi for gi, si in matched.items()}
        n_gold += len(gold)
        n_sys += len(system)
        n_strict += len(strict)
        n_relaxed += len(matched)
        for gi, g in enumerate(gold):
            row = gold_rows.setdefault(g.type, [0, 0, 0, 0, 0])
            row[0] += 1
            if gi not in matched:
                other = next((s for s in system if _overlaps(s, g)), None)
                misses.append(_error("miss", doc, g, other, g))
                continue
            s = system[matched[gi]]
            row[1] += gi in strict
            row[2] += 1
            if s.type == g.type:
                row[3] += 1
                type_ok += 1
            if s.value.strip() == g.value.strip():
                row[4] += 1
                value_ok += 1
            else:
                wrong.append(_error("value", doc, g, s, g))
        for si, s in enumerate(system):
            srow = sys_rows.setdefault(s.type, [0, 0])
            srow[0] += 1
            if si in back:
                srow[1] += 1
            else:
                other = next((g for g in gold if _overlaps(s, g)), None)
                spurious.append(_error("spurious", doc, other, s, s))
    per_type: list[TypeRow] = []
    order = {t: i for i, t in enumerate(TIMEX_TYPES)}
    for t in sorted(gold_rows.keys() | sys_rows.keys(), key=lambda t: (order.get(t, 99), t)):
        g_row = gold_rows.get(t, [0, 0, 0, 0, 0])
        s_row = sys_rows.get(t, [0, 0])
        per_type.append(TypeRow(t or "(none)", *g_row, *s_row))
    return Report(
        docs=docs,
        strict=Scores(n_strict, n_gold, n_sys),
        relaxed=Scores(n_relaxed, n_gold, n_sys),
        type_correct=type_ok,
        value_correct=value_ok,
        per_type=tuple(per_type),
        misses=tuple(misses),
        spurious=tuple(spurious),
        wrong_values=tuple(wrong),
        ignored=ignored,
        unannotated=unannotated,
    )


def _error(kind: str, doc: Document, g: Timex | None, s: Timex | None, at: Timex) -> ErrorItem:
    return ErrorItem(
        kind=kind,
        doc=doc.name,
        start=at.start,
        end=at.end,
        gold_text=g.text if g else None,
        gold_type=g.type if g else None,
        gold_value=g.value if g else None,
        system_text=s.text if s else None,
        system_type=s.type if s else None,
        system_value=s.value if s else None,
        context=_context(doc.text, at.start, at.end),
    )


def _pct(x: float, den: int = 1) -> str:
    return f"{100 * x:6.2f}" if den else "     -"


def format_report(report: Report, fmt: str = "text", errors: bool = False) -> str:
    """Render a report as an aligned text table or as JSON.

    ``errors=True`` adds the misses, spurious mentions, wrong values and the
    most common error kinds.  Failed files and notes are always included.
    """
    if fmt == "json":
        return json.dumps(_report_dict(report, errors), indent=2, ensure_ascii=False)
    if fmt != "text":
        raise ValueError(f"unknown report format {fmt!r} (expected 'text' or 'json')")
    r = report
    out = [
        "TempEval-3 TIMEX3 evaluation",
        f"documents {r.docs}   gold {r.gold}   system {r.system}"
        + (f"   ignored (DCT) {r.ignored}" if r.ignored else "")
        + (f"   after the annotated text {r.unannotated}" if r.unannotated else "")
        + (f"   failed files {len(r.failures)}" if r.failures else ""),
        "",
        "               P       R      F1   matches",
    ]
    for label, s in (("strict", r.strict), ("relaxed", r.relaxed)):
        out.append(
            f"{label:<9}  {_pct(s.precision, s.system)}  {_pct(s.recall, s.gold)}"
            f"  {_pct(s.f1)}  {s.tp:8d}"
        )
    out += [
        "",
        "          accuracy      F1   correct",
        f"type        {_pct(r.type_accuracy, r.relaxed.tp)}  {_pct(r.type_f1)}"
        f"  {r.type_correct:8d}",
        f"value       {_pct(r.value_accuracy, r.relaxed.tp)}  {_pct(r.value_f1)}"
        f"  {r.value_correct:8d}",
    ]
    if r.notation_variants:
        out.append(
            f"  ({r.notation_variants} of the wrong values give the same year, week or day in"
            " another notation, e.g. 1968-XX for 1968; they count as wrong)"
        )
    out += [
        "",
        "per type      gold  strict R  relaxed R  type acc  value acc    system  relaxed P",
    ]
    for row in r.per_type:
        out.append(
            f"{row.type:<10} {row.gold:7d}    {_pct(row.strict_recall, row.gold)}"
            f"     {_pct(row.relaxed_recall, row.gold)}    {_pct(row.type_accuracy, row.relaxed)}"
            f"     {_pct(row.value_accuracy, row.relaxed)}   {row.system:7d}"
            f"     {_pct(row.relaxed_precision, row.system)}"
        )
    if errors:
        out += _error_lines("misses", r.misses)
        out += _error_lines("spurious", r.spurious)
        out += _error_lines("wrong values", r.wrong_values)
        kinds = r.error_kinds()
        out += ["", f"most common errors (top {len(kinds)})"]
        for k in kinds:
            ex = k.example
            detail = f"gold={ex.gold_value or '-'} system={ex.system_value or '-'}"
            out.append(f"  {k.count:5d}  {k.kind:<8}  {k.key!r:<32}  e.g. {ex.doc}: {detail}")
    if r.failures:
        out += ["", f"failed files ({len(r.failures)})"]
        out += [f"  {name}: {reason}" for name, reason in r.failures]
    if r.notes:
        out += ["", "notes"]
        out += [f"  {note}" for note in r.notes]
    return "\n".join(out) + "\n"


def _error_lines(title: str, items: Sequence[ErrorItem]) -> list[str]:
    lines = ["", f"{title} ({len(items)})"]
    for e in items:
        if e.kind == "miss":
            what = f"gold {e.gold_text!r} {e.gold_type}={e.gold_value}"
            if e.system_text is not None:
                what += f" (overlaps system {e.system_text!r}, matched elsewhere)"
        elif e.kind == "spurious":
            what = f"system {e.system_text!r} {e.system_type}={e.system_value}"
            if e.gold_text is not None:
                what += f" (overlaps gold {e.gold_text!r}, matched elsewhere)"
        else:
            what = (
                f"gold {e.gold_text!r} {e.gold_value} | system {e.system_text!r} {e.system_value}"
            )
        lines.append(f"  {e.doc}@{e.start}: {what}")
        lines.append(f"      {e.context}")
    return lines


def _report_dict(r: Report, errors: bool) -> dict[str, Any]:
    def prf(s: Scores) -> dict[str, Any]:
        return {
            "precision": round(s.precision, 6),
            "recall": round(s.recall, 6),
            "f1": round(s.f1, 6),
            "matches": s.tp,
        }

    out: dict[str, Any] = {
        "documents": r.docs,
        "gold": r.gold,
        "system": r.system,
        "ignored": r.ignored,
        "unannotated": r.unannotated,
        "strict": prf(r.strict),
        "relaxed": prf(r.relaxed),
        "type": {
            "accuracy": round(r.type_accuracy, 6),
            "f1": round(r.type_f1, 6),
            "correct": r.type_correct,
        },
        "value": {
            "accuracy": round(r.value_accuracy, 6),
            "f1": round(r.value_f1, 6),
            "correct": r.value_correct,
            "notation_variants": r.notation_variants,
        },
        "per_type": {
            row.type: {
                "gold": row.gold,
                "strict": row.strict,
                "relaxed": row.relaxed,
                "strict_recall": round(row.strict_recall, 6),
                "relaxed_recall": round(row.relaxed_recall, 6),
                "type_accuracy": round(row.type_accuracy, 6),
                "value_accuracy": round(row.value_accuracy, 6),
                "system": row.system,
                "system_matched": row.system_matched,
                "relaxed_precision": round(row.relaxed_precision, 6),
            }
            for row in r.per_type
        },
        "failures": [{"file": name, "error": reason} for name, reason in r.failures],
        "notes": list(r.notes),
    }
    if errors:
        out["errors"] = {
            "misses": [e.to_dict() for e in r.misses],
            "spurious": [e.to_dict() for e in r.spurious],
            "wrong_values": [e.to_dict() for e in r.wrong_values],
            "kinds": [
                {"kind": k.kind, "key": k.key, "count": k.count, "example": k.example.to_dict()}
                for k in r.error_kinds()
            ],
        }
    return out


def _default_extractor(domain: str) -> Extractor:
    import timeline  # lazy: keep this module importable while the engine is broken

    options = timeline.Options(domain=domain)  # type: ignore[attr-defined,unused-ignore]

    def extract(text: str, dct: str) -> Sequence[Any]:
        result: Sequence[Any] = timeline.extract(  # type: ignore[attr-defined,unused-ignore]
            text, published=dct, options=options
        )
        return result

    return extract


#: The committed split file (``bench/splits.toml`` of a source checkout).
DEFAULT_SPLITS = Path(__file__).resolve().parents[2] / "bench" / "splits.toml"

SPLITS = ("dev", "test")


def _load_splits(path: Path) -> dict[str, frozenset[str]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read the split file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"the split file {path} is not valid TOML: {exc}") from exc
    out: dict[str, frozenset[str]] = {}
    for key, table in raw.items():
        test = table.get("test") if isinstance(table, dict) else None
        if not isinstance(test, list) or not all(isinstance(t, str) for t in test):
            raise ValueError(f"the split file {path}: [{key}] needs a list of paths `test`")
        out[key.strip("/")] = frozenset(test)
    return out


def split_of(corpus_dir: str | Path, splits: str | Path | None = None) -> frozenset[str] | None:
    """The test documents of ``corpus_dir``, as paths relative to it.

    The split file (``splits``, by default :data:`DEFAULT_SPLITS`) names each
    corpus by its path under the corpora directory (``tbaq-cleaned``,
    ``wikiwars/timeml-syntime``). A folder is matched by where its resolved
    path ends: the corpus itself, a folder inside it (``tbaq-cleaned/AQUAINT``:
    the test documents in it), or a folder that holds it (``wikiwars``: the
    test documents of ``timeml-syntime`` below it, so that no test document
    is scored as dev by pointing one level up). None when the file names no
    corpus there: then every document is dev.
    """
    path = Path(splits) if splits is not None else DEFAULT_SPLITS
    table = _load_splits(path)
    parts = Path(corpus_dir).resolve().parts
    found: set[str] | None = None
    for key, test in table.items():
        kparts = tuple(key.split("/"))
        mine: set[str] | None = None
        # corpus_dir is the corpus (extra 0) or a folder `extra` levels inside it
        for extra in range(len(parts) - len(kparts) + 1):
            if parts[len(parts) - extra - len(kparts) : len(parts) - extra] == kparts:
                inner = "/".join(parts[len(parts) - extra :])
                prefix = inner + "/" if inner else ""
                mine = {t[len(prefix) :] for t in test if t.startswith(prefix)}
                break
        if mine is None:
            # corpus_dir holds the corpus: it ends with the key's first parts
            for keep in range(len(kparts) - 1, 0, -1):
                if parts[-keep:] == kparts[:keep]:
                    below = "/".join(kparts[keep:])
                    mine = {f"{below}/{t}" for t in test}
                    break
        if mine is not None:
            found = (found or set()) | mine
    return None if found is None else frozenset(found)


def _same(a: Document, b: Document) -> bool:
    return a.text == b.text and a.dct == b.dct and a.gold == b.gold


def run_eval(
    corpus_dir: str | Path,
    *,
    domain: str = "auto",
    errors: bool = False,
    fmt: str = "text",
    extractor: Extractor | None = None,
    whole_text: bool = False,
    split: str | None = None,
    splits: str | Path | None = None,
) -> tuple[str, int]:
    """Evaluate an extractor on every document under ``corpus_dir``.

    ``extractor(text, dct)`` returns the mentions for one document; by
    default it is ``timeline.extract`` with ``Options(domain=domain)``.
    Returns ``(report_text, exit_code)``: 0 when every file was scored, 1
    when some files could not be read or extracted (they are named in the
    report; the others are still scored), 2 when there are no documents.

    A document whose file name repeats an earlier one is skipped when its
    content is identical (MEANTIME ships each article in two annotation
    layers) and renamed to its relative path otherwise.

    ``split`` (``"dev"`` or ``"test"``) scores only that part of the corpus,
    as the split file ``splits`` (default: ``bench/splits.toml`` beside the
    package, see :func:`split_of`) lists it; a corpus the file does not name
    is all dev. Raises ValueError for an unknown split or an unreadable file.
    """
    if fmt not in ("text", "json"):
        raise ValueError(f"unknown report format {fmt!r} (expected 'text' or 'json')")
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r} (expected 'dev' or 'test')")
    root = Path(corpus_dir)
    files = find_documents(root) if root.exists() else []
    if split is not None and files:
        test = split_of(root, splits) if root.is_dir() else None
        test = test or frozenset()
        files = [
            p
            for p in files
            if (root.is_dir() and p.relative_to(root).as_posix() in test) == (split == "test")
        ]
    if not files:
        msg = f"no documents (*.tml, CAT/TimeML *.xml) found in {root}"
        if split is not None:
            msg = f"no {split}-split documents (*.tml, CAT/TimeML *.xml) found in {root}"
        if fmt == "json":
            return json.dumps({"error": msg}) + "\n", 2
        return msg + "\n", 2
    if extractor is None:
        extractor = _default_extractor(domain)

    def label(p: Path) -> str:
        return p.relative_to(root).as_posix() if root.is_dir() else p.name

    failures: list[tuple[str, str]] = []
    skipped: list[str] = []
    renamed: list[str] = []
    seen: dict[str, Document] = {}
    pairs: list[tuple[Document, Sequence[Any]]] = []
    for path in files:
        try:
            doc = read_document(path)
        except DocumentError as exc:
            where = label(path) + (f":{exc.line}" if exc.line is not None else "")
            failures.append((where, exc.reason))
            continue
        except OSError as exc:
            failures.append((label(path), f"cannot read: {exc.strerror or exc}"))
            continue
        first = seen.get(doc.name)
        if first is not None:
            if _same(first, doc):
                skipped.append(f"{label(path)} = {label(Path(first.path))}")
                continue
            doc = replace(doc, name=label(path).rsplit(".", 1)[0])
            renamed.append(doc.name)
        seen[doc.name] = doc
        dct = dct_argument(doc.dct)
        if dct is None:
            failures.append((label(path), f"creation time {doc.dct!r} is not a full date"))
            continue
        try:
            mentions = [_as_timex(m, doc.text) for m in extractor(doc.text, dct)]
        except Exception as exc:  # one broken document must not stop the run
            failures.append((label(path), f"extractor failed: {type(exc).__name__}: {exc}"))
            continue
        pairs.append((doc, mentions))
    notes: list[str] = []
    if skipped:
        notes.append(
            f"skipped {len(skipped)} file(s) repeating an earlier document (same name and "
            f"content), e.g. {skipped[0]}"
        )
    if renamed:
        notes.append(
            f"{len(renamed)} document(s) share a file name with an earlier, different one and "
            f"are named by relative path, e.g. {renamed[0]}"
        )
    partial = sum(1 for doc, _ in pairs if doc.annotated_end is not None)
    if partial and not whole_text:
        notes.append(
            f"{partial} document(s) are annotated only up to a point (MEANTIME annotates "
            "the first sentences of each article): system mentions after it are not scored "
            "(--whole-text scores them)"
        )
    report = replace(
        score(pairs, whole_text=whole_text), failures=tuple(failures), notes=tuple(notes)
    )
    return format_report(report, fmt=fmt, errors=errors), 1 if failures else 0
