"""Pace as a picture: a story's timeline to scale, and every story's span.

Both are inline SVG (no JavaScript, no outside files) so they show from
file://, print on paper and read without colour: each timeline kind has its
own shape, failures are red crosses, fiscal years are alternating bands.
Screen readers get the figure's <title>/<desc> and, on the 歩みの長さ page,
the same figures as text in the table.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from norishiro.format import urls
from norishiro.format.dates import Period
from norishiro.format.model import Story
from norishiro.format.vocab import SIZE_BANDS, STATUSES, TIMELINE_KINDS, UNKNOWN_SIZE, SizeBand
from norishiro.site.browse import grouped_items, grouped_render, paged
from norishiro.site.document import Document, Html
from norishiro.site.html import esc, link, sample_tag

WIDTH = 640
LEFT, RIGHT = 16, 16
AXIS_Y = 96  # the axis; items above, failures below
LANE = 16  # vertical distance between stacked marks
MIN_GAP = 15  # marks closer than this (px) go to the next lane
RED = "#c62828"
INK = "#263238"

# (shape, Japanese name of the shape) per timeline kind; None is an item without a kind.
SHAPES: dict[str | None, str] = {
    "start": "circle",
    "turn": "diamond",
    "setback": "triangle",
    "handover": "square",
    "pause": "bars",
    "restart": "arrow",
    "spread": "star",
    None: "dot",
}
SHAPE_NAMES = {
    "circle": "丸", "diamond": "ひし形", "triangle": "下向き三角", "square": "四角",
    "bars": "二本線", "arrow": "右向き三角", "star": "星", "dot": "小さな丸", "cross": "赤い×",
}


def fiscal_year(day: date) -> int:
    """年度: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def shape(kind: str, x: float, y: float, fill: str = INK) -> str:
    """One mark centred on (x, y); shapes differ so the picture reads without colour."""
    r = 6.0
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"/>'
    if kind == "dot":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{fill}" stroke-width="2"/>'
    if kind == "square":
        return f'<rect x="{x - r + 1:.1f}" y="{y - r + 1:.1f}" width="{2 * r - 2:.1f}" height="{2 * r - 2:.1f}" fill="{fill}"/>'
    if kind == "bars":
        return (f'<rect x="{x - 5:.1f}" y="{y - r:.1f}" width="3.5" height="{2 * r:.1f}" fill="{fill}"/>'
                f'<rect x="{x + 1.5:.1f}" y="{y - r:.1f}" width="3.5" height="{2 * r:.1f}" fill="{fill}"/>')
    if kind == "cross":
        return (f'<path d="M{x - 5:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 5:.1f} M{x - 5:.1f},{y + 5:.1f} L{x + 5:.1f},{y - 5:.1f}" '
                f'stroke="{RED}" stroke-width="3" stroke-linecap="round" fill="none"/>')
    points = {
        "diamond": [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)],
        "triangle": [(x - r, y - r + 1), (x + r, y - r + 1), (x, y + r)],
        "arrow": [(x - r + 1, y - r), (x + r, y), (x - r + 1, y + r)],
        "star": [(x, y - 7), (x + 2, y - 2), (x + 7, y - 2), (x + 3, y + 1.5), (x + 4.5, y + 7),
                 (x, y + 3.5), (x - 4.5, y + 7), (x - 3, y + 1.5), (x - 7, y - 2), (x - 2, y - 2)],
    }[kind]
    return f'<polygon points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}" fill="{fill}"/>'


@dataclass(frozen=True)
class Scale:
    first: date
    last: date

    def x(self, day: date) -> float:
        span = max((self.last - self.first).days, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - self.first).days / span


def _lanes(xs: Sequence[float]) -> list[int]:
    """A lane for each mark (in order) so that no two marks in a lane are closer than MIN_GAP."""
    last_x: list[float] = []
    out = []
    for x in xs:
        lane = next((i for i, previous in enumerate(last_x) if x - previous >= MIN_GAP), len(last_x))
        if lane == len(last_x):
            last_x.append(x)
        else:
            last_x[lane] = x
        out.append(lane)
    return out


