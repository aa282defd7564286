"""A story can never run code on the site.

Attack files in tests/fixtures/attacks/ are named after the trick they try;
each has its exact (line, rule) errors (or none, when the trick is harmless
and shown as text).  Whatever the checker says, the narrative the site would
render has no active content, and a story the checker passes always builds.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from active_content import active_content
from norishiro.check.narrative import read_narrative
from norishiro.check.story import check_file
from norishiro.site.generate import SiteContext, generate_pages
from storytext import VALID

ATTACKS = Path(__file__).parent / "fixtures" / "attacks"

EXPECTED: dict[str, list[tuple[int, str]]] = {
    "admonition-title-with-tag.md": [(30, "S301")],
    "code-span-with-tag.md": [],
    "comment-closed-early.md": [(30, "S301")],
    "comment-closed-with-bang.md": [(30, "S301")],
    "comment-markers-in-code-spans.md": [(30, "S301")],
    "data-uri-image.md": [(30, "S302")],
    "details-slash-ontoggle.md": [(30, "S301")],
    "entity-obfuscated-scheme.md": [(30, "S302")],
    "escaped-html-text.md": [],
    "fence-info-string-with-space.md": [],
    "footnote-with-tag.md": [(32, "S301")],
    "html-block-with-handler.md": [(30, "S301"), (33, "S301")],
    "iframe-srcdoc.md": [(32, "S301")],
    "img-slash-onerror.md": [(30, "S301")],
    "javascript-autolink.md": [(30, "S302")],
    "javascript-reference-on-next-line.md": [(30, "S302")],
    "mixed-case-spaced-scheme.md": [(30, "S302")],
    "percent-encoded-colon.md": [(30, "S302")],
    "placeholder-lookalike-comment.md": [],
    "quote-breaking-link-title.md": [],
    "script-inside-comment.md": [],
    "style-tag.md": [(30, "S301")],
    "svg-onload.md": [(30, "S301")],
    "tab-inside-scheme.md": [(30, "S302")],
    "table-cell-with-tag.md": [(32, "S301")],
    "tag-split-over-lines.md": [(30, "S301")],
    "unclosed-comment.md": [(32, "S301")],
    "uppercase-tag.md": [(30, "S301")],
    "vbscript-reference.md": [(32, "S302")],
    "zero-width-inside-scheme.md": [(30, "S302")],
}
BODY_LINE = VALID.split("\n").index("## きっかけ") + 1  # the file line where a story's body starts


def test_every_attack_has_an_expectation() -> None:
    assert sorted(p.name for p in ATTACKS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_attack_is_reported_at_its_line(name: str) -> None:
    story, findings = check_file(str(ATTACKS / name))
    assert [(f.line, f.rule) for f in findings if f.severity == "error"] == EXPECTED[name]
    assert (story is None) == bool(EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_attack_renders_no_active_content(name: str) -> None:
    text = (ATTACKS / name).read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    narrative, _ = read_narrative(body, BODY_LINE)
    assert active_content(narrative.html) == []


# ---- the property: check and page come from one reading ------------------

FRAGMENTS = [
    "本文", "**強調**", "_a_", "`<b>`", "``<img src=x onerror=alert(1)>``", "`<!--`", "`-->`", "<!--", "-->",
    "<!-- 注記 -->", "<!-->", "--!>", "<b>", "</b>", "<img src=x onerror=alert(1)>", "<img/onerror=alert(1)>",
    "<details/ontoggle=alert(1)>", "<script>alert(1)</script>", "&lt;script&gt;", "\\<b\\>", "<https://example.org>",
    "<javascript:alert(1)>", "[a](javascript:alert(1))", "[a](https://example.org)", "[a](java&#115;cript:x)",
    "[r]: javascript:alert(1)", "[r]:", "javascript:alert(1)", "[a][r]", "![i](data:text/html,x)", "```", "~~~",
    "```js x", "    <img src=x onerror=alert(1)>", "> 引用", "- 項目", "| a |", "|---|", "[^1]", "[^1]: 注",
    "!!! note", "a < b", "x<y", "<", ">", '"', "'", "(", ")", "[", "]",
]
SEPARATORS = [" ", "", "\n", "\n\n"]


@st.composite
def bodies(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=14))
    return "".join(fragment + separator for fragment, separator in parts)


def _raw_render(body: str) -> str:
    """The same parse rendered the way a pass-through renderer would: HTML as written, links unfiltered."""
    from markdown_it import MarkdownIt

    from norishiro.check.narrative import _READER

    raw = MarkdownIt("commonmark", {"html": True})
    raw.validateLink = lambda url: True  # type: ignore[method-assign]
    tokens = _READER.parse(body, env := {})
    from markdown_it.rules_core import text_join

    class State:
        pass

    state = State()
    state.tokens = tokens  # type: ignore[attr-defined]
    text_join(state)  # type: ignore[arg-type]
    return raw.renderer.render(tokens, raw.options, env)


@settings(max_examples=400, deadline=None)
@given(bodies())
def test_check_and_page_agree(body: str) -> None:
    narrative, problems = read_narrative(body, 1)
    rules = {rule for _, _, rule, _, _ in problems}
    # The page never carries active content, whatever the body.
    assert active_content(narrative.html) == []
    # Anything that would be active if HTML were passed through is reported.
    if active_content(_raw_render(body)):
        assert rules & {"S301", "S302"}, body
    # A story the checker passes builds into pages.
    text = VALID.replace("## きっかけ\n\n本文です。\n", body)
    story, findings = check_file("stories/property-body.md", text.encode())
    if not any(f.severity == "error" for f in findings):
        assert story is not None
        pages = generate_pages([story], SiteContext())
        assert all(active_content(part, allow_drawings=True) == [] for document in pages.values() for part in document.blocks())
    else:
        assert story is None


@settings(max_examples=60, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1)),
    st.lists(st.integers(min_value=1900, max_value=9999), min_size=2, max_size=4).map(sorted),
)
def test_any_checked_dates_build(updated: date, years: list[int]) -> None:
    """updated: 9999-12-31 or a timeline of centuries passes the checker (with W105), so its pages must build."""
    timeline = "".join(f"  - when: {year}年\n    what: 出来事{number}\n" for number, year in enumerate(years, start=1))
    text = VALID.replace("updated: 2025-04-01", f"updated: {updated.isoformat()}")
    text = text[: text.index("timeline:\n") + len("timeline:\n")] + timeline + text[text.index("failures:"):]
    story, findings = check_file("stories/dates.md", text.encode())
    if story is not None:
        pages = generate_pages([story], SiteContext())
        for document in pages.values():
            for part in document.blocks():
                assert active_content(part, allow_drawings=True) == []
    else:
        assert {f.rule for f in findings if f.severity == "error"} <= {"S202", "S204"}  # a year the checker cannot read, or after updated
