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

The folder sits in the project, where a pull request can put files (a
`.gitignore` does not stop `git add -f`), and unpickling runs code.  So
every file is signed with HMAC-SHA256 under a key that never leaves the
user's own cache folder (`key_path`, made on first use, readable by the
user only), and a file whose signature does not check is ignored without
being unpickled: a cache committed to the repository, or written on
another machine or by another user, is never read.  Where no key can be
kept, nothing is cached.  Nor does the cache follow links: a
`.norishiro-cache` (or a folder in it) committed as a symbolic link would
have the cache write, and drop old versions, wherever the link points.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import norishiro
from norishiro.check.findings import ERROR, Finding
from norishiro.check.rule_ids import TODAY_DEPENDENT
from norishiro.format.model import Story

CACHE_DIR = ".norishiro-cache"
MAGIC = b"NSCACHE1"  # then the 32-byte signature, then the pickle
KEY_BYTES = 32
SIGNATURE_BYTES = hashlib.sha256().digest_size
MAX_FILE_BYTES = 1 << 30  # a cache file is read only when smaller (a link to /dev/zero, a huge planted file)


def key_path() -> Path:
    """The user's signing key: in the user's cache folder, never in a project."""
    # A relative setting is ignored (as the XDG spec says): it would put the key in the project.
    windows = os.environ.get("LOCALAPPDATA", "") if sys.platform == "win32" else ""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(windows):
        base = Path(windows)
    elif os.path.isabs(xdg):
        base = Path(xdg)
    else:
        base = Path.home() / ".cache"
    return base / "norishiro" / "cache-key"


@functools.cache
def _signing_key(path: Path) -> bytes | None:
    """The key at `path`, made there (mode 0600) if missing; None when it can be neither read nor made."""
    for _ in range(2):
        try:
            data = path.read_bytes()
            return data if len(data) == KEY_BYTES else None
        except FileNotFoundError:
            pass
        except OSError:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue  # made by another process meanwhile: read it
        except OSError:
            return None
        with os.fdopen(handle, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
    return None


def _signature(key: bytes, name: str, payload: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + payload, hashlib.sha256).digest()


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
        self.key = _signing_key(key_path())
        loaded = self._read(self.dir / "findings.pickle")
        if isinstance(loaded, dict):
            self.findings = loaded

    def get(self, key: str, want_story: bool) -> tuple[bool, Story | None, list[Finding]]:
        """(hit, story, findings); a story is read from disk only when wanted."""
        findings = self.findings.get(key)
        if findings is None:
            return False, None, []
        if not want_story or any(f.severity == ERROR for f in findings):
            return True, None, findings
        story = self._read(self._story_path(key))
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
        if not self._real_folders(self.dir) or not self.base.is_dir():
            return
        for other in self.base.iterdir():
            if other.is_dir() and not other.is_symlink() and other.name != self.dir.name:
                shutil.rmtree(other, ignore_errors=True)

    def _story_path(self, key: str) -> Path:
        return self.dir / "stories" / key[:2] / f"{key}.pickle"

    def _name(self, target: Path) -> str:
        """What a file's signature covers besides its bytes: its place in the cache (a story's file
        cannot stand in for another's)."""
        return target.relative_to(self.base).as_posix()

    def _read(self, target: Path) -> object:
        """The unpickled contents of a cache file whose signature checks; None otherwise."""
        if self.key is None or not self._real_folders(target.parent):
            return None
        try:
            handle = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        with os.fdopen(handle, "rb") as opened:
            try:  # a regular file only: not a link (O_NOFOLLOW), a FIFO or a device
                info = os.fstat(opened.fileno())
                if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
                    return None
                data = opened.read(MAX_FILE_BYTES + 1)
            except OSError:
                return None
        head = len(MAGIC) + SIGNATURE_BYTES
        if data[: len(MAGIC)] != MAGIC or not hmac.compare_digest(data[len(MAGIC) : head], _signature(self.key, self._name(target), data[head:])):
            return None  # not signed with this user's key: never unpickled
        try:
            return pickle.loads(data[head:])
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError):
            return None

    def _real_folders(self, folder: Path) -> bool:
        """Whether `folder` and each folder above it up to the cache's own are folders or not there yet, never links."""
        while True:
            if os.path.islink(folder) or (os.path.lexists(folder) and not os.path.isdir(folder)):
                return False
            if folder == self.base:
                return True
            folder = folder.parent

    def _write(self, target: Path, data: bytes) -> None:
        """Write atomically and signed; a cache that cannot be written is simply not used."""
        if self.key is None:
            return
        data = MAGIC + _signature(self.key, self._name(target), data) + data
        try:
            if not self._real_folders(target.parent):
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(self.base / ".gitignore"):
                with os.fdopen(os.open(self.base / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644), "w") as out:
                    out.write("*\n")
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except OSError:
            pass
