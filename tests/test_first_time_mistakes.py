"""Typical mistakes of a first-time writer, each at its own line with a message naming it (issue 13).

Each row changes one line of a valid story the way a person new to YAML
would (mostly with the Japanese IME still on) and states the (line, rule id)
the checker must report first and words the message must contain.  Rows with
no rule are slips the format accepts as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from norishiro.check.story import check_file
from norishiro.format.vocab import FIELDS, KINDS, STATUSES
from storytext import line_of, story


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str
    new: str
    rule: str | None  # None: accepted as written
    at: str = ""  # text on the line to report (default: the changed line)
    says: tuple[str, ...] = ()


MISTAKES = (
    Mistake("全角スペースで字下げ", "  name: 架空市", "　name: 架空市", "S008", says=("全角スペース", "半角スペース")),
    Mistake("全角スペース2つで字下げ", "  prefecture: 三重県", "　　prefecture: 三重県", "S008", says=("全角スペース",)),
    Mistake("全角と半角のスペースが混ざった字下げ", "    what: 市全体の会議になった", "  　what: 市全体の会議になった", "S008", says=("全角スペース",)),
    Mistake("コロンのあとが全角スペース", "status: ongoing", "status:　進行中", "S008", says=("全角スペース", "半角スペースに直してください")),
    Mistake("全角のコロン", "status: ongoing", "status：進行中", "S008", says=("全角のコロン", "半角の「:」")),
    Mistake("全角のコロンとスペース", "jusou: using", "jusou： 実施", "S008", says=("全角のコロン",)),
    Mistake("字下げした項目の全角のコロン", "  kind: city", "  kind：市", "S008", says=("全角のコロン",)),
    Mistake("コロンのあとにスペースがない", "status: ongoing", "status:ongoing", "S012", says=("半角スペースがありません",)),
    Mistake("リストの印が全角のダッシュ", "  - when: 2021-06", "  － when: 2021-06", "S008", says=("全角", "半角の「-」")),
    Mistake("リストの印が長音記号", "  - what: 先進地の会議をそのまま作った", "  ー what: 先進地の会議をそのまま作った", "S008", says=("全角", "「ー」")),
    Mistake("リストの印のあとにスペースがない", "  - when: 2021-06", "  -when: 2021-06", "S012", says=("「-」のあとに半角スペース",)),
    Mistake("タブで字下げ", "  name: 架空市", "\tname: 架空市", "S005", says=("タブ", "半角スペース")),
    Mistake("字下げの数がずれている", "  through: 教育と福祉の連携会議", "   through: 教育と福祉の連携会議", "S004", says=("字下げ", "半角スペースの数")),
    Mistake("値の中に「: 」", "title: 連携会議が市全体の仕組みになるまで", "title: 連携会議: 市全体の仕組みになるまで", "S004", says=('"…" で囲んで',)),
    Mistake("引用符の閉じ忘れ", "title: 連携会議が市全体の仕組みになるまで", 'title: "連携会議が市全体の仕組みになるまで', "S004", says=("引用符",)),
    Mistake("最初の --- がない", "---\ntitle:", "title:", "S002", at="title:", says=("---",)),
    Mistake("最後の --- がない", "updated: 2025-04-01\n---", "updated: 2025-04-01", "S003", at="---", says=("---",)),
    Mistake("項目名が全角の英字", "status: ongoing", "ｓｔａｔｕｓ: ongoing", "S102", says=("全角", "半角で「status」")),
    Mistake("項目名を日本語で書いた", "status: ongoing", "状況: 進行中", "S102", says=("status",)),
    Mistake("項目名の綴り違い", "status: ongoing", "staus: ongoing", "S102", says=("「status」のことですか",)),
    Mistake("決められていない状況", "status: ongoing", "status: 検討中", "S106", says=("次のどれか", STATUSES.terms[0].label)),
    Mistake("自治体の種類を言い換えた", "  kind: city", "  kind: 市町村", "S106", says=("次のどれか", KINDS.terms[0].label)),
    Mistake("分野の一覧にない", "  field: education", "  field: 教育委員会事務局", "S107", says=("全19件" if len(FIELDS.terms) == 19 else "件", "項目一覧")),
    Mistake("全角の角括弧", "fields: [education, child]", "fields: ［education, child］", "S103", says=("リスト",)),
    Mistake("更新日をスラッシュで", "updated: 2025-04-01", "updated: 2025/4/1", "S205", says=("2025-04-01",)),
    Mistake("ありえない月", "  - when: 2021-06", "  - when: 2021年13月", "S202", says=("2021年13月",)),
    # Accepted as written: the format reads these the way the writer meant.
    Mistake("全角数字の時期", "  - when: 2021-06", "  - when: ２０２１年６月", None),
    Mistake("全角数字の人口", "  population: 52000", "  population: ５２０００", None),
    Mistake("「」で囲んだタイトル", "title: 連携会議が市全体の仕組みになるまで", "title: 「連携会議」が市全体の仕組みになるまで", None),
    Mistake("値の中の全角スペース", "    what: 市全体の会議になった", "    what: 市全体の　会議になった", None),
    Mistake("日本語の状況", "status: ongoing", "status: 進行中", None),
)


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_first_time_mistake_is_named_at_its_line(mistake: Mistake) -> None:
    text = story(**{mistake.old: mistake.new})
    _, findings = check_file("mistake.md", text.encode("utf-8"))
    errors = [f for f in findings if f.severity == "error"]
    if mistake.rule is None:
        assert not errors, [f.text() for f in errors]
        return
    assert errors, f"{mistake.name}: no error"
    expected_line = 1 if mistake.rule in ("S002", "S003") else line_of(text, mistake.at or mistake.new.split("\n")[0])
    hits = [f for f in errors if (f.line, f.rule) == (expected_line, mistake.rule)]
    assert hits, [f.text() for f in errors]
    # Nothing is reported before the slip (a required key named wrongly is also
    # reported as missing, at line 1).
    assert all(f.line >= expected_line or f.rule == "S101" for f in errors), [f.text() for f in errors]
    for words in mistake.says:
        assert words in hits[0].message, hits[0].message
    # One slip, one message: nothing else is reported at a later line because of it.
    assert len({(f.line, f.rule) for f in errors if f.rule.startswith("S00")}) <= 1, [f.text() for f in errors]


def test_suggestions_come_only_from_the_allowed_values() -> None:
    for vocab in (STATUSES, KINDS, FIELDS):
        for typo in ("ongoin", "citty", "educaton", "教育委員会事務局", "shakyou"):
            term = vocab.suggest(typo)
            assert term is None or term in vocab.terms


def test_long_lists_are_short_with_japanese_labels_first() -> None:
    text = FIELDS.choices()
    assert text.startswith(f"{FIELDS.terms[0].label}（{FIELDS.terms[0].id}）")
    assert "項目一覧" in text and text.count("、") < 10
    assert STATUSES.choices().startswith(STATUSES.terms[0].label)
