"""`mkdocs serve`: after an edit, render again only the pages that changed.

MkDocs rebuilds the whole site on every save (it cleans the site folder,
and its dirty mode treats generated files as always modified).  The plugin
instance lives across those rebuilds (MkDocs keeps plugins that have an
`on_startup` event), so it can remember, for each generated page, a
fingerprint of what the page is made from and the HTML that was written.

A page's fingerprint covers everything its written HTML depends on:

- a story page: the story's file (path and bytes) and the files of the
  related stories it shows (`StoryPage.inputs`), without rendering it;
- any other generated page: its rendered Document (rendering a browse page
  is cheap next to Markdown and the theme), so a page that lists a story's
  title changes exactly when that title does;
- for every page, the site around it: mkdocs.yml, the theme overrides, the
  file names in docs/, the feeds, the edit-link base, and (except on story
  pages, which show their own date) the site date and the error notice.

A page whose fingerprint is unchanged is kept out of MkDocs' Markdown and
template rendering (`_KeptPage`, an empty template) and its previous HTML is
written back in place.  The result is the same bytes as a full build
(tests/test_serve.py compares them).
"""

from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader, Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from norishiro.check.cache import Cache
from norishiro.check.findings import Finding
from norishiro.format.model import Story
from norishiro.search.index import StoryParts, story_parts
from norishiro.site.document import Document, Html
from norishiro.site.generate import slim_story

KEPT_TEMPLATE = "norishiro-kept.html"  # renders nothing: the page's HTML comes from the previous build


class MemoryCache(Cache):
    """The checker's cache, held across rebuilds: an unchanged file gives the same Story object.

    Nothing is read from disk for unchanged files, and a story's file key (a
    hash of its path and bytes) names everything the story holds, found by the
    story's source path (so also for a copy of the story made for the build).
    """

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.stories: dict[str, Story] = {}
        self.keys: dict[str, str] = {}  # story.source -> file key of the story last handed out for it

    def get(self, key: str, want_story: bool) -> tuple[bool, Story | None, list[Finding]]:
        story = self.stories.get(key)
        if story is not None and key in self.findings:
            return True, story, self.findings[key]
        hit, story, findings = super().get(key, want_story)
        if story is not None:
            self._remember(key, story)
        return hit, story, findings

    def put(self, key: str, story: Story | None, findings: list[Finding], keep_story: bool = True) -> None:
        super().put(key, story, findings, keep_story)
        if story is not None:
            self._remember(key, story)

    def save(self, keep: set[str] | None = None) -> None:
        super().save(keep)
        if keep is not None:
            self.stories = {key: story for key, story in self.stories.items() if key in keep}

    def _remember(self, key: str, story: Story) -> None:
        self.stories[key] = story
        self.keys[story.source] = key

    def key_of(self, story: Story) -> str:
        return self.keys.get(story.source) or repr(story)  # repr: a story this cache never handed out


@dataclass(frozen=True)
class _Written:
    key: bytes
    html: bytes  # zlib-compressed
    title: str | None
    anchors: frozenset[str]


class _KeptPage(Page):
    """A page whose HTML from the previous build stands: neither read nor rendered again."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = {"template": KEPT_TEMPLATE}

    def render(self, config: MkDocsConfig, files: object) -> None:
        self.content = ""
        self.links_to_anchors = {}


def _digest(*parts: object) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        if isinstance(part, bytes):
            digest.update(part)
        elif isinstance(part, Document):
            for piece in part.parts:
                digest.update(b"\x00H" if isinstance(piece, Html) else b"\x00M")
                digest.update(piece.encode("utf-8", "surrogatepass"))
        else:
            digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x01")
    return digest.digest()


def site_digest(config: MkDocsConfig, *extra: object) -> bytes:
    """What every page's HTML depends on besides its own content (see the module docstring)."""
    parts: list[object] = [version("mkdocs"), version("mkdocs-material"), config.site_url, *extra]
    if config.config_file_path:
        parts.append(Path(config.config_file_path).read_bytes())
    for folder in [config.theme.custom_dir, config.docs_dir]:
        if folder and os.path.isdir(folder):
            for here, dirs, names in os.walk(folder):
                dirs.sort()
                for name in sorted(names):
                    path = os.path.join(here, name)
                    stat = os.stat(path)
                    theme = folder == config.theme.custom_dir
                    parts.append((os.path.relpath(path, folder), stat.st_size if theme else 0, stat.st_mtime_ns if theme else 0))
    return _digest(*parts)


