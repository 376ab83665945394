"""Property tests: random content never crashes the loader (only Problems come
back) and whatever builds is parseable and inert in every output file."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from statuspage.commands.main import cli
from statuspage.errors import inert_line
from statuspage.outputs.markup import render_markdown
from statuspage.pipeline.build import build
from statuspage.pipeline.writer import write_site
from statuspage.source.site import load_site
from statuspage.source.yamlfile import YamlError, parse_yaml

from .support.inert import html_fragment_dangers, printed_dangers, site_dangers

SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST = settings(max_examples=200, deadline=None)

TOKENS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "data:text/html,x",
    "<svg onload=alert(1)>", "<iframe src=x>", "<style>", "</p>", "<a href=", '"', "'", "&#x6A;", "&lt;",
    "[", "]", "(", ")", "![", "](", "*", "_", "`", "```", "~~~", "#", "## ", "> ", "- ", "1. ", "|", "---",
    "\n", "\n\n", "    ", "\t", "\r\n", "{{ x }}", "{% if %}", "\\", "<", ">", "&", "%", ":", "é", "\u202e", "😀",
]  # fmt: skip
markdownish = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=40).map(
    "".join
)
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
STATUS_WORDS = [
    "operational",
    "degraded_performance",
    "partial_outage",
    "major_outage",
    "under_maintenance",
    "bogus",
    "",
]
UPDATE_WORDS = [
    "Investigating",
    "Identified",
    "Monitoring",
    "Resolved",
    "Scheduled",
    "Completed",
    "nonsense",
]
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def timestamps() -> st.SearchStrategy[str]:
    # Naive on purpose: these become wall-clock text in the site's zone.
    window = datetime(2026, 11, 19), datetime(2026, 11, 23)  # noqa: DTZ001
    valid = st.datetimes(min_value=window[0], max_value=window[1]).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")
    )
    offsets = st.sampled_from(["", " +01:00", "Z", " -23:59", " +99:00"])
    return st.one_of(
        st.tuples(valid, offsets).map("".join),
        any_text,
        st.sampled_from(["9999-12-31 23:59 +14:00", "2026-02-30 10:00"]),
    )


def yaml_value(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    """A value written as YAML (JSON is valid YAML), or raw text pasted as-is."""
    return st.one_of(strategy.map(json.dumps), any_text)


@st.composite
def incident_files(draw: st.DrawFn) -> str:
    title = draw(yaml_value(st.one_of(any_text, markdownish)))
    components = draw(
        st.dictionaries(
            st.sampled_from(["api", "web", "db", "nope", "<x>"]),
            st.sampled_from(STATUS_WORDS),
            max_size=3,
        )
    )
    lines = ["---", f"title: {title}", f"components: {json.dumps(components)}"]
    if draw(st.booleans()):
        lines.append(
            f"impact: {draw(yaml_value(st.sampled_from(['minor', 'major', 'critical', 'none', 'maintenance', 'x'])))}"
        )
    if draw(st.booleans()):
        lines.append(
            f"postmortem: {draw(yaml_value(st.sampled_from(['https://x.example/pm', 'javascript:alert(1)', ''])))}"
        )
    lines += ["---", ""]
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"## {draw(st.sampled_from(UPDATE_WORDS))} · {draw(timestamps())}")
        if draw(st.booleans()):
            lines.append(
                f"Components: {draw(st.sampled_from(['api', 'web', 'x']))}={draw(st.sampled_from(STATUS_WORDS))}"
            )
        lines += [draw(markdownish), ""]
    return "\n".join(lines)


@st.composite
def configs(draw: st.DrawFn) -> str:
    def text() -> str:
        return draw(yaml_value(st.one_of(any_text, markdownish)))

    lines = [
        f"title: {text()}",
        "base_url: https://status.example/",
        f"description: {text()}",
        "components:",
    ]
    for i in range(draw(st.integers(0, 3))):
        lines += [
            f"  - id: {draw(st.sampled_from([f'c{i}', 'api', 'Bad Id', '<b>']))}",
            f"    name: {text()}",
            f"    description: {text()}",
        ]
    if draw(st.booleans()):
        lines += [f"  - group: {text()}", "    components:", f"      - {{id: api, name: {text()}}}"]
    return "\n".join(lines) + "\n"


DEFAULT_CONFIG = "title: T\nbase_url: https://status.example/\ntimezone: Europe/Berlin\ncomponents:\n  - {id: api, name: API}\n  - {id: web, name: Web}\n"


def load_and_build(config: str, incidents: list[str]) -> None:
    """Load (which must not raise); if the site is valid, build it and check every output file."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        (root / "incidents").mkdir(parents=True)
        (root / "statuspage.yaml").write_text(config, encoding="utf-8")
        for n, text in enumerate(incidents):
            (root / "incidents" / f"2026-11-20-case-{n}.md").write_text(text, encoding="utf-8")
        site, problems = load_site(root)
        for problem in problems.items:
            assert str(problem).startswith(problem.path) and problem.message
            assert printed_dangers(str(problem)) == [], str(problem)
        if site is None:
            assert problems.errors
            return
        out = Path(tmp) / "out"
        write_site(build(site, NOW), out, root)
        bad = {rel: found for rel, found in site_dangers(out).items() if found}
        assert not bad, bad


