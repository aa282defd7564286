"""The narrative reader's shortcuts give markdown-it's own tokens.

check.narrative replaces markdown-it's `inline` core rule by one that makes
the single text token itself when a paragraph has no character any inline
rule starts at, and puts a block rule before all others that reads a line
standing alone as a paragraph or heading without trying the other rules.  The
checker and the site must read the Markdown exactly as markdown-it does: these
properties compare every token (and the env) with a reader running
markdown-it's own rules only, on text built from the characters the block and
inline rules react to and on every story and fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.rules_core import inline as markdown_it_inline

from norishiro.check import narrative
from norishiro.check.source import read_source

ROOT = Path(__file__).resolve().parent
FILES = sorted((ROOT.parent / "stories").glob("*.md")) + sorted((ROOT / "fixtures").rglob("*.md"))


def _markdown_it_reader():  # type: ignore[no-untyped-def]
    reader = narrative._make_reader()
    reader.core.ruler.at("inline", markdown_it_inline)
    reader.block.ruler.disable("lone_line")
    return reader


REFERENCE = _markdown_it_reader()

PIECES = (
    "2022年度", "3.", "10)", "12", "相談", "支援会議", "山田", "さん", "2021", "年度", "約56時間", "（2人）", "、", "。", "「", "」", "・", "ー", "：", "！", "＊", "＃", "［", "］",
    " ", "  ", "\u3000", "\t", "\n", "\n\n", "\r", "\u2028", "\x85", "\x0b", "\x0c", "\u00a0", "\u200b",
    "*", "**", "_", "~~", "`", "``", "\\", "&", "&amp;", "&#48;", "<", ">", "<b>", "<!-- c -->", "[", "]", "(", ")", "!", "^", "[^1]",
    "[a](https://example.jp)", "![i](x.png)", "<https://example.jp>", "#", "## ", "- ", "1. ", "> ", "|", "---", "===", ":", ": ", "!!! note",
    "    ", "```", "~~~", "$", "%", "+", "=", "@", "{", "}", "-", "?", "'", '"', ".", ",", "a", "Z", "0",
)
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _same_reading(text: str) -> None:
    env: dict[str, object] = {}
    reference_env: dict[str, object] = {}
    assert narrative._READER.parse(text, env) == REFERENCE.parse(text, reference_env)
    assert env == reference_env


@settings(max_examples=500, deadline=None)
@given(texts)
def test_the_shortcut_reads_as_markdown_it_does(text: str) -> None:
    _same_reading(text)


def test_the_shortcut_is_taken_for_plain_text_and_not_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "## 経過\n\n支援会議を月1回開いた。\n\n**強調**と[リンク](https://example.jp)\n"
    parsed: list[str] = []
    parse = narrative._READER.inline.parse
    monkeypatch.setattr(narrative._READER.inline, "parse", lambda src, *rest: parsed.append(src) or parse(src, *rest))
    _same_reading(text)
    assert parsed == ["**強調**と[リンク](https://example.jp)"]


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        ("## 経過\n\n支援会議を月1回開いた。\n", False),
        ("Plain English.\n", False),
        ("経過\n---\n", True),  # a setext heading: the next line counts
        ("名前 | 値\n--- | ---\n", True),  # a table's head
        ("用語\n\n: 説明\n", True),  # a definition list's term
        ("  字下げした行\n", True),
        ("1. 一つ目\n", True),
        ("> 引用\n", True),
        ("\\# 見出しではない\n", True),
        ("2022年度に始めた。\n", False),
        ("2022. 始めた\n", True),
        ("3) 三つ目\n", True),
    ],
)
def test_a_lone_line_skips_the_other_rules_and_nothing_else_does(text: str, chain: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[int] = []
    rule = next(rule for rule in narrative._READER.block.ruler.__rules__ if rule.name == "table")
    table = rule.fn
    monkeypatch.setattr(rule, "fn", lambda state, start, *rest: tried.append(start) or table(state, start, *rest))
    narrative._READER.block.ruler.__compile__()
    try:
        _same_reading(text)
    finally:
        monkeypatch.undo()
        narrative._READER.block.ruler.__compile__()
    assert bool(tried) is chain


def test_every_story_and_fixture_reads_as_markdown_it_reads_it() -> None:
    for path in FILES:
        source = read_source(str(path), path.read_bytes())
        _same_reading(source.body)
        _same_reading(source.text)
