"""The check cache: reused for unchanged files, never for changed files or other code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from norishiro.check import cache as cache_module
from norishiro.check import collection
from norishiro.check.cache import CACHE_DIR, Cache
from norishiro.check.collection import check_paths

SAMPLES = Path(__file__).resolve().parent.parent / "stories"
N = len(list(SAMPLES.glob("*.md")))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "stories")
    return tmp_path


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = collection.check_file

    def counting(path: str, data: bytes | None = None, want_story: bool = True):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path, data, want_story)

    monkeypatch.setattr(collection, "check_file", counting)
    return seen


def _check(project: Path, want_stories: bool = True) -> collection.Result:
    return check_paths([str(project / "stories")], cache=Cache(project), want_stories=want_stories)


def test_unchanged_files_are_not_checked_again_and_give_the_same_result(project: Path, calls: list[str]) -> None:
    first = _check(project)
    assert len(calls) == N
    second = _check(project)
    assert len(calls) == N
    assert second.stories == first.stories and second.findings == first.findings
    assert (project / CACHE_DIR).is_dir()


def test_a_changed_file_is_checked_again(project: Path, calls: list[str]) -> None:
    _check(project)
    target = project / "stories" / "shakyo-open-ibasho.md"
    target.write_text(target.read_text(encoding="utf-8").replace("status: ", "status: x", 1), encoding="utf-8")
    result = _check(project)
    assert calls[N:] == [str(target)]
    assert [f.rule for f in result.errors] == ["S106"] and len(result.stories) == N - 1
    target.write_text(target.read_text(encoding="utf-8").replace("status: x", "status: ", 1), encoding="utf-8")
    assert not _check(project).errors


def test_a_file_replaced_by_a_link_to_the_same_bytes_is_skipped_not_taken_from_the_cache(project: Path) -> None:
    _check(project)
    target = project / "stories" / "shakyo-open-ibasho.md"
    copy = project / "elsewhere.md"
    copy.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(copy)
    result = _check(project)
    assert [(f.path, f.rule) for f in result.findings] == [(str(target), "W003")] and len(result.stories) == N - 1


def test_a_cache_from_other_code_is_never_used(project: Path, calls: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _check(project)
    old = {p.name for p in (project / CACHE_DIR).iterdir() if p.is_dir()}
    monkeypatch.setattr(cache_module, "code_version", lambda: "other-version")
    _check(project)
    assert len(calls) == 2 * N
    assert {p.name for p in (project / CACHE_DIR).iterdir() if p.is_dir()} == {"other-version"} != old


def test_code_version_follows_the_check_code() -> None:
    cache_module.code_version.cache_clear()
    version = cache_module.code_version()
    assert len(version) == 20 and version == cache_module.code_version()


def test_deleting_or_damaging_the_cache_is_safe(project: Path, calls: list[str]) -> None:
    first = _check(project)
    shutil.rmtree(project / CACHE_DIR)
    assert _check(project).stories == first.stories and len(calls) == 2 * N
    for pickle_file in (project / CACHE_DIR).rglob("*.pickle"):
        pickle_file.write_bytes(b"not a pickle")
    assert _check(project).stories == first.stories


def test_the_command_line_check_keeps_findings_only(project: Path, calls: list[str]) -> None:
    _check(project, want_stories=False)
    assert not list((project / CACHE_DIR).rglob("stories/*/*.pickle"))
    assert len(_check(project, want_stories=False).stories) == 0 and len(calls) == N
    assert len(_check(project).stories) == N and len(calls) == 2 * N


class _Payload:
    """A pickle that runs code when loaded (here: makes a file)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def test_a_cache_put_into_the_project_is_never_unpickled(project: Path, calls: list[str], tmp_path: Path) -> None:
    """A pull request can add `.norishiro-cache/` files (git add -f): they are not signed with the user's key."""
    import pickle

    first = _check(project)
    marker = tmp_path / "code-ran"
    planted = list((project / CACHE_DIR).rglob("*.pickle"))
    assert any(p.name == "findings.pickle" for p in planted) and len(planted) > 1
    for path in planted:
        path.write_bytes(pickle.dumps(_Payload(marker)))
    again = _check(project)
    assert not marker.exists() and len(calls) == 2 * N
    assert again.stories == first.stories and again.findings == first.findings
    for path in (project / CACHE_DIR).rglob("*.pickle"):  # a forged header does not help either
        path.write_bytes(cache_module.MAGIC + bytes(32) + pickle.dumps(_Payload(marker)))
    _check(project)
    assert not marker.exists() and len(calls) == 3 * N


def test_a_cache_signed_with_another_key_is_ignored(project: Path, calls: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-a"))
    _check(project)
    _check(project)
    assert len(calls) == N
    key = tmp_path / "user-a" / "norishiro" / "cache-key"
    assert key.stat().st_mode & 0o077 == 0 and len(key.read_bytes()) == cache_module.KEY_BYTES
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-b"))  # another user, or another machine
    _check(project)
    assert len(calls) == 2 * N


def test_without_a_place_for_the_key_nothing_is_cached(project: Path, calls: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-folder"))
    first = _check(project)
    assert _check(project).stories == first.stories and len(calls) == 2 * N


def test_a_cache_folder_that_is_a_link_is_not_written_through(project: Path, tmp_path: Path) -> None:
    """A `.norishiro-cache` committed as a symbolic link: old versions are dropped, files written, only in the real cache."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "precious").mkdir(parents=True)
    (elsewhere / "precious" / "data.txt").write_text("keep me", encoding="utf-8")
    (project / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    first = _check(project)
    second = _check(project)
    assert second.stories == first.stories
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == ["precious", "precious/data.txt"]
    (project / CACHE_DIR).unlink()
    (project / CACHE_DIR).mkdir()
    (project / CACHE_DIR / cache_module.code_version()).symlink_to(elsewhere, target_is_directory=True)
    _check(project)
    assert sorted(p.relative_to(elsewhere).as_posix() for p in elsewhere.rglob("*")) == ["precious", "precious/data.txt"]
    (project / CACHE_DIR / ".gitignore").unlink(missing_ok=True)


def test_a_cache_file_that_is_a_link_or_no_regular_file_is_not_read(project: Path, calls: list[str]) -> None:
    """A committed link to /dev/zero or to a FIFO would fill memory or hang the check."""
    import os

    _check(project)
    findings = project / CACHE_DIR / cache_module.code_version() / "findings.pickle"
    findings.unlink()
    findings.symlink_to("/dev/zero")
    assert len(_check(project).stories) == N and len(calls) == 2 * N
    findings.unlink()
    os.mkfifo(findings)
    assert len(_check(project).stories) == N and len(calls) == 3 * N


def test_a_relative_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """XDG_CACHE_HOME=.xdg would read the key from the project, where a pull request can put one."""
    monkeypatch.setenv("XDG_CACHE_HOME", ".xdg")
    assert cache_module.key_path() == Path.home() / ".cache" / "norishiro" / "cache-key"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_module.key_path() == tmp_path / "norishiro" / "cache-key"
