"""Shared pieces of the benchmarks: the section registry, the corpus, a timer.

Speed and size targets live here, not in timed unit tests.  The corpus is
made from the sample stories: each synthetic story is a sample with a new
slug, title and municipality, so text volume and shape stay realistic.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

SAMPLES = Path("stories")  # run from the project root
Section = Callable[[list[int], Path], None]
sections: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    def register(function: Section) -> Section:
        sections[name] = function
        return function

    return register


def make_corpus(n: int, dest: Path, samples: Path = SAMPLES) -> list[Path]:
    """Write n synthetic stories into dest, cycling through the samples."""
    templates = [path.read_text(encoding="utf-8") for path in sorted(samples.glob("*.md"))]
    if not templates:
        raise SystemExit(f"見本の物語が {samples} にありません")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(n):
        text = templates[index % len(templates)]
        mark = f"合成{index:05d}"
        text = re.sub(r"^title: (.*)$", lambda m, mark=mark: f"title: {_unquote(m.group(1))[:60]}（{mark}）", text, count=1, flags=re.M)
        text = re.sub(r"^(\s+name: )(.*)$", lambda m, mark=mark: f"{m.group(1)}{mark}市", text, count=1, flags=re.M)
        path = dest / f"synthetic-{index:05d}.md"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _unquote(value: str) -> str:
    return value.strip().strip("'\"")


def timed(function: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result
