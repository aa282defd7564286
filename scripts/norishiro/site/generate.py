"""All generated pages of the site, from the stories: path -> Markdown."""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import partial

from norishiro.format import urls
from norishiro.format.model import Narrative, Story
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

__all__ = ["SiteContext", "StoryPage", "generate_pages", "page_sources", "slim_stories"]

Sources = dict[str, Callable[[], Document]]


def slim_stories(stories: Sequence[Story]) -> tuple[list[Story], dict[str, bytes]]:
    """The stories without their narrative (search blocks dropped, HTML kept compressed by slug).

    A build holds every story from the first page to the last; the narrative is
    most of a story and only its own page needs it, so page_sources takes it
    back from the compressed copy when that page is rendered.  Call after the
    search index is made (it reads the blocks).
    """
    slim = [slim_story(story) for story in stories]
    return [story for story, _ in slim], {story.slug: narrative for story, narrative in slim}


def slim_story(story: Story) -> tuple[Story, bytes]:
    """One story of slim_stories: the copy without its narrative, and the narrative's HTML compressed."""
    return dataclasses.replace(story, narrative=_EMPTY), zlib.compress(story.narrative.html.encode(), 1)


_EMPTY = Narrative("", ())


class StoryPage:
    """The renderer of one story page, which can name everything the page reads.

    `mkdocs serve` fingerprints `inputs()` to tell whether the page changed
    without rendering it (see norishiro.incremental); a slim story (slim_stories)
    is named there by its file, so a change to the narrative alone still counts.
    """

    def __init__(self, story: Story, related: RelatedIndex, ctx: SiteContext, narratives: Mapping[str, bytes] | None) -> None:
        self.story, self._related, self.ctx, self._narratives = story, related, ctx, narratives

    def inputs(self) -> tuple[Story, list[Related], SiteContext]:
        return self.story, self._related.related(self.story), self.ctx

    def __call__(self) -> Document:
        story, related, ctx = self.inputs()
        if self._narratives is not None:  # slim_stories: the narrative's HTML back for this page only
            html = zlib.decompress(self._narratives[story.slug]).decode()
            story = dataclasses.replace(story, narrative=Narrative(html, ()))
        return render_story(story, related, ctx)


def page_sources(
    stories: Sequence[Story], ctx: SiteContext | None = None, narratives: Mapping[str, bytes] | None = None,
    related_memory: RelatedMemory | None = None,
) -> Sources:
    """Docs-relative path ('stories/<slug>.md', 'started-by/education.md', ...) -> its renderer.

    Rendering is deferred so that a build can make one page at a time (memory
    stays flat as the collection grows).  The order is fixed (stories by slug,
    then the views), so the build sees the same files in the same order.
    `narratives` are slim_stories' compressed narratives of slim stories;
    `mkdocs serve` keeps the related stories (related_memory) between builds.
    """
    ctx = ctx or SiteContext()
    ordered = sorted(stories, key=lambda s: s.slug)
    related = RelatedIndex(ordered, related_memory)
    sources: Sources = {urls.story(story.slug): StoryPage(story, related, ctx, narratives) for story in ordered}
    for view in (field_pages, size_pages, jusou_pages, status_pages, prefecture_pages, failure_sources, overlap_pages, pace_pages):
        sources.update(view(ordered))
    sources[urls.KEYS_GUIDE] = keys_reference_document
    sources[ACCESSIBILITY] = partial(render_accessibility, ordered)
    sources[urls.SEARCH_THESAURUS] = thesaurus_page
    return sources


def generate_pages(stories: Sequence[Story], ctx: SiteContext | None = None) -> dict[str, Document]:
    """Every generated page, rendered (see page_sources)."""
    return {path: render() for path, render in page_sources(stories, ctx).items()}
