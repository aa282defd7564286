"""All generated pages of the site, from the stories: path -> Markdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.site.accessibility import ACCESSIBILITY, render_accessibility
from norishiro.site.browse import field_pages, jusou_pages, prefecture_pages, size_pages, status_pages
from norishiro.site.document import Document
from norishiro.site.failures import failure_sources
from norishiro.site.key_reference import keys_reference_document
from norishiro.site.overlaps import overlap_pages
from norishiro.site.pace import pace_pages
from norishiro.site.related import Related, RelatedIndex, RelatedMemory
from norishiro.site.story_page import SiteContext, render_story
from norishiro.site.thesaurus_page import thesaurus_page

__all__ = ["SiteContext", "StoryPage", "generate_pages", "page_sources"]

Sources = dict[str, Callable[[], Document]]


class StoryPage:
    """The renderer of one story page, which can name everything the page reads.

    `mkdocs serve` fingerprints `inputs()` to tell whether the page changed
    without rendering it (see norishiro.incremental).
    """

    def __init__(self, story: Story, related: RelatedIndex, ctx: SiteContext) -> None:
        self.story, self._related, self.ctx = story, related, ctx

    def inputs(self) -> tuple[Story, list[Related], SiteContext]:
        return self.story, self._related.related(self.story), self.ctx

    def __call__(self) -> Document:
        return render_story(*self.inputs())


def page_sources(stories: Sequence[Story], ctx: SiteContext | None = None, related_memory: RelatedMemory | None = None) -> Sources:
    """Docs-relative path ('stories/<slug>.md', 'started-by/education.md', ...) -> its renderer.

    Rendering is deferred so that a build can make one page at a time (memory
    stays flat as the collection grows).  The order is fixed (stories by slug,
    then the views), so the build sees the same files in the same order.
    `mkdocs serve` keeps the related stories (related_memory) between builds.
    """
    ctx = ctx or SiteContext()
    ordered = sorted(stories, key=lambda s: s.slug)
    related = RelatedIndex(ordered, related_memory)
    sources: Sources = {urls.story(story.slug): StoryPage(story, related, ctx) for story in ordered}
    for view in (field_pages, size_pages, jusou_pages, status_pages, prefecture_pages, failure_sources, overlap_pages, pace_pages):
        sources.update(view(ordered))
    sources[urls.KEYS_GUIDE] = keys_reference_document
    sources[ACCESSIBILITY] = partial(render_accessibility, ordered)
    sources[urls.SEARCH_THESAURUS] = thesaurus_page
    return sources


def generate_pages(stories: Sequence[Story], ctx: SiteContext | None = None) -> dict[str, Document]:
    """Every generated page, rendered (see page_sources)."""
    return {path: render() for path, render in page_sources(stories, ctx).items()}
