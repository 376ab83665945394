"""`statuspage diff`: real git repositories in tmp_path (a main branch and a change branch,
real commits), both sides built at one `now`; what customers would see, before/after,
in text, Markdown (inert for GitHub) and JSON (against diff.schema.json)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import cmarkgfm
import jsonschema
import markdown
import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from statuspage.commands.main import cli

from .conftest import write
from .support.diff_repos import CONFIG, GIT, OPEN

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "statuspage/review/diff.schema.json").read_text()
)
NOW = "2026-12-07T12:00:00+01:00"


PAST = """\
---
title: Database was down
impact: critical
components:
  db: major_outage
---

## Resolved · 2026-12-01 13:00 +01:00
It is back.

## Investigating · 2026-12-01 10:00 +01:00
The database is down.
"""

MAINTENANCE = """\
---
title: Database upgrade
impact: maintenance
components:
  db: under_maintenance
maintenance:
  start: {start}
  end: {end}
---

## Scheduled · 2026-12-05 09:00 +01:00
We will upgrade the database.
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [*GIT, "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


class Repo:
    """A git repository whose `site/` folder is a status site; `main` holds the base."""

    def __init__(
        self, root: Path, incidents: dict[str, str] | None = None, config: str = CONFIG
    ) -> None:
        self.root = root
        self.site = root / "site"
        root.mkdir()
        git(root, "init", "-q")
        write(self.site / "statuspage.yaml", config)
        (self.site / "incidents").mkdir()
        for name, text in (incidents or {}).items():
            write(self.site / "incidents" / name, text)
        self.commit("base")
        git(root, "checkout", "-q", "-b", "change")

    def incident(self, name: str, text: str) -> None:
        write(self.site / "incidents" / name, text)

    def commit(self, message: str) -> None:
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "--allow-empty", "-m", message)

    def diff(self, *args: str, fmt: str = "json"):
        result = CliRunner().invoke(
            cli, ["diff", *args, "--now", NOW, "--format", fmt, "--source", str(self.site)],
            catch_exceptions=False,
        )  # fmt: skip
        return result

    def review(self, *args: str) -> tuple[int, dict]:
        result = self.diff(*args)
        assert result.exit_code in (0, 1), result.output + result.stderr
        data = json.loads(result.stdout)
        jsonschema.validate(data, SCHEMA)
        return result.exit_code, data


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema_version"] == {"const": 1}


def incident(data: dict, incident_id: str) -> dict:
    return next(i for i in data["incidents"] if i["id"] == incident_id)


def flags(data: dict) -> set[str]:
    return {f["kind"] for f in data["flags"]}


