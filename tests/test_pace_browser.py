"""The pace SVG in real headless Chromium: drawn, named for screen readers, kept in print."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from browser import shared_chromium
from norishiro.check.story import check_file
from norishiro.site.pace import timeline_svg

STORY = Path(__file__).resolve().parents[1] / "stories" / "public-health-nurse-three-meetings.md"


@pytest.fixture(scope="module")
def page() -> Any:
    story, _ = check_file(str(STORY))
    assert story is not None
    css = (resources.files("norishiro") / "assets" / "norishiro.css").read_text(encoding="utf-8")
    html = (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>{css}</style></head>'
        f'<body><article class="md-typeset" style="width:700px">{timeline_svg(story)}</article></body></html>'
    )
    browser_page = shared_chromium().new_page(viewport={"width": 900, "height": 700})
    browser_page.set_content(html)
    yield browser_page
    browser_page.close()


def test_the_figure_is_drawn_to_the_column_width(page: Any) -> None:
    box = page.locator("svg.ns-pace__svg").bounding_box()
    assert box is not None and 650 <= box["width"] <= 700 and box["height"] > 100
    marks = page.locator("g.ns-pace__item")
    assert marks.count() == 5
    for index in range(marks.count()):
        mark = marks.nth(index).bounding_box()
        assert mark is not None and mark["width"] > 4 and box["x"] <= mark["x"] <= box["x"] + box["width"]


def test_screen_readers_get_a_name_for_the_picture(page: Any) -> None:
    figure = page.get_by_role("img", name=re.compile("経過の図（2020年度から"))
    assert figure.count() == 1


def test_failures_are_below_the_axis_and_red(page: Any) -> None:
    axis_y = page.locator("svg.ns-pace__svg > line").first.bounding_box()["y"]
    for index in range(page.locator("g.ns-pace__failure").count()):
        failure = page.locator("g.ns-pace__failure").nth(index)
        assert failure.bounding_box()["y"] > axis_y
        assert failure.locator("path").get_attribute("stroke") == "#c62828"


def test_the_figure_prints(page: Any) -> None:
    page.emulate_media(media="print")
    try:
        box = page.locator("svg.ns-pace__svg").bounding_box()
        assert box is not None and box["height"] > 100
        assert page.locator("figure.ns-pace").evaluate("e => getComputedStyle(e).breakInside") == "avoid"
    finally:
        page.emulate_media(media="screen")
