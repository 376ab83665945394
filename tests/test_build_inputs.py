"""Every input a build reads, changed one at a time: the rebuild makes every output whose
bytes change (no stale page, whatever was changed), reuses what cannot have changed,
and equals a build from scratch byte for byte.

Each build goes through the one build function (`run_build`), whose report names the
outputs it made; the rest were reused from the last build.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from statuspage.pipeline import fingerprint
from statuspage.pipeline.build import build
from statuspage.pipeline.run import BuildReport, run_build
from statuspage.source.site import load_site

from .conftest import REPO

NOW = "2026-12-05T10:00:00Z"
LATER = "2026-12-05T10:15:00Z"
LOGIN = "incidents/2026-11-12-login-outage.md"
API = "incidents/2026-11-20-api-errors.md"
MAINTENANCE = "incidents/2026-12-03-network-maintenance.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".statuspage-build"
    }


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The repository's own example site (incidents of every kind, a postmortem), with a
    logo and a string override of its own."""
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "statuspage.yaml", root / "statuspage.yaml")
    shutil.copytree(REPO / "incidents", root / "incidents")
    config = root / "statuspage.yaml"
    config.write_text(config.read_text() + "logo: logo.svg\n")
    (root / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    (root / "translations").mkdir()
    (root / "translations" / "en.po").write_text('msgid "History"\nmsgstr "Past incidents"\n')
    return root


class Builds:
    """Builds of one source into one folder, at a `now` that can be moved."""

    def __init__(self, source: Path, out: Path) -> None:
        self.source, self.out, self.now = source, out, NOW
        self.last: dict[str, bytes] = {}

    def clock(self, config: object) -> datetime:
        return datetime.fromisoformat(self.now)

    def rebuild(self) -> tuple[BuildReport, set[str]]:
        """Build; the report and the paths whose bytes differ from the last build's."""
        report = run_build(self.source, self.out, self.clock)
        now = tree(self.out)
        changed = {
            rel for rel in now.keys() | self.last.keys() if now.get(rel) != self.last.get(rel)
        }
        self.last = now
        site, problems = load_site(self.source)
        assert site is not None, problems.items
        cold = build(site, report.now)
        assert now == cold, sorted(
            rel for rel in now.keys() | cold.keys() if now.get(rel) != cold.get(rel)
        )
        return report, changed


@pytest.fixture
def builds(source: Path, tmp_path: Path) -> Builds:
    builds = Builds(source, tmp_path / "out")
    first, _ = builds.rebuild()
    assert set(first.made) == set(builds.last)  # a first build makes every output
    again, changed = builds.rebuild()
    assert again.up_to_date and not changed
    return builds


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


# An input of each kind, changed: (what, change, outputs that must be reused).
def page_of(incident: str) -> str:
    return incident.removesuffix(".md") + "/index.html"


Change = Callable[[Path, Builds], None]
CHANGES: dict[str, tuple[Change, set[str]]] = {
    "config: title": (
        lambda root, b: edit(
            root / "statuspage.yaml", "title: Acme Status", "title: Acme Status Page"
        ),
        set(),
    ),
    "config: a component's name": (
        lambda root, b: edit(root / "statuspage.yaml", "name: Sign-in", "name: Login"),
        set(),
    ),
    "incident: title": (
        lambda root, b: edit(
            root / LOGIN, "title: Sign-in unavailable", "title: Login unavailable"
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: impact": (
        lambda root, b: edit(root / LOGIN, "impact: critical", "impact: major"),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: components": (
        lambda root, b: edit(
            root / LOGIN, "  dashboard: partial_outage\n", "  dashboard: degraded_performance\n"
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: an update's body": (
        lambda root, b: edit(root / LOGIN, "Sign-in works again", "Signing in works again"),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: an update's time": (
        lambda root, b: edit(
            root / LOGIN, "## Resolved · 2026-11-12 09:41", "## Resolved · 2026-11-12 09:51"
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: an update's status": (
        lambda root, b: edit(
            root / LOGIN, "## Identified · 2026-11-12 09:20", "## Monitoring · 2026-11-12 09:20"
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: urgency": (
        lambda root, b: edit(
            root / LOGIN, "impact: critical\n", "impact: critical\nurgency: high\n"
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: detected": (
        lambda root, b: edit(
            root / LOGIN,
            "impact: critical\n",
            "impact: critical\ndetected: 2026-11-12 08:55 +01:00\n",
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: alerts": (
        lambda root, b: edit(
            root / LOGIN,
            "impact: critical\n",
            "impact: critical\nalerts: [alertmanager:31b4434c]\n",
        ),
        {page_of(API), page_of(MAINTENANCE)},
    ),
    "incident: maintenance window": (
        lambda root, b: edit(root / MAINTENANCE, "end: 2026-12-03 03:00", "end: 2026-12-03 03:30"),
        {page_of(API), page_of(LOGIN)},
    ),
    "incident: postmortem": (
        lambda root, b: edit(
            root / "incidents/2026-11-20-api-errors.postmortem.md",
            "## Summary\n",
            "## Summary\n\nRevised.\n",
        ),
        {page_of(LOGIN), page_of(MAINTENANCE)},
    ),
    "templates": (lambda root, b: _own_template(root), set()),
    "translations": (
        lambda root, b: edit(
            root / "translations/en.po", 'msgstr "Past incidents"', 'msgstr "Incident archive"'
        ),
        set(),
    ),
    # The logo's bytes are a Site field, in every key (inputs.site_slices): every output is remade.
    "logo": (
        lambda root, b: (root / "logo.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
        ),
        set(),
    ),
    "now": (
        lambda root, b: setattr(b, "now", LATER),
        {page_of(API), page_of(LOGIN), page_of(MAINTENANCE)},
    ),
}


def _own_template(root: Path) -> None:
    """The site's own copy of the theme, its page frame reworded."""
    from statuspage.theme import TEMPLATES_DIR, default_templates_dir

    shutil.copytree(default_templates_dir(), root / TEMPLATES_DIR)
    edit(
        root / TEMPLATES_DIR / "base.html",
        "<span>{{ config.title }}</span>",
        "<span>{{ config.title }}!</span>",
    )


@pytest.mark.parametrize("kind", list(CHANGES))
def test_a_changed_input_remakes_what_shows_it_and_reuses_the_rest(
    builds: Builds, source: Path, kind: str
) -> None:
    change, reused = CHANGES[kind]
    change(source, builds)
    report, changed = builds.rebuild()
    assert not report.up_to_date
    stale = changed - set(report.made) - {rel for rel in changed if rel not in builds.last}
    assert not stale, f"changed but not made: {sorted(stale)}"
    assert not reused & set(report.made), (
        f"made, though it cannot show the change: {sorted(reused & set(report.made))}"
    )


@pytest.fixture
def new_library(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A new version of a library that shapes output (as after `pip install -U`)."""
    real = fingerprint.library_versions
    monkeypatch.setattr(fingerprint, "library_versions", lambda: [*real(), "markdown=99"])
    fingerprint.code_fingerprint.cache_clear()
    yield
    fingerprint.code_fingerprint.cache_clear()


def test_new_library_versions_remake_every_output(builds: Builds, new_library: None) -> None:
    report, _ = builds.rebuild()
    assert not report.up_to_date
    assert set(report.made) == set(builds.last)


def _other(value: object) -> object:
    """A different value of *value*'s kind (teach it a new kind when Site gains one)."""
    from collections.abc import Mapping
    from dataclasses import fields, is_dataclass, replace
    from pathlib import PurePath, PurePosixPath

    from statuspage.model import Config, Logo, TemplateFile, Theme

    if isinstance(value, Config):
        return replace(value, title=value.title + "!")
    if isinstance(value, Theme):
        return replace(
            value, own={**value.own, "another.html": TemplateFile("another.html", b"another")}
        )
    if isinstance(value, Logo):  # its bytes show only in its own file (made every build)
        return Logo(PurePosixPath("another.svg"), value.data + b"another")
    if isinstance(value, tuple):
        return (*value, "another")
    if isinstance(value, bytes):
        return value + b"another"
    if isinstance(value, Mapping):
        return {**value, "another": "value"}
    if isinstance(value, PurePath):
        return value.with_name("another")
    if is_dataclass(value) and not isinstance(value, type):
        first = fields(value)[0].name
        return replace(value, **{first: _other(getattr(value, first))})
    raise AssertionError(f"a Site field of a kind this test cannot change yet: {type(value)}")


def test_every_field_of_the_site_is_in_every_key(source: Path) -> None:
    """A field added to Site is in every output's key without anyone listing it: changing
    any field (but the incidents and postmortems, keyed per output) changes every key."""
    from dataclasses import fields, replace

    from statuspage.model import Site
    from statuspage.outputs.output import Output
    from statuspage.pipeline.inputs import NOT_AN_INPUT, PER_INCIDENT, Inputs

    site, _ = load_site(source)
    assert site is not None
    now = datetime.fromisoformat(NOW)
    keyed = Output(lambda: b"", parts=())
    key = Inputs(site, {}, None).key("any.json", keyed, now)
    names = [f.name for f in fields(Site) if f.name not in PER_INCIDENT | NOT_AN_INPUT]
    assert "config" in names and "upstream" in names
    for name in names:
        changed = replace(site, **{name: _other(getattr(site, name))})
        assert Inputs(changed, {}, None).key("any.json", keyed, now) != key, name


def _cli_build(source: Path, out: Path) -> str:
    """`statuspage build` in a process of its own, as users and CI run it; what it printed."""
    import subprocess
    import sys

    args = [
        sys.executable,
        "-m",
        "statuspage",
        "build",
        "--source",
        str(source),
        "--out",
        str(out),
        "--now",
        NOW,
    ]
    done = subprocess.run(args, capture_output=True, text=True, check=True)
    return done.stdout


def test_a_build_in_a_new_process_reuses_as_one_in_the_same_process(
    source: Path, tmp_path: Path
) -> None:
    """Keys are made of what the Site holds, never of an object's address: `statuspage build`
    (a new process each time) reuses after an edit exactly what a rebuild in one process does."""
    import re

    builds = Builds(source, tmp_path / "in-process")
    builds.rebuild()
    _cli_build(source, tmp_path / "cli")
    edit(source / LOGIN, "Sign-in works again", "Signing in works again")
    report, _ = builds.rebuild()
    printed = _cli_build(source, tmp_path / "cli")
    rendered = re.search(r"(\d+) pages? rendered", printed)
    assert rendered is not None, printed
    assert int(rendered[1]) == report.rendered
    assert report.rendered < len([rel for rel in builds.last if rel.endswith(".html")])


def test_the_logo_bytes_show_only_in_the_logo_file(source: Path) -> None:
    """What lets every other output's key hold the logo's path but not its bytes: two logos
    of one name give the same site but for the logo file, which is made on every build."""
    from statuspage.outputs.render_cache import RenderCache
    from statuspage.pipeline.build import outputs
    from statuspage.state.snapshot import Snapshot

    now = datetime.fromisoformat(NOW)
    site, _ = load_site(source)
    assert site is not None and site.logo is not None
    before = build(site, now)
    (source / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
    )
    site, _ = load_site(source)
    assert site is not None
    after = build(site, now)
    assert {rel for rel in before if before[rel] != after.get(rel)} == {"logo.svg"}
    assert outputs(Snapshot(site, now), RenderCache())["logo.svg"].parts is None


def test_a_value_keyed_by_its_address_is_refused() -> None:
    """A Site field whose repr is an address would change every key in every new process
    (no output ever reused): keying one fails loudly instead."""
    from statuspage.pipeline.inputs import value_parts

    with pytest.raises(TypeError, match="teach value_parts"):
        value_parts({"en": object()})
    assert value_parts({"en": b"x"}) == value_parts({"en": b"x"})


# What reads each change: every output (it is in every key), the outputs that show one
# incident's file (and postmortem), or none but the outputs made on every build.
EVERY = "every output"
READERS: dict[str, str | None] = {
    "config: title": EVERY,
    "config: a component's name": EVERY,
    **{kind: Path(LOGIN).stem for kind in CHANGES if kind.startswith("incident: ")},
    "incident: maintenance window": Path(MAINTENANCE).stem,
    "incident: postmortem": Path(API).stem,
    "templates": EVERY,
    "translations": EVERY,
    "logo": None,
}


@pytest.mark.parametrize("kind", list(READERS))
def test_exactly_the_outputs_that_read_a_changed_input_are_remade(
    builds: Builds, source: Path, kind: str
) -> None:
    """Made: the outputs whose bytes changed, the outputs that read the changed input and
    those made on every build (no key); every other output is reused."""
    from statuspage.outputs.render_cache import RenderCache
    from statuspage.pipeline.build import outputs
    from statuspage.state.snapshot import Snapshot

    CHANGES[kind][0](source, builds)
    report, changed = builds.rebuild()
    site, _ = load_site(source)
    assert site is not None
    found = outputs(Snapshot(site, report.now), RenderCache())
    keyless = {rel for rel, output in found.items() if output.parts is None}
    reader = READERS[kind]
    readers = (
        set(found)
        if reader == EVERY
        else {rel for rel, output in found.items() if reader in output.incidents}
    )
    assert reader is None or readers - keyless, "the change is read by some output with a key"
    # A file the build deleted was not made: only link-preview cards go, named by what they say.
    gone = changed - set(found)
    assert all(rel.startswith("og/") for rel in gone), sorted(gone)
    assert set(report.made) == (changed - gone) | keyless | readers, sorted(
        set(report.made) ^ ((changed - gone) | keyless | readers)
    )