def test_no_customer_visible_change_exits_0(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r", {"2026-12-01-db.md": PAST})
    # A comment and a file no output shows: the page is byte for byte the same.
    (repo.site / "statuspage.yaml").write_text(CONFIG + "# reviewed by ops\n")
    repo.incident("notes.txt", "not an incident\n")
    repo.commit("comment")
    code, data = repo.review("main", "change")
    assert code == 0
    assert data["customer_visible"] is False
    assert data["flags"] == [] and data["incidents"] == [] and data["notifications"] == []
    assert all(sum(c.values()) == 0 for c in data["outputs"].values())
    text = repo.diff("main", "change", fmt="text")
    assert text.exit_code == 0
    assert "No change customers would see." in text.stdout
    assert "Outputs changed: none" in text.stdout


def test_new_incident_headline_components_notifications_outputs(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.incident("2026-12-07-api.md", OPEN)
    repo.commit("incident")
    code, data = repo.review("main", "change")
    assert code == 1 and data["customer_visible"] is True
    assert data["headline"]["before"] == {
        "word": "none",
        "text": "All Systems Operational",
        "indicator": "none",
    }
    assert data["headline"]["after"]["word"] == "major"
    assert data["headline"]["after"]["indicator"] == "major"
    assert data["headline"]["changed"] is True
    changes = {c["id"]: (c["before"], c["after"]) for c in data["components"]}
    assert changes == {
        "api": ("operational", "partial_outage"),
        "db": ("operational", "degraded_performance"),
    }
    new = incident(data, "2026-12-07-api")
    assert new["change"] == "added" and new["status"] == {"before": None, "after": "identified"}
    assert new["components_added"] == ["api", "db"]
    # Rendered, then plain text, at times in the page's zone.
    assert [(u["at"], u["text"], u["change"]) for u in new["updates"]] == [
        ("2026-12-07T10:00:00+01:00", "We are seeing elevated errors.", "added"),
        ("2026-12-07T10:30:00+01:00", "The cause is a bad deploy.", "added"),
    ]
    (endpoint,) = data["notifications"]
    assert endpoint["format"] == "json"
    assert [m["kind"] for m in endpoint["messages"]] == ["incident.created", "incident.updated"]
    assert endpoint["messages"][0]["text"] == "We are seeing elevated errors."
    # What it would post: notify's own JSON payload, valid against its schema.
    payload_schema = json.loads(
        (Path(__file__).parent.parent / "statuspage/notify/payload.schema.json").read_text()
    )
    for message in endpoint["messages"]:
        jsonschema.validate(message["payload"], payload_schema)
    assert endpoint["messages"][1]["payload"]["incident"]["title"] == "API errors"
    assert {e["title"] for e in data["feed_entries"]} >= {"API errors — Investigating"}
    assert flags(data) == {"headline", "notifications"}
    assert data["flags"][0]["kind"] == "headline"  # the headline first
    outputs = data["outputs"]
    assert outputs["pages"]["added"] >= 1 and outputs["pages"]["changed"] >= 1
    for kind in ("feeds", "api", "badges"):
        assert outputs[kind]["changed"] >= 1, kind
    text = repo.diff("main", "change", fmt="text").stdout
    assert text.index("NEEDS A SECOND REVIEWER") < text.index(
        "Headline: All Systems Operational → "
    )
    assert "Public API: operational → partial_outage" in text


def test_resolved_edited_backdated_and_dropped_component(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r", {"2026-12-07-api.md": OPEN})
    repo.incident(
        "2026-12-07-api.md",
        OPEN.replace("  db: degraded_performance\n", "")
        .replace("The cause is a bad deploy.", "The cause was a bad deploy by a vendor.")
        .replace(
            "## Identified",
            "## Resolved · 2026-12-07 11:30 +01:00\nFixed.\n\n"
            "## Monitoring · 2026-12-07 10:15 +01:00\nWatching.\n\n## Identified",
        ),
    )
    repo.commit("resolve")
    code, data = repo.review("main", "change")
    assert code == 1
    api = incident(data, "2026-12-07-api")
    assert api["change"] == "resolved"
    assert api["status"] == {"before": "identified", "after": "resolved"}
    assert api["components_removed"] == ["db"]
    updates = {u["text"]: (u["change"], u["backdated"]) for u in api["updates"]}
    assert updates == {
        "Watching.": ("added", True),  # 10:15 is before the published 10:30
        "The cause was a bad deploy by a vendor.": ("edited", False),
        "Fixed.": ("added", False),
    }
    assert data["headline"]["after"]["word"] == "none"
    assert flags(data) == {"notifications", "components_removed", "edited", "backdated"}
    assert {c["id"]: c["after"] for c in data["components"]} == {
        "api": "operational",
        "db": "operational",
    }
    (endpoint,) = data["notifications"]
    assert [m["kind"] for m in endpoint["messages"]] == ["incident.updated", "incident.resolved"]


def test_reopened_and_uptime_figure(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r", {"2026-12-01-db.md": PAST})
    # Incidents are not resolved twice: taking the resolution back is how one reopens.
    repo.incident(
        "2026-12-01-db.md",
        PAST.replace("## Resolved · 2026-12-01 13:00 +01:00\nIt is back.\n\n", ""),
    )
    repo.commit("reopen")
    _, data = repo.review("main", "change")
    db = incident(data, "2026-12-01-db")
    assert db["change"] == "reopened"
    assert db["status"] == {"before": "resolved", "after": "investigating"}
    assert flags(data) == {"headline", "reopened", "edited"}  # the resolution is removed
    assert [(u["change"], u["text"]) for u in db["updates"]] == [("removed", "It is back.")]
    assert data["headline"]["after"]["word"] == "critical"
    uptime = {(f["id"], f["figure"]): (f["before"], f["after"]) for f in data["figures"]}
    before, after = uptime[("db", "uptime_90d")]
    assert before is not None and after is not None and after < before - 0.01


def test_maintenance_added_then_moved_in_the_calendar(tmp_path: Path) -> None:
    window = {"start": "2026-12-10 22:00 +01:00", "end": "2026-12-10 23:00 +01:00"}
    repo = Repo(tmp_path / "r")
    repo.incident("2026-12-10-db.md", MAINTENANCE.format(**window))
    repo.commit("schedule")
    git(repo.root, "branch", "scheduled")
    _, data = repo.review("main", "scheduled")
    (event,) = data["calendar_events"]
    assert event["change"] == "added" and event["summary"].endswith("Database upgrade")
    assert event["before"] is None and event["after"]["start"].startswith("2026-12-10T2")
    added = incident(data, "2026-12-10-db")
    assert added["maintenance"] is True and added["change"] == "added"
    assert data["headline"]["changed"] is False  # upcoming: nothing is under way yet
    repo.incident(
        "2026-12-10-db.md",
        MAINTENANCE.format(start="2026-12-10 20:00 +01:00", end="2026-12-10 21:00 +01:00"),
    )
    repo.commit("move")
    _, data = repo.review("scheduled", "change")
    (event,) = data["calendar_events"]
    assert event["change"] == "moved"
    assert (event["before"]["start"], event["after"]["start"]) == (
        "2026-12-10T22:00:00+01:00",
        "2026-12-10T20:00:00+01:00",
    )
    moved = incident(data, "2026-12-10-db")
    assert moved["change"] == "updated" and moved["updates"] == []
    assert moved["window"] == {
        "before": {"start": "2026-12-10T22:00:00+01:00", "end": "2026-12-10T23:00:00+01:00"},
        "after": {"start": "2026-12-10T20:00:00+01:00", "end": "2026-12-10T21:00:00+01:00"},
    }


def test_defaults_compare_the_merge_base_with_the_working_tree(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    git(repo.root, "checkout", "-q", "main")
    repo.incident("2026-12-01-db.md", PAST)
    repo.commit("on main after the branch")
    git(repo.root, "checkout", "-q", "change")
    repo.incident("2026-12-07-api.md", OPEN)  # not committed
    _, data = repo.review()
    assert data["base"].startswith("merge base with main")
    assert data["head"] == "working tree"
    # The merge base has neither incident: main's later commit is not the base.
    assert {i["id"]: i["change"] for i in data["incidents"]} == {"2026-12-07-api": "added"}


def test_folders_as_sides(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        write(folder / "statuspage.yaml", CONFIG)
        (folder / "incidents").mkdir()
    write(new / "incidents" / "2026-12-01-db.md", PAST)
    result = CliRunner().invoke(
        cli, ["diff", str(old), str(new), "--now", NOW, "--format", "json", "--source", str(new)]
    )
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    assert incident(data, "2026-12-01-db")["change"] == "added"
    assert data["notifications"][0]["messages"][-1]["kind"] == "incident.resolved"


def test_errors_exit_2(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    result = repo.diff("main", "no-such-branch", fmt="text")
    assert result.exit_code == 2
    assert "'no-such-branch' is neither a folder nor a git ref" in result.stderr
    repo.incident("2026-12-07-bad.md", OPEN.replace("impact: major", "impact: majr"))
    result = repo.diff("main", fmt="text")
    assert result.exit_code == 2
    assert "working tree: the site there has errors" in result.stderr
    assert "incidents/2026-12-07-bad.md:3:" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_new_check_warnings(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    (repo.site / "statuspage.yaml").write_text(CONFIG.replace("start_date: 2026-06-01\n", ""))
    repo.incident("2026-12-01-db.md", PAST)
    repo.commit("no start date")
    _, data = repo.review("main", "change")
    assert any("start_date" in w for w in data["warnings"])


HOSTILE = """\
---
title: "<img src=x onerror=alert(1)> [click](https://evil.example) @acme/team #123 <!channel> ![x](y)"
impact: minor
components:
  api: degraded_performance
---

## Investigating · 2026-12-07 10:00 +01:00
Ping @octocat and see #42, GH-7 and www.evil.example or https://evil.example/x.
<script>alert(1)</script> **bold** `code` | a | table | &lt;entity&gt;
"""


def test_hostile_text_is_inert_in_markdown(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    repo.incident("2026-12-07-evil.md", HOSTILE)
    repo.commit("hostile")
    result = repo.diff("main", "change", fmt="markdown")
    assert result.exit_code == 1
    text = result.stdout
    body = "\n".join(line.removeprefix("> ") for line in text.splitlines())  # the flags' alert
    assert not re.search(r"[<>]", body)  # no HTML, not even a broken tag
    # Rendered as GitHub renders a comment (cmark-gfm with its extensions: autolinks,
    # tables, raw HTML let through before GitHub's own filter), and by Python-Markdown,
    # the page shows the words and makes no element of them.
    github = cmarkgfm.github_flavored_markdown_to_html(
        text, options=cmarkgfm.Options.CMARK_OPT_UNSAFE
    )
    for rendered_html in (github, markdown.markdown(text)):
        page = lxml_html.fromstring(rendered_html)
        assert not page.xpath("//a | //img | //script | //table | //strong[contains(., 'bold')]")
        # GitHub finds mentions, issue references and bare links in the rendered text:
        # there are none.
        rendered = page.text_content()
        assert not re.search(r"@\w", rendered)
        assert not re.search(r"#\d", rendered)
        assert not re.search(r"GH-\d", rendered, re.IGNORECASE)
        assert "://" not in rendered and "www." not in rendered
        shown = rendered.replace("\u200d", "")
        assert "<img src=x onerror=alert(1)> [click](https://evil.example) @acme/team #123" in shown
        assert "<!channel>" in shown
        assert "Ping @octocat and see #42" in shown


def test_markdown_is_cut_under_the_limit_with_a_pointer(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "r")
    for n in range(40):
        repo.incident(
            f"2026-12-01-n{n}.md", PAST.replace("Database was down", f"Outage {n} " + "x" * 200)
        )
    repo.commit("many")
    whole = repo.diff("main", "change", fmt="markdown")
    assert whole.exit_code == 1, whole.stderr
    whole = whole.stdout
    assert len(whole) > 5000
    result = repo.diff(
        "main",
        "change",
        "--max-length",
        "5000",
        "--pointer",
        "See the job summary.",
        fmt="markdown",
    )
    assert result.exit_code == 1
    assert len(result.stdout) <= 5000
    assert result.stdout.rstrip().endswith("See the job summary.")
    assert whole.startswith(result.stdout.rsplit("\n\n…", 1)[0])


def test_a_refs_files_are_read_without_a_checkout(tmp_path: Path) -> None:
    """The ref's files come from `git archive`: the working tree and HEAD are untouched,
    and a link in the ref to a file outside it is not followed."""
    repo = Repo(tmp_path / "r")
    secret = tmp_path / "secret.md"
    secret.write_text(PAST)
    (repo.site / "incidents" / "2026-12-01-db.md").symlink_to(secret)
    repo.commit("a link out")
    head = git(repo.root, "rev-parse", "HEAD")
    status = git(repo.root, "status", "--porcelain")
    done = subprocess.run(
        [sys.executable, "-m", "statuspage", "diff", "main", "change", "--now", NOW, "--format", "json",
         "--source", str(repo.site)], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["incidents"] == []
    assert git(repo.root, "rev-parse", "HEAD") == head
    assert git(repo.root, "status", "--porcelain") == status


# The manual's page on reviewing a change shows the report `diff` gives.
EXAMPLE_PAGE = Path(__file__).parent.parent / "docs" / "how-to" / "review.md"
EXAMPLE = re.compile(r"<!-- diff-example -->\n```markdown\n(.*?)```\n", re.DOTALL)


def readme_example(tmp_path: Path) -> str:
    """The Markdown `diff` gives for a pull request that opens an incident while a
    maintenance window is moved; commits dated, so their ids are the same every run."""
    dates = {
        "GIT_AUTHOR_DATE": "2026-12-07T09:00:00+01:00",
        "GIT_COMMITTER_DATE": "2026-12-07T09:00:00+01:00",
    }
    window = {"start": "2026-12-10 22:00 +01:00", "end": "2026-12-10 23:00 +01:00"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in dates.items():
            patch.setenv(name, value)
        repo = Repo(tmp_path / "acme-status", {"2026-12-10-db.md": MAINTENANCE.format(**window)})
        repo.incident(
            "2026-12-10-db.md",
            MAINTENANCE.format(start="2026-12-10 20:00 +01:00", end="2026-12-10 21:00 +01:00"),
        )
        repo.incident(
            "2026-12-07-api.md",
            OPEN.replace("title: API errors", 'title: "API errors for @acme/mobile"'),
        )
        repo.commit("API errors")
        result = repo.diff("main", "change", fmt="markdown")
    assert result.exit_code == 1, result.stderr
    return result.stdout


def test_the_readme_shows_a_generated_diff(tmp_path: Path) -> None:
    example = readme_example(tmp_path)
    found = EXAMPLE.search(EXAMPLE_PAGE.read_text(encoding="utf-8"))
    assert found is not None, "docs/how-to/review.md lacks the <!-- diff-example --> block"
    assert found[1] == example, "regenerate the example: python -m tests.test_diff > block"


if __name__ == "__main__":  # python -m tests.test_diff: print the manual's example
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sys.stdout.write(readme_example(Path(tmp)))


def test_groups_and_slo_figures(tmp_path: Path) -> None:
    config = CONFIG.replace("    name: Public API\n", "    name: Public API\n    slo: 99.9\n")
    repo = Repo(tmp_path / "r", config=config)
    repo.incident(
        "2026-12-07-web.md",
        OPEN.replace(
            "  api: partial_outage\n  db: degraded_performance\n",
            "  web: major_outage\n  api: partial_outage\n",
        ),
    )
    repo.commit("web down")
    _, data = repo.review("main", "change")
    changes = {c["id"]: (c["group"], c["before"], c["after"]) for c in data["components"]}
    assert changes["website"] == (True, "operational", "major_outage")
    assert changes["web"] == (False, "operational", "major_outage")
    figures = {(f["id"], f["figure"]): (f["before"], f["after"]) for f in data["figures"]}
    before, after = figures[("api", "slo")]
    assert before == 100.0 and after is not None and after < 100.0
    text = repo.diff("main", "change", fmt="text").stdout
    assert "Website (group): operational → major_outage" in text
