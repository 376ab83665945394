"""Safe YAML with line numbers, for errors that point at the offending key.

Only plain data is accepted: the safe loader's scalars, lists and mappings.
Timestamps stay strings (times.py reads them with the site's zone, since
PyYAML would silently make `2026-12-01 02:00:00` a naive datetime), and
aliases are refused, which also defuses "billion laughs" alias bombs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from statuspage.errors import Problems

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_MAX_DEPTH = 50
_MAX_QUOTED_CHARS = 80  # of a value an error message shows quoted, ready to paste
_PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
# `title: API: down`: a key, then a plain value holding `: ` (which YAML reads as a new key).
_COLON_IN_VALUE = re.compile(
    r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*):\s+(?P<value>[^\s\"'\[{|>&*!].*:\s.*)$"
)
# Characters that XML cannot carry and UTF-8 cannot encode (lone surrogates):
# reachable only through YAML escapes ("\0", "\ud800") or stray bytes in a file.
_UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class _Loader(yaml.SafeLoader):
    # Replaced, never mutated: SafeLoader's resolvers without the timestamp one.
    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML reads it as a class attribute)
        first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP_TAG]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            # PyYAML's stubs leave Parser.peek_event unannotated.
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported here", event.start_mark
            )
        return super().compose_node(parent, index)


# libyaml's parser (when PyYAML was built with it) composes ~10x faster than the pure-Python
# one. It is used for the common case only: any error, alias or merge key is re-read with
# _Loader, so every message and line number stays exactly what the Python loader reports.
_CLoader: Any = None
if getattr(yaml, "__with_libyaml__", False):

    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


class _Fallback(Exception):
    """The fast parse met something only the Python loader reports exactly."""


class YamlMap(dict[Any, Any]):
    """A mapping that remembers the line of itself, each key and each value."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class YamlList(list[Any]):
    """A list that remembers the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


class YamlError(ValueError):
    """A file that is not YAML we accept, at *line*."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, *, first_line: int = 1) -> Any:
    """Parse *text*; lines reported are counted from *first_line*."""
    if _CLoader is not None:
        try:
            return _parse(_CLoader, text, first_line, set())
        except (_Fallback, yaml.YAMLError, YamlError):
            pass
    return _parse(_Loader, text, first_line, None)


def _parse(loader_class: Any, text: str, first_line: int, seen: set[int] | None) -> Any:
    """Compose and convert one document; *seen* (fast path only) detects aliases."""
    try:
        loader = loader_class(text)  # the reader checks for unprintable characters right away
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is None:
            return None
        return _convert(node, loader, first_line - 1, 0, seen)
    except yaml.MarkedYAMLError as e:
        if seen is not None:
            raise
        mark = e.problem_mark or e.context_mark
        line = (mark.line + first_line) if mark else first_line
        problem = e.problem or e.context or "invalid YAML"
        advice = _advice(text.split("\n"), mark.line if mark else 0, problem, first_line)
        if advice is None and e.context and e.context_mark and e.problem:
            advice = _unclosed(e.context, e.context_mark.line + first_line)
        if advice:
            raise YamlError(line, f"invalid YAML: {advice} (the parser says: {problem})") from None
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + first_line
        raise YamlError(
            line, f"invalid YAML: the character U+{e.character:04X} is not allowed; remove it"
        ) from None
    except yaml.YAMLError as e:
        if seen is not None:
            raise
        raise YamlError(first_line, f"invalid YAML: {e}") from None
    except RecursionError:  # PyYAML composes recursively: [[[[... thousands deep
        raise YamlError(first_line, f"YAML is nested more than {_MAX_DEPTH} levels deep") from None


def _advice(lines: list[str], index: int, problem: str, first_line: int) -> str | None:
    """What to do about the parser's *problem* at *lines*[*index*], in the writer's terms."""
    if index >= len(lines):
        return None
    here = lines[index]
    if "'\\t'" in problem or here[: len(here) - len(here.lstrip())].count("\t"):
        return f"indent with spaces, not tabs (line {index + first_line} holds a tab)"
    if "mapping values are not allowed" in problem and (found := _COLON_IN_VALUE.match(here)):
        key, value = found["key"], found["value"].rstrip()
        if len(value) > _MAX_QUOTED_CHARS:
            return f'quote the {key}: {key}: "…" (the whole value in double quotes)'
        quoted = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'quote the {key}: {key}: "{quoted}"'
    if "mapping values are not allowed" in problem or "expected <block end>" in problem:
        return _misaligned(lines, index, first_line)
    return None


