"""The generated page `search.md` (served as search.html at the site root)."""

from __future__ import annotations

from norishiro.search.index import INDEX_PATH

SCRIPT_PATH = "assets/norishiro/search.js"
STYLE_PATH = "assets/norishiro/search.css"

THESAURUS_PATH = "search-thesaurus.md"

HELP = (
    "タイトル・概要・経過・うまくいかなかったこと・本文などから探します。"
    "文のまま入れても、言葉をスペースで区切っても探せます（多くの言葉を含む物語が先に出ます）。"
    "全角と半角、ひらがなとカタカナ、送りがな、「社協・社会福祉協議会」のような略称は区別しません"
    "（<a href=\"search-thesaurus.html\">検索の言い換え一覧</a>）。"
    "「令和2年度」のような年度・年、「大阪府の村」「人口5万人以上」「休止中」「社協が始めた」のような言葉は絞り込みとして読みます。"
)

# Raw HTML with no blank lines, so Python-Markdown passes it through as one block.
_PAGE = """\
---
title: 検索
hide:
  - navigation
  - toc
---

# 検索

<div class="ns-search" id="norishiro-search" data-search-state="loading">
<form class="ns-search__form" id="ns-form" action="search.html" method="get" role="search">
<label for="ns-q">物語を検索</label>
<input type="search" id="ns-q" name="q" autocomplete="off" placeholder="例：協議会　ひきこもり" aria-describedby="ns-help">
<button type="submit">検索</button>
</form>
<p class="ns-search__help" id="ns-help">{help}</p>
<noscript><p>検索には JavaScript が必要です。ブラウザの設定で JavaScript を有効にしてください。</p></noscript>
<div class="ns-search__layout">
<div class="ns-search__main">
<div class="ns-search__status" id="ns-status" role="status" aria-live="polite"></div>
<ol class="ns-search__results" id="ns-results"></ol>
<div id="ns-more"></div>
</div>
<div class="ns-search__facets" id="ns-facets" role="group" aria-label="絞り込み"></div>
</div>
</div>
<script src="{index}"></script>
<script src="{script}"></script>
"""


def search_page_content() -> str:
    """Markdown (front matter + raw HTML) for the generated page search.md."""
    return _PAGE.replace("{help}", HELP).replace("{index}", INDEX_PATH).replace("{script}", SCRIPT_PATH)
