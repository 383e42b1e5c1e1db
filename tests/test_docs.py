"""The documentation: install hints, the generated CLI reference, the site build."""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DIST = PYPROJECT["project"]["name"]
EXTRAS = set(PYPROJECT["project"]["optional-dependencies"])


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


gen_cli = _load(ROOT / "bench" / "gen_cli_docs.py")


# --- install hints --------------------------------------------------------------

# Where a user reads an install hint: messages and docstrings, the docs, the
# README, the packaging and tool files.  (The changelog may name the old name.)
HINT_FILES = [
    *sorted((ROOT / "timeline").rglob("*.py")),
    *sorted((ROOT / "timeline").rglob("*.toml")),
    *sorted((ROOT / "docs").rglob("*.md")),
    *sorted((ROOT / "bench").rglob("*.py")),
    *sorted((ROOT / "fuzz").rglob("*.py")),
    *sorted((ROOT / "fuzz").rglob("*.md")),
    ROOT / "README.md",
    ROOT / "pyproject.toml",
    ROOT / "tox.ini",
]
# "pip install timeline", "pip install -U 'timeline[html]'": the name on the
# package index that belongs to another project.
WRONG_INSTALL = re.compile(r"pip3? install\s+(?:-\S+\s+)*['\"]?timeline(?![\w-])")
# "the extra ``timeline[html]``": an extra of the wrong distribution.
WRONG_EXTRA = re.compile(r"(?<![\w.-])timeline\[([a-z][a-z0-9_,\s-]*)\]")
OUR_EXTRA = re.compile(re.escape(DIST) + r"\[([^\]]*)\]")
# "the `html` extra", "the `[html]` extra", "the ``html`` extra"
NAMED_EXTRA = re.compile(r"the `+\[?([\w-]+)\]?`+ extra")


def _hint_lines() -> list[tuple[str, int, str]]:
    found = []
    for path in HINT_FILES:
        if not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found.append((str(path.relative_to(ROOT)), n, line))
    return found


def test_distribution_name_is_not_the_taken_one() -> None:
    assert DIST == "news-timeline"


def test_no_install_hint_names_the_wrong_distribution() -> None:
    wrong = [
        f"{name}:{n}: {line.strip()}"
        for name, n, line in _hint_lines()
        if WRONG_INSTALL.search(line)
        or any(set(re.split(r"[,\s]+", m.strip())) & EXTRAS for m in WRONG_EXTRA.findall(line))
    ]
    assert not wrong, f"install hints must name {DIST}, not timeline:\n" + "\n".join(wrong)


def test_install_hints_name_extras_that_exist() -> None:
    unknown = []
    for name, n, line in _hint_lines():
        for group in [*OUR_EXTRA.findall(line), *NAMED_EXTRA.findall(line)]:
            extras = {e.strip() for e in group.split(",") if e.strip()}
            if extras - EXTRAS:
                unknown.append(f"{name}:{n}: {sorted(extras - EXTRAS)}")
    assert not unknown, "hints name extras pyproject.toml does not define:\n" + "\n".join(unknown)


def test_the_hint_patterns_catch_the_old_hints() -> None:
    # The two checks above only mean something if these would have failed them.
    assert WRONG_INSTALL.search("to_pandas needs pandas: pip install 'timeline[pandas]'")
    assert WRONG_INSTALL.search("pip install -U timeline")
    assert WRONG_EXTRA.findall("the optional extra ``timeline[html]``") == ["html"]
    assert not WRONG_INSTALL.search(f"pip install '{DIST}[pandas]'")
    assert not WRONG_EXTRA.findall(f"pip install '{DIST}[html]', then timeline[0]")
    assert not WRONG_INSTALL.search("pip install -e '.[html]'")
    assert NAMED_EXTRA.findall("needs the `[html]` extra, the ``pandas`` extra") == [
        "html",
        "pandas",
    ]


# --- the CLI reference ------------------------------------------------------------


def test_cli_reference_matches_the_parser() -> None:
    from timeline.cli import parser

    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    wanted = gen_cli.updated(current, parser())
    assert wanted == current, "docs/cli.md is stale: run python bench/gen_cli_docs.py"


def test_cli_reference_lists_every_option_and_command() -> None:
    from timeline.cli import parser

    text = gen_cli.reference(parser())
    for words, p, _summary in gen_cli.commands(parser()):
        assert f"## `{words}`" in text
        for action in p._actions:
            if action.help is argparse.SUPPRESS:
                continue
            for option in action.option_strings:
                assert option in text, f"{words}: {option} is not in the reference"


