"""Checking many story files at once: folders, unique slugs, loading for the site."""

from __future__ import annotations

import dataclasses
import functools
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from norishiro.check.cache import Cache, file_key
from norishiro.check.findings import ERROR, WARNING, Finding
from norishiro.check.story import check_file, read_no_link, slug_of
from norishiro.format.model import Story

DEFAULT_DIR = "stories"
PARALLEL_FROM = 200  # below this, starting worker processes costs more than it saves
CHUNK_MAX = 48  # files a worker process takes at a time


@dataclass
class Result:
    """Stories that checked clean and every finding, in file order."""

    stories: list[Story] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]


STORY_SUFFIXES = (".md", ".markdown")


def _skipped(path: str, rule: str, message: str) -> Finding:
    return Finding(path, 0, 0, rule, WARNING, message)


def _folder_entry(path: str, name: str, is_link: bool, is_dir: bool, is_file: bool) -> str | Finding:
    """A story file's path, or the warning that names why it is not read.

    Nothing is read through a symbolic link: a link in a pull request could
    point anywhere on the machine that checks it (/etc/passwd), and what is
    read may be quoted in findings.
    """
    if is_link:
        state = "リンク先がありません" if not os.path.exists(path) else f"リンク先は「{os.readlink(path)}」"
        return _skipped(path, "W003", f"「{name}」はシンボリックリンクなので読みませんでした（{state}。物語はリンクではなく、ファイルそのものを stories/ に置いてください）")
    if name.startswith("."):
        return _skipped(path, "W002", f"「{name}」は名前が「.」で始まる隠しファイル・フォルダなので読みませんでした（物語なら「.」を取った名前にしてください）")
    if is_dir:
        return _skipped(path, "W002", f"「{name}」はフォルダなので、中のファイルは読みませんでした（物語は stories/ の中に直接置いてください）")
    if not is_file:
        return _skipped(path, "W002", f"「{name}」は普通のファイルではないので読みませんでした（物語は普通のテキストファイルで置いてください）")
    if not name.lower().endswith(STORY_SUFFIXES):
        return _skipped(path, "W001", f"「{name}」は物語のファイル（.md）ではないので読みませんでした（物語なら拡張子を .md にしてください）")
    return path


def _folder(root: str) -> list[str | Finding]:
    """The entries of a stories folder, by name (os.scandir: cheaper than pathlib at thousands of files)."""
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as exc:
        return [Finding(root, 0, 0, "S000", ERROR, f"フォルダを読めません: {exc.strerror or exc}（パスと読み取り権限を確かめてください）")]
    return [
        _folder_entry(entry.path, entry.name, entry.is_symlink(), entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False))
        for entry in entries
    ]


def story_files(paths: Iterable[str]) -> tuple[list[str], list[Finding]]:
    """Expand folders to their story files; name everything skipped and why."""
    files: list[str] = []
    findings: list[Finding] = []
    for given in paths:
        if os.path.isdir(given):  # the folder named is read even through a link
            entries = _folder(given)
        elif os.path.islink(given):  # a file named through a link (as CI names a pull request's files) is not
            entries = [_folder_entry(given, os.path.basename(given), True, False, False)]
        elif os.path.isfile(given):
            entries = [given]
        elif os.path.exists(given):
            entries = [_folder_entry(given, os.path.basename(given), False, False, False)]
        else:
            entries = [Finding(given, 0, 0, "S000", ERROR, "ファイルもフォルダも見つかりません（パスの綴りを確かめてください）")]
        for entry in entries:
            if isinstance(entry, Finding):
                findings.append(entry)
            else:
                files.append(entry)
    return files, findings


