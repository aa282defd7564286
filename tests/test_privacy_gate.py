"""The privacy scan's shortcuts find exactly what reading every line with every rule finds.

check_privacy skips lines (one scan of the file for any rule's clue) and rules
(each rule's clue) before running the rules' patterns.  These properties pin
that the skipping never loses a warning: the scan with its shortcuts equals
the scan with every shortcut switched off, on text built from the pieces the
patterns look for.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from norishiro.check import privacy
from norishiro.check.privacy import RULES, check_privacy

SAMPLES = Path(__file__).resolve().parent.parent / "stories"

PIECES = (
    "0", "1", "2", "3", "4", "5", "7", "9", "00", "090", "03", "1234", "5678", "２", "０", "①", "㉑", "〇", "零", "一", "二", "九", "十", "百",
    "-", "‐", "ー", "−", "―", "－", ".", "/", "(", ")", "（", "）", "[", "]", "【", "】", "<", ">", "{", "}", " ", "\u3000", "\t", "\n", "\n", "\n",
    "+81", "〒", "丁目", "番地", "番", "号", "町", "市", "区", "村", "郡", "さん", "さま", "様", "氏", "くん", "君", "ちゃん", "山田", "タナカ",
    "はなこ", "お母", "多", "歳", "才", "男性", "女", "娘", "長男", "代", "の", "、", "生まれ", "産まれ", "生", "生年月日", "昭和", "令和", "元",
    "年", "月", "日", "組", "小学校", "中", "A", "病院", "病棟", "階", "東", "番号", "ケース", "口座", "普通", "当座", "No", "NO", "№",
    "品川", "あ", "か", "な", "・", "@", "＠", "at", "AT", " at ", "[at]", "(at)", "アット", "アットマーク", "あっとまーく", "dot", "ドット",
    "example", "com", "jp", "Tanaka", "-san", " shi", "sensei", "Mr. ", "Mrs ", "Dr", "Prof. ", "Smith", "key: ", "  - what: ", "title:",
    "<!-- norishiro: ok W201 -->", "# norishiro: ok W206", "norishiro", "\u200b", "ｰ", "ﾊﾟ",
)
# Whole details of every rule, which the pieces around them may break or extend.
DETAILS = (
    "090-1234-5678", "03(1234)5678", "(03)1234-5678", "0312345678", "+81 90-1234-5678", "03.1234.5678", "〇九〇ー一二三四ー五六七八",
    "taro@example.com", "taro [at] example [dot] com", "taro at example.com", "taro アットマーク example.jp",
    "〒123-4567", "123-4567", "1丁目2番3号", "三丁目", "12番地", "3番4号", "桜町1-2-3", "中町12-3",
    "1234 5678 9012", "1234-5678-9012", "山田さん", "タナカさま", "はなこちゃん", "佐藤様", "Tanaka-san", "Mr. Smith", "Dr Jones",
    "45歳男性", "七十二歳の女性", "女性（72歳）", "男児(5)", "1990年1月1日生まれ", "2000/1/1産まれ", "昭和50年1月1日生", "S50.1.1生",
    "生年月日: 1950年", "平成元年一月一日生まれ", "東小学校3年2組", "北中1年A組", "中央病院3階東病棟", "ケース番号12345", "ケースNO.123-45",
    "普通預金口座1234567", "当座 1234567", "品川 300 あ 12-34", "足立500さ・・12", "山田花子", "佐藤 健一", "鈴木\u3000一郎", "高橋誠",
)
texts = st.lists(st.sampled_from(PIECES + DETAILS), max_size=40).map("".join)

def _without_shortcuts(text: str, front_line: int, body_line: int) -> list[privacy.Problem]:
    """check_privacy reading every line with every rule's patterns."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(privacy, "_rules_with_clues", lambda folded: RULES)
        patch.setattr(privacy, "_candidates", lambda text, lines: list(range(1, len(lines) + 1)))
        return list(check_privacy(text, front_line, body_line))


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(min_value=0, max_value=4))
def test_the_shortcuts_lose_nothing(text: str, front_lines: int) -> None:
    front_line, body_line = (2, 3 + front_lines) if front_lines else (1, 1)
    assert list(check_privacy(text, front_line, body_line)) == _without_shortcuts(text, front_line, body_line)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_each_clue_is_in_every_match_of_its_rule(text: str) -> None:
    for line in text.split("\n"):
        folded, _ = privacy._normalise(line)
        with_clues = privacy._rules_with_clues(folded)
        for rule in RULES:
            if any(True for _ in rule.find(folded)):
                assert re2.compile(privacy._re2_syntax(rule.clue)).search(privacy._utf8(folded)), (rule.id, folded)
                assert rule in with_clues, (rule.id, folded)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.md")), ids=lambda path: path.stem)
def test_the_samples_read_the_same_without_shortcuts(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    body_line = text.index("\n---", 4)
    body_line = text[:body_line].count("\n") + 3
    assert list(check_privacy(text, 2, body_line)) == _without_shortcuts(text, 2, body_line)


# Characters NFKC changes, composes or reorders: full-width and half-width
# forms, kana voicing marks, circled and squared signs, compatibility
# ideographs, combining marks, Hangul jamo, and plain text around them.
FOLDED = st.text(
    st.one_of(
        st.sampled_from("あカｶﾞﾟ゙゚（）０９ＡＺ①㉑㍻㈱ﬁ™½é\u0301\u0323\u0958\u1100\u1161\u11a8\u2126\uf900\u2f800 \u3000"),
        st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, exclude_categories=("Cs",)),
    ),
    max_size=12,
)


@settings(max_examples=2000, deadline=None)
@given(FOLDED)
def test_the_quick_fold_is_the_line_scans_fold(line: str) -> None:
    assert privacy._fold(line) == privacy._normalise(line)[0]


ALL_CHARACTERS = "".join(chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)


def _re2_finds(pattern: str) -> set[str]:
    return {match.group().decode() for match in re2.compile(privacy._re2_syntax(pattern)).finditer(ALL_CHARACTERS.encode())}


def test_the_clues_digits_are_at_least_the_rules_digits() -> None:
    """The clues' \\p{Nd} (RE2's Unicode tables) has every character re's \\d matches."""
    assert {char for char in ALL_CHARACTERS if char.isdecimal()} <= _re2_finds(privacy._D)


def test_the_clues_spaces_are_the_rules_spaces() -> None:
    assert _re2_finds(privacy._S) == {char for char in ALL_CHARACTERS if char.isspace()}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_each_clue_is_valid_re2(rule: privacy.Rule) -> None:
    assert re2.compile(privacy._re2_syntax(rule.clue)).search(b"") is None
