"""Privacy warnings: details that could tell a reader who a person is.

Stories are about people in difficulty, and a story file is public twice: as a
page and as a file in the repository.  So every line of the file is read (the
front matter with its YAML comments, and the whole body, HTML comments and
code included); only YAML key names and the accept-markers themselves are
skipped.  Each pattern has a stable rule id and a Japanese message that quotes
what matched and says what to write instead.

Matching runs on the NFKC form of a line, so full-width digits and letters
count; columns are reported in the line as written.

A reviewed line is accepted by a marker at its end naming the rule ids:
    body:          ... <!-- norishiro: ok W206 -->
    front matter:  key: value  # norishiro: ok W206 W207

W206 (names with an honorific) keeps an allow-list of words that take
さん・様・氏・くん・君・ちゃん without being a name: placeholders (Aさん, A子さん,
〇〇さん, ○さん), words after the polite prefixes お・ご (お母さん, お子さん,
ご本人様), roles and organisations ending in 員・師・士・者・長・官・主・職・民・家・課・係・局・会・
協・校・園・店・社・業・県・団 (民生委員さん, 保健師さん, 利用者さん, 住民さん, 店主さん,
社協さん), and the word lists below.  Ordinary surnames end in 村・部・所・屋・子・人・夫
and so on, which is why those are not role endings.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import re2

from norishiro.check import names
from norishiro.check.findings import WARNING

Problem = tuple[int, int, str, str, str]  # line, col, rule, severity, message
Span = tuple[int, int]  # start, end in the NFKC form of a line

_HY_CHARS = r"\-‐‑‒–—―−ー"  # hyphens as typed in Japanese text (after NFKC)
_HY = f"[{_HY_CHARS}]"
_KANJI_NUMBER = r"[〇一二三四五六七八九十百]+"

# ------------------------------------------------------------------ W206 names

# Words that take an honorific without being a person's name.  A kanji or
# katakana run is accepted when it ends with one of these.
KANJI_ALLOWED = (
    # family and people, by relation
    "皆", "本人", "当人", "奥", "旦那", "亭主", "親", "母", "父", "兄", "姉", "弟", "妹", "娘",
    "息子", "孫", "嫁", "婿", "姑", "舅", "爺", "婆", "坊", "赤", "嬢", "家族", "隣", "近所", "客",
    "相手", "先方", "友達", "友人", "知人", "仲間", "担当", "大家", "家主", "地主", "先生", "学生",
    "同級生", "校生", "高生", "実習生", "研修生", "卒業生", "農家", "後見人", "管理人", "代理人", "保証人",
    "保護司",
    # organisations that practitioners address with さん
    "社協", "包括", "基幹", "役所", "役場", "行政", "学校", "施設", "病院", "医院", "診療所",
    "事業所", "法人", "保健所", "警察", "児相", "民生", "保育所", "公民館",
    "事務所", "相談所", "相談室", "研究所", "企業", "八百屋", "魚屋", "本屋", "酒屋", "米屋",
    "床屋", "花屋", "肉屋", "電気屋", "不動産屋", "代表", "食堂", "銀行", "配達", "組合",
)
# Words ending in 様・氏・君 that are not a name with an honorific (多様, 同氏, 諸君).  Kept
# apart because given names end in some of these characters (健一さん, 和文さん).
NOT_HONORIFIC = {
    "様": ("多", "同", "仕", "模", "異", "一", "有", "左", "文", "紋", "今", "別", "態", "神", "仏", "王", "殿", "姫",
          "疲れ", "苦労", "世話", "互い", "陰"),
    "氏": ("同", "両", "諸", "某", "彼"),
    "君": ("諸", "貴", "父", "主", "細"),
}
# Last characters of role and organisation words: 相談員, 保健師, 利用者, 会長 ...
ROLE_ENDINGS = "員師士者長官主職民家課係局会協校園店社業県団"
KATAKANA_ALLOWED = (
    "ケアマネ", "マネ", "ワーカー", "ヘルパー", "スタッフ", "ボランティア", "サポーター",
    "コーディネーター", "カウンセラー", "マネジャー", "マネージャー", "ドクター", "ナース",
    "オーナー", "メンバー", "リーダー", "パートナー", "ママ", "パパ", "センター", "クリニック",
    "ステーション", "コンビニ", "スーパー", "ショップ", "カフェ", "サロン", "チーム", "グループ",
    "クラブ", "ファミリー", "ホーム", "ドライバー", "ガイド", "ピア", "ケアラー", "トレーナー",
    "ファシリテーター", "アドバイザー", "ユーザー", "ゲスト", "マスター", "パーソン", "ワーク", "デイ",
    "サービス", "スクール", "テラス",
)
HIRAGANA_ALLOWED = (
    "みな", "たく", "じい", "ばあ", "かあ", "とう", "にい", "ねえ", "あか", "ぼっ", "ぼう",
    "だんな", "むすめ", "むすこ", "まご",
)
_PLACEHOLDER = re.compile(r"[A-Za-z〇○●◯◎×✕△▲□■＊*＿_]")
_HONORIFIC = re.compile(r"さん|さま|様|氏|くん|君|ちゃん")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc\u3099\u309a]")
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_SCRIPTS = (("kanji", _KANJI, 1, 4), ("katakana", _KATAKANA, 2, 8), ("hiragana", _HIRAGANA, 2, 4))
_KANA_HONORIFICS = ("さん", "ちゃん", "くん")  # the only ones a hiragana name takes
# What find_names needs before an honorific to read a name there: a run of
# one script (_run_before), or a space after one (森 さん).  A clue of W206 is an
# honorific after one of these (様・氏・君 not followed by a kanji either: 様子,
# 氏名, 君主 are words), so that 様式 and the placeholders Aさん, Bさん are passed by.
_BEFORE_HONORIFIC = "[" + "".join(pattern.pattern[1:-1] for _, pattern, _, _ in _SCRIPTS) + " ]"


def _run_before(line: str, end: int) -> tuple[str, str, int] | None:
    """The run of one script ending at `end`: (script, run, start), or None."""
    if end == 0:
        return None
    for script, pattern, shortest, _ in _SCRIPTS:
        if pattern.match(line[end - 1]):
            start = end
            while start > 0 and pattern.match(line[start - 1]):
                start -= 1
            return (script, line[start:end], start) if end - start >= shortest else None
    return None


def _not_a_name(line: str, match: re.Match[str], script: str, run: str, start: int) -> bool:
    honorific, after = match.group(0), line[match.end() : match.end() + 1]
    before = line[start - 1] if start else ""
    if honorific in "様氏君" and _KANJI.match(after or " "):
        return True  # 様子, 様式, 氏名, 君主: part of a longer word
    if honorific == "ちゃん" and after == "と" and script == "hiragana":
        return True  # ちゃんと
    if honorific == "くん" and after in ("で", "だ"):
        return True  # 組んで
    if _PLACEHOLDER.match(before or " ") or before in ("お", "ご"):
        return True  # A子さん, お母さん, ご本人様
    if script == "kanji":
        return run.endswith(KANJI_ALLOWED) or run[-1] in ROLE_ENDINGS or run.endswith(NOT_HONORIFIC.get(honorific, ()))
    if script == "katakana":
        return run.endswith(KATAKANA_ALLOWED)
    return honorific not in _KANA_HONORIFICS or run.startswith(("お", "ご")) or run.endswith(HIRAGANA_ALLOWED)


# Romanised family words that take -san as お母さん does (okaa-san), not names.
ROMAJI_ALLOWED = ("okaa", "otou", "obaa", "ojii", "oba", "oji", "onee", "onii", "nee", "nii", "mina", "oku", "oyome", "oisha")
_ROMAJI_NAME = re.compile(
    r"(?<![A-Za-z])[A-Z][a-z]{2,}[\- ](?:san|sama|kun|chan|shi|sensei)(?![A-Za-z])"
    rf"|(?<![A-Za-z])(?!(?:{'|'.join(ROMAJI_ALLOWED)})-)[a-z]{{3,}}-(?:san|sama|kun|chan)(?![A-Za-z])"  # tanaka-san
    r"|(?<![A-Za-z])[A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})? ?(?:さん|さま|様|氏|くん|君|ちゃん)"  # Nguyenさん, Taro Yamada さん
    r"|(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?[ ]+[A-Z][a-z]{2,}(?:[ ]+[A-Z][a-z]{2,})?(?![A-Za-z])"
)


def find_names(line: str) -> Iterator[Span]:
    for match in _ROMAJI_NAME.finditer(line):
        yield match.span()
    for match in _HONORIFIC.finditer(line):
        found = _run_before(line, match.start())
        if found is None and line[match.start() - 1 : match.start()] == " ":
            found = _run_before(line, match.start() - 1)  # 森 さん: a space before the honorific
        if found is None:
            continue
        script, run, start = found
        if match.group(0) == "さま" and script != "kanji":
            continue
        if _not_a_name(line, match, script, run, start):
            continue
        longest = next(limit for name, _, _, limit in _SCRIPTS if name == script)
        yield max(start, match.start() - longest), match.end()


# ------------------------------------------------------------- the other rules


_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_URL = re.compile(r"""https?://[^\s<>"'）」』]+""")


