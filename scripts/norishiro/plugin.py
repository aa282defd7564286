"""The MkDocs plugin: check the stories, hand the generated pages to MkDocs.

Thin on purpose: pages come from `norishiro.site` (pure functions over the
story objects); this module only connects them to MkDocs' events.
"""

from __future__ import annotations

import gzip
import logging
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING

from jinja2 import Environment
from mkdocs import utils
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.templates import TemplateContext

from norishiro import incremental, opendata, search
from norishiro.check.cache import Cache
from norishiro.check.collection import check_paths
from norishiro.check.findings import Finding
from norishiro.check.story import slug_of
from norishiro.contribute import editor
from norishiro.format import urls
from norishiro.format.memo import no_memo
from norishiro.format.model import Story
from norishiro.output import Output
from norishiro.site.document import Document, fill
from norishiro.site.errors import error_notice, error_page, with_notice
from norishiro.site.generate import SiteContext, page_sources
from norishiro.site.home import fill_home, home_parts
from norishiro.site.story_page import edit_url

if TYPE_CHECKING:  # the live-reload server is only imported by `mkdocs serve`
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.norishiro")

CSS = "assets/stylesheets/norishiro.css"
# Material's bundle can load scripts from unpkg.com (a polyfill, mermaid) and
# the GitHub API; the site is plain HTML for closed networks, so the theme's
# JavaScript is neither linked (overrides/main.html) nor copied.
THEME_SCRIPTS = "assets/javascripts/"


class NorishiroConfig(Config):
    stories_dir = c.Type(str, default="stories")  # relative to mkdocs.yml
    edit_url_base = c.Optional(c.Type(str))  # e.g. https://github.com/<owner>/<repo>/edit/main/


