"""Every failure of every story on one page, grouped so that patterns show.

A failure joins every group whose keywords appear in its `what` or `why`,
and the group of a timeline kind when a timeline item of that kind overlaps
the failure's `when`.  A failure that joins no group is listed under その他,
so nothing is dropped.  The table below is shown on the page as well, so
readers can see how the grouping was made.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from norishiro.format import urls
from norishiro.format.model import Failure, Story
from norishiro.format.vocab import TIMELINE_KINDS
from norishiro.site.document import Document, Html
from norishiro.site.html import esc, front_matter, link, period_time, place, sample_tag
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


def groups_of(story: Story, failure: Failure) -> list[Group]:
    text = failure.what + "\n" + (failure.why or "")
    kinds = set()
    if failure.when is not None:
        kinds = {
            item.kind for item in story.timeline
            if item.kind and item.when.start <= failure.when.end and failure.when.start <= item.when.end
        }
    found = [g for g in GROUPS if any(word in text for word in g.keywords) or kinds.intersection(g.timeline_kinds)]
    return found or [OTHER]


def group_failures(stories: Iterable[Story]) -> dict[str, list[Listed]]:
    """Group id -> failures, in story slug order then failure order."""
    grouped: dict[str, list[Listed]] = {group.id: [] for group in (*GROUPS, OTHER)}
    for story in sorted(stories, key=lambda s: s.slug):
        for number, failure in enumerate(story.failures, start=1):
            for group in groups_of(story, failure):
                grouped[group.id].append(Listed(story, failure, number))
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


def render_failures(stories: Sequence[Story]) -> Document:
    doc = urls.FAILURES
    grouped = group_failures(stories)
    total = sum(len(story.failures) for story in stories)
    groups = (*GROUPS, OTHER)
    contents = "".join(
        f'<li><a href="#{group.id}">{html.escape(group.label)}</a>（{len(grouped[group.id])}件）</li>' for group in groups
    )
    parts = [
        front_matter("うまくいかなかったことの一覧", wide=True),
        "# うまくいかなかったことの一覧",
        Html(f"<p>{len(stories)}件の物語にある「うまくいかなかったこと」{total}件を、似たものごとに並べました。"
        "どこでつまずきやすいか、次に何を変えたかを見比べられます。各項目から元の物語に戻れます。</p>"),
        Html(f'<nav class="ns-contents" aria-label="分類"><ul>{contents}</ul></nav>'),
        _keyword_table(GROUPS),
    ]
    for group in groups:
        entries = "\n".join(_entry(listed, doc) for listed in grouped[group.id])
        body = f'<ul class="ns-list">\n{entries}\n</ul>' if entries else '<p class="ns-empty">まだありません。</p>'
        heading = f"<h2>{html.escape(group.label)}（{len(grouped[group.id])}件）</h2>"
        parts.append(Html(f'<section class="ns-group" id="{group.id}">\n{heading}\n{body}\n</section>'))
    return Document.of(parts)
