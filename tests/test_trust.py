"""Nothing outside the site is read, and no file anyone can plant is trusted.

Each test reproduces a red-team case from issue 18 with real files, real builds and
real processes: links out of the site, a planted build journal, an edited build cache,
leftover staging folders, and two builds racing into one output folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from lxml import html as lxml_html

from .conftest import CONFIG, SiteDir, read_cache, write, write_cache
from .support.open_incident import API_ERRORS as INCIDENT

NOW = "2026-11-21T12:00:00Z"


def statuspage(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795262400"}  # 2026-11-21 12:00 UTC
    return subprocess.run(
        [sys.executable, "-m", "statuspage", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site holding a secret the build must never publish."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "environ").write_text("AWS_SECRET=hunter2\n")
    return folder


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    s = SiteDir(tmp_path / "site")
    s.incident("2026-11-20-api.md", INCIDENT)
    return s


def published(out: Path) -> bytes:
    """Every text file's bytes (the link-preview cards, og/*.png, are pixels: compressed,
    their bytes may hold anything, and no text of a source reaches them but drawn)."""
    files = sorted(p for p in out.rglob("*") if p.is_file() and p.suffix != ".png")
    return b"".join(p.read_bytes() for p in files)


# -- reading outside the site ---------------------------------------------------------


def test_a_logo_linked_out_of_the_site_is_refused_at_its_config_line(
    site: SiteDir, outside: Path
) -> None:
    (site.root / "logo.svg").symlink_to(outside / "environ")
    write(site.root / "statuspage.yaml", CONFIG + "logo: logo.svg\n")
    line = CONFIG.count("\n") + 1
    result = statuspage("build", "--source", str(site.root), "--out", str(site.root.parent / "out"))
    assert result.returncode == 1
    assert (
        f"statuspage.yaml:{line}: `logo:` this file is a link to outside the site folder"
        in result.stdout + result.stderr
    )
    assert not (site.root.parent / "out").exists()


def test_a_logo_naming_a_dotfile_is_refused(site: SiteDir) -> None:
    write(site.root / ".git" / "config", "[remote]\n  url = https://token@example.com\n")
    write(site.root / "statuspage.yaml", CONFIG + "logo: .git/config\n")
    assert any(
        f"statuspage.yaml:{CONFIG.count(chr(10)) + 1}: `logo:` .git/config is a hidden file" in p
        for p in site.problems()
    )


def test_a_logo_linked_inside_the_site_is_still_published(site: SiteDir) -> None:
    write(site.root / "assets" / "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    (site.root / "logo.svg").symlink_to(site.root / "assets" / "logo.svg")
    write(site.root / "statuspage.yaml", CONFIG + "logo: logo.svg\n")
    out = site.build(NOW)
    assert (out / "logo.svg").read_bytes() == (site.root / "assets" / "logo.svg").read_bytes()


def test_a_translation_linked_out_of_the_site_is_refused_and_never_shown(
    site: SiteDir, outside: Path
) -> None:
    (outside / "en.po").write_text('msgid "All systems operational"\nmsgstr "AWS_SECRET=hunter2"\n')
    (site.root / "translations").mkdir()
    (site.root / "translations" / "en.po").symlink_to(outside / "en.po")
    assert (
        "translations/en.po: this file is a link to outside the site folder; copy the file in instead"
        in site.problems()
    )
    result = statuspage("build", "--source", str(site.root), "--out", str(site.root.parent / "out"))
    assert result.returncode == 1
    assert "hunter2" not in result.stdout + result.stderr


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_site_templates_linked_out_of_the_site_are_refused_and_never_rendered(
    site: SiteDir, outside: Path, linked: str
) -> None:
    theme = outside / "theme"
    write(theme / "page.html", "{{ 'AWS_SECRET=hunter2' }}")
    if linked == "folder":
        (site.root / "site-templates").symlink_to(theme)
        bad = "site-templates"
    else:
        (site.root / "site-templates").mkdir()
        (site.root / "site-templates" / "page.html").symlink_to(theme / "page.html")
        bad = "site-templates/page.html"
    assert (
        f"{bad}: this file is a link to outside the site folder; copy the file in instead"
        in site.problems()
    )
    result = statuspage("build", "--source", str(site.root), "--out", str(site.root.parent / "out"))
    assert result.returncode == 1
    assert not (site.root.parent / "out").exists()


# -- the build journal, staging folders and the lock -----------------------------------


def tree(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }


def build_into(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return statuspage("build", "--source", str(source), "--out", str(out), "--now", NOW)


@pytest.mark.parametrize(
    "planted", ["incidents", ".git", "../outside", "/tmp", "._site.new-abcdefgh/../incidents"]
)
def test_a_planted_journal_naming_a_site_folder_deletes_nothing_and_the_build_proceeds(
    site: SiteDir, planted: str
) -> None:
    write(site.root / ".git" / "HEAD", "ref: refs/heads/main\n")
    out = site.root / "_site"
    assert build_into(site.root, out).returncode == 0
    expected = tree(out)
    (site.root / "._site.journal").write_text(
        json.dumps({"staging": planted, "changed": ["index.html"], "deleted": ["statuspage.yaml"]})
    )
    # Same key as the last build: only the journal could make this build do anything.
    result = build_into(site.root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (site.root / "incidents" / "2026-11-20-api.md").read_text() == INCIDENT
    assert (site.root / ".git" / "HEAD").is_file()
    assert (site.root / "statuspage.yaml").is_file()
    assert not (site.root / "._site.journal").exists()
    assert tree(out) == expected
    page = lxml_html.fromstring((out / "index.html").read_bytes())
    assert "API errors" in page.text_content()


def test_a_planted_journal_cannot_delete_or_move_outside_the_output(
    site: SiteDir, tmp_path: Path
) -> None:
    out = site.root / "_site"
    assert build_into(site.root, out).returncode == 0
    expected = tree(out)
    staging = site.root / "._site.new-abcdefgh"
    write(staging / "x.html", "<script>alert(1)</script>")
    for changed, deleted in (
        (["../incidents/2026-11-20-api.md"], []),
        ([], ["../statuspage.yaml"]),
        ([], ["/etc/hostname"]),
    ):
        (site.root / "._site.journal").write_text(
            json.dumps({"staging": staging.name, "changed": changed, "deleted": deleted})
        )
        assert build_into(site.root, out).returncode == 0
    assert (site.root / "incidents" / "2026-11-20-api.md").read_text() == INCIDENT
    assert (site.root / "statuspage.yaml").is_file()
    assert tree(out) == expected


def test_a_journal_naming_a_linked_staging_folder_moves_nothing_through_it(site: SiteDir) -> None:
    out = site.root / "_site"
    assert build_into(site.root, out).returncode == 0
    expected = tree(out)
    (site.root / "._site.new-abcdefgh").symlink_to(site.root / "incidents")
    (site.root / "._site.journal").write_text(
        json.dumps(
            {"staging": "._site.new-abcdefgh", "changed": ["2026-11-20-api.md"], "deleted": []}
        )
    )
    assert build_into(site.root, out).returncode == 0
    assert (site.root / "incidents" / "2026-11-20-api.md").read_text() == INCIDENT
    assert (site.root / "._site.new-abcdefgh").is_symlink()  # not ours: left alone
    assert tree(out) == expected


def test_leftover_staging_and_old_folders_of_a_killed_build_are_removed(site: SiteDir) -> None:
    out = site.root / "_site"
    assert build_into(site.root, out).returncode == 0
    new, old = site.root / "._site.new-k1ll3d_a", site.root / "._site.old-k1ll3d_b"
    for folder in (new, old):
        write(folder / "index.html", "x" * 100_000)
    (site.root / "._site.new-linked__").symlink_to(site.root / "incidents")
    (site.root / "._site.new-not-ours").mkdir()  # not mkdtemp's pattern
    assert build_into(site.root, out).returncode == 0
    assert not new.exists() and not old.exists()
    assert (site.root / "._site.new-linked__").is_symlink() and (
        site.root / "incidents" / "2026-11-20-api.md"
    ).is_file()
    assert (site.root / "._site.new-not-ours").is_dir()


def test_a_kill_mid_commit_is_repaired_by_the_next_build(site: SiteDir) -> None:
    """A build killed (SIGKILL) at any moment of its commit leaves a site that the
    next build brings to exactly the new site, and removes what the dead one left."""
    out = site.root / "_site"
    assert build_into(site.root, out).returncode == 0
    site.incident("2026-11-20-db.md", INCIDENT.replace("API errors", "Database slow"))
    script = textwrap.dedent(f"""
        import os, signal, sys
        from statuspage.pipeline import writer as output
        real = os.replace
        def killed(src, dst):
            real(src, dst)
            if str(dst).startswith({str(out)!r}):
                os.kill(os.getpid(), signal.SIGKILL)  # after the first file moved in
        output.os.replace = killed
        from statuspage.commands.main import cli
        cli(["build", "--source", {str(site.root)!r}, "--out", {str(out)!r}, "--now", {NOW!r}])
    """)
    killed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == -9
    assert (site.root / "._site.journal").exists()
    assert build_into(site.root, out).returncode == 0
    cold = site.root.parent / "cold"
    assert (
        statuspage(
            "build", "--source", str(site.root), "--out", str(cold), "--now", NOW, "--no-cache"
        ).returncode
        == 0
    )
    assert tree(out) == tree(cold)
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith("._site")) == []


def test_two_concurrent_builds_into_one_output_leave_the_tree_of_one_of_them(
    tmp_path: Path,
) -> None:
    sources = []
    for name, title in (("a", "Alpha outage"), ("b", "Beta outage")):
        s = SiteDir(tmp_path / name)
        for day in range(1, 29):  # enough pages that two unserialized builds would overlap
            s.incident(
                f"2026-10-{day:02d}-{name}.md",
                INCIDENT.replace("API errors", f"{title} {day}").replace(
                    "2026-11-20", f"2026-10-{day:02d}"
                ),
            )
        sources.append(s.root)
    expected = []
    for source in sources:
        assert build_into(source, tmp_path / f"cold-{source.name}").returncode == 0
        expected.append(tree(tmp_path / f"cold-{source.name}"))
    out = tmp_path / "shared-out"
    for _ in range(3):
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1795262400"}
        args = [sys.executable, "-m", "statuspage", "build", "--out", str(out), "--now", NOW]
        racers = [
            subprocess.Popen(
                [*args, "--source", str(s)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
            )
            for s in sources
        ]
        codes = [p.wait(timeout=300) for p in racers]
        for p in racers:
            assert p.stdout is not None
            p.stdout.close()
        assert codes == [0, 0]
        assert tree(out) in expected
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".shared-out")) == []


# -- the build cache --------------------------------------------------------------------


def edit_cache(root: Path, edit: object) -> None:
    """Edit each entry with this machine's key: the checks behind the seal (test_cache_seal.py
    has edits made without it)."""
    path = root / ".statuspage-cache" / "incidents.json"
    data = read_cache(path)
    for entry in data["files"].values():
        edit(entry)  # type: ignore[operator]
    write_cache(path, data)


def poison(entry: list) -> None:
    incident = entry[1]
    incident[1] = "API errors\x1b[2J\x07"  # control characters a source may not hold
    incident[6] = "javascript:alert(document.domain)"  # a postmortem link a source may not give
    incident[4][0][2] = "Fixed.\x00\x1b]8;;javascript:alert(1)\x1b\\click\x1b]8;;\x1b\\"


@pytest.mark.parametrize(
    "edit",
    [
        poison,
        lambda e: e[1].__setitem__(3, [["no-such-component", 3]]),
        lambda e: e[1].__setitem__(
            2, -1
        ),  # an index from the end: a valid Python index, never ours
        lambda e: e[1].__setitem__(4, "not a list"),
        lambda e: e[2].append(["incidents/x.md\n\x1b[31mforged", 1, "ok", "error"]),
        lambda e: e.__setitem__(1, None),  # "this file holds no incident", yet no error why
    ],
    ids=[
        "javascript-link-and-control-chars",
        "unknown-component",
        "negative-index",
        "wrong-type",
        "forged-problem",
        "dropped-incident",
    ],
)
def test_an_edited_cache_entry_is_never_used_and_the_source_is_parsed_again(
    site: SiteDir, edit: object
) -> None:
    first = site.root.parent / "first"
    assert build_into(site.root, first).returncode == 0
    edit_cache(site.root, edit)
    out = site.root.parent / "second"  # a new output: every page is rendered from the cache
    result = build_into(site.root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "forged" not in result.stdout + result.stderr
    assert tree(out) == tree(first)
    body = published(out)
    assert (
        b"javascript:" not in body
        and b"\x1b" not in body
        and b"\x07" not in body
        and b"\x00" not in body
    )
    page = lxml_html.fromstring((out / "incidents" / "2026-11-20-api" / "index.html").read_bytes())
    assert page.cssselect("h1")[0].text_content() == "API errors"
    # The entry was replaced by the source's parse: the next build trusts a clean cache.
    cached = read_cache(site.root / ".statuspage-cache" / "incidents.json")
    assert [e[1][1] for e in cached["files"].values()] == ["API errors"]


def test_a_cache_of_another_format_is_ignored(site: SiteDir) -> None:
    first = site.root.parent / "first"
    assert build_into(site.root, first).returncode == 0
    path = site.root / ".statuspage-cache" / "incidents.json"
    data = read_cache(path)
    data["format"] = 999
    poison(next(iter(data["files"].values())))
    write_cache(path, data)
    out = site.root.parent / "second"
    assert build_into(site.root, out).returncode == 0
    assert tree(out) == tree(first)


def test_an_untouched_cache_is_still_used(site: SiteDir) -> None:
    """Validation must not turn every entry into a miss: the cache would be dead weight."""
    from statuspage.pipeline.parse_cache import ParseCache
    from statuspage.source.site import load_site

    assert build_into(site.root, site.root.parent / "first").returncode == 0
    cache = ParseCache(site.root)
    site_, _ = load_site(site.root, cache=cache)
    assert site_ is not None and (cache.hits, cache.misses) == (1, 0)
    cache.next_run()  # `serve`: the next save's build, in the same process
    site_, _ = load_site(site.root, cache=cache)
    assert site_ is not None and (cache.hits, cache.misses) == (1, 0)
