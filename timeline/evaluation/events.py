"""Scoring event attachment against gold TLINKs (``timeline eval --events``).

The measure is the one a user meets: the events the public
:func:`timeline.build` outputs, matched to the gold annotation by character
offsets.  The gold set is every DATE or TIME TIMEX3 that a TLINK ties to an
EVENT in its own sentence; a timex is answered right when ``build()`` output
an event over it whose trigger overlaps one of its linked events.  A timex
``build()`` gives no event for counts as wrong.

TimeML files (``*.tml``: TimeBank, AQUAINT) and CAT XML files (MEANTIME) are
read.  Two baselines are scored on the same dated mentions: the staged
heuristic alone, and the nearest verb in the sentence.
"""

from __future__ import annotations

import bisect
import contextlib
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ..api import build, extract
from ..attach import ranker
from ..attach.heuristic import heuristic
from ..attach.words import is_verb, sentence_bounds, word_spans
from ..io.cat import is_cat_file, read_cat_document
from ..model import Event, Mention

__all__ = [
    "METHODS",
    "EventDoc",
    "EventReport",
    "anchored_mentions",
    "nearest_verb",
    "read_cat_events",
    "read_corpus",
    "read_events",
    "run_events",
    "score_events",
]

_SCORED = frozenset({"DATE", "TIME"})  # the gold timex types scored

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9_]*)([^<>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"([^"]*)"')


@attrs.frozen
class EventDoc:
    """One TimeML document: its text, DCT, events, timexes and TLINK anchors."""

    name: str
    text: str
    dct: str
    events: dict[str, tuple[int, int]]  # eid -> span
    timexes: dict[str, tuple[int, int]]  # tid -> span
    anchors: dict[str, frozenset[str]]  # tid -> linked eids in the same sentence (DATE/TIME only)


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


def read_events(path: str | Path) -> EventDoc:
    """Read text, EVENT and TIMEX3 spans and event-timex TLINKs of a TimeML file."""
    raw = Path(path).read_text("utf-8").replace("\r\n", "\n")
    start = raw.index("<TEXT>") + len("<TEXT>")
    end = raw.index("</TEXT>")
    body = raw[start:end]
    parts: list[str] = []
    offset = 0
    pos = 0
    open_tags: list[tuple[str, dict[str, str], int]] = []
    events: dict[str, tuple[int, int]] = {}
    timexes: dict[str, tuple[int, int]] = {}
    types: dict[str, str] = {}
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos : m.start()])
        parts.append(chunk)
        offset += len(chunk)
        pos = m.end()
        closing, name, rest, selfclose = m.groups()
        if closing:
            for i in range(len(open_tags) - 1, -1, -1):
                if open_tags[i][0] == name:
                    tag, attributes, s = open_tags.pop(i)
                    if tag == "EVENT" and "eid" in attributes:
                        events[attributes["eid"]] = (s, offset)
                    elif tag == "TIMEX3" and "tid" in attributes:
                        timexes[attributes["tid"]] = (s, offset)
                        types[attributes["tid"]] = attributes.get("type", "")
                    break
        elif not selfclose:
            open_tags.append((name, _attrs(rest), offset))
    parts.append(html.unescape(body[pos:]))
    text = "".join(parts)
    dct_match = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct = _attrs(dct_match.group())["value"] if dct_match else ""
    instance: dict[str, str] = {}
    for m in re.finditer(r"<MAKEINSTANCE\b([^>]*)>", raw):
        a = _attrs(m.group(1))
        if "eiid" in a and "eventID" in a:
            instance[a["eiid"]] = a["eventID"]
    links: dict[str, set[str]] = {}
    for m in re.finditer(r"<TLINK\b([^>]*)>", raw):
        a = _attrs(m.group(1))
        eiid = a.get("eventInstanceID")
        tid = a.get("relatedToTime")
        if not (eiid and tid):
            eiid, tid = a.get("relatedToEventInstance"), a.get("timeID")
        if not (eiid and tid) or tid not in timexes or types.get(tid) not in _SCORED:
            continue
        eid = instance.get(eiid)
        if eid is None or eid not in events:
            continue
        ts, te = timexes[tid]
        ss, se = sentence_bounds(text, ts, te)
        es, ee = events[eid]
        if ss <= es and ee <= se:
            links.setdefault(tid, set()).add(eid)
    anchors = {tid: frozenset(eids) for tid, eids in links.items()}
    return EventDoc(Path(path).stem, text, dct, events, timexes, anchors)


