"""Open data, feeds, sitemap and the offline copy of the site built from stories/ (issue 12).

Round trips: every story in stories/ is in stories.json and the CSV files with
the values its page shows; the files are read back with json + jsonschema, csv
(utf-8-sig) and frictionless; feeds with feedparser; the zip is unpacked into a
path with Japanese characters and spaces and searched from file:// in Chromium.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import jsonschema
import pytest

from benchmarks.harness import results
from norishiro.bundle import README_NAME, bundle
from norishiro.check.collection import check_paths
from norishiro.format.dates import day_label
from norishiro.format.model import Story
from norishiro.format.vocab import prefecture_by_name
from norishiro.site.data import JSON_SCHEMA_ID, data_schema
from norishiro.site.story_page import failure_id, timeline_entries
from norishiro.site.tables import FORMULA_START, TABLES, cell_text
from test_site import ROOT, make_project, parse

SITE_URL = "https://norishiro.example/jichitai/"
STORIES = ROOT / "stories"


def build(project: Path, site_url: str | None, dest: str = "site") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("SOURCE_DATE_EPOCH", "NORISHIRO_SITE_URL")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if site_url:
        env["NORISHIRO_SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / dest)],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("opendata") / "project", STORIES)


@pytest.fixture(scope="module")
def site(project: Path) -> Path:
    result = build(project, SITE_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="module")
def folder_build(project: Path) -> tuple[Path, str]:
    """The same stories built without site_url: the site for a shared folder."""
    result = build(project, None, "site-folder")
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site-folder", result.stdout + result.stderr


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    result = check_paths([str(STORIES)])
    assert not result.errors and result.stories
    return sorted(result.stories, key=lambda s: s.slug)


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), f"{path}: no byte-order mark (Excel would read Shift_JIS)"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "").replace('"\n', "").split('"')[0]
    return list(csv.DictReader(io.StringIO(text, newline="")))


def plain(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- stories.json


def test_json_is_valid_against_the_published_schema(site: Path, stories: list[Story]) -> None:
    data = json.loads((site / "data" / "stories.json").read_text(encoding="utf-8"))
    schema = json.loads((site / "data" / "stories.schema.json").read_text(encoding="utf-8"))
    assert schema == data_schema() and schema["$id"] == JSON_SCHEMA_ID
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["format_version"] and data["build_date"] == max(s.updated for s in stories).isoformat()
    assert [s["slug"] for s in data["stories"]] == [s.slug for s in stories]
    broken = json.loads(json.dumps(data))
    broken["stories"][0]["status"]["id"] = "finished"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_json_holds_what_each_story_page_shows(site: Path, stories: list[Story]) -> None:
    data = {s["slug"]: s for s in json.loads((site / "data" / "stories.json").read_text(encoding="utf-8"))["stories"]}
    for story in stories:
        item = data[story.slug]
        page = parse(site / item["page"])
        assert item["url"] == SITE_URL + item["page"]
        assert plain(page.find("h1").text()) == plain(item["title"])
        facts = plain(page.find("dl", "ns-facts").text())
        for shown in (item["municipality"]["name"], item["municipality"]["prefecture"]["label"], item["jusou"]["label"], item["status"]["label"]):
            assert plain(shown) in facts
        times = [t.attrs["datetime"] for t in page.find("ol", "ns-timeline").find_all("time")]
        entries = timeline_entries(story)
        assert times == [entry.when.iso() for entry in entries]
        assert [t["when"]["text"] for t in item["timeline"]] == [t.when.text for t in story.timeline]
        assert [(t["when"]["start"], t["when"]["end"]) for t in item["timeline"]] == [(t.when.start.isoformat(), t.when.end.isoformat()) for t in story.timeline]
        failures = {li.attrs["id"]: li for li in page.find("ol", "ns-failures").find_all("li", "ns-failure")}
        for failure in item["failures"]:
            assert plain(failures[failure["anchor"]].find("p", "ns-failure__what").text()) == plain(failure["what"])
            assert failure["url"] == item["url"] + "#" + failure["anchor"]


# ---------------------------------------------------------------- CSV


def test_csv_files_open_in_excel_and_match_the_json(site: Path, stories: list[Story]) -> None:
    data = {s["slug"]: s for s in json.loads((site / "data" / "stories.json").read_text(encoding="utf-8"))["stories"]}
    for table in TABLES:
        rows = read_csv(site / "data" / f"{table.name}.csv")
        header = next(csv.reader(io.StringIO((site / "data" / f"{table.name}.csv").read_text(encoding="utf-8-sig"))))
        assert all(label.strip() for label in header) and len(set(header)) == len(header)
        assert {row["物語ID"] for row in rows} == set(data)
    for row in read_csv(site / "data" / "stories.csv"):
        item = data[row["物語ID"]]
        assert row["タイトル"] == item["title"] and row["都道府県"] == item["municipality"]["prefecture"]["label"]
        assert row["更新日"] == item["updated"] and row["状況（コード）"] == item["status"]["id"]
        assert row["ページ"] == item["url"] and row["経過の件数"] == str(len(item["timeline"]))
        assert row["記入例"] == ("はい" if item["sample"] else "いいえ")
    timeline = read_csv(site / "data" / "timeline.csv")
    for story in stories:
        mine = [row for row in timeline if row["物語ID"] == story.slug]
        entries = timeline_entries(story)
        assert [row["順番"] for row in mine] == [str(n) for n in range(1, len(entries) + 1)]
        assert [row["時期の最初の日"] for row in mine] == [e.when.start.isoformat() for e in entries]
        assert [row["時期（書いたまま）"] for row in mine] == [e.when.text for e in entries]
        for row, entry in zip(mine, entries, strict=True):
            if entry.failure is not None:
                assert row["ページ"].endswith("#" + failure_id(entry.failure_number)) and row["項目（コード）"] == "failure"
    failures = read_csv(site / "data" / "failures.csv")
    assert len(failures) == sum(len(s.failures) for s in stories)
    for row in failures:
        item = data[row["物語ID"]]
        failure = item["failures"][int(row["番号"]) - 1]
        assert row["うまくいかなかったこと"] == failure["what"] and row["理由"] == (failure["why"] or "")
        assert row["規模（コード）"] == item["municipality"]["size_band"]["id"]
        assert row["重層的支援体制整備事業"] == item["jusou"]["label"]
        page = urlsplit(row["ページ"])
        assert f'id="{page.fragment}"' in (site / page.path.removeprefix(urlsplit(SITE_URL).path)).read_text(encoding="utf-8")


def test_each_prefecture_has_its_own_three_tables(site: Path, stories: list[Story]) -> None:
    everything = {table.name: read_csv(site / "data" / f"{table.name}.csv") for table in TABLES}
    folders = sorted((site / "data" / "prefecture").iterdir())
    assert len(folders) == len({s.municipality.prefecture for s in stories})
    for table in TABLES:
        joined = []
        for folder in folders:
            rows = read_csv(folder / f"{table.name}.csv")
            assert rows and {row["都道府県（コード）"] for row in rows} == {folder.name}
            joined += rows
        assert sorted(joined, key=lambda r: tuple(r.values())) == sorted(everything[table.name], key=lambda r: tuple(r.values()))


def test_datapackage_describes_every_csv_and_frictionless_accepts_it(site: Path, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    descriptor = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    paths = {resource["path"] for resource in descriptor["resources"]}
    assert paths == {str(p.relative_to(site / "data")) for p in (site / "data").rglob("*.csv")}
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    report = frictionless.validate(str(site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    rows = frictionless.Package(str(site / "data" / "datapackage.json")).get_resource("stories").read_rows()
    assert all(isinstance(row["更新日"], type(rows[0]["更新日"])) and row["更新日"].year > 2000 for row in rows)
    # The check can fail: a renamed column is reported.
    copy = tmp_path / "data"
    shutil.copytree(site / "data", copy)
    text = (copy / "stories.csv").read_bytes().replace("タイトル".encode(), "題名".encode(), 1)
    (copy / "stories.csv").write_bytes(text)
    assert not frictionless.validate(str(copy / "datapackage.json")).valid


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx"])
def test_a_cell_that_excel_would_run_is_written_as_text(text: str) -> None:
    assert text.startswith(FORMULA_START)
    assert cell_text(text, "string") == "'" + text
    assert cell_text("2021-04-01", "date") == "2021-04-01" and cell_text(True, "boolean") == "はい"


def test_data_page_lists_files_columns_licence_and_feeds(site: Path) -> None:
    page = parse(site / "data" / "index.html")
    text = page.text()
    assert "CC BY 4.0" in text and "引用" in text
    links = page.links()
    for name in ("stories.json", "stories.schema.json", "stories.csv", "timeline.csv", "failures.csv", "datapackage.json", "../feeds/stories.xml"):
        assert name in links, name
    cells = {td.text() for td in page.find_all("td")}
    assert {"municipality.prefecture", "jusou", "when_start", "failures_count"} <= cells


# ---------------------------------------------------------------- feeds


def test_feeds_parse_and_link_to_pages_and_failure_anchors(site: Path, stories: list[Story]) -> None:
    feed = feedparser.parse((site / "feeds" / "stories.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    assert len(feed.entries) == len(stories)
    newest = sorted(sorted(stories, key=lambda s: s.slug), key=lambda s: s.updated, reverse=True)
    assert [e.link for e in feed.entries] == [f"{SITE_URL}stories/{s.slug}.html" for s in newest]
    assert feed.entries[0].updated.startswith(newest[0].updated.isoformat())
    failures = feedparser.parse((site / "feeds" / "failures.xml").read_bytes())
    assert not failures.bozo and failures.entries
    for entry in failures.entries:
        page, anchor = entry.link.removeprefix(SITE_URL).split("#")
        assert anchor.startswith("failure-") and f'id="{anchor}"' in (site / page).read_text(encoding="utf-8")
    for path in sorted((site / "feeds" / "prefecture").glob("*.xml")):
        here = feedparser.parse(path.read_bytes())
        assert not here.bozo and here.entries
        expected = {s.slug for s in stories if prefecture_by_name(s.municipality.prefecture).romaji == path.stem}
        assert {e.link.rsplit("/", 1)[1].removesuffix(".html") for e in here.entries} == expected


def test_pages_link_to_their_feeds(site: Path, stories: list[Story]) -> None:
    story = stories[0]
    page = parse(site / "stories" / f"{story.slug}.html")
    feeds = [link.attrs["href"] for link in page.find_all("link") if link.attrs.get("type") == "application/atom+xml"]
    assert len(feeds) == 3  # the collection's two and the prefecture's
    for href in feeds:
        assert (site / "stories" / href).resolve().is_file()
    home = parse(site / "index.html").find("p", "ns-feeds")
    assert home.links() == ["feeds/stories.xml"]
    assert parse(site / "failures.html").find("p", "ns-feeds").links() == ["feeds/failures.xml"]


def test_without_site_url_there_are_no_feeds_and_no_sitemap(folder_build: tuple[Path, str]) -> None:
    folder, log = folder_build
    assert not (folder / "feeds").exists()
    assert not (folder / "sitemap.xml").exists() and not (folder / "sitemap.xml.gz").exists()
    assert log.count("site_url がないため") == 1
    data = json.loads((folder / "data" / "stories.json").read_text(encoding="utf-8"))
    assert data["site_url"] is None and all(s["url"] is None for s in data["stories"])
    assert read_csv(folder / "data" / "stories.csv")[0]["ページ"].startswith("stories/")
    assert "application/atom+xml" not in (folder / "index.html").read_text(encoding="utf-8")


def test_sitemap_has_absolute_urls_of_existing_pages(site: Path, stories: list[Story]) -> None:
    import gzip
    import xml.etree.ElementTree as ET

    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in root.findall("s:url", ns)}
    assert urls
    for loc in urls:
        assert loc.startswith(SITE_URL) and (site / loc.removeprefix(SITE_URL)).is_file(), loc
    for story in stories:
        assert urls[f"{SITE_URL}stories/{story.slug}.html"] == story.updated.isoformat()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == (site / "sitemap.xml").read_bytes()
    mtime = int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little")  # the gzip header's time: the newest story
    newest = max(s.updated for s in stories)
    assert mtime == int(datetime(newest.year, newest.month, newest.day, tzinfo=UTC).timestamp())


def test_two_builds_are_byte_identical_with_data_and_feeds(project: Path, site: Path) -> None:
    result = build(project, SITE_URL, "site-again")
    assert result.returncode == 0, result.stderr

    def tree(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = tree(site), tree(project / "site-again")
    assert sorted(first) == sorted(second)
    assert any(name.startswith("feeds/") for name in first) and "data/stories.json" in first
    assert [name for name in first if first[name] != second[name]] == []


# ---------------------------------------------------------------- paper


def test_print_line_and_button_are_in_the_story_page(site: Path, stories: list[Story]) -> None:
    story = stories[0]
    html = (site / "stories" / f"{story.slug}.html").read_text(encoding="utf-8")
    head = parse(site / "stories" / f"{story.slug}.html").find("p", "ns-print-head").text()
    assert f"{SITE_URL}stories/{story.slug}.html" in head and "のりしろ" in head
    assert f"更新日 {day_label(story.updated)}" in head and f"（{story.updated.year}年{story.updated.month}月{story.updated.day}日）" in head
    assert "印刷日" in head
    assert "data-ns-print hidden" in html and "Ctrl＋P" in html
    assert "assets/norishiro/print.css" in html and "assets/norishiro/print.js" in html
    assert "@bottom-left" in html


# ---------------------------------------------------------------- the offline copy


def test_bundle_is_deterministic_with_utf8_names_and_a_readme(site: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    bundle(site, first)
    bundle(site, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        names = [info.filename for info in infos]
        assert names[0] == README_NAME and names[1:] == sorted(names[1:])
        assert "index.html" in names and "data/stories.csv" in names
        assert len({info.date_time for info in infos}) == 1
        assert all(info.flag_bits & 0x800 for info in infos if not info.filename.isascii())
        readme = archive.read(README_NAME)
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
    assert "index.html" in readme.decode("utf-8-sig") and "展開" in readme.decode("utf-8-sig")


def test_cli_bundle_refuses_a_folder_without_a_site(tmp_path: Path) -> None:
    from norishiro.cli import main

    assert main(["bundle", "--site", str(tmp_path), "-o", str(tmp_path / "x.zip")]) == 2
    assert not (tmp_path / "x.zip").exists()


def test_unzipped_into_a_japanese_path_the_site_reads_and_searches(site: Path, stories: list[Story], tmp_path: Path) -> None:
    from browser import shared_chromium

    browser: Any = shared_chromium()
    archive = tmp_path / "のりしろ オフライン版.zip"
    bundle(site, archive)
    target = tmp_path / "共有 フォルダ" / "福祉 総合相談課"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(target)
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto((target / "index.html").as_uri())
        assert "のりしろ" in page.title()
        query = stories[0].municipality.name
        found = results(page, target.as_uri() + "/", query)
        assert stories[0].slug in found, (query, found)
        page.goto((target / "data" / "index.html").as_uri())
        assert page.query_selector('a[href="stories.csv"]') is not None
        page.goto((target / "stories" / f"{stories[0].slug}.html").as_uri())
        assert page.is_visible("[data-ns-print]")  # the print button shows when JavaScript runs
        page.emulate_media(media="print")
        assert page.is_visible(".ns-print-head")
        date_text = page.inner_text("[data-ns-print-date]")
        assert "年" in date_text and any(ch.isdigit() for ch in date_text)
    finally:
        context.close()
    assert not errors, errors


def test_print_styles_in_chromium(site: Path) -> None:
    """Without JavaScript: the keyword table prints open, outside links show where they lead."""
    from browser import shared_chromium

    browser: Any = shared_chromium()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((site / "failures.html").as_uri())
        page.emulate_media(media="print")
        assert page.evaluate("document.querySelector('details.ns-keywords table').getBoundingClientRect().height") > 50
        page.goto((site / "failures" / "copying.html").as_uri())  # a group's own (paged) list of failures
        page.emulate_media(media="print")
        after = page.evaluate("getComputedStyle(document.querySelector('.ns-item__source a'), '::after').content")
        assert SITE_URL + "stories/" in after
        assert not page.inner_text("[data-ns-print-date]").replace("年", "").replace("月", "").replace("日", "").strip()  # left blank to write by hand
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()


def test_each_release_carries_the_offline_copy() -> None:
    from test_github import workflow

    flow = workflow("publish.yml")
    assert flow["on"]["release"]["types"] == ["published"]
    build_steps = "\n".join(step.get("run", "") for step in flow["jobs"]["build"]["steps"])
    assert "norishiro bundle --site site --output norishiro-offline.zip" in build_steps
    release = flow["jobs"]["release"]
    assert release["permissions"] == {"contents": "write"} and release["if"] == "github.event_name == 'release'"
    assert 'gh release upload "$TAG" norishiro-offline.zip' in "\n".join(step.get("run", "") for step in release["steps"])
    assert flow["jobs"]["deploy"]["if"] == "github.event_name != 'release'"


def test_streamed_data_files_are_the_same_bytes_as_whole_ones() -> None:
    """The build writes the collection JSON one story at a time and each CSV row by row (memory)."""
    from datetime import date

    from norishiro.opendata import write_collection
    from norishiro.site.data import Publication, collection_object, dumps
    from norishiro.site.tables import csv_files

    stories = check_paths([str(ROOT / "stories")]).stories
    for pub in (Publication("のりしろ", date(2025, 4, 1), None), Publication("のりしろ", date(2025, 4, 1), "https://example.org/n/")):
        for chosen in (stories, stories[:1], []):
            out = io.BytesIO()
            write_collection(out, chosen, pub)
            assert out.getvalue() == dumps(collection_object(chosen, pub))
        files = csv_files(stories, pub)
        for table in TABLES:
            whole = io.StringIO(newline="")
            writer = csv.writer(whole, lineterminator="\r\n")
            writer.writerow([column.label for column in table.columns(pub)])
            writer.writerows([column.cell(row) for column in table.columns(pub)] for row in table.rows(stories))
            assert files[f"data/{table.name}.csv"] == b"\xef\xbb\xbf" + whole.getvalue().encode(), table.name
