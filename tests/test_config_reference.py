"""docs/reference/configuration.md: made from the schema, and true of the parser.

The page is read as users read it (its Markdown tables); each documented key, written
as its example says, must load without an error, and every key the parser looks up in
statuspage.yaml must be on the page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from statuspage.source.site import load_site
from statuspage.source.yamlfile import YamlMap
from tests.conftest import REPO, SiteDir

REFERENCE = REPO / "docs" / "reference" / "configuration.md"
COMMAND = "python -m statuspage.source.config_reference docs/reference/configuration.md"


def documented() -> dict[str, dict[str, str]]:
    """Each `## `section`` of the page -> {key: its example}, from the tables' rows."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if line.startswith("## `"):
            current = sections.setdefault(line.strip("#` "), {})
        elif line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            current[cells[0].strip("`")] = cells[-1].strip("`").replace("\\|", "|")
    return sections


BASE: dict[str, Any] = {
    "title": "Acme Status",
    "base_url": "https://status.acme.example/",
    "components": [
        {"id": "api", "name": "API", "slo": 99.9},
        {"id": "dashboard", "name": "Dashboard"},
    ],
}
RULE = {"match": {"alertname": "ApiDown"}, "components": {"api": "major_outage"}}
SMTP = {"host": "smtp.example.com", "username": "${SMTP_USER}", "password": "${SMTP_PASSWORD}"}
EMAIL = {"smtp": SMTP, "from": "status@acme.example", "to": ["customers@acme.example"]}
UPSTREAM = {"id": "github", "name": "GitHub", "url": "https://www.githubstatus.com/api/v2/s.json"}
GROUP = {"group": "Web", "components": [{"id": "www", "name": "Website"}], "slo": 99.5}
AUDIENCE = {"name": "internal", "base_url": "https://in.acme.example/", "title": "Acme In"}


def config_with(section: str, entry: dict[str, Any]) -> dict[str, Any]:
    """BASE with *entry* (a mapping of *section*'s keys) where that section is written."""
    config = dict(BASE)
    if section == "statuspage.yaml":
        return config | entry
    where: dict[str, Any] = {
        "components: (each component)": {
            "components": [BASE["components"][0] | entry],
            "audiences": [AUDIENCE],
        },
        "components: (each group)": {
            "components": [*BASE["components"], GROUP | entry],
            "audiences": [AUDIENCE],
        },
        "subscribe:": {"subscribe": entry},
        "audiences: (each)": {"audiences": [AUDIENCE | entry]},
        "notify:": {"notify": entry},
        "notify: webhooks: (each)": {"notify": {"webhooks": [{"url": "${URL}"} | entry]}},
        "notify: email: (each)": {"notify": {"email": EMAIL | entry}},
        "notify: email: smtp:": {"notify": {"email": EMAIL | {"smtp": SMTP | entry}}},
        "alerts:": {"alerts": {"rules": [RULE]} | entry},
        "alerts: rules: (each)": {"alerts": {"rules": [RULE | entry]}},
        "upstream: (each)": {"upstream": [UPSTREAM | entry]},
    }
    return config | where[section]


CASES = [
    pytest.param(section, example, id=f"{section}/{key}")
    for section, keys in documented().items()
    for key, example in keys.items()
]


def test_the_committed_reference_is_the_one_the_schema_makes(tmp_path: Path) -> None:
    made = tmp_path / "configuration.md"
    subprocess.run(
        [sys.executable, "-m", "statuspage.source.config_reference", str(made)],
        check=True,
        cwd=REPO,
    )
    assert made.read_bytes() == REFERENCE.read_bytes(), (
        f"{REFERENCE.relative_to(REPO)} is out of date with the schema; regenerate it: {COMMAND}"
    )


def test_the_reference_documents_every_section_the_parser_reads() -> None:
    assert list(documented()) == [
        "statuspage.yaml",
        "components: (each component)",
        "components: (each group)",
        "subscribe:",
        "audiences: (each)",
        "notify:",
        "notify: webhooks: (each)",
        "notify: email: (each)",
        "notify: email: smtp:",
        "alerts:",
        "alerts: rules: (each)",
        "upstream: (each)",
    ]


@pytest.mark.parametrize(("section", "example"), CASES)
def test_each_documented_key_loads_as_its_example_shows(
    tmp_path: Path, section: str, example: str
) -> None:
    entry = yaml.safe_load(example)
    site = SiteDir(tmp_path, yaml.safe_dump(config_with(section, entry), sort_keys=False))
    _, problems = load_site(site.root)
    assert [str(p) for p in problems.errors] == []


def test_every_key_the_parser_looks_up_is_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each section is loaded with every documented key as its example shows it, while
    the keys the parsers ask statuspage.yaml's mappings for are recorded (not those the
    YAML loader itself looks up while it builds them, e.g. to refuse a repeated key)."""
    asked: set[str] = set()

    def recording(method: Any) -> Any:
        def ask(self: YamlMap, key: Any, *rest: Any) -> Any:
            if Path(sys._getframe(1).f_code.co_filename).name != "yamlfile.py":
                asked.add(key)
            return method(self, key, *rest)

        return ask

    for name in ("get", "__getitem__", "__contains__"):
        monkeypatch.setattr(YamlMap, name, recording(getattr(dict, name)))
    pages = documented()
    for number, (section, keys) in enumerate(pages.items()):
        entry: dict[str, Any] = {}
        for example in keys.values():
            entry |= yaml.safe_load(example)
        if section == "statuspage.yaml":
            del entry["language"]  # the first of `languages:` is the root's language
        entry.pop("ssl", None)  # one of `starttls:` and `ssl:`
        config = yaml.safe_dump(config_with(section, entry), sort_keys=False)
        site = SiteDir(tmp_path / str(number), config)
        _, problems = load_site(site.root)
        assert [str(p) for p in problems.errors] == [], section
    known = {key for keys in pages.values() for key in keys}
    assert asked - known == set()
    assert asked >= {"title", "slo_window_days", "publish_monitor_text", "deadline", "timeout"}
