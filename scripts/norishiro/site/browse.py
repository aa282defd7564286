"""Browse pages: by starting field, size, 重層 use, status and prefecture.

Each view has an index page with counts and one page per value.  Pages exist
for every value of the vocabulary, even without stories, so links to them
stay valid as the collection grows.  Lists are plain HTML, newest first.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.format.vocab import FIELDS, JUSOU, PREFECTURES, SIZE_BANDS, STATUSES, UNKNOWN_SIZE, prefecture_by_name
from norishiro.site.coverage import prefecture_coverage, support_first
from norishiro.site.document import Document, Html
from norishiro.site.html import (
    day_time,
    esc,
    field_names,
    front_matter,
    key_label,
    link,
    newest_first,
    sample_tag,
    story_list,
    table,
)

Pages = dict[str, Document]

JUSOU_NOTES = {
    "using": "重層的支援体制整備事業を実施している自治体の物語です。",
    "preparing": "重層的支援体制整備への移行準備事業を使っている自治体の物語です。",
    "not_using": "重層的支援体制整備事業を使わずに、包括的な支援体制づくりを進めている物語です。"
    "どの事業や会議、どの人の「のりしろ」で分野をまたいだ支援ができているかが読みどころです。",
}


def _page(title: str, *blocks: str, wide: bool = True) -> Document:
    """A browse page; most have no sections, so the table of contents is hidden."""
    return Document.of([front_matter(title, wide=wide), f"# {title}", *blocks])


def _group(stories: Iterable[Story], key: Callable[[Story], str]) -> dict[str, list[Story]]:
    grouped: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        grouped[key(story)].append(story)
    return grouped


def field_pages(stories: Sequence[Story]) -> Pages:
    started = _group(stories, lambda s: s.started_by)
    joined: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for field_id in story.fields:
            if field_id != story.started_by:
                joined[field_id].append(story)
    pages: Pages = {}
    rows = []
    for term in FIELDS.terms:
        doc = urls.started_by(term.id)
        label = html.escape(term.label)
        pages[doc] = _page(
            f"{term.label}から始まった物語",
            Html(f"<p>「{label}」の分野が言い出し役になって始まった取り組みと、ほかの分野が始めた取り組みに「{label}」が加わった物語です。</p>"),
            "## この分野から始まった物語",
            story_list(newest_first(started.get(term.id, [])), doc),
            "## この分野が加わった物語",
            story_list(newest_first(joined.get(term.id, [])), doc),
            wide=False,
        )
        rows.append([
            link(urls.STARTED_BY_INDEX, doc, label),
            str(len(started.get(term.id, []))),
            str(len(joined.get(term.id, []))),
        ])
    pages[urls.STARTED_BY_INDEX] = _page(
        "始めた分野から探す",
        Html("<p>包括的な支援体制づくりは、重層・包括の担当だけが始めるものではありません。"
        "障がいの自立支援協議会、学校、社会福祉協議会、住民の集まりなど、どの分野が最初の一歩を踏み出したかで物語を分けています。"
        "「この分野からでも始められるか」を確かめるときに使ってください。</p>"),
        table(["分野", "始めた物語", "加わった物語"], rows),
    )
    return pages


def _simple_view(
    stories: Sequence[Story],
    index_doc: str,
    index_title: str,
    intro: str,
    values: Sequence[tuple[str, str, str]],  # (id, label, doc)
    key: Callable[[Story], str],
    title: Callable[[str], str],
    notes: dict[str, str] | None = None,
) -> Pages:
    grouped = _group(stories, key)
    pages: Pages = {}
    rows = []
    for value_id, label, doc in values:
        note = (notes or {}).get(value_id)
        blocks = [Html(f"<p>{note}</p>")] if note else []
        pages[doc] = _page(title(label), *blocks, story_list(newest_first(grouped.get(value_id, [])), doc))
        rows.append([link(index_doc, doc, html.escape(label)), str(len(grouped.get(value_id, [])))])
    pages[index_doc] = _page(index_title, Html(f"<p>{intro}</p>"), table(["区分", "物語"], rows))
    return pages


def size_pages(stories: Sequence[Story]) -> Pages:
    bands = [(band.id, band.label, urls.size(band.id)) for band in (*SIZE_BANDS, UNKNOWN_SIZE)]
    return _simple_view(
        stories, urls.SIZE_INDEX, "自治体の規模から探す",
        "人口の規模で分けています。同じくらいの規模の自治体の物語は、会議の回し方や兼務の実情が近いことが多いはずです。",
        bands, lambda s: s.municipality.size_band.id,
        lambda label: label if label == UNKNOWN_SIZE.label else f"人口{label}の自治体の物語",
    )


def jusou_pages(stories: Sequence[Story]) -> Pages:
    values = [(term.id, term.label, urls.jusou(term.id)) for term in JUSOU.terms]
    return _simple_view(
        stories, urls.JUSOU_INDEX, "重層的支援体制整備事業の有無から探す",
        "重層的支援体制整備事業は、包括的な支援体制をつくるための手段の一つです。"
        "事業を使っている自治体も、使わずに進めている自治体も、同じように物語があります。",
        values, lambda s: s.jusou, lambda label: f"重層的支援体制整備事業: {label}", JUSOU_NOTES,
    )


def status_pages(stories: Sequence[Story]) -> Pages:
    values = [(term.id, term.label, urls.status(term.id)) for term in STATUSES.terms]
    return _simple_view(
        stories, urls.STATUS_INDEX, "取り組みの状況から探す",
        "休止した取り組みや終わった取り組みにも、次の一歩のための手がかりがあります。",
        values, lambda s: s.status, lambda label: f"状況: {label}",
    )


def _prefecture_rows(stories: Sequence[Story], doc: str) -> list[list[str]]:
    rows = []
    for story in sorted(stories, key=support_first):
        town = story.municipality
        through = f"<br><small>{esc(story.started_through)}</small>" if story.started_through else ""
        rows.append([
            f"{esc(town.name)}<br><small>{html.escape(town.size_band.label)}</small>",
            link(doc, urls.story(story.slug), esc(story.title)) + sample_tag(story),
            html.escape(FIELDS.label(story.started_by)) + through,
            field_names(story.fields),
            f"{html.escape(JUSOU.label(story.jusou))}<br>{html.escape(STATUSES.label(story.status))}",
            day_time(story.updated),
        ])
    return rows


def prefecture_pages(stories: Sequence[Story]) -> Pages:
    grouped = _group(stories, lambda s: prefecture_by_name(s.municipality.prefecture).romaji)
    pages: Pages = {}
    rows = []
    for pref in PREFECTURES:
        doc = urls.prefecture(pref.romaji)
        here = grouped.get(pref.romaji, [])
        towns = len({story.municipality.name for story in here})
        if here:
            head = ["自治体", "物語", key_label("started_by"), key_label("fields"), f"重層<br>{key_label('status')}", key_label("updated")]
            body = table(head, _prefecture_rows(here, doc))
        else:
            body = Html('<p class="ns-empty">まだ物語はありません。</p>')
        pages[doc] = _page(
            f"{pref.name}の物語",
            Html(f"<p>{html.escape(pref.name)}内の{towns}の自治体・圏域から{len(here)}件の物語があります。"
            "どの分野から始まり、どの分野が加わっているかを自治体ごとに並べています（都道府県と圏域の物語が先）。</p>"),
            prefecture_coverage(pref.name, here, doc),
            body,
        )
        rows.append([link(urls.PREFECTURE_INDEX, doc, html.escape(pref.name)), str(towns), str(len(here))])
    pages[urls.PREFECTURE_INDEX] = _page(
        "都道府県から探す",
        Html("<p>都道府県ごとに、管内の市町村の物語を並べています。"
        "都道府県の後方支援の担当の方が、管内でどの分野から取り組みが始まっているかを見渡すときにも使えます。</p>"),
        table(["都道府県", "自治体・圏域", "物語"], rows),
    )
    return pages
