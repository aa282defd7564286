"""Per-story memos: what a build makes from one story, kept by `mkdocs serve` between builds.

A function that makes something from one story alone (its row in a data
file, its entry in the search index) takes a `Memo` and asks it for the
result: `memo(kind, story, make)`.  A build calls `make()` every time
(`no_memo`); `mkdocs serve` (norishiro.incremental) hands back what it made
for the same kind and the same version of the story's file in the last
build.  `kind` names what is made and everything besides the story it
depends on (a Publication, say), so that a change to those makes it again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

from norishiro.format.model import Story

T = TypeVar("T")


class Memo(Protocol):
    def __call__(self, kind: Hashable, story: Story, make: Callable[[], T], /) -> T: ...


def no_memo(kind: Hashable, story: Story, make: Callable[[], T], /) -> T:
    return make()
