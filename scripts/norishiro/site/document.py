"""A generated page: Markdown parts and HTML blocks kept apart.

Python-Markdown reads raw HTML with a pure-Python HTML parser; on story pages
that was most of the build time.  The HTML we generate needs no reading, so
an engine may take `markdown()` (each HTML block replaced by a placeholder
comment, which Markdown passes through untouched) and put the blocks back
into the rendered page with `fill`.  `text()` is the same page as plain
Markdown with the HTML inline, for any engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"<!--norishiro:(\d+)-->")


class Html(str):
    """A block of HTML that we generated (story text in it is escaped)."""


@dataclass(frozen=True)
class Document:
    parts: tuple[str, ...]  # Markdown, or Html blocks

    @classmethod
    def of(cls, parts: Iterable[str]) -> Document:
        return cls(tuple(part for part in parts if part))

    def text(self) -> str:
        return "\n\n".join(self.parts) + "\n"

    def markdown(self) -> str:
        out, number = [], 0
        for part in self.parts:
            if isinstance(part, Html):
                out.append(f"<!--norishiro:{number}-->")
                number += 1
            else:
                out.append(part)
        return "\n\n".join(out) + "\n"

    def blocks(self) -> list[str]:
        return [str(part) for part in self.parts if isinstance(part, Html)]


def fill(html: str, blocks: list[str]) -> str:
    """Put the HTML blocks back in place of their placeholders.

    A story's narrative may hold HTML comments, so a look-alike comment that
    names no block is left as it is.
    """

    def block(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return blocks[number] if number < len(blocks) else match.group(0)

    return _PLACEHOLDER.sub(block, html)
