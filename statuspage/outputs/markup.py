"""Markdown bodies -> sanitized HTML. Bodies are untrusted: whatever they hold,
the result carries no script, no event handler and no dangerous URL."""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

import markdown
import nh3
from markdown.extensions.fenced_code import FencedCodeExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from pymdownx.magiclink import MagiclinkExtension  # type: ignore[import-untyped]

from statuspage.source.budget import MAX_SCAN as _MAX_SCAN
from statuspage.source.budget import PARAGRAPHS as _PARAGRAPHS
from statuspage.source.budget import OverBudget, scan_cost

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul", "dl", "dt", "dd", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# The allow-list made once: `nh3.clean(html, tags=..., ...)` builds it again from these
# sets on every call, two thirds of its time for a one-paragraph body.
_SANITIZER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="nofollow noopener noreferrer",
    strip_comments=True,
)
_MAX_NESTING = 30
_MAX_DEPTH = 4 * _MAX_NESTING
_OPEN_CLOSE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Python-Markdown rescans the rest of a paragraph at every unmatched `[` or `<`
# and rebuilds it at every emphasis, code span, link or entity it finds,
# so a paragraph of thousands of them takes minutes. Past _MAX_SCAN
# (openers x paragraph length) such a paragraph is shown as escaped text instead.
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_TAG = re.compile(r"<[^>]*>")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
# One line of words and plain punctuation (a third of real updates: "We are investigating."),
# which Python-Markdown can only make into one paragraph of the same text. Nothing that
# starts a block, marks up inline, makes a link (magiclink's `www.`, `ftp.`, `://`, `@`), an
# entity or a hard break; no character the sanitizer would write as an entity.
# A digit first could start a list ("1. "), so a letter comes first.
_PLAIN_LINE = re.compile(
    r"[^\W\d_][^\W_]*(?:[ ,.;:'\"?!()/%$-]+[^\W_]+)*[ ,.;:'\"?!()/%$-]*", re.ASCII
)
_LINKISH = re.compile(r"www\.|ftp\.|://", re.IGNORECASE)


def _converter() -> markdown.Markdown:
    # magiclink: a bare URL is a link, as GitHub (where these files are reviewed) shows it.
    # Objects, not names: Markdown looks a name up in the installed packages' metadata,
    # which reads files on every converter made.
    extensions = [
        FencedCodeExtension(),
        TableExtension(),
        SaneListExtension(),
        MagiclinkExtension(),
    ]
    return markdown.Markdown(extensions=extensions, output_format="html")


def escaped_text(source: str) -> str:
    return "<pre>" + nh3.clean_text(source) + "</pre>"


class Markdown:
    """Markdown bodies to sanitized HTML through one converter, remembering the answers.

    A build makes one (RenderCache) and `serve` keeps it between saves, so a body shown
    on several pages, or unchanged since the last save, is converted once. A body shown
    in both forms (under an update's heading on a page; alone in a feed, a summary or a
    page description) is converted once too: only the cheap finishing differs."""

    def __init__(self) -> None:
        self._converter = _converter()
        # The other form of a body is mostly asked for on the same page (an incident's
        # description is its latest update's text): a short memory suffices, and a long
        # one would hold every body's HTML a third time.
        self._converted = lru_cache(maxsize=1024, typed=True)(self._convert)
        # At most 65,536 bodies: bounded whatever the history, like the build it serves.
        # typed: an OverBudget body is not the str it equals.
        self.render = lru_cache(maxsize=65536, typed=True)(self._render)

    def _convert(self, source: str) -> str:
        return _convert(self._converter, source)

    def _render(self, source: str, top: int | None = None) -> str:
        if isinstance(source, OverBudget):
            return escaped_text(source)
        return _finish(self._converted(source), source, top)


def render_markdown(source: str, top: int | None = None) -> str:
    """HTML for a Markdown body, with a converter of its own (for one-off callers; a
    build uses its Markdown). See _finish."""
    if isinstance(source, OverBudget):
        return escaped_text(source)
    return _finish(_convert(_converter(), source), source, top)


