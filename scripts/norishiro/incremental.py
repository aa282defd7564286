"""`mkdocs serve`: after an edit, render again only the pages that changed.

MkDocs rebuilds the whole site on every save (it cleans the site folder,
and its dirty mode treats generated files as always modified).  The plugin
instance lives across those rebuilds (MkDocs keeps plugins that have an
`on_startup` event), so it can remember, for each generated page, a
fingerprint of what the page is made from and the HTML that was written.

A page's fingerprint covers everything its written HTML depends on:

- a story page: the story's file (path and bytes) and the files of the
  related stories it shows (`StoryPage.inputs`), without rendering it;
- a page whose renderer is a partial of a module-level function over plain
  values (a page of a paged list: its stories, titles, page numbers): the
  function's name and those values, a story named by its file (`_Inputs`),
  again without rendering it;
- any other generated page (an index page, a renderer that closes over
  values): its rendered Document, so a page that lists a story's title
  changes exactly when that title does;
- for every page, the site around it: mkdocs.yml, the theme overrides, the
  file names in docs/, the feeds, the edit-link base, and (except on story
  pages, which show their own date) the site date.  The error notice shown
  while a story has errors is put into the written HTML (plugin.with_notice),
  so it is no part of a fingerprint.

A page whose fingerprint is unchanged is kept: its File is EXCLUDED, so
MkDocs neither makes its Page nor reads, renders or writes it (on 2,000
pages that was over half of a rebuild), and its previous HTML is put back in
place.  A stand-in page (`KeptPage`) answers where MkDocs still looks: the
sitemap (the plugin hands the template every page) and the check of links
to its anchors.  The result is the same bytes as a full build
(tests/test_serve.py compares them).

Writing thousands of files again costs more than making most of them, and
moving them one by one nearly as much: before MkDocs empties the site folder,
its entries are moved into a hidden folder inside it (`stash`; MkDocs' clean
leaves hidden entries alone) and, once it has, moved back (`site_output`).  A
file whose bytes are unchanged (a kept page, an index shard, a data file) is
then left as it is, the others are written over, and the files the last
build made and this one did not are deleted (`end`).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import partial
from importlib.metadata import version
from pathlib import Path
from types import FunctionType
from typing import TypeVar

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from norishiro.check.cache import Cache
from norishiro.check.findings import Finding
from norishiro.format.model import Story
from norishiro.output import BufferedOutput
from norishiro.search.index import Postings, StoryParts, story_parts
from norishiro.site.document import Document, Html
from norishiro.site.related import RelatedMemory

T = TypeVar("T")
STASH_PREFIX = ".norishiro-previous-"  # hidden: MkDocs' clean_directory keeps entries whose name starts with "."


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

    def put(self, key: str, story: Story | None, findings: list[Finding], keep_story: bool = True, pickled: bytes | None = None) -> None:
        super().put(key, story, findings, keep_story, pickled)
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
    key: bytes  # the page's fingerprint
    named: bytes | None  # the digest of its renderer's inputs, when they can be named (_Inputs)
    html: bytes  # zlib-compressed
    title: str | None  # in the nav, when the page is in it
    anchors: frozenset[str]


class KeptPage(Page):
    """The page of an EXCLUDED (kept) file, for what MkDocs reads of it though its build loops skip it:
    the nav (its title, its place), the sitemap, the anchors that links to it name."""

    def __init__(self, file: File, config: MkDocsConfig, update_date: str, written: _Written) -> None:
        file.page = self  # the nav takes the file's page as it is (mkdocs.structure.nav)
        self.file, self.update_date, self.title = file, update_date, written.title
        self._set_canonical_url(config.site_url)  # the sitemap's <loc>
        self.present_anchor_ids = set(written.anchors)  # validate_anchor_links of the pages linking here
        self.children = self.previous_page = self.next_page = None
        self.active, self.markdown, self.content, self._title_from_render, self.toc, self.meta = False, "", None, None, [], {}


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


class _Opaque(Exception):
    """A renderer whose inputs cannot be named: it is rendered to be fingerprinted."""


class _Inputs:
    """Feeds a renderer and the values it is given into a digest.

    Only values that say all they hold are taken: strings, numbers, dates, lists,
    tuples, dicts, dataclasses (field by field), partials and functions
    defined at module level (their name: such a function reads nothing but
    its arguments and constants).  A story is named by its file key, a
    closure or any other object raises _Opaque.  A dataclass is digested once
    (`done`, by object: a failure is listed on several pages); the digests of
    the last build (`before`) stand for the same objects, which the serve
    memos hand out again for unchanged files.  Frozen dataclasses only: a
    mutable one could have changed since.
    """

    def __init__(
        self, key_of: Callable[[Story], str], done: dict[int, tuple[object, bytes]], before: dict[int, tuple[object, bytes]] | None = None,
    ) -> None:
        self.key_of, self.done, self.before = key_of, done, before or {}
        self.digest = hashlib.blake2b(digest_size=20)

    def feed(self, value: object) -> None:
        update = self.digest.update
        if isinstance(value, str):
            update(b"\x00" + type(value).__name__.encode() + b":" + value.encode("utf-8", "surrogatepass"))
        elif value is None or isinstance(value, int | float | date):
            update(b"\x00" + repr(value).encode())
        elif isinstance(value, Story):
            update(b"\x00story:" + self.key_of(value).encode())
        elif isinstance(value, list | tuple):
            update(b"\x00(" + type(value).__name__.encode())
            for item in value:
                self.feed(item)
            update(b"\x00)")
        elif isinstance(value, dict):
            update(b"\x00{")
            for key, item in value.items():
                self.feed(key)
                self.feed(item)
            update(b"\x00}")
        elif isinstance(value, partial):
            # The pages of one paged list share their renderer (the のりしろ list's holds the count of
            # every combination).  Made anew each build, and its arguments may be dicts: not carried.
            update(b"\x00partial:" + self._once(value, lambda inner: inner.feed([value.func, value.args, value.keywords]), carried=False))
        elif isinstance(value, FunctionType):
            if value.__closure__ or "<" in value.__qualname__:
                raise _Opaque(value.__qualname__)
            update(b"\x00function:" + f"{value.__module__}.{value.__qualname__}".encode())
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if not type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
                raise _Opaque(type(value).__qualname__)

            def fields(inner: _Inputs) -> None:
                inner.digest.update(type(value).__qualname__.encode())
                for item in dataclasses.fields(value):
                    inner.feed(getattr(value, item.name))

            update(b"\x00dataclass:" + self._once(value, fields, carried=True))
        else:
            raise _Opaque(type(value).__qualname__)

    def _once(self, value: object, feed_fields: Callable[[_Inputs], None], carried: bool) -> bytes:
        """The digest of `value` by object: made once per build (`done`), or, when `carried`, the
        last build's for the same object (`before`).  Both hold each value beside its digest,
        so no other object can have its id meanwhile."""
        found = self.done.get(id(value))
        if found is None and carried and (found := self.before.get(id(value))) is not None:
            self.done[id(value)] = found
        if found is None:
            inner = _Inputs(self.key_of, self.done, self.before)
            feed_fields(inner)
            found = self.done[id(value)] = (value, inner.digest.digest())
        return found[1]


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


def _file_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class ReusingOutput(BufferedOutput):
    """Output that leaves a file of the previous build in place when its bytes are unchanged."""

    def __init__(self, folder: str | Path, reusing: bool, digests: dict[str, bytes], written: dict[str, bytes]) -> None:
        super().__init__(folder)
        self.reusing, self.digests, self.written = reusing, digests, written

    def write(self, relative: str, data: bytes) -> str:
        digest = _file_digest(data)
        self.written[relative] = digest
        target = self.path(relative)
        if self.reusing and self.digests.get(relative) == digest and target.is_file():
            return str(target)
        return super().write(relative, data)


class _KeptLinks(logging.Filter):
    """MkDocs says that a link or a nav entry to an EXCLUDED file goes to a page left out of the site; a kept page is in it."""

    SAYINGS = (  # (before the file's path, after it)
        ("contains a link to '", "' which is excluded from the built site."),  # mkdocs.structure.pages
        ("A reference to '", "' is included in the 'nav' configuration, but this file is excluded from the built site."),  # .nav
    )

    def __init__(self, incremental: Incremental) -> None:
        super().__init__()
        self.incremental = incremental

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for before, after in self.SAYINGS:
            if message.endswith(after) and before in message:
                path = message[: -len(after)].rsplit(before, 1)[1].replace(os.sep, "/")
                return path not in self.incremental.kept
        return True


class Incremental:
    """What one `mkdocs serve` session keeps between builds."""

    def __init__(self) -> None:
        self.cache: MemoryCache | None = None
        self.written: dict[str, _Written] = {}
        self.keys: dict[str, bytes] = {}  # this build's fingerprints
        self.named: dict[str, bytes | None] = {}  # this build's digests of the renderers' inputs
        self.digested: dict[int, tuple[object, bytes]] = {}  # digests by object of dataclasses and partials (_Inputs._once), kept for the next build
        self.digested_before: dict[int, tuple[object, bytes]] = {}  # the last build's, during a build
        self.kept: set[str] = set()
        self.story_site = self.view_site = b""
        self.postings = Postings()
        self.related = RelatedMemory()
        self.templates = TemplateCache()
        self.noticed: set[str] = set()  # pages whose last file has the error notice in it (plugin.with_notice)
        self.noticing: set[str] = set()  # the same, this build
        self.memos: dict[tuple[Hashable, str], object] = {}  # by kind and file key (format.memo)
        self.memos_used: set[tuple[Hashable, str]] = set()
        self.previous: Path | None = None  # the previous build's files, moved aside (stash)
        self.digests: dict[str, bytes] = {}  # site-relative path -> digest of the bytes the last build wrote there
        self.files: dict[str, bytes] = {}  # the same, for this build
        self.output: ReusingOutput | None = None
        self.made: set[str] = set()  # site-relative paths of the files the last build made
        self.last_good: dict[str, Story] = {}  # by file: the last version of each story that had no errors
        self.collector = _IdleCollector()

    def with_last_good(self, stories: list[Story], errors: list[Finding]) -> list[Story]:
        """This build's stories and, for a file saved with errors, its last version without them.

        Saving a mistake then changes the story's own page (the error page)
        and the notice, not every list, count and index the story is in.
        """
        slugs = {story.slug for story in stories}
        kept = [story for path in sorted({f.path for f in errors}) if (story := self.last_good.get(path)) and story.slug not in slugs]
        self.last_good = {story.source: story for story in [*stories, *kept]}
        return sorted([*stories, *kept], key=lambda story: story.slug) if kept else stories

    def watch_log(self) -> None:
        for logger in ("mkdocs.structure.pages", "mkdocs.structure.nav"):
            logging.getLogger(logger).addFilter(_KeptLinks(self))

    def stash(self, site_dir: str) -> None:
        """Before MkDocs empties the site folder: move the previous build's files into a hidden folder in it."""
        site = Path(site_dir)
        if not self.written or not site.is_dir():
            self.previous = None
            return
        _delete_later([site / name for name in os.listdir(site) if name.startswith(STASH_PREFIX)])
        # A fresh name: one left by an earlier session (stopped while deleting it) may still be there.
        previous = Path(tempfile.mkdtemp(prefix=STASH_PREFIX, dir=site))
        for name in os.listdir(site):
            if not name.startswith("."):
                os.replace(site / name, previous / name)
        self.previous = previous

    def site_output(self, site_dir: str) -> ReusingOutput:
        """Where this build writes its own files (see ReusingOutput).  MkDocs has emptied the
        site folder: the previous build's files go back in place, to be written over where
        they changed; `end` deletes those this build did not make."""
        self.files, reusing = {}, self.previous is not None
        if self.previous is not None:
            for name in os.listdir(self.previous):
                os.replace(self.previous / name, Path(site_dir) / name)
            _delete_later([self.previous])
            self.previous = None
        self.output = ReusingOutput(site_dir, reusing, self.digests, self.files)
        return self.output

    def start(self, root: Path) -> MemoryCache:
        """Start a build (before the check): the checker's cache of this session."""
        self.memos_used = set()
        if self.cache is None or self.cache.base != root / ".norishiro-cache":
            self.cache = MemoryCache(root)
        return self.cache

    @property
    def rebuilding(self) -> bool:
        return bool(self.written)

    def begin(self, story_site: bytes, view_site: bytes) -> None:
        """Start a build: the site digests of story pages and of the other pages."""
        self.story_site, self.view_site = story_site, view_site
        self.keys, self.named, self.kept = {}, {}, set()
        self.digested_before, self.digested = self.digested, {}

    def key_of(self, story: Story) -> str:
        """The file key that names this version of the story (MemoryCache.key_of)."""
        return self.cache.key_of(story) if self.cache else repr(story)

    def search_parts(self, story: Story) -> StoryParts:
        """The search index's parts of a story, made once per version of its file."""
        return self.memo("search", story, partial(story_parts, story))

    def memo(self, kind: Hashable, story: Story, make: Callable[[], T], /) -> T:
        """format.memo.Memo: what was made for this kind and this version of the story's file, else make()."""
        key = (kind, self.key_of(story))
        self.memos_used.add(key)
        if key not in self.memos:
            self.memos[key] = make()
        return self.memos[key]  # type: ignore[return-value]

    def plan(self, src: str, render: Callable[[], Document]) -> Document | None:
        """The page's Document to render, or None when its previous HTML stands (then `keep` it).

        A page named by its inputs whose inputs changed is rendered and kept
        still when its Document is the same (a list of titles changes for few
        edits of the stories in it).
        """
        old = self.written.get(src)
        story_page = getattr(render, "inputs", None)
        key_of = self.key_of
        named: bytes | None = None
        if story_page is not None:
            story, related, ctx = story_page()
            named = _digest(self.story_site, src, key_of(story), [(key_of(r.story), r.reasons) for r in related], ctx)
        else:
            inputs = _Inputs(key_of, self.digested, self.digested_before)
            try:
                inputs.feed(render)
                named = _digest(self.view_site, src, inputs.digest.digest())
            except _Opaque:
                pass
        self.named[src] = named
        document: Document | None = None
        if old is not None and named is not None and old.named == named:
            key = old.key
        elif story_page is not None and named is not None:
            key = named
        else:
            document = render()
            key = _digest(self.view_site, src, document)
        self.keys[src] = key
        if old is not None and old.key == key:
            self.kept.add(src)
            self.written[src] = dataclasses.replace(old, named=named)
            return None
        return document if document is not None else render()

    def keep(self, file: File, config: MkDocsConfig, update_date: str, notice: bool) -> str | None:
        """Leave a kept page's previous file in place and give the page its stand-in.

        Returns its previous HTML when it is to be written instead (to carry
        the error `notice`, or to lose the one the last build put in it).
        """
        src, dest = file.src_uri, file.dest_uri
        KeptPage(file, config, update_date, self.written[src])
        self.note(src, notice)
        output = self.output
        if not notice and src not in self.noticed and output is not None and output.reusing and output.path(dest).is_file():
            return None
        return zlib.decompress(self.written[src].html).decode("utf-8", "surrogatepass")

    def note(self, src: str, notice: bool) -> None:
        """The page written in this build carries the error notice (`keep` looks at the last build's)."""
        if notice:
            self.noticing.add(src)

    def remember(self, output: str, page: Page) -> str:
        """Keep a rendered generated page's final HTML for the next build."""
        src = page.file.src_uri
        key = self.keys.get(src)
        if key is not None:
            anchors = frozenset(page.present_anchor_ids or ())
            self.written[src] = _Written(key, self.named.get(src), zlib.compress(output.encode("utf-8", "surrogatepass"), 1), page.title, anchors)
        return output

    def end(self, made: set[str]) -> None:
        """The build is done: forget pages that are gone, delete the files of the last build that this one
        did not make (`made`: the site paths of MkDocs' files and the plugin's own)."""
        made = made | self.files.keys()
        if self.output is not None and self.output.reusing:
            for relative in sorted(self.made - made):
                _delete(self.output.folder, relative)
        self.made, self.output = made, None
        self.noticed, self.noticing = self.noticing, set()
        self.written = {src: written for src, written in self.written.items() if src in self.keys}
        self.memos = {key: made for key, made in self.memos.items() if key in self.memos_used}
        self.digested_before = {}
        self.digests, self.files = self.files, {}
        self.collector.later()

    def fail(self) -> None:
        """A build stopped half-way: the site folder holds part of it, so the next build reuses nothing."""
        self.written, self.digests, self.files, self.made = {}, {}, {}, set()
        self.noticed, self.noticing = set(), set()
        self.postings = Postings()
        self.previous, self.output = None, None

    def changed(self) -> int:
        return len(self.keys) - len(self.kept)


