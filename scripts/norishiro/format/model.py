"""Normalised story objects: what the checker hands to pages and search.

Values here are already normalised: enums and fields are ids, the prefecture is
its full name, dates are Periods.  Page and index generators take these objects
only, never raw YAML.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from datetime import date

from norishiro.format.dates import Period
from norishiro.format.vocab import SizeBand, programme_named_in, size_band


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    prefecture: str  # full name, e.g. 三重県
    kind: str  # KINDS id
    population: int | None
    code: str | None = None  # 全国地方公共団体コード, six digits (version 1.1)

    @property
    def size_band(self) -> SizeBand:
        return size_band(self.population)


@dataclass(frozen=True, slots=True)
class TimelineItem:
    when: Period
    what: str
    kind: str | None  # TIMELINE_KINDS id
    line: int


@dataclass(frozen=True, slots=True)
class Failure:
    what: str
    why: str | None
    next: str | None
    when: Period | None
    line: int


@dataclass(frozen=True)
class Narrative:
    """The narrative as written, and as read once by the checker (norishiro.check.narrative)."""

    html: str  # sanitised HTML for the story page, headings one level down
    blocks: tuple[tuple[str, str], ...]  # (kind, plain text): "h" heading, "p" anything else
    markdown: str  # the body of the file as written (published in the collection's data)

    def packed(self) -> PackedNarrative:
        return PackedNarrative(zlib.compress(pickle.dumps((self.html, self.blocks, self.markdown), pickle.HIGHEST_PROTOCOL), 1))


class PackedNarrative(Narrative):
    """A Narrative held compressed, unpacked on each use.

    A site build holds every story from the first page to the last, and the
    narrative (three forms of the same text) is most of a story, yet each form
    is read about once: the search index reads the blocks, the story page the
    HTML, the collection's data the Markdown.  Compressed together they take
    about a tenth of the room.
    """

    __slots__ = ("_packed",)

    def __init__(self, packed: bytes) -> None:  # noqa: D107
        object.__setattr__(self, "_packed", packed)

    def _unpacked(self) -> tuple[str, tuple[tuple[str, str], ...], str]:
        return pickle.loads(zlib.decompress(self._packed))

    @property  # type: ignore[override]
    def html(self) -> str:
        return self._unpacked()[0]

    @property  # type: ignore[override]
    def blocks(self) -> tuple[tuple[str, str], ...]:
        return self._unpacked()[1]

    @property  # type: ignore[override]
    def markdown(self) -> str:
        return self._unpacked()[2]

    def packed(self) -> PackedNarrative:
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Narrative):
            return NotImplemented
        return (self.html, self.blocks, self.markdown) == (other.html, other.blocks, other.markdown)

    def __hash__(self) -> int:
        return hash(self._unpacked())

    def __repr__(self) -> str:
        html, blocks, markdown = self._unpacked()
        return f"Narrative(html={html!r}, blocks={blocks!r}, markdown={markdown!r})"

    def __reduce__(self) -> tuple[type[PackedNarrative], tuple[bytes]]:
        return PackedNarrative, (self._packed,)


@dataclass(frozen=True, slots=True)
class Overlap:
    """のりしろ: one role that carries several programmes together (version 1.1)."""

    who: str
    combines: tuple[str, ...]  # PROGRAMMES ids, two or more, each once
    effect: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Story:
    slug: str
    source: str  # path of the file as given to the loader
    title: str
    summary: str
    municipality: Municipality
    jusou: str  # JUSOU id
    started_by: str  # FIELDS id
    started_through: str | None
    fields: tuple[str, ...]  # FIELDS ids, started_by first when it was added
    before: str | None
    carried_by: tuple[str, ...]
    status: str  # STATUSES id
    timeline: tuple[TimelineItem, ...]
    failures: tuple[Failure, ...]
    workload: str | None
    funding: str | None
    reach_now: str | None
    reach_not_yet: str | None
    contributor: str | None
    updated: date
    tags: tuple[str, ...]
    body_line: int  # line of the file where the body starts
    sample: bool  # fictional sample story (架空の記入例)
    narrative: Narrative  # the body as written, and read once: page HTML and search text
    # Version 1.1 (empty for version 1 stories).
    programmes: tuple[str, ...] = ()  # PROGRAMMES ids: `programmes` and every overlap's `combines`
    overlaps: tuple[Overlap, ...] = ()
    groups_now: tuple[str, ...] = ()  # DIFFICULTIES ids reached now
    groups_not_yet: tuple[str, ...] = ()  # DIFFICULTIES ids named as not reached yet

    @property
    def body(self) -> str:
        """The Markdown narrative as written."""
        return self.narrative.markdown

    @property
    def difficulties(self) -> tuple[str, ...]:
        """Every DIFFICULTIES id the story names, reached now or not yet."""
        return tuple(dict.fromkeys(self.groups_now + self.groups_not_yet))

    @property
    def started_programme(self) -> str | None:
        """The PROGRAMMES id that `started_by.through` names, if it names one."""
        return programme_named_in(self.started_through) if self.started_through else None
