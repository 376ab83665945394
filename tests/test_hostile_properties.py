"""Property tests: random content never crashes the loader (only Problems come
back) and whatever builds is parseable and inert in every output file."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from statuspage.pipeline.build import build
from statuspage.outputs.markup import render_markdown
from statuspage.pipeline.writer import write_site
from statuspage.source.site import load_site
from statuspage.source.yamlfile import YamlError, parse_yaml

from .inert import html_fragment_dangers, site_dangers

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
