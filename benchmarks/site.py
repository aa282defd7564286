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
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
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


# Runs `mkdocs build` and prints the peak resident memory of the build process
# itself (the checker's worker processes are separate and short-lived).
_MEASURED_BUILD = """
import resource, runpy, sys
sys.argv = ["mkdocs", "build", "--quiet", "--site-dir", sys.argv[1]]
try:
    runpy.run_module("mkdocs", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def _build(project: Path) -> tuple[float, int]:
    """Build the project; return the CPU seconds it used (steadier than wall time on a busy machine) and peak KiB."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-c", _MEASURED_BUILD, str(project / "site")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{result.stdout}{result.stderr}")
    peak = int(next(line.split()[1] for line in result.stderr.splitlines() if line.startswith("PEAK_KIB")))
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, peak


PAGE_LIMIT = 300_000  # bytes: no generated page may be larger (issue 11)


@dataclass(frozen=True)
class SiteSizes:
    total: int  # bytes of every file
    largest_page: str  # the largest .html file, from the site root
    largest_page_bytes: int
    over_limit: int  # .html files over PAGE_LIMIT
    largest_data: str  # the largest other file (search index, JSON, CSV, feeds)
    largest_data_bytes: int


def _site_sizes(site: Path) -> SiteSizes:
    total, over = 0, 0
    pages: tuple[int, str] = (0, "")
    data: tuple[int, str] = (0, "")
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            size = os.path.getsize(path)
            total += size
            here = (size, os.path.relpath(path, site))
            if name.endswith(".html"):
                over += size > PAGE_LIMIT
                pages = max(pages, here)
            else:
                data = max(data, here)
    return SiteSizes(total, pages[1], pages[0], over, data[1], data[0])


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
    """Site build for N stories: time beside stock Material, peak memory (target ≤ 1 GiB), largest page (≤ 300 KB)."""
    for n in sizes:
        here = work / f"site-{n}"
        stories = here / "stories"
        make_corpus(n, stories)
        ours = _ours(here, stories)
        ours_seconds, (ours_cpu, peak) = timed(lambda ours=ours: _build(ours))  # type: ignore[misc]
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        measured = _site_sizes(ours / "site")
        line = (
            f"site   {n:>6,} stories: norishiro {ours_seconds:7.2f} s (cpu {ours_cpu:.2f} s, {ours_seconds / n * 1000:.2f} ms/story)"
            f"  peak {peak / 1024:,.0f} MiB  largest page {measured.largest_page_bytes / 1000:,.0f} KB ({measured.largest_page})"
            f"  pages over {PAGE_LIMIT // 1000} KB: {measured.over_limit}  site {measured.total / 1e6:,.0f} MB"
            f"  largest data file {measured.largest_data_bytes / 1e6:,.1f} MB ({measured.largest_data})"
            f"  load {load} ({os.cpu_count()} cores)"
        )
        shutil.rmtree(ours / "site", ignore_errors=True)
        if n > STOCK_MAX:
            print(f"{line}  stock material skipped (over NORISHIRO_BENCH_STOCK_MAX={STOCK_MAX})", flush=True)
            continue
        stock = _stock(here, stories)
        stock_seconds, (stock_cpu, _) = timed(lambda stock=stock: _build(stock))  # type: ignore[misc]
        shutil.rmtree(stock, ignore_errors=True)
        print(f"{line}  stock material {stock_seconds:7.2f} s (cpu {stock_cpu:.2f} s)  ratio {ours_seconds / stock_seconds:.2f}", flush=True)


def _get(url: str, want: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if want in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


@section("serve")
def bench_serve(sizes: list[int], work: Path) -> None:
    """`mkdocs serve` on 1,000 stories: seconds from saving an edited story to the edit being served (target ≤ 3 s)."""
    n = 1000
    here = work / f"serve-{n}"
    stories = here / "stories"
    files = make_corpus(n, stories)
    project = _ours(here, stories)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        target = project / "stories" / files[n // 2].name
        url = f"http://127.0.0.1:{port}/stories/{target.stem}.html"
        started = time.perf_counter()
        if not _get(url, "<h1", 900):
            raise SystemExit("mkdocs serve did not come up")
        first = time.perf_counter() - started
        times = []
        for round_number in range(3):
            time.sleep(2)
            mark = f"編集の確認{round_number}"
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("title: ", f"title: {mark}", 1), encoding="utf-8")
            saved = time.perf_counter()
            shown = _get(url, mark, 300)
            times.append(time.perf_counter() - saved if shown else float("inf"))
            target.write_text(text, encoding="utf-8")
            _get(url, "<h1", 300)
        print(f"serve  {n:>6,} stories: first build served after {first:.1f} s; edit to visible "
              + ", ".join(f"{t:.1f}" for t in times) + " s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
