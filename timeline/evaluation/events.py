"""Scoring event attachment against TimeBank's TLINKs (``timeline eval --events``).

For every gold TIMEX3 that a TLINK ties to an EVENT in the same sentence, the
question is whether the trigger this library attached to the date is one of
those linked events.  The share of such timexes answered right is the score.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ..api import extract
from ..attach import ranker
from ..attach.attacher import Tagging, trigger_for
from ..attach.words import sentence_bounds
from ..model import Mention

__all__ = [
    "EventDoc",
    "EventReport",
    "anchored_mentions",
    "read_events",
    "run_events",
    "score_events",
]

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
    anchors: dict[str, frozenset[str]]  # tid -> linked eids in the same sentence


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
        if not (eiid and tid) or tid not in timexes:
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


@attrs.frozen
class EventReport:
    """How many anchored timexes got a trigger that is one of their linked events."""

    anchored: int
    found: int  # anchored timexes that our extractor found and dated an event for
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


def score_events(docs: Iterable[EventDoc]) -> EventReport:
    """Attach events with :func:`timeline.build` and compare with the TLINK anchors."""
    anchored = found = correct = 0
    errors: list[tuple[str, str, str, str]] = []
    for doc in docs:
        tagging = Tagging(doc.text, ranker.load())
        for tid, eids, mention in anchored_mentions(doc):
            anchored += 1
            if mention is None:
                continue
            trigger, t0, _tense = trigger_for(doc.text, mention, tagging)
            if trigger is None or t0 is None:
                continue
            found += 1
            t1 = t0 + len(trigger)
            gold = [doc.events[eid] for eid in eids]
            if any(gs < t1 and t0 < ge for gs, ge in gold):
                correct += 1
            else:
                ts, te = doc.timexes[tid]
                gold_words = ", ".join(doc.text[gs:ge] for gs, ge in gold)
                errors.append((doc.name, doc.text[ts:te], trigger, gold_words))
    return EventReport(anchored, found, correct, tuple(errors))


def run_events(corpus_dir: str | Path, *, errors: bool = False) -> tuple[str, int]:
    """The ``timeline eval --events`` report."""
    paths = sorted(Path(corpus_dir).rglob("*.tml"))
    if not paths:
        return f"no TimeML documents under {corpus_dir}", 2
    docs = []
    failed = []
    for p in paths:
        try:
            docs.append(read_events(p))
        except (ValueError, OSError, KeyError) as exc:
            failed.append(f"{p}: {exc}")
    report = score_events(docs)
    lines = [
        "event attachment against TimeBank TLINKs (same-sentence EVENT-TIMEX3 links)",
        f"documents {len(docs)}   anchored timexes {report.anchored}   "
        f"dated by us {report.found}   attached to a linked event {report.correct}",
        f"share {report.share:.3f}",
    ]
    model = ranker.load()
    if model.trained_on:
        lines.append(
            f"note: the shipped attachment model was trained on {model.trained_on}; on those "
            f"documents this share is in-sample (cross-validated by document: "
            f"{model.cross_validated}; bench/train_attach.py)"
        )
    if errors:
        lines.append("")
        lines.append(f"wrong attachments ({len(report.errors)})")
        lines.extend(f"  {d}: {t!r} -> ours {o!r}, gold {g!r}" for d, t, o, g in report.errors)
    if failed:
        lines.append("")
        lines.append("failed files")
        lines.extend(f"  {f}" for f in failed)
    return "\n".join(lines) + "\n", 1 if failed else 0
