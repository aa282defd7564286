"""`norishiro new`: start a story file from the template, asking for the facts.

The template is generated from keys.py: every public key in contract order,
with its Japanese label and help as a comment above it, so it cannot drift from
the format.  The body (the recommended headings with guidance comments) is
templates/body.md.  Each fact has a flag, so the command also runs without
prompts; with every required flag given, the new file checks clean.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from norishiro.check.collection import DEFAULT_DIR
from norishiro.check.story import SLUG, SLUG_MAX, check_file, parse_positive_integer, suggest_slug
from norishiro.format.dates import DateError, parse_day, parse_period
from norishiro.format.keys import FRONT_MATTER, KEYS, LIST, MAPPING, STRING, Key
from norishiro.format.vocab import DIFFICULTIES, FIELDS, JUSOU, KINDS, PROGRAMMES, STATUSES, Vocabulary, label_head, lookup_prefecture

Values = dict[str, Any]  # key name -> str, list of str, list of Values, or Values

# ------------------------------------------------------------------ rendering


_SEPARATORS = ("\x85", "\u2028", "\u2029")  # line breaks to YAML; PyYAML's single quotes lose them


def _emitted(text: str, style: str) -> str:
    """`text` as a YAML scalar by PyYAML's emitter, in `style` or (when not allowed) one it can write."""
    dumper_style = '"' if any(char in text for char in _SEPARATORS) else style
    out = yaml.dump(text, Dumper=_ScalarDumper, default_style=dumper_style or None, allow_unicode=True, width=float("inf"))
    return out.removesuffix("\n").removesuffix("\n...")


class _ScalarDumper(yaml.SafeDumper):
    """Strings with line breaks as literal blocks where YAML allows it."""


_ScalarDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style=dumper.default_style or ("|" if "\n" in text else None)),
)


def yaml_scalar(text: str, flow: bool = False, text_only: bool = False) -> str:
    """`text` as a one-line YAML scalar: plain when it reads back as written, else double-quoted.

    The checker reads a scalar's text, so a plain 2021 or 2025-04-01 is fine;
    text that YAML would read differently (true, null, 'a: b', 'x #y') is
    quoted and escaped by PyYAML's emitter, never by pasting quotes around it.
    """
    try:
        value = yaml.safe_load(f"k: [{text}]" if flow else f"k: {text}")["k"]
    except (yaml.YAMLError, TypeError, KeyError, ValueError):  # ValueError: an int of more than 4,300 digits
        value = None
    if flow:
        value = value[0] if isinstance(value, list) and len(value) == 1 else None
    if isinstance(value, date) and not text_only:
        value = value.isoformat()
    kinds = str if text_only else str | int | float  # a text key's 3800 is quoted, so every YAML reader gets text
    plain = text != "" and "\n" not in text and isinstance(value, kinds) and not isinstance(value, bool) and str(value) == text
    return text if plain else _emitted(text, '"')


def _is_empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_is_empty(item) for item in value.values())
    if isinstance(value, list):
        return all(_is_empty(item) for item in value)
    return value is None or str(value).strip() == ""


# Vocabularies whose values the template lists under the key's comment.
_LISTED = ((FIELDS, "分野"), (PROGRAMMES, "事業・会議"), (DIFFICULTIES, "困りごと"))


def _vocab_comment(key: Key, indent: str) -> list[str]:
    vocab = key.vocab or (key.item.vocab if key.item is not None else None)
    for listed, noun in _LISTED:
        if vocab is listed:
            return [f"{indent}#   {noun}: {' / '.join(label_head(term.label) for term in listed.terms)}"]
    return []


def _comments(key: Key, indent: str) -> list[str]:
    need = "必須" if key.required else "任意"
    lines = [f"{indent}# {key.label}（{need}）" + (f": {key.help}" if key.help else "")]
    lines += _vocab_comment(key, indent)
    if key.type == LIST and key.item is not None and key.item.type == MAPPING:
        for child in key.item.children:
            need = "必須" if child.required else "任意"
            lines.append(f"{indent}#   {child.name}（{child.label}・{need}）: {child.help}")
            lines += [line.replace("#   ", "#     ", 1) for line in _vocab_comment(child, indent)]
        if not key.required:
            lines.append(f"{indent}#   書かないときは、この項目を行ごと消してください")
    return lines


