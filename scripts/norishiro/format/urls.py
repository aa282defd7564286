"""Where each generated page lives, and relative links between pages.

Paths are docs-relative Markdown paths ('stories/<slug>.md'); the built site
has the same path with '.html' (MkDocs' `use_directory_urls: false`).  Links
are always relative and always name a file, never a folder, so they resolve
both on a web server and when the site is opened from a folder (file://).
"""

from __future__ import annotations

HOME = "index.md"
FAILURES = "failures.md"
SEARCH = "search.md"
SEARCH_THESAURUS = "search-thesaurus.md"
WRITE = "write.md"  # 「物語を書く」, the offline editor (contribute.editor)
KEYS_GUIDE = "guide/keys.md"
STARTED_BY_INDEX = "started-by/index.md"
SIZE_INDEX = "size/index.md"
JUSOU_INDEX = "jusou/index.md"
STATUS_INDEX = "status/index.md"
PREFECTURE_INDEX = "prefecture/index.md"
OVERLAPS = "overlaps.md"
ASSEMBLY = "overlaps-without-jusou.md"  # 事業を使わずに進めている町の組み立て
PROGRAMME_INDEX = "programmes/index.md"
DIFFICULTY_INDEX = "difficulties/index.md"
PACE_INDEX = "pace/index.md"
PACE_BY_SIZE = "pace/by-size.md"


def story(slug: str) -> str:
    return f"stories/{slug}.md"


def started_by(field_id: str) -> str:
    return f"started-by/{field_id}.md"


def size(band_id: str) -> str:
    return f"size/{band_id}.md"


def jusou(jusou_id: str) -> str:
    return f"jusou/{jusou_id}.md"


def status(status_id: str) -> str:
    return f"status/{status_id}.md"


def prefecture(romaji: str) -> str:
    return f"prefecture/{romaji}.md"


def programme(programme_id: str) -> str:
    return f"programmes/{programme_id}.md"


def difficulty(difficulty_id: str) -> str:
    return f"difficulties/{difficulty_id}.md"


def joined(field_id: str) -> str:
    """Stories that another field started and this field joined."""
    return f"started-by/{field_id}-joined.md"


def failure_group(group_id: str) -> str:
    return f"failures/{group_id}.md"


def failure_filter(facet: str, value_id: str) -> str:
    """Failures of the stories with one facet value: facet is size, jusou or field."""
    return f"failures/{facet}-{value_id}.md"


def page(doc: str, number: int) -> str:
    """Page `number` (1-based) of a paged list whose first page is `doc`."""
    return doc if number == 1 else f"{doc.removesuffix('.md')}-p{number}.md"


def search(**facets: str) -> str:
    """The search page's address with facets chosen (keys of search-ui.js: field, size, jusou, ...)."""
    return "?q=" + "".join(f"&{key}={value}" for key, value in facets.items())


def href(from_doc: str, to_doc: str, anchor: str = "") -> str:
    """Relative URL from one page to another ('' + anchor for the same page)."""
    if from_doc == to_doc:
        return anchor or "#"
    here = from_doc.split("/")[:-1]
    there = to_doc.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    target = "/".join(there[common:])
    return "../" * (len(here) - common) + target.removesuffix(".md") + ".html" + anchor


def contract_url(slug: str) -> str:
    """The story URL the format promises (`/stories/<slug>/`), as a file path."""
    return f"stories/{slug}/index.html"


def redirect_html(slug: str) -> str:
    """A page at the contract URL that forwards to the real page, stories/<slug>.html.

    The site names files rather than folders so that it works from file://;
    this keeps `/stories/<slug>/` links, shared by others, working on a server.
    """
    target = f"../{slug}.html"
    return (
        '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<link rel="canonical" href="{target}"><title>移動しました</title></head>\n'
        f'<body><p><a href="{target}">物語のページへ移動します</a></p></body></html>\n'
    )
