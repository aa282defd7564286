"""The search index: deterministic JS files built from normalised Story objects.

All strings are the stories' original characters; folding happens on the query
side in search.js.  Per story the text is grouped by weight: the title; group 1
(summary, tags, municipality, prefecture, the body it started through); group 2
(starting line, timeline, failures, burden, reach, contributor, field names,
attributes); group 3 (the narrative as plain text).  A group is its segments
joined with "\\n", with a string of one character per segment naming its kind
(a key of LABELS) so a snippet can say where it matched.

search-index.js holds, per story, [slug, title, updated, facet_values, group1,
kinds1, group2, kinds2, group3, kinds3] (facet_values: per facet, indexes into
that facet's values).  For a large site (over INLINE_BYTES of text) it is two
stages, so that first results do not wait for the whole text: the records in
search-index.js stop at kinds1, and search-text-NNN.js shards hold [group2,
kinds2, group3, kinds3] per story.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from norishiro.format import urls
from norishiro.format.keys import LABELS as KEY_LABELS
from norishiro.format.model import Story
from norishiro.format.plaintext import clean
from norishiro.format.vocab import FIELDS, JUSOU, KINDS, PREFECTURES, SIZE_BANDS, STATUSES, UNKNOWN_SIZE, prefecture_by_name

INDEX_VERSION = 1
INDEX_PATH = "assets/norishiro/search-index.js"
SHARD_PATH = "assets/norishiro/search-text-{number:03d}.js"
SHARD_BYTES = 1_500_000
# Up to this much text, everything goes in the first script: one stage, the
# first results are already the complete ones (about 250 stories).
INLINE_BYTES = 2_000_000
GLOBAL_NAME = "NORISHIRO_INDEX"
SHARD_FUNCTION = "NORISHIRO_TEXT_SHARD"
PAGE_PATTERN = urls.story("{slug}").removesuffix(".md") + ".html"  # use_directory_urls: false
WEIGHTS = (16, 8, 3, 1)

# Segment kinds and their labels, shown beside a snippet ("where it matched").
LABELS: dict[str, str] = {
    "s": KEY_LABELS["summary"],
    "g": KEY_LABELS["tags"],
    "m": KEY_LABELS["municipality.name"],
    "p": KEY_LABELS["municipality.prefecture"],
    "t": KEY_LABELS["started_by.through"],
    "b": KEY_LABELS["before"],
    "e": KEY_LABELS["timeline"],
    "f": KEY_LABELS["failures"],
    "y": KEY_LABELS["failures[].why"],
    "n": KEY_LABELS["failures[].next"],
    "w": KEY_LABELS["burden.workload"],
    "c": KEY_LABELS["burden.funding"],
    "r": KEY_LABELS["reach.now"],
    "u": KEY_LABELS["reach.not_yet"],
    "k": KEY_LABELS["contributor"],
    "d": KEY_LABELS["fields"],
    "a": "自治体の種類・規模・状況",
    "h": "本文の見出し",
    "x": "本文",
}

Segments = list[tuple[str, str]]


def _facet_tables() -> list[dict[str, object]]:
    fields = [[t.id, t.label] for t in FIELDS.terms]
    return [
        {"key": "started", "label": KEY_LABELS["started_by.field"], "values": fields},
        {"key": "field", "label": KEY_LABELS["fields"], "values": fields},
        {"key": "pref", "label": KEY_LABELS["municipality.prefecture"], "values": [[p.romaji, p.name] for p in PREFECTURES]},
        {"key": "size", "label": "人口規模", "values": [[b.id, b.label] for b in (*SIZE_BANDS, UNKNOWN_SIZE)]},
        {"key": "jusou", "label": KEY_LABELS["jusou"], "values": [[t.id, t.label] for t in JUSOU.terms]},
        {"key": "status", "label": KEY_LABELS["status"], "values": [[t.id, t.label] for t in STATUSES.terms]},
    ]


FacetPositions = list[dict[str, int]]


def _facet_positions(tables: Sequence[dict[str, object]]) -> FacetPositions:
    """For each facet table, the position of each value id (computed once per build)."""
    return [{value[0]: position for position, value in enumerate(table["values"])} for table in tables]  # type: ignore[union-attr]


def _facet_values(story: Story, facets: FacetPositions) -> list[list[int]]:
    def positions(order: dict[str, int], ids: Iterable[str]) -> list[int]:
        return sorted({order[i] for i in ids if i in order})

    pref = prefecture_by_name(story.municipality.prefecture).romaji
    wanted = (
        [story.started_by],
        list(story.fields),
        [pref],
        [story.municipality.size_band.id],
        [story.jusou],
        [story.status],
    )
    return [positions(order, ids) for order, ids in zip(facets, wanted, strict=True)]


def _attributes(story: Story) -> list[str]:
    """Labels of the story's enums, so that 未実施 or 休止中 find it too."""
    municipality = story.municipality
    out = [KINDS.label(municipality.kind)]
    if municipality.population is not None:
        out.append(f"人口{municipality.size_band.label}")
    out.append(f"重層的支援体制整備事業：{JUSOU.label(story.jusou)}")
    out.append(STATUSES.label(story.status))
    return out


def _add(segments: Segments, kind: str, text: str | None) -> None:
    value = clean(text)
    if value:
        segments.append((kind, value))


