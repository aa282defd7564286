"""The GitHub side: annotations, workflows, pull-request template, pre-commit hook."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from norishiro.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"

STORY = """\
---
title: 連携会議が市全体の仕組みになるまで
summary: 一人の事例から始まった会議が、市全体の仕組みになった。
municipality:
  name: 架空市
  prefecture: 三重県
  kind: {kind}
jusou: 実施
started_by:
  field: 教育
tags:
  - {tag}
fields: [教育]
status: 進行中
timeline:
  - when: 2019年度
    what: 一人の生徒の事例で学校と福祉が初めて同席した
  - when: 2021年度
    what: 市全体の会議になった
failures:
  - what: 先進地の会議をそのまま作った
updated: 2025-04-01
---
"""


def story(kind: str = "市", tag: str = "教育と福祉") -> str:
    return STORY.format(kind=kind, tag=tag)


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


# ------------------------------------------------------------- annotations


def test_warning_annotation_is_exact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "x.md").write_text(story(tag="山田さんの会"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict", "--format", "github", "stories/x.md"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "::warning file=stories/x.md,line=12,col=5,title=W206::"
        "「山田さん」は実名の可能性があります（Aさん のような仮名にしてください。確認済みなら行末に # norishiro: ok W206 ）"
    )
    assert len(lines) == 2 and "--strict" in lines[1]


def test_error_annotation_points_at_the_wrong_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "x.md").write_text(story(kind="大都市"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict", "--format", "github", "stories/x.md"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("::error file=stories/x.md,line=7,col=3,title=S106::municipality.kind（自治体の種類）の「大都市」は")


def test_the_base_story_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(story(), encoding="utf-8")
    assert main(["check", "--strict", str(path)]) == 0


# --------------------------------------------------------------- workflows


def test_workflows_parse_and_never_use_pull_request_target() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [path.name for path in files] == ["check-stories.yml", "publish.yml"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in text
        assert isinstance(yaml.safe_load(text), dict)


def test_every_action_is_pinned_to_a_full_commit_with_its_tag_in_a_comment() -> None:
    """A tag can be moved to other code; a commit cannot."""
    uses = [
        (path.name, line.strip())
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(?:-\s+)?uses:", line)
    ]
    assert len(uses) >= 6
    for name, line in uses:
        assert re.fullmatch(r"(?:-\s+)?uses:\s+[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+(?:\.\d+)*", line), (name, line)
    for path in sorted(WORKFLOWS.glob("*.yml")):
        steps = [step for job in workflow(path.name)["jobs"].values() for step in job["steps"]]
        assert all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]) for step in steps if "uses" in step)


def test_pull_request_check_reads_only_and_checks_changed_stories_strictly() -> None:
    flow = workflow("check-stories.yml")
    assert list(flow["on"]) == ["pull_request"]
    assert flow["permissions"] == {"contents": "read"}
    (job,) = flow["jobs"].values()
    assert "permissions" not in job
    steps = job["steps"]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    script = "\n".join(step.get("run", "") for step in steps)
    assert "--diff-filter=ACMR" in script and '"origin/${BASE_REF}...HEAD"' in script and "'stories/*.md'" in script
    assert "norishiro check --strict --format github" in script
    assert script.strip().endswith("norishiro build")  # strict by default
    assert "${{" not in script  # github context reaches the shell through env only


def test_publish_deploys_pages_from_main_with_the_least_permissions() -> None:
    flow = workflow("publish.yml")
    assert flow["on"]["push"]["branches"] == ["main"]
    assert flow["permissions"] == {"contents": "read"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert any(step.get("uses", "").startswith("actions/upload-pages-artifact@") for step in build["steps"])
    assert any(step.get("run", "").strip() == "norishiro build" for step in build["steps"])
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    other = (WORKFLOWS / "check-stories.yml").read_text(encoding="utf-8")
    assert "pages: write" not in other and "id-token" not in other


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@localhost", *args], cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("norishiro") is None, reason="needs git and the norishiro command")
def test_the_check_step_annotates_only_the_stories_a_pull_request_changes(tmp_path: Path) -> None:
    (step,) = [step for step in workflow("check-stories.yml")["jobs"]["check"]["steps"] if "norishiro check" in step.get("run", "")]
    repo = tmp_path / "repo"
    (repo / "stories").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "stories" / "old.md").write_text(story(tag="山田さんの会"), encoding="utf-8")  # already merged
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "main")
    env = {**os.environ, **step["env"], "BASE_REF": "main"}
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 0 and "変わった物語はありません" in run.stdout
    broken = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env={**env, "BASE_REF": "gone"}, capture_output=True, text=True)
    assert broken.returncode != 0  # no base to compare with: fail, never pass having checked nothing

    _git(repo, "checkout", "-q", "-b", "pr")
    (repo / "stories" / "new-story.md").write_text(story(tag="鈴木さんの会"), encoding="utf-8")
    (repo / "stories" / "日本語の名前.md").write_text(story(), encoding="utf-8")
    (repo / "README.md").write_text("not a story", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "pr")
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 1
    annotations = [line for line in run.stdout.splitlines() if line.startswith("::")]
    assert annotations[0].startswith("::warning file=stories/new-story.md,line=12,col=5,title=W206::「鈴木さん」")
    assert annotations[1].startswith("::error file=stories/日本語の名前.md,title=S010::")
    assert len(annotations) == 2  # old.md is not the pull request's


# ------------------------------------------------- templates and hooks


def test_pull_request_template_has_the_japanese_checklist() -> None:
    text = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.MULTILINE)
    for word in ("匿名化", "失敗", "時系列", "同意"):
        assert any(word in item for item in items), word


def test_pre_commit_hook_checks_changed_stories_strictly() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local" and hook["language"] in ("system", "python")
    assert hook["entry"] == "norishiro check --strict"
    pattern = re.compile(hook["files"])
    assert pattern.search("stories/abc.md") and not pattern.search("docs/guide/index.md") and not pattern.search("stories/a.txt")


def test_contributing_points_to_the_guide() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for page in ("index", "writing", "anonymising", "submitting"):
        assert f"(docs/guide/{page}.md)" in text
        assert (ROOT / "docs" / "guide" / f"{page}.md").is_file()


def test_publishing_uses_no_cache_a_pull_request_could_write() -> None:
    """zizmor's cache-poisoning audit: the published site is built without restored caches."""
    flow = workflow("publish.yml")
    for job in flow["jobs"].values():
        for step in job["steps"]:
            assert "cache" not in (step.get("with") or {}), step
            assert not step.get("uses", "").startswith("actions/cache"), step
