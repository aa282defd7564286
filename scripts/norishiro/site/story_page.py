"""One story's page: the facts to judge fit, the timeline, failures, the rest.

The order follows what a reader in another municipality asks first: is this
place like mine (facts), how did it unfold (timeline, with failures in their
place), what went wrong, what it costs, whom it reaches; then the writers'
own narrative and where to read on.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from norishiro.format import urls
from norishiro.format.dates import Period
from norishiro.format.model import Failure, Story, TimelineItem
from norishiro.format.vocab import FIELDS, JUSOU, KINDS, STATUSES, TIMELINE_KINDS
from norishiro.site.document import Document, Html
from norishiro.site.html import (
    NOT_GIVEN,
    day_time,
    esc,
    field_links,
    front_matter,
    key_label,
    link,
    period_time,
    place,
    population,
    prefecture_doc,
    sample_tag,
)
from norishiro.site.overlaps import story_overlaps
from norishiro.site.pace import timeline_svg
from norishiro.site.related import Related

SAMPLE_NOTE = Html(
    '<div class="ns-sample" role="note">'
    '<p class="ns-sample__title">架空の記入例</p>'
    "<p>この物語は、書き方を示すために作った架空の例です。"
    "実在の自治体・団体・人物とは関係ありません。</p>"
    "</div>"
)


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about the site beyond the stories."""

    edit_url_base: str | None = None  # e.g. https://github.com/<owner>/<repo>/edit/main/
    source_root: str = "."  # story.source is made relative to this for edit links


@dataclass(frozen=True)
class Entry:
    """One line of the page's timeline: a timeline item or a dated failure."""

    when: Period
    item: TimelineItem | None = None
    failure: Failure | None = None
    failure_number: int = 0  # 1-based position in the failures section


def timeline_entries(story: Story) -> list[Entry]:
    """Timeline items in order; each dated failure after the items that start on or before it."""
    slots: dict[int, list[Entry]] = {}
    for number, failure in enumerate(story.failures, start=1):
        if failure.when is None:
            continue
        after = 0
        for index, item in enumerate(story.timeline, start=1):
            if item.when.start <= failure.when.start:
                after = index
        slots.setdefault(after, []).append(Entry(failure.when, failure=failure, failure_number=number))
    entries = sorted(slots.get(0, []), key=lambda e: e.when.start)
    for index, item in enumerate(story.timeline, start=1):
        entries.append(Entry(item.when, item=item))
        entries.extend(sorted(slots.get(index, []), key=lambda e: e.when.start))
    return entries


def failure_id(number: int) -> str:
    return f"failure-{number}"


def edit_url(story: Story, ctx: SiteContext) -> str | None:
    if not ctx.edit_url_base:
        return None
    relative = PurePath(os.path.relpath(story.source, ctx.source_root)).as_posix()
    return ctx.edit_url_base.rstrip("/") + "/" + relative


def _row(label: str, value: str) -> str:
    return f"<div><dt>{label}</dt><dd>{value}</dd></div>"


def _optional(text: str | None) -> str:
    return esc(text) if text else f'<span class="ns-none">{NOT_GIVEN}</span>'


def facts(story: Story, doc: str) -> Html:
    town = story.municipality
    band = town.size_band
    size_link = link(doc, urls.size(band.id), html.escape(band.label))
    started = link(doc, urls.started_by(story.started_by), html.escape(FIELDS.label(story.started_by)))
    if story.started_through:
        started += f"（{key_label('started_by.through')}: {esc(story.started_through)}）"
    rows = [
        _row(key_label("municipality"), f"{esc(town.name)}（{link(doc, prefecture_doc(story), html.escape(town.prefecture))}）"),
        _row("種類と規模", f"{html.escape(KINDS.label(town.kind))}・{size_link}{population(story)}"),
        _row(key_label("jusou"), link(doc, urls.jusou(story.jusou), html.escape(JUSOU.label(story.jusou)))),
        _row(key_label("status"), link(doc, urls.status(story.status), html.escape(STATUSES.label(story.status)))),
        _row(key_label("started_by"), started),
        _row(key_label("fields"), field_links(story.fields, doc)),
        _row(key_label("carried_by"), field_links(story.carried_by, doc)),
        _row(key_label("before"), _optional(story.before)),
        _row(key_label("updated"), day_time(story.updated)),
    ]
    if story.contributor:
        rows.append(_row(key_label("contributor"), esc(story.contributor)))
    if story.tags:
        rows.append(_row(key_label("tags"), " ".join(f'<span class="ns-tag">{esc(tag)}</span>' for tag in story.tags)))
    return Html('<dl class="ns-facts">\n' + "\n".join(rows) + "\n</dl>")


