"""How many municipalities each prefecture has, from municipality_counts.csv.

The prefecture pages compare the distinct `municipality.code`s of their
stories with this number (後方支援: how many of our municipalities are here).
The table's source and date are in the CSV's header comments and AS_OF.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources


@dataclass(frozen=True)
class MunicipalityCount:
    municipalities: int  # 市・町・村
    special_wards: int  # 特別区 (東京都 only)

    @property
    def total(self) -> int:
        """Every 基礎自治体 with its own code: 市町村 and 特別区."""
        return self.municipalities + self.special_wards


def _read() -> tuple[date, str, dict[str, MunicipalityCount]]:
    text = (resources.files("norishiro.format") / "municipality_counts.csv").read_text(encoding="utf-8")
    comments = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    as_of = next(date.fromisoformat(line.split(":", 1)[1].strip()) for line in comments if line.startswith("as_of:"))
    source = next(line.split(":", 1)[1].strip() for line in comments if line.startswith("出典:"))
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    counts = {row["prefecture"]: MunicipalityCount(int(row["municipalities"]), int(row["special_wards"])) for row in rows}
    return as_of, source, counts


AS_OF, SOURCE, COUNTS = _read()
