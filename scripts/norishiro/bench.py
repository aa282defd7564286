"""Benchmarks with printed figures: `python -m norishiro.bench [section ...]`.

Speed and size targets live here, not in timed unit tests.  The corpus is
made from the sample stories: each synthetic story is a sample with a new
slug, title and municipality, so text volume and shape stay realistic.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from .collection import check_paths

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


@section("check")
def bench_check(sizes: list[int], work: Path) -> None:
    """Check time for N synthetic stories (target: 5,000 in under 5 s)."""
    for n in sizes:
        corpus = work / f"check-{n}"
        make_corpus(n, corpus)
        seconds, result = timed(lambda corpus=corpus: check_paths([str(corpus)]))
        errors = len(result.errors)  # type: ignore[attr-defined]
        print(f"check  {n:>6,} stories: {seconds:6.2f} s  ({seconds / n * 1000:.2f} ms/story, errors {errors})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m norishiro.bench", description="のりしろのベンチマーク")
    parser.add_argument("sections", nargs="*", help=f"実行する項目（省略時はすべて）: {', '.join(sections)}")
    parser.add_argument("--sizes", default="1000,5000", help="物語の件数（カンマ区切り）")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in sections]
    if unknown:
        parser.error(f"知らない項目: {', '.join(unknown)}")
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="norishiro-bench-"))
    try:
        for name in args.sections or list(sections):
            print(f"== {name}", flush=True)
            sections[name](sizes, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _load_other_sections() -> None:
    """Sections defined next to the code they measure register on import."""
    for module in ("norishiro.pages.bench_site", "norishiro.search.bench_search"):
        try:
            __import__(module)
        except ModuleNotFoundError as exc:
            if not module.startswith(exc.name or "?"):
                raise  # a real import error inside an existing section


if __name__ == "__main__":
    # Run through the module's real name: sections register into that copy.
    from norishiro import bench

    bench._load_other_sections()
    sys.exit(bench.main())
