"""Controlled vocabularies of the story format (version 1 and the 1.1 additions).

Every enum of the contract lives here once, with its id, its Japanese label and
the variants that contributors really type.  The checker, the normalised story
objects, the JSON Schema, the pages and the search facets all read these tables.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary: the id written in files and URLs, its label."""

    id: str
    label: str
    variants: tuple[str, ...] = ()


# Spelling variants folded before a label is looked up, so that 障害/障碍 find
# 障がい and 子供/こども find 子ども everywhere a label is accepted.
_SPELLING_FOLDS: tuple[tuple[str, str], ...] = (
    ("障害", "障がい"),
    ("障碍", "障がい"),
    ("子供", "子ども"),
    ("こども", "子ども"),
    ("コドモ", "子ども"),
)
_IGNORED = re.compile(r"[\s・･、,，/／()（）「」『』\[\]【】_\-‐－―ー]")


_PART_SEPARATORS = re.compile(r"[・･、,，/／]")


def spelling_folds_text() -> str:
    """The folds above as a Japanese sentence, for the docs."""
    canonical: dict[str, list[str]] = {}
    for variant, target in _SPELLING_FOLDS:
        canonical.setdefault(target, []).append(variant)
    return "、".join(f"{''.join(f'「{v}」' for v in variants)}は「{target}」" for target, variants in canonical.items()) + "として読みます。"


def label_head(label: str) -> str:
    """The part of a label before its first parenthesis: 自立支援協議会（障害者総合支援法） -> 自立支援協議会."""
    return re.split(r"[（(]", label, maxsplit=1)[0].strip() or label


def fold_label(text: str) -> str:
    """Reduce a typed value to a comparison key: width, case, spacing and variants.

    The few short values a collection repeats in every story (city, justice,
    not_using) are folded once; long texts are not kept.
    """
    return _fold_short(text) if len(text) <= _FOLD_CACHED_UP_TO else _fold(text)


_FOLD_CACHED_UP_TO = 40


def _fold(text: str) -> str:
    key = unicodedata.normalize("NFKC", text).strip().lower()
    for variant, canonical in _SPELLING_FOLDS:
        key = key.replace(variant, canonical)
    return _IGNORED.sub("", key)


_fold_short = functools.lru_cache(maxsize=4096)(_fold)


@dataclass(frozen=True)
class Vocabulary:
    """A closed set of terms; `lookup` accepts an id, a label or a variant."""

    name: str
    terms: tuple[Term, ...]
    _index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    by_id: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update((term.id, term) for term in self.terms)
        for term in self.terms:
            for spelling in (term.id, term.label, *term.variants):
                self._index.setdefault(fold_label(spelling), term.id)
        # The part of a label before a parenthesis names the term too
        # (支援会議 for 支援会議（社会福祉法第106条の6）, 8050 for 8050（…）).
        for term in self.terms:
            head = label_head(term.label)
            if head != term.label:
                self._index.setdefault(fold_label(head), term.id)

    def lookup(self, text: str) -> str | None:
        """Return the id that `text` names, or None.

        A compound such as 高齢者・介護 is accepted when every part names the
        same term.
        """
        found = self._index.get(fold_label(text))
        if found is not None:
            return found
        parts = {self._index.get(fold_label(part)) for part in _PART_SEPARATORS.split(text) if part.strip()}
        return parts.pop() if len(parts) == 1 and None not in parts else None

    def label(self, term_id: str) -> str:
        return self.by_id[term_id].label

    def spellings(self) -> list[str]:
        """Every accepted spelling (ids, labels, variants), for the JSON Schema."""
        out: list[str] = []
        for term in self.terms:
            head = label_head(term.label)
            for spelling in (term.id, term.label, *((head,) if head != term.label else ()), *term.variants):
                variants = [spelling] + [spelling.replace(canonical, variant) for variant, canonical in _SPELLING_FOLDS if canonical in spelling]
                out.extend(v for v in variants if v not in out)
        return out

    def choices(self, limit: int = 8) -> str:
        """A short list of the accepted values for messages: Japanese label first.

        A long vocabulary is cut to `limit` entries with a pointer to the key
        reference page, where every value is listed.
        """
        shown = "、".join(f"{t.label}（{t.id}）" for t in self.terms[:limit])
        if len(self.terms) <= limit:
            return shown
        return f"{shown} など全{len(self.terms)}件。すべての値は書き方の案内の「項目一覧」にあります"

    def suggest(self, text: str) -> Term | None:
        """The term whose spelling is closest to `text` (only accepted values)."""
        folded = {fold_label(spelling): self._index[fold_label(spelling)] for spelling in self.spellings() if fold_label(spelling) in self._index}
        close = difflib.get_close_matches(fold_label(text), list(folded), n=1, cutoff=0.6)
        return self.by_id[folded[close[0]]] if close else None


