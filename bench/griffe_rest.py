"""A griffe extension that lets mkdocstrings render this project's docstrings.

The docstrings are written in reStructuredText habits: Sphinx roles
(:func:`extract`, :class:`~timeline.model.Event`, :mod:`.scanner`), doctest
blocks and ``::`` literal blocks.  mkdocstrings renders docstrings as
Markdown, where a role would show as raw text and ``>>>`` would open nested
quotes.  This extension rewrites each docstring of the package, once it is
loaded, into the Markdown that says the same thing:

- a role whose target is an object of the package becomes an optional
  cross-reference: a link when that object is rendered somewhere in the site,
  plain code otherwise (so a reference never breaks the strict build);
  any other target (``ValueError``, ``datetime.date``) becomes plain code;
- a doctest block becomes a ``pycon`` code block;
- a paragraph ending in ``::`` and the indented block after it become the
  paragraph (ending in ``:``) and a code block;
- a definition list (a term, its definition indented below it) becomes a
  bulleted list of ``term: definition``.

It also gives each attrs class (``@attrs.frozen`` and the like) the
``__init__`` that attrs writes at run time, made from its annotated fields, so
that the class heading shows the signature its callers use.

The source files are not changed.  mkdocs.yml loads it with
``extensions: [bench/griffe_rest.py]`` (the path is relative to the folder
mkdocs runs in).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?P<kind>[a-z]+):`(?P<target>[^`]+)`")
FENCE = "```"
BULLET = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_term(lines: list[str], i: int) -> bool:
    """True when line ``i`` is a definition-list term: a deeper line follows."""
    line = lines[i]
    if not line.strip() or i + 1 >= len(lines) or not lines[i + 1].strip():
        return False
    if BULLET.match(line) or line.strip().startswith(">>>") or line.rstrip().endswith("::"):
        return False
    return _indent(lines[i + 1]) > _indent(line)


def _definition_list(lines: list[str], i: int, out: list[str]) -> int:
    """Append the definition list starting at term ``i`` as a bulleted list."""
    base = _indent(lines[i])
    pad = " " * base
    if out and out[-1].strip():
        out.append("")
    while i < len(lines) and _indent(lines[i]) == base and _is_term(lines, i):
        term = lines[i].strip()
        j = i + 1
        body: list[str] = []
        while j < len(lines) and lines[j].strip() and _indent(lines[j]) > base:
            body.append(lines[j].strip())
            j += 1
        out.append(f"{pad}- {term}: {body[0]}")
        out += [f"{pad}  {b}" for b in body[1:]]
        i = j
    if i < len(lines) and lines[i].strip():
        out.append("")
    return i


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)  # type: ignore[arg-type]


def _module(obj: griffe.Object) -> griffe.Module:
    while not obj.is_module:
        assert obj.parent is not None
        obj = obj.parent
    return obj  # type: ignore[return-value]


def _exists(pkg: griffe.Module, path: str) -> bool:
    if path == pkg.path:
        return True
    if not path.startswith(pkg.path + "."):
        return False
    try:
        pkg[path[len(pkg.path) + 1 :]]
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return False
    return True


def _target_path(target: str, obj: griffe.Object, pkg: griffe.Module) -> str | None:
    """The full path of a role's target within the package, or None."""
    if target.startswith("."):
        module = _module(obj)
        base = module if module.is_init_module else module.parent
        dots = len(target) - len(target.lstrip("."))
        for _ in range(dots - 1):
            base = base.parent if base is not None else None
        if base is None:
            return None
        rest = target[dots:]
        path = f"{base.path}.{rest}" if rest else base.path
        return path if _exists(pkg, path) else None
    if _exists(pkg, target):
        return target
    head, _, tail = target.partition(".")
    try:
        resolved = obj.resolve(head)
    except (griffe.NameResolutionError, KeyError, AttributeError):
        return None
    path = f"{resolved}.{tail}" if tail else resolved
    return path if _exists(pkg, path) else None