def story_scale(story: Story) -> Scale:
    """From the April before the first date to the March after `updated` (whole fiscal years)."""
    starts = [item.when.start for item in story.timeline] + [f.when.start for f in story.failures if f.when]
    ends = [item.when.end for item in story.timeline] + [f.when.end for f in story.failures if f.when] + [story.updated]
    first_fy, last_fy = fiscal_year(min(starts)), fiscal_year(max(ends))
    if last_fy >= date.max.year:  # updated: 9999-12-31 (warned by W105): the scale stops at the last day there is
        return Scale(date(first_fy, 4, 1), date.max)
    return Scale(date(first_fy, 4, 1), date(last_fy + 1, 4, 1))


def span_text(story: Story) -> str:
    first, last = story_span(story)
    return f"{first.western()}から{last}まで"


def _title_and_desc(story: Story) -> tuple[str, str]:
    dated = sum(1 for f in story.failures if f.when)
    first, _ = story_span(story)
    title = f"経過の図（{span_text(story)}、{years_label(span_years(story))}）"
    desc = (
        f"{first.western()}に始まり、経過{len(story.timeline)}件を時期の位置に印で"
        + (f"、時期のあるうまくいかなかったこと{dated}件を軸の下に赤い×で示しています。" if dated else "示しています。")
        + "背景の帯は年度です。内容はこの図の下の経過の一覧と同じです。"
    )
    return title, desc


def _label_step(year_width: float) -> int:
    """Years between axis labels: 1, 2, 5, 10, 20, 50, 100 …, so that labels never collide."""
    step = 1
    while year_width * step < 34:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def timeline_svg(story: Story) -> Html:
    """The story's timeline to scale: fiscal-year bands, items above the axis, failures below."""
    scale = story_scale(story)
    items = list(enumerate(story.timeline, start=1))
    failures = [(n, f) for n, f in enumerate(story.failures, start=1) if f.when is not None]
    item_x = [scale.x(item.when.start) for _, item in items]
    fail_x = [scale.x(f.when.start) for _, f in failures]  # type: ignore[union-attr]
    item_lanes, fail_lanes = _lanes(item_x), _lanes(fail_x)
    top_lanes = max(item_lanes, default=0) + 1
    axis_y = max(AXIS_Y, 28 + top_lanes * LANE + 12)
    bottom = axis_y + 34 + (max(fail_lanes, default=-1) + 1) * LANE
    height = bottom + 8
    parts: list[str] = []
    years = range(scale.first.year + 1, scale.last.year + 1)
    year_width = (WIDTH - LEFT - RIGHT) / max(len(years), 1)
    step = _label_step(year_width)
    fiscal_years = range(scale.first.year, scale.last.year) if year_width >= 2 else range(0)  # bands thinner than 2px say nothing
    for number, fy in enumerate(fiscal_years):
        x0, x1 = scale.x(date(fy, 4, 1)), scale.x(date(fy + 1, 4, 1))
        fill = "#eceff1" if number % 2 == 0 else "#ffffff"
        parts.append(f'<rect class="ns-pace__fy" x="{x0:.1f}" y="8" width="{x1 - x0:.1f}" height="{bottom - 8}" fill="{fill}"/>')
        if x1 - x0 >= 44:
            parts.append(f'<text x="{(x0 + x1) / 2:.1f}" y="20" text-anchor="middle" font-size="11" fill="#37474f">{fy}年度</text>')
    parts.append(f'<line x1="{LEFT}" y1="{axis_y}" x2="{WIDTH - RIGHT}" y2="{axis_y}" stroke="{INK}" stroke-width="1.5"/>')
    for year in years if step < 10 else range(years.start + (-years.start) % step, years.stop, step):
        x = scale.x(date(year, 1, 1))
        parts.append(f'<line x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" y2="{axis_y + 4}" stroke="{INK}"/>')
        if year % step == 0:
            parts.append(f'<text x="{x:.1f}" y="{axis_y + 17}" text-anchor="middle" font-size="12" fill="{INK}">{year}</text>')
    for (number, item), x, lane in zip(items, item_x, item_lanes, strict=True):
        y = axis_y - 16 - lane * LANE
        end_x = scale.x(item.when.end)
        if end_x - x > 4:  # a month, a year or a fiscal year: its span as a thin bar
            parts.append(f'<rect x="{x:.1f}" y="{y + 7:.1f}" width="{end_x - x:.1f}" height="2" fill="#90a4ae"/>')
        kind_label = TIMELINE_KINDS.label(item.kind) if item.kind else "経過"
        parts.append(
            f'<g class="ns-pace__item ns-pace__item--{item.kind or "plain"}"><title>{number}. {html.escape(item.when.label())}'
            f'（{html.escape(kind_label)}）</title>{shape(SHAPES[item.kind], x, y)}'
            f'<text x="{x + 8:.1f}" y="{y - 5:.1f}" font-size="11" fill="{INK}">{number}</text></g>'
        )
    for (number, failure), x, lane in zip(failures, fail_x, fail_lanes, strict=True):
        y = axis_y + 30 + lane * LANE
        parts.append(
            f'<g class="ns-pace__failure"><title>うまくいかなかったこと{number}. {html.escape(failure.when.label())}</title>'  # type: ignore[union-attr]
            f'{shape("cross", x, y)}<text x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="11" fill="{RED}">失{number}</text></g>'
        )
    today = scale.x(story.updated)
    parts.append(f'<line x1="{today:.1f}" y1="26" x2="{today:.1f}" y2="{axis_y}" stroke="{INK}" stroke-dasharray="3 3"/>')
    parts.append(f'<text x="{today - 3:.1f}" y="34" text-anchor="end" font-size="11" fill="{INK}">更新</text>')
    title, desc = _title_and_desc(story)
    svg = (
        f'<svg class="ns-pace__svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="ns-pace-title ns-pace-desc" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
        f'<title id="ns-pace-title">{html.escape(title)}</title><desc id="ns-pace-desc">{html.escape(desc)}</desc>'
        + "".join(parts) + "</svg>"
    )
    return Html(f'<figure class="ns-pace">{svg}{legend(story)}</figure>')


