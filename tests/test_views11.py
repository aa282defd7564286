"""Pages for format 1.1: のりしろ, programmes, difficulties, prefecture coverage, pace (HTML and SVG inspected)."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import pytest

from norishiro.check.story import check_file
from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.format.municipalities import COUNTS
from norishiro.format.vocab import DIFFICULTIES, PREFECTURES, PROGRAMMES
from norishiro.site.generate import generate_pages
from norishiro.site.pace import SHAPES, span_years, timeline_svg, years_label

TEMPLATE = """\
---
title: {title}
summary: 要約です。
municipality:
  name: {town}
  prefecture: {prefecture}
  kind: {kind}
  population: {population}
{code}jusou: {jusou}
started_by:
  field: health
  through: {through}
fields: [health]
{extra}status: {status}
timeline:
  - when: 2019年度
    what: 始まった
    kind: start
  - when: 2020-06
    what: 担当が替わった
    kind: handover
  - when: 2021年
    what: 広がった
    kind: spread
  - when: 2022-03-15
    what: 種類のないできごと
failures:
  - what: 一つ目の失敗
    when: 2020年度
  - what: 時期のない失敗
updated: 2024-05-01
---
本文。
"""


def make(slug: str, **fields: str) -> Story:
    values = {
        "title": "物語", "town": "架空町", "prefecture": "三重県", "kind": "town", "population": "8000", "code": "",
        "jusou": "not_using", "through": "要対協の実務者会議", "extra": "", "status": "ongoing",
    } | fields
    built, findings = check_file(f"stories/{slug}.md", TEMPLATE.format(**values).encode())
    assert built is not None, findings
    return built


OVERLAPS = """\
programmes: [自立支援協議会]
overlaps:
  - who: 保健師（1人）
    combines: [地域ケア会議, 要対協]
    effect: 同じ家族の話が<b>続けて</b>できた
