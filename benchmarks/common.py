"""Shared pieces of the benchmarks: the section registry, the corpus, a timer.

Speed and size targets live here, not in timed unit tests.  The corpus is
benchmarks/corpus.py: varied stories recombined from the samples' pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import SAMPLES, make_corpus

__all__ = ["SAMPLES", "make_corpus", "section", "sections", "timed"]

Section = Callable[[list[int], Path], None]
sections: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    def register(function: Section) -> Section:
        sections[name] = function
        return function

    return register


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result
