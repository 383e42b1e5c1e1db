"""Scoring entity timelines against SemEval-2015 Task 4 gold timelines.

Four scores compare a system timeline with the gold one (:func:`score`):

* ``mentions``: precision / recall / F1 of the event mentions;
* ``pairs``: the same over (mention, date) pairs;
* ``relations``: over the before / simultaneous relations between every two
  ordered mentions, read off ``ORDER``;
* ``awareness``: the task's official measure, re-implemented from the task's
  scorer (``timeline-evaluation`` in ``newsreader/evaluation``): each
  timeline becomes a graph (each mention SIMULTANEOUS with its date,
  consecutive mentions BEFORE or SIMULTANEOUS), the graph is reduced, and a
  relation counts when the other side states it or its closure implies it
  (UzZaman and Allen's temporal awareness).  ``ORDER`` 0 lines are left out,
  as the official scorer does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..io.cat import is_cat_file
from ..io.semeval import (
    _DEFAULT_SETTINGS,
    UNDATED,
    Settings,
    TimelineLine,
    baseline_timeline,
    entity_timeline,
    format_timeline,
    read_documents,
    read_timeline,
    timeline_file_name,
    unreadable_dct_notes,
)

__all__ = [
    "HeldOut",
    "Report",
    "Scores",
    "TimelineScore",
    "eval_main",
    "format_report",
    "leave_one_out_main",
    "leave_one_timeline_out",
    "locate",
    "run",
    "score",
    "setting_variants",
    "temporal_awareness",
    "write_timelines",
]


@attrs.frozen
class Scores:
    """Matched counts on both sides and totals, with precision, recall and F1.

    ``system_matched`` of ``system`` items were right (precision) and
    ``gold_matched`` of ``gold`` items were found (recall); the two differ
    for the graph measure, where each side is checked against the other's
    closure.
    """

    system_matched: int = 0
    system: int = 0
    gold_matched: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.system_matched / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.system_matched + other.system_matched,
            self.system + other.system,
            self.gold_matched + other.gold_matched,
            self.gold + other.gold,
        )


def _mention_key(mention: str) -> str:
    """Mentions compare case-insensitively (the gold has ``16900-2-pre-orders``
    for the token ``Pre-orders``); the official script compares them as written."""
    return mention.strip().lower()


def _normal_date(date: str) -> str:
    """``XXX-XX-XX`` (a gold typo) and ``XXXX-XX-XX`` are undated; trailing
    unknown parts go (``2008-03-XX`` is ``2008-03``)."""
    d = date.strip()
    if d.upper().startswith("X"):
        return UNDATED
    while d.upper().endswith("-XX"):
        d = d[:-3]
    return d


def _set_scores(system: set[Any], gold: set[Any]) -> Scores:
    hit = len(system & gold)
    return Scores(hit, len(system), hit, len(gold))


def _flatten(lines: Iterable[TimelineLine]) -> list[tuple[int, str, str]]:
    """``(order, normalised date, mention key)`` for every mention."""
    return [
        (line.order, _normal_date(line.date), _mention_key(m))
        for line in lines
        for m in line.mentions
    ]


def _relations(lines: Iterable[TimelineLine]) -> set[tuple[str, str, str]]:
    """Before / simultaneous between every two ordered (ORDER > 0) mentions, each
    unordered pair once, written with the smaller key first."""
    flat = sorted({(o, m) for o, _, m in _flatten(lines) if o > 0}, key=lambda x: x[1])
    out: set[tuple[str, str, str]] = set()
    for i, (oa, a) in enumerate(flat):
        for ob, b in flat[i + 1 :]:
            if a == b:
                continue
            rel = "=" if oa == ob else "<" if oa < ob else ">"
            out.add((a, b, rel))
    return out


@attrs.frozen
class TimelineScore:
    """All measures for one entity timeline (see the module docstring)."""

    entity: str
    mentions: Scores
    pairs: Scores
    relations: Scores
    awareness: Scores

    def __add__(self, other: TimelineScore) -> TimelineScore:
        return TimelineScore(
            "all",
            self.mentions + other.mentions,
            self.pairs + other.pairs,
            self.relations + other.relations,
            self.awareness + other.awareness,
        )


def score(
    system: Sequence[TimelineLine], gold: Sequence[TimelineLine], entity: str = ""
) -> TimelineScore:
    """Score one system timeline against the gold one.

    ``mentions`` and ``pairs`` count every line, ``ORDER`` 0 included;
    ``relations`` and ``awareness`` only the ordered lines.
    """
    sys_flat, gold_flat = _flatten(system), _flatten(gold)
    return TimelineScore(
        entity,
        _set_scores({m for _, _, m in sys_flat}, {m for _, _, m in gold_flat}),
        _set_scores({(m, d) for _, d, m in sys_flat}, {(m, d) for _, d, m in gold_flat}),
        _set_scores(_relations(system), _relations(gold)),
        temporal_awareness(system, gold),
    )


_Node = tuple[str, str, int]  # ("e", mention, occurrence) or ("t", date, 0)


_Rel = tuple[_Node, _Node, str]  # relation: "BEFORE" or "SIMULTANEOUS"


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def _graph_input(lines: Sequence[TimelineLine]) -> list[_Rel]:
    """The relations the official script writes for a timeline: lines with
    ORDER 0 dropped, the rest sorted as text in natural order; each mention
    SIMULTANEOUS with its date, then each mention BEFORE (ORDER grows) or
    SIMULTANEOUS with the next one."""
    rows = [ln for ln in lines if ln.order != 0]
    rows.sort(key=lambda ln: _natural("\t".join([str(ln.order), ln.date, *ln.mentions])))
    seen: dict[str, int] = {}
    events: list[tuple[_Node, int]] = []
    rels: list[_Rel] = []
    for ln in rows:
        for m in ln.mentions:
            key = _mention_key(m)
            node: _Node = ("e", key, seen.get(key, 0))
            seen[key] = node[2] + 1
            events.append((node, ln.order))
            rels.append((node, ("t", ln.date.strip(), 0), "SIMULTANEOUS"))
    for (a, oa), (b, ob) in zip(events, events[1:], strict=False):
        rels.append((a, b, "BEFORE" if oa < ob else "SIMULTANEOUS"))
    unique: dict[_Rel, None] = dict.fromkeys(rels)
    return list(unique)


class _TimeGraph:
    """Intervals related by BEFORE and SIMULTANEOUS: simultaneous nodes share a
    class (union-find) and BEFORE edges join classes; the closure is
    reachability.  Relations are added in order, as in the TempEval-3 tool:
    one the graph already implies is left out of the reduced graph, one that
    contradicts it is kept aside as a violation and not added."""

    def __init__(self, relations: Iterable[_Rel]) -> None:
        self.parent: dict[_Node, _Node] = {}
        self.after: dict[_Node, set[_Node]] = {}
        self.reduced: list[_Rel] = []
        self.violated: list[_Rel] = []
        for rel in relations:
            self._add(rel)

    def _find(self, x: _Node) -> _Node:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def _reach(self, a: _Node, b: _Node) -> bool:
        """True when class ``a`` is before class ``b``."""
        todo = [a]
        seen = {a}
        while todo:
            x = todo.pop()
            for y in self.after.get(x, ()):
                y = self._find(y)
                if y == b:
                    return True
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return False

    def relation(self, x: _Node, y: _Node) -> str | None:
        """``"SIMULTANEOUS"``, ``"BEFORE"``, ``"AFTER"`` or None (unknown)."""
        if x not in self.parent or y not in self.parent:
            return None
        a, b = self._find(x), self._find(y)
        if a == b:
            return "SIMULTANEOUS"
        if self._reach(a, b):
            return "BEFORE"
        if self._reach(b, a):
            return "AFTER"
        return None

    def _add(self, rel: _Rel) -> None:
        x, y, kind = rel
        known = self.relation(x, y)
        if known == kind:
            return  # implied: not part of the reduced graph
        if known is not None or (x == y and kind != "SIMULTANEOUS"):
            self.violated.append(rel)
            return
        for n in (x, y):
            self.parent.setdefault(n, n)
        a, b = self._find(x), self._find(y)
        if kind == "BEFORE":
            self.after.setdefault(a, set()).add(b)
        else:
            self.parent[b] = a
            self.after.setdefault(a, set()).update(self.after.pop(b, set()))
        self.reduced.append(rel)

    @property
    def final(self) -> list[_Rel]:
        """The relations scored: the reduced graph plus the violations."""
        return self.reduced + self.violated

    def implies(self, rel: _Rel) -> bool:
        return self.relation(rel[0], rel[1]) == rel[2]


def _literal(relations: Iterable[_Rel]) -> set[_Rel]:
    out: set[_Rel] = set()
    for x, y, kind in relations:
        out.add((x, y, kind))
        out.add((y, x, "AFTER" if kind == "BEFORE" else kind))
    return out


def temporal_awareness(system: Sequence[TimelineLine], gold: Sequence[TimelineLine]) -> Scores:
    """The official TimeLine measure, re-implemented (temporal awareness).

    Each timeline becomes a graph (see :func:`_graph_input`); a relation of
    one side's reduced graph is matched when the other side states it or its
    closure implies it.  Precision runs over the system's reduced relations,
    recall over the gold's.  Dates are compared as written, mentions
    case-insensitively.
    """
    sys_input, gold_input = _graph_input(system), _graph_input(gold)
    sys_graph, gold_graph = _TimeGraph(sys_input), _TimeGraph(gold_input)
    sys_literal, gold_literal = _literal(sys_input), _literal(gold_input)
    sys_final, gold_final = sys_graph.final, gold_graph.final
    p = sum(1 for r in sys_final if r in gold_literal or gold_graph.implies(r))
    r = sum(1 for g in gold_final if g in sys_literal or sys_graph.implies(g))
    return Scores(p, len(sys_final), r, len(gold_final))


@attrs.frozen
class Report:
    """Scores per entity and summed over entities (micro average)."""

    entities: tuple[TimelineScore, ...]
    documents: int
    timelines_dir: str
    documents_dir: str
    systems: tuple[tuple[str, tuple[TimelineLine, ...]], ...] = ()
    notes: tuple[str, ...] = ()
    baseline: tuple[TimelineScore, ...] = ()  # the trivial baseline, per entity

    @property
    def overall(self) -> TimelineScore:
        total = TimelineScore("all", Scores(), Scores(), Scores(), Scores())
        for s in self.entities:
            total = total + s
        return total


def _is_timeline_file(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8-sig").splitlines()[:2]
    except (OSError, UnicodeDecodeError):
        return False
    return len(head) == 2 and re.match(r"\d+\t[^\t]+\t\S", head[1]) is not None


def locate(corpus_dir: str | Path) -> tuple[Path, Path]:
    """The gold timelines directory and the CAT documents directory.

    ``corpus_dir`` may be the timelines directory itself (the documents are
    then looked for beside it) or a directory holding both, as the trial
    release does.  Of several CAT directories the raw track-A one (whose name
    does not mention events or TimeML) is preferred.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise ValueError(f"{root}: not a directory")
    if any(_is_timeline_file(p) for p in root.glob("*.txt")):
        timelines, search = root, root.parent
    else:
        found = sorted(
            d
            for d in root.rglob("*")
            if d.is_dir() and any(map(_is_timeline_file, d.glob("*.txt")))
        )
        if not found:
            raise ValueError(
                f"{root}: no timeline files (*.txt: entity, then ORDER<TAB>DATE<TAB>...)"
            )
        timelines, search = found[0], root
    dirs = sorted(
        {p.parent for p in search.rglob("*.xml") if is_cat_file(p)},
        key=lambda d: (bool(re.search(r"event|timeml", d.name, re.IGNORECASE)), str(d)),
    )
    if not dirs:
        raise ValueError(f"{search}: no CAT XML documents found")
    return timelines, dirs[0]