def _any(_: str) -> bool:
    return True


@dataclass(frozen=True)
class RegexFinder:
    """Spans of the patterns' matches (or of their `hit` group), as data the editor reads too.

    `kanji_digits`: also read kanji numerals as digits (〇九〇ー一二三四…, one
    digit each, so spans stay).  `outside_urls`: leave out what lies inside a
    web address (厚生労働省's pages are numbered like 0000184346.html).
    """

    patterns: tuple[re.Pattern[str], ...]
    keep: Callable[[str], bool] = _any
    kanji_digits: bool = False
    outside_urls: bool = False

    def __call__(self, line: str) -> Iterator[Span]:
        spans = self._find(line)
        if self.kanji_digits and ("〇" in line or "零" in line):
            spans = [*spans, *self._find(line.translate(_KANJI_DIGITS))]
        if self.outside_urls and "http" in line:
            urls = [match.span() for match in _URL.finditer(line)]
            spans = [(start, end) for start, end in spans if not any(a <= start and end <= b for a, b in urls)]
        return iter(spans)

    def _find(self, line: str) -> list[Span]:
        spans = []
        for pattern in self.patterns:
            group = "hit" if "hit" in pattern.groupindex else 0
            for match in pattern.finditer(line):
                if self.keep(match.group(group)):
                    spans.append(match.span(group))
        return spans