FIELDS = Vocabulary(
    "field",
    (
        Term("elderly", "高齢・介護", ("高齢", "介護", "高齢者", "高齢者福祉", "高齢福祉", "介護保険", "地域包括支援センター")),
        Term("disability", "障がい", ("障がい者", "障がい福祉", "障がい者福祉", "自立支援協議会")),
        Term("child", "子ども・子育て", ("子ども", "子育て", "子育て支援", "児童", "児童福祉", "子ども家庭")),
        Term("poverty", "生活困窮", ("困窮", "生活困窮者", "生活困窮者自立支援", "生活保護", "自立相談支援")),
        Term("education", "教育", ("学校", "教育委員会", "学校教育")),
        Term("mental_health", "精神保健", ("精神", "精神保健福祉", "精神医療", "メンタルヘルス")),
        Term("health", "保健・医療", ("保健", "医療", "保健医療", "保健センター", "医療機関")),
        Term("housing", "住まい", ("住宅", "居住支援", "住居")),
        Term("employment", "就労", ("就労支援", "雇用", "仕事")),
        Term("justice", "司法・更生保護", ("司法", "更生保護", "司法福祉", "触法", "地域生活定着支援センター", "保護観察所")),
        Term("child_guidance", "児童相談所", ("児相", "児童相談")),
        Term("jusou", "重層・包括担当", ("重層", "包括", "重層担当", "包括担当", "重層的支援", "重層的支援体制整備事業", "包括的支援体制")),
        Term("shakyo", "社会福祉協議会", ("社協", "市社協", "町社協", "村社協")),
        Term("residents", "住民・地域団体", ("住民", "地域団体", "自治会", "町内会", "地域住民", "民生委員", "民生委員・児童委員")),
        Term("npo", "NPO・民間団体", ("NPO", "民間団体", "NPO法人", "民間", "市民活動")),
        Term("business", "企業・商店・農業", ("企業", "商店", "農業", "商工会", "事業者")),
        Term("community_dev", "まちづくり・地域振興（庁内の他部署）", ("まちづくり", "地域振興", "まちづくり・地域振興", "庁内の他部署", "地域づくり")),
        Term("prefecture", "都道府県", ("県", "都", "府", "道庁", "県庁")),
        Term("other", "その他", ()),
    ),
)

KINDS = Vocabulary(
    "kind",
    (
        Term("designated_city", "政令指定都市", ("政令市", "指定都市", "政令都市")),
        Term("core_city", "中核市", ()),
        Term("city", "市", ("一般市", "市部")),
        Term("ward", "特別区", ("区",)),
        Term("town", "町", ("まち", "ちょう")),
        Term("village", "村", ("むら", "そん")),
        Term("prefecture", "都道府県", ("県", "都", "道", "府")),
        Term("area", "圏域", ("広域", "複数市町村", "複数の市町村")),
    ),
)

JUSOU = Vocabulary(
    "jusou",
    (
        Term("using", "実施", ("実施中", "実施している", "活用", "活用している", "重層実施")),
        Term("preparing", "移行準備", ("移行準備中", "準備中", "移行準備事業", "準備")),
        Term("not_using", "未実施", ("実施していない", "活用していない", "未活用", "なし")),
    ),
)

