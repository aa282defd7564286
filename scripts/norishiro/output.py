"""Files the plugin writes into the site folder itself.

MkDocs empties the site folder before `on_files`; the search index, the data
files, the feeds and the redirects are then written straight into it (a data
file is also registered with MkDocs as a File whose source is where it was
written, which MkDocs' copy step leaves alone).  `mkdocs serve` uses
`incremental.ReusingOutput`, which moves an unchanged file back from the
previous build instead of writing it again.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


class Output:
    """Write files under a folder, creating folders as needed."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.made: set[Path] = set()  # folders made (thousands of files share a few dozen)

    def path(self, relative: str) -> Path:
        return self.folder / relative

    def folder_for(self, target: Path) -> None:
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)

    def write(self, relative: str, data: bytes) -> str:
        """Write `data` to the file; return the path written."""
        target = self.path(relative)
        self.folder_for(target)
        target.write_bytes(data)
        return str(target)

    @contextmanager
    def open(self, relative: str) -> Iterator[BinaryIO]:
        """A file to stream into (a big file need not be held whole)."""
        target = self.path(relative)
        self.folder_for(target)
        with target.open("wb") as handle:
            yield handle


class BufferedOutput(Output):
    """An Output that gathers a streamed file in memory and hands it to `write` whole."""

    @contextmanager
    def open(self, relative: str) -> Iterator[BinaryIO]:
        buffer = io.BytesIO()
        yield buffer
        self.write(relative, buffer.getvalue())