def _regex_finder(*patterns: str, keep: Callable[[str], bool] = _any, **options: bool) -> RegexFinder:
    return RegexFinder(tuple(re.compile(pattern) for pattern in patterns), keep, **options)


def _phone_digits(text: str) -> bool:
    digits = sum(char.isdigit() for char in text)
    return digits in (10, 11) or (text.startswith("+81") and digits in (11, 12))


def _not_a_date(text: str) -> bool:
    return not re.fullmatch(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}", text)


_SEP = rf"(?:\s?(?:{_HY}|[()・･])\s?|\s)"
_NOT_AFTER_NUMBER = rf"(?![\d{_HY_CHARS}])"
find_phones = _regex_finder(
    rf"(?<![\d{_HY_CHARS}])0\d{{1,4}}{_SEP}\d{{1,4}}{_SEP}\d{{3,4}}(?!\d)",
    rf"(?<![\d(])\(0\d{{1,4}}\)\s?\d{{1,4}}{_HY}\d{{4}}(?!\d)",
    r"(?<!\d)0\d{9,10}(?!\d)",
    rf"\+81[\s-]?\d{{1,4}}{_HY}?\d{{1,4}}{_HY}?\d{{4}}(?!\d)",
    r"(?<![\d.])0\d{1,4}\.\d{1,4}\.\d{3,4}(?![\d.])",
    keep=_phone_digits,
    kanji_digits=True,
    outside_urls=True,
)
_AT = r"(?:@|\s?[\[(<{（【]\s?(?:at|AT|At|アット|@)\s?[\])>}）】]\s?|\s(?:at|AT)\s|\s?(?:アットマーク|あっとまーく)\s?)"
_DOT = r"(?:\.|\s?[\[(（]\s?(?:dot|DOT|ドット)\s?[\])）]\s?|\s(?:dot|DOT)\s)"
find_emails = _regex_finder(rf"[A-Za-z0-9._%+\-]+{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}[A-Za-z]{{2,}}")
find_postal_codes = _regex_finder(
    rf"〒\s?\d{{3}}(?:{_HY}?\d{{4}})?",
    rf"(?<![\d{_HY_CHARS}〒])\d{{3}}{_HY}\d{{4}}{_NOT_AFTER_NUMBER}(?!\s?[円人件万千百時分回名歳年%])",
)
find_addresses = _regex_finder(
    rf"(?:\d+|{_KANJI_NUMBER})丁目(?:\s?\d+\s?番(?:地)?(?:\s?\d+\s?号)?|\s?\d+(?:{_HY}\d+)*)?",
    r"\d+\s?番地(?:\s?\d+)?",
    r"\d+\s?番\s?\d+\s?号",
    rf"[町市区村郡]\D{{0,12}}?(?<![\d{_HY_CHARS}])(?P<hit>\d{{1,4}}{_HY}\d{{1,4}}{_HY}\d{{1,4}}){_NOT_AFTER_NUMBER}",
    rf"町(?P<hit>\d{{1,4}}{_HY}\d{{1,4}}){_NOT_AFTER_NUMBER}",
    keep=_not_a_date,
)
find_personal_numbers = _regex_finder(rf"(?<![\d{_HY_CHARS}])\d{{4}}(\s?|{_HY})\d{{4}}\1\d{{4}}{_NOT_AFTER_NUMBER}")
_AGE = rf"(?:\d{{1,3}}|{_KANJI_NUMBER})\s?(?:歳|才)(?!\s?(?:代|台|以上|以下|未満|から|まで|前後|超|頃|ごろ|くらい|ぐらい))"
_SEX = r"(?:男子生徒|女子生徒|男子児童|女子児童|男性|女性|男児|女児|男子|女子|男の子|女の子|少年|少女|母親|父親|息子|娘|長男|長女|次男|次女|男|女)"
find_ages_with_sex = _regex_finder(
    rf"{_AGE}[\s、,・/]*(?:の\s?)?{_SEX}",
    rf"{_SEX}[\s、,・/]*[(（]?\s?{_AGE}\s?[)）]?",
    rf"{_SEX}\s?[(（]\s?(?:\d{{1,3}}|{_KANJI_NUMBER})\s?[)）]",
)
find_birth_dates = _regex_finder(
    r"(?:生年月日|誕生日)\s?[:は]?\s?(?:(?:明治|大正|昭和|平成|令和|[MTSHR])\s?)?(?:\d+|元)(?:\s?[年./\-]\s?\d{1,2}(?:\s?[月./\-]\s?\d{1,2}\s?日?)?)?",
    r"(?:\d{2,4}|(?:明治|大正|昭和|平成|令和|[MTSHRmtshr])\s?(?:\d{1,2}|元))\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日\s?(?:生まれ|産まれ|出生|生(?![活徒協涯産命成存計]))",
    r"\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}\s?(?:生まれ|産まれ|出生|生(?![活徒協涯産命成存計]))",
    r"(?:明治|大正|昭和|平成|令和|[MTSHRmtshr])\s?(?:\d{1,2}|元)\s?[./\-]\s?\d{1,2}\s?[./\-]\s?\d{1,2}\s?(?:生まれ|産まれ|出生|生(?![活徒協涯産命成存計]))",
    rf"(?:明治|大正|昭和|平成|令和)?\s?(?:{_KANJI_NUMBER}|元)\s?年\s?{_KANJI_NUMBER}\s?月\s?{_KANJI_NUMBER}\s?日\s?(?:生まれ|産まれ|出生|生(?![活徒協涯産命成存計]))",
)

