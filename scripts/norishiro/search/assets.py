"""Files the search adds to the built site."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from importlib import resources

from norishiro.format.model import Story
from norishiro.search.index import Postings, StoryParts, _json_call, index_files, js_literal, story_parts, write_index
from norishiro.search.page import SCRIPT_PATH, STYLE_PATH
from norishiro.search.query import lexicon

# search.js is served as one file: the generated lexicon, then these
# package-data sources, in order.
SCRIPT_SOURCES = ("search-query.js", "search-match.js", "search-ui.js")


def asset_text(name: str) -> str:
    return resources.files("norishiro").joinpath("assets", name).read_text(encoding="utf-8")


_COMMENT_LINE = re.compile(r"^[ \t]*//.*\n", re.MULTILINE)
_COMMENT_BLOCK = re.compile(r"^[ \t]*/\*(?:(?!\*/).)*\*/[ \t]*\n", re.MULTILINE | re.DOTALL)
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


def compact(source: str) -> str:
    """Drop whole-line comments and indentation: the sources are ES5 with no
    multi-line strings, so this changes no meaning and saves a quarter of the
    bytes the search page loads before its first results."""
    return _INDENT.sub("", _COMMENT_LINE.sub("", _COMMENT_BLOCK.sub("", source)))


def search_script() -> bytes:
    # JSON.parse of a string is parsed faster than the same object literal.
    head = f"window.NORISHIRO_LEXICON={_json_call(js_literal(lexicon()))};\n"
    return (head + "\n".join(compact(asset_text(name)) for name in SCRIPT_SOURCES)).encode()


def search_assets(stories: Iterable[Story], **index_options: int) -> dict[str, bytes]:
    """Paths (relative to the site root) and bytes of the search files.

    Deterministic: the same stories give the same bytes.  `index_options`
    (shard_bytes) are for tests and benchmarks.
    """
    return {
        **index_files(stories, **index_options),
        SCRIPT_PATH: search_script(),
        STYLE_PATH: asset_text("search.css").encode(),
    }


def write_search_assets(
    stories: Iterable[Story],
    sink: Callable[[str, bytes], object],
    parts: Callable[[Story], StoryParts] = story_parts,
    kept: Postings | None = None,
) -> None:
    """The same files as search_assets, each handed to `sink(path, data)` when made (a build keeps none).

    `parts` may remember each story's parts (index.story_parts), and `kept` the posting lists, between builds (`mkdocs serve`).
    """
    write_index(stories, sink, parts=parts, kept=kept)
    sink(SCRIPT_PATH, search_script())
    sink(STYLE_PATH, asset_text("search.css").encode())