class _IdleCollector:
    """Python's full garbage collection, run while the server is idle, not during a rebuild.

    A serve session holds every story, memo and written page (millions of
    objects); the cyclic collector's full pass over them took 0.1-0.35 s of
    each rebuild at 1,000 stories.  A while after a build, once the browser
    has its page, one full collection runs and what is left is frozen
    (gc.freeze), so the collections during the next rebuild look only at the
    objects made since.  Garbage among the frozen objects is collected by the
    next idle pass (gc.unfreeze first), so nothing accumulates.
    """

    DELAY = 2.0  # seconds after a build

    def __init__(self) -> None:
        self.timer: threading.Timer | None = None

    def later(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(self.DELAY, self.collect)
        self.timer.daemon = True
        self.timer.start()

    @staticmethod
    def collect() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def _delete(site: Path, relative: str) -> None:
    """Delete a file of the site and the folders it leaves empty."""
    path = site / relative
    path.unlink(missing_ok=True)
    for folder in path.parents:
        if folder == site or not folder.is_relative_to(site):
            break
        try:
            folder.rmdir()
        except OSError:  # not empty
            break


def _delete_later(folders: list[Path]) -> None:
    """Delete folders in a background thread: the browser need not wait for the disk."""
    if folders:
        threading.Thread(target=lambda: [shutil.rmtree(folder, ignore_errors=True) for folder in folders], daemon=True).start()


class TemplateCache(BytecodeCache):
    """Compiled templates kept between builds: MkDocs makes a new Jinja environment for each,
    and compiling the theme's templates again took a tenth of a rebuild.  Jinja checks each
    template's source against the checksum it stored, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def serve_environment(env: Environment, templates: TemplateCache) -> Environment:
    """The build's Jinja environment with the session's compiled templates."""
    env.bytecode_cache = templates
    return env
