"""ARCHITECTURE.md's promises about the code itself: each stage imports only the stages
before it (the one-way rule), and outputs/ reads no file: once source/ has loaded the
Site, making every output of a build touches no file system at all."""

from __future__ import annotations

import ast
import codecs
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from statuspage.pipeline.build import build
from tests.conftest import SiteDir, at, write

PACKAGE = Path(__file__).resolve().parent.parent / "statuspage"

# ARCHITECTURE.md's floors, lowest first: a module imports only from its own floor or a
# lower one, and no two rooms import each other (directly or round about).
FLOORS: tuple[tuple[str, ...], ...] = (
    ("__init__", "words", "model", "errors", "labels", "theme", "files"),
    ("source",),
    ("state",),
    ("outputs",),
    ("pipeline",),
    ("notify", "importers", "authoring", "preview"),
    ("upstream", "alerts", "review"),
    ("commands",),
    ("__main__",),
)
FLOOR = {room: number for number, rooms in enumerate(FLOORS) for room in rooms}


def _modules() -> Iterator[tuple[str, ast.Module]]:
    """Each module of the package as (its room, its syntax tree)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        room = rel.parts[0].removesuffix(".py")
        yield room, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _room_of(name: str) -> str:
    found = (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()
    return name if found else "__init__"


def _imported_rooms(tree: ast.Module) -> set[str]:
    """The package's rooms *tree* imports from, wherever the import stands (in a
    function, under TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, "the package imports absolutely"
            names = [node.module]
            if node.module == "statuspage":  # `from statuspage import __version__` is __init__'s
                names = [f"statuspage.{_room_of(alias.name)}" for alias in node.names]
        found |= {name.split(".")[1] for name in names if name.startswith("statuspage.")}
    return found


def _room_imports() -> dict[str, set[str]]:
    imports: dict[str, set[str]] = {}
    for room, tree in _modules():
        imports.setdefault(room, set()).update(_imported_rooms(tree) - {room})
    return imports


def test_every_room_of_the_package_is_on_a_floor() -> None:
    unplaced = sorted(set(_room_imports()) - set(FLOOR))
    assert unplaced == [], "add these to FLOORS here and to ARCHITECTURE.md's one-way rule"


def test_no_import_runs_back_up_a_floor() -> None:
    upward = sorted(
        f"{room} imports {other}"
        for room, others in _room_imports().items()
        for other in others
        if FLOOR[other] > FLOOR[room]
    )
    assert upward == []


def test_no_two_rooms_import_each_other() -> None:
    imports = _room_imports()

    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            for other in imports.get(todo.pop(), set()):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return seen

    cycles = sorted(room for room in imports if room in reaches(room))
    assert cycles == []


# What reading, listing or changing files (and starting processes, opening sockets) raises
# as audit events; `os.stat` raises none, so the gate wraps it and `os.lstat` itself.
_EVENT_PREFIXES = ("open", "os.", "shutil.", "glob.", "pathlib.", "subprocess.", "socket.")


class FileGate:
    """Records file-system access while armed: one audit hook for the whole session (a
    hook cannot be removed), doing nothing while no test has armed it."""

    def __init__(self) -> None:
        self.on = False
        self.seen: list[str] = []

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.on and event.startswith(_EVENT_PREFIXES):
            self.seen.append(f"{event} {args[0] if args else ''!r}")

    def watched(self, name: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def watching(path: Any, *args: Any, **kwargs: Any) -> Any:
            if self.on:
                self.seen.append(f"{name} {path!r}")
            return call(path, *args, **kwargs)

        return watching

    @contextmanager
    def armed(self) -> Iterator[list[str]]:
        """What is accessed inside the block."""
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "stat", self.watched("os.stat", os.stat))
            patch.setattr(os, "lstat", self.watched("os.lstat", os.lstat))
            self.seen = []
            self.on = True
            try:
                yield self.seen
            finally:
                self.on = False


@pytest.fixture(scope="session")
def file_gate() -> FileGate:
    gate = FileGate()
    sys.addaudithook(gate.hook)
    return gate


LOGO = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>\n'
WORDS = {"en": "Wobbly", "de": "Wackelig"}  # each language's own "Minor Service Disruption"


