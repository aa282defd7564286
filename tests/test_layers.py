"""Imports flow one way: format ← check ← site, search, contribute ← cli and plugin.

Each stage may import only the stages below it; a test fails on any import
that flows back up or sideways, and the installed package holds no benchmark code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "scripts" / "norishiro"

# stage -> the norishiro stages it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "format": set(),
    "check": {"format"},
    "site": {"format", "check"},
    "search": {"format", "check"},
    "contribute": {"format", "check"},
    "top": {"format", "check", "site", "search", "contribute"},
}


def _stage(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else "top"


def _imported_stages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    stages: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import; write norishiro.<stage>… so the direction is visible"
            names = [node.module or ""]
            if node.module == "norishiro":
                names = [f"norishiro.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "norishiro" and len(parts) > 1:
                stages.add(parts[1] if parts[1] in ALLOWED else "top")
            assert parts[0] != "benchmarks", f"{path}: the package must not import the benchmarks"
    return stages


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    stage = _stage(path)
    wrong = _imported_stages(path) - ALLOWED[stage] - {stage}
    assert not wrong, f"{path.relative_to(PACKAGE)} ({stage}) imports {sorted(wrong)}: allowed {sorted(ALLOWED[stage])}"


def test_every_stage_says_what_it_holds() -> None:
    for stage in ALLOWED:
        if stage == "top":
            continue
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{stage}/__init__.py must say what the stage holds and may import"


def test_no_benchmark_code_in_the_package() -> None:
    assert not [p for p in MODULES if "bench" in p.name or p.name == "harness.py"]
