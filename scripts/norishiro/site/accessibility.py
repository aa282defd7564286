"""The accessibility policy page (アクセシビリティ方針) and the audit it describes.

The same definitions drive the page and the tests (tests/test_a11y_browser.py):
the page kinds, widths, media, axe-core rule tags and keyboard checks listed
here are exactly what the tests run, and the tests fail on any violation, so
the page's 「違反0件」 holds for every build that passes the suite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from norishiro.format import urls
from norishiro.format.model import Story
from norishiro.format.vocab import lookup_prefecture
from norishiro.site.data_page import DATA_PAGE
from norishiro.site.document import Document

TARGET = "JIS X 8341-3:2016 の適合レベル AA（WCAG 2.1 の A と AA に相当する達成基準を含む）"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
WIDTHS = (1280, 320)
MEDIA = ("screen", "print")
SEARCH_QUERY = "社協"


@dataclass(frozen=True)
class AuditedPage:
    label: str
    path: str  # site-relative URL, with a query for the search page


KEYBOARD_CHECKS = (
    "すべてのリンク・ボタン・入力欄に、Tab キーで移動したとき 2 px の枠線（背景との コントラスト比 3:1 以上）が見えること",
    "幅 320 px で、閉じているメニューの中に Tab キーで入り込まないこと",
    "幅 320 px で、メニューのボタンに Tab キーで移動でき、スペースキーで開閉できること",
    "Tab キーを数回押せば本文（「コンテンツにスキップ」のリンクまたは本文のリンク）に届くこと",
)


def _first(paths: Sequence[str]) -> str:
    return paths[0] if paths else urls.HOME


def audited_pages(stories: Sequence[Story]) -> list[AuditedPage]:
    """One page of every kind, from a site built from `stories`."""
    ordered = sorted(stories, key=lambda s: s.slug)

    def html(doc: str) -> str:
        return doc.removesuffix(".md") + ".html"

    first = ordered[0] if ordered else None
    pages = [AuditedPage("トップページ", html(urls.HOME))]
    if first is not None:
        pages += [
            AuditedPage("物語のページ", html(urls.story(first.slug))),
            AuditedPage("始めた分野ごとの一覧", html(urls.started_by(first.started_by))),
            AuditedPage("状況ごとの一覧", html(urls.status(first.status))),
            AuditedPage("重層的支援体制整備事業の有無ごとの一覧", html(urls.jusou(first.jusou))),
            AuditedPage("規模ごとの一覧", html(urls.size(first.municipality.size_band.id))),
        ]
        prefecture = lookup_prefecture(first.municipality.prefecture)
        if prefecture is not None:
            pages.append(AuditedPage("都道府県ごとの一覧", html(urls.prefecture(prefecture.romaji))))
    with_programme = next((s for s in ordered if s.programmes), None)
    if with_programme is not None:
        pages.append(AuditedPage("事業・会議ごとの一覧", html(urls.programme(with_programme.programmes[0]))))
    with_difficulty = next((s for s in ordered if s.difficulties), None)
    if with_difficulty is not None:
        pages.append(AuditedPage("困りごとごとの一覧", html(urls.difficulty(with_difficulty.difficulties[0]))))
    pages += [
        AuditedPage("始めた分野の索引", html(urls.STARTED_BY_INDEX)),
        AuditedPage("規模の索引", html(urls.SIZE_INDEX)),
        AuditedPage("重層的支援体制整備事業の有無の索引", html(urls.JUSOU_INDEX)),
        AuditedPage("状況の索引", html(urls.STATUS_INDEX)),
        AuditedPage("都道府県の索引", html(urls.PREFECTURE_INDEX)),
        AuditedPage("のりしろ（いっしょに回している事業）", html(urls.OVERLAPS)),
        AuditedPage("事業を使わずに進めている町の組み立て", html(urls.ASSEMBLY)),
        AuditedPage("事業・会議の索引", html(urls.PROGRAMME_INDEX)),
        AuditedPage("困りごとの索引", html(urls.DIFFICULTY_INDEX)),
        AuditedPage("歩みの長さ", html(urls.PACE_INDEX)),
        AuditedPage("規模ごとの歩みの長さ", html(urls.PACE_BY_SIZE)),
        AuditedPage("うまくいかなかったことの一覧", html(urls.FAILURES)),
        AuditedPage("うまくいかなかったことの群ごとの一覧", html(urls.failure_group("copying"))),
        AuditedPage("データを使う", html(DATA_PAGE)),
        AuditedPage("検索の言い換え一覧", html(urls.SEARCH_THESAURUS)),
        AuditedPage("物語を書く", html(urls.WRITE)),
        AuditedPage(f"検索（「{SEARCH_QUERY}」の結果）", html(urls.SEARCH) + "?q=" + SEARCH_QUERY),
        AuditedPage("項目一覧", html(urls.KEYS_GUIDE)),
        AuditedPage("書き方の案内", "guide/writing.html"),
        AuditedPage("このサイトについて", "about.html"),
        AuditedPage("ページが見つからないとき（404）", "404.html"),
        AuditedPage("アクセシビリティ方針", html(ACCESSIBILITY)),
    ]
    return pages


ACCESSIBILITY = "accessibility.md"


def _axe_version() -> str:
    try:
        from importlib.metadata import version

        return f"axe-core（axe-playwright-python {version('axe-playwright-python')} に同梱の版）"
    except Exception:  # the package is a test dependency; the page still builds without it
        return "axe-core"


def render_accessibility(stories: Sequence[Story]) -> Document:
    kinds = "\n".join(f"- {page.label}（`{page.path}`）" for page in audited_pages(stories))
    keyboard = "\n".join(f"- {check}" for check in KEYBOARD_CHECKS)
    widths = "・".join(f"{w} px" for w in WIDTHS)
    media = "画面表示と印刷" if MEDIA == ("screen", "print") else "・".join(MEDIA)
    text = f"""# アクセシビリティ方針

のりしろは、だれもが使えるサイトを目指し、次の方針で作っています。

## 目標とする適合レベル

{TARGET}に準拠することを目標とします。

## 対象範囲

このサイトのすべてのページ（物語のページ、一覧のページ、検索、書き方の案内）。物語の本文は投稿者が書いたものですが、見出し・リンク・表の作りはサイトの側でそろえています。

## 試験の方法

サイトを作り直すたびに、自動テストで次の試験をしています。試験の内容はこのページと同じ定義から作られており、一つでも違反があるとテストが失敗し、サイトを公開しません。

- 道具：{_axe_version()}を、Chromium（画面を表示しないヘッドレス版）で実行
- 達成基準：WCAG 2.0・2.1 の A と AA（JIS X 8341-3:2016 の A と AA に対応）、あわせて axe-core のベストプラクティス
- 画面の幅：{widths}
- 表示のしかた：{media}

試験したページ（ページの種類ごとに1ページ）：

{kinds}

キーボードだけでの操作の試験：

{keyboard}

## 試験の結果

上のすべてのページ・画面の幅・表示のしかたで、axe-core が報告した違反は0件です（自動テストが違反0件を確かめています）。

自動の試験で見つけられるのは問題の一部です。読み上げソフトでの聞こえ方や、文章のわかりやすさは、人が確かめる必要があります。

## 問題を見つけたとき

使いにくいところや読めないところがあれば、[投稿のしかた](guide/submitting.md) にある窓口からお知らせください。
"""
    return Document.of([text])
