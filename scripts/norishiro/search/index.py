"""The search index: deterministic JS files built from normalised Story objects.

Split so that a query downloads only what it needs, and every file loads by
<script> (file:// has no fetch):

search-index.js (INDEX_PATH, on the page)
    window.NORISHIRO_INDEX: labels, weights, facet tables, the number of key
    shards and stories, and a build id for cache busting.  A few KB.
search-meta.js (loaded when a query runs)
    per story its facet values (one character per story and facet; a bitmask
    for the multi-valued facets), for filtering and facet counts.
search-keys/NNNN.js
    an inverted index: normalised keys (query.keys: character bigrams and
    single kanji, plus date keys such as @f2020) -> posting list, sharded by
    a hash of the key.  A posting list is a string of varints (ALPHABET, 5
    bits and a continuation bit per character) of (id gap - 1) * 4 + level,
    where level is the best place the key occurs: 0 title, 1 summary/tags/
    place or a dated item wholly inside the date key's period, 2 timeline/
    failures/other fields or a dated item overlapping it, 3 narrative.
search-docs/NNNNN.js
    per story (by id) what a result shows: [slug, title, meta line, group1,
    kinds1, group2, kinds2, group3, kinds3], groups being segments joined
    with "\\n" and kinds one letter per segment (LABELS).  Loaded for the
    results on screen only.

Story ids follow `updated` (newest first), then slug, so id order is the
tie-break of the ranking.  All strings keep the stories' original characters;
snippets and highlights are found in them by search-match.js.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence

from norishiro.format import urls
from norishiro.format.dates import day_label
from norishiro.format.keys import LABELS as KEY_LABELS
from norishiro.format.model import Story
from norishiro.format.plaintext import clean
from norishiro.format.vocab import (
    DIFFICULTIES,
    FIELDS,
    JUSOU,
    KINDS,
    PREFECTURES,
    PROGRAMMES,
    SIZE_BANDS,
    STATUSES,
    UNKNOWN_SIZE,
    Vocabulary,
    prefecture_by_name,
)
from norishiro.search.query import keys, normalise, period_keys

INDEX_VERSION = 2
INDEX_PATH = "assets/norishiro/search-index.js"
META_PATH = "assets/norishiro/search-meta.js"
KEYS_PATH = "assets/norishiro/search-keys/{number:04d}.js"
DOC_PATH = "assets/norishiro/search-docs/{number:05d}.js"
# Posting bytes per key shard: a query reads one shard per key (a dozen keys
# for a long phrase), so shards stay small.
SHARD_BYTES = 8_000
GLOBAL_NAME = "NORISHIRO_INDEX"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
HASH_MODULUS = 2_147_483_647
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
    "o": KEY_LABELS["overlaps"],
    "q": KEY_LABELS["overlaps[].effect"],
    "j": KEY_LABELS["programmes"],
    "v": KEY_LABELS["reach.groups_now"],
    "z": KEY_LABELS["reach.groups_not_yet"],
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
        {"key": "kind", "label": KEY_LABELS["municipality.kind"], "values": [[t.id, t.label] for t in KINDS.terms]},
        {"key": "prog", "label": KEY_LABELS["programmes"], "values": [[t.id, t.label] for t in PROGRAMMES.terms]},
        {"key": "diff", "label": "困りごと（届いている・まだ届いていない）", "values": [[t.id, t.label] for t in DIFFICULTIES.terms]},
    ]


FacetPositions = list[dict[str, int]]


@functools.cache
def _facet_positions() -> FacetPositions:
    """For each facet table, the position of each value id (the tables are constants)."""
    return [{value[0]: position for position, value in enumerate(table["values"])} for table in _facet_tables()]  # type: ignore[union-attr]


def _facet_values(story: Story) -> list[list[int]]:
    """The positions of the story's values in each facet table (search-meta.js)."""
    facets = _facet_positions()

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
        [story.municipality.kind],
        list(story.programmes),
        list(story.difficulties),
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