STATUSES = Vocabulary(
    "status",
    (
        Term("ongoing", "進行中", ("継続中", "実施中", "取組中")),
        Term("established", "定着", ("定着した", "定着済み", "定着済")),
        Term("paused", "休止中", ("休止",)),
        Term("ended", "終了", ("終了した", "廃止")),
    ),
)

TIMELINE_KINDS = Vocabulary(
    "timeline_kind",
    (
        Term("start", "始まり", ("はじまり", "開始", "きっかけ")),
        Term("turn", "転機", ()),
        Term("setback", "つまずき", ("挫折", "失敗", "躓き")),
        Term("handover", "担当交代・異動", ("担当交代", "異動", "交代", "引き継ぎ", "引継ぎ")),
        Term("pause", "休止", ("中断",)),
        Term("restart", "再開", ()),
        Term("spread", "広がり", ("拡大", "展開", "広がった")),
    ),
)

# Version 1.1: the 事業, centres and meetings an initiative stood on
# (`programmes`, `overlaps[].combines`).  The first five are the parts of
# 重層的支援体制整備事業 itself.
PROGRAMMES = Vocabulary(
    "programme",
    (
        Term("jusou_soudan", "包括的相談支援事業", ("包括的相談支援", "断らない相談支援")),
        Term("jusou_sanka", "参加支援事業", ("参加支援",)),
        Term("jusou_chiiki", "地域づくり事業", ("地域づくり", "地域づくりに向けた支援事業", "地域づくり支援事業")),
        Term("jusou_outreach", "アウトリーチ等を通じた継続的支援事業", ("アウトリーチ", "アウトリーチ事業", "アウトリーチ等事業", "アウトリーチ等を通じた継続的支援")),
        Term("jusou_takikan", "多機関協働事業", ("多機関協働",)),
        Term("shien_kaigi", "支援会議（社会福祉法第106条の6）", ("社会福祉法の支援会議", "106条の6の支援会議")),
        Term("jusou_kaigi", "重層的支援会議", ("重層会議", "重層的支援会議（多機関協働）")),
        Term("chiiki_care_kaigi", "地域ケア会議", ("地域ケア個別会議", "地域ケア推進会議", "個別地域ケア会議")),
        Term("jiritsu_kyogikai", "自立支援協議会（障害者総合支援法）", ("地域自立支援協議会", "障がい者自立支援協議会", "障がい者総合支援協議会")),
        Term("yotaikyo", "要保護児童対策地域協議会", ("要対協", "要保護児童対策協議会", "子どもを守る地域ネットワーク")),
        Term("kyogitai", "生活支援体制整備事業の協議体", ("協議体", "生活支援体制整備事業", "第2層協議体", "第1層協議体", "生活支援コーディネーター")),
        Term("houkatsu_center", "地域包括支援センター", ("地域包括", "包括支援センター", "高齢者相談センター")),
        Term("kikan_soudan", "基幹相談支援センター", ("基幹相談", "基幹センター")),
        Term("konkyu_jiritsu", "生活困窮者自立相談支援事業", ("自立相談支援事業", "自立相談支援", "生活困窮者自立支援", "生活困窮者自立支援事業", "困窮者相談")),
        Term("kodomo_katei_center", "こども家庭センター", ("子ども家庭総合支援拠点", "子育て世代包括支援センター")),
        Term("ssw", "スクールソーシャルワーカー", ("SSW", "スクールソーシャルワーク")),
        Term("teichaku_center", "地域生活定着支援センター", ("定着支援センター",)),
        Term("kyoju_shien", "居住支援協議会・居住支援法人", ("居住支援協議会", "居住支援法人", "居住支援")),
        Term("hikikomori_center", "ひきこもり地域支援センター", ("ひきこもり支援センター", "引きこもり地域支援センター", "ひきこもりステーション")),
        Term("minsei", "民生委員・児童委員", ("民生委員", "児童委員", "民生委員児童委員協議会", "民児協")),
        Term("chiiki_fukushi_keikaku", "地域福祉計画", ("地域福祉活動計画", "地域福祉計画・地域福祉活動計画")),
        Term("other_programme", "その他の事業・会議", ("その他", "その他の事業", "その他の会議")),
    ),
)

