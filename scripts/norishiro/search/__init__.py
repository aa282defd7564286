"""Japanese full-text search for the static site: the index, the search page and its scripts.

May import norishiro.format and norishiro.check.

query.py reads text and queries the same way on both sides (fold, the
thesaurus of format/thesaurus.py, character-bigram keys, facet words, dates);
index.py writes an inverted index sharded by key plus one document per story,
so a query loads only the shards of its keys and the documents it shows;
search-query.js, search-match.js (highlighting) and search-ui.js read them in
the browser, by <script> so that file:// works.
"""

from norishiro.search.assets import search_assets, write_search_assets
from norishiro.search.index import INDEX_PATH, index_files, searchable_text, story_parts
from norishiro.search.page import SCRIPT_PATH, STYLE_PATH, search_page_content

__all__ = [
    "INDEX_PATH",
    "SCRIPT_PATH",
    "STYLE_PATH",
    "index_files",
    "search_assets",
    "search_page_content",
    "searchable_text",
    "story_parts",
    "write_search_assets",
]
