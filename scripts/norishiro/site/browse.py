"""Browse pages: by starting field, size, 重層 use, status and prefecture.

Each view has an index page with counts and one paged list per value (PER_PAGE
stories a page, numbered links between the pages), so no page grows with the
collection.  Pages exist for every value of the vocabulary, even without
stories, so links to them stay valid as the collection grows; index tables
fold the values without stories into a <details>.  Lists are newest first.

Views return page sources (path -> function that renders the page), so the
build can render one page at a time instead of holding them all.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import TypeVar

from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.format.vocab import FIELDS, JUSOU, PREFECTURES, SIZE_BANDS, STATUSES, UNKNOWN_SIZE, prefecture_by_name
from norishiro.site.coverage import prefecture_coverage, support_first
from norishiro.site.document import Document, Html
from norishiro.site.html import (
    PER_PAGE,
    chunks,
    day_time,
    empty_values,
    esc,
    field_names,
    front_matter,
    key_label,
    link,
    newest_first,
    page_note,
    pager,
    sample_tag,
    search_link,
    story_list,
    table,
)

Sources = dict[str, Callable[[], Document]]

JUSOU_NOTES = {
    "using": "重層的支援体制整備事業を実施している自治体の物語です。",
    "preparing": "重層的支援体制整備への移行準備事業を使っている自治体の物語です。",
    "not_using": "重層的支援体制整備事業を使わずに、包括的な支援体制づくりを進めている物語です。"
    "どの事業や会議、どの人の「のりしろ」で分野をまたいだ支援ができているかが読みどころです。",
}


def _page(title: str, *blocks: str, wide: bool = True) -> Document:
    """A browse page; most have no sections, so the table of contents is hidden."""
    return Document.of([front_matter(title, wide=wide), f"# {title}", *blocks])


def _search_line(doc: str, **facets: str) -> Html:
    text = "この条件にほかの条件を組み合わせて探す（検索のページ）" if facets else "条件を組み合わせて探す（検索のページ）"
    return Html(f'<p class="ns-search-link">{search_link(doc, text, **facets)}</p>')


T = TypeVar("T")
Parts = Html | list[str]  # a rendered chunk: one HTML block, or Markdown headings and HTML blocks


def _list_page(
    first: str, number: int, pages: int, total: int, title: str, intro: Sequence[str],
    chunk: Sequence[T], render: Callable[[Sequence[T], str], Parts], facets: dict[str, str] | None, per_page: int,
) -> Document:
    doc = urls.page(first, number)
    shown = title if number == 1 else f"{title}（{number}ページ目）"
    nav = pager(first, number, pages)
    body = render(chunk, doc)
    search = [_search_line(doc, **facets)] if facets is not None else []
    return _page(
        shown, *intro, *search, Html(page_note(number, pages, total, per_page)), Html(nav),
        *(body if isinstance(body, list) else [body]), Html(nav),
    )


def paged(
    first: str, title: str, intro: Sequence[str], items: Sequence[T],
    render: Callable[[Sequence[T], str], Parts] = story_list,
    facets: dict[str, str] | None = None, per_page: int = PER_PAGE,
) -> Sources:
    """A list over as many pages as it needs; page 1 lives at `first`.

    `render` turns one page's items into the list (it is given the page's
    path for relative links).  With `facets` (possibly empty) the pages link
    to the search page with those facets chosen.
    """
    pages = chunks(items, per_page)
    return {
        urls.page(first, number): partial(_list_page, first, number, len(pages), len(items), title, intro, chunk, render, facets, per_page)
        for number, chunk in enumerate(pages, start=1)
    }


def inline_or_paged(doc: str, first: str, title: str, intro: Sequence[str], items: Sequence[T],
                    render: Callable[[Sequence[T], str], Parts], facets: dict[str, str] | None = None) -> tuple[list[str], Sources]:
    """A section of a page with several lists: the whole list when it fits on one page,
    otherwise its count and a link to its own paged list (so each item is on one page only)."""
    if len(items) <= PER_PAGE:
        body = render(items, doc)
        return (body if isinstance(body, list) else [body]), {}
    pages = len(chunks(items))
    note = Html(f'<p class="ns-list-more">{len(items)}件あります。{link(doc, first, f"一覧を見る（全{pages}ページ）")}</p>')
    return [note], paged(first, title, intro, items, render, facets)


K = TypeVar("K")


def grouped_items(groups: Iterable[tuple[K, Sequence[T]]]) -> list[tuple[K, int, T]]:
    """(group, position in the group, item) for each item, group after group, for `grouped_render`."""
    return [(key, position, item) for key, items in groups for position, item in enumerate(items)]


def grouped_render(
    heading: Callable[[K, bool], list[str]], body: Callable[[K, Sequence[T], str], Html],
    empty: str = "まだ物語はありません。",
) -> Callable[[Sequence[tuple[K, int, T]], str], list[str]]:
    """Render a page of a grouped list: each group's heading (continued=True when the
    group began on an earlier page), then its items on this page.

    A partial, not a closure, so that `mkdocs serve` can name a page by its
    inputs (incremental._Inputs) when `heading` and `body` are module-level
    functions or partials of them."""
    return partial(_render_grouped, heading, body, empty)


def _render_grouped(
    heading: Callable[[K, bool], list[str]], body: Callable[[K, Sequence[T], str], Html], empty: str,
    chunk: Sequence[tuple[K, int, T]], doc: str,
) -> list[str]:
    parts: list[str] = []
    start = 0
    while start < len(chunk):
        key, position, _ = chunk[start]
        end = start
        while end < len(chunk) and chunk[end][0] == key:
            end += 1
        parts += heading(key, position > 0)
        parts.append(body(key, [item for _, _, item in chunk[start:end]], doc))
        start = end
    return parts or [Html(f'<p class="ns-empty">{empty}</p>')]


def _group(stories: Iterable[Story], key: Callable[[Story], str]) -> dict[str, list[Story]]:
    grouped: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        grouped[key(story)].append(story)
    return grouped


def _index(title: str, intro: str, head: list[str], rows: list[tuple[list[str], bool]], empty_summary: str, empty_links: list[str], doc: str) -> Document:
    body = table(head, [row for row, _ in rows]) if rows else Html('<p class="ns-empty">まだ物語はありません。</p>')
    return _page(title, Html(f"<p>{intro}</p>"), _search_line(doc), body, Html(empty_values(empty_summary, empty_links)))


def field_pages(stories: Sequence[Story]) -> Sources:
    started = _group(stories, lambda s: s.started_by)
    joined: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        for field_id in story.fields:
            if field_id != story.started_by:
                joined[field_id].append(story)
    sources: Sources = {}
    rows = []
    for term in FIELDS.terms:
        doc, other = urls.started_by(term.id), urls.joined(term.id)
        label = html.escape(term.label)
        here, there = newest_first(started.get(term.id, [])), newest_first(joined.get(term.id, []))
        sources.update(paged(
            doc, f"{term.label}から始まった物語",
            [Html(f"<p>「{label}」の分野が言い出し役になって始まった取り組みです（{len(here)}件）。"
                  f"ほかの分野が始めた取り組みに「{label}」が加わった物語（{len(there)}件）は、"
                  f"{link(doc, other, '加わった物語のページ')}にあります。</p>")],
            here, facets={"started": term.id},
        ))
        sources.update(paged(
            other, f"{term.label}が加わった物語",
            [Html(f"<p>ほかの分野が始めた取り組みに「{label}」が加わった物語です（{len(there)}件）。"
                  f"「{label}」から始まった物語は{link(other, doc, '始まった物語のページ')}にあります。</p>")],
            there, facets={"field": term.id},
        ))
        rows.append(([link(urls.STARTED_BY_INDEX, doc, label), str(len(here)), link(urls.STARTED_BY_INDEX, other, str(len(there)))], bool(here or there)))
    sources[urls.STARTED_BY_INDEX] = lambda: _page(
        "始めた分野から探す",
        Html("<p>包括的な支援体制づくりは、重層・包括の担当だけが始めるものではありません。"
        "障がいの自立支援協議会、学校、社会福祉協議会、住民の集まりなど、どの分野が最初の一歩を踏み出したかで物語を分けています。"
        "「この分野からでも始められるか」を確かめるときに使ってください。</p>"),
        _search_line(urls.STARTED_BY_INDEX),
        table(["分野", "始めた物語", "加わった物語"], [row for row, _ in rows]),
    )
    return sources


def _simple_view(
    stories: Sequence[Story],
    index_doc: str,
    index_title: str,
    intro: str,
    values: Sequence[tuple[str, str, str]],  # (id, label, doc)
    key: Callable[[Story], str],
    title: Callable[[str], str],
    facet: str,
    notes: dict[str, str] | None = None,
) -> Sources:
    grouped = _group(stories, key)
    sources: Sources = {}
    rows, empty = [], []
    for value_id, label, doc in values:
        note = (notes or {}).get(value_id)
        here = newest_first(grouped.get(value_id, []))
        sources.update(paged(doc, title(label), [Html(f"<p>{note}</p>")] if note else [], here, facets={facet: value_id}))
        if here:
            rows.append(([link(index_doc, doc, html.escape(label)), str(len(here))], True))
        else:
            empty.append(link(index_doc, doc, html.escape(label)))
    sources[index_doc] = lambda: _index(index_title, intro, ["区分", "物語"], rows, "まだ物語のない区分", empty, index_doc)
    return sources


def size_pages(stories: Sequence[Story]) -> Sources:
    bands = [(band.id, band.label, urls.size(band.id)) for band in (*SIZE_BANDS, UNKNOWN_SIZE)]
    return _simple_view(
        stories, urls.SIZE_INDEX, "自治体の規模から探す",
        "人口の規模で分けています。同じくらいの規模の自治体の物語は、会議の回し方や兼務の実情が近いことが多いはずです。",
        bands, lambda s: s.municipality.size_band.id,
        lambda label: label if label == UNKNOWN_SIZE.label else f"人口{label}の自治体の物語", "size",
    )


def jusou_pages(stories: Sequence[Story]) -> Sources:
    values = [(term.id, term.label, urls.jusou(term.id)) for term in JUSOU.terms]
    return _simple_view(
        stories, urls.JUSOU_INDEX, "重層的支援体制整備事業の有無から探す",
        "重層的支援体制整備事業は、包括的な支援体制をつくるための手段の一つです。"
        "事業を使っている自治体も、使わずに進めている自治体も、同じように物語があります。",
        values, lambda s: s.jusou, lambda label: f"重層的支援体制整備事業: {label}", "jusou", JUSOU_NOTES,
    )


def status_pages(stories: Sequence[Story]) -> Sources:
    values = [(term.id, term.label, urls.status(term.id)) for term in STATUSES.terms]
    return _simple_view(
        stories, urls.STATUS_INDEX, "取り組みの状況から探す",
        "休止した取り組みや終わった取り組みにも、次の一歩のための手がかりがあります。",
        values, lambda s: s.status, lambda label: f"状況: {label}", "status",
    )


def _prefecture_table(stories: Sequence[Story], doc: str) -> Html:
    if not stories:
        return Html('<p class="ns-empty">まだ物語はありません。ほかの都道府県の物語や、検索のページから探せます。</p>')
    rows = []
    for story in stories:
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
    head = ["自治体", "物語", key_label("started_by"), key_label("fields"), f"重層<br>{key_label('status')}", key_label("updated")]
    return table(head, rows)


def prefecture_pages(stories: Sequence[Story]) -> Sources:
    grouped = _group(stories, lambda s: prefecture_by_name(s.municipality.prefecture).romaji)
    sources: Sources = {}
    rows, empty = [], []
    for pref in PREFECTURES:
        doc = urls.prefecture(pref.romaji)
        here = sorted(grouped.get(pref.romaji, []), key=support_first)
        towns = len({story.municipality.name for story in here})
        name = html.escape(pref.name)
        if here:
            intro = (f"<p>{name}内の{towns}の自治体・圏域から、{len(here)}件の物語があります。"
                     "どの分野から始まり、どの分野が加わっているかを自治体ごとに並べています（都道府県と圏域の物語が先）。</p>")
            rows.append(([link(urls.PREFECTURE_INDEX, doc, name), str(towns), str(len(here))], True))
        else:
            intro = f"<p>{name}の物語はまだありません。物語が加わると、自治体ごとにここに並びます。</p>"
            empty.append(link(urls.PREFECTURE_INDEX, doc, name))
        coverage = prefecture_coverage(pref.name, here, doc)
        sources.update(paged(doc, f"{pref.name}の物語", [Html(intro), coverage], here, _prefecture_table, {"pref": pref.romaji}))
    sources[urls.PREFECTURE_INDEX] = lambda: _index(
        "都道府県から探す",
        "都道府県ごとに、管内の市町村の物語を並べています。"
        "都道府県の後方支援の担当の方が、管内でどの分野から取り組みが始まっているかを見渡すときにも使えます。",
        ["都道府県", "自治体・圏域", "物語"], rows, "まだ物語のない都道府県", empty, urls.PREFECTURE_INDEX,
    )
    return sources
