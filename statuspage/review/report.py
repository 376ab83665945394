"""A review as text (a terminal), Markdown (a GitHub job summary or comment) or JSON.

Every text that came from the site's files (titles, update words, names) is untrusted:
in text it is one inert line; in Markdown it is escaped so GitHub shows it as typed,
pings nobody and links nothing (md_text)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from statuspage.errors import inert_line
from statuspage.source.names import counted

Data = dict[str, Any]
# Each quoted text is cut to this many characters: a review reads, it does not archive.
TEXT_CAP = 300
# GitHub refuses a comment over 65,536 characters; leave room for the pointer line.
COMMENT_LIMIT = 60_000
ZWJ = "\u200d"
# What can start or end markup in the middle of a line (GitHub's Markdown: emphasis,
# links, images, HTML, entities, code, tables, strike-through, math): each becomes a
# numeric character reference, which CommonMark (and every Markdown) shows as the
# character itself and never reads as markup.
_MARKUP = re.compile(r"[\\`*_\[\]<>&!|~$]")
# What GitHub would still turn into a ping, an issue link or a link in the text shown
# (`@team`, `#123`, `GH-1`, `https://`, `www.`): a zero-width joiner breaks each.
_PINGS = re.compile(r"@|#|:(?=//)|(?<!\w)www(?=\.)|(?<!\w)GH(?=-)", re.IGNORECASE)


def capped(text: str, limit: int = TEXT_CAP) -> str:
    """*text* on one line, at most *limit* characters (an ellipsis says it was cut)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def md_text(text: str) -> str:
    """Untrusted *text* as inert Markdown: one line, capped, each character that could
    make markup a character reference (no emphasis, link, HTML, entity or table cell
    survives) and a zero-width joiner after each `@`, `#`, `://`'s colon, `www` and `GH`
    (no mention, issue reference or link)."""
    line = "".join(c if c.isprintable() else " " for c in capped(text))
    joined = _PINGS.sub(lambda m: m[0] + ZWJ, line)
    return _MARKUP.sub(lambda m: f"&#{ord(m[0])};", joined)