class NorishiroPlugin(BasePlugin[NorishiroConfig]):
    def __init__(self) -> None:
        self.stories: dict[str, Story] = {}  # by docs path of the story page
        self.sources: dict[str, Callable[[], Document]] = {}  # generated pages by docs path
        self.blocks = _Spill()  # compressed HTML blocks of each rendered page, on disk until written
        self.output = Output(".")  # where the plugin writes its own files: the site folder (set in on_files)
        self.home: dict[str, str] = {}
        self.site_date = ""
        self.ctx = SiteContext()
        self.search_assets: dict[str, bytes] = {}
        self.opendata: opendata.OpenData | None = None
        self.serving = False
        self.files = Files([])
        self.planned: set[str] = set()  # generated pages whose Markdown and blocks were made in on_files (serve)
        self.errors: list[Finding] = []
        self.error_pages: set[str] = set()
        self.incremental = incremental.Incremental()  # serve only; the instance lives across rebuilds

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    def _stories_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.stories_dir

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if CSS not in config.extra_css:
            config.extra_css.append(CSS)
        opendata.configure(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        cache = self.incremental.start(self._root(config)) if self.serving else Cache(self._root(config))
        quiet = self.serving and self.incremental.rebuilding  # a rebuild after a save: one progress line (on_env)
        result = check_paths([str(self._stories_dir(config))], progress=None if quiet else _CheckProgress(), cache=cache)
        self.errors = result.errors if self.serving else []
        if self.errors:
            # serve: the build goes on and the browser shows an error page; the terminal says so too.
            # Logged as info: a warning would abort `mkdocs serve --strict`, and with it the error page.
            files_wrong = len({finding.path for finding in self.errors})
            log.info(f"物語のファイルに誤りがあります（{files_wrong}件のファイル、エラー {len(self.errors)} 件）。"
                     "ブラウザにはその物語のページの代わりにエラーの一覧を出しています。直して保存すると元に戻ります:")
            for finding in self.errors:
                log.info(finding.text())
        if result.errors and not self.serving:
            lines = [finding.text() for finding in result.findings]
            raise PluginError(
                f"物語のファイルに誤りがあるため、サイトを作れません（エラー {len(result.errors)} 件）:\n" + "\n".join(lines)
            )
        # Warnings (privacy, style) are shown but do not stop a --strict build:
        # pull requests are held to them by `norishiro check --strict`, and an
        # accepted story must not take the whole site down with it.
        for finding in result.warnings:
            log.info(finding.text())
        self.ctx = SiteContext(self.config.edit_url_base, str(self._root(config)))
        stories = self.incremental.with_last_good(result.stories, self.errors) if self.serving else result.stories
        log.info(f"ページを作っています…（物語 {len(stories):,}件）")
        # The search index (every story's text) goes straight to the site folder,
        # MkDocs having emptied it already.  The stories hold their narratives
        # packed (see check.collection), unpacked by the one page or file that reads them.
        # In `mkdocs serve` each story's index parts are kept between rebuilds.
        parts = self.incremental.search_parts if self.serving else search.story_parts
        self.output = self.incremental.site_output(config.site_dir) if self.serving else Output(config.site_dir)
        search.write_search_assets(stories, self.output.write, parts, self.incremental.postings if self.serving else None)
        self.sources = page_sources(stories, self.ctx, self.incremental.related if self.serving else None)
        self.sources[urls.SEARCH] = lambda: Document.of([search.search_page_content()])
        self.sources[editor.PAGE] = lambda: Document.of([editor.editor_page_content()])  # 「物語を書く」
        root = str(self._root(config))
        self.error_pages = {urls.story(slug_of(finding.path)) for finding in self.errors}
        clean = {urls.story(story.slug) for story in result.stories}
        for path in sorted({finding.path for finding in self.errors}):
            here = [finding for finding in self.errors if finding.path == path]
            if (url := urls.story(slug_of(path))) not in clean:  # its last good version's page, if it had one
                self.sources[url] = lambda here=here: error_page(here, root)
        self.search_assets = editor.editor_assets()
        memo = self.incremental.memo if self.serving else no_memo
        self.opendata = opendata.OpenData(stories, config, date.fromisoformat(_site_date(stories)), memo)
        self.sources.update({path: (lambda document=document: document) for path, document in self.opendata.pages().items()})
        self.blocks = _Spill()
        self.stories = {urls.story(story.slug): story for story in stories}
        self.site_date = _site_date(stories)
        if self.serving:
            around = incremental.site_digest(config, self.ctx, [(feed.path, feed.title, feed.page) for feed in self.opendata.feeds])
            self.incremental.begin(around, incremental.site_digest(config, around, self.site_date))
        planning = self.serving and self.incremental.rebuilding  # else each page is rendered in on_pre_page
        self.planned = set()
        for path, render in self.sources.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} は自動で作るページと同じ名前です（ファイル名を変えてください）")
            document = self.incremental.plan(path, render) if planning else None
            kept = planning and document is None
            # A first build renders each page in on_pre_page, one at a time; a rebuild has rendered the changed ones.
            file = File.generated(config, path, content="", inclusion=InclusionLevel.EXCLUDED if kept else InclusionLevel.NOT_IN_NAV)
            files.append(file)
            if kept:
                notice = self._notice(path, config)
                story = self.stories.get(path)
                html = self.incremental.keep(file, config, story.updated.isoformat() if story else self.site_date, bool(notice))
                if html is not None:
                    self.output.write(file.dest_uri, with_notice(html, notice).encode("utf-8", "surrogatepass"))
            elif document is not None:
                self._prepare(file, document)
        files.append(File.generated(config, CSS, content=resources.files("norishiro").joinpath("assets/norishiro.css").read_bytes()))
        # Written in place; MkDocs' copy of a file onto itself is skipped (shutil.SameFileError).
        for path, written in self.opendata.write_files(self.output):
            files.append(File.generated(config, path, abs_src_path=written))
        for file in [f for f in files if f.src_uri.startswith(THEME_SCRIPTS) and f.generated_by is None and not _in_docs(f, config)]:
            files.remove(file)
        self.home = home_parts(stories)
        self.files = files
        return files

    def _prepare(self, file: File, document: Document) -> None:
        file.content_string = document.markdown()
        # MkDocs keeps every page's HTML until it writes the pages; the blocks
        # wait compressed and go into the written page in on_post_page.
        self.blocks.put(file.src_uri, zlib.compress(pickle.dumps(document.blocks()), 1))
        self.planned.add(file.src_uri)

    def on_pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        src = page.file.src_uri
        render = self.sources.get(src)
        if render is not None and src not in self.planned:
            # serve's first build: each page's fingerprint is taken for the next (nothing to keep yet)
            document = self.incremental.plan(src, render) if self.serving else None
            self._prepare(page.file, document if document is not None else render())
        return page

    def on_startup(self, command: str, dirty: bool) -> None:
        # In `mkdocs serve` a story with errors shows an error page in the browser
        # instead of stopping the build (where the request would hang).
        self.serving = command == "serve"
        if self.serving:
            self.incremental.watch_log()

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.serving:  # before MkDocs empties the site folder
            self.incremental.stash(config.site_dir)

    def on_build_error(self, error: Exception) -> None:
        if self.serving:
            self.incremental.fail()

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.src_uri
        if src in self.sources:
            page.file.content_string = ""  # read; release the source text
        story = self.stories.get(src)
        if story is not None:
            page.update_date = story.updated.isoformat()
            page.edit_url = edit_url(story, self.ctx)
            return markdown
        page.update_date = self.site_date
        if page.file.generated_by is None and self.config.edit_url_base:
            docs = PurePath(os.path.relpath(config.docs_dir, self._root(config))).as_posix()
            page.edit_url = f"{self.config.edit_url_base.rstrip('/')}/{docs}/{src}"
        if src == urls.HOME:
            return fill_home(markdown, self.home)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        html = self.opendata.page_content(html, page) if self.opendata else html
        if page.file.src_uri in self.sources:
            # MkDocs renders every page before it writes any: a generated page's
            # content and table of contents wait on disk with its blocks until on_page_context.
            self.blocks.put(page.file.src_uri + _CONTENT, zlib.compress(pickle.dumps((html, page.toc)), 1))
            page.markdown = ""  # read and rendered (None would also drop the page's title)
            page.toc = TableOfContents([])
            return ""
        return html

    def on_page_context(self, context: TemplateContext, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        packed = self.blocks.pop(page.file.src_uri + _CONTENT)
        if packed is not None:
            page.content, page.toc = pickle.loads(zlib.decompress(packed))
        return context

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        if self.serving and self.incremental.rebuilding:
            log.info(f"変更を反映しています… 自動で作るページのうち {self.incremental.changed():,}ページを作り直します（ほかの {len(self.incremental.kept):,}ページは前のまま。docs/ のページは毎回作ります）")
        return incremental.serve_environment(env, self.incremental.templates) if self.serving else env

    def on_template_context(self, context: TemplateContext, template_name: str, config: MkDocsConfig) -> TemplateContext:
        if template_name == SITEMAP and self.serving and self.incremental.kept:  # MkDocs hands it only the pages it built
            context["pages"] = self._pages()
        return context

    def _pages(self) -> list[File]:
        """The site's pages: MkDocs' and the kept ones (EXCLUDED files that are in the site all the same)."""
        kept = self.incremental.kept
        return [file for file in self.files if file.is_documentation_page() and (file.inclusion.is_included() or file.src_uri in kept)]

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        notice = self._notice(page.file.src_uri, config)
        packed = self.blocks.pop(page.file.src_uri)
        output = fill(output, pickle.loads(zlib.decompress(packed))) if packed else output
        if page.file.src_uri in self.sources:  # written next; MkDocs would keep them to the end of the build
            page.content, page.markdown, page.toc = None, "", TableOfContents([])
        output = self.opendata.post_page(output, page) if self.opendata else output
        if self.serving:
            self.incremental.note(page.file.src_uri, bool(notice))
            output = self.incremental.remember(output, page)
        return with_notice(output, notice)

    def _notice(self, src: str, config: MkDocsConfig) -> str:
        """`mkdocs serve` with a story that has errors: the notice on every page but the stories' own.

        Put into the written HTML, not the Markdown, so that pages kept from the
        last build show it too and need not be rendered again.
        """
        if not self.errors or src in self.stories or src in self.error_pages:
            return ""
        return error_notice(self.errors, str(self._root(config)))

    def on_post_build(self, config: MkDocsConfig) -> None:
        log.info(f"{SUMMARY_PREFIX}物語 {len(self.stories):,}件、ページ {len(self.sources) + _own_pages(config):,}件")
        redirects = {urls.contract_url(story.slug): urls.redirect_html(story.slug).encode() for story in self.stories.values()}
        for relative, data in sorted({**self.search_assets, **redirects}.items()):
            self.output.write(relative, data)
        if self.opendata:
            self.opendata.post_build(config.site_dir)
        self.blocks.close()
        if self.serving:
            if self.incremental.kept:
                _gzip_sitemap(config, self._pages())
            self.incremental.end({file.dest_uri for file in self.files})

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[[], None]) -> LiveReloadServer:
        server.watch(str(self._stories_dir(config)))
        return server


