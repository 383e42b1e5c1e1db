"""timeline: temporal expressions in news text, resolved and ordered.

>>> import timeline
>>> [m.value for m in timeline.extract("China and Russia on Friday voiced opposition.", "2025-01-22")]
['2025-01-17']
"""

from typing import TYPE_CHECKING

from .api import build, extract
from .model import Direction, Event, Grain, Interval, Mention, Provenance, TimeValue
from .options import Options, parse_published
from .order import Timeline

if TYPE_CHECKING:  # pragma: no cover - for type checkers only; loaded lazily below
    from .corpus import Document, build_many, read, to_pandas

# The corpus API is loaded at first use (PEP 562), so `import timeline` stays fast.
_LAZY = {
    "Document": "corpus",
    "build_many": "corpus",
    "read": "corpus",
    "to_pandas": "corpus",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'timeline' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "Direction",
    "Document",
    "Event",
    "Grain",
    "Interval",
    "Mention",
    "Options",
    "Provenance",
    "TimeValue",
    "Timeline",
    "build",
    "build_many",
    "extract",
    "parse_published",
    "read",
    "to_pandas",
]

__version__ = "0.1.0"
