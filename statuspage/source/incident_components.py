"""Components as an incident names them: `{id: status}` in the front matter or a
`Components:` line, ids matched to statuspage.yaml's, and the impact their statuses imply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from statuspage.errors import Problems
from statuspage.model import ComponentStatus, Config, Impact
from statuspage.source.names import listing, shorten, suggest
from statuspage.source.yamlfile import YamlList, YamlMap

MAX_UNKNOWN_KEYS_SHOWN = 10


def component_id(typed: object, known: list[str]) -> str | None:
    """The configured id *typed* means: itself, or the one id equal to it ignoring case."""
    if typed in known:
        return str(typed)
    folded = [k for k in known if isinstance(typed, str) and k.lower() == typed.lower()]
    return folded[0] if len(folded) == 1 else None


def parse_components(
    value: Any,
    line_of: Any,
    path: Path,
    config: Config,
    problems: Problems,
    *,
    default: ComponentStatus | None,
    unknown: list[int] | None = None,
) -> list[tuple[str, ComponentStatus]]:
    """`{id: status}` (or, where *default* is given, a plain list of ids).

    The lines of unknown ids go into *unknown* (the whole file's): only the first few
    are reported one by one, with a "did you mean" each; the caller reports the rest."""
    result: list[tuple[str, ComponentStatus]] = []
    known = config.component_ids
    if isinstance(value, YamlList) and default is not None:
        pairs = [(item, default, ln) for item, ln in zip(value, value.item_lines, strict=True)]
    elif isinstance(value, YamlMap):
        pairs = [(k, v, value.line_of(k)) for k, v in value.items()]
    else:
        hint = " or a list of ids" if default is not None else ""
        problems.error(
            path,
            line_of,
            f"`components:` must map component ids to statuses (api: partial_outage){hint}",
        )
        return result
    own = unknown is None
    unknown = [] if unknown is None else unknown
    for typed, raw, line in pairs:
        cid = component_id(typed, known)
        if cid is None:
            unknown.append(line)
            if len(unknown) <= MAX_UNKNOWN_KEYS_SHOWN:
                problems.error(
                    path,
                    line,
                    f"unknown component {shorten(str(typed))!r}{suggest(typed, known)}; "
                    "components are defined in statuspage.yaml "
                    f"(known: {listing(known, empty='none yet')})",
                )
            continue
        status = raw if isinstance(raw, ComponentStatus) else ComponentStatus.parse(raw)
        if status is None:
            problems.error(
                path,
                line,
                f"unknown component status {raw!r}{suggest(raw, ComponentStatus.words())} "
                f"(expected: {', '.join(ComponentStatus.words())})",
            )
            continue
        result.append((cid, ComponentStatus(status)))
    if own:
        more_unknown_components(unknown, path, problems)
    return result


def more_unknown_components(unknown: list[int], path: Path, problems: Problems) -> None:
    """One error for the unknown component ids past the first few (their lines): a file of
    a thousand typos, each with a "did you mean" and the known ids, took minutes and megabytes."""
    rest = unknown[MAX_UNKNOWN_KEYS_SHOWN:]
    if rest:
        numbers = sorted(set(rest))
        lines = ", ".join(str(n) for n in numbers[:5]) + (", …" if len(numbers) > 5 else "")
        more = f"{len(rest):,} more unknown component{'s' if len(rest) > 1 else ''}"
        message = f"and {more} (line{'s' if len(numbers) > 1 else ''} {lines}; not listed)"
        problems.error(path, rest[0], message)


def impact_of(components: list[tuple[str, ComponentStatus]]) -> Impact:
    """The impact implied by component statuses, as the hosted product derives it."""
    worst = max((s for _, s in components), default=ComponentStatus.OPERATIONAL)
    return {
        ComponentStatus.MAJOR_OUTAGE: Impact.CRITICAL,
        ComponentStatus.PARTIAL_OUTAGE: Impact.MAJOR,
        ComponentStatus.DEGRADED_PERFORMANCE: Impact.MINOR,
    }.get(worst, Impact.NONE)
