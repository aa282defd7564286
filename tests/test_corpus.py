"""The benchmark corpus: varied, reproducible, and clean under `check --strict`."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from benchmarks.corpus import SAMPLES, make_corpus
from norishiro.check.collection import check_paths


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return make_corpus(300, tmp_path_factory.mktemp("corpus"))


def test_every_generated_story_checks_clean_strict(corpus: list[Path]) -> None:
    result = check_paths([str(corpus[0].parent)])
    assert result.files == 300
    assert [f.text() for f in result.findings] == []
    assert len(result.stories) == 300


def test_same_seed_same_files(corpus: list[Path], tmp_path: Path) -> None:
    again = make_corpus(20, tmp_path)
    assert [p.name for p in again] == [p.name for p in corpus[:20]]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, corpus, strict=False))


def test_text_varies_like_a_collection_not_copies_of_samples(corpus: list[Path]) -> None:
    stories = check_paths([str(corpus[0].parent)]).stories
    samples = check_paths([str(SAMPLES)]).stories
    sample_bodies = {s.body.strip() for s in samples}
    assert not any(s.body.strip() in sample_bodies for s in stories)
    assert len({s.municipality.name for s in stories}) > 150
    assert len({s.municipality.prefecture for s in stories}) >= 40
    assert len({s.municipality.kind for s in stories}) == 8
    assert len({s.jusou for s in stories}) == 3 and len({s.status for s in stories}) == 4
    whats = [item.what for s in stories for item in s.timeline]
    assert len(set(whats)) > 0.85 * len(whats)
    # Copies of 12 samples compress far better than a real collection would.
    text = "".join(p.read_text(encoding="utf-8") for p in corpus).encode()
    assert len(gzip.compress(text)) > len(text) / 7


def test_no_story_is_updated_after_october_2026(tmp_path: Path) -> None:
    """Dates after the day a benchmark runs are warned (W105): the corpus stays clean on any day from 2026-11."""
    import re

    files = make_corpus(2_000, tmp_path)
    updated = [re.search(r"^updated: ['\"]?(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.MULTILINE) for path in files]
    assert all(updated)
    assert max(found.group(1) for found in updated if found) <= "2026-10-31"
