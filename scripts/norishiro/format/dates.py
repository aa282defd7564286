"""Date-like values of the story format, read as periods.

A `when` names a day, a month, a year or a fiscal year (April to March), in
western or Japanese-era (平成/令和) years.  Each is turned into a `Period` with a
first and last day, so that ordering can be judged on periods rather than on
the text people typed.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date


class DateError(ValueError):
    """A value that cannot be a date.  `impossible` separates 2021-13 from 'spring'."""

    def __init__(self, message: str, *, impossible: bool = False) -> None:
        super().__init__(message)
        self.impossible = impossible


@dataclass(frozen=True, slots=True)
class Era:
    name: str
    first_year: int  # western year of the era's year 1 (元年)
    last_year: int | None  # last era year in use, None while current
    starts: date
    ends: date | None


ERAS: dict[str, Era] = {
    "昭和": Era("昭和", 1926, 64, date(1926, 12, 25), date(1989, 1, 7)),
    "平成": Era("平成", 1989, 31, date(1989, 1, 8), date(2019, 4, 30)),
    "令和": Era("令和", 2019, None, date(2019, 5, 1), None),
}
_ERA_INITIALS = {"s": "昭和", "h": "平成", "r": "令和"}

PRECISIONS = ("day", "month", "year", "fiscal_year")


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days named by one `when` value."""

    start: date
    end: date
    precision: str  # one of PRECISIONS
    era: str | None  # 平成/令和 when written in an era
    text: str  # the value as written

    @property
    def year(self) -> int:
        return self.start.year

    def era_year(self) -> str:
        """The year in the era written, or else in the era of the period."""
        era = self.era or era_of(self._era_day())
        assert era is not None
        return _era_year(era, self.year)

    def _era_day(self) -> date:
        # A year or fiscal year is named by the era at the end of its calendar
        # year (2019年 → 令和元年, 2019年度 → 令和元年度); a month or day by its own.
        return date(self.year, 12, 31) if self.precision in ("year", "fiscal_year") else self.start

    def western(self) -> str:
        """The period in western years, e.g. 2021年6月, 2021年度."""
        if self.precision == "fiscal_year":
            return f"{self.year}年度"
        if self.precision == "year":
            return f"{self.year}年"
        if self.precision == "month":
            return f"{self.year}年{self.start.month}月"
        return western_day(self.start)

    def label(self) -> str:
        """Era as written, with the western year beside it (compact: the search index)."""
        if self.era is None:
            return self.western()
        return self.display()

    def display(self) -> str:
        """Both forms, the way staff read them: 令和4年4月（2022年4月）, 令和4年度（2022年度）.

        The era is the one written, or else the one of the period, so a date
        written in western years gets its era too (before 昭和: western only).
        Pages show every date this way.
        """
        if self.era is None and era_of(self._era_day()) is None:
            return self.western()
        era_part = self.era_year()
        if self.precision == "fiscal_year":
            return f"{era_part}度（{self.year}年度）"
        rest = self.western()[len(f"{self.year}年"):]
        return f"{era_part}{rest}（{self.western()}）"

    def iso(self) -> str:
        """Machine-readable form for <time datetime>."""
        if self.precision in ("year", "fiscal_year"):
            return f"{self.year:04d}"
        if self.precision == "month":
            return f"{self.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def western_day(day: date) -> str:
    """2021年6月15日"""
    return f"{day.year}年{day.month}月{day.day}日"


def era_of(day: date) -> str | None:
    """The era a day falls in (昭和 onwards), or None before it."""
    for era in reversed(ERAS.values()):
        if day >= era.starts:
            return era.name
    return None


def _era_year(era: str, year: int) -> str:
    number = year - ERAS[era].first_year + 1
    return f"{era}{'元' if number == 1 else number}年"


def day_label(day: date) -> str:
    """A day in both forms, the way staff read it: 令和3年6月15日（2021年6月15日）."""
    era = era_of(day)
    western = western_day(day)
    if era is None:
        return western
    return f"{_era_year(era, day.year)}{day.month}月{day.day}日（{western}）"


