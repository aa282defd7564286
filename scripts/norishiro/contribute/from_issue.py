"""`norishiro from-issue`: a story file from a GitHub issue written with the story form.

The issue form (.github/ISSUE_TEMPLATE/story.yml) is generated here from
keys.py, the vocabularies and templates/body.md (`norishiro from-issue --form`),
so its labels and choices are the format's own.  GitHub renders the answers of
an issue form as `### <label>` sections, `_No response_` for an empty optional
field, the option text for a dropdown (comma-separated when several may be
chosen) and `- [X] ...` for checked boxes.  This module reads that body back.

Answers are written as given: the checker, run on the new file, tells the
maintainer what is missing or wrong, at its line.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from norishiro.check.collection import DEFAULT_DIR
from norishiro.check.privacy import MARKER_REMOVED, defuse_markers
from norishiro.check.story import SLUG, SLUG_MAX, check_file, suggest_slug
from norishiro.contribute.new_story import (
    Values,
    normalised_for_slug,
    render_story,
    report_check,
    split_event,
    split_failure,
    split_list,
    template_body,
    write_new,
)
from norishiro.format.dates import DateError, parse_day
from norishiro.format.keys import KEYS
from norishiro.format.vocab import DIFFICULTIES, FIELDS, JUSOU, KINDS, PREFECTURES, PROGRAMMES, STATUSES, Vocabulary

NO_RESPONSE = "_No response_"


@dataclass(frozen=True)
class FormField:
    """One question of the issue form."""

    id: str
    label: str
    type: str  # input, textarea, dropdown, checkboxes
    description: str
    required: bool = False
    options: tuple[str, ...] = ()
    multiple: bool = False
    placeholder: str = ""

    def as_form(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {"label": self.label, "description": self.description}
        if self.placeholder:
            attributes["placeholder"] = self.placeholder
        if self.type == "dropdown":
            attributes["multiple"] = self.multiple
            attributes["options"] = list(self.options)
        if self.type == "checkboxes":
            attributes["options"] = [{"label": option, "required": True} for option in self.options]
        item: dict[str, Any] = {"type": self.type, "id": self.id, "attributes": attributes}
        if self.type != "checkboxes":
            item["validations"] = {"required": self.required}
        return item


def _required(path: str) -> bool:
    """A key is required in the form when it and every parent are required."""
    parts = path.split(".")
    return all(KEYS[".".join(parts[: index + 1])].required for index in range(len(parts)))


def _labels(vocab: Vocabulary) -> tuple[str, ...]:
    return tuple(term.label for term in vocab.terms)


def _key(path: str, type_: str, description: str = "", placeholder: str = "", options: tuple[str, ...] = (),
         multiple: bool = False, required: bool | None = None) -> FormField:
    key = KEYS[path]
    return FormField(
        path.replace(".", "_"), key.label, type_, description or key.help,
        _required(path) if required is None else required, options, multiple, placeholder,
    )


TIMELINE_HELP = (
    f"古い順に、1行に1件ずつ「時期: 何があったか」と書いてください。{KEYS['timeline'].min_items}件以上。"
    "時期は 2021年6月、2021年度、令和3年、2021-06 などの形で書けます。"
)
FAILURES_HELP = (
    f"1行に1件ずつ「何が | なぜ | 次に変えたこと | 時期」と、縦線 | で区切って書いてください。{KEYS['failures'].min_items}件以上。"
    "「なぜ」「次に変えたこと」「時期」は省いてもかまいません（例: 先進地の会議をそのまま作った | 参加者が自分の会議と思えなかった）。"
)
OVERLAPS_HELP = (
    f"{KEYS['overlaps'].help}。1行に1件ずつ「役割 | いっしょに回している事業（「、」で区切って2つ以上） | それでできたこと」と書いてください。"
    "役割に個人名は書かないでください（例: 保健師（1人） | 地域ケア会議、要保護児童対策地域協議会 | 同じ家族の話を続けてできた）。"
)
CONSENT = (
    "人の名前（仮名以外）・ちょうどの年齢と性別・学校や施設や通りの名前・連絡先など、個人が分かることを書いていません",
    "登場する組織と関係者から、この内容を公開することの了解を得ています",
)
_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_COMMENT = re.compile(r"<!--\s*(.*?)\s*-->", re.DOTALL)


def body_sections() -> list[tuple[str, str]]:
    """(heading, guidance) of the template body, in order."""
    sections: list[tuple[str, str]] = []
    for block in re.split(r"\n(?=## )", template_body().strip()):
        heading = _HEADING.match(block.split("\n", 1)[0])
        if heading:
            guidance = _COMMENT.search(block)
            sections.append((heading.group(1), guidance.group(1) if guidance else ""))
    return sections


def _form_fields() -> tuple[FormField, ...]:
    return (
        FormField(
            "slug", "ファイル名（URL）", "input",
            "半角の小文字英数字とハイフンで、ページの URL になります。空欄なら担当者が決めます。", placeholder="mie-kaku-city-education",
        ),
        _key("title", "input", placeholder=KEYS["title"].example),
        _key("summary", "textarea"),
        _key("municipality.name", "input", placeholder="架空市"),
        _key("municipality.prefecture", "dropdown", "47都道府県のいずれか", options=tuple(p.name for p in PREFECTURES)),
        _key("municipality.kind", "dropdown", "圏域は、複数の市町村でいっしょに取り組んでいる場合です", options=_labels(KINDS)),
        _key("municipality.population", "input", placeholder="52000"),
        _key("municipality.code", "input", placeholder="242012"),
        _key("jusou", "dropdown", "重層的支援体制整備事業を実施しているか", options=_labels(JUSOU)),
        _key("started_by.field", "dropdown", "取り組みを始めた分野を一つ（重層・包括の担当とは限りません）", options=_labels(FIELDS)),
        _key("started_by.through", "input", placeholder=KEYS["started_by.through"].example),
        _key("fields", "dropdown", "関わったすべての分野（いくつでも。始めた分野は自動で加わります）", options=_labels(FIELDS), multiple=True, required=False),
        _key("before", "textarea", placeholder=KEYS["before"].example),
        _key("carried_by", "dropdown", options=_labels(FIELDS), multiple=True),
        _key("programmes", "dropdown", options=_labels(PROGRAMMES), multiple=True),
        _key("overlaps", "textarea", OVERLAPS_HELP, placeholder="保健師（1人） | 地域ケア会議、要保護児童対策地域協議会 | 同じ家族の話を続けてできた"),
        _key("status", "dropdown", "いまの状況", options=_labels(STATUSES)),
        _key("timeline", "textarea", TIMELINE_HELP, placeholder="2021年6月: 一人の生徒の事例で学校と福祉が初めて同席した\n2022年度: 月1回の会議になった"),
        _key("failures", "textarea", FAILURES_HELP, placeholder="先進地の会議をそのまま作った | 参加者が自分の会議と思えなかった | 既存の会議に議題を足した | 2022年度"),
        _key("burden.workload", "textarea", placeholder=KEYS["burden.workload"].example),
        _key("burden.funding", "textarea", placeholder=KEYS["burden.funding"].example),
        _key("reach.now", "textarea", "この取り組みがいま届いている人", placeholder=KEYS["reach.now"].example),
        _key("reach.not_yet", "textarea", "まだ届いていない人、届け方が見つかっていない人", placeholder=KEYS["reach.not_yet"].example),
        _key("reach.groups_now", "dropdown", options=_labels(DIFFICULTIES), multiple=True),
        _key("reach.groups_not_yet", "dropdown", options=_labels(DIFFICULTIES), multiple=True),
        _key("contributor", "input", placeholder=KEYS["contributor"].example),
        _key("tags", "input", "自由なキーワードを「、」で区切って", placeholder="ヤングケアラー、8050"),
        *(
            FormField(f"body_{index}", f"本文：{heading}", "textarea", guidance)
            for index, (heading, guidance) in enumerate(body_sections(), start=1)
        ),
        FormField("consent", "確認", "checkboxes", "投稿の前に確かめてください", options=CONSENT),
    )


FORM_FIELDS = _form_fields()
INTRO = """\
実践の物語を、Git を使わずに投稿するためのフォームです。担当者がこの内容から物語のファイルを作り、サイトに載せる前に確認の連絡をします。