def run(
    corpus_dir: str | Path,
    entity: str | None = None,
    *,
    settings: Settings | None = None,
    include_undated: bool = True,
) -> Report:
    """Build and score the timeline of every gold entity (or only ``entity``,
    matched against the file name or the first line, case-insensitively)."""
    timelines_dir, documents_dir = locate(corpus_dir)
    opts = settings or _DEFAULT_SETTINGS
    docs = read_documents(sorted(p for p in documents_dir.glob("*.xml") if is_cat_file(p)), opts)
    known = {d.doc_id for d in docs}
    notes: list[str] = unreadable_dct_notes(docs)
    scores: list[TimelineScore] = []
    baseline: list[TimelineScore] = []
    systems: list[tuple[str, tuple[TimelineLine, ...]]] = []
    wanted = _entity_name(entity) if entity else None
    for path in sorted(timelines_dir.glob("*.txt")):
        if not _is_timeline_file(path):
            continue
        name, gold = read_timeline(path)
        if wanted and wanted not in (_entity_name(name), _entity_name(path.stem)):
            continue
        missing = sorted({m for ln in gold for m in ln.mentions if m.split("-", 1)[0] not in known})
        if missing:
            notes.append(f"{path.name}: gold mentions of unknown documents: {', '.join(missing)}")
        system = entity_timeline(docs, name, include_undated=include_undated, settings=opts)
        scores.append(score(system, gold, name))
        systems.append((name, tuple(system)))
        baseline.append(score(baseline_timeline(docs, name), gold, name))
    if wanted and not scores:
        raise ValueError(f"no gold timeline for entity {entity!r} in {timelines_dir}")
    return Report(
        tuple(scores),
        len(docs),
        str(timelines_dir),
        str(documents_dir),
        tuple(systems),
        tuple(notes),
        tuple(baseline),
    )


