"""The manual's generated reference, written from the code at every docs build so it
cannot drift: the command line from the click commands, the output formats from their
JSON Schemas. A Sphinx extension (docs/conf.py loads it); tests/test_docs.py imports the
same functions to fail when a command or option has no help text.

A page asks for a generated part with a marker line: `<!-- generated: cli -->` or
`<!-- generated: schemas -->`."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

import click

REPO = Path(__file__).resolve().parent.parent.parent
MARKER = re.compile(r"^<!-- generated: (\w+) -->$", re.MULTILINE)
# The schemas of what the build writes, in the order the page lists them. The v2 API's
# shared objects (objects.json) are inlined where the endpoints use them.
SCHEMAS = (
    "tests/schemas/summary.json",
    "tests/schemas/status.json",
    "tests/schemas/components.json",
    "tests/schemas/incidents.json",
    "tests/schemas/incidents-unresolved.json",
    "tests/schemas/scheduled-maintenances.json",
    "tests/schemas/scheduled-maintenances-upcoming.json",
    "tests/schemas/scheduled-maintenances-active.json",
    "tests/schemas/root-status.json",
    "tests/schemas/badge.json",
    "statuspage/review/diff.schema.json",
    "statuspage/notify/payload.schema.json",
)


# --- the command line --------------------------------------------------------------------


class Command(NamedTuple):
    """One command of the CLI: its words (`statuspage import cstate`) and click object."""

    path: str
    command: click.Command
    context: click.Context


def commands() -> list[Command]:
    """Every command and sub-command of `statuspage`, the top one first, then by name."""
    from statuspage.commands.main import cli

    found: list[Command] = []

    def walk(command: click.Command, path: str, context: click.Context) -> None:
        found.append(Command(path, command, context))
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    walk(sub, f"{path} {name}", click.Context(sub, parent=context, info_name=name))

    walk(cli, "statuspage", click.Context(cli, info_name="statuspage"))
    return found


def undocumented(found: list[Command]) -> list[str]:
    """The commands and options without help text (arguments are named in the usage line
    and explained in their command's help)."""
    missing = [c.path for c in found if not (c.command.help or "").strip()]
    for c in found:
        for param in c.command.params:
            if (
                isinstance(param, click.Option)
                and not param.hidden
                and not (param.help or "").strip()
            ):
                missing.append(f"{c.path} {param.opts[0]}")
    return missing


def _markdown_text(text: str) -> str:
    """Help text as Markdown: code spans kept, other characters Markdown reads escaped."""
    parts = re.split(r"(`[^`]*`)", " ".join(text.split()))
    return "".join(
        part if part.startswith("`") else re.sub(r"([\\*_<>\[\]|#])", r"\\\1", part)
        for part in parts
    )


def _help(command: click.Command) -> str:
    """The command's help, its paragraphs kept (click's `\\b` markers dropped)."""
    paragraphs = [p.replace("\b", "").strip() for p in (command.help or "").split("\n\n")]
    return "\n\n".join(_markdown_text(p) for p in paragraphs if p)


def _option_row(option: click.Option, context: click.Context) -> str:
    """One table row: the option's spellings with what it takes, and its help."""
    metavar = "" if option.is_flag else f" {option.make_metavar(context)}"
    # A table cell: `|` (as in a choice's `[text|github]`) is escaped, even in code.
    spellings = ", ".join(f"`{opt}{metavar}`" for opt in [*option.opts, *option.secondary_opts])
    spellings = spellings.replace("|", "\\|")
    help_text = _markdown_text(option.help or "")
    if isinstance(option.type, click.Choice):
        help_text += " One of " + ", ".join(f"`{c}`" for c in option.type.choices) + "."
    default = option.default
    if option.show_default and default is not None and not option.is_flag and not callable(default):
        help_text += f" Default: `{default}`."
    return f"| {spellings} | {help_text} |"


def cli_reference() -> str:
    """Markdown for every command: its usage, help and options."""
    blocks: list[str] = []
    for c in commands():
        usage = " ".join(c.command.collect_usage_pieces(c.context))
        block = [f"## `{c.path}`", "", "```text", f"{c.path} {usage}".rstrip(), "```", ""]
        block += [_help(c.command), ""]
        options = [p for p in c.command.params if isinstance(p, click.Option) and not p.hidden]
        if options:
            block += ["| option | what it does |", "|---|---|"]
            block += [_option_row(o, c.context) for o in options]
            block.append("")
        if isinstance(c.command, click.Group):
            names = [s.path for s in commands() if s.path.startswith(c.path + " ")]
            subs = [n for n in names if n.count(" ") == c.path.count(" ") + 1]
            block += ["Commands: " + ", ".join(f"[`{n}`](#{_slug(n)})" for n in subs), ""]
        blocks.append("\n".join(block))
    return "\n".join(blocks)


def _slug(heading: str) -> str:
    """The anchor MyST gives a heading (GitHub's rule)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


# --- output formats ----------------------------------------------------------------------


class Field(NamedTuple):
    """One field of a JSON document: where it is, what it holds, and whether it is always there."""

    path: str
    kind: str
    required: bool
    about: str


def _inline(schema: Any, base: Path, root: dict[str, Any], depth: int = 0) -> Any:
    """*schema* with every `$ref` replaced by what it points to (in another file, or
    within *root*), and `allOf` merged into one object."""
    if isinstance(schema, list):
        return [_inline(s, base, root, depth) for s in schema]
    if not isinstance(schema, dict) or depth > 20:
        return schema
    if "$ref" in schema:
        where, _, pointer = schema["$ref"].partition("#")
        if where:
            base = base.parent / where
            root = json.loads(base.read_text(encoding="utf-8"))
        target: Any = root
        for part in [p for p in pointer.split("/") if p]:
            target = target[part]
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return _merge(_inline(target, base, root, depth + 1), _inline(rest, base, root, depth + 1))
    inlined = {k: _inline(v, base, root, depth + 1) for k, v in schema.items()}
    for part in inlined.pop("allOf", []):
        inlined = _merge(part, inlined)
    return inlined


def _merge(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Two schemas a value must both meet, as one: properties merged, required joined."""
    properties = dict(one.get("properties", {}))
    for name, sub in other.get("properties", {}).items():
        properties[name] = _merge(properties.get(name, {}), sub)
    merged = {**one, **other}
    if properties:
        merged["properties"] = properties
    required = [*one.get("required", []), *other.get("required", [])]
    if required:
        merged["required"] = list(dict.fromkeys(required))
    return merged


def _kind(schema: dict[str, Any]) -> str:
    """A short description of the values a schema allows."""
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    options = schema.get("anyOf", schema.get("oneOf"))
    if options:
        return " or ".join(_kind(o) for o in options)
    types = schema.get("type", "any")
    words = " or ".join(types) if isinstance(types, list) else str(types)
    if "format" in schema:
        words += f" ({schema['format']})"
    return words


def _fields(schema: dict[str, Any], path: str) -> list[Field]:
    """Every field below an inlined *schema*, depth first; `[]` marks a list's items."""
    found: list[Field] = []
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        where = f"{path}.{name}" if path else name
        about = " ".join(str(sub.get("description", "")).split())
        found.append(Field(where, _kind(sub), name in required, about))
        found += _fields(sub, where)
    if isinstance(schema.get("items"), dict):
        found += _fields(schema["items"], f"{path}[]")
    return found


def schema_fields(relative: str) -> tuple[str, str, list[Field]]:
    """A schema file's title, description and every field."""
    path = REPO / relative
    schema = json.loads(path.read_text(encoding="utf-8"))
    return (
        schema.get("title", relative),
        schema.get("description", ""),
        _fields(_inline(schema, path, schema), ""),
    )


def history_schema_fields() -> tuple[str, str, list[Field]]:
    """The same for `api/history.schema.json`, which the build writes from code."""
    from statuspage.outputs.history_schema import SCHEMA

    inlined = _inline(SCHEMA, REPO / "api" / "history.schema.json", SCHEMA)
    return SCHEMA["title"], SCHEMA.get("description", ""), _fields(inlined, "")


def schema_reference() -> str:
    """Markdown for every output schema: a table of its fields."""
    blocks: list[str] = []
    documents = [(s, *schema_fields(s)) for s in SCHEMAS]
    documents.append(("api/history.schema.json", *history_schema_fields()))
    for source, title, description, fields in documents:
        block = [f"### {_markdown_text(title)}", "", f"Schema: `{source}`.", ""]
        if description:
            block += [_markdown_text(description), ""]
        block += ["| field | type | always there | what it is |", "|---|---|---|---|"]
        for f in fields:
            always = "yes" if f.required else "no"
            block.append(f"| `{f.path}` | {f.kind} | {always} | {_markdown_text(f.about)} |")
        blocks.append("\n".join([*block, ""]))
    return "\n".join(blocks)


GENERATORS = {"cli": cli_reference, "schemas": schema_reference}


def expand(text: str) -> str:
    """*text* with each marker line replaced by what it asks for."""
    return MARKER.sub(lambda m: GENERATORS[m[1]](), text)


# --- Sphinx ------------------------------------------------------------------------------


def _source_read(app: Any, docname: str, source: list[str]) -> None:
    source[0] = expand(source[0])


# Where the repository's own Markdown files are in the manual, for the files it includes.
MANUAL_PAGES = {
    "README.md": "../index.md",
    "CONTRIBUTING.md": "contributing.md",
    "ARCHITECTURE.md": "architecture.md",
}
LINK = re.compile(r"\[([^\]]+)\]\(([^)#:]+)\)")


def repository_links(text: str) -> str:
    """The links of a file the manual includes (CONTRIBUTING.md, ARCHITECTURE.md, in
    development/) made to work from there: to the manual's own copy of a page it has,
    else to the repository's file."""

    def fix(m: re.Match[str]) -> str:
        title, target = m[1], m[2]
        if target in MANUAL_PAGES:
            return f"[{title}]({MANUAL_PAGES[target]})"
        if target.startswith("docs/") and target.endswith(".md"):
            return f"[{title}](../{target.removeprefix('docs/')})"
        return "{source}`" + title.replace("`", "") + " <" + target + ">`"

    return LINK.sub(fix, text)


def _include_read(app: Any, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    content[0] = repository_links(content[0])


def _source_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> Any:
    """{source}`title <path>`: a file of the repository, linked to the repository's copy of
    it when DOCS_SOURCE_URL is set (the docs workflow sets it), else shown as its path."""
    from docutils import nodes  # type: ignore[import-untyped]
    from sphinx.util.nodes import split_explicit_title

    _, title, target = split_explicit_title(text)
    if not (REPO / target).exists():
        message = inliner.reporter.error(
            f"{{source}}: no such file in the repository: {target}", line=lineno
        )
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    base = os.environ.get("DOCS_SOURCE_URL", "")
    literal = nodes.literal(title, title)
    if not base:
        return [literal], []
    return [nodes.reference(rawtext, "", literal, refuri=base.rstrip("/") + "/" + target)], []


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", _source_read)
    app.connect("include-read", _include_read)
    app.add_role("source", _source_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
