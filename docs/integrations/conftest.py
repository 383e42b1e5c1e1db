"""Run each integration page's examples only where its extra is installed."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys

import pytest

# page -> (modules it needs, what to install)
NEEDS = {
    "corpus.md": (("pandas", "pyarrow"), "news-timeline[parquet]"),
    "spacy.md": (("spacy",), "news-timeline[spacy]"),
    "dask.md": (("dask", "distributed", "pandas", "pyarrow"), "news-timeline[dask]"),
    "spark.md": (("pyspark", "pyarrow"), "news-timeline[spark]"),
}


def _missing(modules: tuple[str, ...]) -> str | None:
    for name in modules:
        if importlib.util.find_spec(name) is None:
            return name
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    need = NEEDS.get(item.path.name)
    if need is None:
        return
    modules, extra = need
    missing = _missing(modules)
    if missing is not None:
        pytest.skip(f"{item.path.name}: needs {missing} (pip install '{extra}')")
    if item.path.name == "spark.md" and not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("spark.md: Spark needs a Java runtime")
    if item.path.name == "spark.md":
        # Spark's Python workers run this interpreter, whatever `python3` the PATH finds.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
