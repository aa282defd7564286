"""The page `mkdocs serve` shows while a saved story has errors.

A contributor previewing the site edits a story in an editor and looks at the
browser, not the terminal.  While the file has errors its page (and a notice
on every other page) lists the checker's findings: file, line, message, in
Japanese; once the file is fixed the next rebuild shows the story again.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence

from norishiro.check.findings import SEVERITY_LABELS, Finding
from norishiro.site.document import Document, Html
from norishiro.site.html import front_matter

TITLE = "物語のファイルに誤りがあります"


def _rows(findings: Sequence[Finding], root: str) -> str:
    rows = []
    for finding in sorted(findings):
        path = os.path.relpath(finding.path, root) if root and os.path.isabs(finding.path) else finding.path
        where = f"{finding.line}行目" if finding.line else "ファイル全体"
        rows.append(
            f"<tr><td><code>{html.escape(path)}</code></td><td>{where}</td>"
            f"<td>{SEVERITY_LABELS[finding.severity]}[{html.escape(finding.rule)}] {html.escape(finding.message)}</td></tr>"
        )
    return "".join(rows)


def findings_table(findings: Sequence[Finding], root: str = "") -> str:
    return (
        '<div class="ns-table-wrap"><table><thead><tr><th scope="col">ファイル</th><th scope="col">行</th>'
        f'<th scope="col">内容</th></tr></thead><tbody>{_rows(findings, root)}</tbody></table></div>'
    )


def error_page(findings: Sequence[Finding], root: str = "") -> Document:
    """The page shown in place of a story whose file has errors."""
    return Document.of([
        front_matter(TITLE, wide=True),
        f"# {TITLE}",
        Html("<p>保存された物語のファイルを確かめたところ、次の誤りが見つかりました。"
             "ファイルを直して保存すると、このページは自動で物語の表示に戻ります。</p>"),
        Html(findings_table(findings, root)),
    ])


def error_notice(findings: Sequence[Finding], root: str = "") -> str:
    """A notice at the top of every other page while some story has errors."""
    count = len({finding.path for finding in findings})
    return (
        f'<div class="ns-serve-errors" role="alert"><p><strong>{TITLE}（{count}件のファイル）。</strong>'
        "その物語のページには誤りの一覧が出ています。直して保存するまで、一覧・検索・データには前に正しく保存した内容が使われます"
        "（一度も正しく保存していない物語は出ません）。</p>"
        f"{findings_table(findings, root)}</div>"
    )


_CONTENT_START = '<article class="md-content__inner md-typeset">'  # Material's article, around the page's content


def with_notice(page_html: str, notice: str) -> str:
    """The written page with the notice at the top of its content (or of its body, in another theme)."""
    if not notice:
        return page_html
    at = page_html.find(_CONTENT_START)
    if at >= 0:
        at += len(_CONTENT_START)
    else:
        body = page_html.find("<body")
        at = page_html.find(">", body) + 1 if body >= 0 else 0
    return page_html[:at] + notice + page_html[at:]
