"""Checking many story files at once: folders, unique slugs, loading for the site."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

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


def story_files(paths: Iterable[str]) -> tuple[list[str], list[Finding]]:
    """Expand folders to their story files; report what is skipped and why."""
    files: list[str] = []
    findings: list[Finding] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if not child.is_file() or any(part.startswith(".") for part in child.relative_to(path).parts):
                    continue
                if child.suffix.lower() in (".md", ".markdown"):
                    files.append(str(child))
                else:
                    findings.append(Finding(str(child), 0, 0, "W001", WARNING, f"「{child.name}」は物語のファイル（.md）ではないので読みませんでした（物語なら拡張子を .md にしてください）"))
        elif path.is_file():
            files.append(str(path))
        else:
            findings.append(Finding(str(path), 0, 0, "S000", ERROR, "ファイルもフォルダも見つかりません（パスの綴りを確かめてください）"))
    return files, findings


def check_paths(paths: Iterable[str], progress: Callable[[int, int], None] | None = None) -> Result:
    """Check every story file under paths; progress(done, total) is called after each file."""
    files, findings = story_files(paths)
    result = Result(findings=findings, files=len(files))
    first_file: dict[str, str] = {}
    for done, (path, (story, file_findings)) in enumerate(zip(files, _check_all(files), strict=True), start=1):
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


def _check_all(files: list[str]) -> Iterator[tuple[Story | None, list[Finding]]]:
    """Check files in order; on several cores, in worker processes.

    libyaml parses about 5 KB of front matter a millisecond here, so a site of
    thousands of stories is bound by parsing: two cores halve the wait.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_FROM:
        yield from map(check_file, files)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(check_file, files, chunksize=max(16, len(files) // (workers * 8)))