def group1(story: Story) -> Segments:
    segments: Segments = []
    _add(segments, "s", story.summary)
    for tag in story.tags:
        _add(segments, "g", tag)
    _add(segments, "m", story.municipality.name)
    _add(segments, "p", story.municipality.prefecture)
    _add(segments, "t", story.started_through)
    return segments


def group2(story: Story) -> Segments:
    segments: Segments = []
    _add(segments, "b", story.before)
    for item in story.timeline:
        _add(segments, "e", f"{item.when.label()} {item.what}")
    for failure in story.failures:
        _add(segments, "f", failure.what)
        _add(segments, "y", failure.why)
        _add(segments, "n", failure.next)
    _add(segments, "w", story.workload)
    _add(segments, "c", story.funding)
    _add(segments, "r", story.reach_now)
    _add(segments, "u", story.reach_not_yet)
    _add(segments, "k", story.contributor)
    labels = [FIELDS.label(f) for f in dict.fromkeys((story.started_by, *story.fields, *story.carried_by))]
    _add(segments, "d", " ".join(labels))
    _add(segments, "a", " ".join(_attributes(story)))
    return segments


def group3(story: Story) -> Segments:
    return [("h" if kind == "h" else "x", text) for kind, text in story.narrative.blocks]


def _pack(segments: Segments) -> tuple[str, str]:
    return "\n".join(text for _, text in segments), "".join(kind for kind, _ in segments)


def story_head(story: Story, facets: FacetPositions) -> list[object]:
    """What the first script holds: enough to rank title and summary matches."""
    g1, k1 = _pack(group1(story))
    return [story.slug, clean(story.title), story.updated.isoformat(), _facet_values(story, facets), g1, k1]


def story_text(story: Story) -> list[str]:
    """What the text shards hold: groups 2 and 3 with their segment kinds."""
    g2, k2 = _pack(group2(story))
    g3, k3 = _pack(group3(story))
    return [g2, k2, g3, k3]


def searchable_text(story: Story) -> str:
    """Every character the search looks at, for size comparisons."""
    parts = [clean(story.title)]
    for segments in (group1(story), group2(story), group3(story)):
        parts.extend(text for _, text in segments)
    return "\n".join(parts)


def _js_literal(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # JSON allows U+2028/2029 inside strings, pre-2019 JavaScript does not.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _json_call(data_literal: str) -> str:
    """JS expression parsing a JSON text: JSON.parse of a string literal is much
    faster for V8 than an object literal of the same size."""
    quoted = data_literal.replace("\\", "\\\\").replace("'", "\\'")
    return f"JSON.parse('{quoted}')"


def _shards(texts: list[list[str]], budget: int) -> list[tuple[int, str]]:
    """Split the text records into (first story index, JS literal) of about `budget` bytes."""
    shards: list[tuple[int, str]] = []
    first, chunk, size = 0, [], 0
    for position, record in enumerate(texts):
        literal = _js_literal(record)
        if chunk and size + len(literal.encode()) > budget:
            shards.append((first, "[" + ",".join(chunk) + "]"))
            first, chunk, size = position, [], 0
        chunk.append(literal)
        size += len(literal.encode()) + 1
    if chunk:
        shards.append((first, "[" + ",".join(chunk) + "]"))
    return shards


def index_files(
    stories: Iterable[Story],
    shard_bytes: int = SHARD_BYTES,
    inline_bytes: int = INLINE_BYTES,
) -> dict[str, bytes]:
    """The index as scripts (loadable over file://, no fetch), by path from the site root.

    `INDEX_PATH` sets window.NORISHIRO_INDEX: per story the slug, title, date,
    facets and group 1 (summary, tags, place), so title and summary matches
    show at once.  When the text is larger than `inline_bytes`, groups 2 and 3
    go to `search-text-NNN.js` shards, listed in the index with a content hash,
    that hand them to window.NORISHIRO_TEXT_SHARD(first, records); search.js
    loads them after the first results.  Otherwise each story record carries
    them and there are no shards.
    """
    tables = _facet_tables()
    ordered = sorted(stories, key=lambda s: s.slug)
    facets = _facet_positions(tables)
    records = [story_head(s, facets) for s in ordered]
    texts = [story_text(s) for s in ordered]
    files: dict[str, bytes] = {}
    shard_urls: list[str] = []
    if sum(len(part.encode()) for text in texts for part in text) <= inline_bytes:
        records = [record + text for record, text in zip(records, texts, strict=True)]
    else:
        for number, (first, literal) in enumerate(_shards(texts, shard_bytes)):
            path = SHARD_PATH.format(number=number)
            data = f"window.{SHARD_FUNCTION}&&window.{SHARD_FUNCTION}({first},{_json_call(literal)});\n".encode()
            files[path] = data
            shard_urls.append(f"{path}?v={hashlib.sha256(data).hexdigest()[:12]}")
    head = {
        "version": INDEX_VERSION,
        "page": PAGE_PATTERN,
        "labels": LABELS,
        "weights": list(WEIGHTS),
        "facets": tables,
        "shards": shard_urls,
        "stories": records,
    }
    index = {INDEX_PATH: f"window.{GLOBAL_NAME}={_json_call(_js_literal(head))};\n".encode()}
    return {**index, **files}
