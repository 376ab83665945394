"""Markdown bodies -> sanitized HTML. Bodies are untrusted: whatever they hold,
the result carries no script, no event handler and no dangerous URL."""

from __future__ import annotations

import html as htmllib
import re
from functools import lru_cache

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6",
    "hr", "i", "ins", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul", "dl", "dt", "dd", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
_MAX_NESTING = 30
_HEADING = re.compile(r"<(/?)h([1-6])\b")
_TAG = re.compile(r"<[^>]*>")


def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"], output_format="html")


_md = _converter()


@lru_cache(maxsize=65536)
def render_markdown(source: str) -> str:
    """HTML for a Markdown body: converted, then cleaned with an allow-list.

    Headings are demoted two levels, so a message never outranks the page's own."""
    try:
        html = _md.reset().convert(_flatten_nesting(source))
    except RecursionError:  # pathological nesting: fall back to escaped text
        html = "<pre>" + nh3.clean_text(source) + "</pre>"
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    ).strip()


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


def plain_text(source: str) -> str:
    """Text of a Markdown body without markup (for feeds' summaries and chat messages)."""
    text = _TAG.sub("", render_markdown(source).replace("</p>", "</p>\n"))
    return re.sub(r"\n{3,}", "\n\n", htmllib.unescape(text)).strip()
