"""The collection as CSV tables for spreadsheets, and their Data Package descriptor.

Three tables: stories.csv (one row per story), timeline.csv (one row per
timeline item and dated failure, in the order of the story page) and
failures.csv (one row per failure).  The columns are made in one place, from
the format definition: each key gives one or more columns (an enum its label
and its id, a `when` its label, the text as written, first and last day), so the
CSV headers, the Data Package descriptor and the table on the 「データを使う」
page all read the same `Column` lists.

The files are for Excel on a Japanese Windows PC: UTF-8 with a byte-order mark
(without it Excel reads Shift_JIS), CRLF line ends, one header row of Japanese
column names with none blank; days as YYYY-MM-DD.  A text cell that starts
with = + - or @ is written with a leading ' so that Excel shows it as text
instead of running it as a formula (story text is written by others).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any, BinaryIO

from norishiro.format import urls
from norishiro.format.dates import Period
from norishiro.format.keys import BOOLEAN, DAY, ENUM, FRONT_MATTER, INTEGER, KEYS, LABELS, LIST, MAPPING, PERIOD, PREFECTURE, STRING, Key
from norishiro.format.memo import Memo, no_memo
from norishiro.format.model import Story
from norishiro.format.vocab import PREFECTURES, SIZE_BANDS, UNKNOWN_SIZE, prefecture_by_name
from norishiro.site.data import DATA_DIR, LICENCE, PRECISION_LABELS, Publication, child_path, model_value
from norishiro.site.failures import groups_of
from norishiro.site.story_page import Entry, failure_id, timeline_entries

LIST_SEPARATOR = "、"  # between labels (and tags) in one cell
ID_SEPARATOR = ";"  # between ids in one cell
TRUE, FALSE = "はい", "いいえ"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """What one CSV row is about: a story, and the timeline entry or failure of the row."""

    story: Story
    position: int = 0  # 1-based number of the entry or failure within the story
    entry: Entry | None = None


Getter = Callable[[Row], Any]


@dataclass(frozen=True)
class Column:
    id: str  # the documented id form, e.g. municipality.prefecture
    label: str  # the Japanese header, e.g. 都道府県
    type: str  # Table Schema type: string, integer, date, boolean
    description: str
    get: Getter
    enum: tuple[str, ...] = ()
    required: bool = False

    def cell(self, row: Row) -> str:
        return cell_text(self.get(row), self.type)

    def field(self) -> dict[str, Any]:
        """The Table Schema field of this column (its name is the header)."""
        out: dict[str, Any] = {"name": self.label, "title": self.label, "x-id": self.id, "type": self.type, "description": self.description}
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        if self.type == "boolean":
            out.update({"trueValues": [TRUE], "falseValues": [FALSE]})
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        return out


def cell_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "boolean":
        return TRUE if value else FALSE
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if kind == "string" and text.startswith(FORMULA_START) else text


def _describe(key: Key) -> str:
    return key.help or key.label


# ---------------------------------------------------------------- columns from the format definition


def key_columns(path: str, key: Key, locate: Callable[[Row], Any], prefix: str = "") -> list[Column]:
    """The columns one key gives.  `locate` finds the object that holds the key for a row;
    `prefix` is the list path left out of column ids (timeline[] in timeline.csv)."""
    ident = path.removeprefix(prefix)
    label = key.label

    def value(row: Row) -> Any:
        holder = locate(row)
        return None if holder is None else model_value(holder, path, key)

    if key.type == MAPPING:
        inner = _inside(locate, path, key)
        return [column for child in key.children for column in key_columns(child_path(path, child), child, inner, prefix)]
    if key.type in (STRING, INTEGER, BOOLEAN, DAY):
        kind = {STRING: "string", INTEGER: "integer", BOOLEAN: "boolean", DAY: "date"}[key.type]
        return [Column(ident, label, kind, _describe(key), value, required=key.required and kind != "string")]
    if key.type == ENUM:
        assert key.vocab is not None
        terms = key.vocab.terms
        return [
            Column(f"{ident}_label", label, "string", _describe(key), lambda r: _map(value(r), key.vocab.label), tuple(t.label for t in terms)),
            Column(ident, f"{label}（コード）", "string", f"{label}のコード（物語のファイルに書く値）", value, tuple(t.id for t in terms)),
        ]
    if key.type == PREFECTURE:
        return [
            Column(ident, label, "string", _describe(key), value, tuple(p.name for p in PREFECTURES), required=True),
            Column(f"{ident}_id", f"{label}（コード）", "string", f"{label}のローマ字（ページと data/prefecture/ のフォルダの名前）",
                   lambda r: prefecture_by_name(value(r)).romaji, tuple(p.romaji for p in PREFECTURES), required=True),
        ]
    if key.type == PERIOD:
        return period_columns(ident, label, value)
    if key.type == LIST:
        assert key.item is not None
        item = key.item
        if item.type == MAPPING:
            return [Column(f"{ident}_count", f"{label}の件数", "integer", f"{label}の数", lambda r: len(value(r)), required=True)]
        if item.type == ENUM:
            assert item.vocab is not None
            return [
                Column(f"{ident}_label", label, "string", f"{_describe(key)}（「{LIST_SEPARATOR}」で区切り）",
                       lambda r: LIST_SEPARATOR.join(item.vocab.label(v) for v in value(r))),
                Column(ident, f"{label}（コード）", "string", f"{label}のコード（「{ID_SEPARATOR}」で区切り）", lambda r: ID_SEPARATOR.join(value(r))),
            ]
        return [Column(ident, label, "string", f"{_describe(key)}（「{LIST_SEPARATOR}」で区切り）", lambda r: LIST_SEPARATOR.join(str(v) for v in value(r)))]
    return [Column(ident, label, "string", _describe(key), lambda r: None if value(r) is None else str(value(r)))]


def _inside(locate: Callable[[Row], Any], path: str, key: Key) -> Callable[[Row], Any]:
    """The holder of a mapping's children, from the holder of the mapping."""

    def holder(row: Row) -> Any:
        outer = locate(row)
        return None if outer is None else model_value(outer, path, key)

    return holder


