"""`norishiro new`: the template from keys.py, flags, prompts, and a story that checks clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from norishiro.check.story import check_file
from norishiro.cli import main
from norishiro.contribute import new_story
from norishiro.contribute.new_story import blank_template, split_event, split_failure, yaml_scalar
from norishiro.format.keys import FRONT_MATTER, walk

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = ["## きっかけ", "## 経過", "## うまくいかなかったこと", "## いまの形と残る課題", "## これから始める自治体へ"]
FLAGS = [
    "--title", "教育と福祉の連携会議が市全体の仕組みになるまで",
    "--summary", "一人の生徒の事例から始まった会議が、市全体の仕組みになった5年間の記録です。",
    "--municipality", "架空市",
    "--prefecture", "三重",
    "--kind", "市",
    "--jusou", "using",
    "--started-by", "教育",
    "--status", "進行中",
    "--event", "2019年度: 一人の生徒の事例で学校と福祉が初めて同席した",
    "--event", "令和3年6月：月1回の実務者部会を置いた",
    "--failure", "事務局を一人に頼っていた | 異動で会議が止まった | 事務局を2課の共同にした | 2022-01",
]


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)


def run_new(tmp_path: Path, *args: str) -> int:
    return main(["new", *args, "--dir", str(tmp_path / "stories")])


def test_flags_for_every_required_fact_give_a_story_that_checks_clean(tmp_path: Path) -> None:
    assert run_new(tmp_path, "kaku-city-education", *FLAGS) == 0
    path = tmp_path / "stories" / "kaku-city-education.md"
    story, findings = check_file(str(path))
    assert findings == []  # clean even with --strict: no warnings either
    assert story is not None
    assert story.municipality.prefecture == "三重県"
    assert story.started_by == "education" and story.fields == ("education",)
    assert [item.when.text for item in story.timeline] == ["2019年度", "令和3年6月"]
    assert story.failures[0].next == "事務局を2課の共同にした"
    assert not story.sample


def test_optional_flags_and_a_suggested_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = ["--population", "52,000", "--through", "自立支援協議会", "--fields", "障害、子ども", "--contributor", "架空市 福祉総合相談課"]
    assert run_new(tmp_path, *FLAGS, *extra) == 0
    path = tmp_path / "stories" / "mie-city-education.md"
    story, findings = check_file(str(path))
    assert findings == [] and story is not None
    assert story.municipality.population == 52000
    assert story.fields == ("education", "disability", "child")
    assert str(path) in capsys.readouterr().out


def test_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "stories" / "kaku-city-education.md"
    path.parent.mkdir()
    path.write_text("既にある物語", encoding="utf-8")
    assert run_new(tmp_path, "kaku-city-education", *FLAGS) == 2
    assert path.read_text(encoding="utf-8") == "既にある物語"
    assert "上書きはしません" in capsys.readouterr().err


def test_without_a_terminal_missing_flags_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_new(tmp_path, "x-story", *FLAGS[:4]) == 2
    err = capsys.readouterr().err
    for flag in ("--municipality", "--prefecture", "--kind", "--jusou", "--started-by", "--status", "--event", "--failure"):
        assert flag in err
    assert "--title" not in err
    assert not (tmp_path / "stories").exists()


@pytest.mark.parametrize(
    ("flag", "value", "said"),
    [
        ("--kind", "大都市", "「大都市」は選べません"),
        ("--prefecture", "三重国", "47都道府県"),
        ("--started-by", "福祉", "「福祉」は選べません"),
        ("--population", "約5万", "人数ではありません"),
    ],
)
def test_bad_values_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str, said: str) -> None:
    args = list(FLAGS)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    assert run_new(tmp_path, "x-story", *args) == 2
    err = capsys.readouterr().err
    assert flag in err and said in err


def test_events_need_a_date_and_two_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one_event = FLAGS[:-4] + FLAGS[-2:]
    assert one_event.count("--event") == 1
    assert run_new(tmp_path, "x-story", *one_event) == 2
    assert "2件以上" in capsys.readouterr().err
    assert run_new(tmp_path, "x-story", *FLAGS, "--event", "そのあと: 広がった") == 2
    assert "日付として読めません" in capsys.readouterr().err


def test_bad_file_name_is_refused_with_a_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_new(tmp_path, "Kaku_City", *FLAGS) == 2
    assert "kaku-city" in capsys.readouterr().err


def test_prompts_in_japanese_and_ask_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    answers = iter([
        "連携会議が市全体の仕組みになるまで",  # title
        "一人の事例から始まった会議が、市全体の仕組みになった。",  # summary
        "A町",  # municipality
        "三重国", "三重",  # prefecture: asked again
        "9", "5",  # kind: number out of range, then 町
        "",  # population (optional)
        "実施",  # jusou
        "障がい",  # started by
        "",  # through
        "5、社協",  # other fields
        "1",  # status
        "2020年度: 自立支援協議会の部会で話し合った", "",  # one event is not enough
        "春ごろに広がった",  # no date: asked again
        "2021年度: 住民の集まりが始まった", "",
        "", "会議が報告会になった | 事例を整理していなかった", "",  # failures: at least one
        "",  # file name: take the suggestion
    ])
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert run_new(tmp_path) == 0
    out = capsys.readouterr().out
    assert "47都道府県" in out and "「9」は選べません" in out and "あと1件以上" in out
    assert "  5. 町（town）" in out
    path = tmp_path / "stories" / "mie-town-disability.md"
    story, findings = check_file(str(path))
    assert findings == [] and story is not None
    assert story.municipality.kind == "town"
    assert story.fields == ("disability", "education", "shakyo")
    assert len(story.timeline) == 2 and story.failures[0].why == "事例を整理していなかった"


def test_template_has_every_public_key_in_contract_order_with_guidance() -> None:
    text = blank_template()
    front = text.split("---\n")[1]
    keys = [line for line in front.splitlines() if not line.lstrip().startswith("#")]
    top = [line.split(":")[0] for line in keys if not line.startswith(" ")]
    assert top == [key.name for key in FRONT_MATTER.children if key.public]
    assert "sample" not in top  # the project's own key for fictional samples is never in the template
    names = {re.match(r"\s*(?:- )?(\w+):", line).group(1) for line in keys}
    assert {path.rsplit(".", 1)[-1] for path, key in walk() if key.public} == names
    for _, key in walk():
        if key.public:
            assert f"# {key.label}" in front or f"（{key.label}・" in front, key.label
            assert key.help in front, key.help
    assert [line for line in text.splitlines() if line.startswith("## ")] == HEADINGS


def test_template_parses_and_reports_only_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text(blank_template(), encoding="utf-8")
    _, findings = check_file(str(path))
    assert findings and {f.rule for f in findings} == {"S104"}  # empty required values, each at its line
    lines = path.read_text(encoding="utf-8").splitlines()
    for finding in findings:
        assert lines[finding.line - 1].split(":")[0].strip(" -") in finding.message


def test_the_guide_shows_the_template_as_generated() -> None:
    guide = (ROOT / "docs" / "guide" / "submitting.md").read_text(encoding="utf-8")
    assert f"```markdown\n{blank_template()}```" in guide


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2021年6月: 何があったか", ("2021年6月", "何があったか")),
        ("- 令和3年度：会議を始めた", ("令和3年度", "会議を始めた")),
        ("1. 2021-06 会議を始めた", ("2021-06", "会議を始めた")),
        ("2023年度　再開した", ("2023年度", "再開した")),
        ("2021.6: 区切りが点", ("2021.6", "区切りが点")),
        ("春ごろに広がった", ("", "春ごろに広がった")),
    ],
)
def test_split_event(line: str, expected: tuple[str, str]) -> None:
    assert split_event(line) == expected


def test_split_failure() -> None:
    assert split_failure("何が｜なぜ | 次に | 2022年度") == {"what": "何が", "why": "なぜ", "next": "次に", "when": "2022年度"}
    assert split_failure("何がだけ") == {"what": "何がだけ", "why": "", "next": "", "when": ""}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_yaml_scalar_reads_back_as_written(text: str) -> None:
    for flow in (False, True):
        document = f"k: [{yaml_scalar(text, flow)}]" if flow else f"k: {yaml_scalar(text, flow)}"
        node = yaml.compose(document).value[0][1]
        assert (node.value[0] if flow else node).value == text


def test_package_ships_the_body_template() -> None:
    assert new_story.template_body().startswith("## きっかけ")
