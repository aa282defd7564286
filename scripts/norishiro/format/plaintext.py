"""Plain text as a reader sees it: line breaks joined the Japanese way, spaces collapsed.

Used for the narrative's text blocks (check.narrative) and for front-matter
values in the search index; the ORIGINAL characters are kept, so snippets and
highlights stay exact.  The result never contains a line break.
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
