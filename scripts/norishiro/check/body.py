"""Rules on the Markdown narrative: no raw HTML, no script links.

Stories are rendered into pages that readers open on office PCs; a tag or a
`javascript:` link in a contributed file must never reach them.  Code blocks
and code spans are left alone (they are shown as text), and so are Markdown
autolinks and HTML comments, which the contract allows.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from norishiro.check.findings import ERROR, WARNING

Problem = tuple[int, int, str, str, str]  # line, col, rule, severity, message

# Code and comments are hidden from the tag rules only where Python-Markdown
# (which renders the pages) and browsers treat them so: a fence opens at the
# line start and closes with the same fence; a code span's backtick is not
# escaped; a comment has no "--" inside and does not close early (<!-->).
_FENCE = re.compile(r"^(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--(?!-?>)(?:(?!--).)*-->", re.DOTALL)
_PLACEHOLDER = re.compile(r"<!--\s*norishiro:\s*\d")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^>\s]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)")
_INVISIBLE = re.compile(r"[\x00-\x20\u200b-\u200f\u2060\ufeff]")


def _blank_out(text: str) -> str:
    """Replace characters by spaces, keeping newlines, so columns stay true."""
    return re.sub(r"[^\n]", " ", text)


def _visible_lines(body: str) -> list[str]:
    """Body lines with closed code blocks, code spans and comments blanked out."""
    if "<!--" in body:
        body = _COMMENT.sub(lambda m: m.group(0) if _PLACEHOLDER.match(m.group(0)) else _blank_out(m.group(0)), body)
    lines = body.split("\n")
    index = 0
    while index < len(lines):
        match = _FENCE.match(lines[index])
        if match:
            fence = match.group(1)
            close = next((j for j in range(index + 1, len(lines)) if lines[j].rstrip(" ") == fence), None)
            if close is not None:
                lines[index : close + 1] = [""] * (close + 1 - index)
                index = close + 1
                continue
        if "`" in lines[index]:
            lines[index] = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), lines[index])
        index += 1
    return lines


def _shown_target(target: str) -> str:
    """The link target as a reader sees it: up to the ')' that closes the link."""
    depth = 0
    for index, char in enumerate(target):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return target[:index]
            depth -= 1
    return target


def _is_bad_target(target: str) -> bool:
    cleaned = _INVISIBLE.sub("", html.unescape(target)).lower()
    return cleaned.startswith(_BAD_SCHEMES)


def check_body(body: str, first_line: int) -> Iterator[Problem]:
    for offset, line in enumerate(_visible_lines(body)):
        if "<" not in line and ":" not in line and "&" not in line:
            continue  # no tag, and no link target with a scheme (&#58; is a colon too)
        line_number = first_line + offset
        for match in _PLACEHOLDER.finditer(line):
            yield (
                line_number, match.start() + 1, "S301", ERROR,
                "本文に <!--norishiro:数字--> の形のコメントは書けません。サイトを作る仕組みが使う印です（コメントの文を変えてください）",
            )
        without_autolinks = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), line)
        for match in _TAG.finditer(without_autolinks):
            yield (
                line_number, match.start() + 1, "S301", ERROR,
                f"本文に HTML のタグ {match.group(0)}> は書けません（見出しは ##、強調は **…**、改行は空行で書いてください。記号の < を文字として書くなら ＜ を使ってください）",
            )
        for match in _REMOTE_IMAGE.finditer(line):
            yield (
                line_number, match.start() + 1, "W102", WARNING,
                f"本文の画像「{match.group(1)[:60]}」はほかのサイトから読み込まれるため、庁内の閉じたネットワークでは表示されません（画像を使わず文章で書くか、リンクにしてください）",
            )
        targets = [m for pattern in (_INLINE_LINK, _REFERENCE, _AUTOLINK) for m in pattern.finditer(line)]
        for match in targets:
            if _is_bad_target(match.group(1)):
                yield (
                    line_number, match.start(1) + 1, "S302", ERROR,
                    f"本文のリンク先「{_shown_target(match.group(1))[:60]}」は使えません（リンク先は https:// で始まる URL にしてください）",
                )
