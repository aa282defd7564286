"""のりしろ made visible: overlaps across the collection, programmes and difficulties.

The のりしろ page groups every `overlaps` item by the combination of
programmes it carries, so a reader in a town of 8,000 finds what one role in
another town of 8,000 combined.  A programme page lists the stories that use it
and those that started from it; a difficulty page lists the stories that reach
it now and, apart, those that name it as not reached yet.

No page grows with the collection: the のりしろ list is paged (its group
headings continue across pages), and a section of a programme, difficulty or
assembly page too long for one page gets its own paged list (browse.py).
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from functools import partial

from norishiro.format import urls
from norishiro.format.model import Overlap, Story
from norishiro.format.vocab import DIFFICULTIES, JUSOU, KINDS, PROGRAMMES, label_head
from norishiro.site.browse import Sources, grouped_items, grouped_render, inline_or_paged, paged
from norishiro.site.document import Document, Html
from norishiro.site.html import NOT_GIVEN, esc, front_matter, key_label, link, newest_first, sample_tag, story_list, table

_ORDER = {term.id: index for index, term in enumerate(PROGRAMMES.terms)}


def programme_name(programme_id: str) -> str:
    return html.escape(label_head(PROGRAMMES.label(programme_id)))


def programme_links(ids: Sequence[str], doc: str, joiner: str = "、") -> str:
    return joiner.join(link(doc, urls.programme(p), programme_name(p)) for p in ids) or NOT_GIVEN


def difficulty_links(ids: Sequence[str], doc: str) -> str:
    return "、".join(link(doc, urls.difficulty(d), html.escape(label_head(DIFFICULTIES.label(d)))) for d in ids) or NOT_GIVEN


def combination(overlap: Overlap) -> tuple[str, ...]:
    """The programmes in vocabulary order, so the same combination groups together."""
    return tuple(sorted(overlap.combines, key=_ORDER.__getitem__))


def _town(story: Story) -> str:
    town = story.municipality
    people = f"・人口{town.population:,}人" if town.population else ""
    return f"{esc(town.name)}（{html.escape(town.prefecture)}）<br><small>{html.escape(KINDS.label(town.kind))}・{html.escape(town.size_band.label)}{people}</small>"


def _overlap_row(story: Story, overlap: Overlap, doc: str) -> list[str]:
    return [
        esc(overlap.who),
        _town(story),
        html.escape(JUSOU.label(story.jusou)),
        esc(overlap.effect) if overlap.effect else f'<span class="ns-none">{NOT_GIVEN}</span>',
        link(doc, urls.story(story.slug), esc(story.title)) + sample_tag(story),
    ]


_OVERLAP_HEAD = [key_label("overlaps[].who"), "自治体・種類・規模", "重層", key_label("overlaps[].effect"), "物語"]


def _by_population(item: tuple[Story, Overlap]) -> tuple[int, str]:
    story = item[0]
    return (story.municipality.population or 10**9, story.slug)


_INTRO = Html(
    "<p>一つの役割や小さなチームが、いくつもの事業や会議をいっしょに回していることを「のりしろ」と呼んでいます。"
    "小さな町では、一人の保健師や社会福祉士が地域ケア会議と要保護児童対策地域協議会を両方受け持つことが珍しくありません。"
    "同じ担当者の頭の中で回すことで効率よくなる会議、その人に頼る危うさの両方が、ここから読み取れます。"
    "事業の組み合わせごとに（多い組み合わせから）、人口の少ない自治体から並べています。"
    "一つの事業・会議を含む組み合わせは、その事業・会議のページにまとまっています。</p>"
)


def _combo_name(combo: tuple[str, ...]) -> str:
    return " ＋ ".join(label_head(PROGRAMMES.label(p)) for p in combo)


def overlaps_page(stories: Sequence[Story]) -> Sources:
    """The のりしろ list: grouped by combination (most frequent first), paged with the groups' headings."""
    groups: dict[tuple[str, ...], list[tuple[Story, Overlap]]] = defaultdict(list)
    for story in stories:
        for overlap in story.overlaps:
            groups[combination(overlap)].append((story, overlap))
    doc = urls.OVERLAPS
    ordered = sorted(groups.items(), key=lambda pair: (-len(pair[1]), [_ORDER[p] for p in pair[0]]))
    items = grouped_items((combo, sorted(found, key=_by_population)) for combo, found in ordered)
    counts = {combo: len(found) for combo, found in ordered}
    assembly = Html(f'<p>重層的支援体制整備事業を使わずに進めている自治体の組み立ては、{link(doc, urls.ASSEMBLY, "事業を使わずに進めている町の組み立て")}にまとめています。</p>')
    title = "のりしろ（いっしょに回している事業）"
    render = grouped_render(partial(_combo_heading, counts), _combo_body, "まだのりしろの記載がある物語はありません。")
    return paged(doc, title, [_INTRO, assembly], items, render)


