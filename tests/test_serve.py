"""`mkdocs serve`: a story saved with errors shows a Japanese error page, and recovers;
after an edit only the pages that show it are rendered again, and the site is
the same, byte for byte, as a full build of the same input."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from benchmarks.corpus import make_corpus
from norishiro.check.findings import ERROR, Finding
from norishiro.format import urls
from norishiro.incremental import STASH_PREFIX, Incremental
from norishiro.plugin import NorishiroPlugin
from norishiro.site.errors import error_notice, error_page, with_notice
from test_site import make_project


def test_error_page_lists_file_line_and_message() -> None:
    findings = [
        Finding("/p/stories/a-b.md", 7, 3, "S106", ERROR, "「x」は選べません（ongoing などを書いてください）"),
        Finding("/p/stories/a-b.md", 0, 0, "S010", ERROR, "ファイル名 <b> が使えません"),
    ]
    text = error_page(findings, "/p").text()
    assert "物語のファイルに誤りがあります" in text and "<code>stories/a-b.md</code>" in text
    assert "7行目" in text and "ファイル全体" in text and "「x」は選べません" in text
    assert "&lt;b&gt;" in text and "<b>" not in text
    assert "1件のファイル" in error_notice(findings, "/p")


def test_the_notice_goes_at_the_top_of_the_content() -> None:
    material = '<body dir="ltr"><main><article class="md-content__inner md-typeset"><h1>t</h1></article></main></body>'
    assert with_notice(material, "<div>N</div>") == material.replace('typeset">', 'typeset"><div>N</div>')
    assert with_notice('<html><body class="x"><h1>t</h1>', "<div>N</div>") == '<html><body class="x"><div>N</div><h1>t</h1>'
    assert with_notice(material, "") == material


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, want: str, timeout: float) -> str:
    deadline, text = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                text = response.read().decode("utf-8")
            if want in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{want!r} not shown at {url} within {timeout} s:\n{text[:2000]}")


def test_serve_shows_the_error_page_and_recovers(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    story = project / "stories" / "alpha-education.md"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("status: ", "status: 休み", 1), encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/stories/alpha-education.html"
        broken = _get(url, "物語のファイルに誤りがあります", 120)
        assert "stories/alpha-education.md" in broken and "S106" in broken and "行目" in broken
        terminal = log.read_text(encoding="utf-8")  # the terminal says it as well, file:line:col and rule
        assert "物語のファイルに誤りがあります（1件のファイル" in terminal
        assert re.search(r"alpha-education\.md:\d+:\d+: エラー\[S106\]", terminal), terminal
        assert "物語のファイルに誤りがあります" in _get(f"http://127.0.0.1:{port}/index.html", "ns-serve-errors", 30)
        story.write_text(good, encoding="utf-8")
        fixed = _get(url, "ns-timeline", 120)
        assert "物語のファイルに誤りがあります" not in fixed
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---------------------------------------------------------------- incremental rebuilds

SERVE_URL = "http://127.0.0.1:8000/"
MARK = "題名を変えた印"


class _Serve:
    """MkDocs' serve loop in this process: each build loads the config again, and
    MkDocs hands every build the same plugin instance, as `mkdocs serve` does."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        self.started = False

    def build(self) -> NorishiroPlugin:
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        if not self.started:
            config.plugins.on_startup(command="serve", dirty=False)
            self.started = True
        build(config, serve_url=SERVE_URL)
        plugin = config.plugins["norishiro"]
        assert isinstance(plugin, NorishiroPlugin)
        return plugin

    def full_build(self, site: Path) -> dict[str, bytes]:
        """A build of the same input from nothing (a fresh serve session's first build)."""
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(site))
        config.site_url = SERVE_URL
        plugin = config.plugins["norishiro"]
        assert isinstance(plugin, NorishiroPlugin)
        kept, plugin.incremental = plugin.incremental, Incremental()
        try:
            build(config, serve_url=SERVE_URL)
        finally:
            plugin.incremental = kept
        return _snapshot(site)


def _snapshot(site: Path) -> dict[str, bytes]:
    """The site's files, without the previous build's, which are being deleted in the background."""
    files = (path for name in sorted(os.listdir(site)) if not name.startswith(STASH_PREFIX) for path in [site / name, *sorted((site / name).rglob("*"))])
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in files if path.is_file()}


