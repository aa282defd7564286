"""The page 「検索の言い換え一覧」: the search thesaurus and the facet words, from format/."""

from __future__ import annotations

from norishiro.format.keys import LABELS
from norishiro.format.thesaurus import ABBREVIATIONS, GENERIC_WORDS, KIND_LABELS, LIGHT_SUFFIXES, NOTATIONS, SLIPS, Entry
from norishiro.format.vocab import JUSOU, STATUSES
from norishiro.site.document import Document
from norishiro.site.html import front_matter

TITLE = "検索の言い換え一覧"
SOURCE = "scripts/norishiro/format/thesaurus.py"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(entries: tuple[Entry, ...], heading: str) -> str:
    rows = [f"| {heading} | 同じものとして探す書き方 |", "| --- | --- |"]
    rows += [f"| {_cell(e.head)} | {_cell('、'.join(e.spellings))} |" for e in entries]
    return "\n".join(rows)


def thesaurus_page() -> Document:
    intro = (
        "検索は、次の表の左右の言葉を同じものとして探します（どちらで入れても、どちらで書かれた物語も見つかります）。"
        "全角と半角、ひらがなとカタカナ、長音（ー）の有無や「コーディネイター／コーディネーター」のような書き分けも区別しません。\n\n"
        f"足りない言い換えに気づいたら、この一覧への追加を提案してください（元の表は `{SOURCE}` です。"
        "ほかの言葉の一部にならない書き方だけを加えます。「GH」のような英字だけの書き方は、英単語の一部としては読みません）。"
    )
    partial = (
        "## 一部だけ合うとき\n\n"
        "長い言葉は、物語にそのまま（または一字違いで）あるときだけ一致として数えます。"
        "言葉の切れ端だけが別々の所にある物語（「介護支援専門員」に対して「高齢・介護」と「相談支援専門員」）は結果に出しません。\n\n"
        f"「{'」「'.join(LIGHT_SUFFIXES)}」で終わる言葉（「拠点作り」）は、そのままの言葉がどの物語にもないとき、"
        "前の部分（「拠点」）を含む物語を「一部を含む物語」として示します。"
    )
    facet_words = (
        "## 絞り込みとして読む言葉\n\n"
        "検索の言葉のうち、次のものは文字の検索ではなく絞り込みとして使います。絞り込みのチェックを外せば取り消せます。\n\n"
        f"- {LABELS['municipality.prefecture']}：「大阪府」「大阪」など（「大阪府の村」）\n"
        "- 自治体の種類：「市」「町」「村」「特別区」「中核市」「政令市」など、言葉として独立しているとき\n"
        "- 人口規模：「人口5万人以上」「人口1万人未満」など\n"
        f"- {LABELS['jusou']}：「重層を実施している」「重層未実施」「移行準備中」（値：{JUSOU.choices()}）\n"
        f"- {LABELS['status']}：{'、'.join(f'「{t.label}」' for t in STATUSES.terms)}など\n"
        f"- {LABELS['started_by.field']}：「社協が始めた」「住民が始めた」「学校から始まった」\n"
        "- 年度・年：「令和2年度」「R2年度」「2020年度」「令和2年」「平成31年」「2021年4月」は、"
        "経過やうまくいかなかったことの時期がその期間に入る物語を探します（年度は4月から翌年3月）。\n\n"
        f"「{'」「'.join(GENERIC_WORDS)}」は、ほかの言葉があるときは探す言葉に含めません。"
    )
    return Document.of([
        front_matter(TITLE, "検索が同じものとして探す言葉（略称・書き方の違い・変換ミス）と、絞り込みとして読む言葉の一覧"),
        f"# {TITLE}",
        intro,
        f"## {KIND_LABELS[ABBREVIATIONS[0].kind]}\n\n" + _table(ABBREVIATIONS, "言葉"),
        f"## {KIND_LABELS[NOTATIONS[0].kind]}\n\n" + _table(NOTATIONS, "言葉"),
        f"## {KIND_LABELS[SLIPS[0].kind]}\n\n" + _table(SLIPS, "正しい言葉"),
        partial,
        facet_words,
    ])
