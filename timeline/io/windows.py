"""Long texts in bounded memory: the timeline of one huge article, window by window.

:func:`timeline.build` keeps, for the attachment stage, every word of the
text with its offset and tags (several times the text's own size).  For an
article of tens of megabytes that is gigabytes.  :func:`build_windowed` gives
the same :class:`~timeline.order.Timeline` while holding only one window's
words at a time:

1. **Finding and resolving run over the whole text**, as in
   :func:`timeline.extract`.  They keep only the candidates and the mentions
   (a few hundred bytes per date), and the discourse state (the previous
   date, the story's date, news or story) runs on from the first mention to
   the last exactly as in a whole-text run.
2. **Attaching runs window by window.**  The text is cut into windows of about
   ``window`` characters, at a paragraph break where there is one near the cut
   (else a line break, else a space).  Each window is attached with
   ``margin`` characters of the text on either side, and keeps the events whose
   date (for an undated event: whose reporting verb) lies inside the window
   itself.  Every look the attachment takes around a date is bounded: the
   sentence at most 400 characters each way, at most 40 words on each side
   inside it, a clause of at most 200 characters.  With the default margin of
   2,000 characters, an event therefore sees exactly the words it would see in
   the whole text, and the offsets, computed in the window, are shifted back.
3. **Ordering** runs once, over all the events.

The result is equal to ``timeline.build(text, ...)`` (the tests check it on
every document of the shared corpora with windows of a few hundred
characters); a text no longer than ``window`` goes straight to
:func:`timeline.build`.  Peak memory is the text, its mentions and events,
and one window's words: ``timeline dump`` of a 10 MB article of news peaked
at 217 MB, against 476 MB whole (``bench/memory.py``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator

import attrs

from ..api import build, extract
from ..attach import attach
from ..model import Event, Mention
from ..options import Options, Published, parse_published
from ..order import Timeline

__all__ = ["MARGIN", "WINDOW", "build_windowed", "cuts"]

#: Characters of text attached at a time (the margins aside).
WINDOW = 250_000
#: Characters of context on each side of a window: more than any look the
#: attachment takes around a date (see the module docstring).
MARGIN = 2_000

# How far back from a window's end a break is looked for, as a fraction of it.
_LOOK_BACK = 4


def cuts(text: str, window: int = WINDOW) -> Iterator[tuple[int, int]]:
    """The ``(start, end)`` of each window, covering ``text`` in order.

    Each window ends at a paragraph break near ``window`` characters on where
    there is one in its last quarter, else at a line break, else after a space,
    else at ``window`` characters exactly.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 character, not {window}")
    start, n = 0, len(text)
    while start < n:
        end = start + window
        if end >= n:
            yield start, n
            return
        floor = end - window // _LOOK_BACK
        for sep in ("\n\n", "\n", " "):
            found = text.rfind(sep, max(start + 1, floor), end)
            if found > start:
                end = found + len(sep)
                break
        yield start, end
        start = end


def build_windowed(
    text: str,
    published: Published,
    *,
    options: Options | None = None,
    document: str | None = None,
    undated: bool = False,
    window: int = WINDOW,
    margin: int = MARGIN,
    progress: Callable[[int, int], None] | None = None,
) -> Timeline:
    """``timeline.build(text, published, ...)``, attached window by window.

    ``progress(done, total)`` is called with the characters attached so far
    after each window (``total`` is ``len(text)``).  Raises what
    :func:`timeline.build` raises, and :class:`ValueError` for a ``window``
    or ``margin`` below 1 or 0.
    """
    if margin < 0:
        raise ValueError(f"margin must not be negative, not {margin}")
    if window < 1:
        raise ValueError(f"window must be at least 1 character, not {window}")
    if not isinstance(text, str) or len(text) <= window:
        timeline = build(text, published, options=options, document=document, undated=undated)
        if progress is not None:
            progress(len(text), len(text))
        return timeline
    mentions = extract(text, published, options=options)
    day = parse_published(published).date()
    starts = [m.start for m in mentions]
    # attach() numbers the date events first, then the lengths and frequencies
    # that stand alone, then the reported ones: the same order here.
    dated: list[Event] = []
    qualifiers: list[Event] = []
    reported: list[Event] = []
    for lo, hi in cuts(text, window):
        a, b = max(0, lo - margin), min(len(text), hi + margin)
        first = bisect.bisect_left(starts, a)
        last = bisect.bisect_left(starts, b)
        inside = [m for m in mentions[first:last] if m.end <= b]
        local = [attrs.evolve(m, start=m.start - a, end=m.end - a) for m in inside]
        original = dict(zip(local, inside, strict=True))
        for event in attach(text[a:b], local, document, published=day, undated=undated):
            at = event.mention.start if event.mention is not None else event.sources[0].start
            if not lo <= at + a < hi:
                continue  # in the margin: another window's event
            mention = original[event.mention] if event.mention is not None else None
            if mention is None:
                group = reported
            elif event.kind in ("duration", "frequency"):
                group = qualifiers
            else:
                group = dated
            group.append(_shifted(event, a, mention))
        if progress is not None:
            progress(hi, len(text))
    events = [attrs.evolve(e, position=i) for i, e in enumerate([*dated, *qualifiers, *reported])]
    return Timeline.from_events(events, mentions)


def _shifted(event: Event, offset: int, mention: Mention | None) -> Event:
    """``event`` with its offsets moved from the window to the whole text."""
    return attrs.evolve(
        event,
        mention=mention,
        trigger_start=None if event.trigger_start is None else event.trigger_start + offset,
        text_start=event.text_start + offset,
        sources=tuple(
            attrs.evolve(s, start=s.start + offset, end=s.end + offset) for s in event.sources
        ),
    )
