"""The pure page functions, on Story objects checked from small strings."""

from __future__ import annotations

import re
from datetime import date

import pytest

from norishiro.check.story import check_file
from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.format.vocab import PROGRAMMES
from norishiro.site.document import Document, Html, fill
from norishiro.site.failures import OTHER, group_failures, groups_of
from norishiro.site.generate import SiteContext, generate_pages
from norishiro.site.home import fill_home, home_parts
from norishiro.site.html import front_matter
from norishiro.site.related import LIMIT, RelatedIndex, RelatedMemory
from norishiro.site.story_page import edit_url, render_story, timeline_entries

BASE = """\
---
title: {title}
summary: 要約です。
municipality:
  name: {town}
  prefecture: {prefecture}
  kind: city
  population: {population}
jusou: using
started_by:
  field: {field}
fields: [{field}, child]
status: ongoing
timeline:
{timeline}
failures:
{failures}
updated: {updated}
{extra}
---

{body}
"""

TIMELINE = """\
  - when: 2019年度
    what: 始まった
    kind: start
  - when: 2021-06
    what: 担当が代わった
    kind: handover
  - when: 2022年度
    what: 広がった"""

FAILURES = """\
  - what: 前年の冬につまずいた
    when: 2019-01
  - what: 異動で止まった
    when: 2021-06
  - what: 日付のない失敗
  - what: 再開のあとにつまずいた
    when: 2022-05"""


def story(slug: str = "sample-story", *, title: str = "物語", town: str = "架空市", prefecture: str = "三重県",
          population: int = 52000, field: str = "education", timeline: str = TIMELINE, failures: str = FAILURES,
          updated: str = "2025-01-01", extra: str = "", body: str = "本文です。") -> Story:
    text = BASE.format(title=title, town=town, prefecture=prefecture, population=population, field=field,
                       timeline=timeline, failures=failures, updated=updated, extra=extra, body=body)
    result, findings = check_file(f"stories/{slug}.md", text.encode("utf-8"))
    assert result is not None, [f.text() for f in findings]
    return result


# ------------------------------------------------------------------ paths


@pytest.mark.parametrize(("here", "there", "expected"), [
    ("index.md", "stories/a.md", "stories/a.html"),
    ("stories/a.md", "stories/b.md", "b.html"),
    ("stories/a.md", "started-by/education.md", "../started-by/education.html"),
    ("started-by/index.md", "index.md", "../index.html"),
    ("failures.md", "failures.md", "#"),
])
def test_links_are_relative_and_name_files(here: str, there: str, expected: str) -> None:
    assert urls.href(here, there) == expected


# ------------------------------------------------------------------ story page


def test_dated_failures_follow_the_items_that_start_on_or_before_them() -> None:
    entries = timeline_entries(story())
    labels = [entry.item.what if entry.item else f"F{entry.failure_number}" for entry in entries]
    assert labels == ["F1", "始まった", "担当が代わった", "F2", "広がった", "F4"]


def test_story_page_escapes_story_text() -> None:
    page = render_story(story(title='"<img src=x onerror=alert(1)>"'), [], SiteContext()).text()
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    front = page.split("---")[1]
    assert "<" not in front  # title and description reach Material unescaped


def test_story_page_sections_in_reading_order() -> None:
    page = render_story(story(), [], SiteContext()).text()
    order = ["ns-facts", "## 経過", "ns-timeline", "## うまくいかなかったこと", "## 負担と財源",
             "## 届いている人・まだ届いていない人", "## 本文", "## 関連する物語"]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert page.count('<li class="ns-failure"') == 4
    assert page.count("ns-tl--failure") == 3  # the failure without `when` is only in its section


def test_sample_note_only_for_samples() -> None:
    assert "架空の記入例" in render_story(story(extra="sample: true"), [], SiteContext()).text()
    assert "架空の記入例" not in render_story(story(), [], SiteContext()).text()


def test_missing_optional_facts_say_so() -> None:
    page = render_story(story(), [], SiteContext()).text()
    assert page.count("記載なし") >= 4  # before, carried_by, burden, reach


def test_edit_link_points_at_the_file() -> None:
    ctx = SiteContext("https://github.com/example/repo/edit/main/", ".")
    assert edit_url(story(), ctx) == "https://github.com/example/repo/edit/main/stories/sample-story.md"
    assert "https://github.com/example/repo/edit/main/stories/sample-story.md" in render_story(story(), [], ctx).text()
    assert edit_url(story(), SiteContext()) is None


