"""The public entry points, composed from the four stages.

``extract`` finds and resolves; ``build`` goes on to attach and order:

    text ─► find ─► resolve (with discourse) ─► attach ─► order ─► Timeline

Each stage is a subpackage named after its verb: :mod:`timeline.find`,
:mod:`timeline.resolve`, :mod:`timeline.attach` and :mod:`timeline.order`.
"""

from __future__ import annotations

from .attach import attach
from .find import scan
from .find.filters import drop_quoted_titles, numeric_order, with_domain_rules
from .model import Mention
from .options import DEFAULT, Options, Published, parse_published
from .order import Timeline
from .resolve import discourse

__all__ = ["Options", "Published", "build", "extract", "parse_published"]


def extract(text: str, published: Published, *, options: Options | None = None) -> list[Mention]:
    """Find the temporal expressions in ``text`` and resolve each one.

    Returns the mentions in text order; they never overlap and
    ``text[m.start:m.end] == m.text`` for each.

    ```python
    >>> [(m.text, m.value) for m in extract("Talks were held on Friday.", "2025-01-22")]
    [('Friday', '2025-01-17')]

    ```
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    pub = parse_published(published)
    domain = (options or DEFAULT).domain
    # find: every match of the grammar, less the time words inside quoted titles,
    # with slashed dates read in the order the text's own dates settle
    candidates = numeric_order(drop_quoted_titles(text, list(scan(text))))
    # resolve: news or a story, then each mention in the light of those before it
    story = discourse.reads_as_story(domain, candidates, pub)
    if story:
        candidates = with_domain_rules(text, candidates)
    return discourse.read(text, candidates, pub, story=story)


def build(
    text: str,
    published: Published,
    *,
    options: Options | None = None,
    document: str | None = None,
    undated: bool = False,
) -> Timeline:
    """Extract, attach each date to its event, and order the events.

    With ``undated=True``, sentences that report something ("the minister
    said") without any date expression also give events, placed on the
    publish date and marked ``dated=False``.

    ```python
    >>> t = build("Talks were held on Friday. The minister will travel next week.", "2025-01-22")
    >>> [(e.when.value, e.trigger, e.factuality) for e in t]
    [('2025-01-17', 'held', 'asserted'), ('2025-W05', 'travel', 'future')]

    ```
    """
    mentions = extract(text, published, options=options)
    pub = parse_published(published).date()
    events = attach(text, mentions, document, published=pub, undated=undated)
    return Timeline.from_events(events, mentions)
