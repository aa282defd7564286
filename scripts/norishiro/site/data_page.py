"""The page 「データを使う」 (data/index.md): every data file, its columns, the licence, feeds.

The column tables are the `Column` lists of norishiro.site.tables, so the page
always describes the files as they are written.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from norishiro.format.model import Story
from norishiro.format.vocab import PREFECTURES
from norishiro.site.data import LICENCE, Publication, citation
from norishiro.site.document import Document, Html
from norishiro.site.feeds import feeds_for
from norishiro.site.html import front_matter, table
from norishiro.site.tables import FALSE, ID_SEPARATOR, LIST_SEPARATOR, TABLES, TRUE, by_prefecture

DATA_PAGE = "data/index.md"
TYPE_NAMES = {"string": "文字", "integer": "整数", "date": "日付（YYYY-MM-DD）", "boolean": f"{TRUE}／{FALSE}"}


def _a(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _files() -> Html:
    rows = [
        [_a("stories.json", "stories.json"), "すべての物語（本文を含む）。プログラムで読むための JSON です", "JSON"],
        [_a("stories.schema.json", "stories.schema.json"), "stories.json の形の定義（JSON Schema）", "JSON"],
        *([_a(f"{t.name}.csv", f"{t.name}.csv"), f"{html.escape(t.title)}の表。{html.escape(t.description)}", "CSV"] for t in TABLES),
        [_a("datapackage.json", "datapackage.json"), "CSV の列と型の説明（Frictionless Data Package）", "JSON"],
    ]
    return table(["ファイル", "内容", "形式"], rows)


def _prefectures(stories: Sequence[Story]) -> Html:
    grouped = by_prefecture(stories)
    if not grouped:
        return Html('<p class="ns-empty">まだ物語はありません。</p>')
    names = {p.romaji: p.name for p in PREFECTURES}
    rows = [
        [html.escape(names[romaji]), f"{len(here)}件", *(_a(f"prefecture/{romaji}/{t.name}.csv", f"{t.name}.csv") for t in TABLES)]
        for romaji, here in grouped.items()
    ]
    return table(["都道府県", "物語", *(f"{t.title}" for t in TABLES)], rows)


def _columns(pub: Publication) -> list[str]:
    parts: list[str] = []
    for t in TABLES:
        rows = [[html.escape(c.label), f"<code>{html.escape(c.id)}</code>", TYPE_NAMES[c.type], html.escape(c.description)] for c in t.columns(pub)]
        parts += [f"### {t.name}.csv（{t.title}）", Html(f"<p>{html.escape(t.description)}</p>"), table(["列名", "ID", "形", "説明"], rows, label=f"表：{t.name}.csv の列")]
    return parts


def _feeds(stories: Sequence[Story], pub: Publication) -> Html:
    if not pub.site_url:
        return Html(
            "<p>このサイトは公開先の URL（mkdocs.yml の <code>site_url</code>）が決まっていないため、フィードはありません。"
            "フィードには https:// で始まる URL が要るためです。</p>"
        )
    items = "".join(f"<li>{_a('../' + feed.path, feed.title)}</li>" for feed in feeds_for(stories, pub.site_name))
    return Html(
        "<p>新しい物語や更新された物語、うまくいかなかったことを、フィードリーダー（RSS リーダー）で受け取れます。"
        "リーダーに次の URL を登録してください（Atom 形式）。</p>"
        f'<ul class="ns-feeds">{items}</ul>'
    )


def data_page(stories: Sequence[Story], pub: Publication) -> Document:
    example = citation(sorted(stories, key=lambda s: s.slug)[0], pub) if stories else ""
    example_html = f"<p>例: {html.escape(example)}</p>" if example else ""
    return Document.of([
        front_matter("データを使う", "物語をCSV・JSONでダウンロードし、表計算ソフトやプログラムで使うための説明", wide=True),
        "# データを使う",
        Html(
            "<p>のりしろの物語は、ページで読むほかに、表計算ソフト（Excel など）やプログラムで使えるデータとしても配っています。"
            "自分の自治体に近い物語を並べて比べる、都道府県の研修や後方支援の資料にする、研究に使う、といった使い方ができます。"
            "データはサイトを作るたびに物語のファイルから作り直すので、ページと同じ内容です。</p>"
        ),
        "## 使ってよい範囲（ライセンス）",
        Html(
            f"<p>物語の文章とデータは、{_a(LICENCE['path'], LICENCE['title'])}で公開しています。"
            "出典（サイト名と物語のタイトル、できれば URL）を示せば、複製・配布・加工・営利目的での利用ができます。"
            "加工したときは、加工したことを書き添えてください。</p>"
            "<p>「記入例」の列が「はい」の物語は、書き方を示すために作った架空の例です。実在の自治体の実践として引用しないでください。</p>"
        ),
        "## 物語の引用のしかた",
        Html(
            "<p>「物語のタイトル」（自治体名、都道府県）、サイト名、更新日、ページの URL の順に書いてください。"
            "物語は書き手が書き直すことがあるので、更新日と、読んだ日（閲覧日）を添えると確かです。"
            "stories.json の <code>citation</code> に、物語ごとの引用の例があります。</p>" + example_html
        ),
        "## ファイルの一覧",
        _files(),
        "## 都道府県ごとのファイル",
        Html("<p>管内の物語だけを見たいときのために、同じ3つの表を都道府県ごとにも作っています。</p>"),
        _prefectures(stories),
        "## Excel で開くとき",
        Html(
            "<ul>"
            "<li>CSV ファイルはダブルクリックで Excel に開けます（文字コードは BOM 付きの UTF-8 で、文字化けしません）。</li>"
            "<li>1行目が列名です。列名と、プログラムで使う ID の対応は下の表と datapackage.json にあります。</li>"
            "<li>日付は西暦の YYYY-MM-DD（例: 2021-04-01）です。「時期」は、書かれた時期（年度・年・月・日）の最初の日と最後の日も別の列にしてあるので、並べ替えや絞り込みに使えます。</li>"
            f"<li>一つのセルに複数の値があるときは、名前は「{LIST_SEPARATOR}」、コードは「{ID_SEPARATOR}」で区切っています。</li>"
            "<li>「=」「+」「-」「@」で始まる文字は、Excel が式として扱わないように、先頭に「'」を付けています。</li>"
            "<li>数字だけの列（コードなど）の先頭の 0 を残したいときは、Excel の「データ」→「テキストまたは CSV から」で読み込み、その列を文字列にしてください。</li>"
            "</ul>"
        ),
        "## 列の説明",
        *_columns(pub),
        "## stories.json の形",
        Html(
            "<p>stories.json は、物語ごとに、物語のファイルの項目をすべて持つオブジェクトの一覧です。"
            "決められた値（分野・状況など）は <code>id</code> と <code>label</code> の組、時期は <code>text</code>（書かれたまま）・"
            "<code>start</code>・<code>end</code>（最初と最後の日）・<code>precision</code>（細かさ）・<code>label</code>（表示）の組です。"
            "先頭の <code>format_version</code> はこのデータの形の版、<code>build_date</code> は作った日です。"
            f"形の定義は {_a('stories.schema.json', 'stories.schema.json')}（JSON Schema）にあります。</p>"
        ),
        "## 更新のお知らせ（フィード）",
        _feeds(stories, pub),
    ])
