"""Small HTML pieces shared by the pages.

Story text is untrusted: every string that comes from a story goes through
`esc`.  Labels come from vocab.py and keys.py (one copy of the vocabularies).
The HTML is written without blank lines so that Markdown keeps each piece as
one raw HTML block.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import date

from norishiro.format import urls
from norishiro.format.dates import Period, day_label
from norishiro.format.keys import LABELS
from norishiro.format.model import Story
from norishiro.format.vocab import FIELDS, JUSOU, KINDS, STATUSES, prefecture_by_name
from norishiro.site.document import Html

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


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> Html:
    """An HTML table (cells are already HTML); Material styles class-less tables."""
    head_html = "".join(f'<th scope="col">{cell}</th>' for cell in head)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return Html(f'<div class="ns-table-wrap"><table>\n<thead><tr>{head_html}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table></div>')
