"""Full names written without an honorific (W213): 山田花子が, 佐藤 健一は.

A name with さん or 氏 is W206's; this finds the other common way a real
person slips into a story, family and given name side by side.  A run of
kanji is a name when it starts with a common family name (two or three
characters: one-character family names such as 森 or 原 start too many
ordinary words) and the rest is one to three kanji that end the way given
names end (…子, …美, …郎, …夫, …一 …), and the rest is not an ordinary word
that happens to end that way (親子, 介助, 推進, 研修).  Runs joined to more
kanji (山田花子園) are not names; neither are names followed by an
honorific (W206 reports those).

The lists are data, kept here beside the one rule that reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

Span = tuple[int, int]


def _words(text: str) -> frozenset[str]:
    """The words of a whitespace-separated list, written as a block so that it reads as data."""
    return frozenset(text.split())


# Common Japanese family names of two or three characters (variant kanji included).
FAMILY_NAMES = _words(
    """
    佐藤 鈴木 高橋 田中 伊藤 渡辺 渡邊 渡邉 山本 中村 小林 加藤 吉田 山田 佐々木 山口 松本 井上 木村 斎藤 斉藤 齋藤 齊藤
    清水 山崎 森田 池田 橋本 阿部 石川 山下 中島 石井 小川 前田 岡田 長谷川 藤田 後藤 近藤 村上 遠藤 青木 坂本 福田
    太田 西村 藤井 金子 岡本 藤原 中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 上田 柴田 酒井 工藤 横山
    宮崎 宮本 内田 高木 安藤 島田 谷口 大野 丸山 今井 高田 藤本 河野 小島 村田 武田 上野 杉山 増田 小山 大塚 平野
    菅原 久保 松井 千葉 岩崎 桜井 櫻井 木下 野口 松尾 野村 菊地 菊池 佐野 大西 杉本 新井 浜田 濱田 市川 古川 水野
    小松 桑原 高野 山内 西田 菅野 吉川 飯田 中西 西川 五十嵐 石原 小池 北村 中田 松下 大橋 服部 樋口 岩田 安田
    本田 久保田 大久保 荒木 平田 福島 吉村 山中 川村 田口 永井 中尾 矢野 松岡 岩本 小西 山根 秋山 大石 土屋 内藤
    熊谷 野田 森本 星野 片山 荒井 川崎 松村 横田 浅野 大川 河合 大森 宮田 小澤 小沢 田辺 田邊 早川 黒田 吉岡 岡崎
    西山 本間 須藤 小田 堀内 北川 宮下 高山 林田 成田 飯塚 小倉 上原 福井 坂口 今村 水谷 高瀬 田島 山岸 佐久間
    竹田 小森 望月 関口 川上 奥村 石橋 吉野 大木 村井 北野 岩井 平井 松浦 堀田 松永 竹中 川田 中本 松山 石塚 小泉
    大島 堀江 岡野 西岡 稲垣 戸田 大谷 大竹 福本 荒川 宮川 白石 小原 西本 吉永 三宅 浅井 篠原 米田 松原 上村
    小出 川島 河村 長田 奥田 田代 岸本 新田 志村 窪田 細川 北原 榎本 古田 中井 国分 赤木 沢田 澤田 松崎 関根
    加納 神田 三上 宇野 笠原 長尾 栗原 杉浦 千田 藤川 平山 片岡 亀井 鎌田 岩瀬 江口 井口 坂井 臼井 日高 相沢 相澤
    髙橋 髙田 髙木 髙野 髙山 山﨑 宮﨑 岩﨑 川﨑 島﨑 廣瀬 廣田 濵田 邉見 德田 德永 吉﨑
    """
)

# Last characters of two- and three-character given names.
GIVEN_ENDINGS = frozenset(
    "子美恵江枝代香奈菜乃花華穂里沙紗希絵織音実帆葉世緒愛優結咲"
    "郎朗夫雄男太介助輔也哉彦人樹貴輝斗翔平吾悟治司史志之行明信博宏弘浩洋裕隆孝剛豊勇勝誠正茂清進稔"
    "一二三次造蔵衛兵吉真和彰昭晃光秀英昌修学健康良亮哲徹敏俊勉武雅栄"
)
# Given names of one character.
ONE_CHARACTER_GIVEN = frozenset("正実茂誠博勇進修清稔豊勉隆学健剛薫翔蓮陸聡武忠登浩寛亮淳仁望栄馨隼悠旭毅拓")

# Ordinary words that end like given names: after a family name they are not one
# (田中親子 is a parent and child, 山田介助 a caregiving task).
NOT_GIVEN = _words(
    """
    一人 二人 三人 本人 個人 住人 他人 知人 友人 老人 成人 大人 法人 職人 主人 婦人 恋人 隣人 病人 役人 素人 証人 万人
    数人 各人 新人 名人 達人 故人 町人 村人
    様子 調子 親子 双子 椅子 帽子 原子 電子 女子 男子 王子 菓子 冊子 扇子 団子 利子 粒子 因子 分子 種子 拍子 障子 格子
    賛美 審美 甘美 優美 知恵 恩恵 時代 世代 交代 年代 現代 近代 古代 初代 歴代 地代 線香 開花 生花 郷里 万里
    事実 真実 現実 果実 充実 確実 着実 誠実 口実 内実 後世 来世 出世 中世 言葉 落葉 紅葉 若葉 一緒 情緒 恋愛 親愛
    完結 直結 団結 締結 連結 集結 工夫 丈夫 農夫 英雄 長男 次男 三男 丸太 紹介 仲介 媒介 厄介 魚介
    援助 補助 救助 介助 互助 共助 公助 自助 扶助 植樹 果樹 高貴 公平 水平 不平 地平 覚悟
    政治 自治 退治 統治 根治 完治 湯治 明治 上司 歴史 女史 意志 同志 有志 遺志
    銀行 旅行 実行 進行 施行 移行 執行 発行 飛行 直行 急行 並行 平行 非行 善行 試行 運行 刊行 興行 通行 代行 先行 遂行
    説明 表明 証明 解明 透明 発明 判明 文明 自明 声明 不明 鮮明 照明 究明
    通信 自信 発信 受信 送信 返信 確信 迷信 海洋 東洋 西洋 余裕 富裕 優勝 決勝 必勝 忠誠
    改正 修正 訂正 是正 公正 適正 不正 厳正 補正 推進 促進 前進 昇進 増進 行進 躍進 先進 累進
    統一 唯一 均一 同一 単一 万一 随一 画一 無二 再三 目次 順次 年次 逐次 漸次
    製造 構造 創造 改造 木造 冷蔵 貯蔵 所蔵 地蔵 防衛 護衛 自衛 前衛 守衛 不吉 写真 純真
    平和 調和 緩和 昭和 飽和 親和 融和 柔和 共和 表彰 顕彰 観光 日光 栄光 脚光 優秀
    研修 改修 補修 監修 履修 必修 大学 科学 文学 見学 進学 入学 通学 就学 留学 医学 数学 哲学 共学 独学 奨学
    繁栄 光栄 虚栄 共栄 保健 健康 小康 改良 不良 優良 最良 善良 貫徹 過敏 機敏 勤勉 優雅
    """
)

_KANJI_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々"
_NUMERALS = set("〇一二三四五六七八九十百千万")
_HONORIFIC_AFTER = ("さん", "さま", "様", "氏", "くん", "君", "ちゃん", "殿", "先生")


def _alternation(words: Iterable[str]) -> str:
    """A regex matching any of `words`, as a trie (佐(?:々木|藤|野)…): far faster than a flat alternation."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else f"(?:{'|'.join(branches)})"
        return body + ("?" if "" in node else "")

    return emit(trie)


