"""Hostile and mistaken files: huge numbers, invisible characters, links and skipped files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from norishiro.check.collection import check_paths
from norishiro.check.story import check_file, parse_positive_integer, visible
from storytext import VALID, story

ROOT = Path(__file__).resolve().parent.parent


def findings(text: str) -> list[tuple[int, int, str]]:
    _, found = check_file("stories/x.md", text.encode("utf-8"))
    return [(f.line, f.col, f.rule) for f in found]


@pytest.mark.parametrize(
    ("text", "number"),
    [("52000", 52000), ("52,000", 52000), ("５２０００", 52000), ("52000人", 52000), ("999999999999", 999_999_999_999),
     ("0", None), ("-5", None), ("1e5", None), ("9" * 13, None), ("9" * 5000, None), ("1," * 3000, None), ("0" * 20 + "7", 7)],
)
def test_population_digits_are_counted_before_converting(text: str, number: int | None) -> None:
    assert parse_positive_integer(text) == number


def test_a_population_of_5000_digits_is_a_finding_in_japanese_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "stories" / "huge.md"
    path.parent.mkdir()
    path.write_text(story(**{"  population: 52000": "  population: " + "9" * 5000}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "norishiro", "check", str(path)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "エラー[S109]" in done.stdout and "5,000桁" in done.stdout
    assert len(done.stdout) < 2000  # the value is quoted shortened


@pytest.mark.parametrize(
    ("text", "shows"),
    [("\u200b\u200b", False), ("\u3000", False), ("\ufeff\u2060\u200d", False), (" \u00a0\u3164", False), ("\u2800", False),
     ("\u3164", False), ("\u115f\u1160", False), ("\uffa0", False),
     ("A", True), ("会議", True), ("\u200bA", True), ("〇", True), ("1", True), ("\u3164A", True)],
)
def test_visible(text: str, shows: bool) -> None:
    assert visible(text) is shows


@pytest.mark.parametrize("char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_every_bidirectional_control_is_an_error_at_its_line_and_column(char: str) -> None:
    text = story(**{"  through: 教育と福祉の連携会議": f"  through: 教育{char}と福祉", "本文です。": f"本文{char}です。"})
    assert findings(text) == [(12, 14, "S119"), (30, 3, "S119")]
    assert findings(text.replace("\n", "\r\n")) == [(12, 14, "S119"), (30, 3, "S119")]


def test_bidirectional_marks_that_do_not_reorder_are_text() -> None:
    assert findings(story(**{"本文です。": "本文\u200eです。"})) == []


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_the_front_matter_does_not_shift_lines(separator: str) -> None:
    text = story(**{"  name: 架空市": f"  name: 架空{separator}市", "  kind: city": "  kind: nope"})
    assert findings(text) == [(5, 11, "S112"), (7, 3, "S106")]


def test_a_clean_file_stays_clean() -> None:
    assert findings(VALID) == []


# ------------------------------------------------------------------ folders


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    stories = tmp_path / "stories"
    stories.mkdir()
    (stories / "a-story.md").write_text(VALID, encoding="utf-8")
    return stories


def named(found: list, rule: str) -> list[str]:
    return sorted(Path(f.path).name for f in found if f.rule == rule)


def test_links_are_never_followed(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(VALID.replace("架空市", "秘密の市"), encoding="utf-8")
    os.symlink("/etc/passwd", folder / "passwd.md")
    os.symlink(outside, folder / "outside.md")
    os.symlink(folder / "a-story.md", folder / "inside.md")
    os.symlink(tmp_path / "missing.md", folder / "dangling.md")
    os.symlink(tmp_path, folder / "loop")
    result = check_paths([str(folder)])
    assert [story.slug for story in result.stories] == ["a-story"]
    assert named(result.findings, "W003") == ["dangling.md", "inside.md", "loop", "outside.md", "passwd.md"]
    assert all(f.severity == "warning" for f in result.findings)
    assert not any("root:" in f.message or "秘密" in f.message for f in result.findings)
    # a link named on the command line (as CI names a pull request's files) is not read either
    result = check_paths([str(folder / "passwd.md"), str(folder / "outside.md")])
    assert result.stories == [] and named(result.findings, "W003") == ["outside.md", "passwd.md"]
    _, found = check_file(str(folder / "passwd.md"))
    assert [(f.rule, f.severity) for f in found] == [("S000", "error")] and "シンボリックリンク" in found[0].message


def test_everything_skipped_is_named(folder: Path) -> None:
    (folder / ".draft.md").write_text(VALID, encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / "notes.txt").write_text("メモ", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "nested.md").write_text(VALID, encoding="utf-8")
    os.mkfifo(folder / "pipe.md")
    result = check_paths([str(folder)])
    assert [story.slug for story in result.stories] == ["a-story"] and result.files == 1
    assert named(result.findings, "W001") == ["notes.txt"]
    assert named(result.findings, "W002") == [".draft.md", ".hidden", "pipe.md", "sub"]
    for finding in result.findings:
        assert f"「{Path(finding.path).name}」" in finding.message and finding.severity == "warning"