SUMMARY_PREFIX = "サイトができました: "
SITEMAP = "sitemap.xml"
_CONTENT = "\0content"  # a page's content in the spill file, beside its blocks


class _Spill:
    """Byte strings by name in an unnamed temporary file, each read back once.

    MkDocs renders every page before it writes any; the pages' HTML blocks wait
    here instead of in memory.
    """

    def __init__(self) -> None:
        self.file: IO[bytes] | None = None
        self.where: dict[str, tuple[int, int]] = {}

    def put(self, name: str, data: bytes) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="norishiro-pages-")  # noqa: SIM115 (closed in close(), after the last page)
        self.file.seek(0, os.SEEK_END)
        self.where[name] = (self.file.tell(), len(data))
        self.file.write(data)

    def pop(self, name: str) -> bytes | None:
        found = self.where.pop(name, None)
        if found is None or self.file is None:
            return None
        self.file.seek(found[0])
        return self.file.read(found[1])

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        self.file, self.where = None, {}


class _CheckProgress:
    """Logs the checker's progress about every tenth of the way (and at the end)."""

    def __init__(self) -> None:
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        step = done * 10 // total
        if step > self.shown and (total >= 100 or done == total):
            self.shown = step
            log.info(f"物語を確かめています… {total:,}件中 {done:,}件")


