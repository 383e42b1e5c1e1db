"""Attaching: the event each date dates.

- :mod:`.words`: sentences, clauses, and which words read as verbs or event nouns;
- :mod:`.heuristic`: the staged rule-based choice of a date's word;
- :mod:`.ranker`: the learned event tagger and ranker, with its weights in
  ``weights.json`` (trained by ``bench/train_attach.py``);
- :mod:`.attacher`: :func:`attach`, one :class:`~timeline.model.Event` per date.
"""

from .attacher import Attachment, Tagging, attach, attach_one, trigger_for

__all__ = ["Attachment", "Tagging", "attach", "attach_one", "trigger_for"]