"""


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    stories = [
        make("small-a", title="小さな町A", code='  code: "24987"\n', extra=OVERLAPS + "reach:\n  groups_now: [ヤングケアラー]\n  groups_not_yet: [8050]\n"),
        make("small-b", title="小さな町B", town="架空谷町", population="5600", code='  code: "249858"\n',
             extra="overlaps:\n  - who: 社会福祉士\n    combines: [yotaikyo, chiiki_care_kaigi, chiiki_care_kaigi]\n"),
        make("city-c", title="大きな市C", town="架空市", kind="city", population="250000", jusou="using", code='  code: "249874"\n',
             extra="reach:\n  groups_now: [eighty_fifty]\n", through="教育と福祉の連携会議", status="ended"),
        make("pref-d", title="県の物語D", town="三重県 地域福祉課", kind="prefecture", population="1700000", jusou="using", code='  code: "240001"\n'),
        make("area-e", title="圏域の物語E", town="架空圏域", kind="area", population="90000", jusou="preparing"),
    ]
    return {path: doc.text() for path, doc in generate_pages(stories).items()}


def test_overlaps_page_groups_by_combination_with_kind_size_and_jusou(pages: dict[str, str]) -> None:
    page = pages[urls.OVERLAPS]
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    assert headings == ["地域ケア会議 ＋ 要保護児童対策地域協議会"]  # both stories carry the same pair (order and repeats ignored)
    assert "（2件）" in page
    assert page.index("架空谷町") < page.index("架空町（")  # smallest town first
    assert "人口5,600人" in page and "町・1万未満" in page and "未実施" in page
    assert "&lt;b&gt;続けて&lt;/b&gt;" in page and "<b>続けて" not in page  # story text is escaped
    assert 'href="programmes/chiiki_care_kaigi.html"' in page


def test_assembly_page_lists_not_using_and_preparing_with_programmes_and_overlaps(pages: dict[str, str]) -> None:
    page = pages[urls.ASSEMBLY]
    assert "## 未実施" in page and "## 移行準備" in page
    assert "小さな町A" in page and "小さな町B" in page and "圏域の物語E" in page
    assert "大きな市C" not in page and "県の物語D" not in page  # using
    assert 'href="programmes/jiritsu_kyogikai.html"' in page  # declared programme
    assert "保健師（1人）" in page and 'href="difficulties/eighty_fifty.html"' in page


def test_programme_pages_show_use_start_and_overlaps(pages: dict[str, str]) -> None:
    assert all(urls.programme(term.id) in pages for term in PROGRAMMES.terms)
    yotaikyo = pages[urls.programme("yotaikyo")]
    started, used = yotaikyo.split("## この事業・会議を使っている物語")[0], yotaikyo.split("## この事業・会議を使っている物語")[1]
    assert "小さな町A" in started and "大きな市C" not in started  # started_by.through names 要対協
    assert "小さな町A" in used and "小さな町B" in used  # combined programmes count as used
    assert "社会福祉士" in yotaikyo.split("## ほかの事業といっしょに回しているのりしろ")[1]
    index = pages[urls.PROGRAMME_INDEX]
    assert re.search(r"要保護児童対策地域協議会</a></td><td>4</td><td>2</td><td>2</td>", index)


def test_difficulty_pages_separate_reached_from_not_yet(pages: dict[str, str]) -> None:
    assert all(urls.difficulty(term.id) in pages for term in DIFFICULTIES.terms)
    page = pages[urls.difficulty("eighty_fifty")]
    now, not_yet = page.split("## まだ届いていない")
    assert "大きな市C" in now and "小さな町A" not in now
    assert "小さな町A" in not_yet and "大きな市C" not in not_yet
    assert re.search(r"8050（高齢の親と、ひきこもりの子）</a></td><td>1</td><td>1</td>", pages[urls.DIFFICULTY_INDEX])


def test_prefecture_page_counts_distinct_codes_and_puts_support_stories_first(pages: dict[str, str]) -> None:
    page = pages[urls.prefecture("mie")]
    assert f"管内の{COUNTS['三重県'].total}市町村のうち、2の市町村の物語があります" in page  # 24987 and 249874 are one town
    assert "2024年1月1日現在" in page and "総務省" in page
    assert page.index("県の物語D") < page.index("圏域の物語E") < page.index("大きな市C")
    assert 'href="../difficulties/young_carer.html"' in page and 'href="../programmes/yotaikyo.html"' in page
    assert "特別区23を含む" in pages[urls.prefecture("tokyo")]


def test_municipality_counts_table_is_complete() -> None:
    assert set(COUNTS) == {p.name for p in PREFECTURES}
    assert sum(c.municipalities for c in COUNTS.values()) == 1718
    assert sum(c.total for c in COUNTS.values()) == 1741


def test_story_page_shows_overlaps_and_svg(pages: dict[str, str]) -> None:
    page = pages[urls.story("small-a")]
    assert "## のりしろと使った事業" in page and "保健師（1人）" in page
    assert page.index('<figure class="ns-pace">') < page.index('<ol class="ns-timeline">')
    assert "のりしろと使った事業" not in pages[urls.story("pref-d")]  # a version 1 story has no such section


def _svg(story: Story) -> ET.Element:
    markup = str(timeline_svg(story))
    figure = ET.fromstring(markup)  # well-formed XML: no stray '<' from story text
    return figure


NS = "{http://www.w3.org/2000/svg}"


def test_svg_is_to_scale_with_fiscal_year_bands_and_shapes() -> None:
    story = make("svg", extra="")
    figure = _svg(story)
    svg = figure.find(f"{NS}svg")
    assert svg is not None and svg.get("role") == "img"
    title = svg.find(f"{NS}title")
    assert title is not None and "2019年度" in (title.text or "") and svg.find(f"{NS}desc") is not None
    bands = [r for r in svg.iter(f"{NS}rect") if r.get("class") == "ns-pace__fy"]
    assert len(bands) == 6  # 2019年度 .. 2024年度 (updated 2024-05)
    widths = [float(r.get("width", 0)) for r in bands]
    assert max(widths) - min(widths) < 1.0  # every fiscal year is as wide as the others
    xs = [float(b.get("x", 0)) for b in bands]
    assert xs == sorted(xs)
    items = [g for g in svg.iter(f"{NS}g") if (g.get("class") or "").startswith("ns-pace__item")]
    assert [g.get("class") for g in items] == [
        "ns-pace__item ns-pace__item--start", "ns-pace__item ns-pace__item--handover",
        "ns-pace__item ns-pace__item--spread", "ns-pace__item ns-pace__item--plain",
    ]
    tags = [next(iter(g)).tag for g in items]  # first child is <title>; shapes follow
    assert tags == [f"{NS}title"] * 4
    shape_tags = [[c.tag for c in g][1] for g in items]
    assert shape_tags == [f"{NS}circle", f"{NS}rect", f"{NS}polygon", f"{NS}circle"]  # start, handover, spread, plain
    failures = [g for g in svg.iter(f"{NS}g") if g.get("class") == "ns-pace__failure"]
    assert len(failures) == 1  # the undated failure has no place on the axis
    cross = failures[0].find(f"{NS}path")
    assert cross is not None and cross.get("stroke") == "#c62828"
    # marks sit at their dates: the 2020-06 item is two months after the 2020年度 band starts
    band_2020 = bands[1]
    handover_x = float(items[1].find(f"{NS}rect").get("x", 0)) + 5  # type: ignore[union-attr]
    expected = float(band_2020.get("x", 0)) + float(band_2020.get("width", 0)) * 61 / 365
    assert abs(handover_x - expected) < 2
    legend = figure.find("figcaption")
    assert legend is not None and "担当交代・異動（四角）" in "".join(legend.itertext()) and "赤い×" in "".join(legend.itertext())
    assert "<script" not in str(timeline_svg(story))


def test_every_kind_has_its_own_shape() -> None:
    assert len(set(SHAPES.values())) == len(SHAPES)


def test_close_marks_are_stacked_in_lanes() -> None:
    story = make("lanes")
    crowded = dataclasses.replace(story, timeline=story.timeline[:1] * 3)
    items = [g for g in _svg(crowded).iter(f"{NS}g") if (g.get("class") or "").startswith("ns-pace__item")]
    ys = {float(g.find(f"{NS}circle").get("cy", 0)) for g in items}  # type: ignore[union-attr]
    assert len(ys) == 3


def test_pace_pages_align_spans_and_group_by_size(pages: dict[str, str]) -> None:
    index, by_size = pages[urls.PACE_INDEX], pages[urls.PACE_BY_SIZE]
    assert index.count('<svg class="ns-span"') == 5 and "<script" not in index
    assert re.findall(r"^## (.+)$", by_size, re.MULTILINE) == ["人口1万未満", "人口5〜10万", "人口20〜50万", "人口50万以上"]
    assert 'href="by-size.html"' in index and 'href="index.html"' in by_size
    assert "2019年度〜2022年3月15日" in index  # the ended story spans to its last item, not to updated
    assert "4年" in index


@pytest.mark.parametrize(("years", "label"), [(0.02, "1か月"), (0.5, "6か月"), (1.0, "1年"), (4.99, "5年"), (2.25, "2年3か月")])
def test_years_label(years: float, label: str) -> None:
    assert years_label(years) == label


def test_span_of_an_ended_story_ends_at_its_last_item() -> None:
    ended = make("ended", status="ended")
    assert round(span_years(ended), 1) == round((ended.timeline[-1].when.end - ended.timeline[0].when.start).days / 365.25, 1)


def test_year_labels_thin_out_on_a_long_span() -> None:
    story = make("long")
    early = dataclasses.replace(story.timeline[0], when=dataclasses.replace(story.timeline[0].when, start=story.timeline[0].when.start.replace(year=1985)))
    long_story = dataclasses.replace(story, timeline=(early, *story.timeline[1:]))
    svg = _svg(long_story).find(f"{NS}svg")
    assert svg is not None
    labels = [int(t.text or 0) for t in svg.iter(f"{NS}text") if (t.text or "").isdigit() and len(t.text or "") == 4]
    assert labels and all(year % 5 == 0 for year in labels)  # 40 years: every fifth year is named
    ticks = [line for line in svg.iter(f"{NS}line") if line.get("y1") != line.get("y2") and line.get("stroke-dasharray") is None]
    assert len(ticks) == 2024 - 1985 + 1  # but every year keeps its tick


def test_the_figure_is_drawing_only() -> None:
    from active_content import active_content

    assert active_content(str(timeline_svg(make("drawing"))), allow_drawings=True) == []
    assert active_content('<svg><a href="x"><text>t</text></a></svg>', allow_drawings=True) == ["<svg><a>"]
    assert active_content('<svg onload="alert(1)"></svg>', allow_drawings=True) == ["<svg onload>"]
    assert active_content("<svg></svg>") == ["<svg>"]  # narrative pages stay strict
