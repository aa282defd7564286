"""The story narrative, read once.

The body is parsed by markdown-it-py (CommonMark with tables, strikethrough,
footnotes, definition lists and admonitions), and everything else comes from
that one token stream: the checker's body findings with their source lines,
the plain-text blocks that search indexes, and the page's HTML.  There is no
second reader of Markdown that could disagree with the renderer.

Raw HTML is never passed through.  HTML comments (allowed by the contract) are
dropped; any other HTML is an error (S301) and would be shown as text.  Links
are judged after parsing (markdown-it's own link filter is switched off so
that every link the writer made is seen and reported, not silently dropped).
The rendered HTML then goes through nh3 (the Ammonia sanitizer) with an
allowlist of exactly what this renderer produces, so that even a renderer
mistake cannot put active content on a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.heading import heading
from markdown_it.rules_block.paragraph import paragraph
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from norishiro.check.findings import ERROR, WARNING
from norishiro.format.model import Narrative
from norishiro.format.plaintext import clean, join_lines

Problem = tuple[int, int, str, str, str]  # line, col, rule, severity, message

# What the renderer below produces, and nothing else survives sanitizing.
ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "ol", "p", "pre", "s", "section", "strong", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"style"},
    "th": {"style"},
}
ALLOWED_CLASSES = {
    "a": {"footnote-backref"},
    "div": {"admonition", "note", "tip", "warning", "danger", "info", "important", "caution", "attention", "hint", "error"},
    "hr": {"footnotes-sep"},
    "li": {"footnote-item"},
    "ol": {"footnotes-list"},
    "p": {"admonition-title"},
    "section": {"footnotes"},
    "sup": {"footnote-ref"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
# A "<name" that a browser would start a tag with, in text markdown-it did not
# read as HTML (e.g. "<img/onerror=…>"): shown as text here, but it is raw
# HTML by the contract, and elsewhere (a feed reader, a copy) it might run.
_TAG_LIKE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)")
# A comment ends where a browser ends it: "<!-->" and "<!--->" are whole
# comments, and "--!>" closes one too.  Whatever follows is not hidden.
_COMMENT = re.compile(r"<!---?>|<!--.*?--!?>", re.S)
_TAG_IN_BLOCK = re.compile(r"<[A-Za-z/!?]")


class _Reader(MarkdownIt):
    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        """Keep every link: targets are judged (and bad ones reported) after parsing."""
        return True


def _make_reader() -> MarkdownIt:
    reader = _Reader("commonmark", {"html": True, "linkify": False, "typographer": False})
    reader.enable(["table", "strikethrough"])
    reader.use(footnote_plugin).use(deflist_plugin).use(admon_plugin)
    reader.block.ruler.before("table", "lone_line", _lone_line)
    reader.core.ruler.at("inline", _inline)
    # Joined after the checks below, which need escapes and entities apart
    # from the text the writer typed literally.
    reader.disable("text_join")
    reader.add_render_rule("html_inline", _render_html_inline)
    reader.add_render_rule("html_block", _render_html_block)
    reader.add_render_rule("heading_open", _render_heading)
    reader.add_render_rule("heading_close", _render_heading)
    return reader


def _inline(state: StateCore) -> None:
    """markdown-it's own `inline` core rule, without starting its parser for plain text.

    The inline parser's first rule (`text`) takes everything up to the first
    character any inline rule starts at (the parser's `terminator_re`); in
    text without one, that is the whole text, and the parser makes exactly
    one text token of it (none of an empty text).  Most paragraphs of
    Japanese prose are such text.  tests/test_narrative_shortcut.py pins
    that the tokens are the parser's own.
    """
    md = state.md
    terminators = md.inline.terminator_re
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if terminators.search(content) is not None:
            md.inline.parse(content, md, state.env, token.children)
        elif content:
            token.children.append(Token("text", "", 0, content=content))


def _lone_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's paragraph or heading rule for a line that stands alone, without trying the others first.

    A line of the top level with a blank line (or the end) after it can only be
    read in a few ways.  The rules that look at the lines after it (table, setext
    heading, definition list) need the next line to be text, or, for a definition,
    the line after the blank to start with ":" or "~".  Every other rule starts at
    an indent or an ASCII mark (# > - * + _ = ` ~ < [ ! ?, or digits and then
    "." or ")"), so a line that starts with a letter, any non-ASCII character
    (Japanese prose) or digits followed by anything else is a paragraph, and
    one that starts with "#" is a heading if it is one at all.  Most blocks of
    a story are such lines; every other line goes through the whole chain.
    tests/test_narrative_shortcut.py pins that the tokens are the chain's own.
    """
    if state.level != 0 or state.blkIndent != 0 or state.tShift[start] != 0:
        return False
    after = start + 1
    if after < end and not state.isEmpty(after):
        return False
    if after + 1 < end:
        marker = state.bMarks[after + 1] + state.tShift[after + 1]
        if state.src[marker : marker + 1] in (":", "~"):
            return False  # maybe a definition list's term
    line = state.src[state.bMarks[start] : state.eMarks[start]]
    first = line[0]
    if first == "#":
        return heading(state, start, end, silent)
    if "0" <= first <= "9":
        if line.lstrip("0123456789")[:1] in (".", ")"):
            return False  # maybe an ordered list's item
    elif first.isascii() and not first.isalpha():
        return False
    # The chain's setext heading rule, which the paragraph rule follows, leaves
    # parentType set to "paragraph" when it finds no underline; later rules
    # read it (whether a list can interrupt a paragraph), so it is set here too.
    state.parentType = "paragraph"
    return paragraph(state, start, end, silent)


def _render_html_inline(self: object, tokens: Sequence[Token], idx: int, options: object, env: object) -> str:
    content = tokens[idx].content
    return "" if content.startswith("<!--") else html.escape(content)


def _render_html_block(self: object, tokens: Sequence[Token], idx: int, options: object, env: object) -> str:
    rest = _COMMENT.sub("", tokens[idx].content).strip()
    return f"<p>{html.escape(rest)}</p>\n" if rest else ""


def _render_heading(self: object, tokens: Sequence[Token], idx: int, options: object, env: object) -> str:
    """One level down: the page's own 本文 heading is an h2 above the narrative."""
    token = tokens[idx]
    level = min(int(token.tag[1]) + 1, 6)
    return f"<h{level}>" if token.nesting == 1 else f"</h{level}>\n"


_READER = _make_reader()


@dataclass
class _Walk:
    """Positions of inline tokens in the body, for messages at the right line."""

    lines: list[str]  # the body's lines as written
    first_line: int  # file line of the body's first line

    def at(self, block: Token, src: str, pos: int) -> tuple[int, int]:
        start = block.map[0] if block.map else 0
        index = src.count("\n", 0, pos)
        line_start = src.rfind("\n", 0, pos) + 1
        src_line = src[line_start:].split("\n", 1)[0]
        raw = self.lines[start + index] if start + index < len(self.lines) else ""
        lead = raw.find(src_line) if src_line else -1
        return self.first_line + start + index, max(lead, 0) + pos - line_start + 1


def _source_form(token: Token) -> str:
    """The text a child token starts with in the source, to find where it stands."""
    if token.type in ("text", "html_inline"):
        return token.content
    if token.type in ("text_special", "code_inline", "em_open", "strong_open", "s_open"):
        return token.markup
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    if token.type == "link_open":
        return "<" if token.markup == "autolink" else "["
    if token.type == "image":
        return "!["
    if token.type == "footnote_ref":
        return "[^"
    return ""


def _positions(inline: Token) -> Iterator[tuple[Token, int]]:
    """Each child of an inline token with its offset in the inline's source."""
    src, cursor = inline.content, 0
    for child in inline.children or []:
        form = _source_form(child)
        pos = src.find(form, cursor) if form else -1
        if pos < 0:
            yield child, cursor
            continue
        cursor = pos + len(form)
        if child.type == "code_inline":
            close = src.find(child.markup, cursor + len(child.content.strip()))
            cursor = close + len(child.markup) if close >= 0 else cursor
        yield child, pos


def _target(url: str) -> str:
    """A link target as a browser reads it: entities and escapes decoded, invisible characters gone."""
    return _INVISIBLE.sub("", unquote(html.unescape(url))).lower()


def _refused(target: str) -> str | None:
    """Why a decoded target cannot be a link on the site: S302 (it could run script), W103 (another scheme), or None."""
    if target.startswith(_BAD_SCHEMES):
        return "S302"
    scheme = _SCHEME.match(target)
    return "W103" if scheme and scheme.group(1) not in URL_SCHEMES else None


def _link_problems(url: str, line: int, col: int, image: bool) -> Iterator[Problem]:
    target = _target(url)
    shown = url[:60]
    refused = _refused(target)
    if refused == "S302":
        yield (line, col, "S302", ERROR, f"本文のリンク先「{shown}」は使えません（リンク先は https:// で始まる URL にしてください）")
    elif refused == "W103":
        yield (
            line, col, "W103", WARNING,
            f"本文のリンク先「{shown}」はサイトではリンクになりません（https:// か http:// で始まる URL、または mailto: にしてください）",
        )
    elif image and (target.startswith(("http://", "https://", "//"))):
        yield (
            line, col, "W102", WARNING,
            f"本文の画像「{shown}」はほかのサイトから読み込まれるため、庁内の閉じたネットワークでは表示されません（画像を使わず文章で書くか、リンクにしてください）",
        )


def _tag_message(tag: str) -> str:
    return (
        f"本文に HTML のタグ {tag} は書けません（見出しは ##、強調は **…**、改行は空行で書いてください。"
        "記号の < を文字として書くなら ＜ を使ってください）"
    )


def _inline_problems(inline: Token, walk: _Walk, bad_refs: set[str]) -> Iterator[Problem]:
    for child, pos in _positions(inline):
        if child.type == "html_inline" and _TAG_IN_BLOCK.search(_COMMENT.sub("", child.content)):
            shown = _COMMENT.sub("", child.content).strip()
            line, col = walk.at(inline, inline.content, pos)
            yield (line, col, "S301", ERROR, _tag_message(shown[:40] + ("…" if len(shown) > 40 else "")))
        elif child.type == "text":
            for match in _TAG_LIKE.finditer(child.content):
                line, col = walk.at(inline, inline.content, pos + match.start())
                yield (line, col, "S301", ERROR, _tag_message(match.group(0) + "…>"))
        elif child.type in ("link_open", "image"):
            url = str(child.attrs.get("href" if child.type == "link_open" else "src", ""))
            if url in bad_refs:
                continue  # reported once, at its definition
            line, col = walk.at(inline, inline.content, pos)
            yield from _link_problems(url, line, col, child.type == "image")


def _block_html_problems(token: Token, walk: _Walk) -> Iterator[Problem]:
    """One finding per HTML block, at its first tag: the writer removes the block as a whole."""
    content = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), token.content)
    match = _TAG_IN_BLOCK.search(content)
    if match is None:
        return
    offset = content.count("\n", 0, match.start())
    line_text = content.split("\n")[offset]
    at = match.start() - (content.rfind("\n", 0, match.start()) + 1)
    close = line_text.find(">", at)
    tag = line_text[at : close + 1 if close >= 0 else at + 40][:40]
    line = walk.first_line + (token.map[0] if token.map else 0) + offset
    if tag.startswith("<!--"):
        yield (line, at + 1, "S301", ERROR, "HTML のコメント <!-- が閉じていません（コメントの終わりに --> を書いてください）")
    else:
        yield (line, at + 1, "S301", ERROR, _tag_message(tag))


