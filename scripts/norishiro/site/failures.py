"""Every failure of every story, grouped so that patterns show, on paged lists.

The index (failures.md) shows the groups with their counts and the filters;
each group has its own paged list (each failure once per group it belongs
to), and each filter value (size band, 重層, field) a paged list of its
failures, so the filters work without JavaScript and no page grows with the
collection.

A failure joins every group whose keywords appear in its `what` or `why`,
and the group of a timeline kind when a timeline item of that kind overlaps
the failure's `when`.  A failure that joins no group is listed under その他,
so nothing is dropped.  The table below is shown on the page as well, so
readers can see how the grouping was made.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from norishiro.format import urls
from norishiro.format.model import Failure, Story
from norishiro.format.vocab import FIELDS, JUSOU, SIZE_BANDS, TIMELINE_KINDS, UNKNOWN_SIZE
from norishiro.site.document import Document, Html
from norishiro.site.html import chunks, esc, front_matter, link, page_note, pager, period_time, place, sample_tag, search_link
from norishiro.site.story_page import failure_id


@dataclass(frozen=True)
class Group:
    id: str  # HTML id of the group's section
    label: str
    keywords: tuple[str, ...]
    timeline_kinds: tuple[str, ...] = ()  # TIMELINE_KINDS ids


GROUPS: tuple[Group, ...] = (
    Group("copying", "先進事例をそのまま持ち込んだ",
          ("先進", "模倣", "倣", "まね", "真似", "視察", "他市", "他の自治体", "そのまま採用", "形だけ", "形を作")),
    Group("rotation", "異動・担当交代・一人に頼る",
          ("異動", "交代", "引き継", "引継", "後任", "前任", "退職", "休職", "一人の担当", "一人に頼", "頭の中", "手帳"),
          ("handover",)),
    Group("burden", "負担・疲れ・業務量",
          ("負担", "疲", "業務量", "手間", "残業", "多忙", "忙し", "燃え尽き", "空回り", "抱え", "善意", "時間を割け")),
    Group("funding", "財源・予算・費用",
          ("財源", "予算", "交付金", "補助", "費用", "委託", "単価", "人件費", "運営費", "財政", "持ち出し", "按分", "会費")),
    Group("participation", "参加・主体・巻き込み",
          ("出席", "集まら", "来なかった", "来なくな", "発言しなかった", "巻き込", "主体", "自分ごと", "代表者",
           "参加者も足り", "参加が", "参加しな")),
    Group("sharing", "情報共有・同意・記録",
          ("個人情報", "同意", "了解", "守秘", "情報共有", "共有", "文書に残", "記録が", "記録も", "記録の")),
    Group("roles", "役割分担・つなぎ先・庁内の位置付け",
          ("役割", "縦割り", "庁内", "位置付け", "所管", "つなぐ", "つなが", "窓口", "重なり")),
    Group("pause", "休止・中断", ("休止", "中断", "止まっ", "止まり", "途絶え"), ("pause",)),
)
OTHER = Group("other", "その他", ())


@dataclass(frozen=True)
class Listed:
    story: Story
    failure: Failure
    number: int  # 1-based position in the story's failures
    groups: tuple[Group, ...]  # groups_of(story, failure)


# Each group's keywords as one pattern: a build looks at every failure once per group.
_KEYWORDS = {group.id: re.compile("|".join(map(re.escape, group.keywords))) for group in GROUPS}


def groups_of(story: Story, failure: Failure) -> list[Group]:
    text = failure.what + "\n" + (failure.why or "")
    kinds = set()
    if failure.when is not None:
        kinds = {
            item.kind for item in story.timeline
            if item.kind and item.when.start <= failure.when.end and failure.when.start <= item.when.end
        }
    found = [g for g in GROUPS if _KEYWORDS[g.id].search(text) or kinds.intersection(g.timeline_kinds)]
    return found or [OTHER]


def group_failures(stories: Iterable[Story]) -> dict[str, list[Listed]]:
    """Group id -> failures, in story slug order then failure order."""
    grouped: dict[str, list[Listed]] = {group.id: [] for group in (*GROUPS, OTHER)}
    for story in sorted(stories, key=lambda s: s.slug):
        for number, failure in enumerate(story.failures, start=1):
            found = tuple(groups_of(story, failure))
            for group in found:
                grouped[group.id].append(Listed(story, failure, number, found))
    return grouped


def _entry(listed: Listed, doc: str) -> str:
    failure, story = listed.failure, listed.story
    when = f"{period_time(failure.when)}、" if failure.when is not None else ""
    detail = ""
    if failure.why:
        detail += f'<p class="ns-item__meta">理由: {esc(failure.why)}</p>'
    if failure.next:
        detail += f'<p class="ns-item__meta">次に: {esc(failure.next)}</p>'
    source = link(doc, urls.story(story.slug), esc(story.title), "#" + failure_id(listed.number))
    return (
        '<li class="ns-item ns-item--failure">'
        f'<p class="ns-item__title">{esc(failure.what)}</p>{detail}'
        f'<p class="ns-item__source">{when}{place(story)}: {source}{sample_tag(story)}</p></li>'
    )


def _keyword_table(groups: Sequence[Group]) -> Html:
    rows = []
    for group in groups:
        words = "、".join(html.escape(word) for word in group.keywords) or "（ほかのどれにも当たらないもの）"
        kinds = "、".join(html.escape(TIMELINE_KINDS.label(kind)) for kind in group.timeline_kinds)
        rows.append(f"<tr><td>{html.escape(group.label)}</td><td>{words}</td><td>{kinds}</td></tr>")
    return Html(
        '<details class="ns-keywords"><summary>分け方（言葉の表）</summary>'
        "<p>「うまくいかなかったこと」とその理由に次の言葉が含まれるとき、その分類に入れています。"
        "同じ時期の経過に「担当交代・異動」「休止」の印があるときも、その分類に入れます。"
        "一つの失敗が複数の分類に入ることがあります。</p>"
        '<div class="ns-table-wrap"><table><thead><tr><th scope="col">分類</th><th scope="col">言葉</th>'
        f'<th scope="col">同じ時期の経過の印</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></details>'
    )


PER_PAGE = 50
FILTER_FACETS = ("size", "jusou", "field")  # the filters of the index, one paged list per value


def _filter_values() -> dict[str, list[tuple[str, str]]]:
    return {
        "size": [(band.id, band.label) for band in (*SIZE_BANDS, UNKNOWN_SIZE)],
        "jusou": [(term.id, term.label) for term in JUSOU.terms],
        "field": [(term.id, term.label) for term in FIELDS.terms],
    }


_FILTER_LABELS = {"size": "人口の規模", "jusou": "重層的支援体制整備事業", "field": "関わった分野"}
_SEARCH_KEYS = {"size": "size", "jusou": "jusou", "field": "field"}  # facet keys of search-ui.js


def _matches(story: Story, facet: str, value_id: str) -> bool:
    if facet == "size":
        return story.municipality.size_band.id == value_id
    if facet == "jusou":
        return story.jusou == value_id
    return value_id in story.fields


def _compact(listed: Listed, doc: str) -> str:
    """One failure of a filter page: what, groups and the story, without why/next (on its group page)."""
    failure, story = listed.failure, listed.story
    labels = "、".join(html.escape(group.label) for group in listed.groups)
    source = link(doc, urls.story(story.slug), esc(story.title), "#" + failure_id(listed.number))
    return (
        '<li class="ns-item ns-item--failure">'
        f'<p class="ns-item__title">{esc(failure.what)}</p>'
        f'<p class="ns-item__meta">分類: {labels}</p>'
        f'<p class="ns-item__source">{place(story)}: {source}{sample_tag(story)}</p></li>'
    )


def _list_page(title: str, intro: str, first: str, number: int, pages: int, total: int, entries: list[str]) -> Document:
    doc = urls.page(first, number)
    nav = pager(first, number, pages)
    joined = "\n".join(entries)
    body = f'<ul class="ns-list">\n{joined}\n</ul>' if entries else '<p class="ns-empty">当てはまるものはまだありません。</p>'
    back = link(doc, urls.FAILURES, "うまくいかなかったことの一覧に戻る")
    shown = title if number == 1 else f"{title}（{number}ページ目）"
    return Document.of([
        front_matter(shown, wide=True), f"# {shown}",
        Html(f"<p>{intro}</p><p>{back}</p>"), Html(page_note(number, pages, total, PER_PAGE)), Html(nav), Html(body), Html(nav),
    ])


def _paged(first: str, title: str, intro: str, items: Sequence[Listed], entry: Callable[[Listed, str], str]) -> dict[str, Callable[[], Document]]:
    pages = chunks(items, PER_PAGE)
    return {
        urls.page(first, number): partial(_entries_page, title, intro, first, number, len(pages), len(items), chunk, entry)
        for number, chunk in enumerate(pages, start=1)
    }


def _entries_page(
    title: str, intro: str, first: str, number: int, pages: int, total: int, chunk: Sequence[Listed], entry: Callable[[Listed, str], str],
) -> Document:
    """A page of a paged list; its renderer is a partial of plain values, which `mkdocs serve` can fingerprint."""
    doc = urls.page(first, number)
    return _list_page(title, intro, first, number, pages, total, [entry(listed, doc) for listed in chunk])


def failure_sources(stories: Sequence[Story]) -> dict[str, Callable[[], Document]]:
    """The index, one paged list per group, and one paged list per filter value."""
    ordered = sorted(stories, key=lambda s: s.slug)
    grouped: dict[str, list[Listed]] = {group.id: [] for group in (*GROUPS, OTHER)}
    every: list[Listed] = []
    for story in ordered:
        for number, failure in enumerate(story.failures, start=1):
            listed = Listed(story, failure, number, tuple(groups_of(story, failure)))
            every.append(listed)
            for group in listed.groups:
                grouped[group.id].append(listed)
    groups = (*GROUPS, OTHER)
    sources: dict[str, Callable[[], Document]] = {}
    for group in groups:
        intro = (f"「うまくいかなかったこと」のうち、「{html.escape(group.label)}」に当たる{len(grouped[group.id])}件です。"
                 "一つの失敗がほかの分類にも入ることがあります。")
        sources.update(_paged(urls.failure_group(group.id), f"うまくいかなかったこと: {group.label}", intro, grouped[group.id], _entry))
    filters: dict[str, list[tuple[str, str, int]]] = {}
    for facet, values in _filter_values().items():
        filters[facet] = []
        for value_id, label in values:
            items = [listed for listed in every if _matches(listed.story, facet, value_id)]
            first = urls.failure_filter(facet, value_id)
            filters[facet].append((first, label, len(items)))
            intro = f"{html.escape(_FILTER_LABELS[facet])}が「{html.escape(label)}」の物語にある「うまくいかなかったこと」{len(items)}件です。"
            sources.update(_paged(first, f"うまくいかなかったこと（{_FILTER_LABELS[facet]}: {label}）", intro, items, _compact))
    total = len(every)
    counts = {group.id: len(grouped[group.id]) for group in groups}
    sources[urls.FAILURES] = lambda: _index(len(ordered), total, counts, filters)
    return sources


def _index(stories: int, total: int, counts: dict[str, int], filters: dict[str, list[tuple[str, str, int]]]) -> Document:
    doc = urls.FAILURES
    groups = (*GROUPS, OTHER)
    rows = "".join(
        f"<tr><td>{link(doc, urls.failure_group(g.id), html.escape(g.label))}</td><td>{counts[g.id]}</td></tr>" for g in groups
    )
    filter_html = []
    for facet, values in filters.items():
        shown = [f"{link(doc, first, html.escape(label))}（{count}件）" for first, label, count in values if count]
        empty = [link(doc, first, html.escape(label)) for first, label, count in values if not count]
        folded = f"<details><summary>まだないもの（{len(empty)}）</summary><p>{'、'.join(empty)}</p></details>" if empty else ""
        filter_html.append(f"<h3>{html.escape(_FILTER_LABELS[facet])}で絞り込む</h3><p>{'、'.join(shown) or 'まだありません。'}</p>{folded}")
    search = search_link(doc, "物語を条件で絞り込んで探す（検索のページ）")
    return Document.of([
        front_matter("うまくいかなかったことの一覧", wide=True),
        "# うまくいかなかったことの一覧",
        Html(f"<p>{stories}件の物語にある「うまくいかなかったこと」{total}件を、似たものごとに分けました。"
             "どこでつまずきやすいか、次に何を変えたかを見比べられます。各項目から元の物語に戻れます。</p>"),
        "## 分類",
        Html('<div class="ns-table-wrap"><table><thead><tr><th scope="col">分類</th><th scope="col">件数</th></tr></thead>'
             f"<tbody>{rows}</tbody></table></div>"),
        _keyword_table(GROUPS),
        "## 絞り込む",
        Html("<p>自治体の規模、重層的支援体制整備事業の有無、関わった分野ごとのページです。</p>" + "".join(filter_html) + f"<p>{search}</p>"),
    ])


def render_failures(stories: Sequence[Story]) -> Document:
    """The index page alone (the group and filter pages come from failure_sources)."""
    return failure_sources(stories)[urls.FAILURES]()
