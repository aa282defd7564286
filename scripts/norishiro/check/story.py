"""Checking a story file against format version 1 (and 1.1) and building its Story.

The front matter is walked along the key tree of keys.py: each value type has
one small check with a stable rule id that reports (line, col, message) and
returns the normalised value.  Rules that look across keys (timeline order,
dates after `updated`, the body, the file name) follow.  Every problem in a
file is reported; a Story is built only from a file without errors.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml import ScalarNode

from norishiro.check import names, privacy
from norishiro.check.findings import ERROR, WARNING, Finding
from norishiro.check.narrative import Shown, read_narrative
from norishiro.check.source import Source, is_null, read_source, scalar
from norishiro.format.codes import read_code
from norishiro.format.dates import DateError, Period, parse_day, parse_period
from norishiro.format.keys import (
    BOOLEAN,
    CODE,
    DAY,
    ENUM,
    FRONT_MATTER,
    INTEGER,
    LIST,
    MAPPING,
    PERIOD,
    PREFECTURE,
    STRING,
    TYPE_LABELS,
    Key,
)
from norishiro.format.model import Failure, Municipality, Narrative, Overlap, Story, TimelineItem
from norishiro.format.vocab import DIFFICULTIES, FIELDS, KINDS, PREFECTURES, PROGRAMMES, fold_label, lookup_prefecture

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
MAX_FILE_BYTES = 2_000_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # tab and newline are text
# Characters that show nothing: a value made only of these (and spaces) is empty.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # Hangul fillers, blank Braille
# Embedding, override and isolate controls, by their Unicode abbreviations: they
# make a text display in another order than it is stored (and read, and checked).
_BIDI_NAMES = {
    "\u202a": "LRE", "\u202b": "RLE", "\u202c": "PDF", "\u202d": "LRO", "\u202e": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
}
BIDI_CONTROLS = re.compile(f"[{''.join(_BIDI_NAMES)}]")
INVALID: Any = object()  # a value that failed its check; never reaches a Story


@dataclass
class Context:
    """One file being checked: where findings go and how nodes map to lines."""

    source: Source

    @property
    def path(self) -> str:
        return self.source.path

    def report(self, line: int, col: int, rule: str, message: str, severity: str = ERROR) -> None:
        self.source.findings.append(Finding(self.path, line, col, rule, severity, message))

    def at(self, node: yaml.Node) -> tuple[int, int]:
        return self.source.line_of(node), self.source.col_of(node)


class Where(NamedTuple):
    """Where a value's problems point: its key (or list item) and its dotted name.

    A named tuple: one is made for every key and list item of every file.
    """

    line: int
    col: int
    name: str  # e.g. municipality.kind, timeline[3].when


@dataclass(frozen=True)
class Code:
    """A readable municipality.code (six digits) and where it was written."""

    code: str
    line: int
    col: int
    completed: bool  # written with five digits


# Which rule reports a value outside each vocabulary (S106 for the small enums).
UNKNOWN_VALUE_RULES = {"field": "S107", "programme": "S113", "difficulty": "S114"}  # by vocabulary name; else S106


# ---------------------------------------------------------------- value checks


def _text(node: yaml.Node) -> str | None:
    """A scalar's text, or None for mappings and lists."""
    return node.value if isinstance(node, yaml.ScalarNode) else None




