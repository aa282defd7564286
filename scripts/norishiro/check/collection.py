"""Checking many story files at once: folders, unique slugs, loading for the site."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from norishiro.check.cache import Cache, file_key
from norishiro.check.findings import ERROR, WARNING, Finding
from norishiro.check.story import check_file, slug_of
from norishiro.format.model import Story

DEFAULT_DIR = "stories"
PARALLEL_FROM = 200  # below this, starting worker processes costs more than it saves


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


def _tree(root: str) -> list[tuple[tuple[str, ...], str, bool]]:
    """(parts relative to root, path, is a file) of everything under root but hidden entries.

    os.scandir, not pathlib: at thousands of files pathlib's objects were a
    third of an unchanged re-check.
    """
    out: list[tuple[tuple[str, ...], str, bool]] = []
    pending: list[tuple[tuple[str, ...], str]] = [((), root)]
    while pending:
        parts, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            here = (*parts, entry.name)
            if entry.is_dir():
                pending.append((here, entry.path))
            else:
                out.append((here, entry.path, entry.is_file()))
    out.sort()
    return out


def story_files(paths: Iterable[str]) -> tuple[list[str], list[Finding]]:
    """Expand folders to their story files; report what is skipped and why."""
    files: list[str] = []
    findings: list[Finding] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for _, child, is_file in _tree(str(path)):
                if not is_file:
                    continue
                if child.lower().endswith((".md", ".markdown")):
                    files.append(child)
                else:
                    name = os.path.basename(child)
                    findings.append(Finding(child, 0, 0, "W001", WARNING, f"「{name}」は物語のファイル（.md）ではないので読みませんでした（物語なら拡張子を .md にしてください）"))
        elif path.is_file():
            files.append(str(path))
        else:
            findings.append(Finding(str(path), 0, 0, "S000", ERROR, "ファイルもフォルダも見つかりません（パスの綴りを確かめてください）"))
    return files, findings


def check_paths(
    paths: Iterable[str], progress: Callable[[int, int], None] | None = None,
    cache: Cache | None = None, want_stories: bool = True,
) -> Result:
    """Check every story file under `paths`; progress(done, total) is called after each file.

    With a cache, files whose path and bytes were checked before by this code
    version are not parsed again; `want_stories=False` (the command line) also
    skips loading their story objects.
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


def _check_cached(files: list[str], cache: Cache | None, want_stories: bool) -> list[Checked]:
    if cache is None:
        return list(_check_all(files, [None] * len(files)))
    out: list[Checked | None] = [None] * len(files)
    keys: list[str] = []
    missing: list[int] = []
    for index, path in enumerate(files):
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            data = None  # check_file reports it
        key = file_key(path, data) if data is not None else ""
        keys.append(key)
        hit, story, found = cache.get(key, want_stories) if key else (False, None, [])
        if hit:
            out[index] = (story, found)
        else:
            missing.append(index)
    # Misses are read again by the checker rather than holding every file's
    # bytes (and a second copy queued for the worker processes) in memory.
    for index, (story, found) in zip(missing, _check_all([files[i] for i in missing], [None] * len(missing)), strict=True):
        out[index] = (story, found)
        if keys[index]:
            cache.put(keys[index], story, found, keep_story=want_stories)
    cache.save(keep={key for key in keys if key})
    return [item for item in out if item is not None]


def _check_all(files: list[str], contents: list[bytes | None]) -> Iterator[Checked]:
    """Check files in order; on several cores, in worker processes.

    libyaml parses about 5 KB of front matter a millisecond here, so a site of
    thousands of stories is bound by parsing: two cores halve the wait.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_FROM:
        yield from map(check_file, files, contents)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(check_file, files, contents, chunksize=max(16, len(files) // (workers * 8)))
