"""Format 1.1: municipality.code, programmes, overlaps and reach groups (value tables)."""

from __future__ import annotations

import pytest

from norishiro.check.story import check_file
from norishiro.format.codes import check_digit, read_code
from norishiro.format.vocab import DIFFICULTIES, PROGRAMMES, programme_named_in
from storytext import VALID, line_of, story

POP = "  population: 52000\n"
STATUS = "status: ongoing\n"
UPDATED = "updated: 2025-04-01\n"


def findings(text: str) -> list[tuple[int, str]]:
    _, found = check_file("stories/sample-story.md", text.encode())
    return [(f.line, f.rule) for f in found]


def with_code(code_line: str, prefecture: str = "三重県", kind: str = "city") -> str:
    return story(**{POP: POP + code_line + "\n", "  prefecture: 三重県": f"  prefecture: {prefecture}", "  kind: city": f"  kind: {kind}"})


# (code line as written, prefecture, kind, rule or None, six digits stored)
CODE_CASES: list[tuple[str, str, str, str | None, str | None]] = [
    ('  code: "242012"', "三重県", "city", None, "242012"),
    ("  code: 242012", "三重県", "city", None, "242012"),
    ("  code: '242021'", "三重", "city", None, "242021"),
    ("  code: 24201", "三重県", "city", None, "242012"),  # five digits: completed
    ('  code: "01100"', "北海道", "designated_city", None, "011002"),
    ("  code: 011002", "北海道", "designated_city", None, "011002"),  # YAML 1.1 octal if typed
    ("  code: 015423", "北海道", "town", None, "015423"),
    ("  code: 131016", "東京都", "ward", None, "131016"),
    ("  code: ２４２０１２", "三重県", "city", None, "242012"),  # full-width digits
    ('  code: "240001"', "三重県", "prefecture", None, "240001"),
    ("  code: 242013", "三重県", "city", "S116", None),
    ("  code: 011003", "北海道", "city", "S116", None),
    ("  code: 2420", "三重県", "city", "S115", None),
    ("  code: 2420123", "三重県", "city", "S115", None),
    ("  code: 24201-2", "三重県", "city", "S115", None),
    ("  code: 三重県津市", "三重県", "city", "S115", None),
    ("  code: [242012]", "三重県", "city", "S103", None),
    ("  code: 48100", "三重県", "city", "S115", None),  # no prefecture 48
    ("  code: 011002", "三重県", "city", "S117", None),
    ("  code: 24201", "愛知県", "city", "S117", None),
    ('  code: "242012"', "三重県", "area", "S118", None),
    ('  code: "242012"', "三重県", "prefecture", "W104", None),
    ('  code: "240001"', "三重県", "city", "S118", None),
    ("  code:", "三重県", "area", None, None),  # empty: absent
]


@pytest.mark.parametrize(("line", "prefecture", "kind", "rule", "stored"), CODE_CASES)
def test_municipality_code(line: str, prefecture: str, kind: str, rule: str | None, stored: str | None) -> None:
    text = with_code(line, prefecture, kind)
    built, found = check_file("stories/sample-story.md", text.encode())
    if rule is None:
        assert found == []
        assert built is not None and built.municipality.code == stored
    else:
        assert [(f.line, f.rule) for f in found] == [(line_of(text, "  code:"), rule)]


@pytest.mark.parametrize(("five", "six"), [("01100", "011002"), ("13101", "131016"), ("24201", "242012"), ("24202", "242021"), ("24000", "240001")])
def test_check_digit_examples_from_the_contract(five: str, six: str) -> None:
    assert five + str(check_digit(five)) == six
    assert read_code(six).code == six and read_code(five).completed


def _with_overlaps(block: str) -> str:
    return story(**{STATUS: block + STATUS})


# (overlaps block, rule or None, the line the finding points at)
OVERLAP_CASES: list[tuple[str, str | None, str]] = [
    ("overlaps:\n  - who: 保健師（1人）\n    combines: [chiiki_care_kaigi, yotaikyo]\n", None, ""),
    ("overlaps:\n  - who: 保健師（1人）\n    combines: [地域ケア会議, 要対協]\n    effect: 同じ家族の話を続けてできた\n", None, ""),
    ("overlaps:\n  - who: 社協の地区担当2人\n    combines:\n      - 協議体\n      - 支援会議\n", None, ""),
    ("overlaps:\n  - who: 保健師\n    combines: [chiiki_care_kaigi]\n", "S110", "combines:"),
    ("overlaps:\n  - who: 保健師\n    combines: [yotaikyo, 要保護児童対策地域協議会]\n", "S110", "combines:"),
    ("overlaps:\n  - who: 保健師\n    combines: []\n", "S110", "combines:"),
    ("overlaps:\n  - who: 保健師\n    combines: 地域ケア会議\n", "S103", "combines:"),
    ("overlaps:\n  - who: 保健師\n", "S101", "- who:"),
    ("overlaps:\n  - combines: [chiiki_care_kaigi, yotaikyo]\n", "S101", "- combines:"),
    ("overlaps:\n  - who: " + "あ" * 81 + "\n    combines: [chiiki_care_kaigi, yotaikyo]\n", "S105", "- who:"),
    ("overlaps:\n  - who: 保健師\n    combines: [chiiki_care_kaigi, 地域ケア会義]\n", "S113", "combines:"),
    ("overlaps:\n  - who: 保健師\n    combines: [a, b]\n    role: x\n", "S113", "combines:"),
    ("overlaps:\n  - who: 保健師\n    combines: [chiiki_care_kaigi, yotaikyo]\n    efect: x\n", "S102", "efect:"),
    ("overlaps: []\n", "S110", "overlaps:"),
    ("overlaps: 保健師が兼務\n", "S103", "overlaps:"),
]


