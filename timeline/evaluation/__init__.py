"""Evaluation against annotated corpora.

- :mod:`.tempeval`: TempEval-3 scoring of the expressions and their values;
- :mod:`.events`: event attachment against TimeBank's TLINKs;
- :mod:`.semeval`: SemEval-2015 Task 4 entity timelines, with the task's
  temporal-awareness measure.
"""
