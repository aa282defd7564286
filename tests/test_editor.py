"""「物語を書く」: the offline editor page, in real Chromium.

The shared rule table (tests/fixtures/editor/cases.json) runs here against the
Python checker and the page's checker; stories written by others load and save
without loss; a story typed from scratch saves as a file `check --strict` accepts.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser import REPO, build_site, http_server, shared_chromium
from editor_cases import BODY, apply, load_cases, python_findings
from norishiro.check import privacy
from norishiro.check.story import check_file
from norishiro.contribute import editor
from norishiro.format.keys import KEYS

CASES = load_cases()
ROUND_TRIP = sorted((REPO / "stories").glob("*.md")) + sorted((REPO / "tests" / "fixtures" / "good").glob("*.md")) + sorted((REPO / "tests" / "fixtures" / "editor").glob("*.md"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared_chromium()  # skips (or fails in CI) before the build when there is no browser
    return build_site(tmp_path_factory.mktemp("editor-site"))


@pytest.fixture(scope="module")
def context(site: Path) -> Iterator[Any]:
    """One browser context; every request it makes is recorded."""
    ctx = shared_chromium().new_context(accept_downloads=True)
    ctx.requests = []  # type: ignore[attr-defined]
    ctx.on("request", lambda request: ctx.requests.append(request.url))  # type: ignore[attr-defined]
    yield ctx
    ctx.close()


@pytest.fixture()
def page(context: Any, site: Path) -> Iterator[Any]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((site / "write.html").as_uri())
    page.wait_for_selector("#ns-editor[data-state=ready]")
    yield page
    page.evaluate("localStorage.clear()")
    page.close()
    assert not errors, errors


# ---------------------------------------------------------------- the data


def test_data_covers_every_key_and_privacy_rule() -> None:
    data = editor.editor_data()
    paths: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        for child in node.get("children", []):
            paths.append(child["path"])
            walk(child)
        if "item" in node:
            walk(node["item"])

    walk(data["keys"])
    assert set(KEYS) <= set(paths)
    assert [rule["id"] for rule in data["privacy"]["rules"]] == [rule.id for rule in privacy.RULES]


def test_python_patterns_become_javascript_sources() -> None:
    assert editor.python_regex_to_js(r"(?P<hit>\d{1,4})\D") == r"(?<hit>\p{Nd}{1,4})\P{Nd}"
    assert editor.python_regex_to_js(r"\\d") == r"\\d"


# ---------------------------------------------------------------- the shared rule table


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_rule_table_in_python(case: dict[str, Any], tmp_path: Path) -> None:
    assert python_findings(case, tmp_path) == case["expect"]


def test_rule_table_in_the_browser(page: Any) -> None:
    inputs = [{"name": c["name"], "model": apply(c), "body": c.get("body", BODY)} for c in CASES]
    found = page.evaluate(
        "cases => cases.map(c => NorishiroEditor.check(c.model, c.body).map(f => [f.rule, f.message]).sort())", inputs
    )
    mismatched = {case["name"]: (got, case["expect"]) for case, got in zip(CASES, found, strict=True) if sorted(got) != case["expect"]}
    assert not mismatched, json.dumps(mismatched, ensure_ascii=False, indent=1)


def test_dates_are_shown_back_as_read(page: Any) -> None:
    labels = page.evaluate("['令和3年度', '2021年6月', 'R3.6', 'h31.4', '2021'].map(t => NorishiroEditor.periodLabel(NorishiroEditor.parsePeriod(t)))")
    assert labels == ["令和3年度（2021年度）", "2021年6月", "令和3年6月（2021年6月）", "平成31年4月（2019年4月）", "2021年"]


# ---------------------------------------------------------------- writing from scratch


def _type(page: Any, selector: str, text: str) -> None:
    page.focus(selector)
    page.keyboard.type(text)


def test_fill_the_form_by_keyboard_and_save_a_clean_file(page: Any, tmp_path: Path) -> None:
    _type(page, "#ns-f-title", "こども食堂から始まった見守り")
    _type(page, "#ns-f-summary", "社協のこども食堂に来る子どもの家の困りごとから、市の相談につながる道ができた。")
    _type(page, "#ns-f-municipality-name", "架空市")
    page.select_option("#ns-f-municipality-prefecture", "三重県")
    page.select_option("#ns-f-municipality-kind", "city")
    _type(page, "#ns-f-municipality-population", "52000")
    page.select_option("#ns-f-jusou", "preparing")
    page.select_option("#ns-f-started_by-field", "shakyo")
    for term in ("child", "shakyo"):
        page.focus(f"#ns-f-fields-{term}")
        page.keyboard.press("Space")
    page.select_option("#ns-f-status", "ongoing")
    for number, (when, what) in enumerate([("令和3年度", "こども食堂を始めた"), ("R4.6", "市の相談窓口と月1回の打ち合わせを始めた")], start=1):
        page.focus("#ns-f-timeline + .ns-ed-add, #ns-f-timeline .ns-ed-add")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == f"ns-f-timeline-{number}-when"
        page.keyboard.type(when)
        page.keyboard.press("Tab")
        page.keyboard.type(what)
    assert page.text_content("#ns-f-timeline-2-when-read") == "読み取り: 令和4年6月（2022年6月）"
    page.focus("#ns-f-failures .ns-ed-add")
    page.keyboard.press("Enter")
    page.keyboard.type("最初は学校に案内を配らなかった")
    _type(page, "#ns-f-failures-1-when", "2022年")
    _type(page, "#ns-f-updated", "2025-04-01")
    page.focus("#ns-f-sample")
    page.keyboard.press("Space")
    assert "エラーも警告もありません" in page.text_content("#ns-ed-summary")
    assert page.input_value("#ns-ed-slug") == "mie-city-shakyo"  # a kanji title: made from the facts
    preview = page.text_content("#ns-ed-preview")
    assert "令和4年6月（2022年6月）" in preview and "うまくいかなかったこと" in preview
    page.focus("#ns-ed-slug")
    page.keyboard.press("Control+A")
    page.keyboard.type("kaku-city-kodomo-shokudo")
    with page.expect_download() as download:
        page.focus("#ns-ed-save")
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "kaku-city-kodomo-shokudo.md"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    story, findings = check_file(str(saved))
    assert story is not None and findings == [], [f.text() for f in findings]
    assert [item.when.label() for item in story.timeline] == ["令和3年度（2021年度）", "令和4年6月（2022年6月）"]
    assert story.fields == ("child", "shakyo") and story.sample
    page.wait_for_function("document.getElementById('ns-ed-draft').textContent.includes('下書きを保存しました')")


def test_errors_and_warnings_show_at_the_field(page: Any) -> None:
    _type(page, "#ns-f-title", "田中さんの会議")
    _type(page, "#ns-f-municipality-population", "約5万")
    messages = page.text_content("[data-field='title'] .ns-ed-msgs")
    assert "警告[W206] 「田中さん」は実名の可能性があります" in messages
    assert page.get_attribute("#ns-f-municipality-population", "aria-invalid") == "true"
    assert "S109" in page.text_content("[data-field='municipality.population'] .ns-ed-msgs")


def test_romaji_slug_from_kana_title(page: Any) -> None:
    assert page.evaluate("NorishiroEditor.romanise('こどもしょくどう と カフェ')") == "kodomoshokudou-to-kafe"
    assert page.evaluate("NorishiroEditor.suggestSlug({title: 'みまもり'})") == "mimamori"
    assert page.evaluate("NorishiroEditor.suggestSlug({title: '連携会議', municipality: {prefecture: '三重', kind: 'town'}, started_by: {field: 'education'}})") == "mie-town-education"


# ---------------------------------------------------------------- reading files written by others


def _normalised(path: Path) -> Any:
    story, findings = check_file(str(path))
    if story is None:
        return sorted((f.rule, f.message) for f in findings)
    data = dataclasses.asdict(story)
    data.pop("source")
    data["narrative"]["markdown"] = data["narrative"]["markdown"].rstrip("\n")  # the body as written
    return _without_lines(data)


def _without_lines(value: Any) -> Any:
    """Drop where things were written (body_line, each item's line): only content is compared."""
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k not in ("line", "body_line")}
    if isinstance(value, list | tuple):
        return [_without_lines(v) for v in value]
    return value