def _map(value: Any, fn: Callable[[Any], Any]) -> Any:
    return None if value is None else fn(value)


def period_columns(ident: str, label: str, value: Callable[[Row], Period | None]) -> list[Column]:
    return [
        Column(f"{ident}_label", label, "string", f"{label}（サイトでの表示。和暦には西暦を添えます）", lambda r: _map(value(r), Period.label)),
        Column(ident, f"{label}（書いたまま）", "string", f"{label}（物語のファイルに書かれたまま）", lambda r: _map(value(r), lambda p: p.text)),
        Column(f"{ident}_start", f"{label}の最初の日", "date", f"{label}が表す期間の最初の日（年度は4月1日）", lambda r: _map(value(r), lambda p: p.start)),
        Column(f"{ident}_end", f"{label}の最後の日", "date", f"{label}が表す期間の最後の日（年度は翌年3月31日）", lambda r: _map(value(r), lambda p: p.end)),
        Column(f"{ident}_precision", f"{label}の細かさ", "string", "日・月・年・年度のどれで書かれたか",
               lambda r: _map(value(r), lambda p: PRECISION_LABELS[p.precision]), tuple(PRECISION_LABELS.values())),
    ]


def _story(row: Row) -> Story:
    return row.story


def _story_key(path: str) -> list[Column]:
    """The columns of a key of the story (not inside a list), e.g. municipality.name."""
    locate: Callable[[Row], Any] = _story
    parts = path.split(".")
    for depth in range(1, len(parts)):
        parent = ".".join(parts[:depth])
        locate = _inside(locate, parent, KEYS[parent])
    return key_columns(path, KEYS[path], locate)


def _page_column(pub: Publication, anchor: Callable[[Row], str] = lambda r: "") -> Column:
    def page(row: Row) -> str:
        doc = urls.story(row.story.slug)
        return pub.page_url(doc, anchor(row)) or pub.page_path(doc) + anchor(row)

    where = "サイトの URL" if pub.site_url else "サイトのフォルダの中の場所"
    return Column("page", "ページ", "string", f"物語のページ（{where}）", page, required=True)


SLUG = Column("slug", "物語ID", "string", "物語のファイル名（stories/<物語ID>.md）。ページの URL にも使います", lambda r: r.story.slug, required=True)
_BANDS = (*SIZE_BANDS, UNKNOWN_SIZE)
SIZE = [
    Column("municipality.size_band_label", "規模", "string", "人口の規模（人口から決まります）",
           lambda r: r.story.municipality.size_band.label, tuple(b.label for b in _BANDS), required=True),
    Column("municipality.size_band", "規模（コード）", "string", "人口の規模のコード",
           lambda r: r.story.municipality.size_band.id, tuple(b.id for b in _BANDS), required=True),
]