def _combo_heading(counts: dict[tuple[str, ...], int], combo: tuple[str, ...], continued: bool) -> list[str]:
    return [
        f"## {_combo_name(combo)}" + ("（続き）" if continued else ""),
        Html(f'<p class="ns-combo">{programme_links(combo, urls.OVERLAPS, " ＋ ")}（{counts[combo]}件）</p>'),
    ]


def _combo_body(combo: tuple[str, ...], rows: Sequence[tuple[Story, Overlap]], page: str) -> Html:
    return table(_OVERLAP_HEAD, [_overlap_row(s, o, page) for s, o in rows], label=f"表：{_combo_name(combo)}")


def _carried_table(programme: str, found: Sequence[tuple[Story, Overlap]], page: str) -> Html:
    if not found:
        return Html('<p class="ns-empty">まだありません。</p>')
    head = [key_label("overlaps[].who"), "いっしょに回している事業", "自治体・種類・規模", "物語"]
    return table(head, [
        [esc(o.who), programme_links([p for p in combination(o) if p != programme], page), _town(s), link(page, urls.story(s.slug), esc(s.title))]
        for s, o in found
    ])


def _assembly_block(story: Story, doc: str) -> str:
    overlaps = "".join(
        f"<li><strong>{esc(o.who)}</strong>: {programme_links(combination(o), doc, ' ＋ ')}"
        + (f"<br>{esc(o.effect)}" if o.effect else "")
        + "</li>"
        for o in story.overlaps
    )
    started = story.started_programme
    return (
        '<section class="ns-assembly">'
        f'<h3>{link(doc, urls.story(story.slug), esc(story.title))}{sample_tag(story)}</h3>'
        f'<p class="ns-item__meta">{_town(story)}<br>重層: {html.escape(JUSOU.label(story.jusou))}'
        + (f" ／ 始まった場: {programme_links([started], doc)}" if started else "")
        + "</p>"
        f'<dl class="ns-pairs"><div><dt>{key_label("programmes")}</dt><dd>{programme_links(story.programmes, doc)}</dd></div>'
        f'<div><dt>{key_label("overlaps")}</dt><dd>' + (f"<ul>{overlaps}</ul>" if overlaps else f'<span class="ns-none">{NOT_GIVEN}</span>') + "</dd></div>"
        f'<div><dt>{key_label("reach.groups_not_yet")}</dt><dd>{difficulty_links(story.groups_not_yet, doc)}</dd></div></dl>'
        "</section>"
    )


def _assembly_blocks(stories: Sequence[Story], doc: str) -> Html:
    return Html("\n".join(_assembly_block(s, doc) for s in stories)) if stories else Html('<p class="ns-empty">まだ物語はありません。</p>')


def _section_path(doc: str, section: str) -> str:
    """The first page of one section's own list, when the section is too long for its page."""
    return f"{doc.removesuffix('.md')}/{section}.md"


def assembly_page(stories: Sequence[Story]) -> Sources:
    """事業を使わずに進めている町の組み立て: not_using and preparing stories, smallest first."""
    doc = urls.ASSEMBLY
    chosen = sorted(
        (s for s in stories if s.jusou in ("not_using", "preparing")),
        key=lambda s: (s.municipality.population or 10**9, s.slug),
    )
    title = "事業を使わずに進めている町の組み立て"
    intro = Html(
        "<p>重層的支援体制整備事業は必須の事業ではありません。使っていない（未実施）、または移行準備中の自治体が、"
        "どの事業や会議を土台に、どの人ののりしろで分野をまたいだ支援をしているかを、人口の少ない順に並べています。</p>"
    )
    sources: Sources = {}
    parts: list[str] = [front_matter(title, wide=True), f"# {title}", intro]
    for jusou_id in ("not_using", "preparing"):
        here = [s for s in chosen if s.jusou == jusou_id]
        label = JUSOU.label(jusou_id)
        shown, more = inline_or_paged(doc, _section_path(doc, jusou_id), f"{title}: {label}", [intro], here, _assembly_blocks, {"jusou": jusou_id})
        parts += [f"## {label}", *shown]
        sources.update(more)
    document = Document.of(parts)
    sources[doc] = lambda: document
    return sources


