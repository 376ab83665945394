"""A cache never makes the output differ from what the sources say (pipeline/seal.py).

`.statuspage-cache/` sits in the site's repository: a pull request can add or edit its
files. Each tampering here is one that the parser's own rules accept (a title, a
"Resolved" update, a component's status, another file's parse, a manifest naming the
published files), made without this machine's key; every one must give exactly the
`build --no-cache` output, and `check`'s verdict must be the build's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from statuspage.model import ComponentStatus, IncidentStatus
from statuspage.pipeline.fingerprint import digest

from .conftest import SiteDir
from .support.open_incident import API_ERRORS as OPEN

NOW = "2026-11-21T12:00:00Z"
RESOLVED_AT = 1795262000 * 1_000_000  # 2026-11-21 11:53:20 UTC, before NOW, in the cache's micros
OTHER = """\
---
title: Database maintenance window
impact: minor
components: {db: degraded_performance}
---
## Resolved · 2026-11-18 10:30

Done.

## Investigating · 2026-11-18 10:00

Slow queries.
"""
API = "2026-11-20-api.md"
DB = "2026-11-18-db.md"


def statuspage(*args: str, cache_home: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795262400"}
    if cache_home is not None:  # another user, or another machine: another key
        env["XDG_CACHE_HOME"] = str(cache_home)
    return subprocess.run(
        [sys.executable, "-m", "statuspage", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def build(source: Path, out: Path, *extra: str, cache_home: Path | None = None) -> str:
    result = statuspage("build", "--source", str(source), "--out", str(out), "--now", NOW, *extra,
                        cache_home=cache_home)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def truth(source: Path, tmp_path: Path) -> dict[str, bytes]:
    """What the sources say: the output of `build --no-cache`."""
    out = tmp_path / "truth"
    shutil.rmtree(out, ignore_errors=True)
    build(source, out, "--no-cache")
    return tree(out)


def forge(path: Path, edit: Any) -> None:
    """Edit the JSON of a cache file as someone without this machine's key can: whatever
    the file starts with before its JSON is kept as it was."""
    data = path.read_bytes()
    start = data.index(b"{")
    value = json.loads(data[start:])
    edit(value)
    path.write_bytes(data[:start] + json.dumps(value).encode())


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    s = SiteDir(tmp_path / "site")
    s.incident(API, OPEN)
    s.incident(DB, OTHER)
    return s


def parse_cache(root: Path) -> Path:
    return root / ".statuspage-cache" / "incidents.json"


def forged_title(data: dict[str, Any]) -> None:
    data["files"][API][1][1] = "All systems operational: planned test"


def forged_resolution(data: dict[str, Any]) -> None:
    updates = data["files"][API][1][4]
    updates.insert(0, [int(IncidentStatus.RESOLVED), RESOLVED_AT, "All fixed.", [], 99, False])


def forged_components(data: dict[str, Any]) -> None:
    incident = data["files"][API][1]
    incident[3] = [
        ["api", int(ComponentStatus.OPERATIONAL)],
        ["db", int(ComponentStatus.MAJOR_OUTAGE)],
    ]


def swapped(data: dict[str, Any]) -> None:
    """Each file's entry carries the other's parse, its id and path made to fit."""
    files = data["files"]
    api, db = files[API][1], files[DB][1]
    files[API][1] = [api[0], *db[1:5], api[5], *db[6:]]
    files[DB][1] = [db[0], *api[1:5], db[5], *api[6:]]


@pytest.mark.parametrize("edit", [forged_title, forged_resolution, forged_components, swapped])
def test_a_forged_parse_cache_entry_gives_the_no_cache_output(
    site: SiteDir, tmp_path: Path, edit: Any
) -> None:
    out = tmp_path / "out"
    build(site.root, out)
    forge(parse_cache(site.root), edit)
    fresh = tmp_path / "fresh"  # a new output folder: every page is made from the parse
    build(site.root, fresh)
    assert tree(fresh) == truth(site.root, tmp_path)
    page = lxml_html.fromstring((fresh / "incidents/2026-11-20-api/index.html").read_bytes())
    assert page.cssselect("h1")[0].text_content() == "API errors"
    assert (
        json.loads((fresh / "api/v2/summary.json").read_bytes())["incidents"][0]["status"]
        == "investigating"
    )
    # The rebuild of the old output folder too.
    build(site.root, out)
    assert tree(out) == tree(fresh)
    # `check` and the build agree: the sources are valid, and so is what was published.
    assert statuspage("check", "--source", str(site.root)).returncode == 0


def test_a_cache_committed_to_git_by_another_machine_is_never_read(
    site: SiteDir, tmp_path: Path
) -> None:
    """A contributor builds, forges their cache, commits it; a fresh clone builds the truth."""
    theirs = tmp_path / "their-machine"
    build(site.root, tmp_path / "their-out", cache_home=theirs)
    forge(parse_cache(site.root), forged_title)
    forge(parse_cache(site.root), forged_resolution)

    def git(*args: str, cwd: Path) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd,
                       check=True, capture_output=True)  # fmt: skip

    git("init", "-q", ".", cwd=site.root)
    git("add", "-f", ".", cwd=site.root)
    git("commit", "-qm", "incidents and a cache", cwd=site.root)
    clone = tmp_path / "clone"
    git("clone", "-q", str(site.root), str(clone), cwd=tmp_path)
    assert parse_cache(clone).is_file()
    out = tmp_path / "clone-out"
    build(clone, out)
    assert tree(out) == truth(clone, tmp_path)
    assert b"All fixed." not in b"".join(tree(out).values())


def test_a_cache_sealed_with_another_key_is_never_read(site: SiteDir, tmp_path: Path) -> None:
    """The same tampering by someone who re-seals with a key of their own."""
    theirs = tmp_path / "their-machine"
    build(site.root, tmp_path / "their-out", cache_home=theirs)
    forge(parse_cache(site.root), forged_title)
    from statuspage.pipeline.seal import read_sealed, write_sealed

    their_key = (theirs / "statuspage" / "key").read_bytes()
    body = parse_cache(site.root).read_bytes()
    data = json.loads(body[body.index(b"{") :])
    write_sealed(parse_cache(site.root), data, their_key)
    assert read_sealed(parse_cache(site.root), their_key) == data  # valid, for them
    out = tmp_path / "out"
    build(site.root, out)
    assert tree(out) == truth(site.root, tmp_path)


def test_a_forged_build_manifest_cannot_keep_a_changed_page(site: SiteDir, tmp_path: Path) -> None:
    """A manifest claiming that the published pages are those of the new sources (their keys
    from a build elsewhere, their digests from the published bytes) would spare them a
    rebuild: the page would go on showing the old text."""
    out = tmp_path / "out"
    build(site.root, out)
    published = tree(out)
    site.incident(
        API,
        OPEN.replace(
            "## Investigating",
            "## Identified · 2026-11-20 15:00\n\nA bad deploy.\n\n## Investigating",
        ),
    )
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(site.root, elsewhere, ignore=shutil.ignore_patterns(".statuspage-cache"))
    build(elsewhere, tmp_path / "elsewhere-out", cache_home=tmp_path / "their-machine")
    [their_manifest] = (elsewhere / ".statuspage-cache").glob("build-*.json")
    [manifest] = (site.root / ".statuspage-cache").glob("build-*.json")
    pages: dict[str, str] = {}
    forge(their_manifest, lambda data: pages.update(data["pages"]))

    def claim(data: dict[str, Any]) -> None:
        data["pages"] = pages
        data["files"] = {rel: [digest(body), len(body), 0] for rel, body in published.items()}

    forge(manifest, claim)
    build(site.root, out)
    assert tree(out) == truth(site.root, tmp_path)
    assert "A bad deploy." in (out / "incidents/2026-11-20-api/index.html").read_text()


def test_a_forged_stat_manifest_gives_the_no_cache_output(site: SiteDir, tmp_path: Path) -> None:
    """sources.json naming, for the true stats, the digest of the bytes the cache has a
    parse for: the edited file would be taken as unchanged."""
    out = tmp_path / "out"
    build(site.root, out)
    stats = site.root / ".statuspage-cache" / "sources.json"
    old: dict[str, Any] = {}
    forge(stats, lambda data: old.update(data["files"]))
    site.incident(API, OPEN.replace("looking into it", "rolling back"))
    real = (site.root / "incidents" / API).stat()
    os.utime(site.root / "incidents" / API, ns=(real.st_atime_ns, real.st_mtime_ns - 10**10))
    now = (site.root / "incidents" / API).stat()

    def vouch(data: dict[str, Any]) -> None:
        data["files"][API] = [
            now.st_size,
            now.st_mtime_ns,
            now.st_ino,
            now.st_ctime_ns,
            old[API][4],
        ]
        data["taken"] = now.st_ctime_ns + 10**10

    forge(stats, vouch)
    build(site.root, out)
    assert tree(out) == truth(site.root, tmp_path)


def test_a_cache_folder_linked_out_of_the_site_is_neither_read_nor_written(
    site: SiteDir, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / ".statuspage-cache").symlink_to(elsewhere, target_is_directory=True)
    out = tmp_path / "out"
    build(site.root, out)
    assert list(elsewhere.iterdir()) == []
    assert tree(out) == truth(site.root, tmp_path)


def test_an_untampered_cache_is_used(site: SiteDir, tmp_path: Path) -> None:
    """The seal must not cost the cache its use: an untouched rebuild is a no-op, an edit
    renders only what it changed."""
    out = tmp_path / "out"
    build(site.root, out)
    assert "Up to date" in build(site.root, out)
    site.incident(API, OPEN.replace("looking into it", "rolling back"))
    again = build(site.root, out)
    assert "0 removed" in again and "Up to date" not in again
    assert tree(out) == truth(site.root, tmp_path)


# -- any edit of an entry ------------------------------------------------------------------


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every string, int and bool inside *value*."""
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaves(v, (*path, i))]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))]
    return [path]


