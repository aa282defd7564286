"""The docs' reference of every front-matter key, generated from keys.py."""

from __future__ import annotations

import html

from norishiro.check.rule_ids import rules_table_markdown
from norishiro.format.keys import ENUM, LIST, TYPE_LABELS, Key, walk
from norishiro.format.vocab import (
    DIFFICULTIES,
    FIELDS,
    JUSOU,
    KINDS,
    PROGRAMMES,
    SIZE_BANDS,
    STATUSES,
    TIMELINE_KINDS,
    Vocabulary,
    spelling_folds_text,
)
from norishiro.site.document import Document, Html


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# Vocabularies named by what their values are, in the table's 形 column.
_VOCABULARY_NOUNS = {"field": "分野", "programme": "事業・会議", "difficulty": "困りごと"}


def _type_of(key: Key) -> str:
    if key.type == LIST and key.item is not None:
        vocab = key.item.vocab
        inner = _VOCABULARY_NOUNS.get(vocab.name, TYPE_LABELS[key.item.type]) if vocab else TYPE_LABELS[key.item.type]
        count = f"、{'異なるもの' if key.distinct else ''}{key.min_items}件以上" if key.min_items else ""
        return f"{inner}のリスト{count}"
    if key.type == ENUM and key.vocab is not None and key.vocab.name in _VOCABULARY_NOUNS:
        return _VOCABULARY_NOUNS[key.vocab.name]
    limits = []
    if key.min_len and key.min_len > 1:
        limits.append(f"{key.min_len}字以上")
    if key.max_len:
        limits.append(f"{key.max_len}字まで")
    return TYPE_LABELS[key.type] + (f"（{'、'.join(limits)}）" if limits else "")


def key_name_html(path: str) -> str:
    """A key name that may break only after a dot (never mid-word)."""
    return '<code class="ns-key">' + ".<wbr>".join(path.split(".")) + "</code>"


def keys_table_markdown() -> str:
    rows = ["| 項目 | 書き方 | 必須 | 形 | 意味 | 例 |", "| --- | --- | --- | --- | --- | --- |"]
    for path, key in walk():
        required = "必須" if key.required else "任意"
        if not key.public:
            required += "（のりしろ独自）"
        example = f"`{key.example}`" if key.example else ""
        row = [key.label, key_name_html(path), required, _cell(_type_of(key)), _cell(key.help or ""), _cell(example)]
        rows.append("| " + " | ".join(row) + " |")
    return "\n".join(rows)


def vocabulary_table_markdown(vocab: Vocabulary) -> str:
    rows = ["| 日本語 | 書き方（id） | ほかに受け付ける書き方 |", "| --- | --- | --- |"]
    for term in vocab.terms:
        rows.append(f"| {term.label} | {key_name_html(term.id)} | {_cell('、'.join(term.variants))} |")
    return "\n".join(rows)


_VOCABULARY_SECTIONS = (
    ("分野（started_by.field・fields・carried_by）", FIELDS),
    ("自治体の種類（municipality.kind）", KINDS),
    ("重層的支援体制整備事業（jusou）", JUSOU),
    ("状況（status）", STATUSES),
    ("経過の種類（timeline の kind）", TIMELINE_KINDS),
    ("事業・会議（programmes・overlaps の combines）", PROGRAMMES),
    ("困りごと（reach の groups_now・groups_not_yet）", DIFFICULTIES),
)


def keys_reference_markdown() -> str:
    """The whole 項目一覧 page: keys, vocabularies, dates, size bands."""
    parts = [
        "# 項目一覧",
        "",
        "物語のファイルの先頭（フロントマター）に書く項目の一覧です。"
        "この表は、チェッカー（`norishiro check`）が使う書式の定義から自動で作られています。",
        "",
        "## 項目",
        "",
        keys_table_markdown(),
        "",
        "`timeline[]`・`failures[]`・`overlaps[]` は、リストの各項目の中に書く項目です。"
        "事業・会議と困りごとは、日本語の名前のかっこの前の部分だけでも書けます（`支援会議`、`自立支援協議会`、`8050`）。"
        "`overlaps` の `combines` に書いた事業は、`programmes` に書かなくても使った事業に数えます。",
        "",
        "## 自治体コード（municipality.code）",
        "",
        "全国地方公共団体コード（6桁）を書きます。6桁目は検査数字で、5桁だけ書けば自動で補います。"
        "先頭2桁は都道府県の番号（01 北海道〜47 沖縄県）で、`municipality.prefecture` と合っている必要があります。"
        "`011002` のように 0 で始まるコードは、引用符で囲まなくても書いたとおりの数字として読みます。"
        "都道府県の物語には都道府県のコード（三重県なら `240001`）を書きます。圏域と匿名の自治体には書きません。"
        "コードがあると、都道府県のページで管内の何市町村の物語があるかを数えられます。",
    ]
    for title, vocab in _VOCABULARY_SECTIONS:
        parts += ["", f"## {title}", "", vocabulary_table_markdown(vocab)]
    parts += [
        "",
        spelling_folds_text(),
        "",
        "## 時期の書き方（timeline・failures の when）",
        "",
        "`2021`、`2021-06`、`2021-06-15`、`2021年`、`2021年6月`、`2021年6月15日`、"
        "`2021年度`（2021年4月〜2022年3月）、`令和3年度`、`令和元年6月`、`平成30年` のように書けます。"
        "経過は古い順に並べます。期間が重なっていれば順番どおりとみなします（`2022年5月` のあとに `2022年度` は可）。"
        "更新日（updated）より後の時期や、ありえない日付（`2021-13`、`令和0年`、`平成32年`）はエラーになります。",
        "",
        "## チェックで出る番号",
        "",
        "`norishiro check` は問題ごとに番号を示します。エラー（S）は直すまで取り込めません。"
        "警告（W）は確かめて、問題がなければ行末の印で確認済みにできます（[匿名化のしかた](anonymising.md)）。",
        "",
        rules_table_markdown(),
        "",
        "## 人口による規模の区分",
        "",
        "| 区分 | 人口 |",
        "| --- | --- |",
    ]
    lower = 0
    for band in SIZE_BANDS:
        bound = f"{lower:,}人以上" + (f"{band.upper:,}人未満" if band.upper else "")
        parts.append(f"| {band.label} | {bound} |")
        lower = band.upper or lower
    return "\n".join(parts) + "\n"


def keys_reference_document() -> Document:
    """The 項目一覧 page with each table in a region that scrolls sideways.

    On a narrow screen the tables are wider than the page; the region takes
    keyboard focus (tabindex, with a name) so that it can be scrolled without
    a mouse.
    """
    parts: list[str] = []
    chunk: list[str] = []
    table: list[str] = []
    heading = ""

    def region() -> list[str]:
        label = html.escape(f"{heading}の表（横に動かせます）")
        return [Html(f'<div class="ns-table-scroll" role="region" tabindex="0" aria-label="{label}">'), "\n".join(table), Html("</div>")]

    for line in keys_reference_markdown().split("\n"):
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            parts += ["\n".join(chunk), *region()]
            chunk, table = [], []
        if line.startswith("#"):
            heading = line.lstrip("# ")
        chunk.append(line)
    parts += ["\n".join(chunk), *(region() if table else [])]
    return Document.of(part for part in parts if part.strip())
