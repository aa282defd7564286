"""Search index, page and query table: checks that need no browser (issue 4)."""

from __future__ import annotations

import gzip
import json
import random
import re
from pathlib import Path

import pytest

from benchmarks.harness import load_queries
from norishiro.check.collection import check_paths
from norishiro.check.narrative import read_narrative
from norishiro.format.plaintext import clean
from norishiro.search import INDEX_PATH, SCRIPT_PATH, STYLE_PATH, index_files, search_assets, search_page_content, searchable_text
from norishiro.search.index import group3

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "tests" / "fixtures" / "search" / "queries.tsv"
KINDS = {
    "whole",
    "compound",
    "width",
    "kana",
    "variant-shogai",
    "variant-kodomo",
    "variant-hikikomori",
    "and",
    "place",
    "tag",
    "failure",
    "narrative",
}


@pytest.fixture(scope="module")
def stories():
    result = check_paths([str(REPO / "stories")])
    assert result.stories, "no sample stories"
    return result.stories


def _js_json(data: bytes, prefix: str) -> object:
    """Read back the JSON.parse('...') argument of an index script."""
    text = data.decode()
    start = text.index("JSON.parse('") + len("JSON.parse('")
    end = text.rindex("')")
    assert text.startswith(prefix)
    literal = re.sub(r"\\(.)", lambda m: m.group(1), text[start:end])
    return json.loads(literal)


def _index(assets: dict[str, bytes]) -> tuple[dict, list[list[str]]]:
    head = _js_json(assets[INDEX_PATH], "window.NORISHIRO_INDEX=")
    texts: list[list[str]] = [record[6:] for record in head["stories"]]
    for url in head["shards"]:
        path = url.split("?")[0]
        data = assets[path].decode()
        first = int(re.match(r"window\.NORISHIRO_TEXT_SHARD&&window\.NORISHIRO_TEXT_SHARD\((\d+),", data).group(1))
        for offset, record in enumerate(_js_json(assets[path], "window.NORISHIRO_TEXT_SHARD")):
            texts[first + offset] = record
    return head, texts


def test_assets_are_deterministic_and_independent_of_input_order(stories):
    first = search_assets(stories)
    shuffled = list(stories)
    random.Random(4).shuffle(shuffled)
    assert search_assets(shuffled) == first
    assert {INDEX_PATH, SCRIPT_PATH, STYLE_PATH} <= set(first)
    assert all(isinstance(data, bytes) for data in first.values())


def test_index_keeps_every_searchable_field_in_original_text(stories):
    head, texts = _index(search_assets(stories))
    by_slug = {record[0]: (record, texts[i]) for i, record in enumerate(head["stories"])}
    for story in stories:
        record, text = by_slug[story.slug]
        everything = "\n".join([record[1], record[4], text[0], text[2]])
        expected = [story.title, story.summary, story.municipality.name, story.municipality.prefecture, *story.tags]
        expected += [item.what for item in story.timeline]
        for failure in story.failures:
            expected += [failure.what, failure.why or "", failure.next or ""]
        expected += [story.workload or "", story.funding or "", story.reach_now or "", story.reach_not_yet or ""]
        expected += [story.started_through or "", story.before or ""]
        for value in expected:
            assert clean(value) in everything, (story.slug, value)
        for _, block in group3(story):
            assert block in text[2]
        assert record[2] == story.updated.isoformat()
        # One kind letter per segment, every kind labelled.
        for group, kinds in ((record[4], record[5]), (text[0], text[1]), (text[2], text[3])):
            assert len(group.split("\n")) == len(kinds)
            assert set(kinds) <= set(head["labels"])


def test_large_sites_load_their_text_in_shards(stories):
    small = search_assets(stories)
    assert [path for path in small if "search-text" in path] == []
    split = index_files(stories, inline_bytes=0, shard_bytes=20_000)
    shards = sorted(path for path in split if "search-text" in path)
    assert len(shards) > 1
    head, texts = _index(split)
    assert [len(record) for record in head["stories"]] == [6] * len(stories)
    assert [path.split("?")[0] for path in head["shards"]] == shards
    _, inline = _index(small)
    assert texts == inline  # the same text either way


