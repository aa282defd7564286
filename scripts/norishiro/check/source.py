"""Reading a story file: bytes to text, front matter to a YAML node tree.

Nothing here judges the content; it only finds where things are.  Problems that
stop the file being read (encoding, delimiters, YAML syntax) are reported with
the line they occur on, and reading goes on as far as it can so that every
problem in a file is reported in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from norishiro.check.findings import ERROR, Finding

# Compose without implicit typing: every plain scalar stays text.  Implicit
# resolution costs more than libyaml's parsing; the checker reads most values
# as text anyway and types the few others on demand (scalar()).
_DEFAULT_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}


class _Loader(getattr(yaml, "CBaseLoader", yaml.BaseLoader)):  # type: ignore[misc]
    def resolve(self, kind: type, value: object, implicit: object) -> str:
        """BaseResolver's answer without its lookups: a quarter of compose time."""
        return _DEFAULT_TAGS[kind]

    # libyaml's composer calls these two around every node; with no path
    # resolvers they do nothing.  Builtin methods (not descriptors, so called
    # without self) do that nothing without a Python frame: 10% of compose.
    descend_resolver = {}.get  # (parent, index) -> None
    ascend_resolver = [].clear  # () -> None; the list is always empty

_DELIMITER = re.compile(r"^---[ \t]*$")
_CLOSER_AFTER_BREAK = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n|$)")
_LEADING_TAB = re.compile(r"^( *)\t")
# The most common mistakes of Japanese typists: the IME left on while typing
# YAML's punctuation.  Each is reported at its own line and column, and read
# on as the half-width character, so that one slip gives one message.
_ZENKAKU_INDENT = re.compile(r"^[ \u3000]*\u3000")
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_ZENKAKU_COLON = re.compile(rf"^([ ]*(?:- )?{_KEY})[ \u3000]*：[ \u3000]?")
_ZENKAKU_SPACE_AFTER_COLON = re.compile(rf"^([ ]*(?:- )?{_KEY}):\u3000+")
_NO_SPACE_AFTER_COLON = re.compile(rf"^([ ]*(?:- )?{_KEY}):(?=[^\s/:])")
_ZENKAKU_DASH = re.compile(r"^([ ]*)([－ー―—‐−])[ \u3000]")
_NO_SPACE_AFTER_DASH = re.compile(r"^([ ]*)-(?=[^\s\-\d])")
# Where any of the six patterns above could match a line (after _untab and
# _unseparate, which change nothing in a text without tabs and separators),
# when the text has no full-width space or colon: each alternative starts at a
# line break (search "\n" + text), which the regex engine skips straight to,
# where `^` with re.M would be tried at every position.
_MAYBE_ZENKAKU = re.compile(rf"\n(?: *(?:- )?{_KEY}:(?=[^\s/:])| *[－ー―—‐−][ \u3000]| *-(?=[^\s\-\d]))")
_BLOCK_SCALAR = re.compile(r"[:\-]\s+[|>][-+0-9]*\s*(?:#.*)?$")
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors
_resolver = yaml.resolver.Resolver()
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


@dataclass
class Source:
    """A story file as read: its text, its front-matter nodes and its body."""

    path: str
    text: str = ""
    root: yaml.Node | None = None
    front_line: int = 1  # file line of the front matter's first line
    body: str = ""
    body_line: int = 1
    findings: list[Finding] = field(default_factory=list)

    def error(self, line: int, col: int, rule: str, message: str) -> None:
        self.findings.append(Finding(self.path, line, col, rule, ERROR, message))

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + self.front_line

    def col_of(self, node: yaml.Node) -> int:
        return node.start_mark.column + 1