def _wrong_type(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    found = "リスト" if isinstance(node, yaml.SequenceNode) else "項目のまとまり" if isinstance(node, yaml.MappingNode) else f"「{node.value}」"
    hint = {
        MAPPING: f"{where.name}: の下の行に、字下げして「{' / '.join(c.name + ':' for c in key.children[:3])}」のように書いてください",
        LIST: f"{where.name}: の下の行に「- 値」を1行ずつ書くか、[値1, 値2] と書いてください",
    }.get(key.type, f"{TYPE_LABELS[key.type]}を1つ書いてください" + (f"（例: {key.example}）" if key.example else ""))
    ctx.report(where.line, where.col, "S103", f"{where.name} は{TYPE_LABELS[key.type]}で書きますが、{found}になっています（{hint}）")
    return INVALID


def check_string(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    text = _text(node)
    if text is None:
        return _wrong_type(ctx, key, where, node)
    value = text.strip()
    control = _CONTROL.search(value)
    if control:
        ctx.report(where.line, where.col, "S112", f"{where.name}（{key.label}）に見えない制御文字（U+{ord(control.group(0)):04X}）があります（その文字を消してください。別のアプリから貼り付けたときに入ることがあります）")
        return INVALID
    length = len(value)
    if key.min_len is not None and (length < key.min_len or not visible(value)):
        invisible = " ".join(sorted({f"U+{ord(char):04X}" for char in value}))
        shown = f"見えない文字（{invisible[:60]}）しかなく、" if invisible else ""
        ctx.report(where.line, where.col, "S104", f"{where.name}（{key.label}）が{shown}空です（{key.help or '内容を書いてください'}）")
        return INVALID
    if key.max_len is not None and length > key.max_len:
        ctx.report(
            where.line, where.col, "S105",
            f"{where.name}（{key.label}）が{length}字あります（{key.max_len}字以内に縮めてください。あと{length - key.max_len}字）",
        )
        return INVALID
    return value


MAX_DIGITS = 12  # more than any population; Python refuses int() of 4,300 digits


def _integer_text(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("_", "").removesuffix("人")


def visible(text: str) -> bool:
    """Whether the text shows anything: not only spaces (U+3000 too), zero-width and format characters."""
    first = text[:1]
    if first.isalnum() and first not in _BLANK_LETTERS:  # the usual answer: letters, kana, kanji and digits show
        return True
    return any(not char.isspace() and char not in _BLANK_LETTERS and unicodedata.category(char) not in _UNSEEN_CATEGORIES for char in text)


_UNSEEN_CATEGORIES = frozenset(("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"))


def parse_positive_integer(text: str) -> int | None:
    """52000, 52,000, ５２０００ or 52000人 as an int; None for anything else.

    The digits are counted before converting, so that a value of thousands of
    digits is an ordinary finding and not Python's int-conversion limit.
    """
    cleaned = _integer_text(text[: MAX_DIGITS * 4])
    if len(text) > MAX_DIGITS * 4 or not (cleaned.isascii() and cleaned.isdigit()) or len(cleaned.lstrip("0")) > MAX_DIGITS:
        return None
    number = int(cleaned)
    return number if number > 0 else None


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…（{len(text):,}字）"


def check_integer(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    text = _text(node)
    if text is None:
        return _wrong_type(ctx, key, where, node)
    number = parse_positive_integer(text)
    if number is None:
        digits = sum(char.isdigit() for char in text)
        if digits > MAX_DIGITS:
            ctx.report(where.line, where.col, "S109", f"{where.name}（{key.label}）の「{_shown(text)}」は数字が{digits:,}桁あり、人数として大きすぎます（{MAX_DIGITS}桁までの数字で、例えば 52000 と書いてください）")
        else:
            ctx.report(where.line, where.col, "S109", f"{where.name}（{key.label}）の「{_shown(text)}」は正の整数ではありません（例: 52000 のように数字だけで書いてください）")
        return INVALID
    return number


def check_boolean(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(value, bool):
        shown = _text(node) or "リストや項目"
        ctx.report(where.line, where.col, "S111", f"{where.name}（{key.label}）の「{shown}」は true か false ではありません（true か false と書いてください）")
        return INVALID
    return value


def _did_you_mean(text: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(text, list(candidates), n=1, cutoff=0.6)
    return f"「{close[0]}」のことですか？ " if close else ""


def check_enum(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    assert key.vocab is not None
    text = _text(node)
    if text is None:
        return _wrong_type(ctx, key, where, node)
    found = key.vocab.lookup(text)
    if found is None:
        rule = UNKNOWN_VALUE_RULES.get(key.vocab.name, "S106")
        term = key.vocab.suggest(text.strip())
        guess = f"「{term.label}」のことですか？（id では {term.id}） " if term else ""
        ctx.report(where.line, where.col, rule, f"{where.name}（{key.label}）の「{text}」は使えない値です（{guess}次のどれかを書いてください: {key.vocab.choices()}）")
        return INVALID
    return found


def check_prefecture(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    text = _text(node)
    if text is None:
        return _wrong_type(ctx, key, where, node)
    found = lookup_prefecture(text)
    if found is None:
        guess = _did_you_mean(text.strip(), [p.name for p in PREFECTURES])
        ctx.report(where.line, where.col, "S108", f"{where.name}（{key.label}）の「{text}」は47都道府県のどれでもありません（{guess}「三重県」や「三重」のように書いてください）")
        return INVALID
    return found.name


def check_code(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    """S115/S116: the digits exactly as written (an unquoted 011002 is not octal here)."""
    text = _text(node)
    if text is None:
        return _wrong_type(ctx, key, where, node)
    reading = read_code(text)
    if reading.problem == "check_digit":
        fixed = text.strip()[:5] + str(reading.expected_check)
        ctx.report(
            where.line, where.col, "S116",
            f"{where.name}（{key.label}）の「{text}」は6桁目の検査数字が合いません（前の5桁からは検査数字は{reading.expected_check}になります。"
            f"\"{fixed}\" でよいか確かめてください。5桁だけ書いてもかまいません）",
        )
        return INVALID
    if reading.code is None:
        reason = "先頭2桁が都道府県の番号（01〜47）ではありません" if reading.problem == "prefecture" else "6桁（または5桁）の数字ではありません"
        ctx.report(where.line, where.col, "S115", f"{where.name}（{key.label}）の「{text}」は{reason}（例: \"242012\" のように全国地方公共団体コードを書くか、分からなければこの行を消してください）")
        return INVALID
    return Code(reading.code, where.line, where.col, reading.completed)


def check_period(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    text = _text(node)
    if text is None:
        return _wrong_type(ctx, key, where, node)
    try:
        return parse_period(text)
    except DateError as exc:
        rule = "S202" if exc.impossible else "S201"
        ctx.report(where.line, where.col, rule, f"{where.name}（{key.label}）: {exc}（2021、2021-06、2021-06-15、2021年6月、2021年度、令和3年度 のように書いてください）")
        return INVALID


def check_day(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
    if value is None:
        return _wrong_type(ctx, key, where, node)
    if isinstance(value, datetime):
        return value.date()
    try:
        return parse_day(value)
    except DateError as exc:
        hint = "YYYY-MM-DD の形で、例えば 2025-04-01 と書いてください"
        try:
            period = parse_period(str(value))
        except DateError:
            period = None
        if period is not None and period.precision == "day":
            hint = f"{period.start.isoformat()} と書いてください"
        rule = "S202" if exc.impossible else "S205"
        ctx.report(where.line, where.col, rule, f"{where.name}（{key.label}）: {exc}（{hint}）")
        return INVALID


def check_mapping(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.MappingNode):
        return _wrong_type(ctx, key, where, node)
    values: dict[str, Any] = {}
    present: set[str] = set()
    children, required, required_names = _children(key)
    front_line = ctx.source.front_line
    parent = where.name
    # Once per key of every file: ctx.at and _text written out.
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        line, col = mark.line + front_line, mark.column + 1
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        child = children.get(name) if name is not None else None
        if child is None:
            _unknown_key(ctx, key, line, col, name if name is not None else "（複合キー）", parent)
            continue
        present.add(name)
        child_name = f"{parent}.{name}" if parent else name
        if is_null(value_node):
            if child.required:
                ctx.report(line, col, "S104", f"{child_name}（{child.label}）が空です（{child.help or '内容を書いてください'}" + (f"。例: {child_name.rsplit('.', 1)[-1]}: {child.example}" if child.example else "") + "）")
                values[name] = INVALID
            continue  # an empty optional key counts as absent
        values[name] = VALUE_CHECKS[child.type](ctx, child, Where(line, col, child_name), value_node)
    for child in required if not present.issuperset(required_names) else ():
        if child.name not in present:
            example = f"。例: {child.name}: {child.example}" if child.example else ""
            inside = f"{parent} の中に" if parent else ""
            ctx.report(where.line, where.col, "S101", f"必須の項目 {child.name}（{child.label}）がありません（{inside}{child.name}: を書き足してください{example}）")
            values[child.name] = INVALID
    return values


_Children = tuple[dict[str, Key], tuple[Key, ...], frozenset[str]]
_CHILDREN: dict[int, tuple[Key, _Children]] = {}  # holding the key keeps its id from being reused


def _children(key: Key) -> _Children:
    """A key's children, made once per key: a table by name, the required ones, and their names.

    The table holds the first child of each name, as key.child finds it.
    """
    entry = _CHILDREN.get(id(key))
    if entry is None:
        table: dict[str, Key] = {}
        for child in key.children:
            table.setdefault(child.name, child)
        required = tuple(child for child in key.children if child.required)
        entry = _CHILDREN[id(key)] = (key, (table, required, frozenset(child.name for child in required)))
    return entry[1]


_LISTED = 8


def _unknown_key(ctx: Context, parent: Key, line: int, col: int, name: str, parent_name: str) -> None:
    names = [child.name for child in parent.children]
    folded = unicodedata.normalize("NFKC", name).strip()
    if folded != name and folded in names:
        ctx.report(line, col, "S102", f"項目名「{name}」が全角で書かれています（半角で「{folded}」と書いてください）")
        return
    guess = difflib.get_close_matches(folded.lower(), names, n=1, cutoff=0.6)
    if not guess:
        guess = [child.name for child in parent.children if child.label and fold_label(child.label) == fold_label(name)]
    where = f"{parent_name} の中で" if parent_name else ""
    listed = [f"{child.label}（{child.name}）" if child.label else child.name for child in parent.children]
    more = f" など全{len(listed)}件。すべての項目は書き方の案内の「項目一覧」にあります" if len(listed) > _LISTED else ""
    hint = f"「{guess[0]}」のことですか？" if guess else f"{where}使える項目: {'、'.join(listed[:_LISTED])}{more}"
    ctx.report(line, col, "S102", f"知らない項目「{name}」があります（{hint}）")


def check_list(ctx: Context, key: Key, where: Where, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.SequenceNode):
        return _wrong_type(ctx, key, where, node)
    item = key.item
    assert item is not None
    check = VALUE_CHECKS[item.type]
    front_line = ctx.source.front_line
    items: list[Any] = []
    for index, item_node in enumerate(node.value, start=1):
        mark = item_node.start_mark
        line, col = mark.line + front_line, mark.column + 1  # ctx.at(item_node)
        item_where = Where(line, col, f"{where.name}[{index}]")
        if is_null(item_node):
            ctx.report(line, col, "S104", f"{item_where.name}（{item.label}）が空です（「- 」のあとに内容を書くか、その行を消してください）")
            items.append(INVALID)
            continue
        items.append((item_node, check(ctx, item, item_where, item_node)))
    count = len(node.value)
    if key.distinct:  # a repeated value counts once; a bad one is reported by its own rule
        valid = [item[1] for item in items if item is not INVALID and item[1] is not INVALID]
        count -= len(valid) - len(set(valid))
    if key.min_items and count < key.min_items:
        repeated = "同じものは1つと数えます。" if count < len(node.value) else ""
        different = "異なるものを" if key.distinct else ""
        ctx.report(where.line, where.col, "S110", f"{where.name}（{key.label}）が{count}件しかありません（{repeated}{different}{key.min_items}件以上書いてください）")
    return items


VALUE_CHECKS: dict[str, Callable[[Context, Key, Where, yaml.Node], Any]] = {
    STRING: check_string,
    INTEGER: check_integer,
    BOOLEAN: check_boolean,
    ENUM: check_enum,
    PREFECTURE: check_prefecture,
    PERIOD: check_period,
    DAY: check_day,
    CODE: check_code,
    MAPPING: check_mapping,
    LIST: check_list,
}


# ------------------------------------------------------- rules across keys


def _valid_items(values: dict[str, Any], name: str) -> list[tuple[int, yaml.Node, Any]]:
    """(1-based position, node, value) of each list item that checked clean."""
    items = values.get(name)
    if not isinstance(items, list):
        return []
    return [(index, *item) for index, item in enumerate(items, start=1) if item is not INVALID and item[1] is not INVALID]


def _when_at(ctx: Context, item_node: yaml.Node) -> tuple[int, int]:
    for key_node, _ in item_node.value:
        if _text(key_node) == "when":
            return ctx.at(key_node)
    return ctx.at(item_node)


def rule_timeline_order(ctx: Context, values: dict[str, Any]) -> None:
    """S203: an item is out of order only when it ends before the previous begins."""
    previous: Period | None = None
    for index, node, item in _valid_items(values, "timeline"):
        period = item.get("when")
        if not isinstance(period, Period):
            continue
        if previous is not None and period.end < previous.start:
            line, col = _when_at(ctx, node)
            ctx.report(line, col, "S203", f"timeline[{index}] の「{period.text}」が、前の項目の「{previous.text}」より前になっています（経過は古い順に並べてください。この項目を前に移すか、時期を直してください）")
        previous = period


def rule_dates_not_after_updated(ctx: Context, values: dict[str, Any]) -> None:
    """S204: nothing in the story can begin after it was last updated."""
    updated = values.get("updated")
    if not isinstance(updated, date):
        return
    for name in ("timeline", "failures"):
        for index, node, item in _valid_items(values, name):
            period = item.get("when")
            if isinstance(period, Period) and period.start > updated:
                line, col = _when_at(ctx, node)
                ctx.report(line, col, "S204", f"{name}[{index}] の「{period.text}」が更新日 updated（{updated.isoformat()}）より後です（時期を直すか、updated を今日の日付にしてください）")


def rule_field_repeats(ctx: Context, values: dict[str, Any]) -> None:
    """W101: a value listed twice is harmless but probably a slip."""
    reach = values.get("reach") if isinstance(values.get("reach"), dict) else {}
    lists = (
        ("fields", values, "fields", FIELDS), ("carried_by", values, "carried_by", FIELDS),
        ("programmes", values, "programmes", PROGRAMMES),
        ("reach.groups_now", reach, "groups_now", DIFFICULTIES), ("reach.groups_not_yet", reach, "groups_not_yet", DIFFICULTIES),
    )
    for name, where, key, vocab in lists:
        seen: set[str] = set()
        for _, node, term_id in _valid_items(where, key):
            if term_id in seen:
                line, col = ctx.at(node)
                ctx.report(line, col, "W101", f"{name} に「{vocab.label(term_id)}」が2回あります（1回にしてください）", WARNING)
            seen.add(term_id)


def rule_municipality_code(ctx: Context, values: dict[str, Any]) -> None:
    """S117/S118/W104: the code's first two digits name the prefecture; its form fits the kind."""
    municipality = values.get("municipality")
    if not isinstance(municipality, dict) or not isinstance(municipality.get("code"), Code):
        return
    code: Code = municipality["code"]
    reading = read_code(code.code)
    pref = reading.prefecture
    written = municipality.get("prefecture")
    if isinstance(written, str) and pref is not None and pref.name != written:
        ctx.report(
            code.line, code.col, "S117",
            f"municipality.code の「{code.code}」は先頭2桁が{pref.jis}（{pref.name}）ですが、municipality.prefecture は{written}です"
            f"（{written}の自治体のコードか確かめてください。{written}のコードは {lookup_prefecture(written).jis} で始まります）",  # type: ignore[union-attr]
        )
    kind = municipality.get("kind")
    if kind == "area":
        ctx.report(code.line, code.col, "S118", f"municipality.code: 圏域（kind: area）には自治体コードを書きません（複数の市町村なので一つのコードでは表せません。「{code.code}」の行を消してください）")
    elif kind == "prefecture" and not reading.is_prefecture_code:
        # The contract allows a prefecture's own code here; a municipal code is doubtful, not wrong.
        ctx.report(code.line, code.col, "W104", f"municipality.code の「{code.code}」は市区町村のコードです（都道府県の物語なら都道府県のコード（例: 三重県は \"240001\"）にするか、この行を消してください）", WARNING)
    elif isinstance(kind, str) and kind != "prefecture" and reading.is_prefecture_code:
        ctx.report(code.line, code.col, "S118", f"municipality.code の「{code.code}」は都道府県のコードです（{KINDS.label(kind)}の物語には、その{KINDS.label(kind)}のコードを書くか、この行を消してください）")


def _value_node(mapping: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node of `key` in a mapping node (None when there is no mapping or no such key)."""
    if isinstance(mapping, yaml.MappingNode):
        for key_node, value_node in mapping.value:
            if _text(key_node) == key:
                return value_node
    return None


def rule_roles_are_not_people(ctx: Context, values: dict[str, Any]) -> None:
    """W214: contributor and overlaps[].who name an organisation or role, never a private person."""
    places = [("contributor", values.get("contributor"), _value_node(ctx.source.root, "contributor"))]
    places += [(f"overlaps[{index}].who", item.get("who"), _value_node(node, "who")) for index, node, item in _valid_items(values, "overlaps")]
    for name, value, node in places:
        if not isinstance(value, str) or node is None:
            continue
        person = names.person_in_role(value)
        if person is not None:
            line, col = ctx.at(node)
            ctx.report(
                line, col, "W214",
                f"{name} の「{value}」の「{person}」は人の名前のようです（個人の名前ではなく、団体や役割を書いてください。例: 架空市 福祉総合相談課、保健師（1人））",
                WARNING,
            )


def rule_updated_not_in_the_future(ctx: Context, values: dict[str, Any]) -> None:
    """W105: a story cannot have been brought up to date after today (9999-12-31 would head every list)."""
    updated, node = values.get("updated"), _value_node(ctx.source.root, "updated")
    today = date.today()
    if isinstance(updated, date) and updated > today and node is not None:
        line, col = ctx.at(node)
        ctx.report(
            line, col, "W105",
            f"updated の「{updated.isoformat()}」が今日（{today.isoformat()}）より後です（最後に書き直した日を YYYY-MM-DD で書いてください）",
            WARNING,
        )


CROSS_RULES = (
    rule_timeline_order, rule_dates_not_after_updated, rule_field_repeats, rule_municipality_code, rule_roles_are_not_people,
    rule_updated_not_in_the_future,
)


# ----------------------------------------------------------- the file name


def suggest_slug(stem: str, values: dict[str, Any] | None = None) -> str:
    """A valid slug close to `stem`, or made from the story's facts."""
    ascii_part = unicodedata.normalize("NFKC", stem).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:SLUG_MAX].strip("-")
    if len(slug) >= 3:
        return slug
    parts: list[str] = []
    if values:
        municipality = values.get("municipality")
        if isinstance(municipality, dict):
            prefecture = municipality.get("prefecture")
            if isinstance(prefecture, str) and lookup_prefecture(prefecture):
                parts.append(lookup_prefecture(prefecture).romaji)  # type: ignore[union-attr]
            if isinstance(municipality.get("kind"), str):
                parts.append(municipality["kind"].replace("_", "-"))
        started = values.get("started_by")
        if isinstance(started, dict) and isinstance(started.get("field"), str):
            parts.append(started["field"].replace("_", "-"))
    return "-".join(parts + ([slug] if slug else [])) or "my-story"


# The tags YAML itself gives plain values; any other (!!python/object…, !!binary, !local)
# asks a loader to build something a story never needs.
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))


def rule_yaml_tags(ctx: Context) -> None:
    """S120: an explicit YAML tag other than the plain ones is refused, not read as text.

    Every explicit tag starts with "!" (and the reader gives untagged nodes the
    plain tags), so a file without one has nothing to walk for.
    """
    stack = [ctx.source.root] if ctx.source.root is not None and "!" in ctx.source.text else []
    while stack:
        node = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            line, col = ctx.at(node)
            ctx.report(line, col, "S120", f"YAML のタグ「{node.tag.replace('tag:yaml.org,2002:', '!!')}」は使えません（「!」で始まる指定を消して、値だけを書いてください）")
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def rule_bidi_controls(ctx: Context) -> None:
    """S119: on every line of the file, front matter and body alike.

    The body's lines are read here directly, as text, so that this does not
    depend on how the narrative is parsed.
    """
    text = ctx.source.text
    if not any(char in text for char in _BIDI_NAMES):  # nine `in` tests cost less than one search of a character class
        return
    for number, line in enumerate(text.split("\n"), start=1):
        for match in BIDI_CONTROLS.finditer(line):
            char = match.group(0)
            ctx.report(
                number, match.start() + 1, "S119",
                f"文字の向きを変える見えない制御文字 U+{ord(char):04X}（{_BIDI_NAMES[char]}）があります。表示される順と実際の文字の順が変わり、読み手に違う内容を見せられます（その文字を消してください）",
            )


_BODY_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")  # tab is text; CR was read as a line break


def rule_body_controls(ctx: Context) -> None:
    """S112 in the body: control characters a reader cannot see (ESC, BEL, DEL, U+FFFE ...)."""
    body = ctx.source.body
    if _BODY_CONTROL.search(body) is None:
        return
    for offset, line in enumerate(body.split("\n")):
        for match in _BODY_CONTROL.finditer(line):
            ctx.report(
                ctx.source.body_line + offset, match.start() + 1, "S112",
                f"本文に見えない制御文字（U+{ord(match.group(0)):04X}）があります（その文字を消してください。別のアプリから貼り付けたときに入ることがあります）",
            )


def rule_file_name(ctx: Context, values: dict[str, Any]) -> None:
    """S010: the file name is the page URL."""
    name = os.path.basename(ctx.path)
    if name.endswith(".md") and len(name) <= SLUG_MAX + 3 and SLUG.match(name[:-3]):
        return  # the usual case, without pathlib: a slug and .md
    path = Path(ctx.path)
    stem = path.stem
    if path.suffix != ".md":
        ctx.report(0, 0, "S010", f"ファイル名「{path.name}」の拡張子が .md ではありません（{suggest_slug(stem, values)}.md という名前にしてください）")
    elif not SLUG.match(stem) or len(stem) > SLUG_MAX:
        reason = "80字を超えています" if len(stem) > SLUG_MAX else "半角の小文字英数字とハイフンだけで書きます"
        ctx.report(0, 0, "S010", f"ファイル名「{path.name}」が使えません。ファイル名はページの URL になるので、{reason}（例えば {suggest_slug(stem, values)}.md にしてください）")


# ----------------------------------------------------------- the whole file


def slug_of(path: str) -> str:
    """The file name without its extension (os.path: cheaper than Path at thousands of files)."""
    return os.path.splitext(os.path.basename(path))[0]


def _value_spans(source: Source) -> Callable[[int, int], bool]:
    """Whether a (file line, 0-based column) of the front matter lies inside a scalar.

    Built on first use (only lines that carry an accept marker ask).  Without a
    node tree, nothing is known to be a comment, so every position counts as a value.
    """
    spans: list[tuple[tuple[int, int], tuple[int, int]]] | None = None

    def inside(line: int, col: int) -> bool:
        nonlocal spans
        if source.root is None:
            return True
        if spans is None:
            spans, stack = [], [source.root]
            while stack:
                node = stack.pop()
                if isinstance(node, yaml.ScalarNode):
                    start, end = node.start_mark, node.end_mark
                    spans.append(((start.line + source.front_line, start.column), (end.line + source.front_line, end.column)))
                elif isinstance(node, yaml.MappingNode):
                    stack.extend(part for pair in node.value for part in pair)
                elif isinstance(node, yaml.SequenceNode):
                    stack.extend(node.value)
        return any(start <= (line, col) < end for start, end in spans)

    return inside


def read_no_link(path: str) -> bytes:
    """The file's bytes; a symbolic link is refused (ELOOP) rather than followed."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:  # os.read: no buffered file object for a read in one go
        chunks = []
        while chunk := os.read(descriptor, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def check_file(path: str, data: bytes | None = None, want_story: bool = True) -> tuple[Story | None, list[Finding]]:
    """Check one story file; return its Story (when error-free and wanted) and findings."""
    if data is None:
        try:
            data = read_no_link(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return None, [Finding(path, 0, 0, "S000", ERROR, "シンボリックリンクなので読みません（リンクではなく、ファイルそのものを置いてください）")]
            return None, [Finding(path, 0, 0, "S000", ERROR, f"ファイルを読めません: {exc.strerror or exc}（パスと読み取り権限を確かめてください）")]
    if len(data) > MAX_FILE_BYTES:
        return None, [Finding(path, 1, 1, "S009", ERROR, f"ファイルが大きすぎます（{len(data):,} バイト）。物語は {MAX_FILE_BYTES // 1_000_000} MB 以内にしてください（画像などを貼り込んでいないか確かめてください）")]
    source = read_source(path, data)
    ctx = Context(source)
    values: dict[str, Any] = {}
    if source.root is not None:
        if isinstance(source.root, yaml.MappingNode):
            values = check_mapping(ctx, FRONT_MATTER, Where(1, 1, ""), source.root)
        else:
            line, col = ctx.at(source.root)
            ctx.report(line, col, "S007", "フロントマターは「項目名: 値」の並びで書きます（title: などの項目を1行ずつ書いてください）")
    elif not any(f.rule in ("S002", "S004") for f in source.findings):
        ctx.report(1, 1, "S101", "フロントマターが空です（title・summary・municipality などの必須項目を書いてください）")
    for rule in CROSS_RULES:
        rule(ctx, values)
    rule_file_name(ctx, values)
    rule_bidi_controls(ctx)
    rule_yaml_tags(ctx)
    rule_body_controls(ctx)
    shown: list[Shown] = []
    narrative, problems = read_narrative(source.body, source.body_line, shown)
    for line, col, rule_id, severity, message in problems:
        ctx.report(line, col, rule_id, message, severity)
    typed = list(privacy.check_privacy(source.text, source.front_line, source.body_line, _value_spans(source)))
    found = {(line, rule_id) for line, _, rule_id, _, _ in typed}
    lines = source.text.split("\n") if shown else []
    for first, last, text in shown:
        typed.extend(privacy.check_shown(text, first, last, lines, found))
    for line, col, rule_id, severity, message in typed:
        ctx.report(line, col, rule_id, message, severity)
    findings = sorted(set(source.findings), key=lambda f: (f.line, f.col, f.rule, f.message))
    if not want_story or any(f.severity == ERROR for f in findings):
        return None, findings
    return build_story(path, values, source, narrative), findings


def build_story(path: str, values: dict[str, Any], source: Source, narrative: Narrative) -> Story:
    """Turn checked, normalised values into a Story.  Only call without errors."""
    municipality = values["municipality"]
    started = values["started_by"]
    fields = [field_id for _, _, field_id in _valid_items(values, "fields")]
    if started["field"] not in fields:
        fields.insert(0, started["field"])
    burden = values.get("burden") or {}
    reach = values.get("reach") or {}
    overlaps = tuple(
        Overlap(
            item["who"], tuple(dict.fromkeys(term for _, _, term in _valid_items(item, "combines"))),
            item.get("effect"), source.line_of(node),
        )
        for _, node, item in _valid_items(values, "overlaps")
    )
    # Programmes that a role carries together count as used (as started_by.field joins fields).
    programmes = [term for _, _, term in _valid_items(values, "programmes")]
    programmes += [term for overlap in overlaps for term in overlap.combines]
    code = municipality.get("code")
    return Story(
        slug=slug_of(path),
        source=path,
        title=values["title"],
        summary=values["summary"],
        municipality=Municipality(
            municipality["name"], municipality["prefecture"], municipality["kind"], municipality.get("population"),
            code.code if isinstance(code, Code) else None,
        ),
        jusou=values["jusou"],
        started_by=started["field"],
        started_through=started.get("through"),
        fields=tuple(dict.fromkeys(fields)),
        before=values.get("before"),
        carried_by=tuple(dict.fromkeys(field_id for _, _, field_id in _valid_items(values, "carried_by"))),
        status=values["status"],
        timeline=tuple(
            TimelineItem(item["when"], item["what"], item.get("kind"), source.line_of(node))
            for _, node, item in _valid_items(values, "timeline")
        ),
        failures=tuple(
            Failure(item["what"], item.get("why"), item.get("next"), item.get("when"), source.line_of(node))
            for _, node, item in _valid_items(values, "failures")
        ),
        workload=burden.get("workload"),
        funding=burden.get("funding"),
        reach_now=reach.get("now"),
        reach_not_yet=reach.get("not_yet"),
        programmes=tuple(dict.fromkeys(programmes)),
        overlaps=overlaps,
        groups_now=tuple(dict.fromkeys(term for _, _, term in _valid_items(reach, "groups_now"))),
        groups_not_yet=tuple(dict.fromkeys(term for _, _, term in _valid_items(reach, "groups_not_yet"))),
        contributor=values.get("contributor"),
        updated=values["updated"],
        tags=tuple(dict.fromkeys(tag for _, _, tag in _valid_items(values, "tags"))),
        body_line=source.body_line,
        sample=bool(values.get("sample", False)),
        narrative=narrative,
    )
