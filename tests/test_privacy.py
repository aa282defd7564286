"""Privacy warnings W201-W214: each pattern at its line and column, placeholders left alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from norishiro.check.privacy import RULES, check_line
from norishiro.check.story import check_file
from storytext import VALID, line_of, story

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "privacy" / "personal-details.md"

STORY = story(**{"  through: 教育と福祉の連携会議": "  through: {front}", "本文です。": "{body}"})
FRONT_LINE = line_of(STORY, "{front}")
BODY_LINE = line_of(STORY, "{body}")

# rule: (text that must be warned, text that must not)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "W201": (
        ["03-1234-5678", "090-1234-5678", "〇九〇ー一二三四ー五六七八", "090.1234.5678", "03.1234.5678", "０９０－１２３４－５６７８", "09012345678", "(058)123-4567", "0120-123-456", "+81-90-1234-5678", "〇八〇・三三一二・四四五六", "電話 0312345678 https://example.jp/"],
        ["2021-06-15に会議", "月20時間", "令和3年度から5年度", "100-2000円", "2021.06.15に会議", "令和3年度", "第2回", "人口8,000人", "一〇〇人", "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/0000184346.html"],
    ),
    "W202": (
        ["taro.yamada@example.jp", "ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ", "name [at] example.jp", "name＠example.jp", "taro(at)example.co.jp",
         "taro アットマーク example.jp", "taro at example.jp", "taro[at]example[dot]jp", "hiro_k[@]example.jp", "ikeda dot k at gmail dot com"],
        ["@のあとに", "メールで連絡した", "at the meeting", "会議 at 市役所", "アットホームな会"],
    ),
    "W203": (["〒123-4567", "〒１２３－４５６７", "住所は123-4567の", "〒1234567"], ["1990-2000年", "123-45の", "100-2000円"]),
    "W204": (["中央3丁目5番地", "三丁目の角", "4番12号", "12番地", "架空市中央町1-2-3", "本町2-5に"], ["2021-06-15", "3-4人", "1番目の議題", "第2号議案"]),
    "W205": (["1234 5678 9012", "123456789012", "1234-5678-9012", "１２３４５６７８９０１２"], ["12345678", "1234567890123"]),
    "W206": (
        ["山田さん", "花子ちゃん", "田中氏", "鈴木君", "佐藤くん", "田中様", "はなこちゃん", "たろうくん", "マリアさん", "担当の田中さんが", "健一さん", "高市さん", "Tanaka-san", "Mr. Tanaka", "Ms Suzuki", "Dr. Yamada", "地区担当の森 さん", "tanaka-san", "Nguyenさん", "Taro Yamada さん", "Ｍａｒｉａさん", "Smith様"],
        [
            "Aさん", "Bさん", "A氏", "A子さん", "〇〇さん", "○さん", "本人さん", "母親さん", "Ｃさん",
            "民生委員さん", "相談員さん", "お母さん", "お子さん", "皆さん", "みなさん", "職員さん", "担当さん",
            "支援員さん", "保健師さん", "ケアマネさん", "住民さん", "利用者さん", "大家さん", "店主さん", "地域の方",
            "ご本人様", "お客様", "皆様", "社協さん", "包括さん", "ヘルパーさん", "ソーシャルワーカーさん", "赤ちゃん",
            "おばあちゃん", "会長さん", "保護司さん", "様式と仕様", "多様な", "同様に", "氏名", "たくさん", "ちゃんと", "A-san", "Mr. A", "Dr. の資格", "okaa-san", "onee-chan", "NPOさん", "JAさん", "SNSさん", "Xさん",
        ],
    ),
    "W207": (
        ["45歳男性", "女性（72歳）", "82歳の女性", "男性、45歳", "四十五歳男性", "１５歳の娘", "男性（72）", "女性(45歳)", "男性(七十二)", "女子生徒（15）"],
        ["80代の男性", "40歳代女性", "20歳以上の男女", "65歳以上の女性", "10代前半のAさん", "男性（2名）", "女性（A）", "50代の男性(2名)"],
    ),
    "W208": (
        ["生年月日：昭和15年3月4日", "1940年3月4日生まれ", "昭和15年3月4日生", "生年月日 S15.3.4", "S55.4.1生", "昭和55年4月1日生まれ",
         "昭和五十五年四月一日生まれ", "H2.10.3生まれ", "誕生日は1987年8月9日", "令和三年二月十八日出生"],
        ["氏名・生年月日・住所を共有", "1940年代生まれ", "2021年生まれの事業", "平成生まれの職員", "令和3年度生まれた会議", "R4.5.1生活保護開始", "2023年4月1日生活支援コーディネーターを配置"],
    ),
    "W209": (["〇〇小学校3年2組", "架空中学校2年1組", "東小3年2組", "架空高校１年Ａ組", "桜台中学校の2年3組", "県立みなと高校3年B組", "さくら小学校4年2組"], ["3年2組", "市内の小学校3年生", "小学校の高学年", "2組に分かれて"]),
    "W210": (["〇〇病院 3階東病棟", "〇〇病院の精神科病棟", "架空病院の東病棟", "みどり病院の認知症治療病棟"], ["病院の病棟", "地域の病院の病棟で", "病棟の看護師", "病院に入院", "精神科病院の長期入院病棟", "地域の総合病院の病棟"]),
    "W211": (
        ["ケース番号12345", "保険証番号 12345678", "被保険者番号：12345678", "口座番号1234567", "普通 1234567", "受給者証番号 0012345", "障害者手帳の番号は第12345号", "記号10120 番号12345671", "保険証の記号・番号は 12-345"],
        ["番号を知らせた", "普通の暮らし", "保険証を確認", "口座を作った", "ケース会議を12回"],
    ),
    "W212": (["品川 300 あ 12-34", "品川300あ12-34", "練馬 500 さ ・・12", "なにわ 501 あ 88-88"], ["第3回 会議", "平成30年度に3回", "1人 2人", "令和3年 と 4年"]),
    "W213": (
        ["山田花子", "佐藤 健一", "佐藤　健一", "高橋誠一", "佐々木健一郎", "木村拓哉", "渡辺正", "長谷川町子", "田中角栄", "山田花子（民生委員）", "髙橋 美穂", "喜多川 正彦", "勅使河原 美和子"],
        [
            "田中親子", "鈴木会長", "高橋委員", "中村課長", "吉田町", "山本市長", "福島第一", "千葉県", "山田介助", "前田推進員",
            "中島美術館", "小川町", "上野公園", "山中湖", "田中研修", "佐藤保健師", "加藤担当", "山田地区", "大塚製薬", "平野部",
            "石井一", "山田一人", "松本城", "池田市役所", "上田和", "市川市", "中野区の保健師", "架空市 福祉総合相談課", "地区 担当", "福祉 推進", "社協 職員", "令和 元年",
        ],
    ),
}
BAD = [(rule, text) for rule, (bad, _) in CASES.items() for text in bad]
GOOD = [(rule, text) for rule, (_, good) in CASES.items() for text in good]


def findings_of(tmp_path: Path, front: str = "教育と福祉の連携会議", body: str = "本文です。") -> list[tuple[int, int, str]]:
    path = tmp_path / "x.md"
    path.write_text(STORY.format(front=front, body=body), encoding="utf-8")
    _, findings = check_file(str(path))
    return [(f.line, f.col, f.rule) for f in findings]


def test_the_base_story_is_clean(tmp_path: Path) -> None:
    assert findings_of(tmp_path) == []


@pytest.mark.parametrize(("rule", "text"), BAD)
def test_warned_in_the_body_at_its_line(tmp_path: Path, rule: str, text: str) -> None:
    (line, col, found), = findings_of(tmp_path, body=f"会議で、{text}のことを話した。")
    assert (line, found) == (BODY_LINE, rule)
    assert 1 <= col - len("会議で、") <= len(text)


@pytest.mark.parametrize(("rule", "text"), BAD)
def test_warned_in_the_front_matter_at_its_line(tmp_path: Path, rule: str, text: str) -> None:
    (line, col, found), = findings_of(tmp_path, front=f"会議で、{text}のことを話した")
    assert (line, found) == (FRONT_LINE, rule)
    assert 1 <= col - len("  through: 会議で、") <= len(text)


@pytest.mark.parametrize(("rule", "text"), GOOD)
def test_not_warned(tmp_path: Path, rule: str, text: str) -> None:
    assert findings_of(tmp_path, body=f"会議で、{text}のことを話した。") == []
    assert findings_of(tmp_path, front=f"会議で、{text}のことを話した") == []


def test_columns_count_characters_as_written() -> None:
    line = "連絡先は　０９０－１２３４－５６７８、担当の山田さん"
    found = [(col, rule) for _, col, rule, _, _ in check_line(line, 1, in_front=False)]
    assert found == [(line.index("０") + 1, "W201"), (line.index("山田") + 1, "W206")]


def test_message_quotes_the_text_and_says_what_to_write() -> None:
    (_, _, rule, severity, message), = check_line("山田さんが来た", 7, in_front=False)
    assert (rule, severity) == ("W206", "warning")
    assert message == "「山田さん」は実名の可能性があります（Aさん のような仮名にしてください。確認済みなら行末に <!-- norishiro: ok W206 --> ）"
    (_, _, _, _, front_message), = check_line("  through: 山田さんの会", 7, in_front=True)
    assert front_message.endswith("確認済みなら行末に # norishiro: ok W206 ）")


def test_accepted_lines(tmp_path: Path) -> None:
    assert findings_of(tmp_path, body="山田さんが来た。 <!-- norishiro: ok W206 -->") == []
    assert findings_of(tmp_path, front="山田さんの会  # norishiro: ok W206") == []
    assert findings_of(tmp_path, body="45歳男性の山田さん <!-- norishiro: ok W206 W207 -->") == []
    # the marker names rules: another rule on the line is still warned
    assert findings_of(tmp_path, body="45歳男性の山田さん <!-- norishiro: ok W206 -->") == [(BODY_LINE, 1, "W207")]
    # the body marker does nothing in the front matter, and the other way round
    assert findings_of(tmp_path, front='"山田さんの会 <!-- norishiro: ok W206 -->"') == [(FRONT_LINE, 13, "W206")]
    assert findings_of(tmp_path, body="山田さんが来た。 # norishiro: ok W206") == [(BODY_LINE, 1, "W206")]


def test_every_line_of_the_file_is_read(tmp_path: Path) -> None:
    """Comments and code are in the public file too; key names are not text."""
    body = "<!-- 山田さんに確認 -->\n\n```\n090-1234-5678\n```\n\n`〒123-4567`"
    assert findings_of(tmp_path, body=body) == [(BODY_LINE, 6, "W206"), (BODY_LINE + 3, 1, "W201"), (BODY_LINE + 6, 2, "W203")]


def test_held_out_story_is_warned_at_each_personal_detail() -> None:
    _, findings = check_file(str(FIXTURE))
    expected = {
        (3, "W206"), (15, "W204"), (15, "W207"), (17, "W201"), (19, "W208"), (21, "W202"),
        (26, "W206"), (28, "W206"), (28, "W203"), (29, "W204"), (30, "W207"), (30, "W205"), (33, "W201"), (36, "W206"),
    }
    assert {(f.line, f.rule) for f in findings} == expected
    assert all(f.severity == "warning" for f in findings)


def test_the_sample_stories_are_clean() -> None:
    for path in sorted((ROOT / "stories").glob("*.md")):
        _, findings = check_file(str(path))
        assert [f.text() for f in findings if f.rule.startswith("W2")] == [], path.name


def test_rules_have_stable_ids_and_the_guide_shows_what_each_catches() -> None:
    assert [rule.id for rule in RULES] == [f"W{number}" for number in range(201, 214)]
    guide = (ROOT / "docs" / "guide" / "anonymising.md").read_text(encoding="utf-8")
    rows = {cells[0]: cells for cells in (line.strip("|").split("|") for line in guide.splitlines()) if cells[0].strip() in {r.id for r in RULES}}
    assert sorted(cell.strip() for cell in rows) == [rule.id for rule in RULES]
    for rule_id, cells in rows.items():
        for example in cells[2].strip().split("、"):
            found = [rule for _, _, rule, _, _ in check_line(example, 1, in_front=False)]
            assert found == [rule_id.strip()], example


def test_the_words_the_guide_promises_are_not_warned() -> None:
    guide = (ROOT / "docs" / "guide" / "anonymising.md").read_text(encoding="utf-8")
    words = re.search(r"たとえば (.+?) などです", guide).group(1).split("、")
    assert len(words) > 20
    for word in words:
        assert list(check_line(f"会議で、{word}が話した。", 1, in_front=False)) == [], word


@pytest.mark.parametrize(
    "front",
    ['"山田さんの会 # norishiro: ok W206"', "'山田さんの会 # norishiro: ok W206'", '"山田さんの会 <!-- norishiro: ok W206 -->"'],
)
def test_a_marker_inside_a_value_is_the_value_text_not_a_marker(tmp_path: Path, front: str) -> None:
    """Only a YAML comment is a maintainer's note; a quoted value may have been typed by anyone."""
    assert findings_of(tmp_path, front=front) == [(FRONT_LINE, 13, "W206")]
    assert findings_of(tmp_path, front=front + "  # norishiro: ok W206") == []