def read_source(path: str, data: bytes) -> Source:
    """Decode `data`, split the front matter and compose it into nodes."""
    source = Source(path)
    source.text = _decode(source, data)
    lines = source.text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _DELIMITER.match(lines[first]):
        source.error(1, 1, "S002", "フロントマターがありません（1行目に --- と書き、その下に title: などの項目、最後にもう一度 --- の行を書いてください）")
        source.body = source.text
        return source
    close = _closing_line(source.text, lines, first)
    source.front_line = first + 2
    if close is None:
        source.error(1, 1, "S003", "フロントマターが閉じていません（項目の最後に --- だけの行を書いてください）")
        source.root = _compose_unclosed(source, list(_unseparate(source, lines[first + 1 :])))
    else:
        source.body = "\n".join(lines[close + 1 :])
        source.body_line = close + 2
        source.root = _compose(source, front_text(source, lines[first + 1 : close]))
    if source.root is not None:
        _find_duplicate_keys(source, source.root)
    return source


def _closing_line(text: str, lines: list[str], first: int) -> int | None:
    """The index of the first line after `first` that closes the front matter (--- or ...), or None.

    Found by one search of the text for a line break followed by a closer
    (the regex engine skips straight to line breaks), not a match per line.
    """
    offset = sum(len(line) + 1 for line in lines[: first + 1]) - 1  # the line break ending line `first`
    match = _CLOSER_AFTER_BREAK.search(text, offset) if offset < len(text) else None
    return None if match is None else first + 1 + text.count("\n", offset + 1, match.start() + 1)


def front_text(source: Source, front_lines: list[str]) -> str:
    """The front matter as YAML should read it, with every slip of typing reported.

    Most files have none of the slips (no tab, line separator, full-width
    space or colon, dash or colon without its space): one scan of the whole
    front matter finds that, and the lines are left as they are.
    """
    text = "\n".join(front_lines)
    if not _may_have_slips(text):
        return text
    return "\n".join(_unzenkaku(source, _untab(source, _unseparate(source, front_lines))))


def _may_have_slips(text: str) -> bool:
    """Whether a tab, line separator or IME slip could be in the text (`in` is far cheaper than a regex)."""
    return (
        "\t" in text or "\x85" in text or "\u2028" in text or "\u2029" in text or "\u3000" in text or "：" in text
        or _MAYBE_ZENKAKU.search("\n" + text) is not None
    )


