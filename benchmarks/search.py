"""Benchmark section "search": what a query downloads and how soon results show (issue 10).

    python -m benchmarks search --sizes 2000,20000

For each size, a synthetic collection (benchmarks.common.make_corpus) is
indexed twice: by this search, and by the anchor (the issue 4 search, built by
its own code from git: ANCHOR, or env NORISHIRO_SEARCH_ANCHOR).  In headless
Chromium over http and file://, each `?q=` link is opened in a new browser
context (empty cache) and we read: the time from navigation to the first
rendered results, the bytes of every file the page had loaded by then and by
the end of the query (sizes on disk: the local server does not compress), and
the JS heap after the query.  Targets (issue 10) are printed beside the
figures.  Then recall@10 and MRR of the query tables, both searches.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from benchmarks import harness
from benchmarks.common import SAMPLES, make_corpus, section
from norishiro.check.collection import check_paths

ANCHOR = "4c687b7"  # the issue 4 search (one index, every shard loaded on open)
TABLES = (Path("tests/fixtures/search/queries.tsv"), Path("tests/fixtures/search/kinds.tsv"))
OWN_STORIES = Path("tests/fixtures/search/stories")
TIMED_QUERIES = ("協議会", "障害　子ども", "高齢の親と暮らす無職の息子", "令和2年度", "見つからない言葉")
LOADS = 3
WARM_UP_QUERY = "会議"
ANCHOR_TIMEOUT_MS = 180_000
# size -> (first results ms, KB before first results, KB for the whole query or None, heap MB or None)
TARGETS = {2000: (500, 300, 1000, None), 20000: (1000, 600, None, 50)}

READ = """() => [window.NorishiroSearchFirstResultsAt || 0, performance.timeOrigin,
                 document.querySelectorAll('[data-search-result]').length]"""


def _anchor_site(corpus: list[Path], dest: Path, work: Path) -> Path | None:
    """Build the anchor's search site with the anchor's own code (from git)."""
    root = Path(__file__).resolve().parent.parent
    source = work / "anchor-src"
    if not source.exists():
        ref = os.environ.get("NORISHIRO_SEARCH_ANCHOR", ANCHOR)
        archive = work / "anchor.tar"
        done = subprocess.run(["git", "-C", str(root), "archive", "-o", str(archive), ref, "scripts/norishiro", "benchmarks"], capture_output=True)
        if done.returncode:
            print(f"anchor {ref}: git archive failed ({done.stderr.decode().strip()})")
            return None
        with tarfile.open(archive) as tar:
            tar.extractall(source, filter="data")
    folder = corpus[0].parent if corpus else dest
    script = (
        "import sys; from pathlib import Path; from benchmarks.harness import write_search_site; "
        "from norishiro.check.collection import check_paths; "
        f"write_search_site(check_paths([{str(folder)!r}]).stories, Path({str(dest)!r}))"
    )
    env = {"PYTHONPATH": f"{source / 'scripts'}:{source}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", script], cwd=source, env=env, check=True)
    return dest


def _size_of(url: str, site: Path, base: str) -> int:
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    prefix = urllib.parse.unquote(urllib.parse.urlsplit(base).path)
    target = site / (path[len(prefix):] if path.startswith(prefix) else path.lstrip("/"))
    return target.stat().st_size if target.is_file() else 0


def _measure(browser: Any, site: Path, base: str, query: str, timeout_ms: int) -> tuple[float, int, int, float, int] | None:
    """(ms to first results, bytes by then, bytes for the whole query, heap MB, results shown), or None on timeout."""
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        # Resource Timing has no file:// entries; the DevTools network events
        # have both, with wall-clock start times to set against the page's clock.
        requests: dict[str, dict[str, Any]] = {}
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", lambda e: requests.setdefault(e["requestId"], {"url": e["request"]["url"], "offset": e["wallTime"] - e["timestamp"]}))
        cdp.on("Network.loadingFinished", lambda e: requests.get(e["requestId"], {}).setdefault("end", e["timestamp"]))
        page.goto(harness.search_url(base, query))
        try:
            page.wait_for_selector(harness.DONE, state="attached", timeout=timeout_ms)
        except Exception:  # noqa: BLE001  (playwright's TimeoutError; the figure is "did not finish")
            return None
        page.wait_for_timeout(50)  # let the last network events arrive
        first, origin, count = page.evaluate(READ)
        seen = [r for r in requests.values() if "end" in r]
        first_wall = (origin + first) / 1000 if count else float("inf")
        before = sum(_size_of(r["url"], site, base) for r in seen if r["end"] + r["offset"] <= first_wall + 0.001)
        total = sum(_size_of(r["url"], site, base) for r in seen)
        cdp.send("HeapProfiler.collectGarbage")
        heap = cdp.send("Runtime.getHeapUsage")["usedSize"] / 1e6
        return float(first), before, total, heap, int(count)
    finally:
        context.close()


def _row(label: str, runs: list[tuple[float, int, int, float, int]] | None) -> tuple[float, float, float, float] | None:
    if not runs:
        print(f"      {label:7} did not finish within {ANCHOR_TIMEOUT_MS // 1000} s")
        return None
    first = statistics.median(r[0] for r in runs)
    before = statistics.median(r[1] for r in runs) / 1000
    total = statistics.median(r[2] for r in runs) / 1000
    heap = statistics.median(r[3] for r in runs)
    shown = f"{first:7.1f} ms" if runs[0][4] else " (none) "
    print(f"      {label:7} first results {shown} | {before:8.1f} KB before them | {total:8.1f} KB whole query | heap {heap:6.1f} MB | {runs[0][4]} shown")
    return first if runs[0][4] else 0.0, before, total, heap


def _verdict(n: int, worst: dict[str, float]) -> None:
    target = TARGETS.get(n)
    if target is None:
        return
    names = ("first results ms", "KB before first results", "KB whole query", "heap MB")
    parts = []
    for name, limit in zip(names, target, strict=True):
        if limit is None:
            continue
        value = worst[name]
        parts.append(f"{name} {value:.1f} (target ≤ {limit}: {'ok' if value <= limit else 'OVER'})")
    print("    worst over queries and modes: " + "; ".join(parts))


def _timings(browser: Any, n: int, sites: dict[str, Path | None]) -> None:
    worst = {"first results ms": 0.0, "KB before first results": 0.0, "KB whole query": 0.0, "heap MB": 0.0}
    for name, site in sites.items():
        if site is None:
            continue
        with harness.http_server(site, own_process=True) as http_base:
            for mode, base in (("http", http_base), ("file", site.as_uri() + "/")):
                # One load first, not timed: a reader's browser is already running,
                # so its one-time start-up costs are not the site's.
                _measure(browser, site, base, WARM_UP_QUERY, ANCHOR_TIMEOUT_MS)
                queries = TIMED_QUERIES if name == "ours" or n <= 5000 else TIMED_QUERIES[:1]
                for query in queries:
                    print(f"  {n:>6,} stories {mode:4} q={query}")
                    loads = LOADS if name == "ours" or n <= 5000 else 1
                    runs = []
                    for _ in range(loads):
                        got = _measure(browser, site, base, query, ANCHOR_TIMEOUT_MS)
                        if got is None:
                            runs = []
                            break
                        runs.append(got)
                    figures = _row(name, runs)
                    if name == "ours" and figures is not None:
                        for key, value in zip(worst, figures, strict=True):
                            worst[key] = max(worst[key], value)
    _verdict(n, worst)


def _tables(browser: Any, sites: dict[str, Path | None]) -> None:
    for name, site in sites.items():
        if site is None:
            continue
        page = browser.new_page()
        with harness.http_server(site, own_process=True) as http_base:
            for mode, base in (("http", http_base), ("file", site.as_uri() + "/")):
                for table in TABLES:
                    queries = harness.load_queries(table)
                    found = reciprocal = 0.0
                    misses = []
                    for query in queries:
                        got = harness.results(page, base, query.query, timeout_ms=30_000)
                        rank = query.rank(got)
                        found += rank > 0
                        reciprocal += 1 / rank if rank else 0
                        if not rank:
                            misses.append(f"[{query.kind}] {query.query}")
                    print(f"  {name:6} {mode:4} {table.name:12} recall@10 {found / len(queries):.3f}  MRR {reciprocal / len(queries):.3f}  ({len(queries)} queries)")
                    if misses and name == "ours":
                        print("    misses: " + ", ".join(misses))
        page.close()


@section("search")
def bench_search(sizes: list[int], work: Path) -> None:
    """Bytes and time to first results, ours and the anchor's (targets: 2,000 and 20,000 stories)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("search benchmark skipped: Python playwright is not installed")
        return
    if not Path(harness.CHROMIUM).exists():
        print(f"search benchmark skipped: no Chromium at {harness.CHROMIUM}")
        return
    with harness.chromium() as browser:
        own = work / "search-own-stories"
        shutil.copytree(SAMPLES, own)
        for path in OWN_STORIES.glob("*.md"):
            shutil.copy(path, own / path.name)
        own_files = sorted(own.glob("*.md"))
        tables = {
            "ours": harness.write_search_site(check_paths([str(own)]).stories, work / "search-site-own"),
            "anchor": _anchor_site(own_files, work / "anchor-site-own", work),
        }
        print("query tables (samples + tests/fixtures/search/stories):")
        _tables(browser, tables)
        for n in sizes:
            corpus_dir = work / f"search-corpus-{n}"
            corpus = make_corpus(n, corpus_dir)
            stories = check_paths([str(corpus_dir)]).stories
            start = time.perf_counter()
            ours = harness.write_search_site(stories, work / f"search-site-{n}")
            built = time.perf_counter() - start
            files = list((ours / "assets" / "norishiro").rglob("*.js"))
            print(f"{n:>6,} stories: index built in {built:.1f} s, {len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB in all")
            anchor = _anchor_site(corpus, work / f"anchor-site-{n}", work)
            _timings(browser, n, {"ours": ours, "anchor": anchor})
            for site in (ours, anchor):
                if site is not None:
                    shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(corpus_dir, ignore_errors=True)