def test_narrative_headings_move_one_level_down() -> None:
    html = story(body="# 一\n\n## 二\n\n```\n# コード\n```\n\n三\n---\n\n###### 六").narrative.html
    assert re.findall(r"<h(\d)>([^<]*)</h", html) == [("2", "一"), ("3", "二"), ("3", "三"), ("6", "六")]
    assert "# コード" in html


def test_html_blocks_bypass_markdown_and_come_back() -> None:
    document = render_story(story(body="本文 と <https://example.org>"), [], SiteContext())
    markdown = document.markdown()
    assert "<dl" not in markdown and "<!--norishiro:0-->" in markdown and "## 経過" in markdown
    assert fill(markdown, document.blocks()) == document.text()
    assert Document.of(["# 見出し", Html("<p>a</p>"), ""]).text() == "# 見出し\n\n<p>a</p>\n"


def test_front_matter_is_yaml_with_escaped_values() -> None:
    assert front_matter('a "b" <c>', wide=True) == '---\ntitle: "a &quot;b&quot; &lt;c&gt;"\nhide: [toc]\n---'


# ------------------------------------------------------------------ related


def _corpus(n: int) -> list[Story]:
    prefectures = ["三重県", "高知県", "北海道"]
    fields = ["education", "disability", "residents", "shakyo"]
    return [
        story(f"s{index:04d}", prefecture=prefectures[index % 3], field=fields[index % 4], population=5000 + 7919 * index % 600000)
        for index in range(n)
    ]


def test_related_is_capped_deterministic_and_explained() -> None:
    corpus = _corpus(40)
    index = RelatedIndex(corpus)
    target = corpus[0]
    related = index.related(target)
    assert 0 < len(related) <= LIMIT
    assert target.slug not in [r.story.slug for r in related]
    assert related == RelatedIndex(list(reversed(corpus))).related(target)
    first = related[0]
    assert first.story.started_by == target.started_by and "同じ分野から始まった" in first.reasons
    weights = {"同じ分野から始まった": 3, "同じ都道府県": 2, "同じ規模": 2, "近い規模": 1}
    scores = [sum(weights[reason] for reason in r.reasons) for r in related]
    assert scores == sorted(scores, reverse=True)


def test_remembered_related_stories_are_the_ones_chosen_afresh() -> None:
    """`mkdocs serve` keeps each story's related stories while no story's slug or groups change."""
    import dataclasses

    corpus = _corpus(40)
    retitled = [dataclasses.replace(s, title=s.title + "改") if i == 3 else s for i, s in enumerate(corpus)]
    moved = [dataclasses.replace(s, started_by="poverty") if i == 5 else s for i, s in enumerate(corpus)]
    memory = RelatedMemory()
    kept = []
    for stories in (corpus, retitled, moved, corpus[:-1], corpus):
        remembered, fresh = RelatedIndex(stories, memory), RelatedIndex(stories)
        kept.append(memory.chosen)
        for target in stories:
            assert remembered.related(target) == fresh.related(target)
            assert all(any(r.story is s for s in stories) for r in remembered.related(target))  # this build's story objects
    assert kept[1] is kept[0] and len(kept[0]) == len(corpus), "a new title keeps the choices"
    assert kept[2] is not kept[1], "a new starting field chooses again"


def test_story_page_size_does_not_grow_with_the_collection() -> None:
    small = generate_pages(_corpus(10))
    large = generate_pages(_corpus(300))
    slug = "s0000"
    assert len(large[urls.story(slug)].text()) < 1.3 * len(small[urls.story(slug)].text())


# ------------------------------------------------------------------ failures


def test_every_failure_is_grouped_and_none_is_dropped() -> None:
    stories = [story("a-story"), story("b-story", failures="  - what: 予算が足りなかった\n  - what: なにか別のこと")]
    grouped = group_failures(stories)
    listed = {(entry.story.slug, entry.number) for entries in grouped.values() for entry in entries}
    assert listed == {("a-story", n) for n in range(1, 5)} | {("b-story", 1), ("b-story", 2)}
    assert [g.id for g in groups_of(stories[1], stories[1].failures[0])] == ["funding"]
    assert groups_of(stories[1], stories[1].failures[1]) == [OTHER]


def test_failure_at_a_handover_joins_the_rotation_group() -> None:
    subject = story(failures="  - what: 会議が止まった\n    when: 2021-06")
    assert "rotation" in [g.id for g in groups_of(subject, subject.failures[0])]


# ------------------------------------------------------------------ site and home