def _decode(source: Source, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        hint = _guess_encoding(data)
        bad_lines = []
        for line_number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad_lines.append((line_number, len(raw[: exc.start].decode("utf-8", errors="replace")) + 1))
        if hint:  # the whole file is in another encoding: one finding, at its first line
            line_number, col = bad_lines[0]
            others = f"（ほかに {len(bad_lines) - 1} 行）" if len(bad_lines) > 1 else ""
            source.error(line_number, col, "S001", f"この行から UTF-8 ではない文字があります{others}{hint}（エディタで文字コードを UTF-8 にして保存し直してください）")
        else:
            for line_number, col in bad_lines:
                source.error(line_number, col, "S001", "この行に UTF-8 ではない文字があります（エディタで文字コードを UTF-8 にして保存し直してください。文字化けした部分を書き直す必要があるかもしれません）")
        text = _decode_as_guessed(data, hint)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        source.error(line, 1, "S001", "この行に NUL 文字があります。文章のファイルではないようです（UTF-8 のテキストとして保存してください）")
        text = text.replace("\x00", "\ufffd")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_as_guessed(data: bytes, hint: str) -> str:
    """Read on in the encoding the file seems to use, so later findings make sense."""
    for codec, name in (("utf-16", "UTF-16"), ("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP")):
        if name in hint:
            return data.decode(codec, errors="replace")
    return data.decode("utf-8", errors="replace")


def _guess_encoding(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "。ファイルが UTF-16 で保存されているようです"
    for codec, name in (("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP")):
        try:
            data.decode(codec)
        except UnicodeDecodeError:
            continue
        return f"。ファイルが {name} で保存されているようです"
    return ""


# Line breaks to YAML (and to libyaml's line count) but not to editors or to
# this reader: left in, they would move a value's text to a "line" of its own.
LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
_SEPARATOR_NAMES = {"\x85": "U+0085（改行）", "\u2028": "U+2028（行区切り）", "\u2029": "U+2029（段落区切り）"}


def _unseparate(source: Source, front_lines: list[str]) -> Iterator[str]:
    """Report Unicode line separators in the front matter, and read on as if they were spaces."""
    for offset, line in enumerate(front_lines):
        if LINE_SEPARATORS.search(line) is None:
            yield line
            continue
        for match in LINE_SEPARATORS.finditer(line):
            source.error(
                source.front_line + offset, match.start() + 1, "S112",
                f"見えない区切り文字 {_SEPARATOR_NAMES[match.group(0)]} があります。YAML では改行と読まれ、値が変わります（その文字を消してください。別のアプリから貼り付けたときに入ることがあります）",
            )
        yield LINE_SEPARATORS.sub(" ", line)


def _untab(source: Source, front_lines: Iterable[str]) -> Iterator[str]:
    """Report tabs used for indentation, and read on as if they were spaces."""
    for offset, line in enumerate(front_lines):
        match = _LEADING_TAB.match(line)
        if match is None:
            yield line
            continue
        source.error(
            source.front_line + offset, len(match.group(1)) + 1, "S005",
            "字下げにタブ文字が使われています（タブではなく半角スペース2つで字下げしてください）",
        )
        indent = len(line) - len(line.lstrip(" \t"))
        yield line[:indent].replace("\t", "  ") + line[indent:]


def _unzenkaku(source: Source, front_lines: Iterable[str]) -> Iterator[str]:
    """Report full-width spaces, colons and dashes where YAML needs half-width ones.

    Lines inside a block scalar (`summary: |`) are text, where a full-width
    space or dash is ordinary Japanese; they are passed through.
    """
    block_indent: int | None = None
    previous = ""
    for offset, line in enumerate(front_lines):
        number = source.front_line + offset
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            yield line
            continue
        block_indent = indent if _BLOCK_SCALAR.search(line) else None
        if match := _ZENKAKU_INDENT.match(line):
            col = line.index("\u3000") + 1
            source.error(number, col, "S008", "字下げに全角スペースが使われています（行頭の全角スペースを消して、半角スペースで字下げしてください）")
            line = " " * _meant_indent(match.group(0), previous) + line[match.end():]
        if line.strip() and not line.lstrip().startswith("#"):
            previous = line
        if match := _ZENKAKU_COLON.match(line):
            col = line.index("：", len(match.group(1))) + 1
            source.error(number, col, "S008", f"「{match.group(1).strip(' -')}」のあとの「：」が全角のコロンです（半角の「:」とそのあとに半角スペースを1つ書いてください）")
            line = match.group(1) + ": " + line[match.end():]
        elif match := _ZENKAKU_SPACE_AFTER_COLON.match(line):
            col = len(match.group(1)) + 2
            source.error(number, col, "S008", f"「{match.group(1).strip(' -')}:」のあとが全角スペースです（半角スペースに直してください）")
            line = match.group(1) + ": " + line[match.end():]
        elif match := _NO_SPACE_AFTER_COLON.match(line):
            col = len(match.group(1)) + 2
            source.error(number, col, "S012", f"「{match.group(1).strip(' -')}:」のあとに半角スペースがありません（「:」と値のあいだに半角スペースを1つ入れてください）")
            line = match.group(1) + ": " + line[len(match.group(1)) + 1:]
        if match := _ZENKAKU_DASH.match(line):
            col = len(match.group(1)) + 1
            source.error(number, col, "S008", f"リストの印が全角の「{match.group(2)}」です（半角の「-」とそのあとに半角スペースを1つ書いてください）")
            line = match.group(1) + "- " + line[match.end():]
        elif match := _NO_SPACE_AFTER_DASH.match(line):
            col = len(match.group(1)) + 2
            source.error(number, col, "S012", "リストの「-」のあとに半角スペースがありません（「- 」のように半角スペースを1つ入れてください）")
            line = match.group(1) + "- " + line[len(match.group(1)) + 1:]
        yield line


def _meant_indent(indent: str, previous: str) -> int:
    """How many half-width spaces a writer meant by an indent with full-width ones.

    One full-width space looks like two half-width ones, but a writer may have
    typed it once for one step; take the reading that lines up with the line
    above (its sibling, or its first child after `key:`), else two per space.
    """
    wide = indent.count("\u3000")
    narrow = len(indent) - wide
    above = len(previous) - len(previous.lstrip(" "))
    wanted = {above, above + 2} if previous.rstrip().endswith(":") else {above}
    for reading in (narrow + 2 * wide, narrow + wide):
        if reading in wanted:
            return reading
    return narrow + 2 * wide


_YAML_PROBLEMS = (
    ("mapping values are not allowed", "ここに「: 」は置けません。値に「: 」を含めるなら値全体を \"…\" で囲んでください"),
    ("could not find expected ':'", "「項目名: 値」の「:」が見つかりません"),
    ("did not find expected key", "項目の字下げがそろっていないか、「- 」の位置がずれています"),
    ("did not find expected '-' indicator", "リストの「- 」の字下げがそろっていません"),
    ("found character that cannot start any token", "この位置の文字で値を始めることはできません。値を \"…\" で囲んでください"),
    ("found undefined alias", "「*」で始まる値は YAML の別名と読まれます。値を \"…\" で囲んでください"),
    ("did not find expected alphabetic or numeric character", "「&」や「*」で始まる値は YAML の記号と読まれます。値を \"…\" で囲んでください"),
    ("found unexpected end of stream", "引用符 \" や括弧が閉じられていません"),
    ("found unknown escape character", "\"…\" の中の「\\」は特別な意味を持ちます。\\ を使わないか、値を '…' で囲んでください"),
    ("found a tab character", "タブ文字は使えません。半角スペースにしてください"),
    ("expected <block end>, but found", "字下げがそろっていません"),
    ("while parsing a flow", "[ ] や { } の書き方が閉じられていないか、区切りの「,」がずれています"),
)


MAX_DEPTH = 64  # the format nests 3 deep; libyaml's composer recurses in C


def nesting_depth(front: str) -> int:
    """An upper bound of how deep the YAML nests, without parsing it.

    Counts open flow brackets and block indentation levels (with compact
    `- - -` items), so that a hostile file is refused before libyaml's
    recursive composer can overflow the C stack.
    """
    deepest = flow = 0
    opens = front.count("[") + front.count("{")
    for char in front if opens > MAX_DEPTH else "":
        if char in "[{":
            flow += 1
            deepest = max(deepest, flow)
        elif char in "]}" and flow:
            flow -= 1
    if not _DEEP_LINE.search("\n" + front):
        return max(deepest, 2 * _SHALLOW)  # fewer than _SHALLOW indent levels and compact items
    indents: list[int] = []
    for line in front.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        while indents and indents[-1] >= indent:
            indents.pop()
        indents.append(indent)
        dashes = len(_COMPACT_ITEMS.match(stripped).group(0)) // 2  # type: ignore[union-attr]
        deepest = max(deepest, len(indents) + dashes)
    return deepest


_COMPACT_ITEMS = re.compile(r"(?:- )*")
_SHALLOW = MAX_DEPTH // 2
# Block nesting needs one more space of indentation (or one more "- ") a level.
# Searched in "\n" + text: a line break, which the regex engine skips straight to, for `^`.
_DEEP_LINE = re.compile(rf"\n[ -]{{{_SHALLOW},}}")


def _compose(source: Source, front: str) -> yaml.Node | None:
    if nesting_depth(front) > MAX_DEPTH:
        source.error(source.front_line, 1, "S004", "入れ子が深すぎて読めません（この書式の入れ子は3段までです。[ ] や { }、字下げの段を減らしてください）")
        return None
    try:
        loader = _Loader(front.encode("utf-8"))
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "unexpected end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote: report where it opens, not the end
        line = mark.line + source.front_line if mark else 1
        col = mark.column + 1 if mark else 1
        problem = f"{exc.context or ''} {exc.problem or ''}".strip()
        explained = _explain_yaml(problem)
        if mark and _at_key_colon(front, mark.line, mark.column):
            explained = "字下げ（行頭の半角スペースの数）がそろっていません。同じまとまりの項目は、上の行と同じ数の半角スペースで始めてください"
            col = 1
        source.error(line, col, "S004", f"YAML として読めません: {explained}（原文: {exc.problem}）")
    except yaml.YAMLError as exc:  # ReaderError: a character YAML refuses
        position = getattr(exc, "position", 0) or 0
        line = front[:position].count("\n") + source.front_line
        source.error(line, 1, "S004", "YAML で使えない制御文字があります（その文字を消してください）")
    except RecursionError:
        source.error(source.front_line, 1, "S004", "入れ子が深すぎて読めません（[ ] や { } の入れ子を減らしてください）")
    return None


_UNCLOSED_TRIES = 8


def _compose_unclosed(source: Source, rest: list[str]) -> yaml.Node | None:
    """Without a closing ---, read as front matter what parses before the body.

    The narrative after the front matter is not YAML; its errors would only
    hide the real one (S003), so they are not reported.
    """
    scratch = Source(source.path, front_line=source.front_line)
    end = len(rest)
    for _ in range(_UNCLOSED_TRIES):
        if end <= 0:
            break
        scratch.findings.clear()
        root = _compose(scratch, "\n".join(rest[:end]))
        if not scratch.findings:
            source.body = "\n".join(rest[end:])
            source.body_line = source.front_line + end
            return root
        failed_at = scratch.findings[0].line - source.front_line
        end = min(end - 1, max(failed_at, 0))
    return None


def _at_key_colon(front: str, line: int, column: int) -> bool:
    """Is the error at the colon right after a line's key (so the indent is off)?"""
    lines = front.split("\n")
    if line >= len(lines):
        return False
    match = re.match(rf"^( *)(?:- )?{_KEY}:", lines[line])
    return bool(match) and column == match.end() - 1 and len(match.group(1)) % 2 == 1


def _explain_yaml(problem: str) -> str:
    for english, japanese in _YAML_PROBLEMS:
        if english in problem:
            return japanese
    return "書き方に誤りがあります。字下げ、「項目名: 値」の形、引用符の閉じ忘れを確かめてください"


def _find_duplicate_keys(source: Source, root: yaml.Node) -> None:
    """PyYAML keeps the last of two equal keys silently; report every repeat."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            pairs = node.value
            if len({key.value for key, _ in pairs if isinstance(key, yaml.ScalarNode)}) == len(pairs):
                # the usual case: every key a scalar, none repeated, nothing to place
                stack.extend([value for _, value in pairs if not isinstance(value, yaml.ScalarNode)])
                continue
            first_line: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in first_line:
                        source.error(
                            source.line_of(key), source.col_of(key), "S006",
                            f"項目「{key.value}」が{first_line[key.value]}行目と重複しています（どちらか一方にまとめてください）",
                        )
                    else:
                        first_line[key.value] = source.line_of(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(item for item in node.value if not isinstance(item, yaml.ScalarNode))


def is_null(node: yaml.Node) -> bool:
    """An empty value: `key:` alone, `~` or `null` (unquoted)."""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value.strip() in _NULLS


def scalar(node: yaml.ScalarNode) -> Any:
    """Construct a scalar as YAML 1.1 would, keeping the text when that fails."""
    tag = node.tag
    if not node.style and tag == "tag:yaml.org,2002:str":
        tag = _resolver.resolve(yaml.ScalarNode, node.value, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return node.value
    construct = _SCALAR_CONSTRUCTORS.get(tag)
    if construct is None:
        return node.value
    try:
        return construct(_constructor, yaml.ScalarNode(tag, node.value, style=node.style))
    except Exception:  # an explicit tag on a bad value (!!bool maybe): keep the text
        return node.value
