"""The generated parts of the home page (docs/index.md).

The hand-written page holds markers such as `<!-- norishiro:counts -->`;
each marker is replaced by the part of the same name.  A part whose marker
is missing is simply not shown.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.format.vocab import JUSOU, STATUSES
from norishiro.site.html import link, newest_first, search_link, story_list

RECENT_LIMIT = 10


def _marker(name: str) -> str:
    return f"<!-- norishiro:{name} -->"


def _counts(stories: Sequence[Story]) -> str:
    doc = urls.HOME
    towns = {(story.municipality.prefecture, story.municipality.name) for story in stories}
    prefectures = {story.municipality.prefecture for story in stories}
    failures = sum(len(story.failures) for story in stories)
    samples = sum(story.sample for story in stories)
    sample_note = f"（うち架空の記入例 {samples}件）" if samples else ""
    jusou = "、".join(
        link(doc, urls.jusou(term.id), html.escape(term.label)) + f" {sum(s.jusou == term.id for s in stories)}件"
        for term in JUSOU.terms
    )
    return (
        '<ul class="ns-stats">'
        f"<li>物語 <strong>{len(stories)}</strong>件{sample_note}</li>"
        f"<li>自治体・圏域 <strong>{len(towns)}</strong></li>"
        f"<li>都道府県 <strong>{len(prefectures)}</strong></li>"
        f"<li>{link(doc, urls.FAILURES, 'うまくいかなかったこと')} <strong>{failures}</strong>件</li>"
        "</ul>\n"
        f'<p class="ns-stats__jusou">重層的支援体制整備事業: {jusou}</p>'
    )


_ENTRY_POINTS = (
    (urls.STARTED_BY_INDEX, "始めた分野から", "障がい、教育、社協、住民……どの分野が言い出し役になったか"),
    (urls.SIZE_INDEX, "自治体の規模から", "人口1万未満の町村から政令指定都市まで"),
    (urls.JUSOU_INDEX, "重層的支援体制整備事業の有無から", "事業を使わずに進めている自治体の物語も"),
    (urls.STATUS_INDEX, "取り組みの状況から", "・".join(term.label for term in STATUSES.terms)),
    (urls.PREFECTURE_INDEX, "都道府県から", "管内の市町村の物語を一覧で"),
    (urls.FAILURES, "うまくいかなかったことの一覧", "つまずきを似たものごとにまとめて"),
)


def _browse() -> str:
    items = "".join(
        f'<li>{link(urls.HOME, doc, label)}<br><span class="ns-item__meta">{hint}</span></li>'
        for doc, label, hint in _ENTRY_POINTS
    )
    search = search_link(urls.HOME, "条件を組み合わせて探す")
    items += f'<li>{search}<br><span class="ns-item__meta">始めた分野・関わった分野・都道府県・規模・重層・状況を組み合わせ、言葉でも探せます</span></li>'
    return f'<ul class="ns-entry-points">{items}</ul>'


def home_parts(stories: Sequence[Story]) -> dict[str, str]:
    recent = newest_first(stories)[:RECENT_LIMIT]
    return {
        "counts": _counts(stories),
        "browse": _browse(),
        "recent": story_list(recent, urls.HOME),
    }


def fill_home(markdown: str, parts: dict[str, str]) -> str:
    """Replace each marker in the hand-written home page by its part."""
    for name, content in parts.items():
        markdown = markdown.replace(_marker(name), "\n\n" + content + "\n\n")
    return markdown