def programme_pages(stories: Sequence[Story]) -> Sources:
    sources: Sources = {}
    rows = []
    started_with: dict[str | None, list[Story]] = {}
    for story in stories:  # started_programme reads the text: once per story, not per programme
        started_with.setdefault(story.started_programme, []).append(story)
    for term in PROGRAMMES.terms:
        doc = urls.programme(term.id)
        name = label_head(term.label)
        started = newest_first(started_with.get(term.id, []))
        using = newest_first(s for s in stories if term.id in s.programmes)
        carried = sorted(((s, o) for s in stories for o in s.overlaps if term.id in o.combines), key=_by_population)
        intro = Html(f"<p>「{html.escape(term.label)}」から始まった取り組みと、この事業・会議を使っている取り組みです。</p>")

        parts: list[str] = [front_matter(f"{name}の物語"), f"# {name}の物語", intro]
        for section, heading, note, items, render in (
            ("started", "ここから始まった物語", "<p>始まった場（started_by.through）がこの事業・会議の物語です。</p>", started, story_list),
            ("using", "この事業・会議を使っている物語", "", using, story_list),
            ("overlaps", "ほかの事業といっしょに回しているのりしろ", "", carried, partial(_carried_table, term.id)),
        ):
            shown, more = inline_or_paged(doc, _section_path(doc, section), f"{name}: {heading}", [intro], items, render, {"prog": term.id})
            parts += [f"## {heading}", *([Html(note)] if note else []), *shown]
            sources.update(more)
        document = Document.of(parts)
        sources[doc] = lambda document=document: document
        rows.append([link(urls.PROGRAMME_INDEX, doc, html.escape(term.label)), str(len(started)), str(len(using)), str(len(carried))])
    index = Document.of([
        front_matter("事業・会議から探す", wide=True), "# 事業・会議から探す",
        Html("<p>取り組みが使った、またはそこから育った事業・センター・会議ごとに物語を分けています。"
             "自立支援協議会や地域ケア会議のように、重層的支援体制整備事業の外にある会議から始まった取り組みも多くあります。</p>"),
        table(["事業・会議", "ここから始まった", "使っている", "のりしろ"], rows),
    ])
    sources[urls.PROGRAMME_INDEX] = lambda: index
    return sources


def difficulty_pages(stories: Sequence[Story]) -> Sources:
    sources: Sources = {}
    rows = []
    for term in DIFFICULTIES.terms:
        doc = urls.difficulty(term.id)
        name = label_head(term.label)
        now = newest_first(s for s in stories if term.id in s.groups_now)
        not_yet = newest_first(s for s in stories if term.id in s.groups_not_yet)
        intro = Html(f"<p>「{html.escape(term.label)}」の困りごとを持つ人に、いま手が届いている取り組みと、"
                     "まだ届いていないと書いている取り組みです。自分の町ではどちらか、照らし合わせるときに使ってください。</p>")
        parts: list[str] = [front_matter(f"{name}: 届いている取り組み・まだ届いていない取り組み"), f"# {name}", intro]
        for section, heading, items in (("now", "いま届いている", now), ("not-yet", "まだ届いていない", not_yet)):
            shown, more = inline_or_paged(doc, _section_path(doc, section), f"{name}: {heading}", [intro], items, story_list, {"diff": term.id})
            parts += [f"## {heading}", *shown]
            sources.update(more)
        document = Document.of(parts)
        sources[doc] = lambda document=document: document
        rows.append([link(urls.DIFFICULTY_INDEX, doc, html.escape(term.label)), str(len(now)), str(len(not_yet))])
    index = Document.of([
        front_matter("困りごとから探す（届いている・まだ届いていない）", wide=True), "# 困りごとから探す",
        Html("<p>どの部分（どんな困りごとを持った人）に手が届いていて、どこにまだ届いていないか。"
             "物語に書かれた「いま届いている人」「まだ届いていない人」を、困りごとの種類ごとに数えています。</p>"),
        table(["困りごと", "いま届いている", "まだ届いていない"], rows),
    ])
    sources[urls.DIFFICULTY_INDEX] = lambda: index
    return sources


def story_overlaps(story: Story, doc: str) -> list[str]:
    """The story page's のりしろ section (version 1.1 keys); nothing for a version 1 story."""
    if not (story.programmes or story.overlaps or story.difficulties):
        return []
    rows = [f"<div><dt>{key_label('programmes')}</dt><dd>{programme_links(story.programmes, doc)}</dd></div>"]
    for overlap in story.overlaps:
        effect = f"<br>{esc(overlap.effect)}" if overlap.effect else ""
        rows.append(f"<div><dt>{esc(overlap.who)}</dt><dd>{programme_links(combination(overlap), doc, ' ＋ ')}{effect}</dd></div>")
    rows.append(f"<div><dt>{key_label('reach.groups_now')}</dt><dd>{difficulty_links(story.groups_now, doc)}</dd></div>")
    rows.append(f"<div><dt>{key_label('reach.groups_not_yet')}</dt><dd>{difficulty_links(story.groups_not_yet, doc)}</dd></div>")
    return [f"## {key_label('overlaps')}と使った事業", Html('<dl class="ns-pairs">' + "".join(rows) + "</dl>")]


def overlap_pages(stories: Sequence[Story]) -> Sources:
    return {**overlaps_page(stories), **assembly_page(stories), **programme_pages(stories), **difficulty_pages(stories)}
