"""Japanese full-text search for the static site: the index, the search page and its scripts.

May import norishiro.format and norishiro.check.

No tokeniser: the index is the stories' own text, and search.js matches each
query term as a substring through a RegExp that folds width, kana and the
spelling variants practitioners use.  See index.py for the index layout.
"""

from norishiro.search.assets import search_assets
from norishiro.search.index import INDEX_PATH, index_files, searchable_text
from norishiro.search.page import SCRIPT_PATH, STYLE_PATH, search_page_content

__all__ = [
    "INDEX_PATH",
    "SCRIPT_PATH",
    "STYLE_PATH",
    "index_files",
    "search_assets",
    "search_page_content",
    "searchable_text",
]