def _reference_problems(env: dict[str, object], walk: _Walk) -> tuple[list[Problem], set[str]]:
    """Link reference definitions (`[name]: target`), reported at their own line."""
    problems: list[Problem] = []
    bad: set[str] = set()
    references = env.get("references")
    for reference in references.values() if isinstance(references, dict) else ():
        href = str(reference.get("href", ""))
        line = walk.first_line + reference.get("map", [0])[0]
        found = list(_link_problems(href, line, 1, image=False))
        if any(rule == "S302" for _, _, rule, _, _ in found):
            bad.add(href)
        problems.extend(found)
    return problems, bad


def _plain(inline: Token) -> str:
    """The words of an inline token as a reader sees them on the page."""
    lines, current = [], ""
    for child in inline.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append(current)
            current = ""
        elif child.type in ("text", "code_inline") or child.type == "html_inline" and not child.content.startswith("<!--") or child.type == "image":
            current += child.content
    lines.append(current)
    return clean(join_lines(lines))


def _blocks(tokens: Sequence[Token]) -> list[tuple[str, str]]:
    """(kind, text) in reading order: "h" for headings, "p" for everything else."""
    blocks: list[tuple[str, str]] = []
    in_heading = False
    row: list[str] | None = None
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                blocks.append(("p", " ".join(cell for cell in row if cell)))
            row = None
        elif token.type == "inline":
            text = _plain(token)
            if row is not None:
                row.append(text)
            elif text:
                blocks.append(("h" if in_heading else "p", text))
        elif token.type in ("fence", "code_block"):
            blocks.extend(("p", clean(line)) for line in token.content.split("\n") if line.strip())
        elif token.type == "html_block":
            rest = clean(_COMMENT.sub("", token.content))
            if rest:
                blocks.append(("p", rest))
    return blocks


