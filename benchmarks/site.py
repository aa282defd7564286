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

from benchmarks.common import anchor, make_corpus, section, timed

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
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child
# of a large benchmark process (the search section holds 20,000 stories'
# index) would report the parent's size.
_MEASURED_BUILD = """
import resource, runpy, sys
sys.argv = ["mkdocs", "build", "--quiet", "--site-dir", sys.argv[1]]
try:
    runpy.run_module("mkdocs", run_name="__main__")
except SystemExit as exit:
    code = exit.code
else:
    code = 0
try:
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print("PEAK_KIB", peak, file=sys.stderr)
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
    anchor("site")
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


def _get(url: str, want: str, timeout: float, without: str = "") -> bool:
    """Poll url until its page holds `want` (and not `without`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                text = response.read().decode("utf-8")
            if want in text and not (without and without in text):
                return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


def _cpu(pid: int) -> float:
    """CPU seconds used so far by a process (Linux /proc; 0 elsewhere): steadier than wall time on a busy machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


ERROR_PAGE = "物語のファイルに誤りがあります"


@section("serve")
def bench_serve(sizes: list[int], work: Path) -> None:
    """`mkdocs serve` on 1,000 stories: seconds from saving an edited story to the edit being served (target ≤ 3 s),
    and from saving a broken story to its error page, and from fixing it to the page again."""
    anchor("serve")
    n = 1000
    here = work / f"serve-{n}"
    stories = here / "stories"
    files = make_corpus(n, stories)
    project = _ours(here, stories)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log_path = here / "serve.log"
    with open(log_path, "w", encoding="utf-8") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    try:
        target = project / "stories" / files[n // 2].name
        url = f"http://127.0.0.1:{port}/stories/{target.stem}.html"
        started = time.perf_counter()
        if not _get(url, "<h1", 900):
            raise SystemExit("mkdocs serve did not come up")
        first = time.perf_counter() - started
        print(f"serve  {n:>6,} stories: first build served after {first:.1f} s ({_load()})", flush=True)
        text = target.read_text(encoding="utf-8")

        def saved_until(content: str, want: str, without: str = "") -> str:
            """Save content; the seconds until the page shows `want` (and the server's CPU seconds meanwhile)."""
            time.sleep(2)
            cpu = _cpu(server.pid)
            target.write_text(content, encoding="utf-8")
            saved = time.perf_counter()
            seconds = time.perf_counter() - saved if _get(url, want, 600, without) else float("inf")
            return f"{seconds:.1f} (cpu {_cpu(server.pid) - cpu:.1f})"

        times = []
        for round_number in range(3):
            mark = f"編集の確認{round_number}"
            times.append(saved_until(text.replace("title: ", f"title: {mark}", 1), mark))
            saved_until(text, "<h1", mark)
        print(f"serve  {n:>6,} stories: edit to visible " + ", ".join(times) + f" s (target 3 s; {_load()})", flush=True)
        broken = saved_until(text.replace("status: ", "status: 休み", 1), ERROR_PAGE)
        fixed = saved_until(text, "<h1", ERROR_PAGE)
        print(f"serve  {n:>6,} stories: broken story to error page {broken} s, fixed to page again {fixed} s ({_load()})", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
    progress = [line.split(" - ", 1)[-1].strip() for line in log_path.read_text(encoding="utf-8").splitlines() if "変更を反映しています" in line]
    if progress:
        print(f"serve  {n:>6,} stories: the server said 「{progress[0]}」", flush=True)