# The family name, an optional space (佐藤 健一), then the rest of the kanji run.
_FULL_NAME = re.compile(
    rf"(?<![{_KANJI_CHARS}])(?P<family>{_alternation(FAMILY_NAMES)})(?P<space> ?)(?P<given>[{_KANJI_CHARS}]{{1,3}})(?![{_KANJI_CHARS}])"
)
# Family and given name with a space between them, whatever the family name
# (喜多川 正彦): Japanese prose puts no space between words, so two kanji runs
# with one space between are a name when the second reads as a given name and
# the first does not end like a place, an organisation or a role (架空市 福祉課).
_SPACED_NAME = re.compile(rf"(?<![{_KANJI_CHARS}])(?P<family>[{_KANJI_CHARS}]{{2,4}}) (?P<given>[{_KANJI_CHARS}]{{2,3}})(?![{_KANJI_CHARS}])")
NOT_FAMILY_ENDINGS = frozenset("都道府県市町村区郡課係室所部局会園校院館署庁協社団組店業員師士者長官主職民家党界")


def _kanji_class_without(left_out: Iterable[str]) -> str:
    """The body of a character class of the kanji but `left_out` (RE2 has no class subtraction)."""
    ranges = [tuple(map(ord, piece.split("-"))) if "-" in piece else (ord(piece),) * 2 for piece in re.findall(r".-.|.", _KANJI_CHARS)]
    gaps = sorted(map(ord, left_out))
    body = []
    for low, high in ranges:
        for gap in [code for code in gaps if low <= code <= high] + [high + 1]:
            if low < gap:
                body.append(f"{chr(low)}-{chr(gap - 1)}")
            low = gap + 1
    return "".join(body)


