"""What the MkDocs plugin adds for open data, feeds, paper and the sitemap.

The plugin calls one method per MkDocs event; the files and page pieces come
from norishiro.site (data, tables, feeds, data_page, paper).  Feeds and the
sitemap need absolute URLs: without `site_url` both are left out, with one
line in the build log saying why.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import posixpath
import re
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from norishiro.format import urls
from norishiro.format.memo import Memo, no_memo
from norishiro.format.model import Story
from norishiro.format.vocab import prefecture_by_name
from norishiro.output import Output
from norishiro.site.data import JSON_PATH, JSON_SCHEMA_PATH, Publication, collection_object, data_schema, dumps, story_object
from norishiro.site.data_page import DATA_PAGE, data_page
from norishiro.site.document import Document
from norishiro.site.feeds import FAILURES_FEED, STORIES_FEED, Feed, feed_files, feeds_for, prefecture_feed
from norishiro.site.paper import PRINT_CSS, PRINT_JS, PRINT_TOOLS, page_footer_style, print_head
from norishiro.site.tables import by_prefecture, csv_writers, package_for

log = logging.getLogger("mkdocs.plugins.norishiro")

NO_SITE_URL = (
    "mkdocs.yml に site_url がないため、Atom フィードと sitemap.xml は作りません"
    "（どちらにも https:// で始まる URL が要るためです。フォルダから開くサイトはそのまま使えます）"
)
SITEMAPS = ("sitemap.xml", "sitemap.xml.gz")
_HREF = re.compile(r'<a (?![^>]*\bclass="headerlink")([^>]*?)href="([^"#:][^":]*?)"')


def configure(config: MkDocsConfig) -> None:
    if PRINT_CSS not in config.extra_css:
        config.extra_css.append(PRINT_CSS)
    if PRINT_JS not in [str(script) for script in config.extra_javascript]:
        config.extra_javascript.append(PRINT_JS)


class OpenData:
    """The data files, feeds and print pieces of one build."""

    def __init__(self, stories: Sequence[Story], config: MkDocsConfig, build_date: date, memo: Memo = no_memo) -> None:
        self.stories = list(stories)
        self.memo = memo
        self.pub = Publication(config.site_name, build_date, config.site_url or None)
        self.by_doc = {urls.story(story.slug): story for story in self.stories}
        self.feeds = feeds_for(self.stories, self.pub.site_name) if self.pub.site_url else []
        if not self.pub.site_url:
            log.info(NO_SITE_URL)

    def pages(self) -> dict[str, Document]:
        return {DATA_PAGE: data_page(self.stories, self.pub)}

    def write_files(self, output: Output) -> list[tuple[str, str]]:
        """Write every file added to the site, one at a time (the collection JSON one story
        at a time); return (site-relative path, path written) of each."""
        written: list[tuple[str, str]] = []

        def write(relative: str, data: bytes) -> None:
            written.append((relative, output.write(relative, data)))

        def stream(relative: str, writer: Callable[[BinaryIO], None]) -> None:
            with output.open(relative) as handle:
                writer(handle)
            written.append((relative, str(output.path(relative))))

        stream(JSON_PATH, lambda handle: write_collection(handle, self.stories, self.pub, self.memo))
        write(JSON_SCHEMA_PATH, _schema_bytes())
        for relative, writer in csv_writers(self.stories, self.pub, self.memo):
            stream(relative, writer)
        write("data/datapackage.json", _package_bytes(tuple(by_prefecture(self.stories)), self.pub))
        for relative, data in feed_files(self.stories, self.pub).items():
            write(relative, data)
        for relative in (PRINT_CSS, PRINT_JS):
            write(relative, resources.files("norishiro").joinpath("assets", posixpath.basename(relative)).read_bytes())
        return written

    def _page_feeds(self, doc: str) -> list[Feed]:
        """The feeds a page links to: the two of the collection, and its prefecture's."""
        if not self.feeds:
            return []
        wanted = {STORIES_FEED, FAILURES_FEED}
        story = self.by_doc.get(doc)
        if story is not None:
            wanted.add(prefecture_feed(prefecture_by_name(story.municipality.prefecture).romaji))
        wanted.update(feed.path for feed in self.feeds if feed.page == doc)
        return [feed for feed in self.feeds if feed.path in wanted]

    def page_content(self, html: str, page: Page) -> str:
        """The print line before the content; feed links after it."""
        doc = page.file.src_uri
        updated = date.fromisoformat(page.update_date) if getattr(page, "update_date", None) else None
        head = print_head(self.pub.site_name, self.pub.page_url(doc), updated)
        own = [feed for feed in self.feeds if feed.page == doc]
        if own:
            here = posixpath.dirname(doc)
            links = "、".join(f'<a href="{posixpath.relpath(feed.path, here or ".")}">{html_lib.escape(feed.title)}</a>' for feed in own)
            html += f'\n<p class="ns-feeds">更新のお知らせ（Atom フィード）: {links}</p>'
        return head + "\n" + html

    def post_page(self, output: str, page: Page) -> str:
        """Feed links and the print footer in the head; the print button on story pages; absolute link targets for paper."""
        doc = page.file.src_uri
        here = posixpath.dirname(doc) or "."
        updated = date.fromisoformat(page.update_date) if getattr(page, "update_date", None) else None
        head = [page_footer_style(self.pub.site_name, updated)]
        head += [
            f'<link rel="alternate" type="application/atom+xml" title="{html_lib.escape(feed.title)}" href="{posixpath.relpath(feed.path, here)}">'
            for feed in self._page_feeds(doc)
        ]
        output = output.replace("</head>", "\n".join(head) + "\n</head>", 1)
        if doc in self.by_doc:  # story pages: after their title, which is one of the page's filled-in blocks
            output = output.replace("</h1>", "</h1>\n" + PRINT_TOOLS, 1)
        page_url = self.pub.page_url(doc)
        if page_url:
            output = _absolute_targets(output, page_url)
        return output

    def post_build(self, site_dir: str) -> None:
        """Never an empty sitemap: without site_url (or with no page in it) there is none."""
        site = Path(site_dir)
        sitemap = site / "sitemap.xml"
        if not self.pub.site_url or (sitemap.exists() and "<loc>" not in sitemap.read_text(encoding="utf-8")):
            for name in SITEMAPS:
                (site / name).unlink(missing_ok=True)


