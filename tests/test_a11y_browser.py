"""Accessibility of every page type in real headless Chromium (issue 13).

axe-core (bundled by axe-playwright-python) runs over one page of every kind
listed in norishiro.site.accessibility, the same list the アクセシビリティ方針
page publishes, at each width and in screen and print media; keyboard paths
are walked with real Tab presses.  Without chromium these tests skip locally
and fail in CI (env CI=true).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.harness import DONE
from browser import http_server, shared_chromium, shared_site
from norishiro.check.collection import check_paths
from norishiro.site.accessibility import AXE_TAGS, KEYBOARD_CHECKS, MEDIA, WIDTHS, AuditedPage, audited_pages

REPO = Path(__file__).resolve().parent.parent
PAGES = audited_pages(check_paths([str(REPO / "stories")]).stories)
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}
# The DOM is the same at every width and in print; only the layout changes.
# Every rule runs at the first width on screen; the others rerun the rules
# whose outcome depends on layout (a third of the time of the full set).
LAYOUT_RULES = ("color-contrast", "link-in-text-block", "scrollable-region-focusable", "region", "meta-viewport")
LAYOUT_OPTIONS = {"runOnly": {"type": "rule", "values": list(LAYOUT_RULES)}, "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    shared_chromium()
    with http_server(shared_site(tmp_path_factory)) as url:
        yield url


def _open(browser: Any, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("http://127.0.0.1", "data:")) else route.abort())
    return context


def _goto(page: Any, base: str, audited: AuditedPage) -> None:
    page.goto(base + audited.path)
    if audited.path.startswith("search.html"):
        page.wait_for_selector(DONE, state="attached")


def _violations(page: Any, axe_script: str, options: dict[str, Any]) -> list[str]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_script)
    found = page.evaluate("options => axe.run(document, options)", options)["violations"]
    return [f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}" for v in found]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_any_page_type(base: str, width: int) -> None:
    from axe_playwright_python.base import AXE_SCRIPT

    context = _open(shared_chromium(), width)
    page = context.new_page()
    report: dict[str, list[str]] = {}
    try:
        for audited in PAGES:
            _goto(page, base, audited)
            for media in MEDIA:
                page.emulate_media(media=media)
                full = width == WIDTHS[0] and media == "screen"
                found = _violations(page, AXE_SCRIPT, AXE_OPTIONS if full else LAYOUT_OPTIONS)
                print(f"axe {width}px {media:6} {audited.path}: {len(found)} violations")
                if found:
                    report[f"{audited.path} ({media})"] = found
            page.emulate_media(media="screen")
    finally:
        context.close()
    assert not report, report


def test_audit_covers_every_page_type() -> None:
    paths = [page.path for page in PAGES]
    for needed in ("index.html", "failures.html", "guide/keys.html", "404.html", "accessibility.html", "prefecture/index.html"):
        assert needed in paths
    assert any(path.startswith("stories/") for path in paths)
    assert any(path.startswith("search.html?q=") for path in paths)
    for kind in ("started-by", "size", "jusou", "status", "prefecture"):
        assert f"{kind}/index.html" in paths and any(p.startswith(f"{kind}/") and not p.endswith("index.html") for p in paths)


def test_policy_page_lists_what_the_tests_check(tmp_path_factory: pytest.TempPathFactory) -> None:
    html = (shared_site(tmp_path_factory) / "accessibility.html").read_text(encoding="utf-8")
    assert "アクセシビリティ方針" in html and "JIS X 8341-3:2016" in html
    for page in PAGES:
        assert page.path in html, page.path
    for width in WIDTHS:
        assert f"{width} px" in html
    for check in KEYBOARD_CHECKS:
        assert check in html
    assert "axe-core" in html


# ---- keyboard -------------------------------------------------------------

_FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let node = el.parentElement, bg = [255, 255, 255];
  for (; node; node = node.parentElement) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) { bg = c.slice(0, 3); break; }
  }
  const ring = parse(style.outlineColor).slice(0, 3);
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 30),
    outline: style.outlineStyle, width: parseFloat(style.outlineWidth), contrast: (a + 0.05) / (b + 0.05),
    inMenu: !!el.closest('.md-sidebar--primary'), inMain: !!el.closest('.md-content'),
    visible: rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.left < innerWidth,
  };
}"""


def _tab(page: Any) -> dict[str, Any] | None:
    page.keyboard.press("Tab")
    return page.evaluate(_FOCUS_STATE)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["index.html", "stories/residents-mimamori-8050.html", "guide/keys.html"])
def test_every_focus_stop_shows_a_2px_outline_with_3_to_1_contrast(base: str, width: int, path: str) -> None:
    context = _open(shared_chromium(), width)
    page = context.new_page()
    try:
        page.goto(base + path)
        stops = [state for _ in range(60) if (state := _tab(page)) is not None]
    finally:
        context.close()
    assert len(stops) >= 10
    bad = [s for s in stops if s["outline"] in ("none", "hidden") or s["width"] < 2 or s["contrast"] < 3]
    assert not bad, [(s["tag"], s["text"], s["outline"], s["width"], round(s["contrast"], 2)) for s in bad]


def test_at_320px_tab_skips_the_closed_menu_and_the_menu_button_opens_it(base: str) -> None:
    context = _open(shared_chromium(), 320)
    page = context.new_page()
    try:
        page.goto(base + "index.html")
        stops = [state for _ in range(40) if (state := _tab(page)) is not None]
        assert not [s for s in stops if s["inMenu"]], "Tab walked into the closed menu"
        assert all(s["visible"] for s in stops[:8]), stops[:8]
        names = [s["text"] for s in stops]
        assert "メニュー" in names[:5], names[:5]

        page.goto(base + "index.html")
        for _ in range(names.index("メニュー") + 1):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'visible'")
        page.wait_for_timeout(300)  # Material's slide-in transition
        box = page.locator(".md-sidebar--primary").bounding_box()
        assert box is not None and box["x"] + box["width"] > 100
        opened = [state for _ in range(4) if (state := _tab(page)) is not None]
        assert any(s["inMenu"] and s["visible"] for s in opened), opened
        page.locator(".ns-menu-close").focus()
        page.keyboard.press("Enter")
        page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'")
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_menu_links_are_reachable_at_every_width(base: str, width: int) -> None:
    """Wide: the sidebar is always open; narrow: after the menu button."""
    context = _open(shared_chromium(), width)
    page = context.new_page()
    try:
        page.goto(base + "stories/residents-mimamori-8050.html")
        if width < 1220:
            page.goto(base + "stories/residents-mimamori-8050.html#ns-menu")
        reached = set()
        for _ in range(60):
            state = _tab(page)
            if state and state["inMenu"] and state["visible"]:
                reached.add(state["text"])
        assert {"始めた分野から", "検索", "項目一覧"} <= reached, reached
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_tab_reaches_the_main_content_within_a_few_stops(base: str, width: int) -> None:
    context = _open(shared_chromium(), width)
    page = context.new_page()
    try:
        page.goto(base + "stories/residents-mimamori-8050.html")
        first = _tab(page)
        assert first is not None and first["text"] == "コンテンツにスキップ", first
        page.keyboard.press("Enter")
        landed = _tab(page)
        assert landed is not None and landed["inMain"], landed
    finally:
        context.close()
