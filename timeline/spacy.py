"""A spaCy pipeline component: ``nlp.add_pipe("timeline")``.

The factory is registered through the ``spacy_factories`` entry point, so
spaCy finds it without ``import timeline``:

```python
import spacy

nlp = spacy.blank("en")
nlp.add_pipe("timeline", config={"published": "2025-01-22"})
doc = nlp("Talks were held on Friday. The minister will travel next week.")
[(span.text, span.label_, span._.timex.value) for span in doc.spans["timeline"]]
# [('Friday', 'DATE', '2025-01-17'), ('next week', 'DATE', '2025-W05')]
[(e.trigger, e.when.value) for e in doc._.timeline]
# [('held', '2025-01-17'), ('travel', '2025-W05')]
```

(``docs/integrations/spacy.md`` runs this example where spaCy is installed.)

The publish date is ``doc._.published`` when set (a date, a datetime or an ISO
8601 string), else the component's ``published`` setting, else a dateline in
the opening lines of the text; with none of these the component raises
:class:`ValueError`.

Outputs:

- ``doc.spans["timeline"]``: one span per mention, labelled with its TIMEX3
  type (``DATE``, ``TIME``, ``DURATION``, ``SET``); ``span._.timex`` is the
  :class:`~timeline.Mention`.  Offsets are code points, as spaCy's are; where
  a mention does not fall on token boundaries its span is widened to them
  (``span._.timex.text`` keeps the mention's own text).
- ``doc._.timeline``: the document's :class:`~timeline.Timeline`.

Both are rebuilt from ``doc._.timeline_data``, the timeline as plain data
(:func:`timeline.io.serialize.timeline_to_dict`), so a ``Doc`` keeps them
through ``Doc.to_bytes`` and ``nlp.pipe(..., n_process=2)``.  For the same
reason, with ``n_process`` > 1 a ``doc._.published`` set before the pipe
must be an ISO string (spaCy sends the documents to its workers as msgpack).
"""

import datetime as _dt
import functools
from typing import Any

from .api import build
from .io.dateline import detect_published
from .io.serialize import mention_from_dict, timeline_from_dict, timeline_to_dict
from .model import Mention
from .options import Options, parse_published
from .order.timeline import Timeline

__all__ = ["TimelineComponent", "make_timeline_component"]

_HINT = "the spaCy component needs spaCy: pip install 'news-timeline[spacy]'"


class TimelineComponent:
    """The pipeline component: dates every document it is given."""

    def __init__(
        self,
        name: str = "timeline",
        *,
        published: str | None = None,
        domain: str = "auto",
        undated: bool = False,
        spans_key: str = "timeline",
    ) -> None:
        _extensions()
        self.name = name
        self.published = parse_published(published).date() if published else None
        self.options = Options(domain=domain)
        self.undated = undated
        self.spans_key = spans_key

    def publish_date(self, doc: Any) -> _dt.date:
        """``doc._.published``, else the ``published`` setting, else the dateline."""
        own = doc._.published
        if own is not None:
            try:
                return parse_published(own).date()
            except ValueError as exc:
                raise ValueError(f"timeline: doc._.published: {exc}") from None
        if self.published is not None:
            return self.published
        found = detect_published(doc.text)
        if found is None:
            raise ValueError(
                "timeline: no publish date for this document: set doc._.published, "
                "give the component one (config={'published': 'YYYY-MM-DD'}), "
                "or start the text with a dateline"
            )
        return found

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span  # type: ignore[import-not-found,unused-ignore]

        built = build(doc.text, self.publish_date(doc), options=self.options, undated=self.undated)
        spans = []
        for i, m in enumerate(built.mentions):
            # the span's id names its mention: two mentions inside one token
            # ("2019/20") share the token's offsets, never their id
            span_id = _SPAN_ID.format(i)
            span = doc.char_span(m.start, m.end, label=m.type, span_id=span_id)
            if span is None:  # not on token boundaries: the tokens around it
                span = doc.char_span(
                    m.start, m.end, label=m.type, span_id=span_id, alignment_mode="expand"
                )
            if span is None:  # pragma: no cover - expand always finds tokens in a text
                span = Span(doc, 0, 0, label=m.type, span_id=span_id)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.timeline_data = timeline_to_dict(built)
        return doc


def make_timeline_component(
    nlp: Any,
    name: str,
    published: str | None,
    domain: str,
    undated: bool,
    spans_key: str,
) -> TimelineComponent:
    """The ``timeline`` factory (see the module documentation for the settings)."""
    return TimelineComponent(
        name, published=published, domain=domain, undated=undated, spans_key=spans_key
    )


def _timeline_of(doc: Any) -> Timeline | None:
    data = doc._.timeline_data
    return None if data is None else timeline_from_dict(data)


_SPAN_ID = "timeline:{}"


@functools.cache
def _span_hash(index: int) -> int:
    from spacy.strings import get_string_id  # type: ignore[import-not-found,unused-ignore]

    return int(get_string_id(_SPAN_ID.format(index)))


def _timex_of(span: Any) -> Mention | None:
    """The mention a span stands for: by the span's id for the component's
    own spans, else the one with its offsets, else the first one inside it."""
    data = span.doc._.timeline_data
    if data is None:
        return None
    mentions = data["mentions"]
    for i, m in enumerate(mentions):
        if span.id == _span_hash(i):
            return mention_from_dict(m)
    inside = None
    for m in mentions:
        if m["start"] == span.start_char and m["end"] == span.end_char:
            return mention_from_dict(m)
        if inside is None and span.start_char <= m["start"] and m["end"] <= span.end_char:
            inside = m
    return None if inside is None else mention_from_dict(inside)


def _extensions() -> None:
    from spacy.tokens import Doc, Span  # type: ignore[import-not-found,unused-ignore]

    if not Doc.has_extension("published"):
        Doc.set_extension("published", default=None)
    if not Doc.has_extension("timeline_data"):
        Doc.set_extension("timeline_data", default=None)
    if not Doc.has_extension("timeline"):
        Doc.set_extension("timeline", getter=_timeline_of)
    if not Span.has_extension("timex"):
        Span.set_extension("timex", getter=_timex_of)


def _register() -> None:
    """Register the factory with spaCy (at import; spaCy imports this module
    through the ``spacy_factories`` entry point)."""
    try:
        from spacy.language import Language  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # the module still imports; the factory is not usable
        return
    Language.factory(
        "timeline",
        default_config={
            "published": None,
            "domain": "auto",
            "undated": False,
            "spans_key": "timeline",
        },
    )(make_timeline_component)
    _extensions()


_register()
