"""The package's shape: stages that import only downwards, no import cycles, and
a scanner that does not depend on CPython's private regex parser being there."""

from __future__ import annotations

import ast
import functools
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import timeline
from timeline.find import prefixes, scan
from timeline.find.compiler import _load_grammar, grammar

PACKAGE = Path(timeline.__file__).resolve().parent
ROOT = PACKAGE.parent
CORPORA = ROOT.parent / "shared" / "corpora"

# Each module's stage, from the bottom up.  A module may import from its own
# stage and from the stages below it, never from one above.
STAGES = {
    "timeline.model": 0,
    "timeline.options": 0,
    "timeline.find": 1,
    "timeline.resolve": 2,
    "timeline.attach": 3,
    "timeline.order": 4,
    "timeline.api": 5,
    "timeline.io": 6,
    "timeline.corpus": 6,  # reading and building whole corpora: the library side of io
    "timeline.evaluation": 7,
}
TOP = 8  # the CLI, the corpus API and the integrations: anything below them


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules that ``name`` imports at run time, anywhere in its
    body (function-level imports included; ``if TYPE_CHECKING:`` excluded)."""
    tree = ast.parse(path.read_text("utf-8"))
    is_package = path.name == "__init__.py"
    here = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("timeline"):
                return
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(name)
    return {m for m in found if m in known}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _stage(module: str) -> int:
    for prefix, rank in STAGES.items():
        if module == prefix or module.startswith(prefix + "."):
            return rank
    return TOP


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def connect(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def test_no_import_cycles() -> None:
    graph = _graph()
    assert len(graph) > 30  # the walk found the package
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_stages_import_only_downwards() -> None:
    graph = _graph()
    upward = [
        f"{m} ({_stage(m)}) imports {t} ({_stage(t)})"
        for m, targets in sorted(graph.items())
        if m != "timeline"
        for t in sorted(targets)
        if t != "timeline" and _stage(t) > _stage(m)
    ]
    assert upward == []


def test_stage_check_sees_function_level_imports(tmp_path: Path) -> None:
    src = tmp_path / "m.py"
    src.write_text("def f():\n    from ..io import formats\n", "utf-8")
    known = {"timeline.io", "timeline.io.formats", "timeline.order.m"}
    # a module of the order stage that imports io inside a function
    got = _imports("timeline.order.m", src, known)
    assert got == {"timeline.io.formats"}


# --------------------------------------------------------------------------
# The scanner without CPython's private regex parser
# --------------------------------------------------------------------------

SAMPLES = [
    "China and Russia on Friday voiced opposition to the plan, the ministry said.",
    "The two diplomats reached an agreement last week; talks resume in March 2025.",
    "Shares fell 8% in twenty minutes at 10:30 a.m. on April 21, and again on Nov. 5.",
    "In the 1990s, and again in the summer of 2003, the river flooded twice a year.",
    "It was 3-2 at the half; the 24/7 service on Route 66 may open next Tuesday night.",
]


def _corpus_texts(limit: int) -> list[str]:
    from timeline.io.timeml import find_documents, read_document

    texts: list[str] = []
    for name in ("tbaq-cleaned", "wikiwars/timeml-syntime", "tweets-syntime-train"):
        root = CORPORA / name
        if root.is_dir():
            texts.extend(read_document(p).text for p in find_documents(root)[:limit])
    return texts


def test_prefix_analysis_runs_on_the_pythons_we_support() -> None:
    """On the CPython versions we test, the analysis must not silently fall back."""
    if sys.implementation.name == "cpython" and sys.version_info < (3, 14):
        assert prefixes.AVAILABLE


def test_unanalysed_grammar_finds_the_same_candidates() -> None:
    plain = _load_grammar(analysed=False)
    texts = SAMPLES + _corpus_texts(25)
    for text in texts:
        assert list(scan(text, compiled=plain)) == list(scan(text, compiled=grammar()))


_CHILD = textwrap.dedent(
    """
    import sys
    {setup}
    import timeline
    from timeline.find import prefixes
    print(prefixes.AVAILABLE)
    for text in sys.stdin.read().split("\\n\\x00\\n"):
        print(repr(timeline.extract(text, "2025-01-22")))
    """
)


def _run_child(setup: str, texts: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD.format(setup=setup)],
        input="\n\x00\n".join(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


@functools.cache
def _normal_run() -> list[str]:
    return _run_child("", SAMPLES + _corpus_texts(5))


@pytest.mark.parametrize(
    "setup",
    [
        # the private modules are missing (re itself keeps its own references)
        "import re; del re._parser, re._constants; "
        "sys.modules['re._parser'] = None; sys.modules['re._constants'] = None",
        # the parser is there but its trees look different
        "import re, types; real = re._parser; shim = types.ModuleType('re._parser'); "
        "shim.parse = lambda p, *a, **k: real.parse('x'); re._parser = shim",
    ],
    ids=["missing", "changed"],
)
def test_without_a_trusted_parser_results_are_the_same(setup: str) -> None:
    texts = SAMPLES + _corpus_texts(5)
    normal = _normal_run()
    fallback = _run_child(setup, texts)
    assert normal[0] == "True"
    assert fallback[0] == "False"
    assert fallback[1:] == normal[1:]


# --------------------------------------------------------------------------
# The precomputed grammar plan
# --------------------------------------------------------------------------


def test_shipped_grammar_plan_is_current() -> None:
    """``en.compiled.json`` matches ``en.toml`` and the code that makes plans.
    If this fails, run ``python -m timeline.find.compiler`` and commit the file."""
    import json
    from importlib import resources

    from timeline.find.compiler import plan_key

    shipped = json.loads(resources.files("timeline.find").joinpath("en.compiled.json").read_text())
    assert shipped["key"] == plan_key()


def test_grammar_from_the_shipped_plan_equals_a_fresh_one() -> None:
    from timeline.find.compiler import _from_plan, _make_plan, _shipped_plan

    shipped = _shipped_plan()
    assert shipped is not None
    a, b = _from_plan(shipped), _from_plan(_make_plan(True))
    assert a.rules == b.rules
    assert [p[:2] for p in a.parts] == [p[:2] for p in b.parts]
    if shipped["gate_code"] is not None and _same_engine(shipped["gate_code"]):
        # the shipped compiled code is what this Python's compiler makes
        assert a.parts == b.parts
    assert a.index == b.index
    assert dict(a.tables) == dict(b.tables)
    assert (a.master_source, a.ungated_source, a.domain_source) == (
        b.master_source,
        b.ungated_source,
        b.domain_source,
    )
    assert a.gate.pattern == b.gate.pattern
    for text in SAMPLES:
        assert list(scan(text, compiled=a)) == list(scan(text, compiled=b))


def _same_engine(packed: dict[str, object]) -> bool:
    from timeline.find.compiler import _engine

    engine = _engine()
    return engine is not None and all(packed[k] == v for k, v in engine.items())


def test_shipped_regex_code_finds_what_the_source_finds() -> None:
    """Each rule and the gate, built from the shipped code, match as
    ``re.compile`` of their source does (on this Python; elsewhere the
    sources are compiled and the code is not used)."""
    import re

    from timeline.find.compiler import _precompiled, _shipped_plan

    plan = _shipped_plan()
    assert plan is not None
    text = " ".join(SAMPLES + [r.example for r in grammar().rules])
    pairs = [(plan["gate_scan"], plan["gate_code"])] + [(s, p) for s, _, p in plan["parts"]]
    for source, packed in pairs:
        shipped, fresh = _precompiled(source, packed), re.compile(source)
        assert shipped.pattern == fresh.pattern and shipped.groupindex == fresh.groupindex
        found = [(m.span(), m.groups()) for m in shipped.finditer(text)]
        assert found == [(m.span(), m.groups()) for m in fresh.finditer(text)]


@pytest.mark.parametrize(
    "damage", ["other engine", "cut short", "not code", "groups", "flags", "no digest"]
)
def test_shipped_regex_code_that_does_not_fit_is_not_used(damage: str) -> None:
    """Code from another engine, damaged code or metadata that does not fit
    its digest fall back to compiling the source (CPython checks the code it
    is handed only in part: damaged code is never handed to it)."""
    import base64
    import zlib

    from timeline.find.compiler import _precompiled, _shipped_plan

    plan = _shipped_plan()
    assert plan is not None
    source, _, packed = plan["parts"][0]
    assert packed is not None
    packed = dict(packed)
    code = zlib.decompress(base64.b64decode(packed["code"]))
    if damage == "other engine":
        packed["magic"] = -1
    elif damage == "cut short":
        packed["code"] = base64.b64encode(zlib.compress(code[: len(code) // 2])).decode()
    elif damage == "not code":
        packed["code"] = "not base64 at all!"
    elif damage == "groups":
        packed["groups"] = 1
    elif damage == "flags":
        packed["flags"] = packed["flags"] | re.IGNORECASE
    else:
        del packed["digest"]
    compiled = _precompiled(source, packed)
    assert compiled.flags == re.compile(source).flags
    assert compiled.groups == re.compile(source).groups
    assert compiled.pattern == source
    example = grammar().rules[0].example
    assert [m.span() for m in compiled.finditer(example)] == [
        m.span() for m in re.compile(source).finditer(example)
    ]


def test_compact_gate_finds_the_same_positions() -> None:
    """Where the shipped code of the gate cannot be used, the compact form is
    compiled instead: it must pass exactly the same positions."""
    from timeline.find.compiler import _shipped_plan

    plan = _shipped_plan()
    assert plan is not None
    dispatched, compact = re.compile(plan["gate_scan"]), re.compile(plan["gate_compact"])
    texts = SAMPLES + [r.example for r in grammar().rules] + _corpus_texts(40)
    texts += [t.upper() for t in texts[:20]] + [t.lower() for t in texts[:20]]
    for text in texts:
        text = " " + text
        assert [m.end() for m in dispatched.finditer(text)] == [
            m.end() for m in compact.finditer(text)
        ]


def test_another_engine_compiles_the_compact_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.find import compiler

    real = compiler._engine
    monkeypatch.setattr(compiler, "_engine", lambda: {**(real() or {}), "python": [3, 99]})
    plan = compiler._shipped_plan()
    assert plan is not None
    g = compiler._from_plan(plan)
    assert g.gate.pattern == plan["gate_compact"]
    assert [c for t in SAMPLES for c in scan(t, compiled=g)] == [
        c for t in SAMPLES for c in scan(t)
    ]


def test_a_stale_plan_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from timeline.find import compiler

    monkeypatch.setattr(compiler, "plan_key", lambda: "not the shipped key")
    assert compiler._shipped_plan() is None
    # made afresh instead, with the same rules
    assert compiler._load_grammar().rules == grammar().rules
