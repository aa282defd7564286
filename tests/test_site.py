"""The built site: `mkdocs build --strict` over a small fixture set of stories.

The site is built once per session (it takes a few seconds); tests read the
HTML with html.parser.  Two more builds check reproducibility and that a
broken story stops the build with the checker's message.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from norishiro.check.collection import check_paths
from norishiro.format.model import Story

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "site" / "stories"
EDIT_BASE = "https://github.com/norishiro-project/norishiro/edit/main/"


# ------------------------------------------------------------------ building


def make_project(dest: Path, stories: Path = FIXTURE) -> Path:
    """A copy of the site sources with the given stories, in dest."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(stories, dest / "stories")
    return dest


def build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project / "site")],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One snapshot of the sources, so that every build here reads the same input."""
    return make_project(tmp_path_factory.mktemp("site") / "project")


@pytest.fixture(scope="session")
def site(project: Path) -> Path:
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def stories() -> dict[str, Story]:
    result = check_paths([str(FIXTURE)])
    assert not result.errors
    return {story.slug: story for story in result.stories}


# ------------------------------------------------------------------ parsing

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str, css: str | None = None) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag and (css is None or css in e.classes)]

    def find(self, tag: str, css: str | None = None) -> Element:
        found = self.find_all(tag, css)
        assert found, f"no <{tag} class={css}>"
        return found[0]

    def links(self) -> list[str]:
        return [a.attrs.get("href", "") for a in self.find_all("a")]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    return builder.root


def content(path: Path) -> Element:
    return parse(path).find("article", "md-content__inner")


def story_links(element: Element, folder: str = "") -> list[str]:
    """Slugs of the story pages an element (on a page in `folder`) links to, in order."""
    targets = [posixpath.normpath(posixpath.join(folder, href)) for href in element.links() if not EXTERNAL.match(href)]
    return [m.group(1) for target in targets if (m := re.fullmatch(r"stories/([a-z0-9-]+)\.html", target))]


# ------------------------------------------------------------------ story pages


def test_every_story_has_a_page_and_none_is_dropped(site: Path, stories: dict[str, Story]) -> None:
    pages = sorted(p.stem for p in (site / "stories").glob("*.html"))
    assert pages == sorted(stories)
    leftovers = [str(p.relative_to(site)) for p in site.rglob("*.html") if "<!--norishiro:" in p.read_text(encoding="utf-8")]
    assert leftovers == []  # every generated HTML block was put back


def test_contract_url_forwards_to_the_story_page(site: Path, stories: dict[str, Story]) -> None:
    for slug in stories:
        forward = (site / "stories" / slug / "index.html").read_text(encoding="utf-8")
        assert f'url=../{slug}.html"' in forward and f'href="../{slug}.html"' in forward
        assert (site / "stories" / f"{slug}.html").is_file()


def test_story_page_holds_timeline_and_failures_in_order(site: Path, stories: dict[str, Story]) -> None:
    for slug, story in stories.items():
        page = content(site / "stories" / f"{slug}.html")
        items = page.find("ol", "ns-timeline").find_all("li")
        texts = [li.text() for li in items]
        plain = [text for li, text in zip(items, texts, strict=True) if "ns-tl--failure" not in li.classes]
        assert len(plain) == len(story.timeline)
        for item, text in zip(story.timeline, plain, strict=True):
            assert item.when.label() in text and item.what in text
        dated = [f for f in story.failures if f.when is not None]
        marked = [text for li, text in zip(items, texts, strict=True) if "ns-tl--failure" in li.classes]
        assert len(marked) == len(dated)
        failures = page.find("ol", "ns-failures").find_all("li")
        assert [li.find("p", "ns-failure__what").text() for li in failures] == [f.what for f in story.failures]


def test_failures_sit_in_the_timeline_where_they_happened(site: Path) -> None:
    page = content(site / "stories" / "alpha-education.html")
    items = page.find("ol", "ns-timeline").find_all("li")
    order = [("F" if "ns-tl--failure" in li.classes else "T") + li.find("time").attrs["datetime"] for li in items]
    assert order == ["F2019-02", "T2019", "T2020-07", "T2022-01", "F2022-01", "T2022", "F2022-06"]
    failure = items[4]
    assert "うまくいかなかったこと" in failure.text()
    assert failure.find("a").attrs["href"] == "#failure-1"
    assert "ns-tl--handover" in items[3].classes and "担当交代・異動" in items[3].text()


def test_story_facts_come_first_with_japanese_labels(site: Path) -> None:
    page = content(site / "stories" / "alpha-education.html")
    facts = {dt.text(): dd.text() for dt, dd in zip(page.find("dl", "ns-facts").find_all("dt"), page.find("dl", "ns-facts").find_all("dd"), strict=True)}
    assert facts["自治体"] == "試験市（三重県）"
    assert facts["種類と規模"] == "市・5〜10万（人口 62,000人）"
    assert facts["重層的支援体制整備事業"] == "実施"
    assert facts["状況"] == "進行中"
    assert facts["始めた分野"] == "教育（始まった場: 特別支援連携会議）"
    assert facts["関わった分野"] == "教育、障がい、子ども・子育て"
    assert facts["いま担っている分野"] == "教育、重層・包括担当"
    assert facts["始める前からあったもの"] == "年2回の特別支援連携会議"
    assert facts["更新日"] == "令和7年9月30日（2025年9月30日）"
    headings = [h.text().strip("¶").strip() for h in page.find_all("h2")]
    assert headings[:6] == ["経過", "うまくいかなかったこと", "負担と財源", "届いている人・まだ届いていない人", "本文", "関連する物語"]


def test_story_text_is_escaped_and_sample_is_marked(site: Path) -> None:
    html = (site / "stories" / "alpha-education.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>試験</b>" not in html
    assert content(site / "stories" / "alpha-education.html").find("div", "ns-sample").text().startswith("架空の記入例")
    assert not content(site / "stories" / "beta-disability.html").find_all("div", "ns-sample")


def test_narrative_headings_sit_under_the_page_sections(site: Path) -> None:
    page = content(site / "stories" / "alpha-education.html")
    assert "きっかけ" in [h.text().strip("¶").strip() for h in page.find_all("h3")]
    assert "# これは見出しではない" in page.find("pre").text()


def test_story_page_links_related_stories_and_its_edit_page(site: Path) -> None:
    page = content(site / "stories" / "alpha-education.html")
    related = story_links(page.find("ul", "ns-list--related"), "stories")
    assert related and "alpha-education" not in related and related[0] == "delta-education"
    assert f"{EDIT_BASE}stories/alpha-education.md" in page.links()


# ------------------------------------------------------------------ browse pages


def test_started_by_lists_started_then_joined(site: Path) -> None:
    page = content(site / "started-by" / "education.html")
    assert story_links(page.find("ul", "ns-list"), "started-by") == ["alpha-education", "delta-education"]
    assert "education-joined.html" in page.links()
    joined = content(site / "started-by" / "education-joined.html")
    assert story_links(joined.find("ul", "ns-list"), "started-by") == ["gamma-residents"]
    index = content(site / "started-by" / "index.html")
    rows = {tr.find("a").text(): [td.text() for td in tr.find_all("td")] for tr in index.find("tbody").find_all("tr")}
    assert rows["教育"][1:] == ["2", "1"]
    assert rows["障がい"][1:] == ["1", "2"]
    assert len(rows) == 19  # every field has a page, with or without stories
    assert all((site / "started-by" / f"{field}.html").is_file() for field in ("npo", "business", "other"))


def test_prefecture_page_lists_its_municipalities(site: Path) -> None:
    page = content(site / "prefecture" / "mie.html")
    rows = page.find("tbody").find_all("tr")
    assert [story_links(row, "prefecture")[0] for row in rows] == ["alpha-education", "beta-disability"]
    assert "障がい、住民・地域団体" in rows[1].text()
    assert story_links(content(site / "prefecture" / "hokkaido.html"), "prefecture") == ["gamma-residents"]
    index = content(site / "prefecture" / "index.html")
    counts = {tr.find("a").text(): [td.text() for td in tr.find_all("td")][1:] for tr in index.find("tbody").find_all("tr")}
    assert counts["三重県"] == ["2", "2"] and counts["高知県"] == ["1", "1"] and "東京都" not in counts
    folded = index.find("details", "ns-empty-values")
    assert "東京都" in folded.text() and len(counts) + len(folded.find_all("a")) == 47
    empty = content(site / "prefecture" / "tokyo.html").text()
    assert "東京都の物語はまだありません" in empty and "0件" not in empty


def test_size_jusou_and_status_views(site: Path) -> None:
    assert story_links(content(site / "size" / "unknown.html"), "size") == ["gamma-residents"]
    assert story_links(content(site / "size" / "50k-100k.html"), "size") == ["alpha-education", "delta-education"]
    assert story_links(content(site / "jusou" / "not_using.html"), "jusou") == ["beta-disability"]
    assert "使わずに" in content(site / "jusou" / "not_using.html").text()
    assert story_links(content(site / "status" / "paused.html"), "status") == ["beta-disability"]
    assert story_links(content(site / "status" / "ended.html"), "status") == ["gamma-residents"]


def _failure_links(site: Path, first: str) -> list[str]:
    """Failure links of every page of a paged failures list, following its numbered links."""
    found, pages, seen = [], [first], set()
    while pages:
        name = pages.pop()
        if name in seen:
            continue
        seen.add(name)
        page = content(site / "failures" / name)
        for items in page.find_all("ul", "ns-list"):
            found += [link.removeprefix("../") for link in items.links() if "#failure-" in link]
        pages += [link for link in page.links() if link.startswith(first.removesuffix(".html") + "-p")]
    return found


def test_failures_index_groups_with_counts_and_each_failure_once_per_group(site: Path, stories: dict[str, Story]) -> None:
    index = content(site / "failures.html")
    groups = [link for link in index.links() if link.startswith("failures/") and "-" not in link.removeprefix("failures/")]
    assert "failures/other.html" in groups and len(groups) == 9
    listed = {group: _failure_links(site, group.removeprefix("failures/")) for group in groups}
    for group, links in listed.items():
        assert len(links) == len(set(links)), group
    every = set().union(*map(set, listed.values()))
    for slug, story in stories.items():
        for number in range(1, len(story.failures) + 1):
            assert f"stories/{slug}.html#failure-{number}" in every
    assert "stories/alpha-education.html#failure-2" in listed["failures/copying.html"]
    assert "stories/alpha-education.html#failure-1" in listed["failures/rotation.html"]
    assert "stories/delta-education.html#failure-1" in listed["failures/funding.html"]
    counts = {tr.find("a").text(): tr.find_all("td")[1].text() for tr in index.find("tbody").find_all("tr")}
    assert counts["財源・予算・費用"] == str(len(listed["failures/funding.html"]))


def test_failure_filters_are_pages_without_javascript(site: Path, stories: dict[str, Story]) -> None:
    index = content(site / "failures.html")
    filters = [link for link in index.links() if link.startswith(("failures/size-", "failures/jusou-", "failures/field-"))]
    assert {"failures/size-50k-100k.html", "failures/jusou-not_using.html", "failures/field-education.html"} <= set(filters)
    for facet, key in (("jusou-", lambda s: s.jusou), ("size-", lambda s: s.municipality.size_band.id)):
        for value in {key(story) for story in stories.values()}:
            links = _failure_links(site, f"{facet}{value}.html")
            expected = {f"stories/{slug}.html#failure-{n}" for slug, s in stories.items() if key(s) == value for n in range(1, len(s.failures) + 1)}
            assert sorted(links) == sorted(expected)
    assert "<script" not in (site / "failures" / "field-education.html").read_text(encoding="utf-8").split("</article>")[0].split("<article")[-1]


def test_home_page_has_counts_entry_points_and_recent_stories(site: Path) -> None:
    page = content(site / "index.html")
    assert "物語 4件" in page.find("ul", "ns-stats").text()
    assert story_links(page.find("ul", "ns-list")) == ["alpha-education", "delta-education", "gamma-residents", "beta-disability"]
    entry = page.find("ul", "ns-entry-points").links()
    assert entry == ["started-by/index.html", "size/index.html", "jusou/index.html", "status/index.html", "prefecture/index.html", "failures.html",
                     "search.html"]
    assert "norishiro:" not in (site / "index.html").read_text(encoding="utf-8")


def test_stories_stay_out_of_the_navigation(site: Path) -> None:
    nav = parse(site / "index.html").find("nav", "md-nav--primary")
    assert not story_links(nav)
    labels = [a.text().strip() for a in nav.find_all("a")]
    assert {"始めた分野から", "都道府県から", "項目一覧", "このサイトについて"} <= set(labels)


# ------------------------------------------------------------------ closed networks, file://


EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
LOADING = {"link": ("href",), "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
           "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",), "track": ("src",),
           "input": ("src",), "form": ("action",)}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]*)|@import\s+['"]([^'"]+)""")