def _scalar_lines(key: Key, value: Any, indent: str) -> list[str]:
    name = f"{indent}{key.name}:"
    if _is_empty(value):
        return [name]
    text = str(value).strip()
    if "\n" not in text:
        return [f"{name} {yaml_scalar(text, text_only=key.type == STRING)}"]
    first, *rest = _emitted(text, "|").split("\n")
    return [f"{name} {first}", *(f"{indent}{line}".rstrip() if line.strip() else "" for line in rest)]


def _key_lines(key: Key, value: Any, indent: str, comments: bool, keep_empty: bool) -> list[str]:
    if not key.public or (_is_empty(value) and not key.required and not keep_empty):
        return []
    lines = _comments(key, indent) if comments else []
    if key.type == MAPPING:
        lines.append(f"{indent}{key.name}:")
        for child in key.children:
            lines += _key_lines(child, (value or {}).get(child.name), indent + "  ", comments, keep_empty)
    elif key.type == LIST and key.item is not None and key.item.type == MAPPING:
        lines.append(f"{indent}{key.name}:")
        for item in value or []:
            item_lines: list[str] = []
            for child in key.item.children:
                item_lines += _key_lines(child, item.get(child.name), indent + "    ", False, keep_empty)
            item_lines[0] = f"{indent}  - {item_lines[0].lstrip()}"
            lines += item_lines
    elif key.type == LIST:
        items = [yaml_scalar(str(item).strip(), flow=True) for item in value or [] if not _is_empty(item)]
        lines.append(f"{indent}{key.name}: [{', '.join(items)}]" if items else f"{indent}{key.name}:")
    else:
        lines += _scalar_lines(key, value, indent)
    return lines


def render_story(values: Values, body: str, guidance: bool) -> str:
    """A story file: front matter in contract order, then the body.

    With guidance, every public key is written (empty when unknown) under a
    comment with its label and help; without, empty optional keys are left out.
    Required keys are always written, so a missing fact is reported at its line.
    """
    lines = ["---"]
    for key in FRONT_MATTER.children:
        lines += _key_lines(key, values.get(key.name), "", guidance, guidance)
    lines.append("---")
    return "\n".join(lines) + "\n" + (f"\n{body.strip()}\n" if body.strip() else "")


def template_body() -> str:
    return (resources.files("norishiro.contribute") / "templates" / "body.md").read_text(encoding="utf-8")


def blank_template() -> str:
    """The template with no facts filled in, as the guide shows it for copying."""
    values: Values = {"timeline": [{}, {}], "failures": [{}], "overlaps": [{}]}
    return render_story(values, template_body(), guidance=True)


# --------------------------------------------------------- reading answers

_NUMBERED = re.compile(r"^\s*(?:[-*・●○•]\s*|\d{1,2}[.)．）、]\s+)")
_COLON = re.compile(r"^(.+?)\s*[:：]\s*(.*)$")
_BAR = re.compile(r"\s*[|｜]\s*")
_LIST_SEPARATORS = re.compile(r"\s*[,、，]\s*")


def split_event(line: str) -> tuple[str, str]:
    """'2021年6月: 何があったか' -> ('2021年6月', '何があったか').  Lenient: also a space."""
    text = _NUMBERED.sub("", line).strip()
    match = _COLON.match(text)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    first, _, rest = text.partition(" ") if " " in text else text.partition("\u3000")
    try:
        parse_period(first)
    except DateError:
        return "", text
    return first, rest.strip()


def split_failure(line: str) -> dict[str, str]:
    """'何が | なぜ | 次に変えたこと | 時期' -> {what, why, next, when}; later parts may be left out."""
    parts = _BAR.split(_NUMBERED.sub("", line).strip(), maxsplit=3)
    parts += [""] * (4 - len(parts))
    return dict(zip(("what", "why", "next", "when"), (part.strip() for part in parts), strict=True))


def split_list(text: str) -> list[str]:
    return [part for part in _LIST_SEPARATORS.split(text.strip()) if part]


class Invalid(ValueError):
    """An answer that cannot be used; the message is Japanese."""


class Refused(Exception):
    """The command cannot go on (exit 2); the message is Japanese."""


