"""Plain searchable text from story fields and the Markdown narrative.

The index keeps the ORIGINAL characters (so snippets and highlights are exact);
only layout is removed here: Markdown syntax, line breaks, repeated spaces.
Each piece of text becomes one *segment*; a group of segments is later joined
with "\\n", so no segment may contain a line break.
"""

from __future__ import annotations

import re

_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def _is_cjk(char: str) -> bool:
    """True for characters of Japanese text, where a line break is not a space."""
    return char >= "\u2e80" and not ("\uff01" <= char <= "\uff5e" and char.isalnum())


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph the way a reader sees them.

    A break next to a Japanese character disappears (Japanese has no spaces
    between words); a break between two other characters becomes a space.
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(line[0])):
            out += " "
        out += line
    return out


def clean(text: str | None) -> str:
    """One line of text: line breaks joined as in `join_lines`, spaces collapsed."""
    if not text:
        return ""
    return _WS.sub(" ", join_lines(text.splitlines())).strip()


# --- Markdown -------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}(>\s?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$")

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_EMPHASIS = re.compile(r"\*+|~~|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])")
_CODE = re.compile(r"`+")
_SENTINEL = "\x00"


def _inline(text: str) -> str:
    """Remove inline Markdown syntax, keeping the words a reader sees."""
    escaped: list[str] = []

    def hold(match: re.Match[str]) -> str:
        escaped.append(match.group(1))
        return _SENTINEL

    text = _ESCAPE.sub(hold, text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _FOOTNOTE.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _CODE.sub("", text)
    text = _EMPHASIS.sub("", text)
    parts = text.split(_SENTINEL)
    return "".join(part + (escaped[i] if i < len(escaped) else "") for i, part in enumerate(parts))


def markdown_blocks(markdown: str) -> list[tuple[str, str]]:
    """Split a Markdown narrative into plain-text blocks.

    Returns (kind, text) pairs in reading order; kind is "h" for a heading and
    "p" for anything else (paragraph, list item, quote, table row, code).
    """
    blocks: list[tuple[str, str]] = []
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        text = clean(_inline(join_lines(lines)))
        if text:
            blocks.append(("p", text))
        lines.clear()

    for raw in _COMMENT.sub("", markdown.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        if _FENCE.match(raw):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if raw.strip():
                blocks.append(("p", clean(raw)))
            continue
        if not raw.strip() or _RULE.match(raw) or _TABLE_RULE.match(raw) or _REF_DEF.match(raw):
            flush()
            continue
        heading = _HEADING.match(raw)
        if heading:
            flush()
            text = clean(_inline(heading.group(2)))
            if text:
                blocks.append(("h", text))
            continue
        if _SETEXT.match(raw) and lines:
            text = clean(_inline(join_lines(lines)))
            lines.clear()
            if text:
                blocks.append(("h", text))
            continue
        line = _QUOTE.sub("", raw)
        if _LIST.match(line):
            flush()
            line = _LIST.sub("", line)
        if "|" in line and line.strip().startswith("|"):
            flush()
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            lines.append(" ".join(cell for cell in cells if cell))
            flush()
            continue
        lines.append(line)
    flush()
    return blocks