**この Issue は、送信するとすぐに誰でも読める形で公開されます。** 個人が分かることは、送信する前に必ず消してください。

- 人は **Aさん・Bさん** のような仮名で、年齢は **40代・10代前半** のような年代で書いてください。学校・施設・通りの名前、連絡先は書かないでください。
- 完成した形よりも、**時期ごとの経過**と**うまくいかなかったこと**が、これから始める自治体の役に立ちます。
- 書き方はサイトの「書き方と投稿」のページにあります。わからない項目は空欄のままでかまいません（必須の項目を除く）。"""


class _FormDumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so the generated form stays readable."""


_FormDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


def issue_form_yaml() -> str:
    form = {
        "name": "物語を投稿する",
        "description": "包括的支援体制の実践の物語（経過・うまくいかなかったこと・始めた分野）を、Git を使わずに投稿します",
        "title": "[物語] ",
        "labels": ["story"],
        "body": [{"type": "markdown", "attributes": {"value": INTRO}}, *(field.as_form() for field in FORM_FIELDS)],
    }
    header = "# Generated by `norishiro from-issue --form` from the story format (keys.py); do not edit by hand.\n"
    return header + yaml.dump(form, Dumper=_FormDumper, allow_unicode=True, sort_keys=False, width=1000)


# ------------------------------------------------------------------ reading


