"""The shared rule table of the story editor: run by the Python checker here, by the browser in test_editor.py."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import yaml

from norishiro.check.story import check_file

CASES = Path(__file__).parent / "fixtures" / "editor" / "cases.json"

BASE: dict[str, Any] = {
    "title": "教育と福祉の連携会議",
    "summary": "一人の子どもの事例から始まった会議が、市全体の仕組みになった。",
    "municipality": {"name": "架空市", "prefecture": "三重県", "kind": "city", "population": "52000"},
    "jusou": "using",
    "started_by": {"field": "education", "through": "連携会議"},
    "fields": ["education", "child"],
    "status": "ongoing",
    "timeline": [{"when": "2019", "what": "初めて同席した", "kind": "start"}, {"when": "2021年度", "what": "市全体の会議になった"}],
    "failures": [{"what": "先進地の会議をそのまま作った", "when": "2020"}],
    "updated": "2025-04-01",
    "sample": "true",
}
BODY = "## きっかけ\n\n架空の記入例です。\n"
_STEP = re.compile(r"([^.[\]]+)|\[(\d+)\]")


def apply(case: dict[str, Any]) -> dict[str, Any]:
    """The base story with the case's values set ('' or null removes the key)."""
    story = copy.deepcopy(BASE)
    for name, value in case.get("set", {}).items():
        path = [int(index) - 1 if index else key for key, index in _STEP.findall(name)]
        target = story
        for step in path[:-1]:
            target = target[step]
        if value in ("", None):
            del target[path[-1]]
        else:
            target[path[-1]] = value
    return story


def python_findings(case: dict[str, Any], tmp: Path) -> list[list[str]]:
    path = tmp / "case-story.md"
    story = apply(case)
    if story.get("sample") in ("true", "false"):  # the form's checkbox writes a YAML boolean
        story["sample"] = story["sample"] == "true"
    front = yaml.safe_dump(story, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{front}---\n{case.get('body', BODY)}", encoding="utf-8")
    _, findings = check_file(str(path))
    return sorted([f.rule, f.message] for f in findings)


def load_cases() -> list[dict[str, Any]]:
    return json.loads(CASES.read_text(encoding="utf-8"))