def _gzip_sitemap(config: MkDocsConfig, pages: list[File]) -> None:
    """sitemap.xml.gz again, as MkDocs writes it, but dated by every page (MkDocs looks only at those it built)."""
    sitemap = Path(config.site_dir) / SITEMAP
    if not sitemap.is_file():
        return
    timestamp = utils.get_build_timestamp(pages=[file.page for file in pages if file.page is not None])
    gz_name = f"{sitemap}.gz"
    with open(gz_name, "wb") as handle, gzip.GzipFile(fileobj=handle, filename=gz_name, mode="wb", mtime=timestamp) as packed:
        packed.write(sitemap.read_bytes())


def _own_pages(config: MkDocsConfig) -> int:
    """Pages written by hand in docs/ (Markdown files), for the summary."""
    return sum(1 for _ in Path(config.docs_dir).rglob("*.md"))


def _in_docs(file: File, config: MkDocsConfig) -> bool:
    return file.src_dir is not None and Path(file.src_dir).resolve() == Path(config.docs_dir).resolve()


def _site_date(stories: list[Story]) -> str:
    """The date shown as every non-story page's last update (sitemap, gzip header).

    SOURCE_DATE_EPOCH wins when set; otherwise the newest story's `updated`,
    so that two builds of the same input give the same bytes; never after
    today (a story dated 9999-12-31 is warned by W105 and must not date every page).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    newest = max((story.updated for story in stories), default=date(1970, 1, 1))
    return min(newest, date.today()).isoformat()