def _labels(vocabulary: Vocabulary, ids: Iterable[str], other: str) -> list[str]:
    return [vocabulary.label(i) for i in ids if i != other]


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
        _add(segments, "e", f"{item.when.display()} {item.what}")
    for failure in story.failures:
        _add(segments, "f", f"{failure.when.display()} {failure.what}" if failure.when else failure.what)
        _add(segments, "y", failure.why)
        _add(segments, "n", failure.next)
    _add(segments, "w", story.workload)
    _add(segments, "c", story.funding)
    _add(segments, "r", story.reach_now)
    _add(segments, "u", story.reach_not_yet)
    _add(segments, "k", story.contributor)
    for overlap in story.overlaps:
        combined = "・".join(PROGRAMMES.label(p) for p in overlap.combines)
        _add(segments, "o", f"{overlap.who}：{combined}")
        _add(segments, "q", overlap.effect)
    # The labels of the vocabularies the story names (要保護児童対策地域協議会,
    # 刑務所などを出た人), searchable like the other structured fields.
    _add(segments, "j", "、".join(_labels(PROGRAMMES, story.programmes, "other_programme")))
    _add(segments, "v", "、".join(_labels(DIFFICULTIES, story.groups_now, "other_difficulty")))
    _add(segments, "z", "、".join(_labels(DIFFICULTIES, story.groups_not_yet, "other_difficulty")))
    labels = [FIELDS.label(f) for f in dict.fromkeys((story.started_by, *story.fields, *story.carried_by))]
    _add(segments, "d", " ".join(labels))
    _add(segments, "a", " ".join(_attributes(story)))
    return segments


def group3(story: Story) -> Segments:
    return [("h" if kind == "h" else "x", text) for kind, text in story.narrative.blocks]


def _pack(segments: Segments) -> tuple[str, str]:
    return "\n".join(text for _, text in segments), "".join(kind for kind, _ in segments)


def searchable_text(story: Story) -> str:
    """Every character the search looks at, for size comparisons."""
    parts = [clean(story.title)]
    for segments in (group1(story), group2(story), group3(story)):
        parts.extend(text for _, text in segments)
    return "\n".join(parts)