def read_cat_events(path: str | Path) -> EventDoc:
    """Read a CAT XML document (MEANTIME): the text rebuilt from its tokens,
    EVENT_MENTION and TIMEX3 spans, and the TLINKs between a DATE or TIME
    timex and an event mention of the same sentence (the creation time is
    not scored)."""
    p = Path(path)
    doc = read_cat_document(p, detokenize=True)
    root = ET.parse(p).getroot()  # read_cat_document has parsed it once already
    by_id = {t.t_id: t for t in doc.tokens.tokens}

    def span(element: ET.Element) -> tuple[tuple[int, int], int] | None:
        found = (by_id.get(a.get("t_id", "")) for a in element.iter("token_anchor"))
        toks = [t for t in found if t is not None]
        if not toks:
            return None
        return (min(t.start for t in toks), max(t.end for t in toks)), toks[0].sentence

    events: dict[str, tuple[int, int]] = {}
    timexes: dict[str, tuple[int, int]] = {}
    sentence: dict[str, int] = {}
    scored: set[str] = set()
    markables = root.find("Markables")
    for m in markables if markables is not None else ():
        got = span(m) if m.tag in ("EVENT_MENTION", "TIMEX3") else None
        if got is None:
            continue
        mid = m.get("m_id", "")
        sentence[mid] = got[1]
        if m.tag == "EVENT_MENTION":
            events[mid] = got[0]
        else:
            timexes[mid] = got[0]
            if (m.get("type") or "") in _SCORED and (
                m.get("functionInDocument") or ""
            ).upper() != "CREATION_TIME":
                scored.add(mid)
    links: dict[str, set[str]] = {}
    for link in root.iter("TLINK"):
        source, target = link.find("source"), link.find("target")
        if source is None or target is None:
            continue
        a, b = source.get("m_id", ""), target.get("m_id", "")
        for tid, eid in ((a, b), (b, a)):
            if tid in scored and eid in events and sentence[tid] == sentence[eid]:
                links.setdefault(tid, set()).add(eid)
    anchors = {tid: frozenset(eids) for tid, eids in links.items()}
    return EventDoc(p.stem, doc.text, doc.dct, events, timexes, anchors)


def read_corpus(corpus_dir: str | Path) -> tuple[list[EventDoc], list[str]]:
    """Every TimeML (``*.tml``) and CAT XML (``*.xml``) document under a
    directory (once per file name), and a message for each file that could
    not be read."""
    docs: list[EventDoc] = []
    failed: list[str] = []
    names: set[str] = set()
    root = Path(corpus_dir)
    for p in sorted([*root.rglob("*.tml"), *root.rglob("*.xml")]):
        if p.stem in names:
            continue  # one annotation layer per document (MEANTIME ships two)
        try:
            if p.suffix == ".tml":
                docs.append(read_events(p))
            elif is_cat_file(p):
                docs.append(read_cat_events(p))
            else:
                continue
        except (ValueError, OSError, KeyError, ET.ParseError) as exc:
            failed.append(f"{p}: {exc}")
            continue
        names.add(p.stem)
    return docs, failed


@attrs.frozen
class EventReport:
    """How many anchored timexes got a trigger that is one of their linked events."""

    anchored: int
    found: int  # anchored timexes that build() output an event for
    correct: int
    errors: tuple[tuple[str, str, str, str], ...]  # doc, timex text, our trigger, gold triggers

    @property
    def share(self) -> float:
        return self.correct / self.anchored if self.anchored else 0.0


def anchored_mentions(doc: EventDoc) -> Iterator[tuple[str, frozenset[str], Mention | None]]:
    """Each anchored timex of a document (none without a DCT): its id, its
    linked event ids, and the mention :func:`timeline.extract` found over it
    (None when it found none)."""
    if not doc.anchors or not doc.dct:
        return
    mentions = extract(doc.text, doc.dct[:10])
    for tid, eids in sorted(doc.anchors.items()):
        ts, te = doc.timexes[tid]
        yield tid, eids, next((m for m in mentions if m.start < te and ts < m.end), None)


def nearest_verb(text: str, mention: Mention) -> tuple[int, str] | None:
    """The baseline: the word nearest the date in its sentence that reads as a
    verb (the left one on ties)."""
    s, e = sentence_bounds(text, mention.start, mention.end)
    words = word_spans(text, s, e)
    n = bisect.bisect_left([o for o, _ in words], mention.start)
    after = bisect.bisect_left([o for o, _ in words], mention.end)
    best: tuple[int, int] | None = None
    for i in range(len(words)):
        if n <= i < after or not is_verb(words, i):
            continue
        d = n - i if i < n else i - after + 1
        if best is None or d < best[0]:
            best = (d, i)
    return None if best is None else words[best[1]]