_NAME_RUN = r"[\u4e00-\u9fff々\u30a1-\u30fa\u30fc\u3041-\u3096A-Za-z〇○●◯]"  # さくら小学校, みどり病院 too
find_school_classes = _regex_finder(
    rf"{_NAME_RUN}{{1,12}}(?<!の)(?:小学校|中学校|高等学校|高校|義務教育学校|支援学校|学園|小|中)\s?(?:の\s?)?(?:\d{{1,2}}|[一二三四五六])\s?年\s?(?:\d{{1,2}}|[一二三四五六七八九十]|[A-Za-z])\s?組",
)
# Kinds of hospital, not names: 精神科病院の長期入院病棟 says no more than a kind of ward.
_GENERIC_HOSPITAL = "".join(f"(?<!{kind})" for kind in ("精神科", "総合", "地域", "一般", "療養", "専門", "大学", "公立", "民間", "近く", "市内", "県内"))
find_hospital_wards = _regex_finder(
    rf"{_NAME_RUN}{{1,12}}(?<!の){_GENERIC_HOSPITAL}(?:病院|医療センター)(?:の)?\s?(?:\d{{1,2}}\s?階)?\s?(?:[東西南北]\s?)?[\u4e00-\u9fff\u30a1-\u30fa\u30fcA-Za-z\d]{{0,8}}病棟",
)
_RECORD = r"(?:ケース|事例|記録|管理|相談|カルテ|患者|利用者|保険証|被保険者|受給者証?|口座|会員|手帳)"
find_record_numbers = _regex_finder(
    rf"{_RECORD}\s?(?:の\s?)?(?:記号\s?[・･、]?\s?)?(?:番号|No\.?|NO\.?|№)\s?[:：は]?\s?(?:第\s?)?[A-Za-z]{{0,3}}{_HY}?\d[\d{_HY_CHARS}]{{2,}}",
    r"記号\s?[:：は]?\s?\d{5}\s?(?:番号)?\s?[:：は]?\s?\d{6,8}(?!\d)",  # ゆうちょ銀行の記号と番号
    r"(?:普通|当座)(?:預金)?(?:口座)?\s?(?:\d{3,4}\s)?\d{7}(?!\d)",
)
find_car_plates = _regex_finder(
    rf"(?:[\u4e00-\u9fff]{{1,4}}|なにわ|つくば)\s?\d{{2,3}}\s?[\u3041-\u3093]\s?(?:\d{{1,2}}{_HY}\d{{2}}|[・･]{{1,3}}\d{{1,3}})(?!\d)",
)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # what the rule looks for, for the docs' table
    suspect: str  # 「…」は{suspect}の可能性があります
    advice: str  # what to write instead
    find: Callable[[str], Iterator[Span]]
    clue: str  # RE2 syntax: a line without a match of it has no match of `find` (see _GATE)


