"""Files the search adds to the built site."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from norishiro.format.model import Story
from norishiro.search.index import index_files, js_literal
from norishiro.search.page import SCRIPT_PATH, STYLE_PATH
from norishiro.search.query import lexicon

# search.js is served as one file: the generated lexicon, then these
# package-data sources, in order.
SCRIPT_SOURCES = ("search-query.js", "search-match.js", "search-ui.js")


def asset_text(name: str) -> str:
    return resources.files("norishiro").joinpath("assets", name).read_text(encoding="utf-8")


def search_script() -> bytes:
    head = f"window.NORISHIRO_LEXICON={js_literal(lexicon())};\n"
    return (head + "\n".join(asset_text(name) for name in SCRIPT_SOURCES)).encode()


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
