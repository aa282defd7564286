"""A minimal valid story as text, for tests that change one thing in it."""

from __future__ import annotations

VALID = """\
---
title: 連携会議が市全体の仕組みになるまで
summary: 一人の子どもの事例から始まった会議が、市全体の仕組みになった。
municipality:
  name: 架空市
  prefecture: 三重県
  kind: city
  population: 52000
jusou: using
started_by:
  field: education
  through: 教育と福祉の連携会議
fields: [education, child]
status: ongoing
timeline:
  - when: 2019年度
    what: 一人の生徒の事例で学校と福祉が初めて同席した
    kind: start
  - when: 2021-06
    what: 市全体の会議になった
failures:
  - what: 先進地の会議をそのまま作った
    why: 参加者が自分の会議だと思えなかった
    next: 既存の会議に議題を足した
    when: 2020年
updated: 2025-04-01
---
## きっかけ

本文です。
"""


def story(**replace: str) -> str:
    """VALID with whole lines replaced: story(**{"  kind: city": "  kind: 町"})."""
    text = VALID
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def with_line(old: str, new: str) -> str:
    return story(**{old: new})


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)