def _entity_name(name: str) -> str:
    return " ".join(re.split(r"[\s_]+", name.strip().lower()))


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_report(report: Report, fmt: str = "text") -> str:
    """The report as a text table or as JSON."""
    rows = [*report.entities, report.overall]
    if fmt == "json":

        def prf(s: Scores) -> dict[str, Any]:
            return {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "system_matched": s.system_matched,
                "system": s.system,
                "gold_matched": s.gold_matched,
                "gold": s.gold,
            }

        data = {
            "timelines": report.timelines_dir,
            "documents": report.documents_dir,
            "document_count": report.documents,
            "entities": [
                {
                    "entity": s.entity,
                    "awareness": prf(s.awareness),
                    "mentions": prf(s.mentions),
                    "pairs": prf(s.pairs),
                    "relations": prf(s.relations),
                }
                for s in rows
            ],
            "notes": list(report.notes),
            "baseline": {
                "description": "every verb-like word of the sentences naming the entity, "
                "dated by the publish date",
                "entities": [
                    {"entity": b.entity, "awareness": prf(b.awareness)} for b in report.baseline
                ],
            },
        }
        return json.dumps(data, indent=2) + "\n"
    width = max(len(s.entity) for s in rows)
    out = [
        f"SemEval-2015 Task 4 track A: {len(report.entities)} "
        f"timeline{'' if len(report.entities) == 1 else 's'}, "
        f"{report.documents} documents ({report.documents_dir})",
        f"{'entity':<{width}}  {'awareness (official) P/R/F1':>27}  {'mentions P/R/F1':>17}  "
        f"{'mention+date P/R/F1':>19}  {'relations P/R/F1':>17}",
    ]
    for s in rows:
        cells = []
        for sc, w in ((s.awareness, 27), (s.mentions, 17), (s.pairs, 19), (s.relations, 17)):
            cells.append(f"{_pct(sc.precision)}/{_pct(sc.recall)}/{_pct(sc.f1)}".rjust(w))
        out.append(f"{s.entity:<{width}}  " + "  ".join(cells))
    if report.baseline:
        total = TimelineScore("all", Scores(), Scores(), Scores(), Scores())
        for b in report.baseline:
            total = total + b
        cells = []
        for sc, w in (
            (total.awareness, 27),
            (total.mentions, 17),
            (total.pairs, 19),
            (total.relations, 17),
        ):
            cells.append(f"{_pct(sc.precision)}/{_pct(sc.recall)}/{_pct(sc.f1)}".rjust(w))
        label = "baseline"
        out.append(f"{label:<{width}}  " + "  ".join(cells))
        out.append(
            "(baseline: every verb-like word of the sentences naming the entity, "
            "dated by the publish date)"
        )
    out.extend(f"note: {n}" for n in report.notes)
    return "\n".join(out) + "\n"