def test_a_marker_inside_a_block_value_is_text(tmp_path: Path) -> None:
    text = STORY.format(front="教育と福祉の連携会議", body="本文です。").replace(
        "  through: 教育と福祉の連携会議", "  through: |-\n    山田さんの会\n    # norishiro: ok W206\n    山田さんの会 # norishiro: ok W206"
    )
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    _, found = check_file(str(path))
    assert [(f.line, f.rule) for f in found] == [(FRONT_LINE + 1, "W206"), (FRONT_LINE + 3, "W206")]


# ---- the narrative as the page shows it ------------------------------------

@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("電話 &#48;90-1234-5678 です。", "W201"),  # an entity the page turns into a digit
        ("taro&#64;example.jp に送る。", "W202"),
        ("山田*さん*は会議に来た。", "W206"),  # emphasis inside a name
        ("電話は090-*1234*-5678。", "W201"),
        ("電話は090-1234-\n5678です。", "W201"),  # a line break inside a number
        ("担当の山田\nさんが来た。", "W206"),
        ("電話は090\u200b-1234\u200b-5678。", "W201"),  # zero-width spaces
        ("電話は0\u00ad90-1234-5678。", "W201"),  # a soft hyphen
        ("民生委員の山田\n花子が来た。", "W213"),  # a line break inside a full name
        ("民生委員の*山田*花子が来た。", "W213"),
        ("民生委員の山田&#33457;子が来た。", "W213"),
    ],
)
def test_what_the_page_shows_is_scanned(body: str, rule: str) -> None:
    text = VALID.replace("本文です。", body)
    _, findings = check_file("stories/shown.md", text.encode())
    assert [(f.line, f.rule) for f in findings] == [(line_of(text, body.split("\n")[0]), rule)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("電話は090-1234-5678。<!-- norishiro: ok W201 -->", []),  # accepted on its line
        ("電話は\n090-1234-5678。", [(31, "W201")]),  # found on its own line: once, not again for the paragraph
        ("普通の本文です。\n二行目です。", []),
    ],
)
def test_the_page_scan_adds_nothing_the_line_scan_already_says(body: str, expected: list[tuple[int, str]]) -> None:
    text = VALID.replace("本文です。", body)
    _, findings = check_file("stories/shown.md", text.encode())
    assert [(f.line, f.rule) for f in findings] == expected