def _text(key_path: str) -> Callable[[str], str]:
    key = KEYS[key_path]

    def parse(answer: str) -> str:
        text = answer.strip()
        if not text:
            raise Invalid("空です")
        if key.max_len and len(text) > key.max_len:
            raise Invalid(f"{len(text)}字あります。{key.max_len}字以内にしてください")
        return text

    return parse


def _choice(vocab: Vocabulary) -> Callable[[str], str]:
    def parse(answer: str) -> str:
        text = answer.strip()
        if text.isdecimal() and 1 <= int(text) <= len(vocab.terms):
            return vocab.terms[int(text) - 1].label
        found = vocab.lookup(text)
        if found is None:
            raise Invalid(f"「{text}」は選べません。番号か、次のどれかを書いてください: {vocab.choices()}")
        return vocab.label(found)

    return parse


def _prefecture(answer: str) -> str:
    found = lookup_prefecture(answer)
    if found is None:
        raise Invalid(f"「{answer.strip()}」は47都道府県のどれでもありません（「三重県」や「三重」のように書いてください）")
    return found.name


def _population(answer: str) -> str:
    number = parse_positive_integer(answer)
    if number is None:
        raise Invalid(f"「{answer.strip()}」は人数ではありません（52000 のように数字で書いてください）")
    return str(number)


def _fields(answer: str) -> list[str]:
    parse = _choice(FIELDS)
    return [parse(part) for part in split_list(answer)]


def _period(text: str) -> str:
    try:
        parse_period(text)
    except DateError as exc:
        raise Invalid(f"{exc}（2021年6月、2021年度、令和3年、2021-06 のように書いてください）") from None
    return text


def _event(line: str) -> dict[str, str]:
    when, what = split_event(line)
    if not when or not what:
        raise Invalid(f"「{line.strip()}」を「時期: できごと」に分けられません（例: 2021年6月: 初めてケース会議を開いた）")
    return {"when": _period(when), "what": what}


def _failure(line: str) -> dict[str, str]:
    item = split_failure(line)
    if not item["what"]:
        raise Invalid("何がうまくいかなかったかが空です（例: 先進地の会議をそのまま作った | 参加者が自分の会議と思えなかった | 既存の会議に議題を足した | 2022年度）")
    if item["when"]:
        _period(item["when"])
    return item


def _day(answer: str) -> str:
    try:
        return parse_day(answer.strip()).isoformat()
    except DateError as exc:
        raise Invalid(f"{exc}（2025-04-01 のように書いてください）") from None


@dataclass(frozen=True)
class Question:
    dest: str  # argparse dest and answer name
    flag: str
    prompt: str  # Japanese question
    parse: Callable[[str], Any]  # one answer, or one line of a list; raises Invalid
    required: bool = True
    vocab: Vocabulary | None = None  # shown as numbered choices
    min_items: int = 0  # > 0: one item per line, at least this many
    asked: bool = True  # False: a flag only, never prompted
    metavar: str = "値"


QUESTIONS: tuple[Question, ...] = (
    Question("title", "--title", f"{KEYS['title'].label}（{KEYS['title'].help}）", _text("title")),
    Question("summary", "--summary", f"{KEYS['summary'].label}（{KEYS['summary'].help}）", _text("summary")),
    Question("municipality", "--municipality", "自治体名（A町 のような匿名でもかまいません）", _text("municipality.name")),
    Question("prefecture", "--prefecture", "都道府県（例: 三重県、三重）", _prefecture),
    Question("kind", "--kind", "自治体の種類", _choice(KINDS), vocab=KINDS),
    Question("population", "--population", "人口（例: 52000）", _population, required=False),
    Question("jusou", "--jusou", "重層的支援体制整備事業", _choice(JUSOU), vocab=JUSOU),
    Question("started_by", "--started-by", "取り組みを始めた分野", _choice(FIELDS), vocab=FIELDS),
    Question("through", "--through", "始まった会議・団体・事業（例: 自立支援協議会）", _text("started_by.through"), required=False),
    Question("fields", "--fields", "ほかに関わった分野（番号か名前を「、」で区切って）", _fields, required=False, vocab=FIELDS),
    Question("status", "--status", "いまの状況", _choice(STATUSES), vocab=STATUSES),
    Question("events", "--event", "経過を古い順に1行に1件ずつ（例: 2021年6月: 初めてケース会議を開いた）", _event, min_items=KEYS["timeline"].min_items or 0, metavar="'時期: できごと'"),
    Question(
        "failures", "--failure",
        "うまくいかなかったことを1行に1件ずつ（何が | なぜ | 次に変えたこと | 時期。なぜ・次・時期は省略可）", _failure,
        min_items=KEYS["failures"].min_items or 0,
        metavar="'何が | なぜ | 次に変えたこと | 時期'",
    ),
    Question("contributor", "--contributor", "書いた組織・役職", _text("contributor"), required=False, asked=False),
    Question("updated", "--updated", "更新日 YYYY-MM-DD（省略時は今日）", _day, required=False, asked=False),
)


