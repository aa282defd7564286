"""Benchmark section `check`: the checker over N synthetic stories."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import make_corpus, section, timed
from norishiro.check.collection import check_paths


@section("check")
def bench_check(sizes: list[int], work: Path) -> None:
    """Check time for N synthetic stories (target: 5,000 in under 5 s)."""
    for n in sizes:
        corpus = work / f"check-{n}"
        make_corpus(n, corpus)
        seconds, result = timed(lambda corpus=corpus: check_paths([str(corpus)]))
        errors = len(result.errors)  # type: ignore[attr-defined]
        print(f"check  {n:>6,} stories: {seconds:6.2f} s  ({seconds / n * 1000:.2f} ms/story, errors {errors})")
