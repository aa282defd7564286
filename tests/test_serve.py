"""`mkdocs serve`: a story saved with errors shows a Japanese error page, and recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from norishiro.check.findings import ERROR, Finding
from norishiro.site.errors import error_notice, error_page
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
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/stories/alpha-education.html"
        broken = _get(url, "物語のファイルに誤りがあります", 120)
        assert "stories/alpha-education.md" in broken and "S106" in broken and "行目" in broken
        assert "物語のファイルに誤りがあります" in _get(f"http://127.0.0.1:{port}/index.html", "ns-serve-errors", 30)
        story.write_text(good, encoding="utf-8")
        fixed = _get(url, "ns-timeline", 120)
        assert "物語のファイルに誤りがあります" not in fixed
    finally:
        server.terminate()
        server.wait(timeout=30)