def replace_at(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def loaded(root: Path) -> Any:
    from statuspage.pipeline.parse_cache import ParseCache
    from statuspage.source.site import load_site

    site, problems = load_site(root, cache=ParseCache(root))
    return (site.incidents if site else None), [str(p) for p in problems.items]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_edit_of_the_parse_cache_loads_what_the_files_say(
    site: SiteDir, data: st.DataObject
) -> None:
    from statuspage.source.site import load_site

    path = parse_cache(site.root)
    if not path.exists():
        build(site.root, site.root.parent / "out")
    pristine = path.read_bytes()
    expected, problems = load_site(site.root)
    assert expected is not None
    body = json.loads(pristine[pristine.index(b"{") :])
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(leaves(body["files"])))
        old: Any = body["files"]
        for step in where:
            old = old[step]
        new = data.draw(
            st.text(max_size=30) if isinstance(old, str)
            else st.booleans() if isinstance(old, bool)
            else st.integers(-1, 2**53) if isinstance(old, int)
            else st.none()
        )  # fmt: skip
        replace_at(body["files"], where, new)
    try:
        path.write_bytes(pristine[: pristine.index(b"{")] + json.dumps(body).encode())
        got, found = loaded(site.root)
        assert got == expected.incidents
        assert found == [str(p) for p in problems.items]
    finally:
        path.write_bytes(pristine)


def test_the_key_is_made_once_readable_by_its_owner_alone(site: SiteDir, tmp_path: Path) -> None:
    home = tmp_path / "home-cache"
    build(site.root, tmp_path / "out", cache_home=home)
    key = home / "statuspage" / "key"
    assert key.stat().st_mode & 0o777 == 0o600
    first = key.read_bytes()
    assert len(first) == 32
    assert "Up to date" in build(site.root, tmp_path / "out", cache_home=home)
    assert key.read_bytes() == first
    # A key folder inside the site is no key (the site's own files could hold it).
    inside = site.root / "keys"
    build(site.root, tmp_path / "out-inside", cache_home=inside)
    assert not inside.exists()
    # A key others could read is no key: the build works, from the sources alone.
    key.chmod(0o644)
    forge(parse_cache(site.root), forged_title)
    out = tmp_path / "out2"
    build(site.root, out, cache_home=home)
    assert tree(out) == truth(site.root, tmp_path)