_NAME_WORDS = "(?:san|sama|kun|chan|shi|sensei)"
# The clues are RE2 patterns (so that one scan of a file tries them all at
# once, see _GATE), and RE2's \d and \s are ASCII: these are Python's.
_D = r"\p{Nd}"  # re's \d: Unicode decimal digits
_SPACES = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # re's \s: str.isspace
_S = f"[{_SPACES}]"
RULES: tuple[Rule, ...] = (
    Rule(
        "W201", "電話番号", "電話番号",
        "電話番号は書かないでください。窓口を紹介するなら「市の福祉総合相談課」のように名前で書きます", find_phones,
        rf"(?:^|[^{_D}{_HY_CHARS}])0{_D}{{1,4}}[{_SPACES}(){_HY_CHARS}]|(?:^|[^{_D}])0{_D}{{9}}|(?:^|[^{_D}.])0{_D}{{1,4}}\.{_D}"
        r"|\(0|\+81|[〇零]",
    ),
    Rule(
        "W202", "メールアドレス（[at] などでぼかしたものも）", "メールアドレス", "メールアドレスは書かないでください", find_emails,
        rf"@|[\[(<{{（【]{_S}?(?:at|AT|At|アット)|{_S}(?:at|AT){_S}|アットマーク|あっとまーく",
    ),
    Rule(
        "W203", "郵便番号", "郵便番号",
        "郵便番号は書かないでください。場所は「市の中心部」「山あいの地区」のようにぼかします", find_postal_codes,
        rf"〒|{_D}{{3}}{_HY}{_D}{{4}}",
    ),
    Rule(
        "W204", "丁目・番地・号や 1-2-3 の形の住所", "住所",
        "住所は書かないでください。「駅に近い住宅地」のようにぼかします", find_addresses,
        rf"丁目|{_D}{_S}?番|[町市区村郡].{{0,12}}?{_D}{{1,4}}{_HY}{_D}{{1,4}}{_HY}{_D}|町{_D}",
    ),
    Rule(
        "W205", "12桁の数字（個人番号）", "個人番号（マイナンバー）", "個人番号や各種の番号は書かないでください", find_personal_numbers,
        rf"{_D}{{4}}(?:{_S}|{_HY})?{_D}{{4}}",
    ),
    Rule(
        "W206", "さん・様・氏・くん・君・ちゃん の付いた名前、Tanaka-san・Mr. Tanaka・Nguyenさん", "実名", "Aさん のような仮名にしてください", find_names,
        rf"{_BEFORE_HONORIFIC}(?:さ[んま]|くん|ちゃん|[様氏君](?:[^{_KANJI.pattern[1:-1]}]|$))|[a-z][\- ]{_NAME_WORDS}(?:[^A-Za-z]|$)"
        r"|[a-z] ?(?:さ[んま]|くん|ちゃん|[様氏君])"
        r"|M(?:r|rs|s|iss)\.? |Dr\.? |Prof\.? ",
    ),
    Rule(
        "W207", "ちょうどの年齢と性別の組み合わせ（45歳男性、女性（72歳））", "個人を特定できる年齢と性別",
        "年齢は「40代」「10代前半」のように年代で書いてください", find_ages_with_sex,
        rf"[{_D}〇一二三四五六七八九十百]{_S}?[歳才]|[性児子年女親娘男徒童]{_S}?[(（]",
    ),
    Rule(
        "W208", "生年月日", "生年月日", "生年月日は書かないでください。年齢は「70代」のように年代で書きます",
        find_birth_dates,
        rf"生年月日|生日|[{_D}日]{_S}?(?:生|産まれ|出生)",
    ),
    Rule(
        "W209", "学校名と学年・組", "学校と学級", "学校は「市内の小学校」、学年は「小学校の高学年」のようにぼかしてください",
        find_school_classes,
        rf"年{_S}?[{_D}A-Za-z一二三四五六七八九十]{{1,2}}{_S}?組",
    ),
    Rule(
        "W210", "病院名と病棟", "病院と病棟", "病院は「地域の病院」のように、病棟は書かずにぼかしてください",
        find_hospital_wards,
        "病棟",
    ),
    Rule(
        "W211", "ケース番号・保険証番号・口座番号などの番号", "記録や口座の番号", "ケース番号、保険証や口座の番号は書かないでください",
        find_record_numbers,
        "番号|N[oO]|№|普通|当座",
    ),
    Rule(
        "W212", "自動車のナンバー", "自動車のナンバー", "車のナンバーは書かないでください（「車で送迎した」のように書きます）",
        find_car_plates,
        rf"{_D}{_S}?[\u3041-\u3093]{_S}?[{_D}・･]",
    ),
    Rule(
        "W213", "さん などの付かないフルネーム（山田花子、佐藤 健一）", "実名",
        "Aさん のような仮名にしてください", names.find_full_names,
        names.CLUE,
    ),
)