def as_json(review: Data) -> str:
    """The stable JSON form (diff.schema.json)."""
    return json.dumps(review, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _arrow(before: object, after: object) -> str:
    return (
        f"{before if before is not None else '(none)'} → {after if after is not None else '(none)'}"
    )


def _lines(review: Data, quote: Callable[[str], str], bullet: str) -> Iterator[str]:
    """The report's lines, customer's view first; *quote* makes untrusted text safe."""
    if review["flags"]:
        yield "NEEDS A SECOND REVIEWER:"
        yield from (f"{bullet}{quote(flag['message'])}" for flag in review["flags"])
        yield ""
    yield from _headline_lines(review["headline"], quote, bullet)
    yield from _section(
        "Components:",
        (
            f"{bullet}{quote(c['name'])}{' (group)' if c['group'] else ''}: "
            f"{_arrow(c['before'], c['after'])}"
            for c in review["components"]
        ),
    )
    yield from _section(
        "Incidents and maintenance:",
        (line for i in review["incidents"] for line in _incident_lines(i, quote, bullet)),
    )
    yield from _section(
        "Uptime and SLO figures:",
        (_figure_line(f, quote, bullet) for f in review["figures"]),
    )
    yield from _section(
        "Feed entries added:", (f"{bullet}{quote(e['title'])}" for e in review["feed_entries"])
    )
    yield from _section(
        "Calendar events:", (_calendar_line(e, quote, bullet) for e in review["calendar_events"])
    )
    yield ""
    yield from _notification_lines(review["notifications"], quote, bullet)
    yield from _section("New check warnings:", (f"{bullet}{quote(w)}" for w in review["warnings"]))
    yield ""
    yield "Outputs changed: " + _counts(review["outputs"])


def _section(title: str, lines: Iterable[str]) -> Iterator[str]:
    """*title* and *lines* after a blank line; nothing at all without lines."""
    listed = list(lines)
    if listed:
        yield ""
        yield title
        yield from listed


def _headline_lines(head: Data, quote: Callable[[str], str], bullet: str) -> Iterator[str]:
    if head["changed"]:
        b, a = head["before"], head["after"]
        yield f"Headline: {quote(b['text'])} → {quote(a['text'])}"
        yield f"{bullet}indicator (api/v2): {_arrow(b['indicator'], a['indicator'])}"
    else:
        yield f"Headline: unchanged ({quote(head['after']['text'])})"


def _figure_line(figure: Data, quote: Callable[[str], str], bullet: str) -> str:
    moved = _arrow(_pct(figure["before"]), _pct(figure["after"]))
    return f"{bullet}{quote(figure['name'])} {figure['figure']}: {moved}"


def _calendar_line(event: Data, quote: Callable[[str], str], bullet: str) -> str:
    b, a = event["before"], event["after"]
    when = _arrow(b and b["start"], a and a["start"])
    return f"{bullet}{event['change']}: {quote(event['summary'])} ({when})"


def _notification_lines(
    notifications: list[Data], quote: Callable[[str], str], bullet: str
) -> Iterator[str]:
    if not notifications:
        yield "Notifications on merge: none"
        return
    yield "Notifications on merge:"
    for n in notifications:
        sends = counted(len(n["messages"]), "message")
        yield f"{bullet}{quote(n['endpoint'])} ({n['format']}): {sends}"
        for m in n["messages"]:
            yield f"    {bullet}{m['kind']}: {quote(m['subject'])} — {quote(m['text'])}"


def _incident_lines(i: Data, quote: Callable[[str], str], bullet: str) -> Iterator[str]:
    what = "maintenance" if i["maintenance"] else "incident"
    yield f"{bullet}{i['change']} {what} {quote(i['title'])} ({quote(i['id'])})"
    if i["title_before"] is not None:
        yield f"    {bullet}title was: {quote(i['title_before'])}"
    if i["status"]["before"] != i["status"]["after"]:
        yield f"    {bullet}status: {_arrow(i['status']['before'], i['status']['after'])}"
    if i["impact"]["before"] != i["impact"]["after"] and i["impact"]["before"] is not None:
        yield f"    {bullet}impact: {_arrow(i['impact']['before'], i['impact']['after'])}"
    if i["window"] is not None:
        b, a = i["window"]["before"], i["window"]["after"]
        yield f"    {bullet}window: {_arrow(b and _span(b), a and _span(a))}"
    if i["components_added"]:
        yield f"    {bullet}components added: {quote(', '.join(i['components_added']))}"
    if i["components_removed"]:
        yield f"    {bullet}components removed: {quote(', '.join(i['components_removed']))}"
    for u in i["updates"]:
        mark = " (backdated)" if u["backdated"] else ""
        what = f"update {u['change']}{mark}, {u['at']}, {u['status']}"
        yield f"    {bullet}{what}: {quote(u['text'])}"


def _span(window: Data) -> str:
    return f"{window['start']} to {window['end']}"


def _pct(value: float | None) -> str | None:
    return None if value is None else f"{value:.3f} %"


def _counts(outputs: Data) -> str:
    parts = []
    for kind, c in outputs.items():
        n = c["added"] + c["changed"] + c["removed"]
        if n:
            parts.append(
                f"{kind} {n} ({c['added']} added, {c['changed']} changed, {c['removed']} removed)"
            )
    return ", ".join(parts) or "none"


def summary_line(review: Data) -> str:
    if review["customer_visible"]:
        return "Customers would see a change."
    return "No change customers would see."


def as_text(review: Data) -> str:
    """For a terminal: every line inert."""
    lines = [f"statuspage diff {review['base']} → {review['head']} at {review['now']}", ""]
    lines += list(_lines(review, lambda t: capped(t, 500), "  - "))
    lines += ["", summary_line(review)]
    return "\n".join(inert_line(line) for line in lines) + "\n"


def as_markdown(review: Data, limit: int | None = None, pointer: str = "") -> str:
    """For GitHub: untrusted text inert; at most *limit* characters, cut at a line with
    *pointer* (e.g. "see the job summary") saying where the rest is."""
    top = f"### Status page preview: {md_text(summary_line(review))}"
    sides = f"`{_code(review['base'])}` → `{_code(review['head'])}` at `{_code(review['now'])}`"
    body = []
    for line in _lines(review, md_text, "- "):
        if line == "NEEDS A SECOND REVIEWER:":
            line = "> [!WARNING]\n> **Needs a second reviewer:**"
        elif line.endswith(":") and not line.startswith((" ", "-")):
            line = f"#### {line[:-1]}"
        body.append(line)
    # Flags sit inside the alert block: prefix their bullets.
    text = "\n".join([top, "", sides, "", *_quote_flags(body)]) + "\n"
    if limit is not None and len(text) > limit:
        note = f"\n\n… cut at {limit:,} characters. {pointer}".rstrip() + "\n"
        cut = text[: limit - len(note)]
        text = cut[: cut.rfind("\n") + 1] + note
    return text


def _quote_flags(lines: list[str]) -> list[str]:
    out, inside = [], False
    for line in lines:
        if line.startswith("> [!WARNING]"):
            inside = True
            out.append(line)
            continue
        if inside and line.startswith("- "):
            out.append("> " + line)
            continue
        inside = False
        out.append(line)
    return out


def _code(text: str) -> str:
    """A label for inside a code span: no backtick, one line."""
    return capped(text, 120).replace("`", "'")