@pytest.mark.parametrize(("block", "rule", "needle"), OVERLAP_CASES)
def test_overlaps(block: str, rule: str | None, needle: str) -> None:
    text = _with_overlaps(block)
    found = findings(text)
    if rule is None:
        assert found == []
    else:
        assert (line_of(text, needle), rule) in found, found


def test_combined_programmes_count_as_used() -> None:
    text = _with_overlaps("programmes: [jiritsu_kyogikai, chiiki_care_kaigi]\noverlaps:\n  - who: 保健師（1人）\n    combines: [地域ケア会議, 要対協, yotaikyo]\n")
    built, found = check_file("stories/sample-story.md", text.encode())
    assert found == [] and built is not None
    assert built.programmes == ("jiritsu_kyogikai", "chiiki_care_kaigi", "yotaikyo")
    assert built.overlaps[0].combines == ("chiiki_care_kaigi", "yotaikyo")  # a repeated id counts once
    assert built.overlaps[0].who == "保健師（1人）" and built.overlaps[0].effect is None


# (programmes line, rule or None)
PROGRAMME_CASES: list[tuple[str, str | None]] = [
    ("programmes: [shien_kaigi, jiritsu_kyogikai]", None),
    ("programmes: [支援会議, 自立支援協議会]", None),  # the part of a label before a parenthesis
    ("programmes: [支援会議（社会福祉法第106条の6）]", None),
    ("programmes: [障害者自立支援協議会, 地域包括, 子ども家庭センター]", None),
    ("programmes: [居住支援協議会・居住支援法人, ＳＳＷ]", None),
    ("programmes: [地域ケア会義]", "S113"),
    ("programmes: [重層]", "S113"),
    ("programmes: 地域ケア会議", "S103"),
]


@pytest.mark.parametrize(("line", "rule"), PROGRAMME_CASES)
def test_programmes(line: str, rule: str | None) -> None:
    text = story(**{STATUS: line + "\n" + STATUS})
    found = findings(text)
    assert found == ([] if rule is None else [(line_of(text, "programmes:"), rule)])


# (reach block, rule or None, needle)
REACH_CASES: list[tuple[str, str | None, str]] = [
    ("reach:\n  groups_now: [hikikomori, eighty_fifty]\n", None, ""),
    ("reach:\n  now: 不登校の子ども\n  groups_now: [不登校]\n  groups_not_yet: [8050, 引きこもり, 社会的孤立, DV]\n", None, ""),
    ("reach:\n  groups_not_yet: [8050（高齢の親と、ひきこもりの子）, その他]\n", None, ""),
    ("reach:\n  groups_now: [不登校の子]\n", "S114", "groups_now:"),
    ("reach:\n  groups_not_yet:\n    - ヤングケア\n", "S114", "- ヤングケア"),
    ("reach:\n  groups_now: ひきこもり\n", "S103", "groups_now:"),
    ("reach:\n  group_now: [hikikomori]\n", "S102", "group_now:"),
]


@pytest.mark.parametrize(("block", "rule", "needle"), REACH_CASES)
def test_reach_groups(block: str, rule: str | None, needle: str) -> None:
    text = story(**{UPDATED: block + UPDATED})
    found = findings(text)
    assert found == ([] if rule is None else [(line_of(text, needle), rule)])


def test_repeated_programme_or_difficulty_is_a_warning() -> None:
    text = story(**{STATUS: "programmes: [yotaikyo, 要対協]\n" + STATUS, UPDATED: "reach:\n  groups_now: [不登校, school_absence]\n" + UPDATED})
    assert [rule for _, rule in findings(text)] == ["W101", "W101"]


def test_version_1_story_has_empty_1_1_fields() -> None:
    built, _ = check_file("stories/sample-story.md", VALID.encode())
    assert built is not None
    assert (built.programmes, built.overlaps, built.groups_now, built.groups_not_yet, built.municipality.code) == ((), (), (), (), None)
    assert built.difficulties == ()


@pytest.mark.parametrize(("through", "programme"), [
    ("自立支援協議会", "jiritsu_kyogikai"),
    ("障害者自立支援協議会の相談支援部会", "jiritsu_kyogikai"),
    ("地域ケア会議（個別会議）", "chiiki_care_kaigi"),
    ("要対協の実務者会議", "yotaikyo"),
    ("教育と福祉の連携会議", None),
    ("その他", None),
])
def test_started_through_is_matched_against_the_programmes(through: str, programme: str | None) -> None:
    assert programme_named_in(through) == programme


def test_every_label_head_and_variant_finds_its_term() -> None:
    for vocab in (PROGRAMMES, DIFFICULTIES):
        for term in vocab.terms:
            for spelling in (term.id, term.label, term.label.split("（")[0], *term.variants):
                assert vocab.lookup(spelling) == term.id, (spelling, term.id)