def _css_loads(text: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(text) if not (a or b).startswith("data:")]


def test_nothing_is_loaded_from_another_host(site: Path) -> None:
    problems = []
    for path in sorted(site.rglob("*")):
        where = path.relative_to(site)
        if path.suffix == ".html":
            root = parse(path)
            for element in root.iter():
                for name in LOADING.get(element.tag, ()):
                    if EXTERNAL.match(element.attrs.get(name, "")):
                        problems.append(f"{where}: <{element.tag} {name}={element.attrs[name]}>")
                problems += [f"{where}: style url({u})" for u in _css_loads(element.attrs.get("style", "")) if EXTERNAL.match(u)]
                if element.tag == "style":
                    problems += [f"{where}: <style> url({u})" for u in _css_loads(element.text()) if EXTERNAL.match(u)]
        elif path.suffix == ".css":
            problems += [f"{where}: url({u})" for u in _css_loads(path.read_text(encoding="utf-8")) if EXTERNAL.match(u)]
        elif path.suffix == ".js":
            problems += [f"{where}: {m}" for m in re.findall(r"""["'`](?:https?:)?//[\w.-]+""", path.read_text(encoding="utf-8"))]
    assert not problems, "\n".join(problems)


def test_no_theme_script_that_could_reach_other_hosts(site: Path) -> None:
    assert not (site / "assets" / "javascripts").exists()
    html = (site / "stories" / "alpha-education.html").read_text(encoding="utf-8")
    assert "bundle." not in html and "api.github.com" not in html and "fonts.googleapis" not in html