def legend(story: Story) -> str:
    """Only the kinds the story uses, each with its shape, as an HTML caption."""
    used = list(dict.fromkeys(item.kind for item in story.timeline))
    entries = [(SHAPES[kind], TIMELINE_KINDS.label(kind) if kind else "種類の記載なし") for kind in used]
    if any(f.when for f in story.failures):
        entries.append(("cross", "うまくいかなかったこと"))
    icons = []
    for kind, label in entries:
        icon = f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{shape(kind, 8, 8)}</svg>'
        icons.append(f'<span class="ns-pace__key">{icon}{html.escape(label)}（{SHAPE_NAMES[kind]}）</span>')
    return (
        '<figcaption class="ns-pace__legend">'
        + " ".join(icons)
        + ' <span class="ns-pace__key">帯: 年度（4月〜翌3月）。番号は下の経過の順番です</span></figcaption>'
    )


# ------------------------------------------------------------ 歩みの長さ


def story_span(story: Story) -> tuple[Period, str]:
    """(first period, label of its end): to `updated`, or to the last item for an ended story."""
    first = story.timeline[0].when
    if story.status == "ended":
        return first, story.timeline[-1].when.western()
    return first, f"{story.updated.year}年{story.updated.month}月（更新日）"


def span_end(story: Story) -> date:
    return story.timeline[-1].when.end if story.status == "ended" else story.updated


def span_years(story: Story) -> float:
    return max((span_end(story) - story.timeline[0].when.start).days, 0) / 365.25


def years_label(years: float) -> str:
    whole, months = int(years), round((years - int(years)) * 12)
    if months == 12:
        whole, months = whole + 1, 0
    if whole == 0:
        return f"{max(months, 1)}か月"
    return f"{whole}年" + (f"{months}か月" if months else "")


