"""What a page needs on paper: a line saying where and when it came from, and the print button.

The print styles are in assets/print.css; assets/print.js fills in the print
date, opens the keyword table and shows the button.  Without JavaScript the
page still prints with the browser's own print command, and the print date
is left blank to be written by hand.
"""

from __future__ import annotations

import html
from datetime import date

from norishiro.format.dates import day_label
from norishiro.site.document import Html

PRINT_CSS = "assets/norishiro/print.css"
PRINT_JS = "assets/norishiro/print.js"
BLANK_DATE = "　　　　年　　月　　日"


def print_head(site_name: str, url: str | None, updated: date | None) -> Html:
    """The source line printed above the page (hidden on screen)."""
    parts = [f'<span class="ns-print-head__site">{html.escape(site_name)}</span>']
    if url:
        parts.append(f'<span class="ns-print-head__url">{html.escape(url)}</span>')
    if updated is not None:
        parts.append(f"更新日 {day_label(updated)}")
    parts.append(f"印刷日 <span data-ns-print-date>{BLANK_DATE}</span>")
    return Html('<p class="ns-print-head">' + " ｜ ".join(parts) + "</p>")


def page_footer_style(site_name: str, updated: date | None) -> str:
    """An @page rule that repeats the site name and 更新日 at the foot of every printed page."""
    text = site_name + (f" ｜ 更新日 {day_label(updated)}" if updated else "")
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        f'<style id="ns-print-page" media="print" data-footer="{html.escape(text)}">'
        f"@page {{ @bottom-left {{ content: {quoted}; }} }}</style>"
    )


PRINT_TOOLS = Html(
    '<div class="ns-print-tools">'
    '<button type="button" class="md-button ns-print-button" data-ns-print hidden>この物語を印刷する</button>'
    '<span class="ns-print-tools__hint">印刷はブラウザーの印刷（Ctrl＋P）からもできます。A4 縦に合わせ、メニューは省いて印刷されます。</span>'
    "</div>"
)
