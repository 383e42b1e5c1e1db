"""Fingerprint everything the engine outputs on the shared corpora.

A refactor must leave behaviour byte-identical.  This script runs the public
API (``timeline.extract`` in each domain and ``timeline.build``) on every
document of every corpus in ``../shared/corpora``, plus the CLI's evaluation
reports and every ``dump`` format of the built-in example, and writes one
digest per (corpus, what) to a JSON file.  Compare two runs with ``--compare``.

    python bench/snapshot.py -o /tmp/before.json
    ... change the code ...
    python bench/snapshot.py -o /tmp/after.json --compare /tmp/before.json

The digests are of ``repr()`` of the attrs values, which names classes but not
modules, so moving a class between modules does not change them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPORA = (
    "tbaq-cleaned",
    "wikiwars",
    "tweets-syntime-train",
    "meantime-english-apple",
    "te3-silver",
    "semeval2015-task4-timeline-trial",
)
DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpora"
FORMATS = ("text", "json", "jsonl", "csv", "timeml", "timelinejs", "ics", "html")


def _reader() -> Any:
    try:
        from timeline.io import timeml as reader  # the staged layout
    except ImportError:
        from timeline import evaluate as reader  # type: ignore[no-redef]  # the flat layout
    return reader


def documents(root: Path) -> Iterator[tuple[str, str, str]]:
    """(relative name, text, creation time) for each readable document."""
    reader = _reader()
    for path in reader.find_documents(root):
        try:
            doc = reader.read_document(path)
        except Exception:  # noqa: BLE001 - a document that cannot be read is fingerprinted as such
            yield path.relative_to(root).as_posix(), "", ""
            continue
        dct = reader.dct_argument(doc.dct)
        yield path.relative_to(root).as_posix(), doc.text, dct or ""


def fingerprint(root: Path, name: str, mentions_out: dict[str, int]) -> dict[str, str]:
    import timeline

    digests = {
        k: hashlib.sha256()
        for k in ("extract:auto", "extract:news", "extract:narrative", "build", "build:undated")
    }
    count = 0
    for rel, text, dct in documents(root / name):
        for k in digests:
            digests[k].update(rel.encode() + b"\0")
        if not dct:
            for k in digests:
                digests[k].update(b"unreadable\0")
            continue
        for domain in ("auto", "news", "narrative"):
            try:
                got = timeline.extract(text, dct, options=timeline.Options(domain=domain))
                if domain == "auto":
                    count += len(got)
                out = repr(got)
            except Exception as exc:  # noqa: BLE001
                out = f"error {type(exc).__name__}: {exc}"
            digests[f"extract:{domain}"].update(out.encode() + b"\0")
        for key, undated in (("build", False), ("build:undated", True)):
            try:
                t = timeline.build(text, dct, document=rel, undated=undated)
                out = repr((t.events, t.mentions, t.reports))
            except Exception as exc:  # noqa: BLE001
                out = f"error {type(exc).__name__}: {exc}"
            digests[key].update(out.encode() + b"\0")
    mentions_out[name] = count
    return {k: d.hexdigest() for k, d in digests.items()}


def _cli(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "timeline", *argv], capture_output=True, text=True, check=False
    )
    body = f"rc={done.returncode}\n{done.stdout}\n--stderr--\n{done.stderr}"
    return hashlib.sha256(body.encode()).hexdigest()


def cli_fingerprints(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for fmt in FORMATS:
        out[f"dump --example --format {fmt}"] = _cli("dump", "--example", "--format", fmt)
    evals = {
        "tbaq-cleaned": "tbaq-cleaned",
        "wikiwars": "wikiwars/timeml-syntime",
        "tweets": "tweets-syntime-train",
        "meantime": "meantime-english-apple",
    }
    for label, sub in evals.items():
        if (root / sub).exists():
            out[f"eval {label}"] = _cli("eval", str(root / sub), "--errors", "--format", "json")
    if (root / "tbaq-cleaned").exists():
        out["eval tbaq --events"] = _cli("eval", str(root / "tbaq-cleaned"), "--events")
    trial = root / "semeval2015-task4-timeline-trial"
    if trial.exists():
        out["eval --timelines"] = _cli("eval", "--timelines", str(trial))
    return out


def _flat(snap: dict[str, Any]) -> dict[str, str]:
    out = {f"cli: {k}": v for k, v in snap.get("cli", {}).items()}
    for corpus, digests in snap.get("corpora", {}).items():
        out.update({f"{corpus}: {k}": v for k, v in digests.items()})
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--root", type=Path, default=DEFAULT_ROOT)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    p.add_argument("--no-cli", action="store_true", help="skip the CLI fingerprints")
    p.add_argument("--only", action="append", help="only these corpora (repeatable)")
    args = p.parse_args(argv)
    if not args.root.is_dir():
        print(f"skipped: {args.root} is absent", file=sys.stderr)
        return 0
    snap: dict[str, Any] = {"corpora": {}, "mentions": {}}
    for name in args.only or CORPORA:
        if (args.root / name).exists():
            snap["corpora"][name] = fingerprint(args.root, name, snap["mentions"])
            print(f"{name}: {snap['mentions'][name]} mentions", file=sys.stderr)
    if not args.no_cli:
        snap["cli"] = cli_fingerprints(args.root)
    args.output.write_text(json.dumps(snap, indent=1, sort_keys=True) + "\n")
    if args.compare is None:
        return 0
    old = json.loads(args.compare.read_text())
    differ = []
    flat_old, flat_new = _flat(old), _flat(snap)
    for key in sorted(set(flat_old) | set(flat_new)):
        if flat_old.get(key) != flat_new.get(key):
            differ.append(key)
    total = sum(snap["mentions"].values())
    if differ:
        print("DIFFERENT:\n  " + "\n  ".join(differ))
        return 1
    print(
        f"identical: {len(snap['corpora'])} corpora, {total} mentions, "
        f"{len(snap.get('cli', {}))} CLI outputs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
