"""The statuspage.yaml reference, made from the schema the parsers use
(source/config_schema.py, source/section_schemas.py), so the two cannot drift.

Regenerate the committed page after changing a key:

    python -m statuspage.source.config_reference docs/reference/configuration.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from statuspage.source.config_schema import (
    AUDIENCE,
    COMPONENT,
    GROUP,
    SUBSCRIBE,
    TOP_LEVEL,
    UPSTREAM,
    Key,
    Section,
)
from statuspage.source.section_schemas import (
    ALERTS,
    EMAIL,
    NOTIFY,
    RULE,
    SMTP,
    WEBHOOK,
)

REFERENCE_PATH = "docs/reference/configuration.md"
COMMAND = f"python -m statuspage.source.config_reference {REFERENCE_PATH}"
# In the order a reader meets them in a file.
SECTIONS: tuple[Section, ...] = (
    *(TOP_LEVEL, COMPONENT, GROUP, SUBSCRIBE, AUDIENCE),
    *(NOTIFY, WEBHOOK, EMAIL, SMTP, ALERTS, RULE, UPSTREAM),
)
COLUMNS = ("Key", "Type", "Default", "Allowed values", "Description", "Example")


def _cell(text: str) -> str:
    """Text in a Markdown table cell: a `|` would end the cell."""
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{_cell(text)}`" if text else ""


def _default(key: Key) -> str:
    """A value as code; a rule ("from its name") as words."""
    if key.required:
        return "required"
    if not key.default:
        return "none"
    return _cell(key.default) if " " in key.default else _code(key.default)


def _row(key: Key) -> str:
    default = _default(key)
    cells = (
        _code(key.name),
        _cell(key.type),
        default,
        ", ".join(_code(a) for a in key.allowed),
        _cell(key.description),
        _code(key.example),
    )
    return "| " + " | ".join(cells) + " |"


def _section(section: Section) -> list[str]:
    return [
        f"## `{section.name}`",
        "",
        section.description,
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *(_row(k) for k in section.keys),
        "",
    ]


def reference_markdown() -> str:
    """The whole reference page, as Markdown."""
    lines = [
        "# Configuration reference: `statuspage.yaml`",
        "",
        "Every key `statuspage check` accepts, with its type, default, allowed values, "
        "a description and an example. A key not listed here is an error "
        "(with a suggestion when it looks like a typo); every error names its line.",
        "",
        f"This page is generated from the schema the checks use; to change it, edit "
        f"`statuspage/source/config_schema.py` or `statuspage/source/section_schemas.py` "
        f"and run `{COMMAND}`.",
        "",
    ]
    for section in SECTIONS:
        lines += _section(section)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Write the reference to the path given (the committed page's, by default)."""
    target = Path(argv[0] if argv else REFERENCE_PATH)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(reference_markdown(), encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
