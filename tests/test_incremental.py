"""Rebuilds that reuse the cache give byte for byte what a build from scratch gives."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from statuspage.pipeline import parallel
from statuspage.pipeline import writer as output
from statuspage.pipeline.manifest import CACHE_DIR

from .conftest import EXAMPLE_INCIDENT, SiteDir, read_cache
from .support.incremental import NOW, incident, rebuild_matches_cold, tree


@pytest.fixture
def site(site_dir: SiteDir, monkeypatch: pytest.MonkeyPatch) -> SiteDir:
    # Small pages per history page, so adding an incident moves others between pages.
    (site_dir.root / "statuspage.yaml").write_text(
        (site_dir.root / "statuspage.yaml").read_text() + "history_per_page: 2\n"
    )
    for day in range(2, 9):
        site_dir.incident(
            f"2026-11-{day:02d}-event-{day}.md", incident(day, f"Event {day}", resolved=day != 5)
        )
    site_dir.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    # Also take the process-pool path on this small site; one process is enough to prove it.
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)
    return site_dir


def test_rebuilds_equal_a_cold_build_after_edit_add_and_delete(
    site: SiteDir, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = rebuild_matches_cold(site, out, tmp_path / "cold0")
    assert "0 removed" in first and (site.root / CACHE_DIR / "incidents.json").is_file()

    again = rebuild_matches_cold(site, out, tmp_path / "cold1")
    assert again.startswith("Up to date")

    site.incident(
        "2026-11-04-event-4.md",
        incident(4, "Event 4, renamed", body="A [link](https://example.com/)."),
    )
    edited = rebuild_matches_cold(site, out, tmp_path / "cold2")
    # Removed: only the renamed incident's old link-preview card (named by what it says).
    assert "files written" in edited and " 1 removed" in edited
    assert "Event 4, renamed" in (out / "incidents/2026-11-04-event-4/index.html").read_text()

    site.incident("2026-11-25-new.md", incident(25, "Brand new", resolved=False))
    rebuild_matches_cold(site, out, tmp_path / "cold3")

    (site.root / "incidents/2026-11-03-event-3.md").unlink()
    deleted = rebuild_matches_cold(site, out, tmp_path / "cold4")
    assert not (out / "incidents/2026-11-03-event-3").exists()
    assert " 0 removed" not in deleted


def test_a_later_now_and_a_new_base_url_rebuild_what_they_change(
    site: SiteDir, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    for args in (["--base-url", "https://elsewhere.example/"], []):
        result = site.run("build", "--out", str(out), "--now", "2026-11-27 09:00", *args)
        assert result.exit_code == 0, result.output
        assert (
            site.run(
                "build",
                "--out",
                str(tmp_path / "c"),
                "--now",
                "2026-11-27 09:00",
                "--no-cache",
                *args,
            ).exit_code
            == 0
        )
        assert tree(out) == tree(tmp_path / "c")


def rendered(output: str) -> int:
    return int(re.search(r"(\d+) pages? rendered", output).group(1))  # type: ignore[union-attr]


def test_a_schedulers_rebuild_renders_only_what_the_clock_changed(
    site: SiteDir, tmp_path: Path
) -> None:
    """Resolved incidents' pages do not show the build time, so a later `now` reuses them;
    a future-dated update coming due and a postmortem published at a set time still show."""
    site.incident(
        "2026-11-06-event-6.md",
        incident(6, "Event 6") + "\n## Resolved · 2026-11-26 10:10\nA later note.\n",
    )
    site.incident(
        "2026-11-07-event-7.postmortem.md",
        "---\npublished: 2026-11-27 08:30\n---\n\n## What happened\n\nThe pool shrank.\n",
    )
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    resolved_page = (out / "incidents/2026-11-02-event-2/index.html").read_text()
    assert (
        "Page generated at" not in resolved_page
        and "Page generated at" in (out / "index.html").read_text()
    )
    assert (
        "Page generated at" in (out / "incidents/2026-11-05-event-5/index.html").read_text()
    )  # still open

    for later in ("2026-11-26 10:15", "2026-11-27 09:00"):
        result = site.run("build", "--out", str(out), "--now", later)
        assert result.exit_code == 0, result.output
        assert (
            site.run(
                "build", "--out", str(tmp_path / later), "--now", later, "--no-cache"
            ).exit_code
            == 0
        )
        assert tree(out) == tree(tmp_path / later)
        if later.endswith("10:15"):
            # index, postmortems, 404, history pages 1-3, the open incident's page and the one with a note
            # come due, and the page of `api`, whose open incident's outage grew by 15 minutes
            assert rendered(result.output) == 9, result.output
            assert "A later note." in (out / "incidents/2026-11-06-event-6/index.html").read_text()
            assert (out / "incidents/2026-11-02-event-2/index.html").read_text() == resolved_page
    assert "A later note." in (out / "incidents/2026-11-06-event-6/index.html").read_text()
    assert "The pool shrank." in (out / "incidents/2026-11-07-event-7/index.html").read_text()


def page_keys(site: SiteDir, out: Path) -> dict[str, str]:
    """The key the last build into *out* recorded for each component page."""
    [manifest] = (site.root / CACHE_DIR).glob("build-*.json")
    pages = read_cache(manifest)["pages"]
    return {
        path: key
        for path, key in pages.items()
        if re.fullmatch(r"components/[^/]+/index.html", path)
    }


def test_component_pages_are_reused_unless_what_they_show_changes(
    site: SiteDir, tmp_path: Path
) -> None:
    """Every component and group page has a key; a new incident on `db` changes only db's page,
    and an hour later only the page of `api` (whose outage is still open) is made again."""
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    before = page_keys(site, out)
    assert set(before) == {
        f"components/{i}/index.html" for i in ("api", "website", "web", "dashboard", "db")
    }
    site.incident("2026-11-24-db.md", "---\ntitle: Slow queries\ncomponents:\n  db: degraded_performance\n---\n\n"
                  "## Resolved · 2026-11-24 12:00\nFixed.\n\n## Investigating · 2026-11-24 11:00\nSlow.\n")  # fmt: skip
    rebuild_matches_cold(site, out, tmp_path / "cold1")
    after = page_keys(site, out)
    assert {p for p in before if before[p] != after[p]} == {"components/db/index.html"}
    assert "Slow queries" in (out / "components/db/index.html").read_text()
    result = site.run("build", "--out", str(out), "--now", "2026-11-26 11:00")
    assert result.exit_code == 0, result.output
    later = page_keys(site, out)
    assert {p for p in after if after[p] != later[p]} == {"components/api/index.html"}


def test_a_restored_output_with_new_mtimes_is_still_reused(site: SiteDir, tmp_path: Path) -> None:
    """What a CI cache restore does: same bytes, new mtimes. Files are checked by content, not re-rendered."""
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    for path in out.rglob("*"):
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    (out / "incidents/2026-11-02-event-2/index.html").write_text(
        "tampered, same size?"
    )  # a changed file is still replaced
    site.incident("2026-11-04-event-4.md", incident(4, "Event 4, renamed"))
    output = rebuild_matches_cold(site, out, tmp_path / "cold1")
    # index, history 1 (and the renamed incident's history page), postmortems, 404, the open incident's page,
    # the renamed incident's page, and the tampered one
    assert rendered(output) <= 9, output


def test_output_changed_by_hand_is_repaired(site: SiteDir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    page = out / "incidents/2026-11-04-event-4/index.html"
    page.write_text("defaced")
    (out / "stray.txt").write_text("not ours")
    (out / "history.atom").unlink()
    result = rebuild_matches_cold(site, out, tmp_path / "cold1")
    assert not result.startswith("Up to date")


def test_a_damaged_or_deleted_cache_only_costs_time(site: SiteDir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    for path in (site.root / CACHE_DIR).iterdir():
        path.write_text("{not json")
    rebuild_matches_cold(site, out, tmp_path / "cold1")
    # A cache claiming a different parse for a file's bytes would be used, so the
    # key also covers the config: changing the config invalidates every entry.
    cache = read_cache(site.root / CACHE_DIR / "incidents.json")
    assert len(cache["files"]) == 8
    config = site.root / "statuspage.yaml"
    config.write_text(config.read_text().replace("Test Status", "Renamed Status"))
    rebuild_matches_cold(site, out, tmp_path / "cold2")
    assert "Renamed Status" in (out / "index.html").read_text()
    for path in (site.root / CACHE_DIR).iterdir():
        path.unlink()
    rebuild_matches_cold(site, out, tmp_path / "cold3")


def test_a_user_template_change_rerenders_every_page(site: SiteDir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    templates = site.root / "site-templates"
    templates.mkdir()
    (templates / "incident.html").write_text(
        '{% extends "default/incident.html" %}{% block after_timeline %}<p class="extra">{{ pages.past | length }} in all</p>{% endblock %}'
    )
    rebuild_matches_cold(site, out, tmp_path / "cold1")
    assert "8 in all" in (out / "incidents/2026-11-04-event-4/index.html").read_text()
    # With its own templates a page may show anything: adding an incident re-renders them all.
    site.incident("2026-11-25-new.md", incident(25, "Brand new"))
    rebuild_matches_cold(site, out, tmp_path / "cold2")
    assert "9 in all" in (out / "incidents/2026-11-04-event-4/index.html").read_text()


def test_a_failed_rebuild_leaves_the_site_and_no_staging(site: SiteDir, tmp_path: Path) -> None:
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    before = tree(out)
    templates = site.root / "site-templates"
    templates.mkdir()
    (templates / "incident.html").write_text("{{ no_such_variable }}")
    result = site.run("build", "--out", str(out), "--now", NOW)
    assert result.exit_code == 1 and "template error" in result.output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cold0", "out", "site"]


def test_an_interrupted_apply_is_finished_by_the_next_build(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    site.incident("2026-11-04-event-4.md", incident(4, "Event 4, renamed"))

    moved = []
    real_replace = os.replace

    def die_after_two(source: object, target: object) -> None:
        real_replace(source, target)
        if str(target).startswith(f"{out}/"):  # a site file moved in
            moved.append(target)
            if len(moved) == 2:
                raise KeyboardInterrupt  # as if the process were killed mid-way

    monkeypatch.setattr(output.os, "replace", die_after_two)
    assert site.run("build", "--out", str(out), "--now", NOW).exit_code == 130
    monkeypatch.setattr(output.os, "replace", real_replace)
    assert output.journal_path(out).exists()
    rebuild_matches_cold(site, out, tmp_path / "cold1")
    assert not output.journal_path(out).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cold0", "cold1", "out", "site"]


def test_string_overrides_and_the_logo_are_build_inputs(site: SiteDir, tmp_path: Path) -> None:
    """Files the build reads besides incidents: a reworded string, the copied logo."""
    out = tmp_path / "out"
    config = site.root / "statuspage.yaml"
    config.write_text(config.read_text() + "logo: logo.svg\n")
    (site.root / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>'
    )
    rebuild_matches_cold(site, out, tmp_path / "cold0")
    assert "Up to date" in site.run("build", "--out", str(out), "--now", NOW).output
    (site.root / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'
    )
    rebuild_matches_cold(site, out, tmp_path / "cold1")
    assert b'width="9"' in (out / "logo.svg").read_bytes()
    (site.root / "translations").mkdir()
    (site.root / "translations" / "en.po").write_text(
        'msgid "History"\nmsgstr "Past incidents archive"\n'
    )
    rebuild_matches_cold(site, out, tmp_path / "cold2")
    assert b"Past incidents archive" in (out / "index.html").read_bytes()


def test_a_fifo_among_the_incidents_is_reported_not_read(site: SiteDir, tmp_path: Path) -> None:
    os.mkfifo(site.root / "incidents" / "2026-11-21-pipe.md")
    result = site.run("build", "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.exit_code == 1 and "2026-11-21-pipe.md: not a regular file" in result.output


def test_a_worker_process_that_dies_leaves_its_outputs_to_the_build(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool's one failure rule: what a worker did not finish, the build makes itself."""
    from statuspage.outputs.output import Output
    from statuspage.pipeline import build as build_module

    monkeypatch.setattr(build_module, "default_workers", lambda: 2)  # the pool, even on one core
    parent, real = os.getpid(), build_module.STAGES

    def dies_in_a_worker(output: Output) -> Output:
        def make() -> bytes:
            if os.getpid() != parent:
                os._exit(9)  # as a worker killed for memory would: without a word
            return output.make()

        return Output(make, output.parts, output.incidents, output.page)

    def stage(snapshot, cache):  # type: ignore[no-untyped-def]
        return {path: dies_in_a_worker(output) for path, output in real[0](snapshot, cache).items()}

    monkeypatch.setattr(build_module, "STAGES", (stage, *real[1:]))
    rebuild_matches_cold(site, tmp_path / "out", tmp_path / "cold")