# ----------------------------------------------------------- reading a file

_BODY_ACCEPT = re.compile(r"<!--\s*norishiro:\s*ok\b(?P<ids>[^>]*?)-->")
_FRONT_ACCEPT = re.compile(r"(?:^|\s)#\s*norishiro:\s*ok\b(?P<ids>.*)$")
_RULE_ID = re.compile(r"W\d{3}")
_FRONT_KEY = re.compile(r"^[ \t]*(?:-[ \t]+)*[A-Za-z_][A-Za-z0-9_]*[ \t]*:(?=\s|$)")


_ANY_MARKER = re.compile(r"(?:<!--\s*)?(?:#\s*)?norishiro\s*[:：]\s*ok\b[^\n]*?(?:-->|$)", re.IGNORECASE | re.MULTILINE)
MARKER_REMOVED = "（確認済みの印は取り除きました）"


def defuse_markers(text: str) -> str:
    """Text copied from someone else (an issue) without accept markers in it.

    Markers count only where a maintainer wrote them; one typed in an answer
    would otherwise silence the warnings about that very answer.
    """
    if "norishiro" not in text.lower():
        return text
    return _ANY_MARKER.sub(MARKER_REMOVED, text)


InValue = Callable[[int, int], bool]  # (line, 0-based column) -> inside a YAML scalar?


