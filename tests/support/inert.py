"""Is a built site inert? Walks EVERY file the build wrote and checks it by type.

Used by the hostile-corpus, property and determinism tests, so each new output
(feeds, JSON API, badges, calendar, ...) is covered as soon as it is merged:

- .html: parsed with lxml; no script, iframe/object/embed, style element (unless
  the page's CSP allows exactly it by hash) or attribute, on* handler, meta refresh,
  base; no javascript:/data:/vbscript: URL in any URL attribute; the strict
  Content-Security-Policy meta is present.
- .xml/.atom/.rss/.svg: parsed as XML without entities or DTDs; the same element,
  attribute and URL rules (SVG: no script/foreignObject/on*), and any text that
  readers may render as HTML (RSS description, Atom type="html") is checked as HTML.
- .json/.webmanifest: strict JSON (no NaN); URL-valued fields are not executable;
  `*_html` strings (JSON Feed's content_html) checked as HTML.
- .ics: parsed with icalendar (where installed); URL properties are http(s).
- .css: no javascript: URL or expression().
- .txt: no terminal control or bidi characters, lines of at most 80 characters.
- .csv: no cell a spreadsheet runs as a formula.
- .js: only embed.js at the root, byte for byte the theme's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from statuspage.outputs.freshness import SCRIPT, SCRIPT_HASH
from statuspage.theme import default_templates_dir

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "base",
    "foreignobject", "portal", "template", "noscript", "xss", "handler", "listener",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "poster", "background", "data", "srcset",
    "ping", "codebase", "dynsrc", "lowsrc", "from", "to", "values", "by",
}  # fmt: skip
EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
CSP_REQUIRED = ("default-src 'none'", "base-uri 'none'", "form-action 'none'")
# Whitespace and C0 controls that browsers drop inside a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
HTMLISH_XML = {"description", "encoded", "summary", "content", "subtitle", "rights"}
URL_KEYS = re.compile(r"(^|_)(url|href|link|shortlink|src|icon|image)s?$", re.IGNORECASE)


def executable_url(value: str) -> bool:
    """True for URLs a browser would run or render as a document (javascript:, data:, ...)."""
    return _URL_NOISE.sub("", value).lower().startswith(EXECUTABLE_SCHEMES)


def _local(tag: Any) -> str:
    if not isinstance(tag, str):  # comments, processing instructions
        return ""
    return etree.QName(tag).localname.lower() if tag.startswith("{") else tag.lower()


def element_dangers(root: Any, *, allow_style: bool = False) -> Iterator[str]:
    """What in an (HTML or XML) element tree could run script or restyle the page."""
    for el in root.iter():
        if isinstance(el, etree._ProcessingInstruction):
            yield f"processing instruction {el.target!r}"
            continue
        name = _local(el.tag)
        if not name:
            continue
        if name in FORBIDDEN_ELEMENTS and not (allow_style and name == "style"):
            yield f"<{name}> element"
        if name == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            yield "<meta http-equiv=refresh>"
        for attr, value in el.attrib.items():
            aname = _local(attr)
            if aname.startswith("on"):
                yield f"<{name} {aname}=...> event handler"
            elif aname in ("style", "srcdoc") and not allow_style:
                yield f"<{name} {aname}=...> attribute"
            elif aname in URL_ATTRIBUTES and any(executable_url(part) for part in value.split(",")):
                yield f"<{name} {aname}={value!r}> executable URL"


def html_dangers(data: bytes) -> list[str]:
    """Dangers in one HTML page, plus a missing or weakened CSP."""
    found: list[str] = []
    # The page's own freshness script (statuspage/outputs/freshness.py), byte for byte, once,
    # when the policy allows that script alone: anything else script-like is still found.
    ours = b"<script>" + SCRIPT.encode() + b"</script>"
    freshness_policy = f"script-src '{SCRIPT_HASH}';".encode()
    if data.count(ours) == 1 and data.count(freshness_policy) == 1:
        data = data.replace(ours, b"").replace(freshness_policy, b"")
    if re.search(rb"<\s*script", data, re.IGNORECASE):
        found.append("raw '<script' in the bytes")
    doc = lxml_html.document_fromstring(data)
    policies = [
        m.get("content", "")
        for m in doc.iter("meta")
        if (m.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    for style in _hashed_styles(doc, policies):
        style.drop_tree()
    found += element_dangers(doc)
    if not policies:
        found.append("no Content-Security-Policy meta")
    for policy in policies:
        for required in CSP_REQUIRED:
            if required not in policy:
                found.append(f"CSP lacks {required!r}: {policy!r}")
        if "script-src" in policy or "unsafe-" in policy:
            found.append(f"CSP allows script or unsafe sources: {policy!r}")
    return found


def _hashed_styles(doc: Any, policies: list[str]) -> list[Any]:
    """<style> elements that the page's one CSP allows by their exact hash, and allows no
    other style (the embed/ widgets): the browser applies nothing else, so no style
    element that untrusted text might have added could take effect."""
    if len(policies) != 1:
        return []
    directives = [d.split() for d in policies[0].split(";")]
    style_src = next((d[1:] for d in directives if d[:1] == ["style-src"]), [])
    if not style_src or not all(source.startswith("'sha256-") for source in style_src):
        return []
    allowed = {source.strip("'").removeprefix("sha256-") for source in style_src}

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    return [el for el in doc.iter("style") if digest(el.text or "") in allowed]


def html_fragment_dangers(text: str) -> list[str]:
    """Dangers in text that a feed reader or widget may insert as HTML."""
    if "<" not in text:
        return []
    fragment = lxml_html.fragment_fromstring(text, create_parent="div")
    return list(element_dangers(fragment))


_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)


def xml_dangers(data: bytes, *, svg: bool) -> list[str]:
    root = etree.fromstring(data, _XML_PARSER)
    tree = root.getroottree()
    found = list(element_dangers(root, allow_style=svg))
    if tree.docinfo.internalDTD is not None or b"<!ENTITY" in data:
        found.append("DTD or entity declarations")
    for el in root.iter():
        if svg or not isinstance(el.tag, str) or not el.text:
            continue
        plain = el.get("type") == "text"  # Atom: defined as plain text
        if not plain and (_local(el.tag) in HTMLISH_XML or el.get("type") in ("html", "text/html")):
            found += [f"<{_local(el.tag)}> as HTML: {d}" for d in html_fragment_dangers(el.text)]
        if _local(el.tag) in (
            "link",
            "url",
            "loc",
            "icon",
            "logo",
            "image",
            "comments",
            "docs",
        ) and executable_url(el.text):
            found.append(f"<{_local(el.tag)}> executable URL {el.text!r}")
    return found


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_dangers(data: bytes) -> list[str]:
    value = json.loads(data.decode("utf-8"), parse_constant=_no_constants)
    found: list[str] = []

    def walk(node: Any, key: str) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, str(k))
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and URL_KEYS.search(key) and executable_url(node):
            found.append(f"{key}: executable URL {node!r}")
        elif isinstance(node, str) and key.endswith("_html"):  # JSON Feed's content_html
            found.extend(f"{key} as HTML: {d}" for d in html_fragment_dangers(node))

    walk(value, "")
    return found


def ics_dangers(data: bytes) -> list[str]:
    try:
        import icalendar
    except ImportError:  # pragma: no cover - a test dependency
        return []
    calendar = icalendar.Calendar.from_ical(data)
    found = []
    for component in calendar.walk():
        for prop in ("URL", "ATTACH", "TZURL"):
            value = component.get(prop)
            if value is not None and not str(value).startswith(("http://", "https://")):
                found.append(f"{component.name} {prop}: {str(value)!r}")
    return found


def css_dangers(data: bytes) -> list[str]:
    text = data.decode("utf-8").lower()
    return [
        f"css contains {bad!r}"
        for bad in ("javascript:", "expression(", "-moz-binding", "behavior:")
        if bad in text
    ]


# What a terminal acts on: C0/C1 controls (escape sequences) and bidirectional overrides.
_TERMINAL_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def text_dangers(data: bytes) -> list[str]:
    """Plain text for terminals (status.txt): UTF-8, no controls, at most 80 characters a line."""
    text = data.decode("utf-8")
    found = [f"control character {c!r}" for c in sorted(set(_TERMINAL_CONTROL.findall(text)))]
    found += [f"line of {len(line)} characters" for line in text.splitlines() if len(line) > 80]
    return found


def csv_dangers(data: bytes) -> list[str]:
    """No cell a spreadsheet would run as a formula (OWASP, CSV injection)."""
    import csv
    import io

    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    formula = ("=", "+", "-", "@", "\t", "\r")
    return [f"formula cell {cell!r}" for row in rows for cell in row if cell[:1] in formula]


CHECKS = {
    ".html": html_dangers, ".htm": html_dangers,
    ".xml": lambda d: xml_dangers(d, svg=False), ".atom": lambda d: xml_dangers(d, svg=False),
    ".rss": lambda d: xml_dangers(d, svg=False), ".svg": lambda d: xml_dangers(d, svg=True),
    ".json": json_dangers, ".webmanifest": json_dangers,
    ".ics": ics_dangers, ".css": css_dangers, ".txt": text_dangers, ".csv": csv_dangers,
}  # fmt: skip


def script_dangers(rel: str, data: bytes) -> list[str]:
    """The one script a build writes is embed.js, the theme's file unchanged (nothing a
    site's content says goes into it)."""
    if rel != "embed.js":
        return [f"a script other than embed.js: {rel}"]
    if data != (default_templates_dir() / "assets" / "embed.js").read_bytes():
        return ["embed.js differs from the theme's"]
    return []


