"""Shared pieces of the benchmarks: the section registry, the corpus, a timer.

Speed and size targets live here, not in timed unit tests.  The corpus is
benchmarks/corpus.py: varied stories recombined from the samples' pieces.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import SAMPLES, make_corpus

__all__ = ["ANCHOR", "SAMPLES", "anchor", "make_corpus", "section", "sections", "timed"]

# The anchor: figures measured on this machine before the work on issue 11
# (the text), printed beside each section's own figures.
ANCHOR: dict[str, str] = {
    "check": "check: 1.6-1.95 ms/story, cold/floor 5.3-5.7 (targets: cold/floor <= 2 at 5,000; cached 5,000 <= 0.3 s)",
    "site": "build: ~8 ms/story, 0.25-0.30x stock Material at 1,000; peak 600 MiB at 5,000, ~2.3 GiB predicted at 20,000;"
            " failures.html 19.9 MB at 5,000, no page paged (targets: peak <= 1 GiB and no page over 300 KB at 20,000)",
    "serve": "serve: 24-31 s from saving one story of 1,000 to seeing it; a broken story hung the request with no message"
             " (target: <= 3 s; a Japanese error page, recovered once fixed)",
}


def anchor(name: str) -> None:
    print(f"anchor (issue 11, before): {ANCHOR[name]}", flush=True)

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