def _convert(converter: markdown.Markdown, source: str) -> str:
    """Python-Markdown's HTML for *source*, not yet safe to show (see _finish)."""
    line = source.rstrip("\n")
    if _PLAIN_LINE.fullmatch(line) and not _LINKISH.search(line):
        return f"<p>{line}</p>"  # what Python-Markdown gives for it, without its passes
    return _python_markdown(converter, source)


def _python_markdown(converter: markdown.Markdown, source: str) -> str:
    try:
        text, aside = _set_aside_rescans(_flatten_nesting(source))
        html = converter.reset().convert(text)
        for token, escaped in aside.items():
            html = html.replace(token, escaped, 1)
    except RecursionError:  # pathological nesting: fall back to escaped text
        html = "<pre>" + nh3.clean_text(source) + "</pre>"
    return html


def _finish(html: str, source: str, top: int | None) -> str:
    """*html* (converted from *source*) with its headings placed, cleaned with an allow-list.

    Headings are demoted two levels, so a message never outranks the page's own; with
    *top*, they continue the page's outline instead: the first is h<top>, and none is
    more than one level below the heading before it (see _outline). They are placed
    before cleaning, which keeps h3-h6 only."""
    if top is None:
        html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", html)
    else:
        html = _outline(html, top)
    clean = _SANITIZER.clean(html).strip()
    if _depth(clean) > _MAX_DEPTH:
        # Mixed one-line nesting (`> - > - ...`) slips past _flatten_nesting; browsers
        # and parsers silently restructure or drop HTML nested thousands deep.
        return "<pre>" + nh3.clean_text(source) + "</pre>"
    return clean


def _outline(html: str, top: int) -> str:
    """*html* with heading levels renumbered from h<top> down without skipping one
    (`###` alone becomes h<top>; `#` then `###` become h<top> then h<top+1>), as
    accessibility checkers require; a level deeper than h6 stays h6."""
    stack: list[tuple[int, int]] = []  # (level written, level shown) of the open sections
    shown = top

    def renumber(m: re.Match[str]) -> str:
        nonlocal shown
        if not m[1]:
            level = int(m[2])
            while stack and stack[-1][0] >= level:
                stack.pop()
            shown = min(stack[-1][1] + 1 if stack else top, 6)
            stack.append((level, shown))
        return f"<{m[1]}h{shown}"

    return _HEADING.sub(renumber, html)


def _depth(html: str) -> int:
    """How deeply elements nest in (well-formed, sanitized) *html*."""
    depth = deepest = 0
    for m in _OPEN_CLOSE.finditer(html):
        if m[1]:
            depth -= 1
        elif m[2].lower() not in ("br", "hr"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def _flatten_nesting(source: str) -> str:
    """Cap blockquote/list nesting so hostile input cannot exhaust the parser's stack."""
    lines = []
    for line in source.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(">" * _MAX_NESTING):
            line = ">" * _MAX_NESTING + " " + stripped.lstrip("> ")
        if len(line) - len(stripped) > 4 * _MAX_NESTING:
            line = " " * (4 * _MAX_NESTING) + stripped
        lines.append(line)
    return "\n".join(lines)


def _set_aside_rescans(source: str) -> tuple[str, dict[str, str]]:
    """Replace paragraphs (outside code fences) that would rescan quadratically by tokens.

    Returns the new source and {token: escaped paragraph} to put back after conversion."""
    if len(source) < 2000:
        return source, {}
    parts = _PARAGRAPHS.split(source)
    seps = [*_PARAGRAPHS.findall(source), ""]
    in_fence = False
    aside: dict[str, str] = {}
    out = []
    for part, sep in zip(parts, seps, strict=True):
        fences = sum(1 for line in part.split("\n") if _FENCE.match(line))
        if not in_fence and not fences and scan_cost(part) > _MAX_SCAN:
            token = f"statuspageaside{len(aside)}x"
            aside[token] = htmllib.escape(part.strip(), quote=False)
            part = token
        in_fence ^= fences % 2 == 1
        out.append(part + sep)
    return "".join(out), aside


def plain_text(source: str, converted: Markdown | None = None) -> str:
    """Text of a Markdown body without markup (for feeds' summaries and chat messages)."""
    html = render_markdown(source) if converted is None else converted.render(source)
    text = _TAG.sub("", html.replace("</p>", "</p>\n"))
    return re.sub(r"\n{3,}", "\n\n", htmllib.unescape(text)).strip()