def story_columns(pub: Publication) -> list[Column]:
    columns = [SLUG]
    for child in FRONT_MATTER.children:
        columns += _story_key(child.name)
        if child.name == "municipality":
            columns += SIZE
    return [*columns, _page_column(pub)]


def _context(*paths: str) -> list[Column]:
    columns: list[Column] = []
    for path in paths:
        columns += _story_key(path)
    return columns


@dataclass(frozen=True)
class _Event:
    """A timeline row: a timeline item, or a dated failure placed on the timeline."""

    when: Period
    what: str
    kind: str | None


def _event(row: Row) -> _Event:
    assert row.entry is not None
    source = row.entry.item or row.entry.failure
    assert source is not None
    return _Event(row.entry.when, source.what, row.entry.item.kind if row.entry.item else None)


def timeline_columns(pub: Publication) -> list[Column]:
    timeline_label, failure_label = LABELS["timeline"], LABELS["failures"]
    entry = [
        Column("position", "順番", "integer", "物語のページの経過での順番（1から）", lambda r: r.position, required=True),
        Column("entry_label", "項目", "string", f"{timeline_label}の項目か、時期の書かれた{failure_label}か",
               lambda r: failure_label if r.entry and r.entry.failure else timeline_label, (timeline_label, failure_label), required=True),
        Column("entry", "項目（コード）", "string", "timeline（経過）か failure（うまくいかなかったこと）",
               lambda r: "failure" if r.entry and r.entry.failure else "timeline", ("timeline", "failure"), required=True),
    ]
    item = _item(KEYS["timeline"])
    keys = [c for child in item.children for c in key_columns(f"timeline[].{child.name}", child, _event, "timeline[].")]
    number = Column("failure_number", f"{failure_label}の番号", "integer", f"{failure_label}の行のとき、物語の中での番号（failures.csv の「番号」）",
                    lambda r: r.entry.failure_number if r.entry and r.entry.failure else None)
    return [SLUG, *_context("title", "municipality.name", "municipality.prefecture"), *entry, *keys, number, _page_column(pub, _entry_anchor)]


def _item(key: Key) -> Key:
    assert key.item is not None
    return key.item


def _entry_anchor(row: Row) -> str:
    if row.entry is not None and row.entry.failure is not None:
        return "#" + failure_id(row.entry.failure_number)
    return ""


def _failure(row: Row) -> Any:
    return row.story.failures[row.position - 1]


def failure_columns(pub: Publication) -> list[Column]:
    failure_label = LABELS["failures"]
    item = _item(KEYS["failures"])
    keys = [c for child in item.children for c in key_columns(f"failures[].{child.name}", child, _failure, "failures[].")]
    number = Column("number", "番号", "integer", f"物語の中での{failure_label}の番号（1から。ページの failure-番号）", lambda r: r.position, required=True)
    groups = Column("groups", "分類", "string", f"「うまくいかなかったことの一覧」での分類（「{LIST_SEPARATOR}」で区切り）",
                    lambda r: LIST_SEPARATOR.join(g.label for g in groups_of(r.story, _failure(r))))
    context = _context("title", "municipality.name", "municipality.prefecture", "municipality.kind")
    after = [*_context("jusou", "status", "updated")]
    return [SLUG, *context, *SIZE, *after, number, *keys, groups, _page_column(pub, lambda r: "#" + failure_id(r.position))]


# ---------------------------------------------------------------- rows and files


def story_rows(stories: Iterable[Story]) -> list[Row]:
    return [Row(story) for story in sorted(stories, key=lambda s: s.slug)]


def timeline_rows(stories: Iterable[Story]) -> list[Row]:
    return [
        Row(story, position, entry)
        for story in sorted(stories, key=lambda s: s.slug)
        for position, entry in enumerate(timeline_entries(story), start=1)
    ]


def failure_rows(stories: Iterable[Story]) -> list[Row]:
    return [Row(story, number) for story in sorted(stories, key=lambda s: s.slug) for number in range(1, len(story.failures) + 1)]


@dataclass(frozen=True)
class Table:
    name: str  # file name without .csv, and the resource name
    title: str
    description: str
    columns: Callable[[Publication], list[Column]]
    rows: Callable[[Iterable[Story]], list[Row]]
    primary_key: tuple[str, ...] = field(default=())