# Version 1.1: whom an initiative reaches, as kinds of difficulty
# (`reach.groups_now`, `reach.groups_not_yet`).
DIFFICULTIES = Vocabulary(
    "difficulty",
    (
        Term("hikikomori", "ひきこもり", ("引きこもり", "引き籠もり", "ひきこもり状態")),
        Term("eighty_fifty", "8050（高齢の親と、ひきこもりの子）", ("8050問題", "9060", "9060問題", "8050世帯")),
        Term("young_carer", "ヤングケアラー", ("若者ケアラー", "ヤングケアラー・若者ケアラー")),
        Term("double_care", "ダブルケア", ()),
        Term("isolation", "社会的孤立・孤独", ("社会的孤立", "孤立", "孤独", "孤独・孤立", "孤立・孤独")),
        Term("self_neglect", "セルフネグレクト・ごみ屋敷", ("セルフネグレクト", "ごみ屋敷", "ゴミ屋敷", "ため込み")),
        Term("poverty", "生活困窮", ("困窮", "経済的困窮", "生活困窮者")),
        Term("housing", "住まいの確保が難しい人", ("住まい", "住宅確保要配慮者", "住まいの確保", "住居喪失", "住まいに困っている人")),
        Term("justice", "刑務所・少年院などを出た人", ("触法", "矯正施設退所者", "出所者", "刑務所を出た人", "再犯防止")),
        Term("foreign", "外国にルーツのある住民", ("外国人", "外国籍住民", "外国ルーツ", "外国にルーツのある人")),
        Term("disability_unserved", "手帳やサービスにつながっていない障がい", ("制度の狭間の障がい", "未診断の障がい", "サービスにつながっていない障がい")),
        Term("mental_health", "こころの不調・精神疾患", ("こころの不調", "心の不調", "精神疾患", "精神障がい", "メンタルヘルス")),
        Term("dementia", "認知症", ("認知症の人", "若年性認知症")),
        Term("school_absence", "不登校", ("不登校の子ども", "登校しぶり")),
        Term("abuse", "虐待・DV", ("虐待", "DV", "児童虐待", "高齢者虐待", "障がい者虐待", "配偶者暴力")),
        Term("medical_child", "医療的ケア児とその家族", ("医療的ケア児", "医ケア児")),
        Term("single_parent", "ひとり親家庭", ("ひとり親", "母子家庭", "父子家庭", "一人親")),
        Term("suicide_risk", "自殺のリスク", ("自殺", "自殺対策", "希死念慮", "自死")),
        Term("other_difficulty", "その他", ("その他の困りごと",)),
    ),
)


@dataclass(frozen=True)
class Prefecture:
    name: str  # full name, e.g. 三重県
    romaji: str  # URL id, e.g. mie
    jis: str = ""  # JIS X 0401 code, '01'..'47'

    @property
    def short(self) -> str:
        return self.name if self.name == "北海道" else self.name[:-1]


