"""The command line: ``timeline dump`` and ``timeline eval``.

Exit codes: 0 when all went well, 1 when some input failed (the others are
still processed and written), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from importlib import resources

from .api import build
from .io.dateline import detect_published
from .io.formats import FORMATS, ArticleResult, render
from .io.inputs import InputDoc, InputError, iter_inputs
from .options import Options, parse_published

__all__ = ["main"]

EXAMPLE_NAME = "<example>"


def example_text() -> str:
    """The built-in example article."""
    return resources.files("timeline").joinpath("data/example.txt").read_text("utf-8")


def _published_for(doc: InputDoc, published: str | None) -> tuple[_dt.date, str]:
    """The publish date: --published, then the source's own, then the dateline."""
    if published is not None:
        return parse_published(published).date(), "option"
    if doc.published is not None:
        return doc.published, doc.published_from or "source"
    found = detect_published(doc.text)
    if found is None:
        raise _Failure(
            f"{doc.id}: no publish date found in the opening lines; "
            "give one with --published YYYY-MM-DD"
        )
    return found, "dateline"


class _Failure(Exception):
    """One input that could not be processed; the message names it."""


def _process(job: tuple[InputDoc, str | None, str, bool, str | None]) -> ArticleResult | str:
    """Build one article's timeline (runs in a worker with --jobs)."""
    doc, published, domain, undated, entity = job
    try:
        day, source = _published_for(doc, published)
    except _Failure as exc:
        return str(exc)
    timeline = build(
        doc.text, day, options=Options(domain=domain), document=doc.id, undated=undated
    )
    if entity:
        timeline = timeline.mentioning(entity)  # --entity: only events naming it
    return ArticleResult(doc.id, day, source, doc.text, timeline)


