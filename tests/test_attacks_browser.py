"""The built site runs no script that a story brought, in real Chromium.

A site is built (`mkdocs build --strict`, the project's own configuration) from
every attack file the checker passes, plus one story whose every front-matter
string carries markup.  Every page is loaded with `alert`, `confirm`, `prompt`
and `print` trapped and a `dialog` listener; any call fails the test.  The
narratives of the attack files the checker rejects are rendered too, into plain
pages, so the renderer and sanitizer are tried even where the checker stops.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from active_content import active_content
from browser import http_server, shared_chromium
from norishiro.check.narrative import read_narrative
from norishiro.check.story import check_file
from norishiro.format.keys import KEYS, STRING
from storytext import VALID
from test_attacks import ATTACKS, BODY_LINE, EXPECTED
from test_site import build, make_project

PAYLOAD = "<img src=x onerror=alert(1)>\"'&<script>alert(2)</script>"
# Calls reach Python through a binding, so a page that navigates on its own
# (the search page rewrites its URL) cannot lose them.
TRAP = """
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__trapped(name + ':' + args.join(',') + ' @ ' + location.href); };
}
"""


def _set(data: Any, path: list[str], value: str) -> None:
    """Set the key at a path to value; a part ending in [] means every item of that list."""
    head, rest = path[0], path[1:]
    if head.endswith("[]"):
        if rest:
            for item in data[head[:-2]]:
                _set(item, rest, value)
        else:
            data[head[:-2]] = [value, value[:-1]]
    elif rest:
        _set(data.setdefault(head, {}), rest, value)
    else:
        data[head] = value


def every_string_story() -> str:
    """VALID with every string-valued key of the format (and each list of strings) set to markup."""
    front = yaml.safe_load(VALID.split("---\n")[1])
    # A 1.1 list of mappings, so that its strings are set too (and shown on the のりしろ pages).
    front["overlaps"] = [{"who": "保健師", "combines": ["yotaikyo", "chiiki_care_kaigi"]}]
    for path, key in KEYS.items():
        if not key.public:
            continue
        if key.type == STRING:
            _set(front, path.split("."), PAYLOAD[: key.max_len])
        elif key.item is not None and key.item.type == STRING:
            _set(front, (path + "[]").split("."), PAYLOAD[: key.item.max_len])
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n本文です。\n"


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    stories = tmp_path_factory.mktemp("attack-stories")
    for name, errors in EXPECTED.items():
        if not errors:
            shutil.copy(ATTACKS / name, stories / name)
    (stories / "every-string-key.md").write_text(every_string_story(), encoding="utf-8")
    story, findings = check_file(str(stories / "every-string-key.md"))
    assert story is not None, [f.text() for f in findings]
    project = make_project(tmp_path_factory.mktemp("attack-site") / "project", stories)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    # The narratives of the rejected files, each in a bare page.
    bare = site / "rejected"
    bare.mkdir()
    for name, errors in EXPECTED.items():
        if errors:
            body = (ATTACKS / name).read_text(encoding="utf-8").split("---\n", 2)[2]
            html = read_narrative(body, BODY_LINE)[0].html
            (bare / name.replace(".md", ".html")).write_text(f"<!doctype html><meta charset=utf-8><body>{html}</body>", encoding="utf-8")
    return site


def test_the_every_key_story_covers_every_string_key() -> None:
    text = every_string_story()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"].startswith("<img") and front["timeline"][0]["what"].startswith("<img")
    assert front["tags"][0].startswith("<img") and front["reach"]["not_yet"].startswith("<img")
    assert front["overlaps"][0]["who"].startswith("<img") and front["overlaps"][0]["effect"].startswith("<img")


def test_no_page_of_the_attack_site_carries_active_content(attack_site: Path) -> None:
    pages = sorted(attack_site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<img src=x onerror" not in html and "<script>alert" not in html, page
        assert not [item for item in active_content(html) if "onerror" in item or "ontoggle" in item], page


def test_no_script_runs_on_any_page(attack_site: Path) -> None:
    browser = shared_chromium()
    # Redirect stubs (stories/<slug>/index.html) only forward to a page loaded anyway.
    pages = sorted(
        p.relative_to(attack_site).as_posix() for p in attack_site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")
    )
    with http_server(attack_site) as base:
        context = browser.new_context()
        called: list[str] = []
        context.expose_function("__trapped", lambda call: called.append(call))
        context.add_init_script(TRAP)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for relative in pages + ["search.html?q=img", "search.html?q=script"]:
            page.goto(f"{base}/{relative}", wait_until="load")
            page.wait_for_timeout(30)
        page.wait_for_load_state("networkidle")
        context.close()
    assert dialogs == [] and called == [], (dialogs, called)
    assert any(p.startswith("rejected/") for p in pages) and "stories/every-string-key.html" in pages
