from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from timeline.find import grammar, scan

# No per-example deadline: CI machines are shared and timing is not what the
# properties are about (speed is checked by bench/, against a peer).
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, max_examples=200, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

grammar()  # compile once, before any test is timed
list(scan("Friday 3 p.m. last week, the 1990s and 2025-01-05 in a year, every Monday, now."))

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


@pytest.fixture
def corpora() -> Path:
    """The shared TimeML corpora; tests that need them skip where they are absent."""
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is not present")
    return CORPORA