def _bar(story: Story, longest: float) -> str:
    years = span_years(story)
    bar_width = 300
    width = max(bar_width * years / max(longest, 1.0), 2)
    ticks = "".join(
        f'<line x1="{bar_width * y / max(longest, 1.0):.1f}" y1="0" x2="{bar_width * y / max(longest, 1.0):.1f}" y2="18" stroke="#fff" stroke-width="1"/>'
        for y in range(1, int(years) + 1)
    )
    pattern = ' stroke-dasharray="4 2"' if story.status in ("paused", "ended") else ""
    fill = "#ffffff" if story.status in ("paused", "ended") else "#00796b"
    return (
        f'<svg class="ns-span" width="{bar_width}" height="18" viewBox="0 0 {bar_width} 18" aria-hidden="true">'
        f'<rect x="0.5" y="2" width="{width - 1:.1f}" height="14" fill="{fill}" stroke="#004d40"{pattern}/>{ticks}</svg>'
    )


def _span_table(stories: Sequence[Story], doc: str, longest: float) -> Html:
    rows = []
    for story in stories:
        first, end = story_span(story)
        rows.append(
            "<tr>"
            f"<td>{link(doc, urls.story(story.slug), esc(story.title))}{sample_tag(story)}"
            f"<br><small>{esc(story.municipality.name)}・{html.escape(story.municipality.size_band.label)}・{html.escape(STATUSES.label(story.status))}</small></td>"
            f"<td>{html.escape(first.western())}〜{html.escape(end)}<br><strong>{years_label(span_years(story))}</strong></td>"
            f"<td>{_bar(story, longest)}</td>"
            "</tr>"
        )
    head = '<thead><tr><th scope="col">物語</th><th scope="col">期間</th><th scope="col">長さ（最初の経過を左端にそろえた棒。白い線は1年ごと）</th></tr></thead>'
    return Html(f'<div class="ns-table-wrap"><table class="ns-spans">{head}<tbody>{"".join(rows)}</tbody></table></div>')


_INTRO = (
    "最初の経過から、いま（更新日。終了した物語は最後の経過）までの長さを、左端をそろえて並べました。"
    "包括的な支援体制は、時間をかけて形になるものです。同じくらいの規模の自治体がどれだけかかったかを見るときに使ってください。"
    "白い棒（点線の枠）は休止中・終了した取り組みです。"
)


def _sort_links(doc: str) -> Html:
    here = {urls.PACE_INDEX: "長い順", urls.PACE_BY_SIZE: "規模ごと"}
    links = [label if target == doc else link(doc, target, label) for target, label in here.items()]
    return Html(f'<p class="ns-sort">並べ方: {" ／ ".join(links)}</p>')


def _band_label(band: SizeBand) -> str:
    return band.label if band is UNKNOWN_SIZE else "人口" + band.label


def pace_pages(stories: Sequence[Story]) -> dict[str, Callable[[], Document]]:
    """歩みの長さ: a paged list longest first, and one grouped by size band (no script needed to re-sort)."""
    longest = max((span_years(s) for s in stories), default=1.0)
    by_length = sorted(sorted(stories, key=lambda s: s.slug), key=span_years, reverse=True)
    intro = Html(f"<p>{_INTRO}</p>")

    # Renderers are partials of module-level functions: `mkdocs serve` names a page by them (incremental._Inputs).
    sources = paged(urls.PACE_INDEX, "歩みの長さ", [intro], by_length, partial(_spans, longest))
    bands = [(band, [s for s in by_length if s.municipality.size_band.id == band.id]) for band in (*SIZE_BANDS, UNKNOWN_SIZE)]
    grouped = grouped_render(_band_heading, partial(_band_body, longest))
    items = grouped_items((band, here) for band, here in bands if here)
    sources.update(paged(urls.PACE_BY_SIZE, "歩みの長さ（規模ごと）", [intro], items, partial(_by_size, grouped)))
    return sources


def _spans(longest: float, chunk: Sequence[Story], doc: str) -> list[str]:
    return [_sort_links(doc), _span_table(chunk, doc, longest)]


def _band_heading(band: SizeBand, continued: bool) -> list[str]:
    return [f"## {_band_label(band)}" + ("（続き）" if continued else "")]


def _band_body(longest: float, band: SizeBand, chunk: Sequence[Story], doc: str) -> Html:
    return _span_table(chunk, doc, longest)


def _by_size(grouped: Callable[[Sequence[tuple[SizeBand, int, Story]], str], list[str]], chunk: Sequence[tuple[SizeBand, int, Story]], doc: str) -> list[str]:
    return [_sort_links(doc), *grouped(chunk, doc)]
