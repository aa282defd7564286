"""Benchmark section "search": index size and time to first results in Chromium.

    python -m benchmarks search [--sizes 1000,5000]

For the sample stories and each synthetic size: index bytes (raw and gzip)
against the text it searches and the story files; then, in headless Chromium
over http and file://, the time from navigation start to the first rendered
results of a `?q=` link and to the results over all text.  Two kinds of load:
"first visit" (a new browser context: new renderer, empty cache) and "from the
site" (the same tab, HTTP cache disabled), as when a reader uses the header
box.  The sample row shows this machine's floor (page, style, renderer).
Finally the hit rate of the query table (tests/fixtures/search/queries.tsv).
Needs Debian's chromium and Python playwright for the browser parts.
"""

from __future__ import annotations

import gzip
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import harness
from benchmarks.common import SAMPLES, make_corpus, section
from norishiro.check.collection import check_paths
from norishiro.search.index import INDEX_PATH, searchable_text

QUERIES = Path("tests/fixtures/search/queries.tsv")  # run from the project root
TIMED_QUERIES = ("協議会", "障害　子ども", "ﾔﾝｸﾞｹｱﾗｰ", "支援", "見つからない言葉")
LOADS = 5
TARGET_MS = 300
READ_TIMES = """() => [window.NorishiroSearchFirstResultsAt || 0, window.NorishiroSearchCompleteAt || 0,
                       document.querySelectorAll('[data-search-result]').length]"""


def _sizes(label: str, stories: list[Any], site: Path, files: int) -> None:
    assets = site / "assets" / "norishiro"
    head = (site / INDEX_PATH).read_bytes()
    index = head + b"".join(p.read_bytes() for p in sorted(assets.glob("search-text-*.js")))
    text = sum(len(searchable_text(s).encode()) for s in stories)
    packed = len(gzip.compress(index, compresslevel=6))
    shards = len(list(assets.glob("search-text-*.js")))
    print(
        f"search index {label}: {len(index) / 1e6:6.2f} MB raw ({len(head) / 1e6:.2f} MB first script + {shards} text shards), "
        f"{packed / 1e6:5.2f} MB gzip | searchable text {text / 1e6:6.2f} MB: raw/text {len(index) / text:.3f}, "
        f"gzip/text {packed / text:.3f} | story files {files / 1e6:6.2f} MB: raw/files {len(index) / files:.3f}"
    )


@contextmanager
def _first_visit(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


def _measure(page: Any, base: str, query: str) -> tuple[float, float, int]:
    """(ms to first results, ms to all text searched, results shown), from navigation start."""
    page.goto(harness.search_url(base, query))
    page.wait_for_selector(harness.DONE, state="attached", timeout=120_000)
    first, complete, count = page.evaluate(READ_TIMES)
    return float(first), float(complete), int(count)


def _report(label: str, runs: list[tuple[float, float, int]]) -> float | None:
    first = statistics.median(r[0] for r in runs)
    complete = statistics.median(r[1] for r in runs)
    count = runs[0][2]
    shown = f"{first:6.1f} ms" if count else "  (none)"
    print(f"    {label} first results {shown}, all text searched {complete:7.1f} ms ({count} shown)")
    return first if count else None


def _timings(browser: Any, label: str, site: Path) -> None:
    warm_context = browser.new_context()
    warm = warm_context.new_page()
    warm_context.new_cdp_session(warm).send("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        with harness.http_server(site) as http_base:
            for mode, base in (("http", http_base), ("file", site.as_uri() + "/")):
                worst: dict[str, float] = {}
                for query in TIMED_QUERIES:
                    print(f"  {mode:4} {label} q={query} (median of {LOADS} loads)")
                    _measure(warm, base, query)  # warm the disk cache and the tab
                    cold_runs = []
                    for _ in range(LOADS):
                        with _first_visit(browser) as page:
                            cold_runs.append(_measure(page, base, query))
                    warm_runs = [_measure(warm, base, query) for _ in range(LOADS)]
                    for kind, runs in (("first visit  ", cold_runs), ("from the site", warm_runs)):
                        first = _report(kind, runs)
                        if first is not None:
                            worst[kind] = max(worst.get(kind, 0.0), first)
                for kind, ms in worst.items():
                    verdict = "ok" if ms <= TARGET_MS else "OVER"
                    print(f"  {mode:4} {label} slowest first results, {kind.strip()}: {ms:.1f} ms (target {TARGET_MS} ms: {verdict})")
    finally:
        warm_context.close()


def _hit_rate(browser: Any, site: Path) -> None:
    if not QUERIES.exists():
        print(f"hit rate: {QUERIES} not found (run from the project root)")
        return
    queries = harness.load_queries(QUERIES)
    page = browser.new_page()
    with harness.http_server(site) as http_base:
        for mode, base in (("http", http_base), ("file", site.as_uri() + "/")):
            rate, misses = harness.hit_rate(page, base, queries)
            print(f"hit rate {mode:4}: {rate:.1%} of {len(queries)} queries have their story in the first 10 results (one ?q= load each)")
            for query, found in misses:
                print(f"  miss [{query.kind}] {query.query} -> expected {query.expected}, got {found[:3]}")
    page.close()


@section("search")
def bench_search(sizes: list[int], work: Path) -> None:
    """Index size and time to first results (target: 5,000 stories within 300 ms of load)."""
    samples = check_paths([str(SAMPLES)]).stories
    sample_site = harness.write_search_site(samples, work / "search-site-samples")
    sites = [(f"{len(samples):>6,} samples", sample_site)]
    _sizes(sites[0][0], samples, sample_site, sum(Path(s.source).stat().st_size for s in samples))
    for n in sizes:
        corpus = work / f"search-corpus-{n}"
        make_corpus(n, corpus)
        stories = check_paths([str(corpus)]).stories
        site = harness.write_search_site(stories, work / f"search-site-{n}")
        label = f"{n:>6,} stories"
        _sizes(label, stories, site, sum(p.stat().st_size for p in corpus.glob("*.md")))
        sites.append((label, site))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        print("search timings skipped: Python playwright is not installed")
        return
    if not Path(harness.CHROMIUM).exists():
        print(f"search timings skipped: no Chromium at {harness.CHROMIUM}")
        return
    with harness.chromium() as browser:
        for label, site in sites:
            _timings(browser, label, site)
        _hit_rate(browser, sample_site)

