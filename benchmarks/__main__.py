"""Benchmarks with printed figures, run from the project root: `python -m benchmarks [section ...]`.

Speed and size targets live here, not in timed unit tests.  Not installed with
the package: each section imports the code it measures from `norishiro`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks import check, search, site  # noqa: F401  (sections register on import)
from benchmarks.common import sections


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="のりしろのベンチマーク")
    parser.add_argument("sections", nargs="*", help=f"実行する項目（省略時はすべて）: {', '.join(sections)}")
    parser.add_argument("--sizes", default="1000,5000", help="物語の件数（カンマ区切り）")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in sections]
    if unknown:
        parser.error(f"知らない項目: {', '.join(unknown)}")
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="norishiro-bench-"))
    try:
        for name in args.sections or list(sections):
            print(f"== {name}", flush=True)
            sections[name](sizes, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