def _differences(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    return sorted(path for path in got.keys() | want.keys() if got.get(path) != want.get(path))


def test_an_edit_rerenders_exactly_the_pages_that_show_it(tmp_path: Path) -> None:
    make_corpus(30, tmp_path / "stories")
    project = make_project(tmp_path / "project", stories=tmp_path / "stories")
    serve = _Serve(project, tmp_path / "served")
    plugin = serve.build()
    before = _snapshot(serve.site)
    generated = set(plugin.sources)

    # The story whose title the most other pages show (related blocks, lists).
    stories = sorted((project / "stories").glob("*.md"))
    titles = {path: yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])["title"] for path in stories}
    target = max(stories, key=lambda path: sum(titles[path] in data.decode("utf-8", "replace") for data in before.values()))
    original = target.read_text(encoding="utf-8")
    target.write_text(original.replace("title: ", f"title: {MARK}", 1), encoding="utf-8")
    plugin = serve.build()
    edited = _snapshot(serve.site)
    assert _differences(edited, serve.full_build(tmp_path / "full")) == []

    rendered = {src for src in plugin.incremental.keys if src not in plugin.incremental.kept}
    showing = {src for src in generated if MARK in edited[src.removesuffix(".md") + ".html"].decode("utf-8")}
    assert urls.story(target.stem) in showing and len(showing) >= 4  # its page, related blocks, browse pages, failures
    assert any(src.startswith(("started-by/", "prefecture/")) for src in showing)
    assert rendered == showing, f"re-rendered without showing the title: {sorted(rendered - showing)}; stale: {sorted(showing - rendered)}"
    assert len(plugin.incremental.kept) > len(generated) // 2
    for folder in ("assets/norishiro/search-docs/", "data/"):  # search index and open data follow the edit
        assert any(path.startswith(folder) and MARK in data.decode("utf-8", "replace") for path, data in edited.items()), folder

    # Dated today, the story dates the site: every page that shows the site's date follows.
    target.write_text(re.sub(r"^updated: .*$", f"updated: '{date.today().isoformat()}'", original, count=1, flags=re.M), encoding="utf-8")
    serve.build()
    assert _differences(_snapshot(serve.site), serve.full_build(tmp_path / "full-dated")) == []

    # A broken story: its page is the error page, every other page says so; fixed, the site is as before.
    # Its last good version stays in every list and index, so only its own page is made again.
    target.write_text(original.replace("status: ", "status: 休み", 1), encoding="utf-8")
    plugin = serve.build()
    broken = (serve.site / "stories" / f"{target.stem}.html").read_text(encoding="utf-8")
    assert "物語のファイルに誤りがあります" in broken and "S106" in broken
    assert {src for src in plugin.incremental.keys if src not in plugin.incremental.kept} == {urls.story(target.stem)}
    listing = [path for path, data in before.items() if titles[target] in data.decode("utf-8", "replace") and path.startswith("started-by/")]
    assert listing and all(titles[target] in (serve.site / path).read_text(encoding="utf-8") for path in listing)
    assert "ns-serve-errors" in (serve.site / "index.html").read_text(encoding="utf-8")
    assert "ns-serve-errors" in (serve.site / "started-by" / "index.html").read_text(encoding="utf-8")
    target.write_text(original, encoding="utf-8")
    plugin = serve.build()
    assert _differences(_snapshot(serve.site), before) == []

    # Only the narrative changes: the build holds it packed (Narrative.packed), yet the page follows.
    body = original.rstrip("\n") + f"\n\n{MARK}本文だけを直しました。\n"
    target.write_text(body, encoding="utf-8")
    plugin = serve.build()
    narrated = _snapshot(serve.site)
    assert _differences(narrated, serve.full_build(tmp_path / "full-narrative")) == []
    assert urls.story(target.stem) in {src for src in plugin.incremental.keys if src not in plugin.incremental.kept}
    assert MARK in narrated[f"stories/{target.stem}.html"].decode("utf-8")
    assert any(path.startswith("assets/norishiro/search-docs/") and MARK in data.decode("utf-8", "replace") for path, data in narrated.items())


def test_a_stash_left_by_an_earlier_session_does_not_stop_a_rebuild(tmp_path: Path) -> None:
    """`mkdocs serve` stopped while its previous build's files were being deleted leaves a hidden folder behind."""
    project = make_project(tmp_path / "project")
    serve = _Serve(project, tmp_path / "served")
    serve.build()
    for number in range(1, 4):
        left = serve.site / f"{STASH_PREFIX}{number}"
        for index in range(300):
            (left / f"d{index}").mkdir(parents=True)
            (left / f"d{index}" / "index.html").write_text("old", encoding="utf-8")
    story = project / "stories" / "alpha-education.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: ", f"title: {MARK}", 1), encoding="utf-8")
    serve.build()
    assert MARK in (serve.site / "stories" / "alpha-education.html").read_text(encoding="utf-8")


def test_kept_pages_stay_in_the_sitemap_and_date_it(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs dates sitemap.xml.gz by the pages it built; a kept story page dated after today dates it too.
    MkDocs would also say that links and nav entries to kept pages go to pages left out of the site."""
    make_corpus(12, tmp_path / "stories")
    project = make_project(tmp_path / "project", stories=tmp_path / "stories")
    stories = sorted((project / "stories").glob("*.md"))
    future, edited = stories[0], stories[-1]
    future.write_text(re.sub(r"^updated: .*$", "updated: '2099-01-01'", future.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    serve = _Serve(project, tmp_path / "served")
    serve.build()
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: ", f"title: {MARK}", 1), encoding="utf-8")
    with caplog.at_level(logging.INFO):
        plugin = serve.build()
    assert urls.story(future.stem) in plugin.incremental.kept and urls.FAILURES in plugin.incremental.kept
    assert not [record.getMessage() for record in caplog.records if "excluded" in record.getMessage()]
    served = _snapshot(serve.site)
    assert served["sitemap.xml"].count(b"<loc>") == len(plugin.sources) + sum(1 for _ in (project / "docs").rglob("*.md"))
    assert _differences(served, serve.full_build(tmp_path / "full")) == []

    # A story deleted: its page, its redirect and its search document go (the last build's files are reused in place).
    edited.unlink()
    serve.build()
    served = _snapshot(serve.site)
    assert f"stories/{edited.stem}.html" not in served and not (serve.site / "stories" / edited.stem).exists()
    assert _differences(served, serve.full_build(tmp_path / "full-deleted")) == []
