"""The Japanese matcher (NorishiroMatch in search.js), run in headless Chromium.

Each case: what a reader types, a text, and whether the text must match.
Needs Debian's chromium and Python playwright (skips locally, fails in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.harness import results, write_search_site
from browser import shared_chromium

CASES = [
    # width
    ("ＮＰＯ", "NPOに委託", True),
    ("npo", "ＮＰＯ法人", True),
    ("８０５０", "8050の世帯", True),
    ("8050", "８０５０問題", True),
    ("ﾔﾝｸﾞｹｱﾗｰ", "ヤングケアラーの相談", True),
    ("ヤングケアラー", "ﾔﾝｸﾞｹｱﾗｰ", True),
    ("ﾌﾟﾗｯﾄﾌｫｰﾑ", "地域共生プラットフォーム", True),
    ("ガ", "ｶﾞ", True),
    ("が", "か\u3099", True),
    ("パ", "ﾊﾟ", True),
    ("ヴ", "ｳﾞ", True),
    ("1〜5万", "1～5万", True),
    ("8000人", "8,000人", True),
    ("８，０００人", "8000人", True),
    ("（県）", "相談所(県)", True),
    ("第二層", "第2層協議体", True),
    ("１か所", "一か所", True),
    # kana
    ("やんぐけあらー", "ヤングケアラー", True),
    ("ヒキコモリ", "ひきこもり", True),
    ("ｼｮｳｶﾞｲ", "障害者", True),
    # spelling variants
    ("障害", "障がいのある人", True),
    ("障がい", "障碍者", True),
    ("障碍", "障害福祉課", True),
    ("子供", "こどもの居場所", True),
    ("こども", "子供会", True),
    ("子ども", "コドモ", True),
    ("引きこもり", "ひきこもりの状態", True),
    ("ひきこもり", "引き籠もりの", True),
    ("取組", "取り組み", True),
    ("打合せ", "打ち合わせ", True),
    ("社協", "社会福祉協議会", True),
    ("社会福祉協議会", "市社協の職員", True),
    ("児相", "児童相談所", True),
    ("要対協", "要保護児童対策地域協議会", True),
    ("プラットホーム", "地域共生プラットフォーム", True),
    ("ＳＳＷ", "スクールソーシャルワーカー", True),
    ("ケアマネ", "介護支援専門員", True),
    ("1か月", "1ヶ月", True),
    ("３カ月", "3ヵ月", True),
    ("高橋", "髙橋", True),
    # long vowels, dots and spaces the writer put in or left out
    ("コーディネーター", "生活支援コーディネータの", True),
    ("ケアマネジャー", "ケアマネージャー", True),
    ("民生委員児童委員", "民生委員・児童委員", True),
    ("民生委員・児童委員", "民生委員児童委員", True),
    ("地域の支援", "地域の 支援", True),
    # compounds and quotes
    ("協議会", "自立支援協議会", True),
    ("「ごちゃまぜ会議」", "まちのごちゃまぜ会議", True),
    # several words: all must occur
    ("社協　見守り", "社協の見守り活動", True),
    ("社協 見守り", "社協の活動", False),
    # must not match
    ("子供", "子", False),
    ("こども", "ことも", False),
    ("障害", "障", False),
    ("ガ", "カ", False),
    ("カ", "ガ", False),
    ("は", "ぱ", False),
    ("社協", "社会", False),
    ("協議会", "協議", False),
    ("npo", "np o", False),
    ("8050", "80 50", False),
    ("ひきこもり", "ひきこもる", False),
    ("ー", "ー", False),  # nothing to search for
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    site = write_search_site([], tmp_path_factory.mktemp("match-site"))
    new_page = shared_chromium().new_page()
    results(new_page, site.as_uri() + "/", "")
    yield new_page
    new_page.close()


MATCH = """([query, text]) => {
  const terms = NorishiroMatch.parse(query);
  return terms.length > 0 && terms.every(t => t.re.test(text));
}"""


@pytest.mark.parametrize(("query", "text", "expected"), CASES, ids=[f"{q}~{t}" for q, t, _ in CASES])
def test_match(page: Any, query: str, text: str, expected: bool) -> None:
    assert page.evaluate(MATCH, [query, text]) is expected


def test_highlight_positions_are_in_the_original_text(page: Any) -> None:
    text = "ｼｮｳｶﾞｲのある人と障碍のある人"
    spans = page.evaluate(
        """([query, text]) => {
          const out = [];
          NorishiroMatch.parse(query).forEach(t => { t.all.lastIndex = 0; let m;
            while ((m = t.all.exec(text)) !== null) out.push(m[0]); });
          return out;
        }""",
        ["障害", text],
    )
    assert spans == ["ｼｮｳｶﾞｲ", "障碍"]


def test_variant_table_is_exposed(page: Any) -> None:
    variants = page.evaluate("NorishiroMatch.variants")
    groups = [set(group) for group in variants]
    assert {"障害", "障がい", "障碍"} <= next(g for g in groups if "障害" in g)
    assert {"子供", "子ども", "こども"} <= next(g for g in groups if "子供" in g)
    assert {"引きこもり", "ひきこもり"} <= next(g for g in groups if "ひきこもり" in g)
