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

from .findings import ERROR

Problem = tuple[int, int, str, str, str]  # line, col, rule, severity, message

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)>\s]*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^<>\s]*)>")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_INVISIBLE = re.compile(r"[\x00-\x20\u200b-\u200f\u2060\ufeff]")


def _blank_out(text: str) -> str:
    """Replace characters by spaces, keeping newlines, so columns stay true."""
    return re.sub(r"[^\n]", " ", text)


def _visible_lines(body: str) -> list[str]:
    """Body lines with code blocks, code spans and comments blanked out."""
    if "<!--" in body:
        body = _COMMENT.sub(lambda m: _blank_out(m.group(0)), body)
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            lines[index] = ""
            continue
        if match:
            fence = match.group(1)
            lines[index] = ""
            continue
        if "`" in line:
            lines[index] = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
    return lines


def _is_bad_target(target: str) -> bool:
    cleaned = _INVISIBLE.sub("", html.unescape(target)).lower()
    return cleaned.startswith(_BAD_SCHEMES)


def check_body(body: str, first_line: int) -> Iterator[Problem]:
    for offset, line in enumerate(_visible_lines(body)):
        if "<" not in line and ":" not in line and "&" not in line:
            continue  # no tag, and no link target with a scheme (&#58; is a colon too)
        line_number = first_line + offset
        without_autolinks = _AUTOLINK.sub(lambda m: " " * len(m.group(0)), line)
        for match in _TAG.finditer(without_autolinks):
            yield (
                line_number, match.start() + 1, "S301", ERROR,
                f"本文に HTML のタグ {match.group(0)}> は書けません（見出しは ##、強調は **…**、改行は空行で書いてください。記号の < を文字として書くなら ＜ を使ってください）",
            )
        targets = [m for pattern in (_INLINE_LINK, _REFERENCE, _AUTOLINK) for m in pattern.finditer(line)]
        for match in targets:
            if _is_bad_target(match.group(1)):
                yield (
                    line_number, match.start(1) + 1, "S302", ERROR,
                    f"本文のリンク先「{match.group(1)[:40]}」は使えません（リンク先は https:// で始まる URL にしてください）",
                )
