"""timeline: temporal expressions in news text, resolved and ordered.

>>> import timeline
>>> [m.value for m in timeline.extract("China and Russia on Friday voiced opposition.", "2025-01-22")]
['2025-01-17']
"""

from .api import build, extract
from .model import Direction, Event, Grain, Interval, Mention, Provenance, TimeValue
from .options import Options, parse_published
from .order import Timeline

__all__ = [
    "Direction",
    "Event",
    "Grain",
    "Interval",
    "Mention",
    "Options",
    "Provenance",
    "TimeValue",
    "Timeline",
    "build",
    "extract",
    "parse_published",
]

__version__ = "0.1.0"
