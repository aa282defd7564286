"""The `norishiro` command.  Messages are Japanese; exit 0 ok, 1 findings, 2 usage."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from norishiro import engine
from norishiro.check.cache import CACHE_DIR, Cache
from norishiro.check.collection import DEFAULT_DIR, check_paths
from norishiro.contribute import from_issue, new_story

# argparse looks its messages up through the module-global gettext `_`;
# contributors read Japanese, so the few that reach them are translated here.
_ARGPARSE_JA = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "この説明を表示して終わる",
    "the following arguments are required: %s": "次の引数が必要です: %s",
    "unrecognized arguments: %s": "知らない引数です: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r は選べません（選べるのは %(choices)s）",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "expected one argument": "値を1つ書いてください",
}
argparse._ = lambda message: _ARGPARSE_JA.get(message, message)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Japanese usage errors (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"norishiro: 使い方の誤り: {message}（norishiro --help で使い方を確かめてください）\n")
        raise SystemExit(2)


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_DIR]
    missing = [path for path in paths if not Path(path).exists()]
    if missing:
        for path in missing:
            sys.stderr.write(f"norishiro: {path}: ファイルもフォルダも見つかりません（パスの綴りを確かめてください）\n")
        return 2
    result = check_paths(paths, cache=None if args.no_cache else Cache(Path.cwd()), want_stories=False)
    findings = sorted(result.findings, key=lambda f: (f.path, f.line, f.col, f.rule))
    if args.format == "json":
        json.dump([f.as_dict() for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in findings:
            print(finding.github() if args.format == "github" else finding.text())
    errors, warnings = len(result.errors), len(result.warnings)
    failed = errors > 0 or (args.strict and warnings > 0)
    summary = f"{result.files} 件の物語を確認しました。" + check_verdict(errors, warnings, args.strict)
    print(summary, file=sys.stderr if args.format == "json" else sys.stdout)
    return 1 if failed else 0


def check_verdict(errors: int, warnings: int, strict: bool) -> str:
    """The last line of `norishiro check`, in words a first-time writer can act on."""
    if errors:
        also = f"ほかに警告が{warnings}件あります。" if warnings else ""
        return f"エラーが{errors}件あります：直すまで取り込めません。{also}"
    if warnings and strict:
        return f"エラーはありません。警告が{warnings}件あります：--strict のため、警告も直すか確認済みにするまで不合格です"
    if warnings:
        return (
            f"エラーはありません。警告が{warnings}件あります：公開前に確かめてください"
            "（--strict を付けると、警告が残っている間は不合格になります）"
        )
    return "エラーも警告もありません。問題ありません"


def cmd_schema(args: argparse.Namespace) -> int:
    from norishiro.format.schema import schema_json

    sys.stdout.write(schema_json())
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    import tempfile

    from norishiro.bundle import bundle

    output = Path(args.output)
    if args.site:
        site = Path(args.site)
        if not (site / "index.html").is_file():
            sys.stderr.write(f"norishiro: {site}: index.html がありません（mkdocs build で作ったサイトのフォルダを指定してください）\n")
            return 2
        count = bundle(site, output)
    else:
        if not Path(args.config_file).is_file():
            sys.stderr.write(f"norishiro: {args.config_file} が見つかりません（サイトのフォルダで実行するか --site を指定してください）\n")
            return 2
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        with tempfile.TemporaryDirectory() as temp:
            build(load_config(config_file=args.config_file, site_dir=str(Path(temp) / "site")))
            count = bundle(Path(temp) / "site", output)
    print(f"{output} を作りました（{count} ファイル、{output.stat().st_size:,} バイト）。展開して index.html を開くと読めます")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="norishiro", description="のりしろ: 包括的支援体制の実践の物語を確かめ、サイトにする道具")
    sub = parser.add_subparsers(dest="command", metavar="コマンド", parser_class=_Parser)
    check = sub.add_parser("check", help="物語のファイルを確かめる", description="物語のファイルが書式（第1版）に合っているか確かめます")
    check.add_argument("paths", nargs="*", metavar="パス", help=f"ファイルかフォルダ（省略時は {DEFAULT_DIR}/）")
    check.add_argument("--format", choices=("text", "github", "json"), default="text", help="出力の形（github はプルリクエストの注釈）")
    check.add_argument("--strict", action="store_true", help="警告があっても不合格にする")
    check.add_argument("--no-cache", action="store_true", help=f"確かめた結果の控え（{CACHE_DIR}/）を使わない")
    check.set_defaults(run=cmd_check)
    schema = sub.add_parser("schema", help="フロントマターの JSON Schema を出力する")
    schema.set_defaults(run=cmd_schema)
    offline = sub.add_parser("bundle", help="サイトを1つの zip にする（オフライン版）", description="サーバーにつながらないパソコン向けに、サイトを1つの zip にまとめます")
    offline.add_argument("--site", metavar="フォルダ", help="mkdocs build で作ったサイトのフォルダ（省略時はここで作ります）")
    offline.add_argument("--config-file", default="mkdocs.yml", metavar="ファイル", help="--site がないときに使う mkdocs.yml")
    offline.add_argument("-o", "--output", default="norishiro-offline.zip", metavar="ファイル", help="書き出す zip（省略時は norishiro-offline.zip）")
    offline.set_defaults(run=cmd_bundle)
    for register in (engine.register, new_story.register, from_issue.register):
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