class _Progress:
    """A one-line progress counter on stderr, only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.on = total > 1 and sys.stderr.isatty()
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.on:
            sys.stderr.write(f"\rtimeline: {self.done}/{self.total} articles")
            sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\n")


def _write_atomic(path: str, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".timeline-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _emit(content: str, output: str | None) -> int:
    if output:
        try:
            _write_atomic(output, content)
        except OSError as exc:
            print(f"timeline: {output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 1
        return 0
    # bytes, so that the CRLF line ends of CSV and iCalendar pass unchanged
    sys.stdout.buffer.write(content.encode("utf-8"))
    sys.stdout.flush()
    return 0


def _cmd_dump(args: argparse.Namespace) -> int:
    if not args.files and not args.example:
        print(
            "timeline dump: give one or more FILEs or folders, '-' for standard input, or --example",
            file=sys.stderr,
        )
        return 2
    if args.published is not None:
        try:
            parse_published(args.published)
        except ValueError as exc:
            print(f"timeline dump: {exc}", file=sys.stderr)
            return 2
    if args.jobs < 1:
        print("timeline dump: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.format == "semeval":
        return _dump_semeval(args)
    status = 0
    docs: list[InputDoc] = []
    if args.example:
        docs.append(InputDoc(EXAMPLE_NAME, example_text(), None, None))
    for item in iter_inputs(args.files, glob=args.glob):
        if isinstance(item, InputError):
            print(f"timeline: {item}", file=sys.stderr)
            status = 1
            continue
        if item.warning:
            print(f"timeline: {item.warning}", file=sys.stderr)
            status = 1
        docs.append(item)
    jobs = [(d, args.published, args.domain, args.undated, args.entity) for d in docs]
    progress = _Progress(len(jobs))
    results: list[ArticleResult] = []
    outcomes: Iterable[ArticleResult | str]
    if args.jobs > 1 and len(jobs) > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=args.jobs)
        outcomes = pool.map(_process, jobs, chunksize=4)  # keeps input order
    else:
        pool = None
        outcomes = map(_process, jobs)
    try:
        for outcome in outcomes:
            progress.step()
            if isinstance(outcome, str):
                print(f"timeline: {outcome}", file=sys.stderr)
                status = 1
            else:
                results.append(outcome)
    finally:
        progress.close()
        if pool is not None:
            pool.shutdown()
    color = (
        args.format == "text"
        and not args.output
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    content = render(results, args.format, color=color)
    return max(status, _emit(content, args.output))


def _dump_semeval(args: argparse.Namespace) -> int:
    if not args.entity:
        print("timeline dump: --format semeval needs --entity NAME", file=sys.stderr)
        return 2
    from .io.semeval import dump_main

    content, errors, status = dump_main(args.files, args.entity, published=args.published)
    for msg in errors:
        print(f"timeline: {msg}", file=sys.stderr)
    if status == 2:
        return 2
    return max(status, _emit(content, args.output))


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.timelines is not None:
        from .evaluation.semeval import eval_main

        out, code = eval_main(args.timelines, args.entity, fmt=args.format, output_dir=args.write)
        (sys.stdout if code == 0 else sys.stderr).write(out)
        return code
    if args.corpus is None:
        print("timeline eval: give CORPUS_DIR or --timelines DIR", file=sys.stderr)
        return 2
    if args.events:
        from .evaluation.events import run_events

        report, code = run_events(args.corpus, errors=args.errors)
        sys.stdout.write(report)
        return code
    from .evaluation.tempeval import run_eval

    domain = {"narratives": "narrative"}.get(args.domain, args.domain)
    report, code = run_eval(
        args.corpus,
        domain=domain,
        errors=args.errors,
        fmt=args.format,
        whole_text=args.whole_text,
    )
    sys.stdout.write(report if report.endswith("\n") else report + "\n")
    return code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="timeline", description="Temporal expressions in news text, resolved and ordered."
    )
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="print the timeline of one or more articles")
    d.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="text, HTML or JSON Lines files, or folders; '-' reads standard input",
    )
    d.add_argument(
        "--example", action="store_true", help="also run on the built-in example article"
    )
    d.add_argument(
        "--published",
        metavar="DATE",
        help="publish date (ISO 8601); default: the source's own, or the dateline",
    )
    d.add_argument("--format", choices=[*FORMATS, "semeval"], default="text")
    d.add_argument(
        "--glob", default="*", help="in folders, only files whose name matches (default: *)"
    )
    d.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="process N articles in parallel"
    )
    d.add_argument("--domain", choices=["auto", "news", "narrative"], default="auto")
    d.add_argument(
        "--undated",
        action="store_true",
        help="also place undated reported events ('... said') on the publish date",
    )
    d.add_argument(
        "--entity",
        metavar="NAME",
        help="only events whose sentence names NAME (with --format semeval: the target entity)",
    )
    d.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of standard output"
    )
    d.set_defaults(func=_cmd_dump)
    e = sub.add_parser("eval", help="score against TimeML gold (TempEval-3 style)")
    e.add_argument("corpus", metavar="CORPUS_DIR", nargs="?")
    e.add_argument("--domain", choices=["auto", "news", "narrative", "narratives"], default="auto")
    e.add_argument(
        "--errors", action="store_true", help="list every miss, spurious hit and wrong value"
    )
    e.add_argument("--format", choices=["text", "json"], default="text")
    e.add_argument(
        "--whole-text",
        action="store_true",
        help="also score mentions after the annotated part of a partly annotated document "
        "(MEANTIME annotates only each article's first sentences)",
    )
    e.add_argument(
        "--events",
        action="store_true",
        help="score event attachment against the corpus's EVENT-TIMEX3 TLINKs instead",
    )
    e.add_argument(
        "--timelines",
        metavar="DIR",
        help="SemEval-2015 Task 4: score entity timelines against the gold in DIR",
    )
    e.add_argument("--entity", metavar="NAME", help="with --timelines: only this entity")
    e.add_argument("--write", metavar="DIR", help="with --timelines: also write our timelines here")
    e.set_defaults(func=_cmd_eval)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # e.g. piped into head
        code = 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
