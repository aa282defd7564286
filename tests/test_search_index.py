"""Search index, page and query table: checks that need no browser (issue 4)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from benchmarks.harness import load_queries
from norishiro.check.collection import check_paths
from norishiro.check.narrative import read_narrative
from norishiro.format.plaintext import clean
from norishiro.format.vocab import DIFFICULTIES, PROGRAMMES
from norishiro.search import INDEX_PATH, SCRIPT_PATH, STYLE_PATH, index_files, search_assets, search_page_content, searchable_text
from norishiro.search.index import ALPHABET, DOC_PATH, KEYS_PATH, META_PATH, group3, key_hash, story_levels
from norishiro.search.query import keys, normalise, period_keys

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


def _call_args(data: bytes) -> list[object]:
    """The JSON arguments of a generated `window.F&&window.F(a, b)` or `window.X=...` script."""
    text = data.decode()
    if "JSON.parse('" in text:
        start = text.index("JSON.parse('") + len("JSON.parse('")
        literal = re.sub(r"\\(.)", lambda m: m.group(1), text[start : text.rindex("')")])
        return [int(text.split("(", 1)[1].split(",", 1)[0]), json.loads(literal)]
    if text.startswith("window.NORISHIRO_INDEX="):
        return [json.loads(text[len("window.NORISHIRO_INDEX=") : text.rindex(";")])]
    inner = text[text.index("(", text.index("&&")) + 1 : text.rindex(")")]
    return json.loads(f"[{inner}]")


def _index(assets: dict[str, bytes]) -> tuple[dict, list[list[str]], dict[str, str], list]:
    head = _call_args(assets[INDEX_PATH])[0]
    docs = [_call_args(assets[DOC_PATH.format(number=n)])[1] for n in range(head["count"])]
    postings: dict[str, str] = {}
    for n in range(head["shards"]):
        number, shard = _call_args(assets[KEYS_PATH.format(number=n)])
        assert number == n
        postings.update(shard)
    meta = _call_args(assets[META_PATH])[0]
    return head, docs, postings, meta


def _decode(posting: str) -> list[tuple[int, int]]:
    out, story, value, shift = [], -1, 0, 0
    for char in posting:
        digit = ALPHABET.index(char)
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        story += value // 4 + 1
        out.append((story, value % 4))
        value, shift = 0, 0
    return out


def test_assets_are_deterministic_and_independent_of_input_order(stories):
    first = search_assets(stories)
    shuffled = list(stories)
    random.Random(4).shuffle(shuffled)
    assert search_assets(shuffled) == first
    assert {INDEX_PATH, SCRIPT_PATH, STYLE_PATH, META_PATH} <= set(first)
    assert all(isinstance(data, bytes) for data in first.values())


def test_documents_keep_every_searchable_field_in_original_text(stories):
    head, docs, _, _ = _index(search_assets(stories))
    by_slug = {doc[0]: doc for doc in docs}
    for story in stories:
        doc = by_slug[story.slug]
        everything = "\n".join([doc[1], doc[3], doc[5], doc[7]])
        expected = [story.title, story.summary, story.municipality.name, story.municipality.prefecture, *story.tags]
        expected += [item.what for item in story.timeline]
        for failure in story.failures:
            expected += [failure.what, failure.why or "", failure.next or ""]
        expected += [story.workload or "", story.funding or "", story.reach_now or "", story.reach_not_yet or ""]
        expected += [story.started_through or "", story.before or ""]
        for overlap in story.overlaps:  # のりしろ, and the labels of the vocabularies named
            expected += [overlap.who, overlap.effect or "", *(PROGRAMMES.label(p) for p in overlap.combines)]
        expected += [PROGRAMMES.label(p) for p in story.programmes if p != "other_programme"]
        expected += [DIFFICULTIES.label(d) for d in story.difficulties if d != "other_difficulty"]
        # Every date in both forms, however the story wrote it (令和2年4月（2020年4月）).
        expected += [item.when.display() for item in story.timeline]
        for value in expected:
            assert clean(value) in everything, (story.slug, value)
        for _, block in group3(story):
            assert block in doc[7]
        assert story.updated.isoformat() not in doc[2] and f"{story.updated.year}年" in doc[2]  # Japanese dates
        for group, kinds in ((doc[3], doc[4]), (doc[5], doc[6]), (doc[7], doc[8])):
            assert len(group.split("\n")) == len(kinds)
            assert set(kinds) <= set(head["labels"])


def test_ids_follow_the_update_date(stories):
    _, docs, _, _ = _index(search_assets(stories))
    by_slug = {s.slug: s for s in stories}
    order = [(-by_slug[d[0]].updated.toordinal(), d[0]) for d in docs]
    assert order == sorted(order)


def test_postings_list_every_story_with_its_best_level(stories):
    _, docs, postings, _ = _index(search_assets(stories))
    ids = {doc[0]: n for n, doc in enumerate(docs)}
    for story in stories:
        levels = story_levels(story)
        for key, level in levels.items():
            assert (ids[story.slug], level) in _decode(postings[key]), (story.slug, key)
    title_keys = keys(normalise(docs[0][1]))
    assert all((0, 0) in _decode(postings[k]) for k in title_keys)
    for key, posting in postings.items():
        assert postings[key] and key_hash(key) >= 0
        decoded = _decode(posting)
        assert [story for story, _ in decoded] == sorted({story for story, _ in decoded}), key


def test_keys_are_sharded_by_hash(stories):
    assets = index_files(stories, shard_bytes=2_000)
    head, _, postings, _ = _index(assets)
    assert head["shards"] > 10
    for n in range(head["shards"]):
        _, shard = _call_args(assets[KEYS_PATH.format(number=n)])
        assert all(key_hash(key) % head["shards"] == n for key in shard)


def test_dates_are_keys_of_their_periods(stories):
    _, docs, postings, _ = _index(search_assets(stories))
    ids = {doc[0]: n for n, doc in enumerate(docs)}
    story = next(s for s in stories if s.timeline)
    for key in period_keys(story.timeline[0].when):
        assert ids[story.slug] in [n for n, _ in _decode(postings[key])]


def test_facets_use_vocabulary_ids(stories):
    head, docs, _, meta = _index(search_assets(stories))
    keys_ = [facet["key"] for facet in head["facets"]]
    assert keys_ == ["started", "field", "pref", "size", "jusou", "status", "kind", "prog", "diff"]
    by_slug = {s.slug: s for s in stories}
    for n, doc in enumerate(docs):
        story = by_slug[doc[0]]
        values = {}
        for f, key in enumerate(keys_):
            encoded = meta[f]
            if encoded[0] == "s":
                positions = [ALPHABET.index(encoded[1][n])]
            else:
                width = encoded[1]
                mask = sum(ALPHABET.index(c) << (6 * i) for i, c in enumerate(encoded[2][n * width : (n + 1) * width]))
                positions = [v for v in range(mask.bit_length()) if mask >> v & 1]
            values[key] = [head["facets"][f]["values"][v][0] for v in positions]
        assert values["started"] == [story.started_by]
        assert set(values["field"]) == set(story.fields)
        assert values["size"] == [story.municipality.size_band.id]
        assert values["jusou"] == [story.jusou] and values["status"] == [story.status]
        assert values["kind"] == [story.municipality.kind]
        assert set(values["prog"]) == set(story.programmes) and set(values["diff"]) == set(story.difficulties)


def test_first_stage_is_small(stories):
    assets = search_assets(stories)
    assert len(assets[INDEX_PATH]) < 8_000
    assert len(assets[SCRIPT_PATH]) < 120_000


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


def test_thesaurus_page_lists_every_entry_and_the_search_page_links_it(stories):
    from norishiro.format import urls
    from norishiro.format.thesaurus import ENTRIES
    from norishiro.site.generate import generate_pages
    from norishiro.site.thesaurus_page import TITLE, thesaurus_page

    text = thesaurus_page().text()
    assert f"# {TITLE}" in text
    for entry in ENTRIES:
        assert entry.head in text and all(spelling in text for spelling in entry.spellings), entry
    assert urls.SEARCH_THESAURUS in generate_pages(stories)
    assert 'href="search-thesaurus.html"' in search_page_content()
    assert urls.SEARCH_THESAURUS.removesuffix(".md") + ".html" == "search-thesaurus.html"


def test_kept_postings_give_the_same_index_as_a_fresh_build(tmp_path):
    """`mkdocs serve` rewrites only the posting lists an edit changed; the files must equal a full build's."""
    import dataclasses

    from benchmarks.corpus import make_corpus
    from norishiro.search.index import Postings, story_parts, write_index

    make_corpus(40, tmp_path)
    versions = [check_paths([str(tmp_path)]).stories]
    base = versions[0]
    edited = list(base)
    edited[7] = dataclasses.replace(base[7], title=base[7].title + "題名だけの印朧")  # new keys, in one story only
    edited[20] = dataclasses.replace(base[20], summary="短くした要約")  # keys leave, some lists lose this story
    versions += [edited, base, base[:-1], base]  # back again (lists empty out); a story gone and back (ids move)
    made: dict[int, tuple[object, object]] = {}

    def parts(story):  # the serve memo: the same parts object for the same story
        if id(story) not in made:
            made[id(story)] = (story, story_parts(story))
        return made[id(story)][1]

    kept = Postings()
    for number, stories in enumerate(versions):
        files: dict[str, bytes] = {}
        write_index(stories, files.__setitem__, shard_bytes=1_500, parts=parts, kept=kept)
        assert files == index_files(stories, shard_bytes=1_500), number
        if number in (1, 2):
            assert kept.changed, "the edit was applied to the kept lists, not made from nothing"
        if number == 3:
            assert kept.changed is None
