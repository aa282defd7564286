"""A table of good and bad values per rule, each changed into a valid story."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from norishiro.check.cache import Cache
from norishiro.check.collection import check_paths
from norishiro.check.narrative import read_narrative
from norishiro.check.story import check_file
from storytext import VALID, line_of, with_line


def errors(text: str, name: str = "stories/sample-story.md") -> list[tuple[int, str]]:
    _, findings = check_file(name, text.encode("utf-8"))
    return [(f.line, f.rule) for f in findings if f.severity == "error"]


def test_valid_story_is_clean() -> None:
    story, findings = check_file("stories/sample-story.md", VALID.encode())
    assert findings == []
    assert story is not None
    assert story.fields == ("education", "child")


# (line in VALID to replace, replacement, rule expected or None for "accepted")
CASES: list[tuple[str, str, str | None]] = [
    # S105/S104 lengths and empties
    ("title: 連携会議が市全体の仕組みになるまで", "title: " + "あ" * 80, None),
    ("title: 連携会議が市全体の仕組みになるまで", "title: " + "あ" * 81, "S105"),
    ("title: 連携会議が市全体の仕組みになるまで", 'title: ""', "S104"),
    ("title: 連携会議が市全体の仕組みになるまで", "title:", "S104"),
    ("summary: 一人の子どもの事例から始まった会議が、市全体の仕組みになった。", "summary: " + "い" * 301, "S105"),
    ("summary: 一人の子どもの事例から始まった会議が、市全体の仕組みになった。", "summary: " + "い" * 300, None),
    # S103 types
    ("title: 連携会議が市全体の仕組みになるまで", "title: [a, b]", "S103"),
    ("fields: [education, child]", "fields: education", "S103"),
    ("  through: 教育と福祉の連携会議", "  through: {a: b}", "S103"),
    # S108 prefectures
    ("  prefecture: 三重県", "  prefecture: 三重", None),
    ("  prefecture: 三重県", "  prefecture: 東京", None),
    ("  prefecture: 三重県", "  prefecture: 北海道", None),
    ("  prefecture: 三重県", "  prefecture: 大阪", None),
    ("  prefecture: 三重県", "  prefecture: 京都府", None),
    ("  prefecture: 三重県", "  prefecture: 三重都", "S108"),
    ("  prefecture: 三重県", "  prefecture: ミエ", "S108"),
    # S106 enums, as ids or Japanese labels
    ("  kind: city", "  kind: 町", None),
    ("  kind: city", "  kind: 政令指定都市", None),
    ("  kind: city", "  kind: 中核市", None),
    ("  kind: city", "  kind: 圏域", None),
    ("  kind: city", "  kind: metropolis", "S106"),
    ("jusou: using", "jusou: 実施", None),
    ("jusou: using", "jusou: 移行準備", None),
    ("jusou: using", "jusou: not_using", None),
    ("jusou: using", "jusou: yes", "S106"),
    ("status: ongoing", "status: 定着", None),
    ("status: ongoing", "status: 休止中", None),
    ("status: ongoing", "status: 終了", None),
    ("status: ongoing", "status: done", "S106"),
    ("    kind: start", "    kind: 転機", None),
    ("    kind: start", "    kind: 担当交代・異動", None),
    ("    kind: start", "    kind: 異動", None),
    ("    kind: start", "    kind: success", "S106"),
    # S107 field ids and labels with variants
    ("  field: education", "  field: 障がい", None),
    ("  field: education", "  field: 障害", None),
    ("  field: education", "  field: 障碍", None),
    ("  field: education", "  field: 社協", None),
    ("  field: education", "  field: ＮＰＯ", None),
    ("  field: education", "  field: mental_health", None),
    ("  field: education", "  field: welfare", "S107"),
    ("fields: [education, child]", "fields: [教育, 子供]", None),
    ("fields: [education, child]", "fields: [教育, こども]", None),
    ("fields: [education, child]", "fields: [教育, 子ども・子育て]", None),
    ("fields: [education, child]", "fields: [education, kids]", "S107"),
    # S109 population
    ("  population: 52000", "  population: 52,000", None),
    ("  population: 52000", "  population: ５２０００", None),
    ("  population: 52000", "  population: 0", "S109"),
    ("  population: 52000", "  population: -5", "S109"),
    ("  population: 52000", "  population: 約5万", "S109"),
    ("  population: 52000", "  population: 5.2", "S109"),
    # S110 list sizes
    ("  - when: 2021-06\n    what: 市全体の会議になった\n", "", "S110"),
    # S201/S202 dates
    ("    when: 2020年", "    when: 2020", None),
    ("    when: 2020年", "    when: 2020-05-10", None),
    ("    when: 2020年", "    when: '2020-05'", None),
    ("    when: 2020年", "    when: 2020年5月10日", None),
    ("    when: 2020年", "    when: 令和2年度", None),
    ("    when: 2020年", "    when: 令和元年6月", None),
    ("    when: 2020年", "    when: 令和1年6月", None),
    ("    when: 2020年", "    when: 平成31年度", None),
    ("    when: 2020年", "    when: 平成30年", None),
    ("    when: 2020年", "    when: ２０２０年５月", None),
    ("    when: 2020年", "    when: 2020年春", "S201"),
    ("    when: 2020年", "    when: そのころ", "S201"),
    ("    when: 2020年", "    when: 20年", "S201"),
    ("    when: 2020年", "    when: 2020-13", "S202"),
    ("    when: 2020年", "    when: 2021-02-30", "S202"),
    ("    when: 2020年", "    when: 令和0年", "S202"),
    ("    when: 2020年", "    when: 平成32年", "S202"),
    ("    when: 2020年", "    when: 平成31年6月", "S202"),
    ("    when: 2020年", "    when: 2020年13月", "S202"),
    # S204 after updated
    ("    when: 2020年", "    when: 2025-04-02", "S204"),
    ("    when: 2020年", "    when: 2025-04-01", None),
    ("    when: 2020年", "    when: 2025年", None),
    ("    when: 2020年", "    when: 2025年度", None),
    # S205 updated
    ("updated: 2025-04-01", "updated: '2025-04-01'", None),
    ("updated: 2025-04-01", "updated: 2025/04/01", "S205"),
    ("updated: 2025-04-01", "updated: 2025年4月", "S205"),
    ("updated: 2025-04-01", "updated: 2025-02-30", "S202"),
    # S102 unknown keys
    ("jusou: using", "jusou: using\ntitel: x", "S102"),
    ("  kind: city", "  kind: city\n  size: 5", "S102"),
    # S112 control characters (tab is text)
    ("title: 連携会議が市全体の仕組みになるまで", 'title: "連携\\x80会議"', "S112"),
    ("title: 連携会議が市全体の仕組みになるまで", 'title: "連携\t会議"', None),
    # explicit tags on bad values are values, not crashes
    ("jusou: using", "jusou: using\nsample: !!bool maybe", "S111"),
    ("updated: 2025-04-01", "updated: !!timestamp x", "S205"),
    ("  population: 52000", "  population: ፩", "S109"),
    ("  population: 52000", "  population: ²", None),  # NFKC reads it as 2: no crash
    # S111 sample flag
    ("jusou: using", "jusou: using\nsample: true", None),
    ("jusou: using", "jusou: using\nsample: maybe", "S111"),
    # S301/S302 body
    ("本文です。", "本文です。<br>", "S301"),
    ("本文です。", "<script>alert(1)</script>", "S301"),
    ("本文です。", "<iframe src='x'></iframe>", "S301"),
    ("本文です。", "[x](javascript:alert(1))", "S302"),
    ("本文です。", "[x](JavaScript:alert(1))", "S302"),
    ("本文です。", "[x](data:text/html;base64,AAAA)", "S302"),
    ("本文です。", "[x]: vbscript:msgbox", "S302"),
    ("本文です。", "[x](javascript&#58;alert(1))", "S302"),
    ("本文です。", "[x](java&#x73;cript:alert(1))", "S302"),
    ("本文です。", "<javascript:alert(1)>", "S302"),
    ("本文です。", "<https://example.org/a>", None),
    ("本文です。", "<!-- 確認済み -->", None),
    ("本文です。", "<!--norishiro:1-->", None),  # comments are dropped: no longer a placeholder risk
    ("本文です。", "\\`<b onmouseover=alert(1)>\\`", "S301"),
    ("本文です。", "<!--> <img src=x onerror=alert(1)> -->", "S301"),
    ("本文です。", "<!-- --!> <img src=x onerror=alert(1)> -->", "S301"),
    ("本文です。", "`<div>` はコードとして書ける", None),
    ("本文です。", "```\n<div>\n```", None),
    ("本文です。", "a < b かつ c > d", None),
    ("本文です。", "本文\x1bです。", "S112"),  # ESC, pasted from a terminal
    ("本文です。", "本文\x07です。", "S112"),
    ("本文です。", "本文\x7fです。", "S112"),
    ("本文です。", "本文\ufffeです。", "S112"),
    ("本文です。", "本文\tです。", None),  # a tab is text
    ("本文です。", "[報告書](https://example.org/report.pdf)", None),
]


@pytest.mark.parametrize(("old", "new", "rule"), CASES)
def test_rule_table(old: str, new: str, rule: str | None) -> None:
    text = with_line(old, new)
    found = errors(text)
    if rule is None:
        assert found == []
    else:
        assert rule in [r for _, r in found], found
        if new:  # the finding points at the first line the case wrote
            needle = next(line for line in new.split("\n") if line not in old.split("\n"))
            assert (line_of(text, needle), rule) in found, found


def test_missing_top_level_key_points_at_line_1() -> None:
    text = with_line("status: ongoing\n", "")
    assert errors(text) == [(1, "S101")]


def test_missing_nested_key_points_at_parent_key() -> None:
    text = with_line("  kind: city\n", "")
    assert errors(text) == [(line_of(text, "municipality:"), "S101")]


def test_missing_item_key_points_at_list_item() -> None:
    text = with_line("    what: 市全体の会議になった\n", "")
    assert errors(text) == [(line_of(text, "- when: 2021-06"), "S101")]


def test_started_by_field_is_added_to_fields() -> None:
    story, _ = check_file("stories/x-y.md", with_line("fields: [education, child]", "fields: [child]").encode())
    assert story is not None
    assert story.fields == ("education", "child")


def test_file_name_rule_suggests_slug() -> None:
    _, findings = check_file("stories/架空市の連携.md", VALID.encode())
    (finding,) = findings
    assert (finding.line, finding.rule) == (0, "S010")
    assert "mie-city-education.md" in finding.message
    _, findings = check_file("stories/Kyoiku_Renkei.md", VALID.encode())
    assert "kyoiku-renkei.md" in findings[0].message


@pytest.mark.parametrize("name", ["a.md", "a-b.md", "2024-case-1.md", "x" * 80 + ".md"])
def test_good_file_names(name: str) -> None:
    assert errors(VALID, f"stories/{name}") == []


@pytest.mark.parametrize("name", ["A.md", "a_b.md", "a--b.md", "-a.md", "a-.md", "x" * 81 + ".md", "a.txt", "a b.md"])
def test_bad_file_names(name: str) -> None:
    assert errors(VALID, f"stories/{name}") == [(0, "S010")]


@pytest.mark.parametrize(
    ("body", "shown_as_code"),
    [
        ("~~~\n<img src=x onerror=alert(1)>", True),  # a fence that never closes runs to the end (CommonMark)
        ("```\nx\n````\n<img src=x onerror=alert(1)>", False),  # a longer fence closes it
        (" ~~~\n<img src=x onerror=alert(1)>\n ~~~", True),  # up to three spaces before a fence
        ("```foo bar\n<img src=x onerror=alert(1)>\n```", True),  # an info string with a space
    ],
)
def test_fences_are_read_as_the_page_renders_them(body: str, shown_as_code: bool) -> None:
    """The finding and the page come from one reading: code on the page, or an error."""
    text = with_line("本文です。", body)
    narrative, problems = read_narrative(body, 1)
    assert "<img" not in narrative.html
    assert bool(re.search(r"<code>[^<]*&lt;img", narrative.html)) == shown_as_code
    assert errors(text) == ([] if shown_as_code else [(line_of(text, "<img"), "S301")])


def test_remote_images_are_warned() -> None:
    text = with_line("本文です。", "![図](https://example.org/chart.png)")
    _, findings = check_file("stories/a.md", text.encode())
    assert [(f.line, f.rule, f.severity) for f in findings] == [(line_of(text, "![図]"), "W102", "warning")]


def test_item_numbers_count_items_that_failed_other_checks() -> None:
    text = with_line("  - when: 2021-06\n    what: 市全体の会議になった\n", "  - 市全体の会議になった\n  - when: 2018年\n    what: x\n")
    _, findings = check_file("stories/a.md", text.encode())
    assert [f.rule for f in findings] == ["S103", "S203"]
    assert "timeline[3]" in findings[1].message


def test_every_error_in_a_file_is_reported() -> None:
    text = with_line("  kind: city", "  kind: metropolis")
    text = text.replace("status: ongoing", "status: done").replace("    when: 2020年", "    when: 2020-13")
    assert [rule for _, rule in errors(text)] == ["S106", "S106", "S202"]


def test_updated_after_today_is_warned_and_never_cached(tmp_path: Path) -> None:
    """W105: 9999-12-31 would head every list and date every page; the warning holds only while it is true."""
    stories = tmp_path / "stories"
    stories.mkdir()
    text = VALID.replace("updated: 2025-04-01", "updated: 9999-12-31")
    assert text != VALID
    (stories / "future.md").write_text(text, encoding="utf-8")
    for _ in range(2):  # the second run would be a cache hit if the finding were cached
        result = check_paths([str(stories)], cache=Cache(tmp_path))
        assert [(f.line, f.rule) for f in result.findings] == [(line_of(text, "updated:"), "W105")]
        assert "9999-12-31" in result.findings[0].message
    assert Cache(tmp_path).findings == {}
