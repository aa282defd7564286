"""Benchmark section `site`: our build against the stock Material build.

For each size, N synthetic stories are built twice: as the のりしろ site
(mkdocs.yml, docs/ and overrides/ of this repository, story pages generated
by the plugin, stories out of the navigation), and as plain Markdown pages
under a plain Material configuration without plugins, whose navigation lists
every page.  Both run `mkdocs build` in a fresh process.

The stock build grows with the square of the number of pages (every page
carries the whole navigation): about 3 minutes for 1,000 stories and over an
hour for 5,000.  It runs up to NORISHIRO_BENCH_STOCK_MAX stories (default
2,000); set it higher to compare at 5,000.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from benchmarks.common import make_corpus, section, timed

PROJECT = Path(".")  # run from the project root, like the other sections
STOCK_MAX = int(os.environ.get("NORISHIRO_BENCH_STOCK_MAX", "2000"))

STOCK_CONFIG = """\
site_name: stock
theme:
  name: material
  language: ja
  font: false
plugins: []
"""


def _build(project: Path) -> float:
    """Build the project; return the CPU seconds it used (steadier than wall time on a busy machine)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(project / "site")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{result.stdout}{result.stderr}")
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _ours(work: Path, stories: Path) -> Path:
    project = work / "ours"
    project.mkdir()
    shutil.copy(PROJECT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "overrides"):
        shutil.copytree(PROJECT / folder, project / folder)
    shutil.copytree(stories, project / "stories")
    return project


def _stock(work: Path, stories: Path) -> Path:
    project = work / "stock"
    shutil.copytree(stories, project / "docs")
    (project / "docs" / "index.md").write_text("# stock\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(STOCK_CONFIG, encoding="utf-8")
    return project


@section("site")
def bench_site(sizes: list[int], work: Path) -> None:
    """Site build time for N stories, beside stock Material (aim: about half the stock time)."""
    for n in sizes:
        here = work / f"site-{n}"
        stories = here / "stories"
        make_corpus(n, stories)
        ours = _ours(here, stories)
        ours_seconds, ours_cpu = timed(lambda ours=ours: _build(ours))
        line = f"site   {n:>6,} stories: norishiro {ours_seconds:7.2f} s (cpu {ours_cpu:.2f} s, {ours_seconds / n * 1000:.2f} ms/story)"
        if n > STOCK_MAX:
            print(f"{line}  stock material skipped (over NORISHIRO_BENCH_STOCK_MAX={STOCK_MAX})", flush=True)
            continue
        stock = _stock(here, stories)
        stock_seconds, stock_cpu = timed(lambda stock=stock: _build(stock))
        print(f"{line}  stock material {stock_seconds:7.2f} s (cpu {stock_cpu:.2f} s)  ratio {ours_seconds / stock_seconds:.2f}", flush=True)
