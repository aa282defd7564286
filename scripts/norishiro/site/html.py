"""Small HTML pieces shared by the pages.

Story text is untrusted: every string that comes from a story goes through
`esc`.  Labels come from vocab.py and keys.py (one copy of the vocabularies).
The HTML is written without blank lines so that Markdown keeps each piece as
one raw HTML block.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TypeVar

from norishiro.format import urls
from norishiro.format.dates import Period, day_label
from norishiro.format.keys import LABELS
from norishiro.format.model import Story
from norishiro.format.vocab import FIELDS, JUSOU, KINDS, STATUSES, prefecture_by_name
from norishiro.site.document import Html

T = TypeVar("T")
NOT_GIVEN = "記載なし"
SAMPLE_TAG = "記入例"


def key_label(path: str) -> str:
    """The Japanese name of a front-matter key, e.g. 'burden.funding' -> 財源."""
    return LABELS[path]


def esc(text: str) -> str:
    """Escape story text for HTML; line breaks the writer typed are kept."""
    lines = [line.strip() for line in text.strip().splitlines()]
    return "<br>".join(html.escape(line) for line in lines if line)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def front_matter(title: str, description: str | None = None, *, wide: bool = False) -> str:
    """YAML front matter for a generated page; values are HTML-escaped.

    Material prints `page.meta.title` and `page.meta.description` into the
    page without escaping, so they are escaped here (JSON strings are YAML).
    A wide page hides the table of contents to give tables room.
    """
    lines = ["---", f"title: {json.dumps(attr(title), ensure_ascii=False)}"]
    if description:
        lines.append(f"description: {json.dumps(attr(' '.join(description.split())), ensure_ascii=False)}")
    if wide:
        lines.append("hide: [toc]")
    lines.append("---")
    return "\n".join(lines)


def day_time(day: date) -> str:
    return f'<time datetime="{day.isoformat()}">{day_label(day)}</time>'


def period_time(period: Period, css: str = "") -> str:
    css_attr = f' class="{css}"' if css else ""
    return f'<time{css_attr} datetime="{period.iso()}">{html.escape(period.display())}</time>'


def link(from_doc: str, to_doc: str, text: str, anchor: str = "") -> str:
    """A link whose text is already HTML (labels or escaped story text)."""
    return f'<a href="{attr(urls.href(from_doc, to_doc, anchor))}">{text}</a>'


def field_links(field_ids: Iterable[str], from_doc: str) -> str:
    links = [link(from_doc, urls.started_by(field_id), html.escape(FIELDS.label(field_id))) for field_id in field_ids]
    return "、".join(links) or NOT_GIVEN


def field_names(field_ids: Iterable[str]) -> str:
    return "、".join(html.escape(FIELDS.label(field_id)) for field_id in field_ids) or NOT_GIVEN


def place(story: Story) -> str:
    """架空市（三重県）"""
    return f"{esc(story.municipality.name)}（{html.escape(story.municipality.prefecture)}）"


def kind_and_size(story: Story) -> str:
    """市・5〜10万"""
    return f"{html.escape(KINDS.label(story.municipality.kind))}・{html.escape(story.municipality.size_band.label)}"


def population(story: Story) -> str:
    people = story.municipality.population
    return "" if people is None else f"（人口 {people:,}人）"


def prefecture_doc(story: Story) -> str:
    return urls.prefecture(prefecture_by_name(story.municipality.prefecture).romaji)


def sample_tag(story: Story) -> str:
    return f' <span class="ns-tag ns-tag--sample">{SAMPLE_TAG}</span>' if story.sample else ""


def story_meta(story: Story) -> str:
    """One line of facts shown with a story in every list."""
    return (
        f"{place(story)}・{kind_and_size(story)}"
        f" ／ {key_label('started_by')}: {html.escape(FIELDS.label(story.started_by))}"
        f" ／ 重層: {html.escape(JUSOU.label(story.jusou))}"
        f" ／ {html.escape(STATUSES.label(story.status))}"
        f" ／ 更新 {day_time(story.updated)}"
    )


def story_item(story: Story, from_doc: str) -> str:
    return (
        '<li class="ns-item">'
        f'<p class="ns-item__title">{link(from_doc, urls.story(story.slug), esc(story.title))}{sample_tag(story)}</p>'
        f'<p class="ns-item__meta">{story_meta(story)}</p>'
        f'<p class="ns-item__summary">{esc(story.summary)}</p>'
        "</li>"
    )


def story_list(stories: Iterable[Story], from_doc: str) -> Html:
    items = [story_item(story, from_doc) for story in stories]
    if not items:
        return Html('<p class="ns-empty">まだ物語はありません。</p>')
    return Html('<ul class="ns-list">\n' + "\n".join(items) + "\n</ul>")


def newest_first(stories: Iterable[Story]) -> list[Story]:
    """Most recently updated first; slug breaks ties so the order is stable."""
    return sorted(sorted(stories, key=lambda s: s.slug), key=lambda s: s.updated, reverse=True)


def table(head: Iterable[str], rows: Iterable[Iterable[str]], label: str = "") -> Html:
    """An HTML table (cells are already HTML); Material styles class-less tables.

    A wide table scrolls inside its wrapper, a region that takes keyboard focus
    so that the hidden columns can be reached without a mouse (WCAG 2.1.1).
    Its name is `label`, or the column names; give a label where a page has
    several tables with the same columns (region names must differ).
    """
    head = list(head)
    name = label or "表：" + "・".join(re.sub(r"<[^>]+>", "", cell) for cell in head)
    head_html = "".join(f'<th scope="col">{cell}</th>' for cell in head)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return Html(
        f'<div class="ns-table-wrap ns-table-scroll" role="region" tabindex="0" aria-label="{html.escape(name)}">'
        f"<table>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>"
    )


# ------------------------------------------------------------------ paging

PER_PAGE = 50  # items on one page of a list: keeps every page small at any collection size
_PAGER_AROUND = 3  # page links shown either side of the current page


def chunks(items: Sequence[T], per_page: int = PER_PAGE) -> list[Sequence[T]]:
    """The items split into pages; an empty list is one empty page."""
    return [items[start : start + per_page] for start in range(0, len(items), per_page)] or [items[:0]]


def pager(first_doc: str, number: int, pages: int) -> str:
    """Numbered links to the pages of a list (relative .html links; nothing for one page)."""
    if pages <= 1:
        return ""
    here = urls.page(first_doc, number)
    shown = sorted({1, pages, *range(max(1, number - _PAGER_AROUND), min(pages, number + _PAGER_AROUND) + 1)})
    items, previous = [], 0
    for page_number in shown:
        if page_number > previous + 1:
            items.append('<li class="ns-pager__gap">…</li>')
        if page_number == number:
            items.append(f'<li><span aria-current="page">{page_number}</span></li>')
        else:
            items.append(f"<li>{link(here, urls.page(first_doc, page_number), str(page_number))}</li>")
        previous = page_number
    if number > 1:
        items.insert(0, f'<li>{link(here, urls.page(first_doc, number - 1), "前へ")}</li>')
    if number < pages:
        items.append(f'<li>{link(here, urls.page(first_doc, number + 1), "次へ")}</li>')
    return f'<nav class="ns-pager" aria-label="ページ（全{pages}ページ）"><ul>{"".join(items)}</ul></nav>'


def page_note(number: int, pages: int, total: int, per_page: int = PER_PAGE) -> str:
    """「120件のうち51〜100件目」, or '' when the list fits on one page."""
    if pages <= 1:
        return ""
    first = (number - 1) * per_page + 1
    last = min(total, number * per_page)
    return f'<p class="ns-pager__note">{total}件のうち{first}〜{last}件目（{number}/{pages}ページ）</p>'


def search_link(from_doc: str, text: str = "条件を組み合わせて探す（検索のページ）", **facets: str) -> str:
    """A link to the multi-facet search page, facets chosen (works with the page's own address parsing)."""
    target = urls.href(from_doc, urls.SEARCH) + (urls.search(**facets) if facets else "")
    return f'<a href="{attr(target)}">{text}</a>'


def empty_values(summary: str, links: Sequence[str]) -> str:
    """Values without stories yet, folded away so the table shows what exists."""
    if not links:
        return ""
    return f'<details class="ns-empty-values"><summary>{summary}（{len(links)}）</summary><p>{"、".join(links)}</p></details>'