class Incremental:
    """What one `mkdocs serve` session keeps between builds."""

    def __init__(self) -> None:
        self.cache: MemoryCache | None = None
        self.written: dict[str, _Written] = {}
        self.keys: dict[str, bytes] = {}  # this build's fingerprints
        self.kept: set[str] = set()
        self.story_site = self.view_site = b""
        self.search: dict[str, StoryParts] = {}  # by file key
        self.search_used: set[str] = set()
        self.slim: dict[str, tuple[Story, bytes]] = {}  # by file key: generate.slim_story of the story

    def start(self, root: Path) -> MemoryCache:
        """Start a build (before the check): the checker's cache of this session."""
        self.search_used = set()
        if self.cache is None or self.cache.base != root / ".norishiro-cache":
            self.cache = MemoryCache(root)
        return self.cache

    @property
    def rebuilding(self) -> bool:
        return bool(self.written)

    def begin(self, story_site: bytes, view_site: bytes) -> None:
        """Start a build: the site digests of story pages and of the other pages."""
        self.story_site, self.view_site = story_site, view_site
        self.keys, self.kept = {}, set()

    def search_parts(self, story: Story) -> StoryParts:
        """The search index's parts of a story, made once per version of its file."""
        key = self.cache.key_of(story) if self.cache else repr(story)
        self.search_used.add(key)
        parts = self.search.get(key)
        if parts is None:
            parts = self.search[key] = story_parts(story)
        return parts

    def slim_stories(self, stories: list[Story]) -> tuple[list[Story], dict[str, bytes]]:
        """generate.slim_stories, each story slimmed once per version of its file.

        The slim copies have an empty narrative; a story page is still told apart
        by the story's file key (MemoryCache.key_of goes by the source path).
        """
        keys = [self.cache.key_of(story) if self.cache else repr(story) for story in stories]
        slim = {key: self.slim.get(key) or slim_story(story) for key, story in zip(keys, stories, strict=True)}
        self.slim = slim
        return [slim[key][0] for key in keys], {slim[key][0].slug: slim[key][1] for key in keys}

    def document(self, page: Page, render: object) -> Document | None:
        """The page's Document to render, or None when its previous HTML stands (the page is then kept)."""
        src = page.file.src_uri
        inputs = getattr(render, "inputs", None)
        document: Document | None = None
        if inputs is not None:
            story, related, ctx = inputs()
            key_of = self.cache.key_of if self.cache else repr
            key = _digest(self.story_site, src, key_of(story), [(key_of(r.story), r.reasons) for r in related], ctx)
        else:
            document = render()  # type: ignore[operator]
            key = _digest(self.view_site, src, document)
        self.keys[src] = key
        old = self.written.get(src)
        if old is not None and old.key == key:
            page.__class__ = _KeptPage
            page._title_from_render = old.title
            page.present_anchor_ids = set(old.anchors)
            self.kept.add(src)
            return None
        return document if document is not None else render()  # type: ignore[operator]

    def kept_html(self, page: Page) -> str | None:
        """The previous HTML of a kept page (None for a page rendered in this build)."""
        src = page.file.src_uri
        return zlib.decompress(self.written[src].html).decode("utf-8", "surrogatepass") if src in self.kept else None

    def remember(self, output: str, page: Page) -> str:
        """Keep a rendered generated page's final HTML for the next build."""
        src = page.file.src_uri
        key = self.keys.get(src)
        if key is not None:
            anchors = frozenset(page.present_anchor_ids or ())
            self.written[src] = _Written(key, zlib.compress(output.encode("utf-8", "surrogatepass"), 1), page.title, anchors)
        return output

    def end(self) -> None:
        """Forget pages that are gone."""
        self.written = {src: written for src, written in self.written.items() if src in self.keys}
        self.search = {key: parts for key, parts in self.search.items() if key in self.search_used}

    def changed(self) -> int:
        return len(self.keys) - len(self.kept)


def add_kept_template(env: Environment) -> Environment:
    env.loader = ChoiceLoader([DictLoader({KEPT_TEMPLATE: ""}), env.loader]) if env.loader else DictLoader({KEPT_TEMPLATE: ""})
    return env
