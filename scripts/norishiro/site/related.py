"""Related stories: same starting field, similar size, same prefecture.

The index is built once for the whole site.  For each story only a bounded
pool of candidates is scored (the stories that follow it, by slug, in each
group it belongs to), so the work per page does not grow with the number of
stories and different stories link to different neighbours.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from norishiro.format.model import Story
from norishiro.format.vocab import SIZE_BANDS, UNKNOWN_SIZE

LIMIT = 6
_POOL = 4 * LIMIT  # candidates taken from each group

# (group kind, weight, reason shown to readers)
_STARTED = ("started", 3, "同じ分野から始まった")
_PREFECTURE = ("prefecture", 2, "同じ都道府県")
_SAME_SIZE = ("size", 2, "同じ規模")
_NEAR_SIZE = ("size", 1, "近い規模")
_BAND_ORDER = {band.id: index for index, band in enumerate(SIZE_BANDS)}


@dataclass(frozen=True)
class Related:
    story: Story
    reasons: tuple[str, ...]


def _near_bands(band_id: str) -> list[str]:
    if band_id == UNKNOWN_SIZE.id:
        return []
    index = _BAND_ORDER[band_id]
    return [SIZE_BANDS[i].id for i in (index - 1, index + 1) if 0 <= i < len(SIZE_BANDS)]


def _keys(story: Story) -> dict[str, str]:
    return {"started": story.started_by, "prefecture": story.municipality.prefecture, "size": story.municipality.size_band.id}


class RelatedMemory:
    """Each story's related stories (by slug) as last chosen, kept by `mkdocs serve` between builds.

    The choice reads only the slugs and the group keys (_keys) of all stories:
    while those are the same, an edit changes no story's related stories.
    """

    def __init__(self) -> None:
        self.signature: list[tuple[str, dict[str, str]]] = []
        self.chosen: dict[str, list[tuple[str, tuple[str, ...]]]] = {}


class RelatedIndex:
    def __init__(self, stories: Iterable[Story], memory: RelatedMemory | None = None) -> None:
        self._groups: dict[tuple[str, str], list[Story]] = defaultdict(list)
        self._keys: dict[str, dict[str, str]] = {}
        self._stories: dict[str, Story] = {}
        for story in sorted(stories, key=lambda s: s.slug):
            keys = self._keys[story.slug] = _keys(story)
            self._stories[story.slug] = story
            for kind, value in keys.items():
                if not (kind == "size" and value == UNKNOWN_SIZE.id):
                    self._groups[(kind, value)].append(story)
        self._slugs = {key: [story.slug for story in group] for key, group in self._groups.items()}
        self._memory = memory
        if memory is not None:
            signature = list(self._keys.items())
            if signature != memory.signature:
                memory.signature, memory.chosen = signature, {}

    def related(self, story: Story) -> list[Related]:
        memory = self._memory if story.slug in self._keys else None  # a story outside the index is never remembered
        chosen = memory.chosen.get(story.slug) if memory is not None else None
        if chosen is not None:
            return [Related(self._stories[slug], reasons) for slug, reasons in chosen]
        found = self._related(story)
        if memory is not None:
            memory.chosen[story.slug] = [(other.story.slug, other.reasons) for other in found]
        return found

    def _following(self, key: tuple[str, str], slug: str) -> Iterator[Story]:
        """Up to _POOL stories of a group after `slug`, wrapping around."""
        group = self._groups.get(key, [])
        start = bisect_right(self._slugs.get(key, []), slug)
        wrapped = (group[(start + offset) % len(group)] for offset in range(len(group)))
        return islice((story for story in wrapped if story.slug != slug), _POOL)

    def _related(self, story: Story) -> list[Related]:
        keys = self._keys.get(story.slug) or _keys(story)
        band = keys["size"]
        lookups = [(_STARTED, keys["started"]), (_PREFECTURE, keys["prefecture"])]
        if band != UNKNOWN_SIZE.id:
            lookups.append((_SAME_SIZE, band))
            lookups.extend((_NEAR_SIZE, near) for near in _near_bands(band))
        found: dict[str, Story] = {}
        for (kind, _, _), value in lookups:
            for other in self._following((kind, value), story.slug):
                found.setdefault(other.slug, other)
        scored = []
        for slug in found:
            other_keys = self._keys[slug]
            shared = [(weight, reason) for (kind, weight, reason), value in lookups if other_keys[kind] == value]
            scored.append((-sum(weight for weight, _ in shared), slug, tuple(reason for _, reason in shared)))
        return [Related(found[slug], reasons) for _, slug, reasons in sorted(scored)[:LIMIT]]

