"""`norishiro bundle`: the built site as one zip, for offices whose PCs reach no server.

The zip holds the site's files at its top with 「はじめにお読みください.txt」.
Entries are sorted, carry one fixed timestamp (SOURCE_DATE_EPOCH, else the
build date in data/stories.json) and flag their UTF-8 names, so the same site
gives the same bytes and Japanese names survive Windows' 「すべて展開」.
"""

from __future__ import annotations

import json
import os
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

README_NAME = "はじめにお読みください.txt"
ZIP_EPOCH = date(1980, 1, 1)  # the earliest time a zip entry can carry
UTF8_NAMES = 0x800


def readme(site_name: str, built: date) -> bytes:
    """The Japanese read-me: UTF-8 with a BOM and CRLF, for Notepad on any Windows."""
    lines = [
        f"{site_name}（インターネットにつながらないパソコンで読むための写し）",
        "",
        "1. この zip ファイルを、共有フォルダかパソコンのフォルダに展開してください。",
        "   Windows では、zip ファイルを右クリックして「すべて展開」を選びます。",
        "   zip のまま中を開いても、リンクや検索は動きません。必ず展開してください。",
        "2. 展開したフォルダの中の index.html をダブルクリックすると、ブラウザーで読めます。",
        "   サーバーもインターネットも要りません。検索も使えます。",
        "3. フォルダの中のファイルの場所や名前は変えないでください（リンクが切れます）。",
        "   フォルダごと別の場所へ移すのはかまいません。フォルダ名に日本語や空白があっても読めます。",
        "",
        "表計算ソフト（Excel など）で使えるデータは data フォルダにあります。説明は data/index.html です。",
        "物語の文章とデータは CC BY 4.0（クリエイティブ・コモンズ 表示 4.0 国際）で使えます。使うときは出典を示してください。",
        "",
        f"この写しを作った日: {built.year}年{built.month}月{built.day}日",
        "新しい物語は、公開しているサイトか、新しい写しでお読みください。",
    ]
    return "\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n"


def build_date(site: Path) -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    data = site / "data" / "stories.json"
    if data.is_file():
        return date.fromisoformat(json.loads(data.read_text(encoding="utf-8"))["build_date"])
    return ZIP_EPOCH


def site_name(site: Path) -> str:
    data = site / "data" / "stories.json"
    if data.is_file():
        return str(json.loads(data.read_text(encoding="utf-8"))["site_name"])
    return "のりしろ"


def _entry(name: str, when: date) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(max(when, ZIP_EPOCH).year, when.month, when.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    info.flag_bits |= UTF8_NAMES
    return info


def bundle(site: Path, output: Path) -> int:
    """Write the zip; return the number of files in it."""
    built = build_date(site)
    files = sorted((path.relative_to(site).as_posix(), path) for path in site.rglob("*") if path.is_file())
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(_entry(README_NAME, built), readme(site_name(site), built))
        for name, path in files:
            if name != README_NAME:
                archive.writestr(_entry(name, built), path.read_bytes())
    return len(files) + 1
