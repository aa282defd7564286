"""What the checker reports: one Finding per problem, at file:line:col."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "エラー", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int  # 1-based; 0 when the finding is about the file as a whole
    col: int  # 1-based; 0 when there is no column
    rule: str  # stable id such as S104 or W201
    severity: str
    message: str  # Japanese: what is wrong（what to type）

    def text(self) -> str:
        where = self.path if self.line == 0 else f"{self.path}:{self.line}:{max(self.col, 1)}"
        return f"{where}: {SEVERITY_LABELS[self.severity]}[{self.rule}] {self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command that annotates the pull request."""
        command = "error" if self.severity == ERROR else "warning"
        props = [f"file={_escape_property(self.path)}"]
        if self.line:
            props.append(f"line={self.line}")
            if self.col:
                props.append(f"col={self.col}")
        props.append(f"title={_escape_property(self.rule)}")
        return f"::{command} {','.join(props)}::{_escape_data(self.message)}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
