"""What would run or load on a page: a browser-like reading of HTML for tests.

Uses the standard library's HTML parser (tokenises like a browser: `<img/onerror=…>`
is a tag with an `onerror` attribute), not the project's code, so the tests
judge the renderer from outside.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

ACTIVE_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta", "base",
    "form", "button", "textarea", "select", "svg", "math", "video", "audio", "source", "track", "template",
    "noscript", "dialog", "portal",
}
# The drawing elements our own figures use (site/pace.py); anything else inside an <svg>
# (<a>, <use>, <image>, <foreignObject>, <animate>, <set>, <script> ...) counts as active.
SVG_DRAWING = {"svg", "title", "desc", "g", "rect", "circle", "line", "path", "polygon", "text"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "xlink:href", "background", "ping"}
_BAD = re.compile(r"^(javascript|vbscript|data):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


class _Reader(HTMLParser):
    def __init__(self, allow_drawings: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.allow_drawings = allow_drawings
        self.svg_depth = 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        drawing = self.allow_drawings and (tag == "svg" or self.svg_depth > 0)
        if drawing and tag == "svg":
            self.svg_depth += 1
        if drawing:
            if tag not in SVG_DRAWING:
                self.found.append(f"<svg><{tag}>")
        elif tag in ACTIVE_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name == "style" and re.fullmatch(r"text-align:\s*(left|right|center);?", value or ""):
                continue  # table column alignment, as the renderer writes it
            if name.startswith("on") or name in ("srcdoc", "style", "formaction"):
                self.found.append(f"<{tag} {name}>")
            elif name in URL_ATTRIBUTES and value is not None:
                target = _INVISIBLE.sub("", html.unescape(value)).lower()
                if _BAD.match(target):
                    self.found.append(f"<{tag} {name}={value[:30]}>")

    handle_startendtag = handle_starttag


def active_content(fragment: str, allow_drawings: bool = False) -> list[str]:
    """Every tag or attribute in the fragment that could run script or change the page.

    With allow_drawings, an <svg> made only of drawing elements without event
    attributes or links (the figures the site generates) is not active.
    """
    reader = _Reader(allow_drawings)
    reader.feed(fragment)
    reader.close()
    return reader.found
