"""Fixture files named after the fault they show, with exact (line, rule) findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from norishiro.check.collection import check_paths
from norishiro.check.story import check_file

FIXTURES = Path(__file__).parent / "fixtures"
STORIES = Path(__file__).parents[1] / "stories"

EXPECTED: dict[str, list[tuple[int, str]]] = {
    "Upper_Case_Name.md": [(0, "S010")],
    "日本語の名前.md": [(0, "S010")],
    "code-check-digit-wrong.md": [(9, "S116")],
    "code-for-area.md": [(9, "S118")],
    "code-not-six-digits.md": [(9, "S115")],
    "code-prefecture-mismatch-octal.md": [(9, "S117")],
    "combines-one-item.md": [(16, "S110")],
    "combines-repeated-id.md": [(16, "S110")],
    "control-character-in-body.md": [(30, "S112")],
    "date-after-updated.md": [(19, "S204")],
    "duplicate-key.md": [(10, "S006")],
    "failures-empty.md": [(21, "S110")],
    "front-matter-absent.md": [(1, "S002")],
    "front-matter-is-a-list.md": [(2, "S007")],
    "front-matter-unclosed.md": [(1, "S003")],
    "impossible-date.md": [(25, "S202")],
    "invalid-utf8-line.md": [(30, "S001")],
    "javascript-link-in-body.md": [(30, "S302")],
    "overlap-missing-who.md": [(15, "S101")],
    "missing-municipality-kind.md": [(4, "S101")],
    "missing-title.md": [(1, "S101")],
    "municipality-not-a-mapping.md": [(4, "S103")],
    "population-not-integer.md": [(8, "S109")],
    "raw-html-in-body.md": [(30, "S301"), (30, "S301")],
    "several-errors.md": [(9, "S106"), (14, "S106"), (25, "S202")],
    "shift-jis-encoded.md": [(2, "S001")],
    "tab-indentation.md": [(5, "S005")],
    "timeline-item-missing-what.md": [(19, "S101")],
    "timeline-out-of-order.md": [(19, "S203")],
    "timeline-too-short.md": [(15, "S110")],
    "title-too-long.md": [(2, "S105")],
    "unclosed-flow-list.md": [(14, "S004")],
    "yaml-tag-python-object.md": [(21, "S120")],
    "unknown-difficulty.md": [(29, "S114")],
    "unknown-field-id.md": [(13, "S107")],
    "unknown-key-with-typo.md": [(1, "S101"), (14, "S102")],
    "unknown-prefecture.md": [(6, "S108")],
    "unknown-programme-with-suggestion.md": [(14, "S113")],
    "unreadable-date.md": [(25, "S201")],
    "updated-not-iso.md": [(26, "S205")],
    "yaml-syntax-error.md": [(3, "S004")],
    "population-of-5000-digits.md": [(8, "S109")],
    "title-only-zero-width-spaces.md": [(2, "S104")],
    "title-only-ideographic-spaces.md": [(2, "S104")],
    "bidi-override-in-summary.md": [(3, "S119")],
    "bidi-isolate-in-body.md": [(32, "S119"), (32, "S119")],
    "line-separator-in-value.md": [(5, "S112")],
}


def test_every_bad_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in (FIXTURES / "bad").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture(name: str) -> None:
    story, findings = check_file(str(FIXTURES / "bad" / name))
    assert story is None
    assert [(f.line, f.rule) for f in findings if f.severity == "error"] == EXPECTED[name]


@pytest.mark.parametrize("path", sorted((FIXTURES / "good").iterdir()), ids=lambda p: p.name)
def test_good_fixture(path: Path) -> None:
    story, findings = check_file(str(path))
    assert findings == []
    assert story is not None


def test_messages_say_what_to_type() -> None:
    _, findings = check_file(str(FIXTURES / "bad" / "unknown-key-with-typo.md"))
    assert "「status」のことですか" in findings[1].message
    _, findings = check_file(str(FIXTURES / "bad" / "shift-jis-encoded.md"))
    assert "Shift_JIS" in findings[0].message and "UTF-8" in findings[0].message
    _, findings = check_file(str(FIXTURES / "bad" / "unknown-prefecture.md"))
    assert "「三重県」のことですか" in findings[0].message
    _, findings = check_file(str(FIXTURES / "bad" / "unknown-programme-with-suggestion.md"))
    assert "「地域ケア会議」のことですか" in findings[0].message
    _, findings = check_file(str(FIXTURES / "bad" / "unknown-difficulty.md"))
    assert "「ヤングケアラー」のことですか" in findings[0].message
    _, findings = check_file(str(FIXTURES / "bad" / "code-prefecture-mismatch-octal.md"))
    assert "「015423」" in findings[0].message and "6931" not in findings[0].message  # read as written, not as octal
    _, findings = check_file(str(FIXTURES / "bad" / "code-check-digit-wrong.md"))
    assert '"242012"' in findings[0].message


def test_crlf_and_bom_keep_line_numbers() -> None:
    _, findings = check_file("stories/x.md", (FIXTURES / "good" / "crlf-line-endings.md").read_bytes().replace(b"kind: city", b"kind: nope"))
    assert [(f.line, f.rule) for f in findings] == [(7, "S106")]
    _, findings = check_file("stories/x.md", (FIXTURES / "good" / "utf8-bom.md").read_bytes().replace(b"kind: city", b"kind: nope"))
    assert [(f.line, f.col, f.rule) for f in findings] == [(7, 3, "S106")]


def test_every_real_story_checks_clean() -> None:
    result = check_paths([str(STORIES)])
    assert result.findings == []
    assert len(result.stories) == len(list(STORIES.glob("*.md"))) >= 10