_YEAR = r"(?P<era>昭和|平成|令和|[shrSHR])?\s*(?P<year>\d{1,4}|元)"
_JAPANESE = re.compile(
    rf"^{_YEAR}\s*(?:(?P<fy>年度)|年(?:\s*(?P<month>\d{{1,2}})\s*月(?:\s*(?P<day>\d{{1,2}})\s*日)?)?)$"
)
_NUMERIC = re.compile(
    rf"^{_YEAR}(?:\s*[-/.]\s*(?P<month>\d{{1,2}})(?:\s*[-/.]\s*(?P<day>\d{{1,2}}))?)?$"
)
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

# Years a practice story can plausibly name; outside this they are typos.
MIN_YEAR = 1900
MAX_YEAR = 2100


def parse_period(value: object) -> Period:
    """Read a `when` value (str, int or date) as a Period, or raise DateError."""
    if isinstance(value, date):
        return Period(value, value, "day", None, value.isoformat())
    return _parse_written(str(value))


@functools.lru_cache(maxsize=4096)
def _parse_written(value: str) -> Period:
    """A written `when` value as a Period: kept, since a collection names the same years and months again and again."""
    text = unicodedata.normalize("NFKC", value).strip()
    match = _JAPANESE.match(text) or _NUMERIC.match(text)
    if match is None:
        raise DateError(f"「{value}」は日付として読めません")
    groups = match.groupdict()
    era = groups["era"]
    if era is not None and era.lower() in _ERA_INITIALS:
        era = _ERA_INITIALS[era.lower()]
    year = _western_year(era, groups["year"], value)
    month = int(groups["month"]) if groups["month"] else None
    day = int(groups["day"]) if groups["day"] else None
    if groups.get("fy"):
        period = Period(date(year, 4, 1), date(year + 1, 3, 31), "fiscal_year", era, value)
    elif month is None:
        period = Period(date(year, 1, 1), date(year, 12, 31), "year", era, value)
    else:
        if not 1 <= month <= 12:
            raise DateError(f"「{value}」の月 {month} はありません（1〜12）", impossible=True)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            period = Period(date(year, month, 1), date(year, month, last), "month", era, value)
        else:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise DateError(
                    f"「{value}」の日 {day} はありません（{year}年{month}月は{last}日まで）",
                    impossible=True,
                )
            day_value = date(year, month, day)
            period = Period(day_value, day_value, "day", era, value)
    if era is not None:
        _check_inside_era(era, period, value)
    return period


def _western_year(era: str | None, year_text: str, raw: str) -> int:
    if era is None:
        if year_text == "元" or len(year_text) != 4:
            raise DateError(f"「{raw}」の年は西暦4桁（例: 2021）か、令和・平成の年で書いてください")
        year = int(year_text)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise DateError(f"「{raw}」の年 {year} はありえません", impossible=True)
        return year
    number = 1 if year_text == "元" else int(year_text)
    info = ERAS[era]
    if number < 1 or (info.last_year is not None and number > info.last_year):
        limit = f"{era}元年〜{info.last_year}年" if info.last_year else f"{era}元年以降"
        raise DateError(f"「{raw}」という年はありません（{limit}）", impossible=True)
    year = info.first_year + number - 1
    if year > MAX_YEAR:
        raise DateError(f"「{raw}」の年はありえません", impossible=True)
    return year


def _check_inside_era(era: str, period: Period, raw: str) -> None:
    """An era date must fall within the era (平成31年5月 does not exist)."""
    info = ERAS[era]
    if period.precision == "fiscal_year":
        return  # 平成31年度 is in common use for FY2019
    if period.end < info.starts or (info.ends is not None and period.start > info.ends):
        raise DateError(f"「{raw}」は{era}の期間にありません", impossible=True)


def parse_day(value: object) -> date:
    """Read `updated`: a YAML date or a 'YYYY-MM-DD' string."""
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    match = _ISO_DAY.match(text)
    if match is None:
        raise DateError(f"「{value}」は YYYY-MM-DD の形ではありません")
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"「{value}」という日付はありません", impossible=True) from None
