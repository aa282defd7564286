"""The in-browser story editor (「物語を書く」): its page and the data it runs on.

The page works offline from a shared folder: everything it needs is loaded by
<script> from the site itself.  The form, its help texts and the checks the
browser runs are generated here from the one format definition (format/keys.py,
format/vocab.py, format/dates.py) and the privacy patterns of check/privacy.py,
so that a key or a vocabulary term added there appears in the editor at the
next build.  tests/fixtures/editor/cases.json runs against this Python checker
and the browser's, so that their messages cannot drift apart.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from typing import Any

from norishiro.check import names, privacy
from norishiro.check.rule_ids import RULE_TITLES
from norishiro.check.story import SLUG_MAX, UNKNOWN_VALUE_RULES
from norishiro.contribute.new_story import template_body
from norishiro.format import dates, urls, vocab
from norishiro.format.keys import FRONT_MATTER, TYPE_LABELS, Key
from norishiro.format.vocab import PREFECTURES, Vocabulary, fold_label

PAGE = urls.WRITE
DATA_PATH = "assets/norishiro/editor-data.js"
SCRIPT_PATH = "assets/norishiro/editor.js"
YAML_PATH = "assets/norishiro/js-yaml.min.js"
STYLE_PATH = "assets/norishiro/editor.css"


def python_regex_to_js(pattern: str) -> str:
    """A Python `re` pattern as a JavaScript RegExp source for the 'u' flag.

    Python's \\d matches every Unicode digit; so does \\p{Nd}.  Named groups
    are spelt (?<name>...) in JavaScript.
    """
    out = pattern.replace("(?P<", "(?<")
    out = re.sub(r"(?<!\\)((?:\\\\)*)\\d", r"\1\\p{Nd}", out)
    return re.sub(r"(?<!\\)((?:\\\\)*)\\D", r"\1\\P{Nd}", out)


def _key_data(key: Key, path: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": key.name,
        "path": path,
        "type": key.type,
        "required": key.required,
        "label": key.label,
        "help": key.help,
        "example": key.example,
        "public": key.public,
    }
    for attribute in ("min_len", "max_len", "min_items"):
        if getattr(key, attribute) is not None:
            data[attribute] = getattr(key, attribute)
    if key.vocab is not None:
        data["vocab"] = key.vocab.name
    if key.children:
        data["children"] = [_key_data(child, f"{path}.{child.name}" if path else child.name) for child in key.children]
    if key.item is not None:
        data["item"] = _key_data(key.item, f"{path}[]")
    return data


def _vocabularies(key: Key, found: dict[str, Vocabulary]) -> dict[str, Vocabulary]:
    if key.vocab is not None:
        found.setdefault(key.vocab.name, key.vocab)
    for child in key.children:
        _vocabularies(child, found)
    if key.item is not None:
        _vocabularies(key.item, found)
    return found


def _vocab_data(vocabulary: Vocabulary) -> dict[str, Any]:
    return {
        "terms": [{"id": t.id, "label": t.label, "variants": list(t.variants)} for t in vocabulary.terms],
        "index": dict(vocabulary._index),  # folded spelling -> id, exactly as the checker looks up
        "spellings": vocabulary.spellings(),
        "choices": vocabulary.choices(),
        "unknown_rule": UNKNOWN_VALUE_RULES.get(vocabulary.name, "S106"),
    }


_KEEP_NAMES = {"_phone_digits": "phone_digits", "_not_a_date": "not_a_date", "_any": "any"}


def _privacy_data() -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    for rule in privacy.RULES:
        entry: dict[str, Any] = {"id": rule.id, "suspect": rule.suspect, "advice": rule.advice}
        if rule.find is privacy.find_names:
            entry["finder"] = "names"
        elif rule.find is names.find_full_names:
            entry["finder"] = "full_names"
        else:
            find = rule.find
            if not isinstance(find, privacy.RegexFinder) or find.keep.__name__ not in _KEEP_NAMES:
                continue  # a finder the browser does not know; tests/test_editor.py notices
            entry["finder"] = "regex"
            entry["patterns"] = [python_regex_to_js(p.pattern) for p in find.patterns]
            entry["keep"] = _KEEP_NAMES[find.keep.__name__]
            entry["kanji_digits"] = find.kanji_digits
            entry["outside_urls"] = find.outside_urls
        rules.append(entry)
    return {
        "rules": rules,
        "kanji_allowed": list(privacy.KANJI_ALLOWED),
        "kanji_digits": {chr(kanji): chr(digit) for kanji, digit in privacy._KANJI_DIGITS.items()},
        "url": python_regex_to_js(privacy._URL.pattern),
        "not_honorific": {k: list(v) for k, v in privacy.NOT_HONORIFIC.items()},
        "role_endings": privacy.ROLE_ENDINGS,
        "katakana_allowed": list(privacy.KATAKANA_ALLOWED),
        "hiragana_allowed": list(privacy.HIRAGANA_ALLOWED),
        "placeholder": python_regex_to_js(privacy._PLACEHOLDER.pattern),
        "honorific": python_regex_to_js(privacy._HONORIFIC.pattern),
        "scripts": [[name, python_regex_to_js(p.pattern), shortest, longest] for name, p, shortest, longest in privacy._SCRIPTS],
        "kana_honorifics": list(privacy._KANA_HONORIFICS),
        "rule_id": python_regex_to_js(privacy._RULE_ID.pattern),
        "full_name": python_regex_to_js(names._FULL_NAME.pattern),
        "spaced_name": python_regex_to_js(names._SPACED_NAME.pattern),
        "not_family_endings": "".join(sorted(names.NOT_FAMILY_ENDINGS)),
        "given_endings": "".join(sorted(names.GIVEN_ENDINGS)),
        "one_character_given": "".join(sorted(names.ONE_CHARACTER_GIVEN)),
        "not_given": sorted(names.NOT_GIVEN),
        "numerals": "".join(sorted(names._NUMERALS)),
        "honorific_after": list(names._HONORIFIC_AFTER),
    }


def editor_data() -> dict[str, Any]:
    """Everything the editor page needs, from the format definition."""
    vocabularies = _vocabularies(FRONT_MATTER, {})
    return {
        "keys": _key_data(FRONT_MATTER, ""),
        "type_labels": TYPE_LABELS,
        "vocabs": {name: _vocab_data(v) for name, v in vocabularies.items()},
        "fields_vocab": vocab.FIELDS.name,
        "fold": {
            "spelling": [list(pair) for pair in vocab._SPELLING_FOLDS],
            "ignored": python_regex_to_js(vocab._IGNORED.pattern),
            "parts": python_regex_to_js(vocab._PART_SEPARATORS.pattern),
        },
        "prefectures": [{"name": p.name, "short": p.short, "romaji": p.romaji} for p in PREFECTURES],
        "prefecture_index": {
            **{fold_label(s): p.name for p in PREFECTURES for s in (p.name, p.short, p.romaji)},
            fold_label("北海"): PREFECTURES[0].name,
        },
        "dates": {
            "eras": [
                {"name": e.name, "first_year": e.first_year, "last_year": e.last_year, "starts": e.starts.isoformat(), "ends": e.ends.isoformat() if e.ends else None}
                for e in dates.ERAS.values()
            ],
            "era_initials": dates._ERA_INITIALS,
            "japanese": python_regex_to_js(dates._JAPANESE.pattern),
            "numeric": python_regex_to_js(dates._NUMERIC.pattern),
            "iso_day": python_regex_to_js(dates._ISO_DAY.pattern),
            "min_year": dates.MIN_YEAR,
            "max_year": dates.MAX_YEAR,
        },
        "privacy": _privacy_data(),
        "rule_titles": RULE_TITLES,
        "slug": {"pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$", "max": SLUG_MAX},
        "body_template": template_body(),
    }


def data_script() -> bytes:
    """editor-data.js: the data as one global, loaded by <script> (no fetch on file://)."""
    payload = json.dumps(editor_data(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.NORISHIRO_EDITOR_DATA={payload};\n".encode()


def _asset(name: str) -> bytes:
    return resources.files("norishiro").joinpath("assets", name).read_bytes()


def editor_assets() -> dict[str, bytes]:
    """Site-relative paths and bytes of the editor's files."""
    return {
        DATA_PATH: data_script(),
        SCRIPT_PATH: _asset("editor.js"),
        YAML_PATH: _asset("js-yaml.min.js"),
        STYLE_PATH: _asset("editor.css"),
    }


# Raw HTML without blank lines, so Markdown passes each block through whole.
_PAGE = """\
---
title: 物語を書く
hide:
  - toc
---

# 物語を書く

<div class="ns-ed-intro">
<p>このページで物語のファイルを作れます。インターネットにつながっていないパソコンでも使えます。書いた内容はこのパソコンのブラウザの中にだけ下書きとして残り、<strong>「ファイルに保存」を押すまで、どこにも送られません。</strong></p>
<p>必須の項目には「必須」と出ます。書きながら、書き方の誤りや、個人が分かるかもしれない書き方（電話番号・住所・「さん」付きの名前など）をその場でお知らせします。書く前に<a href="guide/anonymising.html">匿名化のしかた</a>を読んでください。</p>
</div>
<noscript><p class="ns-ed-noscript">このページには JavaScript が必要です。使えないときは<a href="guide/submitting.html">投稿のしかた</a>のひな形をメモ帳などで書いてください。</p></noscript>
<link rel="stylesheet" href="{style}">
<div id="ns-editor" class="ns-ed" data-state="loading"></div>
<section class="ns-ed-next" id="ns-ed-next" aria-labelledby="ns-ed-next-title">
<h2 id="ns-ed-next-title">保存したファイルの届け方</h2>
<p>保存したファイル（<code>ファイル名.md</code>）は、次のどれかの方法で物語集の編集担当に届けてください。届ける前に、もう一度<a href="guide/anonymising.html">匿名化のしかた</a>で見直してください。</p>
<ul>
<li><strong>メールで送る</strong>: メールにファイルを添付して、物語集の編集担当（のりしろの担当者）に送ります。LGWAN の端末から外にメールを送れないときは、インターネットにつながる端末にファイルを移してから送ります（所属の情報セキュリティのきまりに従ってください）。</li>
<li><strong>共有のフォルダに置く</strong>: 庁内や圏域で物語を集めている担当者がいるときは、その共有フォルダ（共有ドライブ）にファイルを置き、担当者に知らせます。</li>
<li><strong>GitHub から出す</strong>: GitHub を開けるパソコンでは、<a href="guide/submitting.html">投稿のしかた</a>の「方法2」で、ファイルの中身を貼り付けてプルリクエストを作れます。</li>
</ul>
<p>あとで直すときは、このページの「ファイルを開く」で保存したファイルを読み込み、書きかえてから、もう一度「ファイルに保存」を押します。</p>
</section>
<script src="{yaml}"></script>
<script src="{data}"></script>
<script src="{script}"></script>
"""


def editor_page_content() -> str:
    """Markdown (front matter and raw HTML) for the generated page write.md."""
    return (
        _PAGE.replace("{style}", STYLE_PATH)
        .replace("{yaml}", YAML_PATH)
        .replace("{data}", DATA_PATH)
        .replace("{script}", SCRIPT_PATH)
    )