def _toy_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="toy", description="a toy command")
    p.add_argument("--version", action="version", version="toy 9.9")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", aliases=["r"], help="run | things")
    run.add_argument("inputs", nargs="+", metavar="IN", help="the inputs")
    run.add_argument("--level", type=int, default=3, help="how hard (default: %(default)s)")
    run.add_argument("--secret", help=argparse.SUPPRESS)
    group = run.add_mutually_exclusive_group()
    group.add_argument("--fast", action="store_true", help="go fast")
    group.add_argument("--slow", action="store_true", help="go *slow*")
    run.add_argument("--name", required=True, choices=["a", "b"])
    run.add_argument("--span", nargs=2, metavar=("FROM", "TO"), help="100%% of it")
    deeper = run.add_subparsers(dest="how")
    deeper.add_parser("now", help="at once")
    return p


def test_cli_generator_on_a_parser_with_every_kind_of_argument() -> None:
    text = gen_cli.reference(_toy_parser())
    assert [w for w, _p, _s in gen_cli.commands(_toy_parser())] == ["toy", "toy run", "toy run now"]
    assert "| `--version` | Show program's version number and exit |" in text
    assert "9.9" not in text  # the version string itself changes every release
    assert "| `IN [IN ...]` | The inputs |" in text
    assert "| `--level LEVEL` | How hard (default: 3) | `3` |" in text
    assert "--secret" not in text
    assert "[--fast | --slow]" in text
    assert "| Go \\*slow\\* |" in text and "| Run \\| things |" in text
    assert "| `--name NAME` | Required. One of `a`, `b`. |" in text
    assert "| `--span FROM TO` | 100% of it |" in text
    assert "toy run [-h] [--level LEVEL] [--fast | --slow] --name NAME [--span FROM TO]" in text
    assert "[`toy run`](#toy-run)" in text and "toy r`" not in text  # an alias is no command


def test_cli_generator_keeps_the_hand_written_prose() -> None:
    doc = f"# T\n\nbefore\n\n{gen_cli.BEGIN}\nold\n{gen_cli.END}\n\nafter\n"
    new = gen_cli.updated(doc, _toy_parser())
    assert new.startswith("# T\n\nbefore\n\n") and new.endswith(f"{gen_cli.END}\n\nafter\n")
    assert "old" not in new and "## `toy run`" in new
    with pytest.raises(ValueError, match="markers"):
        gen_cli.updated("# no markers\n", _toy_parser())


def test_cli_generator_check_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text(f"# CLI\n\n{gen_cli.BEGIN}\n{gen_cli.END}\n", encoding="utf-8")
    monkeypatch.setattr(gen_cli, "DOC", stale)
    assert gen_cli.main(["--check"]) == 1
    assert gen_cli.main([]) == 0
    assert gen_cli.main(["--check"]) == 0
    assert "## `timeline dump`" in stale.read_text(encoding="utf-8")


# --- docstrings as Markdown -------------------------------------------------------


def test_rest_blocks_become_markdown() -> None:
    pytest.importorskip("griffe")
    rest = _load(ROOT / "bench" / "griffe_rest.py")
    doc = (
        "Intro.\n\n>>> f(1)\n2\n\nAn example::\n\n    raw text\n      kept\n\nAfter.\n\n"
        "``text``\n    a table;\n``csv``\n    rows\n    of events.\n\nEnd."
    )
    assert rest.blocks(doc) == (
        "Intro.\n\n```pycon\n>>> f(1)\n2\n```\n\nAn example:\n\n```text\nraw text\n  kept\n```\n\n"
        "After.\n\n- ``text``: a table;\n- ``csv``: rows\n  of events.\n\nEnd."
    )
    # bulleted lists and their indented continuation lines are left alone
    bullets = "- :mod:`.a`: one\n  two;\n- :mod:`.b`: three."
    assert rest.blocks(bullets) == bullets


def test_rest_roles_become_cross_references() -> None:
    griffe = pytest.importorskip("griffe")
    rest = _load(ROOT / "bench" / "griffe_rest.py")
    pkg = griffe.load("timeline", search_paths=[str(ROOT)])
    order = pkg["order"]
    got = rest.roles(
        ":class:`Timeline`, :mod:`.records`, :class:`ValueError`, :func:`~.records.to_pandas`",
        order,
        pkg,
    )
    assert got == (
        '<autoref identifier="timeline.order.timeline.Timeline" optional><code>Timeline</code>'
        '</autoref>, <autoref identifier="timeline.order.records" optional><code>.records'
        "</code></autoref>, <code>ValueError</code>, "
        '<autoref identifier="timeline.order.records.to_pandas" optional><code>to_pandas'
        "</code></autoref>"
    )