def story_values(answers: dict[str, Any]) -> Values:
    """The front-matter values of a new story from the answers."""
    started = answers["started_by"]
    fields = list(dict.fromkeys([started, *answers.get("fields", [])]))
    return {
        "title": answers["title"],
        "summary": answers["summary"],
        "municipality": {
            "name": answers["municipality"], "prefecture": answers["prefecture"],
            "kind": answers["kind"], "population": answers.get("population"),
        },
        "jusou": answers["jusou"],
        "started_by": {"field": started, "through": answers.get("through")},
        "fields": fields,
        "status": answers["status"],
        "timeline": answers["events"],
        "failures": answers["failures"],
        "contributor": answers.get("contributor"),
        "updated": answers.get("updated") or date.today().isoformat(),
    }


def normalised_for_slug(values: Values) -> Values:
    """Ids in place of labels, as check.suggest_slug expects."""
    municipality = values.get("municipality") or {}
    started = values.get("started_by") or {}
    prefecture = lookup_prefecture(str(municipality.get("prefecture") or ""))
    return {
        "municipality": {
            "prefecture": prefecture.name if prefecture else None,
            "kind": KINDS.lookup(str(municipality.get("kind") or "")),
        },
        "started_by": {"field": FIELDS.lookup(str(started.get("field") or ""))},
    }


# ------------------------------------------------------------------ prompting


def _ask_once(prompt: str) -> str:
    try:
        return input(f"{prompt}: ")
    except EOFError:
        raise Refused("入力が途中で終わりました。もう一度 norishiro new を実行してください") from None


def ask(question: Question) -> Any:
    """Ask until the answer can be used.  Optional questions accept an empty answer."""
    prompt = question.prompt
    if question.vocab is not None:
        for number, term in enumerate(question.vocab.terms, start=1):
            print(f"  {number}. {term.label}（{term.id}）")
        prompt += "" if "番号" in prompt else "（番号か名前）"
    if question.min_items:
        return _ask_lines(question)
    if not question.required:
        prompt += "［空のまま Enter で省略］"
    while True:
        answer = _ask_once(prompt)
        if not answer.strip() and not question.required:
            return None
        try:
            return question.parse(answer)
        except Invalid as exc:
            print(f"  → {exc}。もう一度入力してください。")


def _ask_lines(question: Question) -> list[Any]:
    print(f"{question.prompt}。{question.min_items}件以上、空の行で終わります。")
    items: list[Any] = []
    while True:
        answer = _ask_once(f"  {len(items) + 1}件目")
        if not answer.strip():
            if len(items) >= question.min_items:
                return items
            print(f"  → あと{question.min_items - len(items)}件以上書いてください。")
            continue
        try:
            items.append(question.parse(answer))
        except Invalid as exc:
            print(f"  → {exc}。もう一度入力してください。")


def _from_flag(question: Question, raw: Any) -> Any:
    if question.min_items:
        items = [question.parse(line) for line in raw]
        if len(items) < question.min_items:
            raise Invalid(f"{question.min_items}件以上必要です（いま{len(items)}件。{question.flag} を繰り返して書きます）")
        return items
    return question.parse(raw)