def check_paths(
    paths: Iterable[str], progress: Callable[[int, int], None] | None = None,
    cache: Cache | None = None, want_stories: bool = True,
) -> Result:
    """Check every story file under `paths`; progress(done, total) is called after each file.

    With a cache, files whose path and bytes were checked before by this code
    version are not parsed again; `want_stories=False` (the command line) gives
    the same findings but no stories: none is rendered, built or loaded.
    """
    files, findings = story_files(paths)
    result = Result(findings=findings, files=len(files))
    first_file: dict[str, str] = {}
    checked = _check_cached(files, cache, want_stories)
    for done, (path, (story, file_findings)) in enumerate(zip(files, checked, strict=True), start=1):
        if progress is not None:
            progress(done, len(files))
        result.findings.extend(file_findings)
        slug = slug_of(path)
        if slug in first_file:
            result.findings.append(Finding(path, 0, 0, "S011", ERROR, f"ファイル名「{slug}」が {first_file[slug]} と重複しています（URL が同じになるので、どちらかの名前を変えてください）"))
            continue
        first_file[slug] = path
        if story is not None:
            result.stories.append(story)
    result.stories.sort(key=lambda s: s.slug)
    return result


Checked = tuple[Story | None, list[Finding]]
Keyed = tuple[str, bytes | None, list[Finding]]  # the cache key of the bytes checked ("" when unread), story pickled, findings


def _check_cached(files: list[str], cache: Cache | None, want_stories: bool) -> Iterator[Checked]:
    """Each file's (story, findings) in file order, as soon as it is known (progress stays live)."""
    if cache is None:
        for _, sent, found in _check_all(files, want_stories):
            yield (pickle.loads(sent) if sent is not None else None), found
        return
    hits: list[Checked | None] = [None] * len(files)
    keys: set[str] = set()
    if cache.findings:  # something to reuse: read and hash each file here to find it
        for index, path in enumerate(files):
            try:
                data = read_no_link(path)  # as the workers read: a link is refused, not looked up by its target's bytes
            except OSError:
                continue  # check_file reports it
            key = file_key(path, data)
            hit, story, found = cache.get(key, want_stories)
            if hit:
                hits[index] = (story, found)
                keys.add(key)
    # Misses are keyed where they are checked, from the bytes that were
    # checked: a first check reads each file once, in the worker processes,
    # and no file's bytes are held here (or queued for the workers).
    misses = _check_all([path for path, hit in zip(files, hits, strict=True) if hit is None], want_stories)
    for hit in hits:
        if hit is not None:
            yield hit
            continue
        key, sent, found = next(misses)
        story = pickle.loads(sent) if sent is not None else None
        if key:
            keys.add(key)
            cache.put(key, story, found, keep_story=want_stories, pickled=sent)
        yield story, found
    cache.save(keep=keys)


def _check_one(path: str, want_story: bool) -> Keyed:
    """One file's cache key, findings, and story pickled or none.

    A story is handed on with its narrative rendered and packed (Narrative.packed):
    a build holds every story, and neither the parse nor three loose copies of
    the text need to be held.  It is pickled here, where it is checked (in a
    worker process), once: the same bytes go into the cache, so the process that
    holds the stories never pickles them (pickling a string keeps a UTF-8 copy
    of it for as long as the string lives).
    """
    try:
        data: bytes | None = read_no_link(path)
    except OSError:
        data = None  # check_file reads it again and reports why it cannot
    story, findings = check_file(path, data, want_story)
    key = file_key(path, data) if data is not None else ""
    if story is None or not want_story:
        return key, None, findings
    return key, pickle.dumps(dataclasses.replace(story, narrative=story.narrative.packed()), pickle.HIGHEST_PROTOCOL), findings


def _check_all(files: list[str], want_stories: bool) -> Iterator[Keyed]:
    """Check files in order; on several cores, in worker processes.

    Parsing (libyaml, markdown-it-py) and the rules are pure Python work, so a
    collection of thousands of stories is bound by the CPU: each core takes a
    share.  Without stories wanted (the command line), workers send back only
    findings, not Story objects.  Chunks are small enough
    that no core waits long for the other's last one.
    """
    workers = min(os.cpu_count() or 1, 8)
    check = functools.partial(_check_one, want_story=want_stories)
    if workers < 2 or len(files) < PARALLEL_FROM:
        yield from map(check, files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(check, files, chunksize=max(1, min(CHUNK_MAX, len(files) // (workers * 8))))
