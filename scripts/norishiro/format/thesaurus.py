"""The search thesaurus: the ways staff write the same thing, kept as data in one place.

The search reads every spelling of an entry as its head, in the stories and
in the query alike, so 社協 finds 社会福祉協議会 and 申込 finds 申し込み.  The
site's page 「検索の言い換え一覧」 lists these tables so that staff can
propose additions; the browser's tables are generated from them.

Rules for an entry: a spelling must not be part of unrelated words (a
spelling is replaced wherever it occurs, except that a spelling of letters
only, such as GH, is a word of its own: never the gh of github); a head
must not hold another entry's spelling (刑務所出所者 would hide 刑務所);
heads are the usual written form.  Add only what staff really write.
Width, kana (ひらがな/カタカナ), long vowel marks and the spellings of
labels in the format's vocabularies are handled elsewhere, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

ABBREVIATION = "abbreviation"
NOTATION = "notation"
SLIP = "slip"

KIND_LABELS = {
    ABBREVIATION: "略称・現場の言い方",
    NOTATION: "書き方の違い（送りがな・漢字とかな）",
    SLIP: "よくある変換ミス（検索では正しい言葉として読みます）",
}


@dataclass(frozen=True)
class Entry:
    """One thing and its spellings.  `head` is the usual written form."""

    head: str
    spellings: tuple[str, ...]
    kind: str


def _entries(kind: str, rows: tuple[str, ...]) -> tuple[Entry, ...]:
    out = []
    for row in rows:
        head, *rest = row.split("/")
        out.append(Entry(head, tuple(rest), kind))
    return tuple(out)


# "head/spelling/spelling": every spelling reads as the head.
ABBREVIATIONS = _entries(
    ABBREVIATION,
    (
        "社会福祉協議会/社協",
        "介護支援専門員/ケアマネジャー/ケアマネージャー/ケアマネ",
        "コミュニティソーシャルワーカー/CSW/コミュニティ・ソーシャルワーカー",
        "スクールソーシャルワーカー/SSW/スクール・ソーシャルワーカー",
        "民生委員児童委員協議会/民児協/民生委員・児童委員協議会",
        "地域活動支援センター/地活",
        "就労継続支援A型/A型事業所/A型",
        "就労継続支援B型/B型事業所/B型",
        "重層的支援体制整備事業/重層事業/重層",
        "児童相談所/児相",
        "要保護児童対策地域協議会/要対協",
        "地域包括支援センター/包括支援センター/地域包括",
        "NPO/NPO法人/特定非営利活動法人",
        "放課後等デイサービス/放課後デイ/放デイ",
        "精神保健福祉士/PSW/MHSW",
        "医療ソーシャルワーカー/MSW",
        "地域生活定着支援センター/定着支援センター",
        "自立相談支援機関/自立相談",
        "生活困窮者自立支援/困窮者支援/生活困窮者支援",
        "障害者総合支援法/総合支援法",
        "子ども食堂/こども食堂/子供食堂",
        "ひとり親/一人親",
        "社会福祉法人/社福",
        "市町村/市区町村",
        "住居確保給付金/住確",
        "グループホーム/GH/共同生活援助",
        "生活保護/生保",
        "就労継続支援A型/就A",
        "就労継続支援B型/就B",
        "特別養護老人ホーム/特養/介護老人福祉施設",
        "介護老人保健施設/老健",
        "老健局/厚生労働省老健局",  # the ministry's bureau, not a 老健
        "サービス付き高齢者向け住宅/サ高住/サ付き住宅/サ付",
        "児童発達支援/児発",
        "障害者就業・生活支援センター/障害者就業生活支援センター/就業・生活支援センター/ナカポツ/なかぽつ/中ポツ",
        "公共職業安定所/ハローワーク/ハロワ/職安",
        "教育委員会/教委",
        "放課後児童クラブ/学童保育/放課後児童健全育成事業",
        "医療的ケア児/医ケア児",
        "訪問看護ステーション/訪看",
        "小規模多機能型居宅介護/小規模多機能/小多機",
        "ファミリー・サポート・センター/ファミリーサポートセンター/ファミサポ",
        "地域生活定着支援センター/定着センター",
        "矯正施設/刑務所",
        "児童家庭支援センター/児家セン",
    ),
)

NOTATIONS = _entries(
    NOTATION,
    (
        "障害/障がい/障碍/障礙/しょうがい",
        "子ども/子供/こども",
        "引きこもり/ひきこもり/引こもり/引き籠もり/引き籠り/引籠もり/引籠り/引き篭もり/引き篭り/引篭もり/引篭り",
        "取り組み/取組み/取組/取り組/取りくみ/とりくみ",
        "話し合/話合/話しあ/はなしあ",
        "打ち合わせ/打合せ/打ち合せ/打合わせ/うちあわせ",
        "問い合わせ/問合せ/問い合せ/問合わせ/といあわせ",
        "申し込み/申込み/申込/もうしこみ/申し込",
        "組み合わせ/組合せ/組み合せ/組合わせ",
        "手続き/手続/てつづき",
        "引き継ぎ/引継ぎ/引継/ひきつぎ/引き継",
        "立ち上げ/立上げ/たちあげ/立ち上",
        "受け入れ/受入れ/受入/うけいれ",
        "受け付け/受付け/受付/うけつけ",
        "貸し付け/貸付け/貸付",
        "割り当て/割当て/割当",
        "振り返り/振返り/ふりかえり",
        "聞き取り/聞取り/ききとり",
        "呼びかけ/呼び掛け/よびかけ",
        "働きかけ/働き掛け/はたらきかけ",
        "見守/見まも/みまも",
        "支え合/支えあ/支合/ささえあ",
        "助け合/助けあ/たすけあ",
        "寄り添/寄添/よりそ",
        "つなが/繋が",
        "つなぎ/繋ぎ",
        "つなぐ/繋ぐ",
        "つなげ/繋げ",
        "関わ/かかわ/係わ",
        "気づ/気付",
        "一人暮らし/ひとり暮らし/独り暮らし/ひとりぐらし",
        "居場所づくり/居場所作り/居場所つくり",
        "まちづくり/まち作り/町づくり/街づくり/町作り",
        "地域づくり/地域作り",
        "仕組み/仕組/しくみ",
        "話し合い/話合い",
        "か月/ヶ月/箇月/ヵ月",
        "か所/ヶ所/箇所/ヵ所",
        "プラットフォーム/プラットホーム",
        "民生委員/民生・児童委員",
    ),
)

SLIPS = _entries(
    SLIP,
    (
        "保健師/保健士/保険師/保健婦",
        "精神保健/精神保険",
        "民生委員/民性委員",
        "児童相談所/児童相談書",
        "協議会/協議界/協義会",
        "支援体制/支援体勢/支援態勢",
        "生活困窮/生活困究",
        "不登校/不当校",
        "重層/重曹",
        "専門/専問",
        "就労移行/就労移航",
        "社会福祉士/社会福祉師",
        "児童福祉司/児童福祉士",
        "住居確保給付金/住宅確保給付金",
        "介護福祉士/介護福祉師",
    ),
)

ENTRIES: tuple[Entry, ...] = ABBREVIATIONS + NOTATIONS + SLIPS

# Words that say nothing about which story is meant ("…の取り組み", "事例"):
# dropped from a query that has other words or facet words.
GENERIC_WORDS: tuple[str, ...] = ("取り組み", "事例", "物語", "話", "例", "事業", "活動", "ケース", "こと", "もの", "ところ", "自治体", "市町村")

# Light endings that make a compound of a noun (居場所作り, 拠点づくり; 作 is
# 作り with its okurigana read off): when no story has the whole word, a story
# with the noun (two characters at least) is a partial match.
LIGHT_SUFFIXES: tuple[str, ...] = ("づくり", "作り", "つくり", "作")
