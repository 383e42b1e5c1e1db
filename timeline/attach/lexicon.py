"""Closed word classes shared by the lexical analyses (attachment and ranking)."""

from __future__ import annotations

__all__ = ["AUXILIARIES", "DETERMINERS", "REPORTING_VERBS"]

DETERMINERS = frozenset(
    "a an the this that these those his her its their our my your some any no every each".split()
)
AUXILIARIES = frozenset("is are am was were be been being has have had do does did".split())
REPORTING_VERBS = frozenset(
    "said says told announced reported added stated declared confirmed denied warned "
    "insisted explained noted argued claimed".split()
)
