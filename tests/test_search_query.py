"""Query analysis and folding: one table of cases, run against the Python reader
(norishiro.search.query, used by the index builder) and the browser's reader
(search-query.js in headless Chromium), so the two cannot drift (issue 10)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import results, write_search_site
from browser import shared_chromium
from norishiro.format.dates import parse_period
from norishiro.format.thesaurus import ENTRIES
from norishiro.search.query import analyse, fold, keys, normalise, period_keys, thesaurus_map

TABLE = Path(__file__).parent / "fixtures" / "search" / "analysis.tsv"
ROWS = list(csv.DictReader((line for line in TABLE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE))
KINDS = {"particles", "facets", "dates", "variants", "slips"}


def _facets(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in filter(None, (text or "").split(";")):
        key, _, values = part.partition("=")
        out[key] = values.split(",")
    return out


def _expected(row: dict[str, str]) -> dict[str, object]:
    return {"terms": (row["terms"] or "").split(), "facets": _facets(row["facets"]), "dates": (row["dates"] or "").split()}


def test_table_covers_every_kind() -> None:
    assert {row["kind"] for row in ROWS} == KINDS
    assert len(ROWS) >= 50


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['kind']}:{r['query']}" for r in ROWS])
def test_python_reader(row: dict[str, str]) -> None:
    analysis = analyse(row["query"])
    assert {"terms": analysis.terms, "facets": analysis.facets, "dates": analysis.dates} == _expected(row)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Any:
    site = write_search_site([], tmp_path_factory.mktemp("query-site"))
    new_page = shared_chromium().new_page()
    results(new_page, site.as_uri() + "/", "")
    yield new_page
    new_page.close()


def test_browser_reader_agrees_with_the_table(page: Any) -> None:
    got = page.evaluate(
        """queries => queries.map(q => { const a = NorishiroQuery.analyse(q);
             return {terms: a.terms, facets: a.facets, dates: a.dates}; })""",
        [row["query"] for row in ROWS],
    )
    wrong = [(row["query"], g, _expected(row)) for row, g in zip(ROWS, got, strict=True) if g != _expected(row)]
    assert not wrong, wrong


FOLD_SAMPLES = [
    "ボランティア・コーディネーター", "ｺｰﾃﾞｨﾈｲﾀｰ", "８，０００人の市", "髙橋さんと第二層協議体", "ヤングケアラ－", "社協（市社会福祉協議会）",
    "令和2年度に始めた「ごちゃまぜ会議」", "ＣＳＷ・ＳＳＷ", "ヴァイオリン教室", "引き籠もりの方へ。", "民生委員・児童委員協議会",
    "𠮷野家の前で", "A型事業所とB型", "ケアマネージャーとケアマネジャー", "フェイスシート",
]


def test_browser_fold_and_keys_agree_with_python(page: Any) -> None:
    got = page.evaluate(
        "texts => texts.map(t => [NorishiroQuery.fold(t), NorishiroQuery.normalise(t), NorishiroQuery.keys(NorishiroQuery.normalise(t))])",
        FOLD_SAMPLES,
    )
    assert got == [[fold(t), normalise(t), keys(normalise(t))] for t in FOLD_SAMPLES]


def test_notation_variants_fold_together() -> None:
    for a, b in [("コーディネーター", "コーディネイター"), ("コーディネーター", "コーディネータ"), ("ボランティア", "ボランテイア"),
                 ("ＮＰＯ", "npo"), ("ﾔﾝｸﾞｹｱﾗｰ", "ヤングケアラー"), ("第二層", "第2層"), ("8,000", "8000")]:
        assert fold(a) == fold(b), (a, b)
    for a, b in [("申込", "申し込み"), ("社協", "社会福祉協議会"), ("居場所作り", "居場所づくり"), ("子供", "こども"), ("保健士", "保健師")]:
        assert normalise(a) == normalise(b), (a, b)
    assert normalise("協議会") != normalise("協議")


def test_thesaurus_spellings_are_distinct_and_chains_resolve() -> None:
    mapping = thesaurus_map()
    heads = set(mapping.values())
    assert all(mapping.get(head, head) == head for head in heads)  # no head reads as another
    assert mapping[fold("重曹")] == fold("重層的支援体制整備事業")
    for entry in ENTRIES:
        assert entry.spellings, entry
        assert len(set(entry.spellings)) == len(entry.spellings), entry


def test_period_keys_use_fiscal_years() -> None:
    assert "@f2020" in period_keys(parse_period("令和2年度")) and "@f2019" not in period_keys(parse_period("令和2年度"))
    assert set(period_keys(parse_period("2021年2月"))) >= {"@y2021", "@f2020", "@m202102"}
    assert "@f2021" not in period_keys(parse_period("2021年3月"))
    assert "@f2021" in period_keys(parse_period("2021年4月"))