def test_generated_pages_cover_every_view() -> None:
    pages = generate_pages([story("a-story"), story("b-story", field="disability", prefecture="北海道")])
    assert urls.story("a-story") in pages and urls.story("b-story") in pages
    for doc in (urls.STARTED_BY_INDEX, urls.SIZE_INDEX, urls.JUSOU_INDEX, urls.STATUS_INDEX, urls.PREFECTURE_INDEX,
                urls.FAILURES, urls.KEYS_GUIDE, "started-by/npo.md", "prefecture/okinawa.md", "size/unknown.md", "jusou/not_using.md"):
        assert doc in pages, doc
    assert list(pages) == list(generate_pages([story("b-story", field="disability", prefecture="北海道"), story("a-story")]))


def test_a_site_without_stories_still_has_every_view() -> None:
    pages = generate_pages([])
    assert urls.FAILURES in pages and "started-by/education.md" in pages
    assert "まだ物語はありません" in pages["started-by/education.md"].text()
    assert "物語 <strong>0</strong>件" in home_parts([])["counts"]


def test_home_recent_stories_newest_first_then_slug() -> None:
    stories = [story("c-story", updated="2025-01-01"), story("a-story", updated="2024-01-01"), story("b-story", updated="2025-01-01")]
    recent = home_parts(stories)["recent"]
    assert re.findall(r"stories/([a-z-]+)\.html", recent) == ["b-story", "c-story", "a-story"]
    filled = fill_home("前\n<!-- norishiro:recent -->\n後", home_parts(stories))
    assert "norishiro:" not in filled and "b-story" in filled


def test_site_date_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from norishiro.plugin import _site_date

    stories = [story(updated="2024-05-06")]
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert _site_date(stories) == "2024-05-06"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _site_date(stories) == date(2023, 11, 14).isoformat()


# ------------------------------------------------------------------ paging


def _resolve(from_doc: str, href: str) -> str:
    import posixpath

    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_doc), href.split("#")[0].split("?")[0]))
    return target.removesuffix(".html") + ".md"


def test_lists_are_paged_with_links_that_resolve_and_pages_that_stay_small() -> None:
    from norishiro.site.html import PER_PAGE

    pages = generate_pages(_corpus(420))
    texts = {path: doc.text() for path, doc in pages.items()}
    paged = [path for path in texts if "-p" in path.rsplit("/", 1)[-1]]
    assert "prefecture/mie-p3.md" in texts and "started-by/education-p3.md" in texts and "failures/other-p9.md" in texts
    # The pace views (format 1.1, landed from another branch) list every story on one page: not paged yet.
    unpaged: set[str] = set()
    for path, text in texts.items():
        if path.startswith("stories/") or path in unpaged:
            continue
        assert text.count('<li class="ns-item') <= PER_PAGE and text.count("<tr>") <= PER_PAGE + 1 + 47, path
        for href in re.findall(r'href="([^"]+)"', text):
            if not href.startswith(("#", "?")) and not href.startswith("search.html") and "search.html" not in href:
                assert _resolve(path, href) in texts, (path, href)
    # Every page of a list is reached from page 1 by its numbered links.
    first = texts["prefecture/mie.md"]
    assert {"mie-p2.html", "mie-p3.html"} <= set(re.findall(r'href="(mie-p\d+\.html)"', first))
    assert 'aria-current="page">1<' in first and "140件のうち1〜50件目" in first
    assert len(paged) > 20
    # The same story is on exactly one page of a list.
    slugs = [s for n in (1, 2, 3) for s in re.findall(r"stories/(s\d+)\.html", texts[urls.page("prefecture/mie.md", n)])]
    assert len(slugs) == len(set(slugs)) == 140


def test_each_failure_once_per_group_across_pages() -> None:
    stories = _corpus(130)
    pages = generate_pages(stories)
    grouped = group_failures(stories)
    for group_id, listed in grouped.items():
        links = []
        number = 1
        while (path := urls.page(urls.failure_group(group_id), number)) in pages:
            links += re.findall(r"stories/(s\d+)\.html#failure-(\d)", pages[path].text())
            number += 1
        assert len(links) == len(set(links)) == len(listed), group_id


def test_empty_categories_read_naturally() -> None:
    pages = generate_pages([story("a-story")])
    tokyo = pages["prefecture/tokyo.md"].text()
    assert "東京都の物語はまだありません" in tokyo and "0の自治体" not in tokyo and "0件" not in tokyo
    index = pages[urls.PREFECTURE_INDEX].text()
    assert "<details" in index and "まだ物語のない都道府県（46）" in index
    assert 'href="../search.html"' in index and 'search.html?q=&amp;pref=tokyo' in tokyo


