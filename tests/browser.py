"""Headless Chromium and a local HTTP server for browser tests.

Uses Python Playwright driving Debian's chromium (/usr/bin/chromium); never a
browser that Playwright downloads.  In CI (env CI=true) a missing browser or
Playwright fails the test; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import CHROMIUM, http_server  # noqa: F401  (re-exported for tests)

REPO = Path(__file__).resolve().parent.parent


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def missing_browser() -> str | None:
    """Why the browser cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python playwright is not installed (pip install playwright; never `playwright install`)"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    return None


_SHARED: dict[str, Any] = {}


def shared_chromium() -> Any:
    """One headless Chromium (playwright Browser) for the whole test run.

    Playwright's sync API runs one instance per thread, so every test module
    uses this one; it closes when the interpreter exits.  Skips, or fails in
    CI, when the browser is missing.
    """
    reason = missing_browser()
    if reason:
        _unavailable(reason)
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        from benchmarks.harness import CHROMIUM_ARGS

        driver = sync_playwright().start()
        _SHARED["driver"] = driver
        _SHARED["browser"] = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        atexit.register(_close_shared)
    return _SHARED["browser"]


def _close_shared() -> None:
    browser, driver = _SHARED.pop("browser", None), _SHARED.pop("driver", None)
    with contextlib.suppress(Exception):
        if browser is not None:
            browser.close()
        if driver is not None:
            driver.stop()


# ---- the built sample site ------------------------------------------------

_MINIMAL_CONFIG = """\
site_name: のりしろ
use_directory_urls: false
theme:
  name: material
  language: ja
  custom_dir: {overrides}
  font: false
plugins: []
"""


def _write_minimal_docs(docs: Path, stories_dir: Path) -> None:
    """A stand-in site until the MkDocs plugin generates the real one."""
    from norishiro.check.collection import check_paths
    from norishiro.search import search_assets, search_page_content

    stories = check_paths([str(stories_dir)]).stories
    (docs / "stories").mkdir(parents=True)
    (docs / "index.md").write_text("# のりしろ\n\n[検索](search.md)\n", encoding="utf-8")
    (docs / "search.md").write_text(search_page_content(), encoding="utf-8")
    for story in stories:
        page = f"# {story.title}\n\n{story.summary}\n"
        (docs / "stories" / f"{story.slug}.md").write_text(page, encoding="utf-8")
    for path, data in search_assets(stories).items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site built once for the whole test run (for tests that only read it)."""
    if "site" not in _SHARED:
        _SHARED["site"] = build_site(tmp_path_factory.mktemp("shared-site"))
    return _SHARED["site"]


def build_site(dest: Path, stories_dir: Path | None = None) -> Path:
    """Build the sample site into dest/site and return that folder.

    With the project's mkdocs.yml and plugin, that is the real site; before the
    plugin exists, a minimal MkDocs site with the same search page and assets.
    """
    stories_dir = stories_dir or REPO / "stories"
    site = dest / "site"
    config = REPO / "mkdocs.yml"
    if config.exists() and stories_dir == REPO / "stories":
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
        subprocess.run(cmd, cwd=REPO, check=True)
        if not (site / "search.html").exists():
            pytest.fail(
                "mkdocs.yml builds no search.html: the plugin must add search_page_content() as search.md "
                "and write search_assets(stories) into the site",
                pytrace=False,
            )
        return site
    docs = dest / "docs"
    _write_minimal_docs(docs, stories_dir)
    cfg = dest / "mkdocs.yml"
    cfg.write_text(_MINIMAL_CONFIG.format(overrides=json.dumps(str(REPO / "overrides"))), encoding="utf-8")
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)]
    subprocess.run(cmd, cwd=dest, check=True)
    return site