def test_every_local_link_names_an_existing_file(site: Path) -> None:
    """Relative links to files (never folders) work from a web server and from file://."""
    missing = []
    for path in sorted(site.rglob("*.html")):
        if path.name == "404.html":
            continue  # served by web servers for any path; its links start at the site root
        for element in parse(path).iter():
            for name in ("href", "src"):
                value = element.attrs.get(name)
                if not value or EXTERNAL.match(value) or value.startswith(("#", "mailto:")):
                    continue
                target_path = unquote(urlsplit(value).path)
                if not target_path:
                    continue
                assert not target_path.startswith("/"), f"{path.relative_to(site)}: absolute link {value}"
                target = (path.parent / target_path).resolve()
                if not target.is_file():
                    missing.append(f"{path.relative_to(site)}: {value}")
    assert not missing, "\n".join(missing)


# ------------------------------------------------------------------ reproducible builds


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_give_the_same_bytes(project: Path, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    shutil.copytree(project, again, ignore=shutil.ignore_patterns("site"))
    result = build(again)
    assert result.returncode == 0, result.stderr
    first, second = _tree(site), _tree(again / "site")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_no_empty_sitemap_without_site_url(site: Path) -> None:
    """A sitemap needs absolute URLs; with site_url it is tested in test_opendata.py."""
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()


# ------------------------------------------------------------------ broken stories


def test_a_broken_story_stops_the_build_with_the_checker_message(tmp_path: Path) -> None:
    stories = tmp_path / "stories-in"
    shutil.copytree(FIXTURE, stories)
    text = (FIXTURE / "beta-disability.md").read_text(encoding="utf-8").replace("jusou: not_using", "jusou: maybe")
    (stories / "broken-story.md").write_text(text, encoding="utf-8")
    line = text.splitlines().index("jusou: maybe") + 1
    result = build(make_project(tmp_path / "project", stories))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert re.search(rf"broken-story\.md:{line}:1: エラー\[S106\]", output), output
    assert not (tmp_path / "project" / "site" / "stories" / "alpha-education.html").exists()


def test_a_story_warning_is_shown_but_does_not_stop_the_build(tmp_path: Path) -> None:
    stories = tmp_path / "stories-in"
    shutil.copytree(FIXTURE, stories)
    text = (FIXTURE / "beta-disability.md").read_text(encoding="utf-8").rstrip("\n") + "\n\n担当は山田さんでした。\n"
    (stories / "beta-disability.md").write_text(text, encoding="utf-8")
    result = build(make_project(tmp_path / "project", stories))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(rf"beta-disability\.md:{len(text.splitlines())}:4: 警告\[W206\]", output), output


@pytest.mark.parametrize(
    "html",
    [
        '<p>a</p><img src="x" onerror="alert(1)">',
        "<p><script>alert(1)</script></p>",
        '<p><a href="java&#115;cript:alert(1)">x</a></p>',
        "<iframe src='https://example.org'></iframe>",
        '<a href=" data:text/html,x">x</a>',
        '<details open ontoggle="alert(1)"><summary>x</summary></details>',
        '<p class="ns-sample">偽の注記</p><div style="position:fixed">x</div>',
    ],
)
def test_the_sanitizer_leaves_no_active_content(html: str) -> None:
    from norishiro.check.narrative import sanitize

    cleaned = sanitize(html)
    assert not re.search(r"<(script|iframe|details|summary)|\son\w+=|javascript|data:|ns-sample|position", cleaned), cleaned


def test_the_sanitizer_keeps_what_the_renderer_makes() -> None:
    from norishiro.check.narrative import sanitize

    html = '<h3>経過</h3><p><a href="https://example.org">x</a> <a href="#fn1">y</a> <code>&lt;script&gt;</code></p>'
    assert sanitize(html) == html