@pytest.fixture
def full_site(tmp_path: Path) -> SiteDir:
    """A site using every input a build reads: its own templates, its own wording in two
    languages, a logo, incidents with a published postmortem."""
    site = SiteDir(tmp_path / "site", CONFIG)
    site.incident(
        "2026-11-20-api-slow.md",
        """\
        ---
        title: API slow
        impact: major
        components: {api: major_outage}
        ---

        ## Resolved · 2026-11-20 11:00 +01:00
        Fixed.

        ## Investigating · 2026-11-20 10:00 +01:00
        Looking into it.
        """,
    )
    site.incident(
        "2026-11-21-db-down.md",
        """\
        ---
        title: Database slow
        impact: minor
        components: {db: degraded_performance}
        ---

        ## Identified · 2026-11-21 09:00 +01:00
        A **disk** filled up.
        """,
    )
    site.incident(
        "2026-11-20-api-slow.postmortem.md",
        """\
        ---
        published: 2026-11-21 08:00
        ---

        ## What happened

        A pool ran dry.
        """,
    )
    lost = "{% block main %}<h1>Lost, sorry</h1>{% endblock %}"
    write(site.root / "site-templates" / "404.html", '{% extends "default/404.html" %}' + lost)
    for language, words in WORDS.items():
        po = f'msgid "Minor Service Disruption"\nmsgstr "{words}"\n'
        write(site.root / "translations" / f"{language}.po", po)
    (site.root / "logo.svg").write_bytes(LOGO)
    return site


CONFIG = """\
title: Example Status
base_url: https://status.example.com/
cname: status.example.com
timezone: Europe/Berlin
languages: [en, de]
logo: logo.svg
components:
  - id: api
    name: Public API
  - group: Website
    id: website
    components:
      - {id: web, name: Marketing site}
  - id: db
    name: Database
    slo: 99.9
"""


def test_making_every_output_reads_no_file(full_site: SiteDir, file_gate: FileGate) -> None:
    site = full_site.load()
    now = at("2026-11-21T12:00:00Z")
    # Python imports a codec on its first use: Jinja's lexer uses this one for a string
    # literal with a backslash. Loading code is not reading the site.
    codecs.lookup("unicode_escape")
    # Pillow is imported by the first card image made (outputs/card_image.py), so a build
    # that reuses every card never loads it; its font comes from memory, not a file.
    from PIL import Image, ImageDraw, ImageFont  # noqa: F401

    Image.preinit()  # the format plugins `save` imports on first use
    with file_gate.armed() as seen:
        built = build(site, now)  # the Snapshot, every stage, every Output's make()
    assert seen == []
    # ... and what it made holds what those files say.
    assert built["logo.svg"] == LOGO
    lost = lxml_html.fromstring(built["404.html"])
    assert lost.xpath("string(//h1)") == "Lost, sorry"
    assert "A pool ran dry." in built["incidents/2026-11-20-api-slow/index.html"].decode()
    for language, words in WORDS.items():
        index = "index.html" if language == "en" else f"{language}/index.html"
        assert lxml_html.fromstring(built[index]).xpath("string(//h1)").strip() == words


# What outputs/ must never call: reading and listing files is source/'s work.
_IO_CALLS = {
    "open", "read_text", "read_bytes", "write_text", "write_bytes", "stat", "lstat", "exists",
    "is_file", "is_dir", "iterdir", "glob", "rglob", "resolve", "listdir", "scandir", "walk",
    "open_code", "import_module", "entry_points", "files", "as_file",
}  # fmt: skip


# ... nor import what does: modules for files, processes, the network, loading code by name.
_IO_MODULES = {
    "os", "pathlib", "shutil", "glob", "tempfile", "io.open", "importlib", "subprocess", "socket",
    "urllib", "http", "mmap", "fileinput", "linecache", "zipfile", "tarfile", "sqlite3",
}  # fmt: skip


def test_outputs_modules_call_no_file_functions() -> None:
    calls = []
    for path in sorted((PACKAGE / "outputs").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            imported = []
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            calls += [f"{path.name}:{node.lineno}: import {name}" for name in imported
                      if name in _IO_MODULES or name.split(".")[0] in _IO_MODULES]  # fmt: skip
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in _IO_CALLS:
                    calls.append(f"{path.name}:{node.lineno}: {name}()")
    assert calls == []
