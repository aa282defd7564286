"""Benchmark section `check`: the checker over N synthetic stories, beside a YAML floor.

The floor only reads each file and composes its front matter with PyYAML's
C loader: no checker can be much faster than that.  Cold is a first check
(empty cache folder, the command line's path); cached is the same check
again with nothing changed.
"""

from __future__ import annotations

import os
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks.common import anchor, make_corpus, section
from norishiro.check.cache import Cache
from norishiro.check.collection import PARALLEL_FROM, check_paths


def yaml_floor(files: list[Path]) -> int:
    """Read each file and compose its front matter with the C loader; return the node count."""
    nodes = 0
    for path in files:
        text = path.read_bytes().decode("utf-8")
        end = text.find("\n---", 4)
        node = yaml.compose(text[4:end], Loader=yaml.CSafeLoader)
        nodes += len(node.value) if node is not None else 0
    return nodes


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the checker's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_cpu(function: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result): on a shared machine CPU time is the steadier figure."""
    wall, cpu = time.perf_counter(), _cpu()
    result = function()
    return time.perf_counter() - wall, _cpu() - cpu, result


ROUNDS = 3  # floor and cold check, one after the other, this many times


@section("check")
def bench_check(sizes: list[int], work: Path) -> None:
    """Check time for N synthetic stories: cold, cached (target ≤ 0.3 s at 5,000), floor, ratio (target ≤ 2).

    Wall time (CPU time in brackets: with worker processes it exceeds wall
    time), with the load average of the machine when the line was measured.
    On a shared machine one measurement of either can be off by half, so the
    floor and a cold check (from an empty cache folder) are measured in turn,
    ROUNDS times; each round is printed, and the ratio held against the
    target is the best cold check's over the best floor's (noise only ever
    adds time), beside the median of the rounds' own ratios.
    """
    anchor("check")
    print(f"check  {os.cpu_count()} cores; a cold check of {PARALLEL_FROM:,} files or more runs in worker processes", flush=True)
    for n in sizes:
        corpus = work / f"check-{n}"
        files = make_corpus(n, corpus)
        cache_root = work / f"check-cache-{n}"

        def run(corpus: Path = corpus, cache_root: Path = cache_root) -> object:
            return check_paths([str(corpus)], cache=Cache(cache_root), want_stories=False)

        floors: list[float] = []
        colds: list[float] = []
        for round_number in range(1, ROUNDS + 1):
            floor, floor_cpu, _ = timed_cpu(lambda files=files: yaml_floor(files))
            shutil.rmtree(cache_root, ignore_errors=True)
            cold, cold_cpu, result = timed_cpu(run)
            floors.append(floor)
            colds.append(cold)
            print(
                f"check  {n:>6,} stories, round {round_number}: cold {cold:6.2f} s ({cold / n * 1000:.2f} ms/story; cpu {cold_cpu:6.2f} s)"
                f"  yaml floor {floor:6.2f} s (cpu {floor_cpu:5.2f} s)  cold/floor {cold / floor:4.2f}  (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        cached, _, _ = timed_cpu(run)
        errors = len(result.errors)  # type: ignore[attr-defined]
        ratios = sorted(cold / floor for cold, floor in zip(colds, floors, strict=True))
        print(
            f"check  {n:>6,} stories: cold {min(colds):6.2f} s ({min(colds) / n * 1000:.2f} ms/story)  cached {cached:5.2f} s"
            f"  yaml floor {min(floors):6.2f} s  cold/floor {min(colds) / min(floors):4.2f} (best of {ROUNDS} each;"
            f" median of the rounds {ratios[len(ratios) // 2]:4.2f})  (errors {errors}; load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