def _strip_bad_links(tokens: Sequence[Token]) -> None:
    """Links whose target cannot be a link on the site lose their target (the text stays)."""
    for token in tokens:
        for child in token.children or []:
            if child.type == "link_open" and _refused(_target(str(child.attrs.get("href", "")))):
                child.attrs.pop("href", None)
            elif child.type == "image" and _refused(_target(str(child.attrs.get("src", "")))) == "S302":
                child.attrs["src"] = ""


def sanitize(fragment: str) -> str:
    """The last step before story HTML reaches a page: only what the renderer makes survives."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )


Shown = tuple[int, int, str]  # file lines first..last of a paragraph, and its text as the page shows it


def read_narrative(body: str, first_line: int, shown: list[Shown] | None = None) -> tuple[Narrative, list[Problem]]:
    """Parse the body once; return the page HTML and search text, and the problems found.

    With `shown`, each paragraph whose text on the page may differ from any one
    typed line (entities, emphasis, line breaks, invisible characters) is added
    to it, for the privacy scan.  The HTML and search text are made from the
    same parse when first asked for: a check that builds no page never renders.
    """
    tokens, env, problems = _parse(body, first_line, shown)
    return LazyNarrative(tokens, env, body), problems


class LazyNarrative(Narrative):
    """A Narrative rendered from its parse on first use (and then like any other).

    Pickled (for the cache, or from a worker process) it is a plain Narrative.
    """

    def __init__(self, tokens: list[Token], env: dict[str, object], markdown: str) -> None:  # noqa: D107
        object.__setattr__(self, "_parsed", (tokens, env))
        object.__setattr__(self, "_made", None)
        object.__setattr__(self, "markdown", markdown)

    def render(self) -> LazyNarrative:
        """Render now and let go of the parse (stories held for a site keep only their HTML)."""
        if self._made is None:
            tokens, env = self._parsed
            _strip_bad_links(tokens)
            rendered = _READER.renderer.render(tokens, _READER.options, env)
            object.__setattr__(self, "_made", (sanitize(rendered), tuple(_blocks(tokens))))
            object.__setattr__(self, "_parsed", None)
        return self

    @property  # type: ignore[override]
    def html(self) -> str:
        return self.render()._made[0]  # type: ignore[index]

    @property  # type: ignore[override]
    def blocks(self) -> tuple[tuple[str, str], ...]:
        return self.render()._made[1]  # type: ignore[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Narrative):
            return NotImplemented
        return (self.html, self.blocks, self.markdown) == (other.html, other.blocks, other.markdown)

    def __hash__(self) -> int:
        return hash((self.html, self.blocks, self.markdown))

    def __repr__(self) -> str:
        return f"Narrative(html={self.html!r}, blocks={self.blocks!r}, markdown={self.markdown!r})"

    def __reduce__(self) -> tuple[type[Narrative], tuple[str, tuple[tuple[str, str], ...], str]]:
        return Narrative, (self.html, self.blocks, self.markdown)


def _parse(body: str, first_line: int, shown: list[Shown] | None) -> tuple[list[Token], dict[str, object], list[Problem]]:
    env: dict[str, object] = {}
    tokens = _READER.parse(body, env)
    walk = _Walk(body.split("\n"), first_line)
    problems, bad_refs = _reference_problems(env, walk)
    for token in tokens:
        if token.type == "inline":
            if not (_is_plain(token) and "<" not in token.content):  # plain text without a "<" has nothing to report
                problems.extend(_inline_problems(token, walk, bad_refs))
        elif token.type == "html_block" and _COMMENT.sub("", token.content).strip():
            problems.extend(_block_html_problems(token, walk))
    text_join(_TokenState(tokens))
    if shown is not None:
        for token in tokens:
            if token.type == "inline" and token.map:
                content = token.content
                # Only where the line scan could have missed something: the text
                # was transformed, joined from several lines, or hides characters.
                # Plain text reads as it was typed: _plain(token) is clean(content).
                if _is_plain(token):
                    text = clean(content)
                    different = "\n" in content or not text.isprintable()
                else:
                    text = _plain(token)
                    different = "\n" in content or not text.isprintable() or text != clean(content)
                if different:
                    shown.append((first_line + token.map[0], first_line + token.map[1] - 1, text))
    return tokens, env, problems


def _is_plain(inline: Token) -> bool:
    """An inline token that is one text token, its content as it stands (no markup, break or entity)."""
    children = inline.children
    return children is not None and len(children) == 1 and children[0].type == "text" and children[0].content == inline.content


@dataclass
class _TokenState:
    """What markdown-it's text_join rule reads of its state."""

    tokens: list[Token]
