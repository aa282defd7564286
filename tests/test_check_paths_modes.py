"""A check gives the same findings however it runs: stories wanted or not, serial or in worker processes.

A check that builds no page never renders the narrative (the rendering is
lazy), and many files are checked in worker processes; neither may change
what is found, its order, or the stories a site is built from.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from norishiro.check import collection
from norishiro.check.cache import Cache, file_key
from norishiro.check.collection import check_paths, story_files
from norishiro.check.rule_ids import TODAY_DEPENDENT
from norishiro.check.story import check_file
from norishiro.format.model import Narrative, PackedNarrative

ROOT = Path(__file__).resolve().parent
FOLDERS = [str(ROOT.parent / "stories"), str(ROOT / "fixtures" / "bad"), str(ROOT / "fixtures" / "attacks")]


def test_findings_do_not_depend_on_wanting_stories() -> None:
    full = check_paths(FOLDERS)
    findings_only = check_paths(FOLDERS, want_stories=False)
    assert findings_only.findings == full.findings and findings_only.files == full.files
    assert findings_only.stories == [] and full.stories


def test_worker_processes_give_what_one_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    serial = check_paths(FOLDERS)
    monkeypatch.setattr(collection, "PARALLEL_FROM", 1)
    monkeypatch.setattr(collection.os, "cpu_count", lambda: 2)
    seen: list[tuple[int, int]] = []
    parallel = check_paths(FOLDERS, progress=lambda done, total: seen.append((done, total)))
    assert parallel.findings == serial.findings and parallel.stories == serial.stories
    assert seen == [(done, serial.files) for done in range(1, serial.files + 1)]
    assert all(type(story.narrative) is PackedNarrative for story in parallel.stories + serial.stories)  # sent packed, not as a parse


def test_a_lazy_narrative_is_the_narrative_it_renders() -> None:
    for path in sorted((ROOT.parent / "stories").glob("*.md")):
        story, _ = check_file(str(path))
        assert story is not None
        copied = pickle.loads(pickle.dumps(story))
        assert type(copied.narrative) is Narrative and copied.narrative == story.narrative and copied == story
        assert story.narrative.html == copied.narrative.html and story.narrative.blocks == copied.narrative.blocks
        assert story.narrative.markdown == story.body == path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def test_a_packed_narrative_is_the_narrative_it_packs() -> None:
    for path in sorted((ROOT.parent / "stories").glob("*.md")):
        story, _ = check_file(str(path))
        assert story is not None
        packed = story.narrative.packed()
        assert type(packed) is PackedNarrative and packed == story.narrative and hash(packed) == hash(story.narrative)
        assert (packed.html, packed.blocks, packed.markdown) == (story.narrative.html, story.narrative.blocks, story.body)
        assert repr(packed) == repr(story.narrative) == repr(Narrative(packed.html, packed.blocks, packed.markdown))
        copied = pickle.loads(pickle.dumps(packed))
        assert type(copied) is PackedNarrative and copied == packed and len(pickle.dumps(packed)) < len(pickle.dumps(Narrative(packed.html, packed.blocks, packed.markdown))) / 3


def test_a_first_check_in_worker_processes_keys_the_cache_by_the_bytes_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = check_paths(FOLDERS)
    monkeypatch.setattr(collection, "PARALLEL_FROM", 1)
    monkeypatch.setattr(collection.os, "cpu_count", lambda: 2)
    cold = check_paths(FOLDERS, cache=Cache(tmp_path), want_stories=False)
    assert cold.findings == serial.findings and cold.files == serial.files
    files, _ = story_files(FOLDERS)
    today = {f.path for f in serial.findings if f.rule in TODAY_DEPENDENT}
    expected = {file_key(path, Path(path).read_bytes()) for path in files if path not in today}
    assert set(Cache(tmp_path).findings) == expected
    checked: list[str] = []
    real = collection.check_file
    monkeypatch.setattr(collection, "check_file", lambda path, data=None: checked.append(path) or real(path, data))
    monkeypatch.setattr(collection, "PARALLEL_FROM", 10_000)  # the stand-in counts in this process
    again = check_paths(FOLDERS, cache=Cache(tmp_path), want_stories=False)
    assert again.findings == serial.findings and sorted(checked) == sorted(today)