def test_a_full_name_with_an_honorific_is_warned_once() -> None:
    for text in ("山田花子さんが来た", "佐藤健一氏の紹介", "佐々木健一郎さん"):
        assert [rule for _, _, rule, _, _ in check_line(text, 1, in_front=False)] == ["W206"], text


def test_full_names_without_honorific_at_their_lines() -> None:
    fixture = ROOT / "tests" / "fixtures" / "privacy" / "full-name-without-honorific.md"
    _, findings = check_file(str(fixture))
    assert [(f.line, f.col, f.rule) for f in findings] == [(21, 14, "W213"), (21, 14, "W214"), (26, 6, "W213"), (28, 7, "W213")]


@pytest.mark.parametrize(
    ("value", "warned"),
    [
        ("山田", True), ("佐藤 健一", True), ("佐々木", True), ("高橋誠一", True),
        ("架空市 福祉課 佐藤", True), ("保健師の田中", True), ("中村（保健師）", True), ("担当 伊藤", True), ("架空市福祉課の中川", True),
        ("架空市 福祉総合相談課", False), ("社会福祉協議会 地区担当", False), ("保健師（1人）", False), ("山田地区の民生委員", False),
        ("田中親子", False), ("小林市 健康福祉課", False), ("大野市 福祉課", False), ("吉田町 地域包括支援センター", False),
        ("社協の地区担当2人", False), ("保健師と社協のCSW", False),
    ],
)
def test_a_role_is_not_a_person(tmp_path: Path, value: str, warned: bool) -> None:
    """W214: contributor and overlaps[].who never name a private person (the contract says so)."""
    text = VALID.replace("updated:", f"contributor: {value}\noverlaps:\n  - who: {value}\n    combines: [支援会議, 地域ケア会議]\nupdated:", 1)
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    _, findings = check_file(str(path))
    w214 = [f.line for f in findings if f.rule == "W214"]
    assert w214 == ([line_of(text, "contributor:"), line_of(text, "  - who:")] if warned else [])