METHODS = ("build", "heuristic", "nearest-verb")


def _pick(method: str, text: str, event: Event) -> tuple[int, str] | None:
    if method == "build":
        if event.trigger is None or event.trigger_start is None:
            return None
        return event.trigger_start, event.trigger
    assert event.mention is not None
    if method == "heuristic":
        return heuristic(text, event.mention)
    return nearest_verb(text, event.mention)


def score_events(
    docs: Iterable[EventDoc],
    *,
    model: ranker.Model | None = None,
    methods: tuple[str, ...] = ("build",),
) -> dict[str, EventReport]:
    """Score the events :func:`timeline.build` outputs against the TLINK
    anchors, for each method: ``build`` (its own triggers), ``heuristic``
    and ``nearest-verb`` (the baselines' triggers for the same dated
    mentions).  ``model`` replaces the shipped attachment model (per-fold
    held-out scoring)."""
    counts = {m: [0, 0, 0] for m in methods}
    errors: dict[str, list[tuple[str, str, str, str]]] = {m: [] for m in methods}
    scope = ranker.using(model) if model is not None else contextlib.nullcontext()
    with scope:
        for doc in docs:
            if not doc.anchors:
                continue
            for m in methods:
                counts[m][0] += len(doc.anchors)
            if not doc.dct:
                continue
            try:
                events = [e for e in build(doc.text, doc.dct[:10], document=doc.name) if e.dated]
            except ValueError:
                continue  # an unreadable creation time costs this document only
            for tid, eids in sorted(doc.anchors.items()):
                ts, te = doc.timexes[tid]
                event = next(
                    (
                        e
                        for e in events
                        if e.mention is not None and e.mention.start < te and ts < e.mention.end
                    ),
                    None,
                )
                gold = [doc.events[eid] for eid in eids]
                for m in methods:
                    pick = None if event is None else _pick(m, doc.text, event)
                    if event is not None:
                        counts[m][1] += 1
                    if pick is not None and any(
                        gs < pick[0] + len(pick[1]) and pick[0] < ge for gs, ge in gold
                    ):
                        counts[m][2] += 1
                    else:
                        gold_words = ", ".join(doc.text[gs:ge] for gs, ge in gold)
                        ours = "" if pick is None else pick[1]
                        errors[m].append((doc.name, doc.text[ts:te], ours, gold_words))
    return {
        m: EventReport(counts[m][0], counts[m][1], counts[m][2], tuple(errors[m])) for m in methods
    }


def run_events(corpus_dir: str | Path, *, errors: bool = False) -> tuple[str, int]:
    """The ``timeline eval --events`` report.

    The headline is held out: on documents the shipped model never saw, the
    share measured here; on documents it was trained on, the share measured
    the same way with models retrained per fold (``bench/train_attach.py``
    records it in the weights), and the in-sample share follows, labelled.
    """
    docs, failed = read_corpus(corpus_dir)
    if not docs:
        return f"no TimeML or CAT documents under {corpus_dir}", 2
    reports = score_events(docs, methods=METHODS)
    report = reports["build"]
    model = ranker.load()
    seen = sum(1 for d in docs if d.name in model.documents)
    lines = [
        "event attachment: the events timeline.build() outputs, matched to gold by offsets,",
        "over every gold DATE/TIME timex that a TLINK ties to an event in its sentence",
        f"documents {len(docs)}   anchored timexes {report.anchored}   "
        f"dated by build() {report.found}   attached to a linked event {report.correct}",
    ]
    if seen == 0:
        lines.append(f"share {report.share:.3f}  (held out: the shipped model saw none of these)")
    else:
        lines.append("held out (bench/train_attach.py, this measure, models retrained per fold):")
        lines.extend(f"  {name}: {figure}" for name, figure in sorted(model.held_out.items()))
        if not model.held_out:
            lines.append("  not recorded")
        lines.append(
            f"in-sample share {report.share:.3f}  (the shipped model was trained on {seen} "
            f"of these {len(docs)} documents: not a figure to expect on new text)"
        )
    lines.append(
        f"baselines on the same dated mentions: heuristic alone {reports['heuristic'].share:.3f}"
        f", nearest verb {reports['nearest-verb'].share:.3f}"
    )
    if errors:
        lines.append("")
        lines.append(f"wrong attachments ({len(report.errors)})")
        lines.extend(
            f"  {d}: {t!r} -> ours {o or '(no event)'!r}, gold {g!r}"
            for d, t, o, g in report.errors
        )
    if failed:
        lines.append("")
        lines.append("failed files")
        lines.extend(f"  {f}" for f in failed)
    return "\n".join(lines) + "\n", 1 if failed else 0