def collect(args: argparse.Namespace, interactive: bool) -> dict[str, Any]:
    """Answers from the flags, then from prompts for what is missing; Refused when they cannot be asked."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        raw = getattr(args, question.dest)
        if raw is None or raw == []:
            continue
        try:
            answers[question.dest] = _from_flag(question, raw)
        except Invalid as exc:
            raise Refused(f"{question.flag} の値が使えません: {exc}") from None
    missing = [q for q in QUESTIONS if q.required and q.dest not in answers]
    if missing and not interactive:
        flags = "、".join(f"{q.flag}（{q.prompt.split('（')[0]}）" for q in missing)
        raise Refused(f"必要な項目が足りません: {flags}。端末から実行すると、質問に答えて入力できます")
    if missing:
        print("新しい物語のファイルを作ります。人の名前は Aさん のような仮名に、年齢は「40代」のような年代にしてください。")
        for question in QUESTIONS:
            if question.asked and question.dest not in answers:
                answers[question.dest] = ask(question)
    return {name: value for name, value in answers.items() if value is not None}


def slug_problem(slug: str, folder: Path) -> str | None:
    """Why `slug` cannot name a new story in `folder`, or None."""
    if not SLUG.match(slug) or len(slug) > SLUG_MAX:
        return f"ファイル名「{slug}」は使えません。半角の小文字英数字とハイフンで、80字までです（例: {suggest_slug(slug)}）"
    if (folder / f"{slug}.md").exists():
        return f"{folder / f'{slug}.md'} はもうあります。上書きはしません（別のファイル名にしてください）"
    return None


def choose_slug(values: Values, folder: Path, interactive: bool) -> str:
    """Ask for a file name, offering one made from the facts; without a terminal, take that one."""
    suggestion = suggest_slug("", normalised_for_slug(values))
    if not interactive:
        return suggestion
    while True:
        answer = _ask_once(f"ファイル名（ページの URL になります。半角の小文字英数字とハイフン）[{suggestion}]").strip() or suggestion
        problem = slug_problem(answer, folder)
        if problem is None:
            return answer
        print(f"  → {problem}。")


def _fail(message: str) -> int:
    sys.stderr.write(f"norishiro new: {message}\n")
    return 2


def write_new(path: Path, text: str) -> bool:
    """Write a new story; never overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True


def report_check(path: Path) -> int:
    """Print the checker's findings on a written story; 0 when it is clean."""
    _, findings = check_file(str(path))
    for finding in findings:
        print(finding.text())
    if findings:
        print(f"{path}: 上の{len(findings)}件を直してください（直したら norishiro check --strict {path} で確かめます）")
        return 1
    print(f"{path}: 書式の確認で問題はありませんでした")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty()
    folder = Path(args.dir)
    problem = slug_problem(args.slug, folder) if args.slug is not None else None
    if problem:
        return _fail(problem)
    try:
        values = story_values(collect(args, interactive))
        path = folder / f"{args.slug or choose_slug(values, folder, interactive)}.md"
    except Refused as exc:
        return _fail(str(exc))
    if not write_new(path, render_story(values, template_body(), guidance=True)):
        return _fail(f"{path} はもうあります。上書きはしません（別のファイル名を指定してください）")
    print(f"{path} を作りました。エディタで開き、# の説明を手がかりに残りの項目と本文を書いてください。")
    return report_check(path)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "new", help="新しい物語のファイルをひな形から作る",
        description="質問に答えるか、フラグで事実を渡して stories/<ファイル名>.md を作ります。既にあるファイルは上書きしません。",
    )
    parser.add_argument("slug", nargs="?", metavar="ファイル名", help="半角小文字英数字とハイフン（省略時は事実から提案）")
    for question in QUESTIONS:
        repeat = question.min_items > 0
        # A space after each 、 lets argparse wrap between values, not inside an id.
        allowed = f"。選べる値（日本語か id）: {question.vocab.choices(limit=len(question.vocab.terms)).replace('、', '、 ')}" if question.vocab else ""
        parser.add_argument(
            question.flag, dest=question.dest, action="append" if repeat else "store", default=None,
            metavar=question.metavar, help=question.prompt + allowed + ("。繰り返し指定できます" if repeat else ""),
        )
    parser.add_argument("--dir", default=DEFAULT_DIR, help=f"書き込むフォルダ（省略時は {DEFAULT_DIR}）")
    parser.set_defaults(run=cmd_new)
