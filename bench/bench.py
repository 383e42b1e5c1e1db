"""Throughput, import-time and memory benchmark for ``timeline``.

Runs in one process over the raw ``<TEXT>`` of the TempEval-3 silver corpus
(2,452 TimeML news documents) and compares ``timeline.extract`` with
``dateparser.search_dates`` on the same documents, interleaved round by round.

Usage::

    python bench/bench.py [--corpus DIR] [--rounds N] [--limit N] [--json OUT]

Exit codes: 0 on success (also when the corpus is absent: the run is skipped),
1 when ``timeline`` cannot be imported or a child measurement fails, 2 for usage
errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "te3-silver"

# Targets (printed as PASS/FAIL next to the figures).
TARGET_RATIO = 25.0  # extract chars/s over dateparser chars/s, same documents
TARGET_CHARS_PER_S = 2_000_000.0  # extract on the full corpus
TARGET_IMPORT_MS = 150.0  # `import timeline`, net of a bare interpreter start
TARGET_PEAK_MB = 150.0  # max RSS of a process extracting the whole corpus

IMPORT_RUNS = 7

# --------------------------------------------------------------------------
# Corpus reader: a small, linear TimeML reader (no XML parser needed).
# --------------------------------------------------------------------------

_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_TAG_RE = re.compile(r"<[^<>]*>")
_DCT_TAG_RE = re.compile(r"<TIMEX3\b[^>]*\bfunctionInDocument=\"CREATION_TIME\"[^>]*>")
_VALUE_RE = re.compile(r"\bvalue=\"([^\"]*)\"")
_ENTITY_RE = re.compile(r"&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _entity(m: re.Match[str]) -> str:
    dec, hexa, name = m.groups()
    if dec is not None:
        return chr(int(dec))
    if hexa is not None:
        return chr(int(hexa, 16))
    return _NAMED[name]


def unescape_xml(s: str) -> str:
    """Replace the five predefined XML entities and numeric character references."""
    return _ENTITY_RE.sub(_entity, s) if "&" in s else s


@dataclass(frozen=True)
class Doc:
    name: str
    text: str
    dct: dt.date

    @property
    def dct_datetime(self) -> dt.datetime:
        return dt.datetime.combine(self.dct, dt.time())


def read_tml(raw: str, name: str) -> Doc | None:
    """The raw text of ``<TEXT>`` (tags stripped, entities unescaped) and the DCT date."""
    m_text = _TEXT_RE.search(raw)
    m_dct = _DCT_TAG_RE.search(raw)
    if m_text is None or m_dct is None:
        return None
    m_val = _VALUE_RE.search(m_dct.group(0))
    if m_val is None:
        return None
    try:
        dct = dt.date.fromisoformat(m_val.group(1)[:10])
    except ValueError:
        return None
    text = unescape_xml(_TAG_RE.sub("", m_text.group(1)))
    return Doc(name=name, text=text, dct=dct)


def load_corpus(corpus: Path, limit: int | None = None) -> tuple[list[Doc], int]:
    """All readable ``*.tml`` docs under ``corpus`` in name order, and how many were skipped."""
    paths = sorted(p for p in corpus.glob("*.tml") if not p.name.startswith("._"))
    if limit is not None:
        paths = paths[:limit]
    docs: list[Doc] = []
    skipped = 0
    for p in paths:
        doc = read_tml(p.read_text(encoding="utf-8"), p.name)
        if doc is None:
            skipped += 1
        else:
            docs.append(doc)
    return docs, skipped


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


@dataclass
class Series:
    """Wall-clock seconds of several rounds over the same documents."""

    label: str
    docs: int
    chars: int
    seconds: list[float] = field(default_factory=list)
    items: int = 0  # mentions / events / dates found in the last round
    errors: int = 0  # documents that raised (dateparser only)

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds)

    @property
    def chars_per_s(self) -> float:
        return self.chars / self.median_s

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.median_s

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "docs": self.docs,
            "chars": self.chars,
            "rounds_s": [round(s, 6) for s in self.seconds],
            "median_s": round(self.median_s, 6),
            "chars_per_s": round(self.chars_per_s, 1),
            "docs_per_s": round(self.docs_per_s, 3),
            "items_last_round": self.items,
            "errors": self.errors,
        }


Runner = Callable[[Doc], int]


def timed_pass(run: Runner, docs: Sequence[Doc]) -> tuple[float, int, int]:
    """Run ``run`` over ``docs``; return (seconds, items found, documents that raised)."""
    items = 0
    errors = 0
    t0 = time.perf_counter()
    for d in docs:
        try:
            items += run(d)
        except Exception:
            errors += 1
    return time.perf_counter() - t0, items, errors


def _make_runners() -> dict[str, Runner]:
    import timeline

    def run_extract(d: Doc) -> int:
        return len(timeline.extract(d.text, published=d.dct))

    def run_build(d: Doc) -> int:
        return len(list(timeline.build(d.text, published=d.dct)))

    return {"extract": run_extract, "build": run_build}


def _make_dateparser_runner() -> Runner | None:
    try:
        from dateparser.search import search_dates  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None

    def run_dp(d: Doc) -> int:
        found = search_dates(
            d.text,
            languages=["en"],
            settings={"RELATIVE_BASE": d.dct_datetime, "PREFER_DATES_FROM": "past"},
        )
        return len(found or ())

    return run_dp


def run_throughput(
    docs: list[Doc], rounds: int, dp_every: int, with_dateparser: bool
) -> dict[str, Series]:
    runners = _make_runners()
    dp = _make_dateparser_runner() if with_dateparser else None
    if with_dateparser and dp is None:
        print("note: dateparser is not installed; skipping the comparison", file=sys.stderr)
    subset = docs[::dp_every]
    full_chars = sum(len(d.text) for d in docs)
    sub_chars = sum(len(d.text) for d in subset)
    series = {
        "extract": Series("timeline.extract", len(docs), full_chars),
        "build": Series("timeline.build", len(docs), full_chars),
        "extract_subset": Series("timeline.extract (subset)", len(subset), sub_chars),
    }
    if dp is not None:
        series["dateparser_subset"] = Series(
            "dateparser.search_dates (subset)", len(subset), sub_chars
        )
    plan: list[tuple[str, Runner, list[Doc]]] = [
        ("extract", runners["extract"], docs),
        ("build", runners["build"], docs),
        ("extract_subset", runners["extract"], subset),
    ]
    if dp is not None:
        plan.append(("dateparser_subset", dp, subset))

    for rnd in range(rounds + 1):  # round 0 is the warm-up and is not recorded
        tag = "warm-up" if rnd == 0 else f"round {rnd}/{rounds}"
        parts = []
        for key, run, ds in plan:
            gc.collect()
            secs, items, errors = timed_pass(run, ds)
            if rnd > 0:
                s = series[key]
                s.seconds.append(secs)
                s.items = items
                s.errors = max(s.errors, errors)
            elif errors and key != "dateparser_subset":
                print(f"warning: {key} raised on {errors} document(s)", file=sys.stderr)
            parts.append(f"{key} {secs:.2f}s")
        print(f"  {tag}: " + ", ".join(parts), file=sys.stderr, flush=True)
    return series


# --------------------------------------------------------------------------
# Import time
# --------------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # Measure what an installed package costs: pip writes the .pyc files of
    # a wheel, so the children may write theirs (the warm-up run does) even
    # where the environment turns bytecode writing off.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + old if old else "")
    return env


def _run_s(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        argv,
        env=env,
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def _importtime_us(env: dict[str, str]) -> int | None:
    """Cumulative microseconds of the top-level ``timeline`` line of ``-X importtime``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import timeline"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in proc.stderr.splitlines():
        # "import time:   self [us] | cumulative | imported package"
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip() == "timeline":
            try:
                return int(parts[1].strip())
            except ValueError:
                return None
    return None