def roles(text: str, obj: griffe.Object, pkg: griffe.Module) -> str:
    """``text`` with every Sphinx role replaced by a cross-reference or code."""

    def replace(match: re.Match[str]) -> str:
        target = match["target"].strip().lstrip("!")
        short = target.startswith("~")
        target = target.lstrip("~")
        shown = target.rsplit(".", 1)[-1] if short else target
        code = f"<code>{html.escape(shown)}</code>"
        path = _target_path(target, obj, pkg)
        if path is None:
            return code
        return f'<autoref identifier="{html.escape(path)}" optional>{code}</autoref>'

    return ROLE.sub(replace, text)


def blocks(text: str) -> str:
    """``text`` with doctest and ``::`` literal blocks as fenced code blocks."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(FENCE):
            in_fence = not in_fence
            out.append(line)
            i += 1
            continue
        if in_fence:
            out.append(line)
            i += 1
            continue
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += [f"{indent}{FENCE}pycon", *(indent + b for b in block), f"{indent}{FENCE}"]
            continue
        if (i == 0 or not lines[i - 1].strip()) and _is_term(lines, i):
            i = _definition_list(lines, i, out)
            continue
        if stripped.endswith("::") and not stripped.startswith(".."):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            level = _indent(line)
            body_start = j
            while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > level):
                j += 1
            body = lines[body_start:j]
            while body and not body[-1].strip():
                body.pop()
            if body:
                depth = min(_indent(b) for b in body if b.strip())
                paragraph = line.rstrip()[:-2].rstrip()
                if paragraph.strip():
                    out += [paragraph + ":", ""]
                pad = " " * level
                out += [f"{pad}{FENCE}text", *(pad + b[depth:] for b in body), f"{pad}{FENCE}", ""]
                i = j
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


_ATTRS_DECORATORS = re.compile(r"^attrs?\.(?:frozen|define|mutable|s|attrs|dataclass)\b")
_FIELD_CALLS = ("attrs.field", "attr.ib", "attr.attrib", "attr.field")


def _keywords(call: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for argument in getattr(call, "arguments", ()):
        name = getattr(argument, "name", None)
        if name is not None:
            out[name] = str(argument.value)
    return out


def attrs_init(cls: griffe.Class) -> griffe.Function | None:
    """The ``__init__`` attrs writes for ``cls``, or None if it is no attrs class."""
    decorators = [str(d.value) for d in cls.decorators]
    if "__init__" in cls.members or not any(_ATTRS_DECORATORS.match(d) for d in decorators):
        return None
    class_kw_only = any("kw_only=True" in d for d in decorators)
    params = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    keyword_only: list[griffe.Parameter] = []
    for candidate in cls.members.values():
        if candidate.is_alias or not isinstance(candidate, griffe.Attribute):
            continue
        member = candidate
        if member.annotation is None:
            continue
        if str(member.annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        value = member.value
        default: str | None = None if value is None else str(value)
        kw_only = class_kw_only
        name = member.name.lstrip("_")
        if value is not None and str(getattr(value, "function", "")) in _FIELD_CALLS:
            keywords = _keywords(value)
            if keywords.get("init") == "False":
                continue
            kw_only = kw_only or keywords.get("kw_only") == "True"
            name = keywords.get("alias", "").strip("'\"") or name
            if "default" in keywords:
                default = keywords["default"]
            elif "factory" in keywords:
                default = f"{keywords['factory']}()"
            else:
                default = None
        kind = (
            griffe.ParameterKind.keyword_only
            if kw_only
            else griffe.ParameterKind.positional_or_keyword
        )
        param = griffe.Parameter(name, annotation=member.annotation, kind=kind, default=default)
        (keyword_only if kw_only else params).append(param)
    return griffe.Function(
        "__init__", parameters=griffe.Parameters(*params, *keyword_only), returns="None"
    )


class RestDocstrings(griffe.Extension):
    """Rewrite the reStructuredText habits of every docstring as Markdown."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in list(_objects(pkg)):
            if obj.docstring is not None:
                obj.docstring.value = roles(blocks(obj.docstring.value), obj, pkg)
            if obj.is_class:
                init = attrs_init(obj)  # type: ignore[arg-type]
                if init is not None:
                    obj.set_member("__init__", init)