# ------------------------------------------------- paging on a varied collection


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Story], dict[str, str]]:
    """400 stories of the benchmark corpus (format 1.1 keys: programmes, overlaps, reach groups)."""
    from benchmarks.corpus import make_corpus
    from norishiro.check.collection import check_paths

    folder = tmp_path_factory.mktemp("varied")
    make_corpus(400, folder)
    stories = check_paths([str(folder)]).stories
    assert len(stories) == 400
    return stories, {path: doc.text() for path, doc in generate_pages(stories).items()}


FIXED_PAGES = {urls.KEYS_GUIDE, urls.SEARCH_THESAURUS}  # reference tables that do not grow with the collection


def _list_pages(texts: dict[str, str], first: str) -> list[str]:
    """Every page of a paged list, reached from page 1 by following its numbered links (relative .html hrefs)."""
    found, todo = [], [first]
    while todo:
        path = todo.pop()
        if path in found:
            continue
        found.append(path)
        for nav in re.findall(r'<nav class="ns-pager".*?</nav>', texts[path]):
            todo += [_resolve(path, href) for href in re.findall(r'href="([^"]+)"', nav)]
    return found


def test_no_view_page_grows_past_a_page_of_items(varied: tuple[list[Story], dict[str, str]]) -> None:
    from norishiro.site.html import PER_PAGE

    _, texts = varied
    views = {path: text for path, text in texts.items() if not path.startswith("stories/") and path not in FIXED_PAGES}
    for path, text in views.items():
        for items in re.findall(r'<ul class="ns-list">(.*?)</ul>', text, re.S):
            assert items.count('<li class="ns-item') <= PER_PAGE, path
        for rows in re.findall(r"<tbody>(.*?)</tbody>", text, re.S):
            assert rows.count("<tr>") <= PER_PAGE, path
        assert text.count('<section class="ns-assembly"') <= 2 * PER_PAGE, path
        for href in re.findall(r'href="([^"]+)"', text):
            if not href.startswith(("#", "?")) and "search.html" not in href:
                assert _resolve(path, href) in texts, (path, href)
    largest = max(views, key=lambda path: len(views[path].encode()))
    assert len(views[largest].encode()) < 150_000, largest  # the built page adds the theme's ~30 KB; the limit is 300 KB
    assert len(_list_pages(texts, urls.OVERLAPS)) > 5 and len(_list_pages(texts, urls.PACE_INDEX)) == 8


def test_each_item_once_across_the_pages_of_its_list(varied: tuple[list[Story], dict[str, str]]) -> None:
    from collections import Counter

    stories, texts = varied

    def links(first: str, pattern: str = r'href="[./]*stories/([^"#]+)\.html"') -> Counter[str]:
        return Counter(slug for path in _list_pages(texts, first) for slug in re.findall(pattern, texts[path]))

    every = Counter(s.slug for s in stories)
    assert links(urls.PACE_INDEX) == every and links(urls.PACE_BY_SIZE) == every
    assert links(urls.OVERLAPS) == Counter({s.slug: len(s.overlaps) for s in stories if s.overlaps})
    by_size = "".join(texts[path] for path in _list_pages(texts, urls.PACE_BY_SIZE))
    assert "## 人口1万未満（続き）" in by_size or "## 人口1万未満\n" in by_size
    programme = Counter(p for s in stories for p in s.programmes).most_common(1)[0][0]
    hub = texts[urls.programme(programme)]
    using = [s.slug for s in stories if programme in s.programmes]
    assert len(using) > 50 and f"{len(using)}件あります" in hub  # too long for the hub: its own paged list
    assert f'href="{programme}/using.html"' in hub
    assert links(f"programmes/{programme}/using.md") == Counter(using)
    not_using = [s.slug for s in stories if s.jusou == "not_using"]
    assert len(not_using) > 50 and links("overlaps-without-jusou/not_using.md", r'<h3><a href="[./]*stories/([^"#]+)\.html"') == Counter(not_using)
    short = [p for p in PROGRAMMES.terms if 0 < sum(p.id == s.started_programme for s in stories) <= 50][0]
    started = texts[urls.programme(short.id)].split("## この事業・会議を使っている物語")[0]
    assert Counter(re.findall(r'href="[./]*stories/([^"#]+)\.html"', started)) == Counter(
        s.slug for s in stories if s.started_programme == short.id)  # short enough: listed whole on the hub