def js_literal(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # JSON allows U+2028/2029 inside strings, pre-2019 JavaScript does not.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _json_call(data_literal: str) -> str:
    """JS expression parsing a JSON text: JSON.parse of a string literal is much
    faster for V8 than an object literal of the same size."""
    quoted = data_literal.replace("\\", "\\\\").replace("'", "\\'")
    return f"JSON.parse('{quoted}')"


def key_hash(key: str) -> int:
    """The hash that picks a key's shard; search-ui.js computes the same."""
    value = 0
    for char in key:
        value = (value * 31 + ord(char)) % HASH_MODULUS
    return value


_ALPHABET_BYTES = ALPHABET.encode("ascii")


def _varint_bytes(value: int) -> bytes:
    if value < len(_SMALL_VARINTS):
        return _SMALL_VARINTS[value]
    return _encode_varint(value)


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while value >= 32:
        out.append(_ALPHABET_BYTES[32 | (value & 31)])
        value >>= 5
    out.append(_ALPHABET_BYTES[value])
    return bytes(out)


_SMALL_VARINTS = [_encode_varint(value) for value in range(1 << 15)]


def story_levels(story: Story) -> dict[str, int]:
    """Each key of a story with the best level (0 title ... 3 narrative) it occurs at."""
    levels: dict[str, int] = {}
    groups = (
        [clean(story.title)],
        [text for _, text in group1(story)],
        [text for _, text in group2(story)],
        [text for _, text in group3(story)],
    )
    for level in (3, 2, 1, 0):
        for text in groups[level]:
            levels.update(dict.fromkeys(keys(normalise(text)), level))
    dated = [item.when for item in story.timeline] + [f.when for f in story.failures if f.when is not None]
    for period in dated:
        for key, inside in period_keys(period).items():
            levels[key] = min(levels.get(key, 3), 1 if inside else 2)
    return levels


def _meta_line(story: Story) -> str:
    municipality = story.municipality
    parts = [f"{municipality.prefecture} {municipality.name}", STATUSES.label(story.status), f"重層：{JUSOU.label(story.jusou)}"]
    parts.append(f"{KEY_LABELS['started_by.field']}：{FIELDS.label(story.started_by)}")
    parts.append(f"更新 {day_label(story.updated)}")
    return "　・　".join(parts)


def story_doc(story: Story) -> list[str]:
    """What a result shows and highlights (see the module docstring)."""
    g1, k1 = _pack(group1(story))
    g2, k2 = _pack(group2(story))
    g3, k3 = _pack(group3(story))
    return [story.slug, clean(story.title), _meta_line(story), g1, k1, g2, k2, g3, k3]


MULTI_VALUED = ("field", "prog", "diff")  # facets where a story has any number of values


def _encode_meta(values: list[list[list[int]]], tables: Sequence[dict[str, object]]) -> list[list[object]]:
    """Per facet: ["s", one character per story] or ["m", width, a bitmask of width characters per story]."""
    out: list[list[object]] = []
    for f, table in enumerate(tables):
        count = len(table["values"])  # type: ignore[arg-type]
        multi = table["key"] in MULTI_VALUED
        if not multi:
            out.append(["s", "".join(ALPHABET[v[f][0]] for v in values)])
            continue
        width = math.ceil(count / 6)
        chunks = []
        for story_values in values:
            mask = sum(1 << value for value in story_values[f])
            chunks.append("".join(ALPHABET[(mask >> (6 * i)) & 63] for i in range(width)))
        out.append(["m", width, "".join(chunks)])
    return out


StoryParts = tuple[list[tuple[str, int]], str, list[list[int]]]


def story_parts(story: Story) -> StoryParts:
    """What the index takes from one story: its (key, level) pairs, its result entry as a literal,
    and its facet values.

    Most of the index's work; `mkdocs serve` keeps the parts of unchanged stories between builds.
    """
    return list(story_levels(story).items()), js_literal(story_doc(story)), _facet_values(story)


def index_files(
    stories: Iterable[Story], shard_bytes: int = SHARD_BYTES, parts: Callable[[Story], StoryParts] = story_parts,
) -> dict[str, bytes]:
    """The index as scripts (loadable over file://, no fetch), by path from the site root."""
    files: dict[str, bytes] = {}
    write_index(stories, files.__setitem__, shard_bytes, parts)
    return {INDEX_PATH: files.pop(INDEX_PATH), **files}


def _decode(posting: bytes | bytearray) -> list[tuple[int, int]]:
    """A posting list's (story id, level) pairs."""
    pairs: list[tuple[int, int]] = []
    number, value, shift = -1, 0, 0
    for byte in posting:
        digit = _DIGITS[byte]
        value |= (digit & 31) << shift
        if digit & 32:
            shift += 5
            continue
        number += value // 4 + 1
        pairs.append((number, value % 4))
        value, shift = 0, 0
    return pairs


def _encode(pairs: Iterable[tuple[int, int]]) -> bytearray:
    posting, last = bytearray(), -1
    for number, level in pairs:
        posting += _varint_bytes((number - last - 1) * 4 + level)
        last = number
    return posting


_DIGITS = {byte: digit for digit, byte in enumerate(_ALPHABET_BYTES)}


class Postings:
    """The posting lists of the last index written, kept by `mkdocs serve` between builds.

    When the stories are the same in the same order and only a few changed
    (their parts are new objects: the serve memo hands back the same parts for
    an unchanged file), only the lists of keys whose level changed are
    rewritten, and only the shards holding them are made again.  Otherwise the
    lists are made from nothing, as in a build.
    """

    REBUILD_FROM = 50  # changed stories from which making every list is quicker

    def __init__(self) -> None:
        self.slugs: list[str] = []
        self.parts: list[StoryParts] = []
        self.lists: dict[str, bytearray] = {}
        self.changed: set[str] | None = None  # keys whose lists changed in the last update; None: all
        self.shard_keys: list[list[str]] = []  # sorted keys of each shard
        self.shards: list[bytes] = []  # the bytes of each shard file

    def update(self, slugs: list[str], parts: list[StoryParts]) -> None:
        same = slugs == self.slugs
        changed = [number for number, (new, old) in enumerate(zip(parts, self.parts, strict=False)) if new is not old] if same else []
        if not same or len(changed) >= self.REBUILD_FROM:
            self.lists = _lists((levels for levels, _, _ in parts))
            self.changed = None
        else:
            self.changed = set()
            for number in changed:
                old, new = dict(self.parts[number][0]), dict(parts[number][0])
                for key in old.keys() | new.keys():
                    if old.get(key) != new.get(key):
                        self._set(key, number, new.get(key))
        self.slugs, self.parts = slugs, parts

    def _set(self, key: str, number: int, level: int | None) -> None:
        assert self.changed is not None
        self.changed.add(key)
        pairs = [pair for pair in _decode(self.lists.get(key, b"")) if pair[0] != number]
        if level is not None:
            pairs.append((number, level))
            pairs.sort()
        if pairs:
            self.lists[key] = _encode(pairs)
        else:
            self.lists.pop(key, None)


def _lists(levels_by_story: Iterable[list[tuple[str, int]]]) -> dict[str, bytearray]:
    """Each key's posting list, the stories' (key, level) pairs given in id order."""
    postings: dict[str, bytearray] = {}
    last: dict[str, int] = {}
    for number, levels in enumerate(levels_by_story):
        for key, level in levels:  # any order: each key's list grows by story
            gap = number - last.get(key, -1) - 1
            posting = postings.get(key)
            if posting is None:
                posting = postings[key] = bytearray()
            posting += _varint_bytes(gap * 4 + level)
            last[key] = number
    return postings


def write_index(
    stories: Iterable[Story],
    sink: Callable[[str, bytes], object],
    shard_bytes: int = SHARD_BYTES,
    parts: Callable[[Story], StoryParts] = story_parts,
    kept: Postings | None = None,
) -> None:
    """Hand each file of the index to `sink(path, data)` as soon as it is made (see index_files).

    Only the posting lists (one bytearray per key) are held until the end, so
    a build need not keep the documents, which hold every story's text.  The
    build id hashes the files in path order: documents, then key shards, then
    the facet table, the order in which they are handed over.  `parts` may
    remember each story's parts (story_parts) between builds, and `kept` the
    posting lists (`mkdocs serve`).
    """
    tables = _facet_tables()
    ordered = sorted(stories, key=lambda s: (-s.updated.toordinal(), s.slug))
    if len(ordered) > 10**5:  # DOC_PATH's five digits keep path order and id order the same
        raise ValueError("search index: more than 100,000 stories")
    values: list[list[list[int]]] = []
    digest = hashlib.sha256()

    def emit(path: str, data: bytes) -> None:
        digest.update(data)
        sink(path, data)

    def emit_doc(number: int, doc: str) -> None:
        emit(DOC_PATH.format(number=number), f"window.NORISHIRO_DOC&&window.NORISHIRO_DOC({number},{_json_call(doc)});\n".encode())

    if kept is None:
        def levels_by_story() -> Iterator[list[tuple[str, int]]]:
            for number, story in enumerate(ordered):
                levels, doc, facet_values = parts(story)
                emit_doc(number, doc)
                values.append(facet_values)
                yield levels

        postings = _lists(levels_by_story())
    else:
        all_parts = [parts(story) for story in ordered]
        kept.update([story.slug for story in ordered], all_parts)
        for number, (_, doc, facet_values) in enumerate(all_parts):
            emit_doc(number, doc)
            values.append(facet_values)
        postings = kept.lists
    total = sum(len(key) * 3 + len(value) + 6 for key, value in postings.items())
    shard_count = max(1, math.ceil(total / shard_bytes))

    def shard_file(number: int, shard_keys: list[str]) -> bytes:
        shard = {key: postings[key].decode("ascii") for key in shard_keys}
        return f"window.NORISHIRO_KEYS&&window.NORISHIRO_KEYS({number},{js_literal(shard)});\n".encode()

    if kept is not None and kept.changed is not None and len(kept.shards) == shard_count:
        touched = set()
        for key in kept.changed:
            number = key_hash(key) % shard_count
            touched.add(number)
            shard_keys = kept.shard_keys[number]
            at = bisect.bisect_left(shard_keys, key)
            present = at < len(shard_keys) and shard_keys[at] == key
            if key in postings and not present:
                shard_keys.insert(at, key)
            elif key not in postings and present:
                del shard_keys[at]
        for number in touched:
            kept.shards[number] = shard_file(number, kept.shard_keys[number])
        for number in sorted(range(shard_count), key=lambda n: KEYS_PATH.format(number=n)):
            emit(KEYS_PATH.format(number=number), kept.shards[number])
    else:
        shards: list[list[str]] = [[] for _ in range(shard_count)]
        for key in sorted(postings):
            shards[key_hash(key) % shard_count].append(key)
        made: dict[int, bytes] = {}
        for number in sorted(range(shard_count), key=lambda n: KEYS_PATH.format(number=n)):
            data = made[number] = shard_file(number, shards[number])
            emit(KEYS_PATH.format(number=number), data)
            if kept is None:  # written: a build need not hold it
                del made[number]
                for key in shards[number]:
                    del postings[key]
        if kept is not None:
            kept.shard_keys, kept.shards = shards, [made[number] for number in range(shard_count)]
    meta = _encode_meta(values, tables)
    emit(META_PATH, f"window.NORISHIRO_META&&window.NORISHIRO_META({js_literal(meta)});\n".encode())
    head = {
        "version": INDEX_VERSION,
        "page": PAGE_PATTERN,
        "labels": LABELS,
        "weights": list(WEIGHTS),
        "facets": tables,
        "count": len(ordered),
        "shards": shard_count,
        "build": digest.hexdigest()[:12],
        "paths": {"meta": META_PATH, "keys": KEYS_PATH.replace("{number:04d}", "{n}"), "docs": DOC_PATH.replace("{number:05d}", "{n}")},
    }
    sink(INDEX_PATH, f"window.{GLOBAL_NAME}={js_literal(head)};\n".encode())
