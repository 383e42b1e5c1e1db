"""The command line: ``timeline dump`` and ``timeline eval``.

Exit codes: 0 when all went well, 1 when some input failed (the others are
still processed and written), 2 for usage errors, 130 when interrupted
(Ctrl-C) and 143 when terminated (SIGTERM); an interrupted run leaves no
partial ``-o`` file behind.  Every error and warning goes to standard error,
one line each, naming the input.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import signal
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from types import FrameType
from typing import Any, NamedTuple

from . import __version__
from .corpus import publish_date
from .io.article import ArticleResult
from .io.formats import FORMATS, STREAMING, render, render_article, render_head
from .io.inputs import InputDoc, InputError, Skipped, iter_inputs
from .io.output import Output, open_output
from .io.windows import WINDOW, build_windowed
from .model import Event, Mention
from .options import Options, parse_published
from .order import Timeline

__all__ = ["main"]

EXAMPLE_NAME = "<example>"
DISTRIBUTION = "news-timeline"


def example_text() -> str:
    """The built-in example article."""
    return resources.files("timeline").joinpath("data/example.txt").read_text("utf-8")


def _published_for(doc: InputDoc, published: str | None) -> tuple[_dt.date, str]:
    """The publish date: --published, then the source's own, then the dateline
    (the rule of :func:`timeline.corpus.publish_date`, which the corpus API shares)."""
    found = publish_date(doc.text, doc.published, doc.published_from, published)
    if found is None:
        raise _Failure(
            f"{doc.id}: no publish date found in the opening lines; "
            "give one with --published YYYY-MM-DD"
        )
    return found


class _Failure(Exception):
    """One input that could not be processed; the message names it."""


class _Terminated(BaseException):
    """SIGTERM, raised where the program is, so that every cleanup runs."""


# The dateline is looked for where io.dateline looks: the first lines of the text.
_HEAD_CHARS = 600
_HEAD_LINES = 6


def dateline_mention(text: str, mentions: Sequence[Mention], day: _dt.date) -> Mention | None:
    """The mention the publish date ``day`` was read from, in the opening lines."""
    head = text[:_HEAD_CHARS]
    end = 0
    for _ in range(_HEAD_LINES):
        nl = head.find("\n", end)
        if nl < 0:
            end = len(head)
            break
        end = nl + 1
    iso = day.isoformat()
    for m in mentions:
        if m.start >= end:
            break
        if m.value[:10] == iso:
            return m
    return None


def _on_dateline(event: Event, dateline: Mention, text: str, iso: str) -> bool:
    """True for an event dated by the dateline (its date, or its time, on its line)."""
    m = event.mention
    if m is None or m.value[:10] != iso:
        return False
    lo, hi = min(m.start, dateline.start), max(m.end, dateline.end)
    return "\n" not in text[lo:hi] and "\r" not in text[lo:hi]


class _Piece(NamedTuple):
    """One article already written in a streamed format (by the worker)."""

    id: str
    text: str


# (document, --published, --domain, --undated, --entity, show progress,
# (format, colour) to render a streamed format in the worker, or None)
_Job = tuple[InputDoc, str | None, str, bool, str | None, bool, tuple[str, bool] | None]


def _process(job: _Job) -> ArticleResult | _Piece | str:
    """Build one article's timeline (runs in a worker with --jobs).

    Returns the result (for a streamed format: the article's piece of the
    output, which is much cheaper to send back from a worker than the
    timeline), or the message of the failure (naming the input).
    """
    doc, published, domain, undated, entity, show, rendering = job
    try:
        day, source = _published_for(doc, published)
    except _Failure as exc:
        return str(exc)
    try:
        progress = _InputProgress(doc.id) if show and len(doc.text) > WINDOW else None
        try:
            timeline = build_windowed(
                doc.text,
                day,
                options=Options(domain=domain),
                document=doc.id,
                undated=undated,
                window=WINDOW,
                progress=progress,
            )
        finally:
            if progress is not None:
                progress.close()
        dateline = None
        if source == "dateline":
            # The dateline is the reference of the other dates, not an event.
            dateline = dateline_mention(doc.text, timeline.mentions, day)
            if dateline is not None:
                iso = day.isoformat()
                timeline = Timeline.from_events(
                    [
                        e
                        for e in (timeline.reports or timeline.events)
                        if not _on_dateline(e, dateline, doc.text, iso)
                    ],
                    timeline.mentions,
                )
        if entity:
            timeline = timeline.mentioning(entity)  # --entity: only events naming it
    except (KeyboardInterrupt, _Terminated):
        raise
    except Exception as exc:  # one article that breaks the engine must not stop the run
        return f"{doc.id}: cannot process: {type(exc).__name__}: {exc}"
    result = ArticleResult(doc.id, day, source, doc.text, timeline, dateline)
    if rendering is None:
        return result
    fmt, color = rendering
    try:
        return _Piece(doc.id, render_article(result, fmt, first=True, color=color))
    except Exception as exc:  # one article that cannot be written costs only itself
        return f"{doc.id}: cannot write as {fmt}: {type(exc).__name__}: {exc}"


_MB = 1_000_000


class _InputProgress:
    """Progress inside one long input on stderr: characters done and the rate.

    The rate reads a monotonic timer; it is shown on the terminal only and
    never reaches any output.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.on = sys.stderr.isatty()
        self.began = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.on:
            return
        spent = max(time.monotonic() - self.began, 1e-9)
        sys.stderr.write(
            f"\rtimeline: {self.name}: {done / _MB:.1f} of {total / _MB:.1f} M characters "
            f"({done / _MB / spent:.2f} M/s)"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.on:
            sys.stderr.write("\n")
            sys.stderr.flush()


class _Progress:
    """A one-line count of the articles done on stderr, only on a terminal."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.on and self.done > 1:
            sys.stderr.write(f"\rtimeline: {self.done} articles")
            sys.stderr.flush()

    def close(self) -> None:
        if self.on and self.done > 1:
            sys.stderr.write("\n")


def _warn(message: str) -> None:
    print(f"timeline: {message}", file=sys.stderr)


def _stdin_is_piped() -> bool:
    """True when standard input is a pipe, a socket or a redirected file."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISREG(mode)


def _documents(
    args: argparse.Namespace, files: list[str], failed: list[bool]
) -> Iterator[InputDoc]:
    """The documents to process, as they are read; problems go to stderr."""
    if args.example:
        yield InputDoc(EXAMPLE_NAME, example_text(), None, None)
    for item in iter_inputs(files, glob=args.glob):
        if isinstance(item, Skipped):
            _warn(f"warning: {item}")
            continue
        if isinstance(item, InputError):
            _warn(str(item))
            failed.append(True)
            continue
        if item.warning:
            _warn(item.warning)
            failed.append(True)
        yield item


def _worker_init() -> None:
    """In each --jobs worker: Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _outcomes(jobs: Iterable[_Job], workers: int) -> Iterator[ArticleResult | _Piece | str]:
    """``_process`` of each job, in input order, with ``workers`` processes."""
    if workers <= 1:
        yield from map(_process, jobs)
        return
    import multiprocessing
    import threading

    from .attach import ranker
    from .find import grammar

    # Compiled once here; the forked workers inherit the compiled grammar
    # and the attachment model instead of each building its own.
    grammar()
    ranker.load()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # At most this many articles read ahead of the one being written.
    ahead = threading.BoundedSemaphore(workers * 16)
    stop = threading.Event()

    def fed() -> Iterator[_Job]:
        # Runs in the pool's feeding thread: it must never block for good,
        # or terminating the pool (which waits for that thread) would hang.
        for job in jobs:
            while not ahead.acquire(timeout=0.1):
                if stop.is_set():
                    return
            yield job

    pool = context.Pool(workers, initializer=_worker_init)
    try:
        for outcome in pool.imap(_process, fed(), chunksize=4):
            ahead.release()
            yield outcome
        pool.close()
    finally:
        stop.set()
        pool.terminate()
        pool.join()


def _cmd_dump(args: argparse.Namespace) -> int:
    files = list(args.files)
    if not files and not args.example:
        if not _stdin_is_piped():
            print(
                "timeline dump: give one or more FILEs or folders, '-' for standard input, "
                "or --example",
                file=sys.stderr,
            )
            return 2
        files = ["-"]
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
        return _dump_semeval(args, files)
    if args.format == "parquet":
        return _dump_parquet(args, files)
    try:
        out = open_output(args.output)
    except OSError as exc:
        _warn(f"{args.output}: cannot write: {exc.strerror or exc}")
        return 1
    failed: list[bool] = []
    color = (
        args.format == "text"
        and not args.output
        and sys.stdout.isatty()
        and "NO_COLOR" not in os.environ
    )
    show = args.jobs == 1
    rendering = (args.format, color) if args.format in STREAMING else None
    jobs = (
        (d, args.published, args.domain, args.undated, args.entity, show, rendering)
        for d in _documents(args, files, failed)
    )
    try:
        with out:
            progress = _Progress()
            try:
                results = _results(_outcomes(jobs, args.jobs), progress, failed)
                if args.format in STREAMING:
                    _stream(out, results, args.format, color, failed)
                else:
                    _whole(out, list(results), args.format, failed)
            finally:
                progress.close()
    except ImportError as exc:  # a format's optional package is missing: nothing written
        _warn(str(exc))
        return 1
    return 1 if failed else 0


def _results(
    outcomes: Iterable[ArticleResult | _Piece | str], progress: _Progress, failed: list[bool]
) -> Iterator[ArticleResult | _Piece]:
    for outcome in outcomes:
        progress.step()
        if isinstance(outcome, str):
            _warn(outcome)
            failed.append(True)
        else:
            yield outcome


def _stream(
    out: Output,
    results: Iterable[ArticleResult | _Piece],
    fmt: str,
    color: bool,
    failed: list[bool],
) -> None:
    """Write each article as it is ready."""
    out.write(render_head(fmt))
    first = True
    for r in results:
        if isinstance(r, _Piece):  # written by the worker, as if first
            piece = r.text if first or fmt != "text" else "\n" + r.text
        else:
            try:
                piece = render_article(r, fmt, first=first, color=color)
            except Exception as exc:  # one article that cannot be written costs only itself
                _warn(f"{r.id}: cannot write as {fmt}: {type(exc).__name__}: {exc}")
                failed.append(True)
                continue
        out.write(piece)
        out.flush()
        first = False


def _whole(
    out: Output, outcomes: list[ArticleResult | _Piece], fmt: str, failed: list[bool]
) -> None:
    """Write a format that needs every article first (one JSON document, a page ...)."""
    results = [r for r in outcomes if isinstance(r, ArticleResult)]
    try:
        content = render(results, fmt)
    except ImportError:
        raise
    except Exception:
        # Find the articles that cannot be written and leave only them out.
        good: list[ArticleResult] = []
        for r in results:
            try:
                render([r], fmt)
            except Exception as exc:
                _warn(f"{r.id}: cannot write as {fmt}: {type(exc).__name__}: {exc}")
                failed.append(True)
            else:
                good.append(r)
        content = render(good, fmt)
    out.write(content)


def _dump_parquet(args: argparse.Namespace, files: list[str]) -> int:
    """``--format parquet``: every article's events in one Parquet file (needs -o)."""
    if not args.output:
        print("timeline dump: --format parquet needs -o FILE", file=sys.stderr)
        return 2
    from .io.parquet import write_parquet

    failed: list[bool] = []
    jobs = (
        (d, args.published, args.domain, args.undated, args.entity, args.jobs == 1, None)
        for d in _documents(args, files, failed)
    )
    progress = _Progress()
    try:
        results = [
            r
            for r in _results(_outcomes(jobs, args.jobs), progress, failed)
            if isinstance(r, ArticleResult)
        ]
    finally:
        progress.close()
    try:
        write_parquet(results, args.output)
    except ImportError as exc:  # pyarrow is missing: one line, nothing written
        _warn(str(exc))
        return 1
    except OSError as exc:
        _warn(f"{args.output}: cannot write: {exc.strerror or exc}")
        return 1
    return 1 if failed else 0


def _dump_semeval(args: argparse.Namespace, files: list[str]) -> int:
    if not args.entity:
        print("timeline dump: --format semeval needs --entity NAME", file=sys.stderr)
        return 2
    from .io.semeval import dump_main

    content, errors, status = dump_main(files, args.entity, published=args.published)
    for msg in errors:
        _warn(msg)
    if status == 2:
        return 2
    try:
        with open_output(args.output) as out:
            out.write(content)
    except OSError as exc:
        _warn(f"{args.output}: cannot write: {exc.strerror or exc}")
        return 1
    return status


def _cmd_eval(args: argparse.Namespace) -> int:
    if args.timelines is not None:
        if args.leave_one_out:
            from .evaluation.semeval import leave_one_out_main

            out, code = leave_one_out_main(args.timelines)
            (sys.stdout if code == 0 else sys.stderr).write(out)
            return code
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
    else:
        from .evaluation.tempeval import run_eval

        if args.split == "test" and args.errors:
            print(
                "timeline eval: the test split is scored in aggregate only (no --errors)",
                file=sys.stderr,
            )
            return 2
        domain = {"narratives": "narrative"}.get(args.domain, args.domain)
        try:
            report, code = run_eval(
                args.corpus,
                domain=domain,
                errors=args.errors,
                fmt=args.format,
                whole_text=args.whole_text,
                split=args.split,
                splits=args.splits,
            )
        except ValueError as exc:
            print(f"timeline eval: {exc}", file=sys.stderr)
            return 2
    report = report if report.endswith("\n") else report + "\n"
    if code == 2:  # no report, only the reason: an error
        if args.format == "json" and report.lstrip().startswith("{"):
            sys.stdout.write(report)  # the JSON error document, for a machine reader
        sys.stderr.write(f"timeline eval: {_error_text(report)}")
        return code
    sys.stdout.write(report)
    if code == 1:
        print(
            "timeline eval: some documents could not be scored (listed in the report)",
            file=sys.stderr,
        )
    return code


def _error_text(report: str) -> str:
    """The message of an error report, plain (a JSON ``{"error": ...}`` unwrapped)."""
    if report.lstrip().startswith("{"):
        import json

        try:
            data: Any = json.loads(report)
        except ValueError:
            return report
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return str(data["error"]) + "\n"
    return report


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="timeline", description="Temporal expressions in news text, resolved and ordered."
    )
    p.add_argument(
        "--version",
        action="version",
        version=f"{DISTRIBUTION} {__version__}",
        help="print the distribution name and version, and exit",
    )
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="print the timeline of one or more articles")
    d.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="text, HTML, JSON Lines, TimeML or CAT files, or folders; '-' reads standard "
        "input, as does no FILE when standard input is a pipe or a file",
    )
    d.add_argument(
        "--example", action="store_true", help="also run on the built-in example article"
    )
    d.add_argument(
        "--published",
        metavar="DATE",
        help="publish date (ISO 8601); default: the source's own, or the dateline",
    )
    d.add_argument(
        "--format",
        choices=[*FORMATS, "parquet", "semeval"],
        default="text",
        help="output format (default: text); text, jsonl and csv are written article by "
        "article as each is ready; parquet (needs -o and pyarrow) writes one file of every "
        "article's events",
    )
    d.add_argument(
        "--glob", default="*", help="in folders, only files whose name matches (default: *)"
    )
    d.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="process N articles in parallel, in N worker processes (default: 1)",
    )
    d.add_argument(
        "--domain",
        choices=["auto", "news", "narrative"],
        default="auto",
        help="read year-less dates against the publish date (news) or the last year written "
        "(narrative); default: auto, decided per article",
    )
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
        "-o",
        "--output",
        metavar="FILE",
        help="write here instead of standard output: a regular file is replaced atomically "
        "(keeping its mode), a link is written through, a device or FIFO written directly",
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
    e.add_argument(
        "--leave-one-out",
        action="store_true",
        help="with --timelines: choose each setting on the other timelines and score it on "
        "the held-out one",
    )
    e.add_argument(
        "--split",
        choices=["dev", "test"],
        help="score only this split of the corpus, as bench/splits.toml fixes it (a corpus "
        "it does not name is all dev); the test split is scored in aggregate only",
    )
    e.add_argument(
        "--splits", metavar="FILE", help="with --split: the split file (default bench/splits.toml)"
    )
    e.set_defaults(func=_cmd_eval)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    restore = _handle_sigterm()
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        _interrupted("interrupted")
        code = 130
    except _Terminated:
        _interrupted("terminated")
        code = 143
    except BrokenPipeError:  # e.g. piped into head: what was wanted was written
        _silence_stdout()
        code = 0
    finally:
        restore()
    return code


def _interrupted(what: str) -> None:
    try:
        sys.stderr.write(f"\ntimeline: {what}\n" if sys.stderr.isatty() else f"timeline: {what}\n")
        sys.stderr.flush()
    except OSError:
        pass


def _silence_stdout() -> None:
    """After a broken pipe: nothing more to write, and no error at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _handle_sigterm() -> Callable[[], None]:
    """Turn SIGTERM into :class:`_Terminated` until the returned function is called."""

    def raise_terminated(signum: int, frame: FrameType | None) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, raise_terminated)
    except ValueError:  # not the main thread: leave signals alone
        return lambda: None

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
