"""Running the search page in headless Chromium: shared by the tests and the benchmark.

Python Playwright drives Debian's chromium (never a browser Playwright
downloads).  A standalone search site (the search page and its assets, no
MkDocs theme) is enough for timing; the tests use the real built site.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import http.server
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from norishiro.format.model import Story
from norishiro.search.assets import search_assets
from norishiro.search.page import STYLE_PATH, search_page_content

CHROMIUM = os.environ.get("NORISHIRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DONE = '#norishiro-search[data-search-state="done"], #norishiro-search[data-search-state="idle"]'


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as intranet servers do

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def http_server(root: Path, own_process: bool = False) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (a free port) in a thread; yields the base URL.

    With `own_process`, the server runs in a process of its own, as an intranet
    server would: timings then do not include this process's browser driver
    and the server waiting on each other for the interpreter lock.
    """
    if own_process:
        with _server_process(root) as base:
            yield base
        return
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="norishiro-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def _server_process(root: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.harness", str(root)], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        port = int(process.stdout.readline())  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _serve_forever(root: str) -> None:
    """`python -m benchmarks.harness ROOT`: serve ROOT, print the port, run until stopped."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=root))
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium (playwright Browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def search_url(base: str, query: str, **facets: str) -> str:
    """URL of search.html under `base` (http://.../ or file:///.../) for a query."""
    params = [("q", query), *facets.items()]
    return base + "search.html?" + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def results(page: Any, base: str, query: str, timeout_ms: int = 10_000) -> list[str]:
    """Load the search page for `query` and return the result slugs in order."""
    page.goto(search_url(base, query))
    page.wait_for_selector(DONE, state="attached", timeout=timeout_ms)
    return page.eval_on_selector_all("[data-search-result]", "els => els.map(e => e.getAttribute('data-search-result'))")


# ---- the query table ------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A row of a query table.  `expected` is a slug, "-" (nothing may be found),
    or several slugs joined by "|" when they answer the query equally well (a
    facet or a date alone: every story in that period or with that value)."""

    kind: str
    query: str
    expected: str
    note: str = ""

    @property
    def answers(self) -> tuple[str, ...]:
        return () if self.expected == "-" else tuple(self.expected.split("|"))

    def rank(self, found: list[str], top: int = 10) -> int:
        """1-based rank of the first right answer within `top`, 0 when none; a
        "-" row ranks 1 when nothing is found."""
        if self.expected == "-":
            return 0 if found else 1
        return next((i + 1 for i, slug in enumerate(found[:top]) if slug in self.answers), 0)


def load_queries(path: Path) -> list[Query]:
    """Read a tab-separated table (kind, query, expected, note); '#' lines are comments."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [Query(r["kind"], r["query"], r["expected"], r.get("note") or "") for r in rows]


def hit_rate(
    page: Any, base: str, queries: Iterable[Query], top: int = 10, reload: bool = True
) -> tuple[float, list[tuple[Query, list[str]]]]:
    """Share of queries whose expected story is within the first `top` results, and the misses.

    reload=True loads search.html?q=... for every query; reload=False loads the
    page once and types each query through window.NorishiroSearch.search.
    """
    total = 0
    misses: list[tuple[Query, list[str]]] = []
    if not reload:
        results(page, base, "")
    for query in queries:
        total += 1
        found = results(page, base, query.query) if reload else page.evaluate("q => NorishiroSearch.search(q)", query.query)
        if not query.rank(found, top):
            misses.append((query, found[:top]))
    return (1 - len(misses) / total if total else 0.0), misses


# ---- a standalone search site ---------------------------------------------

_HTML = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>検索 - のりしろ</title>
<link rel="stylesheet" href="{style}">
</head>
<body>
<main>
<h1>検索</h1>
{body}
</main>
</body>
</html>
"""


def standalone_page() -> str:
    """search.html without MkDocs: the generated page's HTML in a bare document."""
    content = search_page_content()
    _, _, rest = content.partition("\n---\n")  # drop the front matter
    body = "\n".join(line for line in rest.splitlines() if not line.startswith("# "))
    return _HTML.format(style=STYLE_PATH, body=body.strip())


def write_search_site(stories: Iterable[Story], dest: Path, **index_options: int) -> Path:
    """Write search.html and the search assets into dest; return dest."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "search.html").write_text(standalone_page(), encoding="utf-8")
    for path, data in search_assets(stories, **index_options).items():
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return dest


if __name__ == "__main__":
    _serve_forever(sys.argv[1])
