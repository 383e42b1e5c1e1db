"""The command line: ``timeline dump`` and ``timeline eval``.

Exit codes: 0 when all went well, 1 when some input failed (the others are
still processed and written), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from typing import Any, TextIO

from .api import Options, build, parse_published
from .dateline import detect_published
from .events import Timeline
from .serialize import event_to_dict, mention_to_dict

__all__ = ["main"]

EXAMPLE_NAME = "<example>"


def example_text() -> str:
    """The built-in example article."""
    return resources.files("timeline").joinpath("data/example.txt").read_text("utf-8")


class InputError(Exception):
    """An input that could not be processed; the message names it."""


def _read(path: str) -> tuple[str, str | None]:
    """Read one input as text; returns (text, warning)."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return (
            text,
            f"{path}: not valid UTF-8 (byte {exc.start}); undecodable bytes replaced with U+FFFD",
        )


def _document(
    path: str, args: argparse.Namespace, options: Options
) -> tuple[dict[str, Any], Timeline, list[str]]:
    warnings: list[str] = []
    if path == EXAMPLE_NAME:
        text = example_text()
    else:
        text, warning = _read(path)
        if warning:
            warnings.append(warning)
    if args.published is not None:
        published = parse_published(args.published)
        source = "option"
    else:
        found = detect_published(text)
        if found is None:
            raise InputError(
                f"{path}: no publish date found in the opening lines; give one with --published YYYY-MM-DD"
            )
        published = parse_published(found)
        source = "dateline"
    timeline = build(text, published, options=options, document=path, undated=args.undated)
    doc = {
        "document": path,
        "published": published.date().isoformat(),
        "published_from": source,
        "mentions": [mention_to_dict(m) for m in timeline.mentions],
        "events": [event_to_dict(e) for e in timeline],
    }
    return doc, timeline, warnings


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(doc: dict[str, Any], timeline: Timeline, out: TextIO) -> None:
    """The terminal table: date, grain, the phrase as written, and the event."""
    out.write(f"{doc['document']}  (published {doc['published']}, from {doc['published_from']})\n")
    rows = [("DATE", "GRAIN", "PHRASE", "EVENT")]
    for e in timeline:
        event = (f"{e.trigger}: " if e.trigger else "") + e.text
        phrase = e.mention.text if e.mention else "(undated)"
        rows.append((e.when.value, str(e.when.grain or ""), phrase, _clip(event, 90)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        out.write(
            f"  {r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}\n".rstrip()
            + "\n"
        )
    if not len(timeline):
        out.write("  (no dated events)\n")
    others = [m for m in timeline.mentions if m.interval is None]
    if others:
        out.write(
            "  other expressions: " + ", ".join(f"{m.text} = {m.value}" for m in others) + "\n"
        )


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


def _cmd_dump(args: argparse.Namespace) -> int:
    inputs = list(args.files)
    if args.example:
        inputs.insert(0, EXAMPLE_NAME)
    if not inputs:
        print(
            "timeline dump: give one or more FILEs, '-' for standard input, or --example",
            file=sys.stderr,
        )
        return 2
    if args.published is not None:
        try:
            parse_published(args.published)
        except ValueError as exc:
            print(f"timeline dump: {exc}", file=sys.stderr)
            return 2
    options = Options(domain=args.domain)
    status = 0
    docs: list[dict[str, Any]] = []
    import io

    text_out = io.StringIO()
    for path in inputs:
        try:
            doc, timeline, warnings = _document(path, args, options)
        except InputError as exc:
            print(f"timeline: {exc}", file=sys.stderr)
            status = 1
            continue
        for w in warnings:
            print(f"timeline: {w}", file=sys.stderr)
            status = 1
        docs.append(doc)
        if args.format == "text":
            if text_out.tell():
                text_out.write("\n")
            render_text(doc, timeline, text_out)
    if args.format == "json":
        content = (
            json.dumps(
                docs if len(inputs) != 1 else (docs[0] if docs else []),
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    else:
        content = text_out.getvalue()
    if args.output:
        try:
            _write_atomic(args.output, content)
        except OSError as exc:
            print(f"timeline: {args.output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 1
    else:
        sys.stdout.write(content)
    return status


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.events:
        from .event_eval import run_events

        report, code = run_events(args.corpus, errors=args.errors)
        sys.stdout.write(report)
        return code
    from .evaluate import run_eval

    domain = {"narratives": "narrative"}.get(args.domain, args.domain)
    report, code = run_eval(args.corpus, domain=domain, errors=args.errors, fmt=args.format)
    sys.stdout.write(report if report.endswith("\n") else report + "\n")
    return code


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="timeline", description="Temporal expressions in news text, resolved and ordered."
    )
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="print the timeline of one or more articles")
    d.add_argument(
        "files", nargs="*", metavar="FILE", help="article text files; '-' reads standard input"
    )
    d.add_argument(
        "--example", action="store_true", help="also run on the built-in example article"
    )
    d.add_argument(
        "--published", metavar="DATE", help="publish date (ISO 8601); default: read the dateline"
    )
    d.add_argument("--format", choices=["text", "json"], default="text")
    d.add_argument("--domain", choices=["auto", "news", "narrative"], default="auto")
    d.add_argument(
        "--undated",
        action="store_true",
        help="also place undated reported events ('... said') on the publish date",
    )
    d.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of standard output"
    )
    d.set_defaults(func=_cmd_dump)
    e = sub.add_parser("eval", help="score against TimeML gold (TempEval-3 style)")
    e.add_argument("corpus", metavar="CORPUS_DIR")
    e.add_argument("--domain", choices=["auto", "news", "narrative", "narratives"], default="auto")
    e.add_argument(
        "--errors", action="store_true", help="list every miss, spurious hit and wrong value"
    )
    e.add_argument("--format", choices=["text", "json"], default="text")
    e.add_argument(
        "--events",
        action="store_true",
        help="score event attachment against the corpus's EVENT-TIMEX3 TLINKs instead",
    )
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