def site_dangers(out: Path) -> dict[str, list[str]]:
    """{relative path: dangers} for every built file; a file that fails to parse is a danger too."""
    report: dict[str, list[str]] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        if path.suffix.lower() in (".js", ".mjs"):
            report[rel] = script_dangers(rel, path.read_bytes())
            continue
        check = CHECKS.get(path.suffix.lower())
        if check is None:
            continue
        try:
            found = check(path.read_bytes())
        except Exception as e:  # any parse failure means the output is broken
            found = [f"does not parse: {type(e).__name__}: {e}"]
        report[rel] = found
    return report


def assert_inert(out: Path) -> dict[str, list[str]]:
    """Fail with every danger found in the built site *out*; returns the per-file report."""
    report = site_dangers(out)
    assert "index.html" in report, f"no index.html in {out}"
    bad = {rel: found for rel, found in report.items() if found}
    assert not bad, "\n".join(f"{rel}: {d}" for rel, found in bad.items() for d in found)
    return report


# What a terminal or a CI log acts on in printed text, rather than shows: controls other
# than tab (CR, ESC starting CSI and OSC sequences, C1, DEL), Unicode line breaks and
# bidi controls; and lines GitHub Actions reads as workflow commands, which it finds
# after leading whitespace (`::error file=x::`, `::add-mask::`, the older `##[error]`).
_PRINTED_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_WORKFLOW_COMMAND = re.compile("^[\\s\u180e\u200b-\u200d\u2060\ufeff]*(::|##\\[)")


def printed_dangers(output: str) -> list[str]:
    """The lines of *output* (split at LF only) a terminal or a CI log would act on."""
    return [
        line
        for line in output.split("\n")
        if _PRINTED_CONTROL.search(line) or _WORKFLOW_COMMAND.match(line)
    ]