_PREFECTURE_ROWS = (
    "北海道 hokkaido", "青森県 aomori", "岩手県 iwate", "宮城県 miyagi", "秋田県 akita",
    "山形県 yamagata", "福島県 fukushima", "茨城県 ibaraki", "栃木県 tochigi",
    "群馬県 gunma", "埼玉県 saitama", "千葉県 chiba", "東京都 tokyo",
    "神奈川県 kanagawa", "新潟県 niigata", "富山県 toyama", "石川県 ishikawa",
    "福井県 fukui", "山梨県 yamanashi", "長野県 nagano", "岐阜県 gifu",
    "静岡県 shizuoka", "愛知県 aichi", "三重県 mie", "滋賀県 shiga", "京都府 kyoto",
    "大阪府 osaka", "兵庫県 hyogo", "奈良県 nara", "和歌山県 wakayama",
    "鳥取県 tottori", "島根県 shimane", "岡山県 okayama", "広島県 hiroshima",
    "山口県 yamaguchi", "徳島県 tokushima", "香川県 kagawa", "愛媛県 ehime",
    "高知県 kochi", "福岡県 fukuoka", "佐賀県 saga", "長崎県 nagasaki",
    "熊本県 kumamoto", "大分県 oita", "宮崎県 miyazaki", "鹿児島県 kagoshima",
    "沖縄県 okinawa",
)
# In JIS X 0401 order, north to south: lists of prefectures keep this order.
PREFECTURES: tuple[Prefecture, ...] = tuple(Prefecture(*row.split(), f"{number:02d}") for number, row in enumerate(_PREFECTURE_ROWS, start=1))
PREFECTURE_BY_JIS: dict[str, Prefecture] = {pref.jis: pref for pref in PREFECTURES}
_PREFECTURE_INDEX: dict[str, Prefecture] = {}
for _pref in PREFECTURES:
    for _spelling in (_pref.name, _pref.short, _pref.romaji):
        _PREFECTURE_INDEX[fold_label(_spelling)] = _pref
_PREFECTURE_INDEX[fold_label("北海")] = PREFECTURES[0]


def lookup_prefecture(text: str) -> Prefecture | None:
    """Find a prefecture by full name, name without 都/道/府/県, or romaji."""
    return _PREFECTURE_INDEX.get(fold_label(text))


def prefecture_by_name(name: str) -> Prefecture:
    found = _BY_NAME.get(name)
    if found is None:
        found = _BY_NAME[name] = _PREFECTURE_INDEX[fold_label(name)]
    return found


_BY_NAME: dict[str, Prefecture] = {}  # pages ask for the same 47 names tens of thousands of times


@dataclass(frozen=True)
class SizeBand:
    id: str
    label: str
    upper: int | None  # exclusive upper bound of the population; None for the last

    def contains(self, population: int) -> bool:
        return self.upper is None or population < self.upper


SIZE_BANDS: tuple[SizeBand, ...] = (
    SizeBand("under-10k", "1万未満", 10_000),
    SizeBand("10k-50k", "1〜5万", 50_000),
    SizeBand("50k-100k", "5〜10万", 100_000),
    SizeBand("100k-200k", "10〜20万", 200_000),
    SizeBand("200k-500k", "20〜50万", 500_000),
    SizeBand("500k-plus", "50万以上", None),
)
UNKNOWN_SIZE = SizeBand("unknown", "人口の記載なし", None)


def size_band(population: int | None) -> SizeBand:
    if population is None:
        return UNKNOWN_SIZE
    return next(band for band in SIZE_BANDS if band.contains(population))


def _programme_spellings() -> list[tuple[str, str]]:
    """(folded spelling, id) of every programme, longest first, for finding one in free text."""
    out = []
    for term in PROGRAMMES.terms:
        if term.id == "other_programme":
            continue
        for spelling in (term.label, label_head(term.label), *term.variants):
            folded = fold_label(spelling)
            if len(folded) >= 3 and not folded.isascii():
                out.append((folded, term.id))
    return sorted(set(out), key=lambda pair: -len(pair[0]))


_PROGRAMME_SPELLINGS = _programme_spellings()


def programme_named_in(text: str) -> str | None:
    """The programme that a free text such as `started_by.through` names, if any.

    An exact id, label or variant wins; otherwise the longest programme name
    that the text contains (自立支援協議会の相談支援部会 -> jiritsu_kyogikai).
    """
    found = PROGRAMMES.lookup(text)
    if found is not None and found != "other_programme":
        return found
    folded = fold_label(text)
    return next((term_id for spelling, term_id in _PROGRAMME_SPELLINGS if spelling in folded), None)