@SLOW
@given(st.lists(incident_files(), min_size=1, max_size=3))
def test_random_incidents_never_crash_and_build_inert(incidents: list[str]) -> None:
    load_and_build(DEFAULT_CONFIG, incidents)


@SLOW
@given(configs())
def test_random_component_maps_never_crash_and_build_inert(config: str) -> None:
    load_and_build(config, [])


@FAST
@given(markdownish)
@example("[](<script>alert(1)</script>)")  # nh3 < 0.3.7 leaves `<` raw in attribute values
def test_rendered_markdown_is_inert(body: str) -> None:
    html = render_markdown(body)
    assert "<script" not in html.lower()
    assert html_fragment_dangers(html) == []


@FAST
@given(
    st.one_of(
        any_text,
        markdownish,
        st.lists(
            st.sampled_from(
                [
                    "&a ",
                    "*a",
                    "[",
                    "{",
                    "- ",
                    "  ",
                    "\n",
                    "!!python/object ",
                    "<<: ",
                    ": ",
                    "\t",
                    '"\\0"',
                ]
            ),
            max_size=30,
        ).map("".join),
    )
)
def test_yaml_gives_data_or_a_located_error(text: str) -> None:
    try:
        parse_yaml(text, first_line=2)
    except YamlError as e:
        assert e.line >= 2 and e.message


# Text a terminal or a CI log would act on: controls, line breaks, bidi, workflow commands.
HOSTILE_PIECES = [
    "\n", "\r", "\r\n", "\x1b[2J", "\x1b]0;x\x07", "\x9b31m", "\x85", "\x7f", "\x00", "\x0b",
    "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\u061c", "::", "::error file=x::y",
    "::add-mask::", "##[error]", " ", "\t", "\u00a0", "\u200b", "\ufeff", "é", "😀",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_PIECES),
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=3),
    ),
    max_size=12,
).map("".join)


@FAST
@given(hostile_text)
@example("\n::error file=x::y")
@example("\u00a0\u200b::add-mask::x")
def test_inert_line_is_one_line_that_nothing_acts_on(text: str) -> None:
    line = inert_line(text)
    assert printed_dangers(line) == [] and len(line.splitlines()) <= 1, repr(line)
    assert inert_line(line) == line  # printing what was printed changes nothing more


ALERT_SITE = (
    DEFAULT_CONFIG
    + """\
alerts:
  publish: direct
  rules:
    - id: api
      match: {alertname: ApiDown}
      components: {api: major_outage}
      title: The API is down
"""
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    labels=st.dictionaries(hostile_text, hostile_text, max_size=3),
    name=st.one_of(st.just("ApiDown"), hostile_text),
    summary=hostile_text,
    bad=st.booleans(),
)
def test_alert_prints_every_line_inert_whatever_the_labels(
    labels: dict[str, str], name: str, summary: str, bad: bool
) -> None:
    """Opened, ignored or refused (a label that is not text): each printed line is inert."""
    alert = {
        "status": "firing",
        "labels": {**labels, "alertname": name, **({summary: 1} if bad else {})},
        "annotations": {"summary": summary, "description": summary},
        "startsAt": "2026-11-21T10:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "fingerprint": "0123456789abcdef",
    }
    body = json.dumps({"version": "4", "status": "firing", "alerts": [alert]})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "incidents").mkdir()
        (root / "statuspage.yaml").write_text(ALERT_SITE, encoding="utf-8")
        result = CliRunner().invoke(
            cli,
            ["alert", "--format", "alertmanager", "--now", "2026-11-21T12:00:00Z", "--source",
             str(root), "-"],
            input=body,
        )  # fmt: skip
    assert result.exit_code == (1 if bad else 0), result.output
    assert printed_dangers(result.output) == [], result.output