@cache
def _schema_bytes() -> bytes:
    """The JSON Schema depends on the format alone (made once; `mkdocs serve` builds again and again)."""
    return dumps(data_schema())


@lru_cache(maxsize=4)
def _package_bytes(prefectures: tuple[str, ...], pub: Publication) -> bytes:
    return dumps(package_for(prefectures, pub))


def write_collection(handle: BinaryIO, stories: Sequence[Story], pub: Publication, memo: Memo = no_memo) -> None:
    """dumps(collection_object(stories, pub)), written one story at a time.

    The whole collection as one Python object is several times the size of its
    JSON text; each story object is dumped and indented on its own instead
    (JSON strings hold no raw line breaks, so indenting by lines is exact);
    `mkdocs serve` keeps each story's text (memo).
    """
    ordered = sorted(stories, key=lambda s: s.slug)
    text = dumps(collection_object([], pub) | {"count": len(ordered)})
    tail = b'"stories": []\n}\n'
    if not ordered or not text.endswith(tail):
        handle.write(text)
        return
    handle.write(text.removesuffix(tail) + b'"stories": [')
    for number, story in enumerate(ordered):
        handle.write(b"," if number else b"")
        handle.write(memo(("json", pub), story, lambda story=story: ("\n  " + json.dumps(story_object(story, pub), ensure_ascii=False, indent=1).replace("\n", "\n  ")).encode()))
    handle.write(b"\n ]\n}\n")


def _absolute_targets(output: str, page_url: str) -> str:
    """Give each relative link in the article its absolute URL (data-ns-href), printed after the text."""
    start, end = output.find("<article"), output.find("</article>")
    if start < 0 or end < 0:
        return output
    article = _HREF.sub(lambda m: f'<a {m.group(1)}data-ns-href="{urljoin(page_url, m.group(2))}" href="{m.group(2)}"', output[start:end])
    return output[:start] + article + output[end:]