def test_facets_use_vocabulary_ids(stories):
    head, _ = _index(search_assets(stories))
    keys = [facet["key"] for facet in head["facets"]]
    assert keys == ["started", "field", "pref", "size", "jusou", "status"]
    for record, story in zip(head["stories"], sorted(stories, key=lambda s: s.slug), strict=True):
        values = {key: [head["facets"][f]["values"][v][0] for v in record[3][f]] for f, key in enumerate(keys)}
        assert values["started"] == [story.started_by]
        assert set(values["field"]) == set(story.fields)
        assert values["size"] == [story.municipality.size_band.id]
        assert values["jusou"] == [story.jusou] and values["status"] == [story.status]


def test_index_is_no_larger_than_the_story_files(stories):
    assets = search_assets(stories)
    index = sum(len(data) for path, data in assets.items() if "search-index" in path or "search-text" in path)
    files = sum(Path(story.source).stat().st_size for story in stories)
    text = sum(len(searchable_text(story).encode()) for story in stories)
    assert index <= files
    assert index <= 1.15 * text  # the text itself plus a little structure
    assert len(gzip.compress(assets[INDEX_PATH])) < len(assets[INDEX_PATH]) / 2


def test_markdown_is_reduced_to_the_words_a_reader_sees():
    body = (
        "## きっかけ\n\n"
        "**自立支援協議会**の部会で、[地域の会議](https://example.jp/a_b)に\n"
        "参加しました。`コード`と_強調_と~~取消~~。\n\n"
        "- 項目その一\n- 項目 *その二*\n\n"
        "> 引用の\n> 文です\n\n"
        "| 列1 | 列2 |\n| --- | --- |\n| 値1 | 値2 |\n\n"
        "<!-- 見えない注記 -->\n"
        "Line one\nline two \\*star\\*\n"
    )
    blocks = list(read_narrative(body, 1)[0].blocks)
    assert blocks[0] == ("h", "きっかけ")
    texts = [text for _, text in blocks]
    # CommonMark keeps _ between two Japanese characters as written, and so does the page
    assert "自立支援協議会の部会で、地域の会議に参加しました。コードと_強調_と取消。" in texts
    assert "項目その一" in texts and "項目 その二" in texts
    assert "引用の文です" in texts
    assert "値1 値2" in texts
    assert "Line one line two *star*" in texts
    assert not any("見えない" in text or "https" in text for text in texts)


def test_search_page_content():
    page = search_page_content()
    assert page.startswith("---\ntitle: 検索\n")
    for needle in ('id="norishiro-search"', 'name="q"', 'id="ns-results"', 'id="ns-facets"', 'id="ns-status"'):
        assert needle in page
    assert f'<script src="{INDEX_PATH}"></script>' in page and f'<script src="{SCRIPT_PATH}"></script>' in page
    assert INDEX_PATH.startswith("assets/norishiro/")
    # One raw HTML block: a blank line inside would end it for Python-Markdown.
    html = page.split("# 検索\n\n", 1)[1]
    assert "\n\n" not in html.strip()


def test_header_partial_is_a_plain_form_to_search_html():
    partial = (REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    assert "action=\"{{ 'search.html' | url }}\"" in partial and 'method="get"' in partial
    assert 'name="q"' in partial and ">検索<" in partial
    header = (REPO / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    assert '{% include "partials/search.html" %}' in header
    assert '"material/search" in config.plugins' not in header


def test_script_is_es5():
    script = search_assets([])[SCRIPT_PATH].decode()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    code = re.sub(r"'(?:[^'\\\n]|\\.)*'", "''", code)  # string contents
    # No arrow functions, let/const, template strings, classes, spread, u/y regex flags.
    for pattern in (r"=>", r"\blet\s", r"\bconst\s", r"`\w", r"\bclass\s", r"\.\.\.\w", r"/[gim]*[uys][gim]*[;,)]"):
        assert not re.search(pattern, code), pattern


def test_query_table_covers_every_kind_with_real_stories(stories):
    queries = load_queries(QUERIES)
    slugs = {story.slug for story in stories}
    assert len(queries) >= 40
    assert {q.kind for q in queries} >= KINDS
    assert any("\u3000" in q.query for q in queries if q.kind == "and")
    for query in queries:
        assert query.expected in slugs, query
    by_slug = {story.slug: story for story in stories}
    for query in (q for q in queries if q.kind == "narrative"):
        story = by_slug[query.expected]
        body = "\n".join(text for _, text in group3(story))
        rest = searchable_text(story).replace(body, "")
        assert query.query in body and query.query not in rest, query
