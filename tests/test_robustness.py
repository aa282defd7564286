"""No input makes the checker raise: random bytes, random YAML, deep nesting, size."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from norishiro.check.findings import Finding
from norishiro.check.story import check_file
from storytext import VALID

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_checked(data: bytes) -> None:
    story, findings = check_file("stories/fuzz.md", data)
    assert all(isinstance(f, Finding) and f.line >= 0 and f.message for f in findings)
    assert (story is None) == any(f.severity == "error" for f in findings)


@FAST
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    assert_checked(data)


@FAST
@given(st.binary(max_size=500))
def test_random_bytes_inside_front_matter(data: bytes) -> None:
    assert_checked(b"---\n" + data + b"\n---\n")


YAML_ALPHABET = string.ascii_letters[:6] + string.digits[:3] + " \t\n:-[]{},'\"#&*!|>?%@`~" + "あ年度令和"


@FAST
@given(st.text(alphabet=YAML_ALPHABET, max_size=300))
def test_random_yaml_like_front_matter(text: str) -> None:
    assert_checked(f"---\n{text}\n---\n".encode())


@FAST
@given(st.lists(st.integers(0, len(VALID) - 1), min_size=1, max_size=5), st.text(YAML_ALPHABET, max_size=5))
def test_mutated_valid_story(positions: list[int], insert: str) -> None:
    text = VALID
    for position in sorted(positions, reverse=True):
        text = text[:position] + insert + text[position + 1 :]
    assert_checked(text.encode())


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@FAST
@given(st.dictionaries(st.sampled_from(["title", "summary", "municipality", "timeline", "failures", "fields", "updated", "jusou", "x"]), values))
def test_random_structures_under_known_keys(front: dict) -> None:
    import yaml

    assert_checked(("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n").encode())


def test_deep_nesting() -> None:
    for depth in (100, 10_000, 200_000):
        assert_checked(b"---\ntitle: " + b"[" * depth + b"]" * depth + b"\n---\n")
        assert_checked(b"---\ntitle: " + b"{a: " * depth + b"}" * depth + b"\n---\n")
    nested = "".join(" " * i + "a:\n" for i in range(2000))
    assert_checked(f"---\n{nested}---\n".encode())


def test_alias_bomb_is_not_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    assert_checked(("---\n" + "\n".join(lines) + "\ntimeline: *a8\n---\n").encode())


def test_huge_files() -> None:
    assert_checked(b"---\ntitle: " + b"a" * 3_000_000 + b"\n---\n")
    assert_checked(VALID.encode() + "長い本文。\n".encode() * 100_000)


def test_odd_characters() -> None:
    for junk in ("\x00", "\x07", "\ufeff", "\u2028", "\ud7ff", "\x85", "\uffff"):
        assert_checked(VALID.replace("架空市", "架空" + junk + "市").encode("utf-8", "surrogatepass"))