def _timeline_item(entry: Entry) -> str:
    if entry.failure is not None:
        more = f' <a href="#{failure_id(entry.failure_number)}">くわしく</a>'
        return (
            '<li class="ns-tl ns-tl--failure">'
            f'{period_time(entry.when, "ns-tl__when")} <span class="ns-tl__kind">{key_label("failures")}</span>'
            f'<p class="ns-tl__what">{esc(entry.failure.what)}{more}</p></li>'
        )
    assert entry.item is not None
    kind = entry.item.kind
    css = f"ns-tl ns-tl--{kind}" if kind else "ns-tl"
    mark = f' <span class="ns-tl__kind">{html.escape(TIMELINE_KINDS.label(kind))}</span>' if kind else ""
    return f'<li class="{css}">{period_time(entry.when, "ns-tl__when")}{mark}<p class="ns-tl__what">{esc(entry.item.what)}</p></li>'


def timeline(story: Story) -> Html:
    items = "\n".join(_timeline_item(entry) for entry in timeline_entries(story))
    return Html(f'<ol class="ns-timeline">\n{items}\n</ol>')


def failures(story: Story) -> Html:
    items = []
    for number, failure in enumerate(story.failures, start=1):
        details = []
        if failure.when is not None:
            details.append(_row(key_label("failures[].when"), period_time(failure.when)))
        details.append(_row(key_label("failures[].why"), _optional(failure.why)))
        details.append(_row(key_label("failures[].next"), _optional(failure.next)))
        items.append(
            f'<li class="ns-failure" id="{failure_id(number)}">'
            f'<p class="ns-failure__what">{esc(failure.what)}</p>'
            f'<dl class="ns-failure__detail">{"".join(details)}</dl></li>'
        )
    return Html('<ol class="ns-failures">\n' + "\n".join(items) + "\n</ol>")


def _pairs(rows: Sequence[tuple[str, str | None]]) -> Html:
    return Html('<dl class="ns-pairs">' + "".join(_row(label, _optional(text)) for label, text in rows) + "</dl>")


def related_list(related: Sequence[Related], doc: str) -> Html:
    if not related:
        return Html('<p class="ns-empty">近い物語はまだありません。</p>')
    items = []
    for other in related:
        story = other.story
        reasons = "・".join(other.reasons)
        items.append(
            '<li class="ns-item">'
            f'<p class="ns-item__title">{link(doc, urls.story(story.slug), esc(story.title))}{sample_tag(story)}</p>'
            f'<p class="ns-item__meta">{place(story)} ／ {key_label("started_by")}: {html.escape(FIELDS.label(story.started_by))}'
            f' ／ <span class="ns-reasons">{html.escape(reasons)}</span></p></li>'
        )
    return Html('<ul class="ns-list ns-list--related">\n' + "\n".join(items) + "\n</ul>")


def render_story(story: Story, related: Sequence[Related], ctx: SiteContext) -> Document:
    """The page stories/<slug>.md; only the section headings and the narrative are Markdown."""
    doc = urls.story(story.slug)
    parts: list[str] = [front_matter(story.title, story.summary), Html(f"<h1>{esc(story.title)}</h1>")]
    if story.sample:
        parts.append(SAMPLE_NOTE)
    parts += [
        Html(f'<p class="ns-lead">{esc(story.summary)}</p>'),
        facts(story, doc),
        f"## {key_label('timeline')}",
        timeline_svg(story), timeline(story),
        f"## {key_label('failures')}",
        failures(story),
        f"## {key_label('burden')}",
        _pairs([(key_label("burden.workload"), story.workload), (key_label("burden.funding"), story.funding)]),
        f"## {key_label('reach')}",
        _pairs([(key_label("reach.now"), story.reach_now), (key_label("reach.not_yet"), story.reach_not_yet)]),
        *story_overlaps(story, doc),
        "## 本文",
        Html(story.narrative.html or f'<p class="ns-empty">{NOT_GIVEN}</p>'),
        "## 関連する物語",
        related_list(related, doc),
    ]
    url = edit_url(story, ctx)
    if url:
        parts.append(Html(f'<p class="ns-edit"><a href="{html.escape(url)}">この物語のファイルを GitHub で直す</a></p>'))
    return Document.of(parts)
