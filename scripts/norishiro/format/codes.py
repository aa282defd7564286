"""全国地方公共団体コード (JIS X 0402): the form of `municipality.code`.

Only the form is checked (digits, check digit, prefecture), never whether a
code exists, so fictional stories can use well-formed codes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from norishiro.format.vocab import PREFECTURE_BY_JIS, Prefecture


def check_digit(first_five: str) -> int:
    """S = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5; check = (11 − S mod 11) mod 10."""
    total = sum(weight * int(digit) for weight, digit in zip((6, 5, 4, 3, 2), first_five, strict=True))
    return (11 - total % 11) % 10


def with_check_digit(first_five: str) -> str:
    return first_five + str(check_digit(first_five))


@dataclass(frozen=True)
class CodeReading:
    """What a written code says: the six digits, or why it cannot be read."""

    code: str | None  # six digits, check digit included
    problem: str = ""  # 'form' | 'check_digit' | 'prefecture' ('' when readable)
    completed: bool = False  # written with five digits; the check digit was added
    expected_check: int | None = None

    @property
    def prefecture(self) -> Prefecture | None:
        return PREFECTURE_BY_JIS.get(self.code[:2]) if self.code else None

    @property
    def is_prefecture_code(self) -> bool:
        """A prefecture's own code, e.g. 三重県 240001."""
        return self.code is not None and self.code[2:5] == "000"


def read_code(text: str) -> CodeReading:
    """Read a code exactly as written (full-width digits are folded)."""
    digits = unicodedata.normalize("NFKC", text).strip()
    if not (digits.isascii() and digits.isdigit() and len(digits) in (5, 6)):
        return CodeReading(None, "form")
    expected = check_digit(digits[:5])
    if len(digits) == 6 and int(digits[5]) != expected:
        return CodeReading(None, "check_digit", expected_check=expected)
    code = digits if len(digits) == 6 else digits + str(expected)
    if code[:2] not in PREFECTURE_BY_JIS:
        return CodeReading(None, "prefecture")
    return CodeReading(code, completed=len(digits) == 5)