def _accepted(line: str, in_front: bool, in_value: InValue | None = None, number: int = 0) -> tuple[str, set[str]]:
    """The line with its key and accept-marker blanked out, and the accepted ids.

    In the front matter a marker counts only as a YAML comment: a `#` inside a
    quoted or block value is the value's text (typed by whoever wrote it, for
    example in an issue), not a maintainer's note.
    """
    ids: set[str] = set()
    pattern = _FRONT_ACCEPT if in_front else _BODY_ACCEPT
    position = 0
    while "norishiro" in line[position:]:
        match = pattern.search(line, position)
        if match is None:
            break
        if in_front and in_value is not None and in_value(number, line.index("#", match.start())):
            position = line.index("#", match.start()) + 1  # text of a value: look for a comment after it
            continue
        ids.update(_RULE_ID.findall(match.group("ids")))
        line = line[: match.start()] + " " * (match.end() - match.start()) + line[match.end() :]
        position = match.end()
    if in_front:
        key = _FRONT_KEY.match(line)
        if key:
            line = " " * key.end() + line[key.end() :]
    return line, ids


@functools.cache
def _nfkc(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


def _normalise(line: str) -> tuple[str, list[int] | range]:
    """NFKC, character by character, with each result character's original index."""
    if line.isascii():
        return line, range(len(line))
    whole = unicodedata.normalize("NFKC", line)
    if len(whole) == len(line):  # the usual case: nothing composed or expanded
        return whole, range(len(line))
    parts = list(map(_nfkc, line))
    folded = "".join(parts)
    if len(folded) == len(line):  # every character stayed one character
        return folded, range(len(line))
    return folded, [index for index, part in enumerate(parts) for _ in part]


class _CharFolds(dict[int, str]):
    """Each character's own NFKC form, by code point, for str.translate: found on first use."""

    LIMIT = 100_000  # distinct characters kept; a hostile file cannot grow it further

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(self) < self.LIMIT:
            self[code] = folded
        return folded


_CHAR_FOLDS = _CharFolds()


def _fold(line: str) -> str:
    """_normalise(line)'s text, mostly without unicodedata.normalize (slow on a line of Japanese).

    Folding each character by itself gives a text equivalent to the line; if
    that text is in NFKC, it is the line's NFKC form (there is only one), and
    it is what _normalise gives too, whether it folds the line whole or
    character by character.
    """
    folded = line.translate(_CHAR_FOLDS)
    return folded if unicodedata.is_normalized("NFKC", folded) else _normalise(line)[0]


def _outermost(spans: Iterator[Span]) -> list[Span]:
    """Spans in line order, leaving out those inside or overlapping an earlier, longer one."""
    kept: list[Span] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _marker(rule_id: str, in_front: bool) -> str:
    return f"# norishiro: ok {rule_id}" if in_front else f"<!-- norishiro: ok {rule_id} -->"


def _re2_syntax(pattern: str) -> bytes:
    """`pattern` with its \\uXXXX escapes (shared with the re patterns above) written as RE2 writes them."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", r"\\x{\1}", pattern).encode()


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.max_mem = 64 << 20  # room for the lazily built DFA of all clues: in RE2's 8 MB it falls back to slower ways
_RE2_OPTIONS.never_capture = True

# All rules' clues in one pattern: RE2 runs a DFA, so a file is scanned once
# for all of them at a few instructions a character (Python's re tries an
# alternation at every position, and stops at most characters of Japanese
# text).  _CLUES tells which rules' clues a line has.
_GATE = re2.compile(_re2_syntax("(?m)" + "|".join(f"(?:{rule.clue})" for rule in RULES)), _RE2_OPTIONS)
_CLUES = re2.Set.SearchSet(_RE2_OPTIONS)
for _rule in RULES:
    _CLUES.Add(_re2_syntax("(?m)" + _rule.clue))
_CLUES.Compile()


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "replace")  # a lone surrogate (from JSON) is a "?" to the clues, as it is no digit or kanji to the rules


def _rules_with_clues(folded: str) -> Sequence[Rule]:
    """The rules whose clue the (folded) line has, in order."""
    data = _utf8(folded)
    if _GATE.search(data) is None:
        return ()
    found = _CLUES.Match(data)
    # RE2's Set answers nothing when its DFA runs out of memory; the gate has matched, so read every rule then.
    return [RULES[index] for index in sorted(found)] if found else RULES


def check_line(line: str, line_number: int, in_front: bool, in_value: InValue | None = None) -> Iterator[Problem]:
    scanned, accepted = _accepted(line, in_front, in_value, line_number)
    folded, origin = _normalise(scanned)
    reported: list[Span] = []  # a match inside an earlier rule's match is the same text: (03)123-4567 is no postal code
    for rule in _rules_with_clues(folded):
        spans = [span for span in _outermost(rule.find(folded)) if not any(a <= span[0] and span[1] <= b for a, b in reported)]
        reported += spans
        if rule.id in accepted:
            continue
        for start, end in spans:
            first, last = origin[start], origin[end - 1] + 1
            shown = line[first:last].strip()
            message = f"「{shown}」は{rule.suspect}の可能性があります（{rule.advice}。確認済みなら行末に {_marker(rule.id, in_front)} ）"
            yield line_number, first + 1, rule.id, WARNING, message


_HIDDEN = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")  # soft hyphen, zero-width and joiner characters


def check_shown(shown: str, first: int, last: int, lines: Sequence[str], already: set[tuple[int, str]]) -> Iterator[Problem]:
    """Warnings on a paragraph of the narrative as the page shows it (file lines first..last).

    The line scan reads what was typed; this reads what a reader sees, so that
    an entity (&#48;90…), emphasis inside a number (090-*1234*-5678), a line
    break (山田\nさん) or an invisible character cannot hide a detail.  A rule
    already reported on those lines, or accepted there, is not reported again.
    """
    seen = {rule for number, rule in already if first <= number <= last}
    for number in range(first, last + 1):
        seen |= _accepted(lines[number - 1], False)[1] if number <= len(lines) else set()
    for _line, _col, rule_id, severity, message in check_line(_HIDDEN.sub("", shown), first, False):
        if rule_id not in seen:
            seen.add(rule_id)
            yield first, 1, rule_id, severity, message.replace("可能性があります（", "可能性があります（この段落。", 1)


def check_privacy(text: str, front_line: int, body_line: int, in_value: InValue | None = None) -> Iterator[Problem]:
    """Warn about personal details on every line of a story file.

    Lines front_line .. body_line - 2 are the front matter (when the file has
    one, body_line > front_line); every other line is read as Markdown.
    `in_value` tells whether a position of the front matter is inside a value.
    """
    last_front = body_line - 2 if body_line > front_line else 0
    lines = text.split("\n")
    for number in _candidates(text, lines):
        yield from check_line(lines[number - 1], number, front_line <= number <= last_front, in_value)


def _candidates(text: str, lines: list[str]) -> list[int]:
    """The numbers of the lines that check_line could find something on, in order.

    One scan of the whole file instead of one per line.  It reads each line
    folded as check_line folds it, but not blanked: a line with an accept
    marker is always a candidate, and blanking a front-matter key cannot make
    a clue match (the key is a prefix of ASCII letters, digits and `_`, and
    the colon after it is followed by a space).  A match may start at the end
    of the line before (the character before a clue's first one, `[^\\d]0`)
    or run over a line break (`\\s`); every line it touches counts.
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        folded = text  # then so is every line, and _normalise leaves each as it is
    else:
        folded = "\n".join([line if unicodedata.is_normalized("NFKC", line) else _fold(line) for line in lines])
        if folded.count("\n") != len(lines) - 1:  # a character folded into a line break
            return list(range(1, len(lines) + 1))
    found = {number for number, line in enumerate(lines, start=1) if "norishiro" in line} if "norishiro" in text else set()
    data = _utf8(folded)
    # Line numbers counted on from the previous match: a clue is rare, a line
    # break is not, so breaks are not listed.  After a match the scan goes on
    # from the next line: this one is a candidate already.
    position, number = 0, 1
    while (match := _GATE.search(data, position)) is not None:
        start, end = match.start(), max(match.end() - 1, match.start())
        number += data.count(b"\n", position, start)
        found.update(range(number, number + data.count(b"\n", start, end) + 1))
        position = data.find(b"\n", start) + 1
        if position == 0:
            break
        number += 1
    return sorted(found)
