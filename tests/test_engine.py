"""`norishiro build` / `serve`: the engine in Japanese, on MkDocs and on ProperDocs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from norishiro.engine import translate

ROOT = Path(__file__).resolve().parents[1]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("INFO    -  Cleaning site directory", None),
        ("INFO    -  Building documentation to directory: /tmp/x/site", "サイトを /tmp/x/site に作ります"),
        ("INFO    -  Documentation built in 0.52 seconds", None),
        ("Aborted with a BuildError!", "サイトを作れませんでした。上に書かれた理由を直してから、もう一度実行してください。"),
        ("Aborted with 3 warnings in strict mode!", "警告が 3 件あるため、サイト作りを止めました（--strict）。警告を直すか、--no-strict を付けて作ってください。"),
        ("INFO    -  物語を確かめています… 1,000件中 400件", "物語を確かめています… 1,000件中 400件"),
        ("WARNING -  Doc file 'a.md' contains a link 'b.md', but the target is not found.",
         "警告（サイトを作る仕組みからの英語のメッセージ）: Doc file 'a.md' contains a link 'b.md', but the target is not found."),
        ("INFO    -  Some other narration", None),
        ("\x1b[33m │  \x1b[1mMaterial for MkDocs reaches end of life on May 5, 2027.\x1b[0m", None),
        ("INFO    -  [22:01:02] Serving on http://127.0.0.1:8000/", "サイトを http://127.0.0.1:8000/ で表示しています（止めるには Ctrl+C を押してください）"),
        ("INFO    -  [22:01:02] Watching paths for changes: 'docs', 'mkdocs.yml'", None),
        ("INFO    -  Serving on http://127.0.0.1:8000/", "サイトを http://127.0.0.1:8000/ で表示しています（止めるには Ctrl+C を押してください）"),
        ("INFO    -  [01:02:03] Detected file changes", "ファイルの変更を見つけました。作り直します…"),
        ("INFO    -  変更を反映しています… 3ページ（ほかの 1,715ページは前のまま）", "変更を反映しています… 3ページ（ほかの 1,715ページは前のまま）"),
    ],
)
def test_engine_lines_are_translated_or_left_out(line: str, shown: str | None) -> None:
    assert translate(line) == shown


def test_verbose_keeps_english_narration() -> None:
    assert translate("INFO    -  Some other narration", verbose=True) == "Some other narration"


def _project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in ("mkdocs.yml", "docs", "overrides", "stories"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, dest / name)
    return dest


def _build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("NO_MKDOCS_2_WARNING", "SOURCE_DATE_EPOCH")}
    command = [sys.executable, "-m", "norishiro", "build", *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("engine") / "project")


def test_build_prints_only_japanese_and_builds_the_site(project: Path) -> None:
    result = _build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert lines and all(JAPANESE.search(line) for line in lines), lines
    assert "物語を確かめています" in result.stdout and "ページを作っています" in result.stdout
    assert re.search(r"サイトができました: 物語 \d+件、ページ \d+件、かかった時間 [\d.]+秒", result.stdout), result.stdout
    assert (project / "site" / "index.html").is_file()


def test_properdocs_builds_the_same_pages(project: Path) -> None:
    pytest.importorskip("properdocs")
    mkdocs_site, properdocs_site = project / "site-mkdocs", project / "site-properdocs"
    for engine, site in (("mkdocs", mkdocs_site), ("properdocs", properdocs_site)):
        result = _build(project, "--engine", engine, "--site-dir", str(site))
        assert result.returncode == 0, result.stdout + result.stderr
        assert all(JAPANESE.search(line) for line in result.stdout.splitlines() if line.strip()), result.stdout
    files = sorted(p.relative_to(mkdocs_site) for p in mkdocs_site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(properdocs_site) for p in properdocs_site.rglob("*") if p.is_file())
    for relative in files:
        ours, theirs = (mkdocs_site / relative).read_bytes(), (properdocs_site / relative).read_bytes()
        if relative.suffix == ".gz":
            continue  # sitemap.xml.gz: compared through sitemap.xml
        assert GENERATOR.sub(b"", ours) == GENERATOR.sub(b"", theirs), relative


def test_a_broken_story_ends_with_a_japanese_line(tmp_path: Path) -> None:
    project = _project(tmp_path / "broken")
    shutil.copy(ROOT / "tests" / "fixtures" / "bad" / "impossible-date.md", project / "stories")
    result = _build(project)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "impossible-date.md:25:5: エラー[S202]" in output
    assert "サイトを作れませんでした" in output and "Aborted" not in output
    assert all(JAPANESE.search(line) for line in output.splitlines() if line.strip()), output


def test_missing_configuration_is_a_usage_error(tmp_path: Path) -> None:
    result = _build(tmp_path)
    assert result.returncode == 2 and "設定ファイル mkdocs.yml が見つかりません" in result.stderr


def test_python_frontmatter_reads_every_story_as_the_checker_does() -> None:
    """An independent reader of the file format agrees on where front matter ends and what it holds."""
    import frontmatter

    from norishiro.check.collection import check_paths

    paths = [str(ROOT / "stories"), str(ROOT / "tests" / "fixtures" / "good")]
    stories = check_paths(paths).stories
    assert len(stories) >= 12
    for story in stories:
        post = frontmatter.loads(Path(story.source).read_text(encoding="utf-8-sig").replace("\r\n", "\n"))
        assert post.content.strip() == story.body.replace("\r\n", "\n").strip(), story.source
        assert post["title"].strip() == story.title and post["summary"].strip() == story.summary, story.source
        assert str(post["municipality"]["name"]) == story.municipality.name, story.source
