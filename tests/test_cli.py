"""The `norishiro check` command: exit codes and output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from norishiro.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad" / "timeline-out-of-order.md"
GOOD = FIXTURES / "good" / "era-dates.md"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(GOOD))
    assert code == 0
    assert out.strip().endswith("問題ありません")


def test_errors_exit_1_with_file_line_col(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(BAD))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{BAD}:19:5: エラー[S203] ")
    assert "（" in first and first.endswith("）")
    assert "エラーが1件あります" in out.splitlines()[-1]


def test_folder_reports_every_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(FIXTURES / "bad"))
    assert code == 1
    files = {line.split(":")[0] for line in out.splitlines()[:-1]}
    assert len(files) == len(list((FIXTURES / "bad").iterdir()))


@pytest.mark.parametrize("argv", [("check", "--format", "xml"), ("check", "no/such/path.md"), ("nonsense",)])
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "norishiro" in err or "見つかりません" in err


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "github", str(BAD))
    assert code == 1
    assert out.splitlines()[0].startswith(f"::error file={BAD},line=19,col=5,title=S203::timeline[2] の「2021-06」")


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--format", "json", str(BAD))
    assert code == 1
    (finding,) = json.loads(out)
    assert finding["line"] == 19 and finding["rule"] == "S203" and finding["severity"] == "error"
    assert "エラーが1件あります" in err


def test_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD.read_text(encoding="utf-8").replace("fields: [education, child]", "fields: [education, child, child]")
    story = tmp_path / "repeat.md"
    story.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(story))
    assert code == 0 and "警告[W101]" in out
    last = out.splitlines()[-1]
    assert "エラーはありません。警告が1件あります：公開前に確かめてください" in last
    assert "--strict" in last and "問題ありません" not in last
    code, out, _ = run(capsys, "check", "--strict", str(story))
    assert code == 1
    assert "--strict のため" in out.splitlines()[-1]


def test_default_path_is_stories(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "a-story.md").write_bytes(GOOD.read_bytes())
    (tmp_path / "stories" / "notes.txt").write_text("メモ", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "norishiro", "check"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "警告[W001]" in done.stdout and "notes.txt" in done.stdout
    assert "1 件の物語を確認しました" in done.stdout


def test_no_traceback_on_unreadable_input(tmp_path: Path) -> None:
    story = tmp_path / "binary.md"
    story.write_bytes(bytes(range(256)) * 10)
    done = subprocess.run([sys.executable, "-m", "norishiro", "check", str(story)], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