TABLES: tuple[Table, ...] = (
    Table("stories", "物語", "1行が1つの物語です。", story_columns, story_rows, ("slug",)),
    Table("timeline", "経過", "1行が経過の1項目、または時期の書かれた「うまくいかなかったこと」です。物語のページの経過と同じ順に並びます。",
          timeline_columns, timeline_rows, ("slug", "position")),
    Table("failures", "うまくいかなかったこと", "1行が「うまくいかなかったこと」の1件です。自治体・規模・重層的支援体制整備事業の有無を添えています。",
          failure_columns, failure_rows, ("slug", "number")),
)


def _csv_text(rows: Iterable[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode()


def write_table(handle: BinaryIO, table: Table, pub: Publication, stories: Iterable[Story], memo: Memo = no_memo) -> None:
    """The table's CSV file (UTF-8 with a byte order mark, CRLF), written a story's rows at a time.

    A story's rows depend on that story alone (and the publication), so `mkdocs serve` keeps them.
    """
    columns = table.columns(pub)
    handle.write(b"\xef\xbb\xbf" + _csv_text([[column.label for column in columns]]))
    for story in sorted(stories, key=lambda s: s.slug):
        handle.write(memo(("csv", table.name, pub), story, lambda story=story: _csv_text([column.cell(row) for column in columns] for row in table.rows([story]))))


def prefecture_dir(romaji: str) -> str:
    return f"{DATA_DIR}/prefecture/{romaji}"


def by_prefecture(stories: Iterable[Story]) -> dict[str, list[Story]]:
    """Prefecture romaji -> its stories, in JIS order of the prefectures."""
    grouped: dict[str, list[Story]] = {}
    for story in stories:
        grouped.setdefault(prefecture_by_name(story.municipality.prefecture).romaji, []).append(story)
    return {p.romaji: grouped[p.romaji] for p in PREFECTURES if p.romaji in grouped}


def csv_files(stories: Sequence[Story], pub: Publication) -> dict[str, bytes]:
    """Site-relative path -> bytes of every CSV file: the whole collection, then each prefecture."""
    out: dict[str, bytes] = {}
    for path, write in csv_writers(stories, pub):
        data = io.BytesIO()
        write(data)
        out[path] = data.getvalue()
    return out


def csv_writers(stories: Sequence[Story], pub: Publication, memo: Memo = no_memo) -> Iterator[tuple[str, Callable[[BinaryIO], None]]]:
    """Each CSV file of csv_files as (path, a function writing it to a file), so a build holds no whole file."""
    sets = {DATA_DIR: list(stories)} | {prefecture_dir(romaji): here for romaji, here in by_prefecture(stories).items()}
    for folder, here in sets.items():
        for table in TABLES:
            yield f"{folder}/{table.name}.csv", partial(write_table, table=table, pub=pub, stories=here, memo=memo)


def _resource(table: Table, pub: Publication, folder: str, name: str, title: str, stories_resource: str) -> dict[str, Any]:
    columns = table.columns(pub)
    labels = {column.id: column.label for column in columns}
    schema: dict[str, Any] = {"fields": [column.field() for column in columns], "primaryKey": [labels[i] for i in table.primary_key]}
    if table.name != "stories":
        schema["foreignKeys"] = [{"fields": [labels["slug"]], "reference": {"resource": stories_resource, "fields": [labels["slug"]]}}]
    return {
        "name": name,
        "title": title,
        "description": table.description,
        "path": f"{folder}/{table.name}.csv".removeprefix(DATA_DIR + "/"),  # relative to datapackage.json
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": schema,
    }


def package_for(prefectures: tuple[str, ...], pub: Publication) -> dict[str, Any]:
    """The Frictionless Data Package descriptor of every CSV file (data/datapackage.json)
    of a collection with stories in these prefectures (romaji in JIS order: by_prefecture's keys)."""
    resources = [_resource(table, pub, DATA_DIR, table.name, table.title, "stories") for table in TABLES]
    for romaji in prefectures:
        pref = next(p for p in PREFECTURES if p.romaji == romaji)
        for table in TABLES:
            resources.append(_resource(table, pub, prefecture_dir(romaji), f"{romaji}-{table.name}", f"{pref.name}: {table.title}", f"{romaji}-stories"))
    package: dict[str, Any] = {
        "name": "norishiro-stories",
        "title": f"{pub.site_name}: 包括的支援体制の実践の物語",
        "description": "市町村・都道府県の職員が書いた、包括的支援体制づくりの過程の物語（経過とうまくいかなかったこと）。",
        "created": f"{pub.build_date.isoformat()}T00:00:00+09:00",
        "licenses": [LICENCE],
        "resources": resources,
    }
    home = pub.absolute("index.html")
    if home:
        package["homepage"] = home
    return package