def _fold(label: str) -> str:
    return unicodedata.normalize("NFKC", label).strip()


def parse_issue(body: str) -> dict[str, str]:
    """Answers by field id, read by the form's own headings in the form's order.

    GitHub writes every question as `### <label>`, in order.  An answer may
    itself hold a line that looks like one (`### 人口` typed in a long answer):
    working back from the end, each field takes the last heading with its
    label that comes before the next field's, so a heading typed inside an
    answer stays that answer's text.  Only `\n` (and `\r`) end a line: U+2028
    and the like stay in the answer as typed.
    """
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    by_label: dict[str, list[int]] = {}
    for number, line in enumerate(lines):
        heading = re.match(r"^###[ \t]+(.+?)[ \t]*$", line)
        if heading:
            by_label.setdefault(_fold(heading.group(1)), []).append(number)
    starts: list[tuple[int, str]] = []
    bound = len(lines)
    for field in reversed(FORM_FIELDS):
        before = [number for number in by_label.get(_fold(field.label), ()) if number < bound]
        if before:
            bound = before[-1]
            starts.append((bound, field.id))
    starts.reverse()
    out = {}
    for index, (start, field_id) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(lines)
        text = "\n".join(lines[start + 1 : end]).strip()
        out[field_id] = "" if text == NO_RESPONSE else defuse_markers(text)
    return out


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if re.sub(r"^[\s\-*・●○•]*", "", line)]


def checked_boxes(text: str) -> set[str]:
    return {match.group(1).strip() for match in re.finditer(r"^\s*-\s*\[[xX]\]\s*(.+)$", text, re.MULTILINE)}


def split_overlap(line: str) -> dict[str, Any]:
    """「役割 | 事業、事業 | できたこと」 as an overlaps item."""
    parts = [part.strip() for part in re.split(r"\s*[|｜]\s*", line.strip())] + ["", ""]
    return {"who": parts[0], "combines": split_list(parts[1]), "effect": " | ".join(part for part in parts[2:] if part)}


def split_choices(text: str) -> list[str]:
    """A multiple-choice answer: GitHub joins the options with ', ' (labels may hold 、)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def issue_values(answers: dict[str, str], updated: date) -> Values:
    """Front-matter values from the answers, written as the contributor gave them."""
    started = answers.get("started_by_field", "")
    fields = split_list(answers.get("fields", ""))
    if started and FIELDS.lookup(started) not in {FIELDS.lookup(field) for field in fields}:
        fields.insert(0, started)
    timeline = []
    for line in _lines(answers.get("timeline", "")):
        when, what = split_event(line)
        timeline.append({"when": when, "what": what})
    return {
        "title": answers.get("title"),
        "summary": answers.get("summary"),
        "municipality": {
            "name": answers.get("municipality_name"), "prefecture": answers.get("municipality_prefecture"),
            "kind": answers.get("municipality_kind"), "population": answers.get("municipality_population"),
            "code": answers.get("municipality_code"),
        },
        "jusou": answers.get("jusou"),
        "started_by": {"field": started, "through": answers.get("started_by_through")},
        "fields": fields,
        "before": answers.get("before"),
        "carried_by": split_list(answers.get("carried_by", "")),
        "programmes": split_choices(answers.get("programmes", "")),
        "overlaps": [split_overlap(line) for line in _lines(answers.get("overlaps", ""))],
        "status": answers.get("status"),
        "timeline": timeline,
        "failures": [split_failure(line) for line in _lines(answers.get("failures", ""))],
        "burden": {"workload": answers.get("burden_workload"), "funding": answers.get("burden_funding")},
        "reach": {
            "now": answers.get("reach_now"), "not_yet": answers.get("reach_not_yet"),
            "groups_now": split_choices(answers.get("reach_groups_now", "")),
            "groups_not_yet": split_choices(answers.get("reach_groups_not_yet", "")),
        },
        "contributor": answers.get("contributor"),
        "updated": updated.isoformat(),
        "tags": split_list(answers.get("tags", "")),
    }


def issue_body(answers: dict[str, str]) -> str:
    """The story's Markdown body: one recommended heading per answered section."""
    parts = []
    for index, (heading, _) in enumerate(body_sections(), start=1):
        text = answers.get(f"body_{index}", "").strip()
        if text:
            parts.append(f"## {heading}\n\n{text}")
    return "\n\n".join(parts)


