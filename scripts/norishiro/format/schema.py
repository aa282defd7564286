"""JSON Schema of the front matter, generated from norishiro.format.keys for editors.

Editors (VS Code's YAML extension and others) use it to complete keys and
flag typos while a contributor writes.  The checker stays the authority: the
schema cannot express ordering, dates after `updated` or the Japanese-era
calendar, and it lists labels and variants as accepted spellings.
"""

from __future__ import annotations

import json
from typing import Any

from norishiro.format.dates import MAX_YEAR, MIN_YEAR
from norishiro.format.keys import (
    BOOLEAN,
    CODE,
    DAY,
    ENUM,
    FRONT_MATTER,
    INTEGER,
    LIST,
    MAPPING,
    PERIOD,
    PREFECTURE,
    STRING,
    Key,
)
from norishiro.format.vocab import PREFECTURES

SCHEMA_ID = "https://norishiro.example/schema/story.schema.json"
PERIOD_PATTERN = (
    r"^\s*(?:(?:昭和|平成|令和|[SHRshr])\s*(?:元|\d{1,2})|\d{4})\s*"
    r"(?:年度|年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2})?)?\s*$"
)
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
CODE_PATTERN = r"^\d{5,6}$"


def _describe(key: Key) -> str:
    return key.label + (f": {key.help}" if key.help else "")


def key_schema(key: Key) -> dict[str, Any]:
    schema: dict[str, Any] = {"description": _describe(key)} if key.label else {}
    if key.type == STRING:
        schema["type"] = ["string", "number"]
        if key.min_len:
            schema["minLength"] = key.min_len
        if key.max_len:
            schema["maxLength"] = key.max_len
    elif key.type == INTEGER:
        schema.update({"type": "integer", "minimum": 1})
    elif key.type == BOOLEAN:
        schema["type"] = "boolean"
    elif key.type == ENUM:
        assert key.vocab is not None
        schema["enum"] = key.vocab.spellings()
    elif key.type == PREFECTURE:
        schema["enum"] = [p.name for p in PREFECTURES] + [p.short for p in PREFECTURES if p.short != p.name] + [p.romaji for p in PREFECTURES]
    elif key.type == PERIOD:
        schema["anyOf"] = [{"type": "string", "pattern": PERIOD_PATTERN}, {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}]
    elif key.type == DAY:
        schema.update({"type": "string", "pattern": DAY_PATTERN})
    elif key.type == CODE:
        # An editor reads an unquoted 011002 as YAML 1.1 octal; the checker reads the digits as written.
        schema["anyOf"] = [{"type": "string", "pattern": CODE_PATTERN}, {"type": "integer", "minimum": 0}]
    elif key.type == MAPPING:
        schema.update({
            "type": "object",
            "properties": {child.name: key_schema(child) for child in key.children},
            "required": [child.name for child in key.children if child.required],
            "additionalProperties": False,
        })
    elif key.type == LIST:
        assert key.item is not None
        schema.update({"type": "array", "items": key_schema(key.item)})
        if key.min_items:
            schema["minItems"] = key.min_items
    return schema


def story_schema() -> dict[str, Any]:
    schema = key_schema(FRONT_MATTER)
    schema["description"] = "のりしろ 物語のフロントマター（書式 第1.1版）"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, "title": "Norishiro story", **schema}


def schema_json() -> str:
    return json.dumps(story_schema(), ensure_ascii=False, indent=2) + "\n"
