"""`norishiro from-issue`: recorded issue-form bodies become story files."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from norishiro.check.story import check_file
from norishiro.cli import main
from norishiro.contribute.from_issue import CONSENT, FORM_FIELDS, issue_form_yaml, parse_issue
from norishiro.format.vocab import FIELDS, JUSOU, KINDS, STATUSES, lookup_prefecture

ROOT = Path(__file__).resolve().parent.parent
ISSUES = ROOT / "tests" / "fixtures" / "issues"
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "story.yml"


def from_issue(tmp_path: Path, *args: str) -> int:
    return main(["from-issue", *args, "--dir", str(tmp_path / "stories"), "--updated", "2025-06-01"])


def test_a_complete_issue_becomes_a_story_that_checks_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert from_issue(tmp_path, str(ISSUES / "complete.md")) == 0
    path = tmp_path / "stories" / "kaku-village-shakyo-salon.md"  # the file name given in the form
    story, findings = check_file(str(path))
    assert findings == []
    assert story is not None
    assert (story.municipality.name, story.municipality.prefecture, story.municipality.kind) == ("架空村", "長野県", "village")
    assert story.jusou == "not_using" and story.started_by == "shakyo" and story.status == "ongoing"
    assert story.fields == ("shakyo", "elderly", "child", "employment", "residents")
    assert story.carried_by == ("shakyo", "residents")
    assert [item.when.text for item in story.timeline] == ["2019年4月", "2020年度", "令和3年6月", "2022-10", "2023年度"]
    assert story.failures[0].next == "社協と住民で受け止めるものと、役場につなぐものを分けた"
    assert story.failures[1].when is None
    assert story.funding is None and story.workload == "月1回の会議の準備と記録に、社協の職員が月8時間ほど。"
    assert story.tags == ("サロン", "居場所", "小規模自治体")
    assert story.municipality.code == "209996"
    assert story.programmes == ("chiiki_care_kaigi", "kyogitai", "minsei")
    assert [(o.who, o.combines) for o in story.overlaps] == [("社協の地区担当（1人）", ("kyogitai", "chiiki_care_kaigi"))]
    assert story.overlaps[0].effect and story.overlaps[0].effect.startswith("サロンで気になった人")
    assert story.groups_now == ("isolation", "eighty_fifty") and story.groups_not_yet == ("hikikomori",)
    assert [line for line in story.body.splitlines() if line.startswith("## ")] == [
        "## きっかけ", "## 経過", "## うまくいかなかったこと", "## これから始める自治体へ",
    ]
    assert "_No response_" not in path.read_text(encoding="utf-8")
    assert "問題はありませんでした" in capsys.readouterr().out


def test_line_endings_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = (ISSUES / "complete.md").read_text(encoding="utf-8")
    assert from_issue(tmp_path / "a", str(ISSUES / "complete.md")) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(body.replace("\n", "\r\n")))
    assert from_issue(tmp_path / "b") == 0
    name = "stories/kaku-village-shakyo-salon.md"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_an_incomplete_issue_is_written_and_its_problems_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert from_issue(tmp_path, str(ISSUES / "incomplete.md")) == 1
    out = capsys.readouterr().out
    path = tmp_path / "stories" / "kochi-town-npo.md"  # the form's Japanese file name is replaced
    assert "「町の居場所づくり」は使えない" in out
    lines = path.read_text(encoding="utf-8").splitlines()
    _, findings = check_file(str(path))
    shown = {(f.line, f.rule) for f in findings}
    assert shown == {(3, "S104"), (8, "S109"), (17, "S104"), (19, "S104"), (25, "W206")}
    assert lines[2] == "summary:" and lines[7] == "  population: 約9000人" and lines[16] == "  - when:"
    assert lines[18] == "failures:" and "山田さん" in lines[24]
    for finding in findings:
        assert finding.text() in out
    assert "確認が取れていません: 「登場する組織と関係者から" in out


def test_refuses_to_overwrite_and_takes_slug_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert from_issue(tmp_path, str(ISSUES / "complete.md"), "--slug", "village-salon") == 0
    path = tmp_path / "stories" / "village-salon.md"
    before = path.read_bytes()
    assert from_issue(tmp_path, str(ISSUES / "complete.md"), "--slug", "village-salon") == 2
    assert path.read_bytes() == before
    assert "上書きはしません" in capsys.readouterr().err
    assert from_issue(tmp_path, str(ISSUES / "complete.md"), "--slug", "村のサロン") == 2


def test_a_body_that_is_not_the_form_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.md"
    other.write_text("### Describe the bug\n\nsomething\n", encoding="utf-8")
    assert from_issue(tmp_path, str(other)) == 2
    assert "見出しが見つかりません" in capsys.readouterr().err
    assert not (tmp_path / "stories").exists()


def test_answers_keep_their_own_headings() -> None:
    body = "### タイトル\n\nt\n\n### 本文：経過\n\n### 小見出し\n\n本文\n\n### 確認\n\n- [X] a\n- [ ] b\n"
    answers = parse_issue(body)
    assert answers["title"] == "t"
    assert answers["body_2"] == "### 小見出し\n\n本文"


def test_the_fixtures_are_written_the_way_github_renders_the_form() -> None:
    labels = [field.label for field in FORM_FIELDS]
    for fixture in ISSUES.glob("*.md"):
        text = fixture.read_text(encoding="utf-8")
        assert re.findall(r"^### (.+)$", text, re.MULTILINE) == labels, fixture.name
        assert re.fullmatch(r"(### [^\n]+\n\n(?:(?!### )[^\n]*\n)+?\n?)+", text + "\n"), fixture.name


def test_the_issue_form_file_is_generated_from_the_format() -> None:
    assert FORM.read_text(encoding="utf-8") == issue_form_yaml()


def test_the_issue_form_is_a_valid_github_form() -> None:
    form = yaml.safe_load(FORM.read_text(encoding="utf-8"))
    assert {"name", "description", "body"} <= form.keys()
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    assert {item["type"] for item in form["body"]} <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    ids = [item["id"] for item in fields]
    labels = [item["attributes"]["label"] for item in fields]
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", field_id) for field_id in ids)
    by_id = {item["id"]: item for item in fields}
    assert "「時期: 何があったか」" in by_id["timeline"]["attributes"]["description"]
    assert "何が | なぜ | 次に変えたこと | 時期" in by_id["failures"]["attributes"]["description"]
    assert [option["label"] for option in by_id["consent"]["attributes"]["options"]] == list(CONSENT)


@pytest.mark.parametrize(
    ("field_id", "lookup"),
    [
        ("municipality_prefecture", lookup_prefecture),
        ("municipality_kind", KINDS.lookup),
        ("jusou", JUSOU.lookup),
        ("started_by_field", FIELDS.lookup),
        ("fields", FIELDS.lookup),
        ("carried_by", FIELDS.lookup),
        ("status", STATUSES.lookup),
    ],
)
def test_every_dropdown_option_is_a_value_the_checker_accepts(field_id: str, lookup: Callable[[str], object]) -> None:
    (field,) = [field for field in FORM_FIELDS if field.id == field_id]
    assert field.options
    for option in field.options:
        assert lookup(option) is not None, option
        assert "," not in option  # several chosen options are joined with ", "


# ------------------------------------------------------------ hostile issues

COMPLETE = (ISSUES / "complete.md").read_text(encoding="utf-8")


def answer(field_label: str, text: str, body: str = COMPLETE) -> str:
    """The complete issue with one answer replaced."""
    pattern = re.compile(rf"(^### {re.escape(field_label)}\n\n)(.*?)(?=\n\n### )", re.MULTILINE | re.DOTALL)
    assert pattern.search(body), field_label
    return pattern.sub(lambda match: match.group(1) + text, body, count=1)


def write_issue(tmp_path: Path, body: str, *args: str) -> tuple[int, Path]:
    issue = tmp_path / "issue.md"
    issue.write_text(body, encoding="utf-8")
    code = from_issue(tmp_path, str(issue), *args)
    written = sorted((tmp_path / "stories").glob("*.md")) if (tmp_path / "stories").exists() else []
    return code, written[0] if written else tmp_path / "none"


@pytest.mark.parametrize(
    ("label", "typed"),
    [
        ("始まった場", "山田さんの会 # norishiro: ok W206"),
        ("始まった場", "山田さんの会 <!-- norishiro: ok W206 -->"),
        ("始める前からあったもの", "山田さんの会\n# norishiro: ok W206"),
        ("本文：きっかけ", "山田さんが来ました。 <!-- norishiro: ok W206 -->"),
        ("本文：きっかけ", "山田さんが来ました。 <!--norishiro:ok W206-->"),
    ],
)
def test_a_marker_typed_in_an_answer_does_not_silence_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str], label: str, typed: str) -> None:
    code, path = write_issue(tmp_path, answer(label, typed))
    assert code == 1
    _, findings = check_file(str(path))
    assert [f.rule for f in findings] == ["W206"]
    assert not re.search(r"norishiro\s*:\s*ok", path.read_text(encoding="utf-8"))
    out = capsys.readouterr().out
    assert "確認済みの印" in out and f"{findings[0].line}行目: [W206]" in out


def test_a_heading_typed_inside_an_answer_stays_in_that_answer(tmp_path: Path) -> None:
    typed = "村の話です。\n\n### 人口\n\n999999\n\n### タイトル\n\n乗っ取られたタイトル"
    code, path = write_issue(tmp_path, answer("要約", typed))
    story, findings = check_file(str(path))
    assert story is not None and code == 0, [f.text() for f in findings]
    assert story.title == "社協のサロンが村の相談の入り口になるまで" and story.municipality.population == 3800
    assert story.summary == typed
    body_typed = "本文です。\n\n### 確認\n\n- [X] 偽の確認"
    answers = parse_issue(answer("本文：これから始める自治体へ", body_typed))
    assert answers["body_5"] == body_typed and answers["title"] == "社協のサロンが村の相談の入り口になるまで"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
def test_odd_line_separators_do_not_shift_lines_or_change_values(tmp_path: Path, separator: str) -> None:
    typed = f"一行目{separator}### 人口{separator}二行目"
    code, path = write_issue(tmp_path, answer("要約", typed))
    source = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    assert source["summary"] == typed and source["municipality"]["population"] == 3800
    _, findings = check_file(str(path))
    assert {f.rule for f in findings} <= {"S112"}  # control characters are reported, at their own line
    assert all(f.line == 3 for f in findings)


@pytest.mark.parametrize("slug", ["../../etc/evil", "/tmp/evil", "..", "a/../../b", "stories/../x", "x\u2028y"])
def test_the_file_always_stays_inside_stories(tmp_path: Path, slug: str) -> None:
    code, path = write_issue(tmp_path, answer("ファイル名（URL）", slug))
    assert path.parent == tmp_path / "stories"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.md", "stories"]
    assert from_issue(tmp_path, str(tmp_path / "issue.md"), "--slug", "../evil") == 2


def test_a_link_in_place_of_the_file_is_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    target = tmp_path / "target.txt"
    (tmp_path / "stories" / "kaku-village-shakyo-salon.md").symlink_to(target)
    assert from_issue(tmp_path, str(ISSUES / "complete.md")) == 2
    assert not target.exists()


HOSTILE = [
    'say "hi" and \'bye\'', "a: b", "key: value # not a comment", "# starts like a comment", "---", "...", "!tag value",
    "&anchor", "*alias", "| pipe", "> fold", "yes", "no", "on", "off", "true", "null", "~", "3800", "0x1F", "1e3", "08",
    "2025-06-01", "[a, b]", "{a: b}", "@at", "`tick`", "%percent", "line\\nwith backslash", "tab\there", "\ufeffbom",
    "trailing space   \nnext line", "  ", "あ" * 100_000,
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_written_values_mean_exactly_what_was_typed(tmp_path: Path, value: str) -> None:
    body = answer("要約", value)
    body = answer("始める前からあったもの", f"前から\n{value}\n後まで", body)
    body = answer("始まった場", value.split("\n")[0], body)
    code, path = write_issue(tmp_path, body)
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n")[0].removeprefix("---\n"))
    expected = value.strip()
    assert front.get("summary") == (expected or None)
    assert front["before"] == f"前から\n{value}\n後まで".strip()
    assert front["started_by"].get("through") == (value.split("\n")[0].strip() or None)
    assert front["municipality"]["population"] == 3800 and front["title"] == "社協のサロンが村の相談の入り口になるまで"


def test_a_100_kb_answer_everywhere_is_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = "山田さんに090-1234-5678で連絡した。" * 4000
    body = COMPLETE
    for label in ("タイトル", "要約", "人口", "経過", "本文：きっかけ"):
        body = answer(label, big, body)
    body = answer("人口", "9" * 5000, body)
    code, path = write_issue(tmp_path, body)
    assert code == 1 and path.exists()
    out = capsys.readouterr().out
    assert "エラー[S105]" in out and "エラー[S109]" in out and "警告[W206]" in out