# ------------------------------------------------------------------ command


def _fail(message: str) -> int:
    sys.stderr.write(f"norishiro from-issue: {message}\n")
    return 2


def _slug(answers: dict[str, str], values: Values) -> str:
    """The form's file name when it is valid, else one made from it or from the facts."""
    facts = normalised_for_slug(values)
    from_form = answers.get("slug", "").strip()
    if SLUG.match(from_form) and len(from_form) <= SLUG_MAX:
        return from_form
    slug = suggest_slug(from_form, facts)
    reason = f"フォームのファイル名「{from_form}」は使えないので" if from_form else "ファイル名の指定がないので"
    print(f"{reason}「{slug}」にしました（変えるなら --slug で指定します）")
    return slug


def cmd_from_issue(args: argparse.Namespace) -> int:
    if args.form:
        sys.stdout.write(issue_form_yaml())
        return 0
    if args.slug is not None and (not SLUG.match(args.slug) or len(args.slug) > SLUG_MAX):
        return _fail(f"--slug「{args.slug}」は使えません（半角の小文字英数字とハイフン。例: {suggest_slug(args.slug)}）")
    try:
        body = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"Issue の本文を読めません: {exc}")
    answers = parse_issue(body)
    if not answers:
        return _fail("物語の投稿フォームの本文ではないようです（「### タイトル」などの見出しが見つかりません）")
    try:
        updated = parse_day(args.updated) if args.updated else date.today()
    except DateError as exc:
        return _fail(f"--updated: {exc}")
    values = issue_values(answers, updated)
    if any(MARKER_REMOVED in answer for answer in answers.values()):
        print("Issue の回答の中にあった「確認済みの印」（norishiro: ok）は取り除きました（印は担当者が確かめた行にだけ付けます）")
    folder = Path(args.dir)
    path = folder / f"{args.slug or _slug(answers, values)}.md"
    if path.resolve().parent != folder.resolve() or path.is_symlink():
        return _fail(f"{path} は {folder} の中のファイルになりません（ファイル名を --slug で指定してください）")
    if not write_new(path, render_story(values, issue_body(answers), guidance=False)):
        return _fail(f"{path} はもうあります。上書きはしません（--slug で別の名前を指定してください）")
    print(f"{path} を作りました。")
    status = report_check(path)
    _, findings = check_file(str(path))
    private = [finding for finding in findings if finding.rule.startswith("W2")]
    if private:
        print(f"個人が分かるかもしれない書き方が {len(private)} 件あります。公開の前に投稿者に確かめてください:")
        for finding in private:
            print(f"  {finding.line}行目: [{finding.rule}] {finding.message}")
    unchecked = [option for option in CONSENT if option not in checked_boxes(answers.get("consent", ""))]
    for option in unchecked:
        print(f"確認が取れていません: 「{option}」（投稿者に確かめてから公開してください）")
    return 1 if status or unchecked else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "from-issue", help="投稿フォームの Issue の本文から物語のファイルを作る",
        description="GitHub の投稿フォーム（Issue）の本文を読み、stories/<ファイル名>.md を作って書式を確かめます。既にあるファイルは上書きしません。",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="ファイル", help="Issue の本文のファイル（省略時や - は標準入力）")
    parser.add_argument("--slug", help="ファイル名（省略時はフォームの「ファイル名（URL）」か、事実から提案）")
    parser.add_argument("--dir", default=DEFAULT_DIR, help=f"書き込むフォルダ（省略時は {DEFAULT_DIR}）")
    parser.add_argument("--updated", help="更新日 YYYY-MM-DD（省略時は今日）")
    parser.add_argument("--form", action="store_true", help="Issue フォームの定義（.github/ISSUE_TEMPLATE/story.yml）を出力する")
    parser.set_defaults(run=cmd_from_issue)
