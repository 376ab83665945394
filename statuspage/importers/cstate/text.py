"""The Markdown body of a cState issue: free-form update markers and Hugo shortcodes.

cState has no structured updates. Writers mark them by hand, in many styles:
`*Resolved* - text {{< track "2018-05-25 05:54:00" >}}` (cState's own examples),
`[Initial message]`, `[Update - 2023-03-29 15h50 UTC]`, `**2021-06-08 07:37:00**`,
`Update: text`. This module finds those markers and splits the body into parts;
`updates.py` decides which parts become updates. It does no I/O and knows no zone:
timestamps come back as normalised text (`2023-03-29 15:50 UTC`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    """What a marker says about its part."""

    OPEN = "investigating"  # the first message: [Initial message], *Investigating*
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    UPDATE = "update"  # a later message that names no status
    FINAL = "resolved"  # [Final message], *Resolved*, [Closing]


KEYWORDS = {
    "initial": Kind.OPEN,
    "opening": Kind.OPEN,
    "open": Kind.OPEN,
    "opened": Kind.OPEN,
    "investigating": Kind.OPEN,
    "start": Kind.OPEN,
    "started": Kind.OPEN,
    "identified": Kind.IDENTIFIED,
    "monitoring": Kind.MONITORING,
    "update": Kind.UPDATE,
    "updated": Kind.UPDATE,
    "updates": Kind.UPDATE,
    "edit": Kind.UPDATE,
    "edited": Kind.UPDATE,
    "progress": Kind.UPDATE,
    "followup": Kind.UPDATE,
    "follow": Kind.UPDATE,
    "final": Kind.FINAL,
    "closing": Kind.FINAL,
    "close": Kind.FINAL,
    "closed": Kind.FINAL,
    "resolved": Kind.FINAL,
    "resolution": Kind.FINAL,
    "fixed": Kind.FINAL,
    "end": Kind.FINAL,
    "ended": Kind.FINAL,
    "completed": Kind.FINAL,
}
# Words that may accompany a keyword without adding anything the update heading
# does not already say; a marker with other words keeps its label in the text.
FILLER = {"message", "msg", "at", "on", "of", "the", "issue", "incident", "up", "utc", "gmt", "z"}

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_MONTH = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TIME = r"(?P<h>\d{1,2})[:h](?P<min>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ap>[ap]\.?m\.?)?"
_ZONE = r"(?:\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2})(?![a-z]))?"
ISO_STAMP = re.compile(rf"(?P<d>\d{{4}}-\d{{2}}-\d{{2}})(?:[T\s]+|\s+at\s+){_TIME}{_ZONE}", re.I)
DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})", re.I
)
MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I)
TIME_ZONE = re.compile(rf"\b{_TIME}{_ZONE}", re.I)

FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_SEP = r"\s*(?:-+>|[-\u2013\u2014:])?\s*"  # -, en dash, em dash, :
BRACKET = re.compile(rf"^\s{{0,3}}\[(?P<label>[^\]\n]{{1,80}})\](?![(\[:]){_SEP}(?P<rest>.*)$")
EMPHASIS = re.compile(
    rf"^\s{{0,3}}(?P<e>\*\*|__|\*|_)(?P<label>[^*_\n]{{1,80}}?)(?P=e)(?![*_]){_SEP}(?P<rest>.*)$"
)
UNCLOSED_BOLD = re.compile(r"^\s{0,3}(?:\*\*|__)(?P<label>[^*_\n]{1,80}?)\s*(?P<rest>)$")
HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<label>.{1,80}?)\s*#*\s*(?P<rest>)$")
PLAIN = re.compile(
    r"^\s{0,3}(?P<label>(?:update|edit|resolved|resolution|investigating|identified|monitoring)\b[^:\n]{0,40}?)\s*:\s+(?P<rest>.*)$",
    re.I,
)
SHORTCODE = re.compile(
    r"\{\{(?P<open>[<%])\s*(?P<close>/)?\s*(?P<name>[\w./-]+)(?P<args>.*?)\s*[>%]\}\}", re.S
)


@dataclass(frozen=True)
class Part:
    """A stretch of the body: before the first marker (kind None), or from a marker to the next."""

    kind: Kind | None
    stamp: str | None  # timestamp found in the marker or in a track shortcode, normalised
    label: str  # the marker as written, for messages
    line: int  # line of the marker within the body, counted from 1
    head: str  # text on the marker's own line, after the label
    body: str  # the lines after the marker
    plain: bool  # the label only says what an update heading says (kind and time)

    def text(self, *, consumed: bool) -> str:
        """The Markdown to import; the marker is dropped only if the update heading replaces it."""
        if consumed and self.plain:
            return f"{self.head}\n{self.body}".strip()
        first = " ".join(t for t in (f"**{self.label}**" if self.label else "", self.head) if t)
        return f"{first}\n{self.body}".strip()


def find_stamp(text: str) -> tuple[str, str] | None:
    """The first date-with-time in *text* as ('2023-03-29 15:50 UTC', matched text), or None."""
    if m := ISO_STAMP.search(text):
        return _normalise(m["d"], m), m[0]
    for pattern in (DAY_MONTH, MONTH_DAY):
        if (m := pattern.search(text)) and (t := TIME_ZONE.search(text, m.end())):
            day = f"{int(m['y']):04d}-{MONTHS[m['mon'][:3].lower()]:02d}-{int(m['day']):02d}"
            return _normalise(day, t), text[m.start() : t.end()]
    return None


def _normalise(day: str, m: re.Match[str]) -> str:
    hour = int(m["h"])
    ap = (m["ap"] or "").replace(".", "").lower()
    if ap == "pm" and hour < 12:
        hour += 12
    elif ap == "am" and hour == 12:
        hour = 0
    seconds = f":{m['s']}" if m["s"] else ""
    zone = f" {m['tz'].upper()}" if m["tz"] else ""
    return f"{day} {hour:02d}:{m['min']}{seconds}{zone}"


def classify(label: str) -> tuple[Kind, str | None, bool] | None:
    """(kind, stamp, plain) for a marker label, or None if the label is not a marker."""
    stamp = find_stamp(label)
    rest = label.replace(stamp[1], " ") if stamp else label
    words = re.findall(r"[a-z]+|\d+", rest.lower())
    kind = next((KEYWORDS[w] for w in words[:2] if w in KEYWORDS), None)
    if kind is None:
        if stamp is None or any(w not in FILLER for w in words):
            return None
        kind = Kind.UPDATE  # a bare timestamp: `**2021-06-08 07:37:00**`
    plain = all(w in KEYWORDS or w in FILLER for w in words)
    return kind, stamp[0] if stamp else None, plain


def _marker(line: str) -> tuple[str, str] | None:
    """(label, rest of the line) if *line* looks like an update marker."""
    for pattern in (BRACKET, EMPHASIS, UNCLOSED_BOLD, HEADING, PLAIN):
        m = pattern.match(line)
        if m and classify(m["label"].strip()) is not None:
            rest = m["rest"].strip()
            if pattern is BRACKET and re.match(r"^<?https?://", rest):
                return None  # a link reference definition, not a marker
            return m["label"].strip(), rest
    return None


TRACK = re.compile(r"\{\{[<%]\s*track\s+\"(?P<at>[^\"]*)\"\s*[>%]\}\}")


def split_parts(body: str) -> list[Part]:
    """The body cut at each update marker; the first part is the text before any marker."""
    parts: list[tuple[tuple[str, str] | None, int, list[str]]] = [(None, 0, [])]
    in_fence = in_comment = False
    for number, line in enumerate(body.split("\n"), start=1):
        if FENCE.match(line) and not in_comment:
            in_fence = not in_fence
        found = None if in_fence or in_comment else _marker(line)
        if not in_fence:  # markers inside an HTML comment stay hidden with it
            opened, closed = line.rfind("<!--"), line.rfind("-->")
            in_comment = opened > closed if opened != -1 or closed != -1 else in_comment
        if found:
            parts.append((found, number, []))
        else:
            parts[-1][2].append(line)
    result = []
    for found, number, lines in parts:
        text = "\n".join(lines).strip()
        if found is None:
            if text:
                result.append(
                    Part(None, _track_stamp(text), "", 0, "", _drop_track(text, None), True)
                )
            continue
        label, head = found
        classified = classify(label)
        assert classified is not None
        kind, stamp, plain = classified
        stamp = stamp or _track_stamp(f"{head}\n{text}")
        result.append(
            Part(
                kind,
                stamp,
                label,
                number,
                _drop_track(head, stamp),
                _drop_track(text, stamp),
                plain,
            )
        )
    return result


def _track_stamp(text: str) -> str | None:
    m = TRACK.search(text)
    found = find_stamp(m["at"]) if m else None
    return found[0] if found else None


def _drop_track(text: str, stamp: str | None) -> str:
    """Remove the track shortcode that dates this part; show any other as an italic time."""

    def replace(m: re.Match[str]) -> str:
        found = find_stamp(m["at"])
        if found and found[0] == stamp:
            return ""
        return f"*({m['at'].strip()})*"

    return re.sub(r"[ \t]+\n", "\n", TRACK.sub(replace, text)).strip()


def demote_headings(text: str) -> str:
    """`#` and `##` headings become `###`: in an incident file `##` opens an update."""
    out, in_fence = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and (m := re.match(r"^(\s{0,3})#{1,2}(?=\s|$)", line)):
            line = m[1] + "###" + line[m.end() :]
        out.append(line)
    return "\n".join(out)


def convert_shortcodes(text: str, base_url: str) -> tuple[str, list[str]]:
    """Hugo shortcodes as readable Markdown (links, code blocks), and a note for each.

    Embeds become links (the page allows no iframes or scripts); a shortcode we
    do not know is kept as inline code so that nothing disappears."""
    notes: list[str] = []

    def replace(m: re.Match[str]) -> str:
        name, raw = m["name"].lower(), m[0]
        if name == "highlight":
            if m["close"]:
                return "\n```\n"
            lang = (_args(m["args"])[0] or [""])[0]
            notes.append(f"`{_short(raw)}` became a fenced code block")
            return f"\n```{lang}\n"
        if m["close"]:
            notes.append(f"`{_short(raw)}` kept as text")
            return f"`{raw}`"
        link = _shortcode_link(name, *_args(m["args"]), base_url)
        if link is not None:
            notes.append(f"`{_short(raw)}` became a link")
            return link
        notes.append(f"unknown shortcode `{_short(raw)}` kept as text")
        return f"`{raw}`"

    return SHORTCODE.sub(replace, text), notes


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _args(raw: str) -> tuple[list[str], dict[str, str]]:
    try:
        tokens = shlex.split(raw)
    except ValueError:
        tokens = raw.split()
    positional = [t for t in tokens if "=" not in t]
    named = dict(t.split("=", 1) for t in tokens if "=" in t)
    return positional, {k.lower(): v for k, v in named.items()}


def _shortcode_link(
    name: str, positional: list[str], named: dict[str, str], base_url: str
) -> str | None:
    first = positional[0] if positional else ""
    if name == "youtube" and (vid := named.get("id", first)):
        return f"[YouTube video](https://www.youtube.com/watch?v={vid})"
    if name == "vimeo" and (vid := named.get("id", first)):
        return f"[Vimeo video](https://vimeo.com/{vid})"
    if name in ("tweet", "twitter", "x") and (
        tid := named.get("id", positional[-1] if positional else "")
    ):
        user = named.get("user", positional[0] if len(positional) > 1 else "i")
        return f"[Post on X](https://x.com/{user}/status/{tid})"
    if name == "gist" and len(positional) >= 2:
        return f"[Gist](https://gist.github.com/{positional[0]}/{positional[1]})"
    if name == "figure" and (src := named.get("src")):
        caption = named.get("caption") or named.get("title") or named.get("alt") or src
        return f"[{caption}]({_absolute(src, base_url)})"
    if name in ("ref", "relref") and first:
        path = re.sub(r"(/?_?index)?\.md$", "", first.lstrip("/"))
        return _absolute(path.rstrip("/") + "/", base_url)
    return None


def _absolute(url: str, base_url: str) -> str:
    return url if re.match(r"^https?://", url) else base_url.rstrip("/") + "/" + url.lstrip("/")