def _misaligned(lines: list[str], index: int, first_line: int) -> str | None:
    """Advice for a line that lines up with none of the blocks open above it, or a list
    item among `key: value` lines."""
    here, number = lines[index], index + first_line
    indent, item = _indent(here), here.lstrip().startswith("- ")
    levels: list[tuple[int, bool]] = []  # the blocks open above: indentation, holds list items
    for above in reversed(lines[:index]):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if not levels or _indent(above) < levels[-1][0]:
            levels.append((_indent(above), above.lstrip().startswith("- ")))
    if not levels:
        return None
    # The nearest level; on a tie, the one holding the same kind of line, then the deeper one.
    siblings, items = min(levels, key=lambda lv: (abs(lv[0] - indent), lv[1] != item, -lv[0]))
    if indent == siblings:
        if item and not items:
            return (
                f"line {number} is a list item (- …) among `key: value` lines: write it as "
                "`key: value`, or put the list under a key that ends with `:`"
            )
        return None
    spaces = "space" if indent == 1 else "spaces"
    return f"line {number} is indented {indent} {spaces}, its siblings {siblings}: line them up"


def _unclosed(context: str, line: int) -> str | None:
    """Advice for a quote or bracket opened at *line* and never closed."""
    if "quoted scalar" in context:
        return f"close the quote opened on line {line}"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[ with ]" if "sequence" in context else "{ with }"
        return f"close the {bracket} opened on line {line}, or quote the value"
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _convert(
    node: yaml.Node, loader: Any, offset: int, depth: int, seen: set[int] | None = None
) -> Any:
    line = node.start_mark.line + 1 + offset
    if seen is not None:
        # libyaml resolves an alias to the very node its anchor names: meeting a node
        # twice means an alias, which the Python loader refuses with its own message.
        if id(node) in seen or node.tag == "tag:yaml.org,2002:merge":
            raise _Fallback
        seen.add(id(node))
    if depth > _MAX_DEPTH:
        raise YamlError(line, f"YAML is nested more than {_MAX_DEPTH} levels deep")
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.tag not in _PLAIN_TAGS:
        raise YamlError(line, f"unsupported YAML value: tag {node.tag!r} is not allowed here")
    if isinstance(node, yaml.MappingNode):
        result = YamlMap()
        result.line, result.key_lines = line, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    key_node.start_mark.line + 1 + offset,
                    "YAML merge keys (<<) are not supported here",
                )
            key = _convert(key_node, loader, offset, depth + 1, seen)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise YamlError(key_line, "mapping keys must be plain words")
            if key in result:
                raise YamlError(key_line, f"duplicate key {key!r}")
            result[key] = _convert(value_node, loader, offset, depth + 1, seen)
            result.key_lines[key] = key_line
        return result
    if isinstance(node, yaml.SequenceNode):
        items = YamlList(_convert(n, loader, offset, depth + 1, seen) for n in node.value)
        items.line = line
        items.item_lines = [n.start_mark.line + 1 + offset for n in node.value]
        return items
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as e:
        raise YamlError(line, f"unsupported YAML value: {e.problem}") from None
    if isinstance(value, str) and (bad := _UNUSABLE.search(value)):
        raise YamlError(
            line,
            f"text holds the control character U+{ord(bad[0]):04X} (from an escape like \\0 or "
            "\\x01); remove it",
        )
    return value


def unusable_character(text: str) -> str | None:
    """The first control character (or non-character) in *text* that no source may hold."""
    bad = _UNUSABLE.search(text)
    return bad[0] if bad else None


def read_text(path: Path, problems: Problems) -> str | None:
    """A file's text as UTF-8 with newlines normalised, or None after reporting why not."""
    try:
        data = path.read_bytes()
    except OSError as e:
        problems.error(path, 0, f"cannot read file: {e.strerror or e}")
        return None
    return decode_text(data, path, problems)


def decode_text(data: bytes, path: Path, problems: Problems) -> str | None:
    """*data* (the contents of *path*) as text, as read_text reads it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(path, 1, "file is UTF-16 encoded; save it with UTF-8 encoding")
        return None
    if b"\0" in data[:8192]:
        # Line 1 (a binary file has no lines), so a GitHub annotation lands on the file.
        problems.error(
            path,
            1,
            "this is not a text file (it contains NUL bytes); "
            "incidents/ holds only Markdown incident files",
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        problems.error(path, line, "file is not valid UTF-8; save it with UTF-8 encoding")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if bad := _UNUSABLE.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        problems.error(
            path,
            line,
            f"the control character U+{ord(bad[0]):04X} is not allowed in text; remove it",
        )
        return None
    return text


def boolean_problem(key: str, value: object) -> str | None:
    """Why *value* is not a YAML boolean for `key:`, or None if it is one.

    `collapsed: 'false'` is the text "false", which Python reads as true: refuse it and
    say how to write the boolean."""
    if isinstance(value, bool):
        return None
    word = value.strip().lower() if isinstance(value, str) else None
    if word in ("true", "yes", "on", "false", "no", "off"):
        meant = "true" if word in ("true", "yes", "on") else "false"
        return (
            f"`{key}:` must be true or false, not the text {value!r} (did you mean {meant}?): "
            f"write {meant} without quotes"
        )
    return f"`{key}:` must be true or false"