# W213's clue, in RE2's syntax (check/privacy.py reads it): a common family name
# and a kanji (中村健一, 中村 健一), or two kanji with a space between, the first
# not ending a place or a role (架空市 福祉課): what _SPACED_NAME needs.
# Before NFKC too, where 　 is the space.
CLUE = (
    rf"(?:{_alternation(FAMILY_NAMES)})[ \x{{3000}}]?[{_KANJI_CHARS}]"
    rf"|[{_kanji_class_without(NOT_FAMILY_ENDINGS)}][ \x{{3000}}][{_KANJI_CHARS}]"
)


def is_given_name(given: str) -> bool:
    """Whether `given` (the kanji after a family name) reads as a given name."""
    if given in NOT_GIVEN or given[0] == "第" or set(given) <= _NUMERALS:
        return False
    if len(given) == 1:
        return given in ONE_CHARACTER_GIVEN
    return given[-1] in GIVEN_ENDINGS


def find_full_names(line: str) -> Iterator[Span]:
    for match in _FULL_NAME.finditer(line):
        if line.startswith(_HONORIFIC_AFTER, match.end()):
            continue  # 山田花子さん: W206's
        if is_given_name(match.group("given")):
            yield match.span()
    if " " in line:
        for match in _SPACED_NAME.finditer(line):
            family, given = match.group("family"), match.group("given")
            if line.startswith(_HONORIFIC_AFTER, match.end()) or family[-1] in NOT_FAMILY_ENDINGS or family in NOT_GIVEN:
                continue
            if is_given_name(given):
                yield match.span()


# Where a role value splits into parts: 架空市 福祉課 佐藤, 保健師の田中, 中村（保健師）, 担当: 伊藤.
_PARTS = re.compile(r"[\s\u3000、,，・:：()（）「」『』\[\]/／]+|の")


def _is_name(part: str) -> bool:
    if part in FAMILY_NAMES:
        return True
    family = next((part[:size] for size in (3, 2) if part[:size] in FAMILY_NAMES), None)
    return family is not None and 1 <= len(part) - len(family) <= 3 and is_given_name(part[len(family) :])


def person_in_role(value: str) -> str | None:
    """The person's name in a value that should name a role or an organisation, if any.

    The whole value joined (佐藤 健一) or any part of it (架空市 福祉課 佐藤,
    保健師の田中) that is a common family name, with or without a given name.
    """
    joined = value.replace(" ", "").replace("\u3000", "")
    if _is_name(joined):
        return value.strip()
    return next((part for part in _PARTS.split(value) if _is_name(part)), None)
