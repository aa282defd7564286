"""A content-hash cache of checked, normalised stories (`.norishiro-cache/`).

Re-checking an unchanged collection, or rebuilding the site after one edit,
should not parse thousands of files again.  An entry is keyed by the file's
path and bytes; the whole cache lives under a folder named by a hash of the
package version and of the source of the format and check code, so a cache
written by other code is never read (and is removed when newer code opens
the cache).  The folder is safe to delete at any time; an unreadable or
damaged cache is ignored.

Two layers: `findings.pickle`, one small file with every file's findings
(all that `norishiro check` needs), and one pickle per story object under
`stories/` (what the site build needs), read only when asked for.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import norishiro
from norishiro.check.findings import ERROR, Finding
from norishiro.check.rule_ids import TODAY_DEPENDENT
from norishiro.format.model import Story

CACHE_DIR = ".norishiro-cache"


@functools.cache
def code_version() -> str:
    """A hash of the package version and of every module that decides what a story means."""
    digest = hashlib.sha256(norishiro.__version__.encode())
    package = Path(norishiro.__file__).parent
    for folder in ("format", "check"):
        for module in sorted((package / folder).glob("*.py")):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:20]


def file_key(path: str, data: bytes) -> str:
    """The key of one file: its path as given (findings name it) and its bytes."""
    digest = hashlib.sha256(path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()[:40]


class Cache:
    """Findings and stories of files already checked by this code version."""

    def __init__(self, root: Path) -> None:
        self.base = root / CACHE_DIR
        self.dir = self.base / code_version()
        self.findings: dict[str, list[Finding]] = {}
        self.dirty = False
        try:
            with open(self.dir / "findings.pickle", "rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.findings = loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            self.findings = {}

    def get(self, key: str, want_story: bool) -> tuple[bool, Story | None, list[Finding]]:
        """(hit, story, findings); a story is read from disk only when wanted."""
        findings = self.findings.get(key)
        if findings is None:
            return False, None, []
        if not want_story or any(f.severity == ERROR for f in findings):
            return True, None, findings
        try:
            with open(self._story_path(key), "rb") as handle:
                story = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            return False, None, []
        return (True, story, findings) if isinstance(story, Story) else (False, None, [])

    def put(self, key: str, story: Story | None, findings: list[Finding], keep_story: bool = True, pickled: bytes | None = None) -> None:
        """Keep a file's findings and story; `pickled` is the story pickled already, if it was."""
        if any(finding.rule in TODAY_DEPENDENT for finding in findings):
            return  # true today, perhaps not tomorrow: checked again each time
        self.findings[key] = findings
        self.dirty = True
        if story is not None and keep_story:
            self._write(self._story_path(key), pickled or pickle.dumps(story, pickle.HIGHEST_PROTOCOL))

    def save(self, keep: set[str] | None = None) -> None:
        """Write the findings index (only the keys in `keep`, when given) and drop other versions."""
        if keep is not None and set(self.findings) - keep:
            self.findings = {key: value for key, value in self.findings.items() if key in keep}
            self.dirty = True
        if not self.dirty:
            return
        self._write(self.dir / "findings.pickle", pickle.dumps(self.findings, pickle.HIGHEST_PROTOCOL))
        self.dirty = False
        for other in self.base.iterdir() if self.base.is_dir() else ():
            if other.is_dir() and other.name != self.dir.name:
                shutil.rmtree(other, ignore_errors=True)

    def _story_path(self, key: str) -> Path:
        return self.dir / "stories" / key[:2] / f"{key}.pickle"

    def _write(self, target: Path, data: bytes) -> None:
        """Write atomically; a cache that cannot be written is simply not used."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not (self.base / ".gitignore").exists():
                (self.base / ".gitignore").write_text("*\n", encoding="utf-8")
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except OSError:
            pass
