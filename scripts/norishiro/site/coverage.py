"""The prefecture page's view for 後方支援: how much of the prefecture the stories cover.

Counts distinct `municipality.code`s of municipal stories against the
prefecture's number of municipalities (format/municipality_counts.csv), and
names the difficulties and programmes that appear in its stories.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence

from norishiro.format import urls
from norishiro.format.codes import read_code
from norishiro.format.model import Story
from norishiro.format.municipalities import AS_OF, COUNTS, SOURCE
from norishiro.format.vocab import DIFFICULTIES, PROGRAMMES, label_head
from norishiro.site.document import Html
from norishiro.site.html import link

# The prefecture's own and 圏域 stories come first on its page.
SUPPORT_KINDS = ("prefecture", "area")


def support_first(story: Story) -> tuple[int, str, str]:
    kind = story.municipality.kind
    return (SUPPORT_KINDS.index(kind) if kind in SUPPORT_KINDS else len(SUPPORT_KINDS), story.municipality.name, story.slug)


def covered_codes(stories: Sequence[Story]) -> set[str]:
    """Distinct municipal codes (a prefecture's own code is not a municipality)."""
    return {s.municipality.code for s in stories if s.municipality.code and not read_code(s.municipality.code).is_prefecture_code}


def _counted(counter: Counter[str], vocab_doc: str, names: dict[str, str], doc: str) -> str:
    items = sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
    return "、".join(f"{link(doc, vocab_doc.format(term_id), html.escape(names[term_id]))}（{count}）" for term_id, count in items)


def prefecture_coverage(prefecture: str, stories: Sequence[Story], doc: str) -> Html:
    count = COUNTS[prefecture]
    codes = covered_codes(stories)
    without_code = sum(1 for s in stories if s.municipality.code is None and s.municipality.kind not in SUPPORT_KINDS)
    unit = "市区町村" if count.special_wards else "市町村"
    wards = f"（特別区{count.special_wards}を含む）" if count.special_wards else ""
    lines = [
        f"<p><strong>管内の{count.total}{unit}{wards}のうち、{len(codes)}の{unit}の物語があります</strong>"
        f"（自治体コード municipality.code のある物語で数えています"
        + (f"。コードのない{unit}の物語が{without_code}件あります" if without_code else "")
        + f"）。{unit}の数は{html.escape(SOURCE)}（{AS_OF.year}年{AS_OF.month}月{AS_OF.day}日現在）によります。</p>"
    ]
    difficulties: Counter[str] = Counter(d for s in stories for d in s.difficulties)
    programmes: Counter[str] = Counter(p for s in stories for p in s.programmes)
    if difficulties:
        names = {t.id: label_head(t.label) for t in DIFFICULTIES.terms}
        lines.append(f"<p>物語に出てくる困りごと: {_counted(difficulties, urls.difficulty('{}'), names, doc)}</p>")
    if programmes:
        names = {t.id: label_head(t.label) for t in PROGRAMMES.terms}
        lines.append(f"<p>物語に出てくる事業・会議: {_counted(programmes, urls.programme('{}'), names, doc)}</p>")
    return Html('<div class="ns-coverage">' + "".join(lines) + "</div>")
