"""Reading the front matter with and without its shortcut gives the same text and findings.

front_text skips the per-line repairs (tabs, line separators, full-width
punctuation, missing spaces) when one scan finds none of them in the file.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from norishiro.check import source as source_module
from norishiro.check.source import Source, front_text

PIECES = (
    "title", "summary", "what", "when", "key_2", "municipality", ":", "：", " ", "  ", "\u3000", "\t", "- ", "-", "－", "ー", "―", "—", "‐", "−",
    "|", ">", "#", "/", "\u2028", "\x85", "1", "2021-06", "値", "テキスト", '"', "'", "[a, b]", "\n", "\n", "\n",
)
fronts = st.lists(st.sampled_from(PIECES), max_size=50).map("".join)


def _read(text: str, shortcut: bool) -> tuple[str, list[object]]:
    source = Source("stories/x.md", front_line=2)
    lines = text.split("\n")
    if shortcut:
        return front_text(source, lines), source.findings
    return "\n".join(source_module._unzenkaku(source, source_module._untab(source, source_module._unseparate(source, lines)))), source.findings


@settings(max_examples=500, deadline=None)
@given(fronts)
def test_the_shortcut_changes_nothing(text: str) -> None:
    assert _read(text, shortcut=True) == _read(text, shortcut=False)
