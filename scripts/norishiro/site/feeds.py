"""Atom 1.0 feeds: new and updated stories, failures, and one per prefecture.

Feeds need absolute URLs, so they exist only when the site has a `site_url`.
Every date comes from the stories' `updated` (as midnight in Japan), never the
clock, and entries are in a fixed order, so the same stories give the same
bytes.  Written with xml.etree: the output is plain and stable, with no
generator version or build time in it.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from norishiro.format import urls
from norishiro.format.model import Failure, Story
from norishiro.format.vocab import FIELDS, JUSOU, PREFECTURES, STATUSES, prefecture_by_name
from norishiro.site.data import Publication
from norishiro.site.failures import groups_of
from norishiro.site.html import newest_first
from norishiro.site.story_page import failure_id

ATOM = "http://www.w3.org/2005/Atom"
FEED_DIR = "feeds"
STORIES_FEED = "feeds/stories.xml"
FAILURES_FEED = "feeds/failures.xml"
MAX_ENTRIES = 50  # the newest; the whole collection is in data/
TITLE_LENGTH = 80


def prefecture_feed(romaji: str) -> str:
    return f"{FEED_DIR}/prefecture/{romaji}.xml"


@dataclass(frozen=True)
class Feed:
    path: str  # site-relative, e.g. feeds/stories.xml
    title: str
    page: str  # docs path of the HTML page the feed follows


def feeds_for(stories: Sequence[Story], site_name: str) -> list[Feed]:
    """Every feed of the site: the two for the collection, then one per prefecture with stories."""
    present = {prefecture_by_name(s.municipality.prefecture).romaji for s in stories}
    out = [
        Feed(STORIES_FEED, f"{site_name}: 新しい物語・更新された物語", urls.HOME),
        Feed(FAILURES_FEED, f"{site_name}: うまくいかなかったこと", urls.FAILURES),
    ]
    out += [Feed(prefecture_feed(p.romaji), f"{site_name}: {p.name}の物語", urls.prefecture(p.romaji)) for p in PREFECTURES if p.romaji in present]
    return out


def atom_time(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+09:00"


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _link(parent: ET.Element, href: str, rel: str = "alternate", kind: str = "text/html") -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "type": kind, "href": href})


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= TITLE_LENGTH else line[: TITLE_LENGTH - 1] + "…"


def _story_entry(feed: ET.Element, story: Story, pub: Publication) -> None:
    url = pub.page_url(urls.story(story.slug))
    assert url is not None
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", url)
    _text(entry, "title", story.title + ("（架空の記入例）" if story.sample else ""))
    _text(entry, "updated", atom_time(story.updated))
    if story.contributor:
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", story.contributor)
    _link(entry, url)
    place = f"{story.municipality.name}（{story.municipality.prefecture}）"
    facts = (
        f"{place}。始めた分野: {FIELDS.label(story.started_by)}。"
        f"重層的支援体制整備事業: {JUSOU.label(story.jusou)}。状況: {STATUSES.label(story.status)}。"
        f"うまくいかなかったこと {len(story.failures)}件。"
    )
    _text(entry, "summary", f"{' '.join(story.summary.split())}\n{facts}", type="text")
    for field_id in story.fields:
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": field_id, "label": FIELDS.label(field_id)})


def _failure_entry(feed: ET.Element, story: Story, number: int, failure: Failure, pub: Publication) -> None:
    url = pub.page_url(urls.story(story.slug), "#" + failure_id(number))
    assert url is not None
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    _text(entry, "id", url)
    _text(entry, "title", _short(failure.what))
    _text(entry, "updated", atom_time(story.updated))
    _link(entry, url)
    lines = [" ".join(failure.what.split())]
    if failure.when is not None:
        lines.append(f"時期: {failure.when.label()}")
    if failure.why:
        lines.append(f"理由: {' '.join(failure.why.split())}")
    if failure.next:
        lines.append(f"次に変えたこと: {' '.join(failure.next.split())}")
    lines.append(f"物語: 「{story.title}」{story.municipality.name}（{story.municipality.prefecture}）")
    _text(entry, "summary", "\n".join(lines), type="text")
    for group in groups_of(story, failure):
        ET.SubElement(entry, f"{{{ATOM}}}category", {"term": group.id, "label": group.label})


def _feed(feed: Feed, pub: Publication, updated: date) -> ET.Element:
    self_url, page_url = pub.absolute(feed.path), pub.page_url(feed.page)
    assert self_url is not None and page_url is not None
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "ja"})
    _text(root, "id", self_url)
    _text(root, "title", feed.title)
    _text(root, "updated", atom_time(updated))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", pub.site_name)
    _link(root, self_url, "self", "application/atom+xml")
    _link(root, page_url)
    _text(root, "rights", "物語の文章とデータ: CC BY 4.0（クリエイティブ・コモンズ 表示 4.0 国際）")
    return root


def _bytes(root: ET.Element) -> bytes:
    ET.register_namespace("", ATOM)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def _newest(stories: Iterable[Story]) -> date:
    return max((story.updated for story in stories), default=date(1970, 1, 1))


def stories_feed(feed: Feed, stories: Sequence[Story], pub: Publication) -> bytes:
    chosen = newest_first(stories)[:MAX_ENTRIES]
    root = _feed(feed, pub, _newest(chosen))
    for story in chosen:
        _story_entry(root, story, pub)
    return _bytes(root)


def failures_feed(feed: Feed, stories: Sequence[Story], pub: Publication) -> bytes:
    listed = ((story, number, failure) for story in newest_first(stories) for number, failure in enumerate(story.failures, start=1))
    chosen = list(itertools.islice(listed, MAX_ENTRIES))
    root = _feed(feed, pub, _newest(story for story, _, _ in chosen))
    for story, number, failure in chosen:
        _failure_entry(root, story, number, failure, pub)
    return _bytes(root)


def feed_files(stories: Sequence[Story], pub: Publication) -> dict[str, bytes]:
    """Site-relative path -> bytes of every feed; empty without site_url."""
    if not pub.site_url:
        return {}
    out: dict[str, bytes] = {}
    by_prefecture: dict[str, list[Story]] = {}
    for story in stories:
        by_prefecture.setdefault(prefecture_by_name(story.municipality.prefecture).romaji, []).append(story)
    for feed in feeds_for(stories, pub.site_name):
        if feed.path == FAILURES_FEED:
            out[feed.path] = failures_feed(feed, stories, pub)
        elif feed.path == STORIES_FEED:
            out[feed.path] = stories_feed(feed, stories, pub)
        else:
            romaji = feed.path.removeprefix(f"{FEED_DIR}/prefecture/").removesuffix(".xml")
            out[feed.path] = stories_feed(feed, by_prefecture[romaji], pub)
    return out
