"""The JSON Schema comes from the one format definition and stays in sync."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from norishiro.format.keys import walk
from norishiro.format.schema import schema_json, story_schema
from norishiro.site.key_reference import key_name_html, keys_reference_markdown

ROOT = Path(__file__).parents[1]
STORIES = sorted((ROOT / "stories").glob("*.md"))


def test_committed_schema_matches_definition() -> None:
    committed = (ROOT / "docs" / "schema" / "story.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "docs/schema/story.schema.json is stale: run `norishiro schema > docs/schema/story.schema.json`"


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(story_schema())


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.name)
def test_sample_stories_validate_against_schema(path: Path) -> None:
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    data = json.loads(json.dumps(yaml.safe_load(front), default=str))
    jsonschema.validate(data, story_schema())


def test_docs_table_lists_every_key() -> None:
    page = keys_reference_markdown()
    for path, key in walk():
        # Japanese label first, then the key name (breakable only after a dot).
        assert f"| {key.label} | {key_name_html(path)} |" in page
    assert "municipality.<wbr>name" in page


def test_every_rule_id_in_the_code_has_a_title() -> None:
    import re

    from norishiro.check.rule_ids import RULE_TITLES

    used = set()
    for path in (ROOT / "scripts" / "norishiro").rglob("*.py"):
        if path.name != "rule_ids.py":
            used |= set(re.findall(r'"([SW]\d{3})"', path.read_text(encoding="utf-8")))
    assert used == set(RULE_TITLES)
    assert "| エラー[S203] |" in keys_reference_markdown()
