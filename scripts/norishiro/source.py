"""Reading a story file: bytes to text, front matter to a YAML node tree.

Nothing here judges the content; it only finds where things are.  Problems that
stop the file being read (encoding, delimiters, YAML syntax) are reported with
the line they occur on, and reading goes on as far as it can so that every
problem in a file is reported in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from .findings import ERROR, Finding

try:  # libyaml makes composing thousands of front matters fast
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_DELIMITER = re.compile(r"^---[ \t]*$")
_CLOSERS = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_LEADING_TAB = re.compile(r"^( *)\t")
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = yaml.constructor.SafeConstructor.yaml_constructors


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
    close = next((i for i in range(first + 1, len(lines)) if _CLOSERS.match(lines[i])), None)
    if close is None:
        source.error(1, 1, "S003", "フロントマターが閉じていません（項目の最後に --- だけの行を書いてください）")
        close = len(lines)
    source.front_line = first + 2
    front_lines = lines[first + 1 : close]
    source.body = "\n".join(lines[close + 1 :])
    source.body_line = close + 2
    front = "\n".join(_untab(source, front_lines))
    source.root = _compose(source, front)
    if source.root is not None:
        _find_duplicate_keys(source, source.root)
    return source


def _decode(source: Source, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        hint = _guess_encoding(data)
        for line_number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                source.error(
                    line_number, exc.start + 1, "S001",
                    f"この行に UTF-8 ではない文字があります{hint}（エディタで文字コードを UTF-8 にして保存し直してください）",
                )
        text = data.decode("utf-8", errors="replace")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        source.error(line, 1, "S001", "この行に NUL 文字があります。文章のファイルではないようです（UTF-8 のテキストとして保存してください）")
        text = text.replace("\x00", "\ufffd")
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def _untab(source: Source, front_lines: list[str]) -> Iterator[str]:
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


def _compose(source: Source, front: str) -> yaml.Node | None:
    try:
        loader = _Loader(front)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + source.front_line if mark else 1
        col = mark.column + 1 if mark else 1
        problem = f"{exc.context or ''} {exc.problem or ''}".strip()
        source.error(line, col, "S004", f"YAML として読めません: {_explain_yaml(problem)}（原文: {exc.problem}）")
    except yaml.YAMLError as exc:  # ReaderError: a character YAML refuses
        position = getattr(exc, "position", 0) or 0
        line = front[:position].count("\n") + source.front_line
        source.error(line, 1, "S004", "YAML で使えない制御文字があります（その文字を消してください）")
    except RecursionError:
        source.error(source.front_line, 1, "S004", "入れ子が深すぎて読めません（[ ] や { } の入れ子を減らしてください）")
    return None


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
            stack.extend(node.value)


def scalar(node: yaml.ScalarNode) -> Any:
    """Construct a scalar as YAML would, keeping the text when that fails."""
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    construct = _SCALAR_CONSTRUCTORS.get(node.tag)
    if construct is None:
        return node.value
    try:
        return construct(_constructor, node)
    except (ValueError, TypeError, OverflowError, yaml.YAMLError):
        return node.value
