"""The golden trees of the `audiences` case leak nothing: each audience's expected tree
holds every marker it may see and none it may not.

tests/golden/audiences/input writes a marker (a `ZQ-...`/`zq-...` string found nowhere
else) into the id, name, title or body of each item only some audiences may see, into
each audience's own settings, and into each notify endpoint. test_golden.py proves the
build gives these trees byte for byte; this reads every path and byte of them, so a leak
cannot be accepted into a golden tree by `--update-golden` and a quick review.
"""

from __future__ import annotations

import pytest

from .support.golden_trees import GOLDEN, read_tree

CASE = GOLDEN / "audiences"
# Each audience's expected tree, narrowest trust first (as `build -o` names the folders).
TREES = {"public": "expected", "partners": "expected-partners", "internal": "expected-internal"}
# What is marked for an audience: seen by it and by every audience after it.
MARKED = {
    "partners": (
        "zq-partners-sandbox",  # a component's id, in a public group
        "ZQ-partners-component",  # its name
        "zq-partners-upgrade",  # a maintenance's id (its file's name)
        "ZQ-partners-maintenance",  # its title
        "ZQ-partners-body",  # its update
        "ZQ-partners-note",  # a partners-only update of a public incident
    ),
    "internal": (
        "zq-internal-db",  # a component's id
        "ZQ-internal-component",  # its name
        "zq-internal-back-office",  # a group's id
        "ZQ-internal-group",  # its name
        "zq-internal-billing",  # its member's id
        "ZQ-internal-member",  # the member's name
        "zq-internal-backlog",  # an incident's id
        "ZQ-internal-incident",  # its title
        "ZQ-internal-body",  # its update
        "ZQ-internal-note",  # an internal-only update of a public incident
    ),
}
# An audience's own settings: in its tree alone.
OWN = {
    "partners": (
        "https://partners.status.acme.example/",
        "Acme Partner Status",
        "webhooks and the partner sandbox",
    ),
    "internal": ("https://status.internal.acme.example/", "Acme Internal", "#7a1fa2"),
}
# The notify endpoints' URLs (one a `${VAR}`): no page shows them.
NOWHERE = ("ZQ-public-hook", "ZQ-partners-hook", "ZQ_INTERNAL_HOOK_URL")


def searchable(files: dict[str, bytes]) -> dict[str, bytes]:
    """Each file's path and bytes, by path; calendar lines unfolded (RFC 5545 folds at
    75 octets, which could split a marker)."""
    return {
        path: path.encode() + b"\n" + data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        for path, data in files.items()
    }


def found(markers: list[str], files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each of *markers* found in *files*, with the paths of the files that hold it."""
    where = {m: [path for path, text in files.items() if m.encode() in text] for m in markers}
    return {m: paths for m, paths in where.items() if paths}


def may_see(audience: str) -> list[str]:
    order = list(TREES)
    narrower = order[: order.index(audience) + 1]
    return [m for a in narrower for m in MARKED.get(a, ())] + list(OWN.get(audience, ()))


def may_not_see(audience: str) -> list[str]:
    every = [m for markers in (*MARKED.values(), *OWN.values()) for m in markers]
    return [m for m in every if m not in may_see(audience)] + list(NOWHERE)


@pytest.mark.parametrize("audience", TREES)
def test_each_tree_holds_every_marker_it_may_see_and_none_it_may_not(audience: str) -> None:
    """The internal tree so holds every marker: none is misspelt here (found nowhere, so
    never a leak)."""
    files = searchable(read_tree(CASE / TREES[audience]))
    leaked = found(may_not_see(audience), files)
    assert leaked == {}, f"tests/golden/audiences/{TREES[audience]} leaks: {leaked}"
    shown = found(may_see(audience), files)
    assert [m for m in may_see(audience) if m not in shown] == []


def test_every_tree_is_checked_and_every_endpoint_is_in_the_input() -> None:
    assert {p.name for p in CASE.glob("expected*")} == set(TREES.values())
    config = (CASE / "input" / "statuspage.yaml").read_text(encoding="utf-8")
    assert [marker for marker in NOWHERE if marker not in config] == []