def measure_import(runs: int = IMPORT_RUNS) -> dict[str, Any]:
    env = _child_env()
    bare: list[float] = []
    full: list[float] = []
    _run_s([sys.executable, "-c", "import timeline"], env)  # warm the page cache / pycs
    for _ in range(runs):  # interleaved so drift hits both equally
        bare.append(_run_s([sys.executable, "-c", "pass"], env))
        full.append(_run_s([sys.executable, "-c", "import timeline"], env))
    cumulative = [us for us in (_importtime_us(env) for _ in range(runs)) if us is not None]
    bare_ms = statistics.median(bare) * 1000
    full_ms = statistics.median(full) * 1000
    return {
        "runs": runs,
        "interpreter_ms": round(bare_ms, 2),
        "absolute_ms": round(full_ms, 2),
        "net_ms": round(full_ms - bare_ms, 2),
        "importtime_cumulative_ms": (
            round(statistics.median(cumulative) / 1000, 2) if cumulative else None
        ),
    }


# --------------------------------------------------------------------------
# Memory (child processes)
# --------------------------------------------------------------------------


def peak_rss_mb() -> tuple[float, str]:
    """Peak resident set size of this process in MB, and where the figure came from.

    Prefers ``VmHWM`` from ``/proc/self/status``: it belongs to the address space made by
    ``exec``, whereas ``ru_maxrss`` of a child started with fork/vfork can carry over the
    parent's resident size at fork time.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024, "VmHWM"
    except (OSError, ValueError, IndexError):
        pass
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024), "ru_maxrss"


def memory_child(corpus: Path, limit: int | None, trace: bool) -> None:
    """Load the corpus, extract every document keeping all results, print JSON."""
    if trace:
        tracemalloc.start()
    import timeline

    docs, _ = load_corpus(corpus, limit)
    rss_loaded, _ = peak_rss_mb()
    kept: list[Any] = []
    errors = 0
    for d in docs:
        try:
            kept.append(timeline.extract(d.text, published=d.dct))
        except Exception:
            errors += 1
    out: dict[str, Any] = {
        "docs": len(docs),
        "errors": errors,
        "mentions": sum(len(k) for k in kept),
        "rss_after_load_mb": round(rss_loaded, 1),
        "max_rss_mb": round(peak_rss_mb()[0], 1),
        "rss_source": peak_rss_mb()[1],
    }
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        out["tracemalloc_peak_mb"] = round(peak / (1024 * 1024), 1)
    print(json.dumps(out))


def measure_memory(corpus: Path, limit: int | None) -> dict[str, Any]:
    env = _child_env()
    result: dict[str, Any] = {}
    for trace in (False, True):
        argv = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--corpus",
            str(corpus),
            "--memory-child",
            "trace" if trace else "rss",
        ]
        if limit is not None:
            argv += ["--limit", str(limit)]
        proc = subprocess.run(argv, env=env, cwd=REPO_ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"memory child failed ({proc.returncode}): {proc.stderr[-2000:]}")
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        if trace:
            result["tracemalloc_peak_mb"] = data["tracemalloc_peak_mb"]
        else:
            result.update(data)
    return result


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    info: dict[str, Any] = {
        "nproc": usable,
        "cpu": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }
    for mod in ("timeline", "dateparser"):
        try:
            info[f"{mod}_version"] = str(getattr(__import__(mod), "__version__", "?"))
        except ImportError:
            info[f"{mod}_version"] = None
    return info


def _fmt_rate(x: float) -> str:
    if x >= 1e6:
        return f"{x / 1e6:.2f}M"
    if x >= 1e3:
        return f"{x / 1e3:.1f}k"
    return f"{x:.0f}"


def _status(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def render(report: dict[str, Any], series: dict[str, Series]) -> str:
    rows: list[tuple[str, str, str, str]] = []
    ex = series["extract"]
    rows.append(
        (
            f"`extract()`, full corpus ({ex.docs:,} docs, {ex.chars:,} chars)",
            f"{_fmt_rate(ex.chars_per_s)} chars/s · {ex.docs_per_s:,.0f} docs/s",
            f"≥ {_fmt_rate(TARGET_CHARS_PER_S)} chars/s",
            _status(ex.chars_per_s >= TARGET_CHARS_PER_S),
        )
    )
    b = series["build"]
    rows.append(
        (
            "`build()`, full corpus",
            f"{_fmt_rate(b.chars_per_s)} chars/s · {b.docs_per_s:,.0f} docs/s",
            "",
            "",
        )
    )
    es = series["extract_subset"]
    every = report["config"]["dateparser_every"]
    rows.append(
        (
            f"`extract()`, subset (every {every}th doc: {es.docs:,} docs, {es.chars:,} chars)",
            f"{_fmt_rate(es.chars_per_s)} chars/s · {es.docs_per_s:,.0f} docs/s",
            "",
            "",
        )
    )
    dp = series.get("dateparser_subset")
    if dp is not None:
        ratio = es.chars_per_s / dp.chars_per_s
        rows.append(
            (
                "dateparser `search_dates()`, same subset",
                f"{_fmt_rate(dp.chars_per_s)} chars/s · {dp.docs_per_s:,.1f} docs/s",
                "",
                "",
            )
        )
        rows.append(
            (
                "ratio extract / dateparser (chars/s, same subset)",
                f"{ratio:.1f}×",
                f"≥ {TARGET_RATIO:.0f}×",
                _status(ratio >= TARGET_RATIO),
            )
        )
    imp = report.get("import")
    if imp is not None:
        rows.append(
            (
                f"`import timeline`, fresh process (median of {imp['runs']})",
                f"{imp['absolute_ms']:.0f} ms absolute · {imp['net_ms']:.0f} ms net "
                f"(bare interpreter {imp['interpreter_ms']:.0f} ms)",
                f"net < {TARGET_IMPORT_MS:.0f} ms",
                _status(imp["net_ms"] < TARGET_IMPORT_MS),
            )
        )
        if imp.get("importtime_cumulative_ms") is not None:
            rows.append(
                (
                    "`-X importtime` cumulative for `timeline`",
                    f"{imp['importtime_cumulative_ms']:.0f} ms",
                    "",
                    "",
                )
            )
    mem = report.get("memory")
    if mem is not None:
        rows.append(
            (
                f"peak RSS, extracting the whole corpus ({mem['docs']:,} docs, results kept)",
                f"{mem['max_rss_mb']:.0f} MB (after loading the texts: "
                f"{mem['rss_after_load_mb']:.0f} MB)",
                f"< {TARGET_PEAK_MB:.0f} MB",
                _status(mem["max_rss_mb"] < TARGET_PEAK_MB),
            )
        )
        rows.append(("tracemalloc peak, same run", f"{mem['tracemalloc_peak_mb']:.0f} MB", "", ""))

    out = ["| measure | result | target | status |", "|---|---|---|---|"]
    out += [f"| {a} | {b_} | {c} | {d} |" for a, b_, c, d in rows]
    m = report["machine"]
    rounds = report["config"]["rounds"]
    out.append("")
    for s in series.values():
        if s.errors:
            out.append(f"Warning: {s.label} raised on {s.errors} document(s) per round.")
    out.append(
        f"Throughput: median of {rounds} rounds after one warm-up round; "
        "ours and dateparser interleaved within each round."
    )
    out.append(
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['implementation']} {m['python']}, "
        f"{m['platform']}; timeline {m['timeline_version']}, "
        f"dateparser {m['dateparser_version']}."
    )
    return "\n".join(out)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def _positive(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {s!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1: {n}")
    return n


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Benchmark timeline.extract/build against dateparser on TE3-silver text."
    )
    p.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help=f"TimeML corpus directory (default: {DEFAULT_CORPUS})",
    )
    p.add_argument(
        "--rounds",
        type=_positive,
        default=5,
        help="timed rounds after one warm-up round (default: 5)",
    )
    p.add_argument(
        "--limit",
        type=_positive,
        default=None,
        help="use only the first N documents (by file name)",
    )
    p.add_argument(
        "--json",
        type=Path,
        default=None,
        metavar="OUT",
        help="also write the figures as JSON to OUT",
    )
    p.add_argument(
        "--dateparser-every",
        type=_positive,
        default=10,
        metavar="K",
        help="run dateparser on every K-th document (default: 10)",
    )
    p.add_argument("--no-dateparser", action="store_true", help="skip the dateparser comparison")
    p.add_argument("--no-import", action="store_true", help="skip the import-time measurement")
    p.add_argument("--no-memory", action="store_true", help="skip the memory measurement")
    p.add_argument("--memory-child", choices=("rss", "trace"), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus: Path = args.corpus
    if not corpus.is_dir() or not any(corpus.glob("*.tml")):
        print(f"skipped: corpus not found (no *.tml under {corpus})")
        return 0

    # Always measure the working tree this script lives in.
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

    if args.memory_child is not None:
        memory_child(corpus, args.limit, trace=args.memory_child == "trace")
        return 0

    try:
        import timeline

        timeline.extract  # noqa: B018 - fail early if the engine is not there yet
        timeline.build  # noqa: B018
    except (ImportError, AttributeError) as exc:
        print(f"error: timeline is not usable: {exc}", file=sys.stderr)
        return 1

    docs, skipped = load_corpus(corpus, args.limit)
    if not docs:
        print(f"skipped: no readable TimeML documents under {corpus}")
        return 0
    print(
        f"loaded {len(docs):,} docs ({sum(len(d.text) for d in docs):,} chars, "
        f"{skipped} skipped) from {corpus}",
        file=sys.stderr,
    )

    report: dict[str, Any] = {
        "config": {
            "corpus": str(corpus),
            "rounds": args.rounds,
            "limit": args.limit,
            "dateparser_every": args.dateparser_every,
            "docs_skipped": skipped,
        },
        "machine": machine_info(),
    }
    series = run_throughput(docs, args.rounds, args.dateparser_every, not args.no_dateparser)
    report["throughput"] = {k: s.as_json() for k, s in series.items()}
    targets: dict[str, bool] = {
        "extract_chars_per_s": series["extract"].chars_per_s >= TARGET_CHARS_PER_S
    }
    if "dateparser_subset" in series:
        ratio = series["extract_subset"].chars_per_s / series["dateparser_subset"].chars_per_s
        report["ratio_extract_over_dateparser"] = round(ratio, 2)
        targets["ratio"] = ratio >= TARGET_RATIO

    try:
        if not args.no_import:
            print("  measuring import time ...", file=sys.stderr, flush=True)
            report["import"] = measure_import()
            targets["import_net_ms"] = report["import"]["net_ms"] < TARGET_IMPORT_MS
        if not args.no_memory:
            print("  measuring memory ...", file=sys.stderr, flush=True)
            report["memory"] = measure_memory(corpus, args.limit)
            targets["peak_rss_mb"] = report["memory"]["max_rss_mb"] < TARGET_PEAK_MB
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"error: child measurement failed: {exc}", file=sys.stderr)
        return 1

    report["targets"] = {
        "values": {
            "extract_chars_per_s": TARGET_CHARS_PER_S,
            "ratio": TARGET_RATIO,
            "import_net_ms": TARGET_IMPORT_MS,
            "peak_rss_mb": TARGET_PEAK_MB,
        },
        "pass": targets,
    }
    print(render(report, series))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