def write_timelines(report: Report, directory: str | Path) -> list[Path]:
    """Write the system timelines of a report, one file per entity, named as
    the task names them, so the official scorer can be run on them."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for entity, lines in report.systems:
        path = out / timeline_file_name(entity)
        path.write_text(format_timeline(entity, lines), encoding="utf-8")
        written.append(path)
    return written


def eval_main(
    corpus_dir: str,
    entity: str | None = None,
    fmt: str = "text",
    output_dir: str | None = None,
) -> tuple[str, int]:
    """``timeline eval --timelines DIR``: the report text and the exit code
    (0, or 1 when the corpus could not be read or the output not written).
    With ``output_dir`` the system timelines are written there too."""
    try:
        report = run(corpus_dir, entity)
    except (OSError, ValueError) as exc:
        return f"timeline eval: {exc}\n", 1
    if output_dir is not None:
        try:
            write_timelines(report, output_dir)
        except OSError as exc:
            return f"timeline eval: {output_dir}: cannot write: {exc}\n", 1
    return format_report(report, fmt), 0


def setting_variants(base: Settings | None = None) -> list[tuple[str, Settings]]:
    """The settings a leave-one-timeline-out selection chooses among: the
    defaults, and each setting changed alone."""
    b = base or _DEFAULT_SETTINGS
    out = [("defaults", b)]
    flags = (
        "verbs",
        "library_triggers",
        "attributive",
        "anchor_published",
        "lead_date",
        "carry",
        "skip_header",
        "detokenize",
    )
    for name in flags:
        change: dict[str, Any] = {name: not getattr(b, name)}
        out.append((f"{name}={change[name]}", attrs.evolve(b, **change)))
    for window in (3, 8, None):
        if window != b.window:
            out.append((f"window={window}", attrs.evolve(b, window=window)))
    other = "nearest" if b.date_choice == "finest" else "finest"
    out.append((f"date_choice={other}", attrs.evolve(b, date_choice=other)))
    return out


@attrs.frozen
class HeldOut:
    """A leave-one-timeline-out selection: for each timeline, the setting
    chosen on the others and its score on it; summed over timelines."""

    chosen: tuple[tuple[str, str], ...]  # entity, setting name
    held_out: TimelineScore
    in_sample: TimelineScore  # the defaults, scored on every timeline


def leave_one_timeline_out(
    corpus_dir: str | Path, variants: Sequence[tuple[str, Settings]] | None = None
) -> HeldOut:
    """Choose the setting for each timeline on the other timelines (the
    official awareness F1, micro-averaged) and score it on that timeline:
    the held-out figure for settings tuned on a small trial set."""
    options = list(variants or setting_variants())
    table = [run(corpus_dir, settings=st).entities for _name, st in options]
    entities = [s.entity for s in table[0]]
    empty = TimelineScore("all", Scores(), Scores(), Scores(), Scores())
    chosen: list[tuple[str, str]] = []
    held = empty

    def rest_f1(row: Sequence[TimelineScore], k: int) -> float:
        total = empty
        for j, sc in enumerate(row):
            if j != k:
                total = total + sc
        return total.awareness.f1

    for k, entity in enumerate(entities):
        best = max(range(len(options)), key=lambda i: rest_f1(table[i], k))  # first on ties
        chosen.append((entity, options[best][0]))
        held = held + table[best][k]
    in_sample = empty
    for sc in table[0]:
        in_sample = in_sample + sc
    return HeldOut(tuple(chosen), held, in_sample)


def leave_one_out_main(corpus_dir: str) -> tuple[str, int]:
    """``timeline eval --timelines DIR --leave-one-out``: the held-out figure of
    the settings and which setting each timeline's selection chose."""
    try:
        result = leave_one_timeline_out(corpus_dir)
    except (OSError, ValueError) as exc:
        return f"timeline eval: {exc}\n", 1
    held, fixed = result.held_out.awareness, result.in_sample.awareness
    out = [
        "settings chosen by leave-one-timeline-out (official awareness, micro-averaged)",
        *(f"  {entity}: {name}" for entity, name in result.chosen),
        f"held out   P/R/F1 {_pct(held.precision)}/{_pct(held.recall)}/{_pct(held.f1)}",
        f"defaults   P/R/F1 {_pct(fixed.precision)}/{_pct(fixed.recall)}/{_pct(fixed.f1)}"
        "  (in-sample: the defaults were chosen on these timelines)",
    ]
    return "\n".join(out) + "\n", 0
