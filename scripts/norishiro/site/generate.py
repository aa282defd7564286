"""All generated pages of the site, from the stories: path -> Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.site.accessibility import ACCESSIBILITY, render_accessibility
from norishiro.site.browse import field_pages, jusou_pages, prefecture_pages, size_pages, status_pages
from norishiro.site.document import Document
from norishiro.site.failures import render_failures
from norishiro.site.key_reference import keys_reference_document
from norishiro.site.overlaps import overlap_pages
from norishiro.site.pace import pace_pages
from norishiro.site.related import RelatedIndex
from norishiro.site.story_page import SiteContext, render_story

__all__ = ["SiteContext", "generate_pages"]


def generate_pages(stories: Sequence[Story], ctx: SiteContext | None = None) -> dict[str, Document]:
    """Docs-relative path ('stories/<slug>.md', 'started-by/education.md', ...) -> content.

    The order of the result is fixed (stories by slug, then the views), so the
    build sees the same files in the same order every time.
    """
    ctx = ctx or SiteContext()
    ordered = sorted(stories, key=lambda s: s.slug)
    related = RelatedIndex(ordered)
    pages = {urls.story(story.slug): render_story(story, related.related(story), ctx) for story in ordered}
    for view in (field_pages, size_pages, jusou_pages, status_pages, prefecture_pages, overlap_pages, pace_pages):
        pages.update(view(ordered))
    pages[urls.FAILURES] = render_failures(ordered)
    pages[urls.KEYS_GUIDE] = keys_reference_document()
    pages[ACCESSIBILITY] = render_accessibility(ordered)
    return pages
