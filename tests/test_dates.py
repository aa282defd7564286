"""Date-like values as periods."""

from __future__ import annotations

from datetime import date

import pytest

from norishiro.format.dates import DateError, parse_period

GOOD = [
    ("2021", date(2021, 1, 1), date(2021, 12, 31), "令和3年（2021年）"),
    ("2021-06", date(2021, 6, 1), date(2021, 6, 30), "令和3年6月（2021年6月）"),
    ("2021-06-15", date(2021, 6, 15), date(2021, 6, 15), "令和3年6月15日（2021年6月15日）"),
    ("2021/6/15", date(2021, 6, 15), date(2021, 6, 15), "令和3年6月15日（2021年6月15日）"),
    ("2021年", date(2021, 1, 1), date(2021, 12, 31), "令和3年（2021年）"),
    ("2021年6月", date(2021, 6, 1), date(2021, 6, 30), "令和3年6月（2021年6月）"),
    ("2021年6月15日", date(2021, 6, 15), date(2021, 6, 15), "令和3年6月15日（2021年6月15日）"),
    ("2021年度", date(2021, 4, 1), date(2022, 3, 31), "令和3年度（2021年度）"),
    ("２０２１年度", date(2021, 4, 1), date(2022, 3, 31), "令和3年度（2021年度）"),
    ("令和3年度", date(2021, 4, 1), date(2022, 3, 31), "令和3年度（2021年度）"),
    ("令和元年6月", date(2019, 6, 1), date(2019, 6, 30), "令和元年6月（2019年6月）"),
    ("令和元年", date(2019, 1, 1), date(2019, 12, 31), "令和元年（2019年）"),
    ("平成31年度", date(2019, 4, 1), date(2020, 3, 31), "平成31年度（2019年度）"),
    ("平成30年", date(2018, 1, 1), date(2018, 12, 31), "平成30年（2018年）"),
    ("平成元年", date(1989, 1, 1), date(1989, 12, 31), "平成元年（1989年）"),
    ("R3年度", date(2021, 4, 1), date(2022, 3, 31), "令和3年度（2021年度）"),
    ("令和 3 年 6 月", date(2021, 6, 1), date(2021, 6, 30), "令和3年6月（2021年6月）"),
    # Written in western years, shown with the era of the period (issue 13).
    ("2019-04", date(2019, 4, 1), date(2019, 4, 30), "平成31年4月（2019年4月）"),
    ("2019-05", date(2019, 5, 1), date(2019, 5, 31), "令和元年5月（2019年5月）"),
    ("2019年度", date(2019, 4, 1), date(2020, 3, 31), "令和元年度（2019年度）"),
    ("2018", date(2018, 1, 1), date(2018, 12, 31), "平成30年（2018年）"),
    ("1989-01-07", date(1989, 1, 7), date(1989, 1, 7), "昭和64年1月7日（1989年1月7日）"),
    ("1920年", date(1920, 1, 1), date(1920, 12, 31), "1920年"),
]


@pytest.mark.parametrize(("text", "start", "end", "label"), GOOD)
def test_periods(text: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.display()) == (start, end, label)
    assert period.label() == (label if period.era else period.western())


@pytest.mark.parametrize(
    ("text", "impossible"),
    [("2021-13", True), ("2021-02-29", True), ("令和0年", True), ("平成32年", True), ("平成31年6月", True),
     ("令和元年4月", True), ("1800年", True), ("春", False), ("2021年春", False), ("21年", False), ("", False)],
)
def test_bad_periods(text: str, impossible: bool) -> None:
    with pytest.raises(DateError) as caught:
        parse_period(text)
    assert caught.value.impossible is impossible


def test_yaml_date_object() -> None:
    assert parse_period(date(2020, 2, 29)).display() == "令和2年2月29日（2020年2月29日）"


def test_day_label_shows_both_forms() -> None:
    from norishiro.format.dates import day_label

    assert day_label(date(2025, 4, 1)) == "令和7年4月1日（2025年4月1日）"
    assert day_label(date(2019, 4, 30)) == "平成31年4月30日（2019年4月30日）"