@pytest.mark.parametrize("path", ROUND_TRIP, ids=[p.name for p in ROUND_TRIP])
def test_open_and_save_again_without_loss(page: Any, path: Path, tmp_path: Path) -> None:
    page.set_input_files("#ns-ed-open", str(path))
    page.wait_for_function("document.querySelector('.ns-ed-live').textContent.includes('開きました')")
    text = page.evaluate("NorishiroEditor.emit(NorishiroEditor.state.model, NorishiroEditor.state.body)")
    again = tmp_path / path.name
    again.write_text(text, encoding="utf-8")
    assert _normalised(again) == _normalised(path), text
    if path.name == "outside-unknown-key.md":
        assert "memo" in page.text_content("#ns-ed-unknown") and page.is_visible("#ns-ed-unknown")
        assert "S102" in page.text_content("#ns-ed-unknown")


def test_opened_file_fills_the_form(page: Any) -> None:
    page.set_input_files("#ns-ed-open", str(REPO / "tests" / "fixtures" / "editor" / "outside-comments-quotes.md"))
    page.wait_for_function("document.querySelector('.ns-ed-live').textContent.includes('開きました')")
    assert page.input_value("#ns-f-municipality-prefecture") == "高知県"
    assert page.input_value("#ns-f-municipality-kind") == "town"
    assert page.is_checked("#ns-f-fields-jusou")
    assert page.input_value("#ns-ed-slug") == "outside-comments-quotes"
    assert "コメント" in page.text_content(".ns-ed-live")


# ---------------------------------------------------------------- drafts, requests, accessibility


def test_draft_survives_a_reload_and_can_be_deleted(page: Any) -> None:
    _type(page, "#ns-f-title", "下書きの確かめ")
    page.wait_for_function("document.getElementById('ns-ed-draft').textContent.includes('下書きを保存しました')")
    page.reload()
    page.wait_for_selector("#ns-editor[data-state=ready]")
    assert page.input_value("#ns-f-title") == "下書きの確かめ"
    page.click("#ns-ed-delete")
    assert page.input_value("#ns-f-title") == ""
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    page.wait_for_selector("#ns-editor[data-state=ready]")
    assert page.input_value("#ns-f-title") == ""


def test_no_request_leaves_the_page(site: Path) -> None:
    with http_server(site) as base:
        ctx = shared_chromium().new_context()
        outside: list[str] = []
        ctx.on("request", lambda request: None if request.url.startswith((base, "data:", "blob:")) else outside.append(request.url))
        page = ctx.new_page()
        page.goto(base + "write.html")
        page.wait_for_selector("#ns-editor[data-state=ready]")
        page.focus("#ns-f-title")
        page.keyboard.type("通信の確かめ")
        with page.expect_download():
            page.click("#ns-ed-save")
        ctx.close()
    assert outside == []


def test_axe_finds_no_violations(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page.focus("#ns-f-title")
    page.keyboard.type("田中さん")
    results = Axe().run(page, context={"include": [["#ns-editor"], ["#ns-ed-next"]]})
    assert results.violations_count == 0, json.dumps([v['nodes'][0]['target'] for v in results.response['violations']]) + results.generate_report()
