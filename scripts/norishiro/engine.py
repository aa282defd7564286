"""`norishiro build` and `norishiro serve`: the site engine, in Japanese.

The engine (MkDocs 1.6, or ProperDocs, its maintained continuation, which
reads the same mkdocs.yml and loads the same plugin) runs in a child process;
its English log lines are translated or, where they only narrate, left out,
and the plugin's own Japanese lines (progress, warnings) pass through.  The
build ends with one Japanese summary line, or with a Japanese line saying
what to do instead of "Aborted with a BuildError!".
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from norishiro.plugin import SUMMARY_PREFIX

ENGINES = {"mkdocs": "mkdocs", "properdocs": "properdocs"}
_LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s*-\s+(?:\[\d\d:\d\d:\d\d\] )?(.*)$")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

# English engine messages: a Japanese line (with the groups of the match), or None to leave it out.
_MESSAGES: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"^Cleaning site directory"), None),
    (re.compile(r"^Building documentation to directory: (.*)"), "サイトを {0} に作ります"),
    (re.compile(r"^Building documentation\.\.\."), "サイトを作っています…"),
    (re.compile(r"^Documentation built in .*"), None),
    (re.compile(r"^The configuration file .* should be renamed"), None),
    (re.compile(r"^Support for using this legacy file name"), None),
    (re.compile(r"^Aborted with a BuildError!"), "サイトを作れませんでした。上に書かれた理由を直してから、もう一度実行してください。"),
    (
        re.compile(r"^Aborted with (\d+) warnings? in strict mode!"),
        "警告が {0} 件あるため、サイト作りを止めました（--strict）。警告を直すか、--no-strict を付けて作ってください。",
    ),
    (re.compile(r"^Error building page '(.*?)': (.*)"), "ページ {0} を作れませんでした: {1}"),
    (re.compile(r"^Config value '(.*?)': (.*)"), "設定ファイルの {0} に誤りがあります: {1}"),
    (re.compile(r"^Serving on (\S+)"), "サイトを {0} で表示しています（止めるには Ctrl+C を押してください）"),
    (re.compile(r"^Detected file changes"), "ファイルの変更を見つけました。作り直します…"),
    (re.compile(r"^(Reloading|Start watching|Start detecting|Watching paths|Browser connected)"), None),
    (re.compile(r"^Shutting down"), "表示を止めました"),
]


def translate(line: str, verbose: bool = False) -> str | None:
    """One engine output line as the reader should see it, or None to leave it out."""
    line = _ANSI.sub("", line).rstrip()
    match = _LEVEL.match(line)
    level, message = (match.group(1), match.group(2)) if match else ("", line.strip())
    if not message or message.startswith(("│", "To disable this warning")):
        return None  # an engine banner (NO_MKDOCS_2_WARNING silences MkDocs' own)
    for pattern, japanese in _MESSAGES:
        found = pattern.match(message)
        if found:
            return japanese.format(*found.groups()) if japanese is not None else None
    if _JAPANESE.search(message):
        return message
    if level in ("WARNING", "ERROR", "CRITICAL"):
        label = "警告" if level == "WARNING" else "エラー"
        return f"{label}（サイトを作る仕組みからの英語のメッセージ）: {message}"
    return message if verbose else None


def engine_command(engine: str, action: str, config: str, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", ENGINES[engine], action, "-f", config, *extra]


def run_engine(command: list[str], show: Callable[[str], None], verbose: bool, hold_summary: bool = True) -> tuple[int, str | None]:
    """Run the engine, showing translated lines; return its exit code and the plugin's summary line.

    With hold_summary, the summary is returned rather than shown (the caller adds the time).
    """
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    summary = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env) as process:
        try:
            for raw in process.stdout or ():
                line = translate(raw, verbose)
                if line is None:
                    continue
                if hold_summary and line.startswith(SUMMARY_PREFIX):
                    summary = line
                    continue
                show(line)
        except KeyboardInterrupt:
            process.terminate()
            process.wait()
            return 130, summary
    return process.returncode, summary


def _show(line: str) -> None:
    print(line, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    if not Path(args.config_file).is_file():
        print(f"norishiro: 設定ファイル {args.config_file} が見つかりません（リポジトリの一番上のフォルダで実行してください）", file=sys.stderr)
        return 2
    extra = ["--site-dir", args.site_dir] + (["--strict"] if args.strict else [])
    start = time.perf_counter()
    code, summary = run_engine(engine_command(args.engine, "build", args.config_file, extra), _show, args.verbose)
    seconds = time.perf_counter() - start
    if code == 0:
        done = summary or SUMMARY_PREFIX.rstrip(": ")
        print(f"{done}、かかった時間 {seconds:.1f}秒。{args.site_dir}/index.html をブラウザで開いてください。", flush=True)
        return 0
    return 130 if code == 130 else 1


def cmd_serve(args: argparse.Namespace) -> int:
    if not Path(args.config_file).is_file():
        print(f"norishiro: 設定ファイル {args.config_file} が見つかりません（リポジトリの一番上のフォルダで実行してください）", file=sys.stderr)
        return 2
    print("物語を書きながらサイトを確かめられます。ファイルを保存すると作り直されます。", flush=True)
    code, _ = run_engine(engine_command(args.engine, "serve", args.config_file, ["--dev-addr", args.dev_addr]), _show, args.verbose, hold_summary=False)
    return 0 if code in (0, 130) else 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    engines = "、".join(ENGINES)
    for name, run, help_text in (
        ("build", cmd_build, "サイトを作る（見本の物語から site/ に）"),
        ("serve", cmd_serve, "書きながらサイトを確かめる（保存すると作り直す）"),
    ):
        parser = sub.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="設定ファイル", help="サイトの設定（省略時は mkdocs.yml）")
        parser.add_argument("--engine", choices=tuple(ENGINES), default="mkdocs", help=f"サイトを作る仕組み（{engines}。省略時は mkdocs）")
        parser.add_argument("--verbose", action="store_true", help="仕組みからの細かいメッセージ（英語）も表示する")
        if name == "build":
            parser.add_argument("-d", "--site-dir", default="site", metavar="フォルダ", help="できたサイトを置くフォルダ（省略時は site）")
            parser.add_argument(
                "--no-strict", dest="strict", action="store_false", help="警告があってもサイトを作る（省略時は警告でも止める）"
            )
        else:
            parser.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="アドレス", help="表示するアドレス（省略時は 127.0.0.1:8000）")
        parser.set_defaults(run=run)