# --- the site ---------------------------------------------------------------------

needs_mkdocs = pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None
    or importlib.util.find_spec("mkdocstrings_handlers") is None,
    reason="the docs extra (mkdocs, mkdocstrings) is not installed",
)


def _mkdocs(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = _mkdocs(ROOT / "mkdocs.yml", out)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@needs_mkdocs
def test_api_page_renders_headings_and_signatures(site: Path) -> None:
    page = (site / "api" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r":(?:class|func|meth|mod|data|attr|exc):`?", page), "a raw Sphinx role"
    assert "&gt;&gt;&gt;" in page and "<blockquote>" not in page  # doctests as code
    for name in ("extract", "build", "parse_published", "Options", "Timeline", "Event"):
        assert f'<h3 id="timeline.{name}" class="doc doc-heading">' in page, name
    signatures = re.findall(r'<div class="doc-signature highlight">(.*?)</div>', page, re.DOTALL)
    flat = [re.sub(r"<[^>]+>", "", s) for s in signatures]
    assert any(s.startswith("extract(") and "published: Published" in s for s in flat)
    assert any(s.startswith("Options(domain: str = 'auto')") for s in flat), flat
    assert any(s.startswith("Event(") and "factuality: str" in s for s in flat)
    for stage in ("find", "resolve", "attach", "order", "io", "evaluation"):
        assert f'id="timeline.{stage}"' in page, stage


@needs_mkdocs
def test_schema_links_resolve(site: Path) -> None:
    page = (site / "formats" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]*schema/[^"]+\.json)"', page)
    assert len(links) >= 2
    for link in links:
        assert (site / "formats" / link).resolve().is_file(), link


def _mini_site(tmp_path: Path, other: str, orphan: bool = False) -> Path:
    """A two-page site with this project's mkdocs.yml settings (validation, strict)."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    (docs / "schema").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nSee [other](other.md#a-heading).\n", "utf-8")
    (docs / "other.md").write_text(f"# Other\n\n## A heading\n\n{other}\n", "utf-8")
    (docs / "schema" / "s.json").write_text("{}\n", encoding="utf-8")
    if orphan:
        (docs / "orphan.md").write_text("# Not in the nav\n", encoding="utf-8")
    config.update(
        docs_dir=str(docs),
        nav=[{"Home": "index.md"}, {"Other": "other.md"}],
        plugins=["search"],
        theme={"name": "mkdocs"},
    )
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@needs_mkdocs
def test_a_site_with_good_links_builds(tmp_path: Path) -> None:
    good = "[back](index.md), [up](#a-heading), [schema](schema/s.json)."
    assert _mkdocs(_mini_site(tmp_path, good), tmp_path / "site").returncode == 0


@needs_mkdocs
@pytest.mark.parametrize(
    "bad",
    [
        "[gone](missing.md)",
        "[no such heading](index.md#nowhere)",
        "[no such anchor here](#nowhere)",
        "[no such file](schema/missing.json)",
    ],
)
def test_broken_links_fail_the_build(bad: str, tmp_path: Path) -> None:
    failed = _mkdocs(_mini_site(tmp_path, bad), tmp_path / "site")
    assert failed.returncode != 0
    said = failed.stdout + failed.stderr
    assert "WARNING" in said and "strict mode" in said, said


@needs_mkdocs
def test_a_page_left_out_of_the_nav_fails_the_build(tmp_path: Path) -> None:
    failed = _mkdocs(_mini_site(tmp_path, "Text.", orphan=True), tmp_path / "site")
    assert failed.returncode != 0 and "orphan.md" in failed.stderr


def test_tox_has_an_env_for_every_classified_python() -> None:
    versions = [
        c.rsplit(" ", 1)[-1]
        for c in PYPROJECT["project"]["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    env_list = re.search(r"^env_list\s*=\s*(.+)$", tox, re.MULTILINE)
    assert env_list is not None
    envs = {e.strip() for e in env_list.group(1).split(",")}
    assert versions and {"py" + v.replace(".", "") for v in versions} <= envs
    assert {"lint", "type", "docs"} <= envs
