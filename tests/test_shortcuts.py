"""The shortcuts a rebuild of years of history takes give the plain definitions' answers.

Feeds walk incidents newest first and stop once full; `changed_at` stops once no
older incident can move a component; quarterly figures are tallied in one pass.
Each is checked here against the definition it stands for, over random sites with
long-running incidents, late updates, future-dated updates and maintenance windows."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from statuspage.errors import Problems
from statuspage.model import ComponentStatus, Impact, Incident, IncidentStatus, Site, Update, Window
from statuspage.outputs import feeds
from statuspage.outputs.api import ApiView
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.config import load_config
from statuspage.state import status as st
from statuspage.state.reliability import IMPACTS, quarter_of, quarterly_figures
from statuspage.state.snapshot import Snapshot

from .conftest import CONFIG, at, write

BASE = at("2025-10-01 00:00")
COMPONENTS = ["api", "web", "dashboard", "db"]
statuses = hs.sampled_from(
    [s for s in ComponentStatus if s is not ComponentStatus.UNDER_MAINTENANCE]
)


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("site")
    write(root / "statuspage.yaml", CONFIG)
    return load_config(root, Problems(Path(root)))


@hs.composite
def incidents(draw, number: int):
    """An incident (or a maintenance) whose updates may span months, some of them dated later than the build."""
    n = draw(hs.integers(1, 4))
    offsets = sorted(draw(hs.lists(hs.integers(0, 400_000), min_size=n, max_size=n, unique=True)))
    moments = [BASE + timedelta(minutes=o) for o in offsets]

    def changes() -> tuple[tuple[str, ComponentStatus], ...]:
        picked = draw(hs.lists(hs.sampled_from(COMPONENTS), unique=True, max_size=2))
        return tuple((c, draw(statuses)) for c in picked)

    if draw(hs.booleans()) and n <= 3:
        start = moments[-1] + timedelta(hours=draw(hs.integers(1, 48)))
        window = Window(start, start + timedelta(hours=draw(hs.integers(1, 6))))
        words = [IncidentStatus.SCHEDULED] * n
        updates = tuple(Update(w, m, "x") for w, m in zip(words, moments, strict=True))
        return Incident(
            f"m{number}",
            "M",
            Impact.MAINTENANCE,
            tuple((c, ComponentStatus.UNDER_MAINTENANCE) for c, _ in changes()),
            updates,
            maintenance=window,
        )
    final = draw(hs.sampled_from([IncidentStatus.RESOLVED, IncidentStatus.MONITORING]))
    words = [
        draw(hs.sampled_from([IncidentStatus.INVESTIGATING, IncidentStatus.IDENTIFIED]))
        for _ in range(n - 1)
    ] + [final]
    updates = tuple(
        Update(w, m, "x", components=changes()) for w, m in zip(words, moments, strict=True)
    )
    impact = draw(hs.sampled_from([Impact.NONE, Impact.MINOR, Impact.MAJOR, Impact.CRITICAL]))
    return Incident(f"i{number}", "I", impact, changes(), updates)


@hs.composite
def sites(draw, config):
    count = draw(hs.integers(0, 12))
    items = [draw(incidents(n)) for n in range(count)]
    items.sort(key=lambda i: (i.started_at, i.id), reverse=True)  # as content.py orders them
    now = BASE + timedelta(minutes=draw(hs.integers(0, 420_000)))
    return Site(config=config, incidents=tuple(items)), now


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=hs.data())
def test_feed_events_are_every_event_newest_first(config, data) -> None:
    site, now = data.draw(sites(config))
    expected = [
        (u.at, i.id, feeds.update_key(i, u))
        for i in site.incidents
        if st.is_visible(i, now)
        for u in st.timeline(i, now)
    ]
    expected.sort(reverse=True)
    assert [
        feeds.feed_order(e) for e in feeds.feed_events(Snapshot(site, now), RenderCache())
    ] == expected


@SETTINGS
@given(data=hs.data())
def test_changed_at_is_each_components_latest_change(config, data) -> None:
    site, now = data.draw(sites(config))
    view = ApiView(Snapshot(site, now))
    latest: dict[str, object] = {}
    for incident in view.incidents:
        for update, made in view.changes(incident):
            for change in made:
                latest[change.component] = max(latest.get(change.component, update.at), update.at)  # type: ignore[type-var]
    assert ApiView(Snapshot(site, now)).changed_at == latest


@SETTINGS
@given(data=hs.data())
def test_quarterly_figures_count_every_incident_once(config, data) -> None:
    site, now = data.draw(sites(config))
    counted = [i for i in site.incidents if not i.is_maintenance and st.is_visible(i, now)]
    figures = {q.quarter: q for q in quarterly_figures(config, site.incidents, now)}
    for quarter, figure in figures.items():
        inside = [i for i in counted if quarter_of(i.created_at, config.timezone) == quarter]
        for cid, scope in [(None, inside)] + [
            (
                c,
                [
                    i
                    for i in inside
                    if c
                    in {x for x, _ in i.components}
                    | {x for u in i.updates if u.at <= now for x, _ in u.components}
                ],
            )
            for c in COMPONENTS
        ]:
            got = figure.overall if cid is None else figure.components[cid]
            assert got.by_impact == {
                impact: Counter(i.impact for i in scope)[impact] for impact in IMPACTS
            }
            times = [st.resolved_at(i, now) - i.created_at for i in scope if st.resolved_at(i, now)]
            assert got.resolved == len(times)
            mean = sum(times, timedelta(0)) / len(times) if times else None
            assert got.mttr == (
                timedelta(seconds=round(mean.total_seconds())) if mean is not None else None
            )
    assert sum(q.overall.total for q in figures.values()) == len(counted)


@settings(max_examples=200, deadline=None)
@given(
    spans=hs.lists(
        hs.tuples(hs.integers(0, 60 * 24 * 12), hs.integers(1, 60 * 24 * 3), statuses), max_size=12
    ),
    minute=hs.integers(0, 60 * 24 * 12),
    start_day=hs.one_of(hs.none(), hs.integers(0, 10)),
)
def test_day_bars_sweep_equals_each_days_overlap(spans, minute, start_day) -> None:
    """uptime.py walks the merged spans once for all the days; each day's durations
    must be what that day's overlap with every span gives."""
    from zoneinfo import ZoneInfo

    from statuspage.state.uptime import Span, start_of_day, uptime_of, worst_over_time

    zone = ZoneInfo("America/New_York")  # a DST change (Nov 1 2026) inside the days
    origin = at("2026-10-25 00:00")
    now = origin + timedelta(minutes=minute)
    made = [
        Span(origin + timedelta(minutes=a), origin + timedelta(minutes=a + n), s)
        for a, n, s in spans
    ]
    first = (
        None if start_day is None else (origin + timedelta(days=start_day)).astimezone(zone).date()
    )
    got = uptime_of("api", made, first, now, zone, days=14)
    merged = worst_over_time(made)
    for bar in got.days:
        if first is not None and bar.day < first:
            assert bar.status is None and bar.observed == timedelta(0)
            continue
        begin, end = (
            start_of_day(bar.day, zone),
            min(start_of_day(bar.day + timedelta(days=1), zone), now),
        )
        spent: dict[ComponentStatus, timedelta] = {}
        for span in merged:
            overlap = min(span.end, end) - max(span.start, begin)
            if overlap > timedelta(0):
                spent[span.status] = spent.get(span.status, timedelta(0)) + overlap
        assert bar.durations == tuple(sorted(spent.items(), reverse=True))
        assert bar.observed == max(end - begin, timedelta(0))


@settings(max_examples=300, deadline=None)
@given(spans=hs.lists(hs.tuples(hs.integers(0, 50), hs.integers(0, 20), statuses), max_size=10))
def test_worst_over_time_is_the_worst_covering_status_at_every_instant(spans) -> None:
    """The one sweep (uptime.py) against the definition: at each instant, the worst status
    of the spans covering it; adjacent pieces of one status are one span."""
    from statuspage.state.uptime import Span, worst_over_time

    origin = at("2026-10-25 00:00")
    made = [
        Span(origin + timedelta(minutes=a), origin + timedelta(minutes=a + n), s)
        for a, n, s in spans
    ]
    merged = worst_over_time(made)
    for minute in range(0, 72):
        instant = origin + timedelta(minutes=minute, seconds=30)
        covering = [s.status for s in made if s.start <= instant < s.end]
        shown = [s.status for s in merged if s.start <= instant < s.end]
        assert shown == ([max(covering)] if covering else [])
    for before, after in pairwise(merged):
        assert before.end <= after.start
        assert not (before.end == after.start and before.status is after.status)


@settings(max_examples=300, deadline=None)
@given(
    seconds=hs.integers(0, 10 * 365 * 86400),
    zone=hs.sampled_from(
        [
            "Europe/Berlin",
            "America/New_York",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "UTC",
            "America/Sao_Paulo",
            "Asia/Tokyo",
        ]
    ),
    language=hs.sampled_from(["en", "de", "fr", "ja", "ar", "pt_BR", "zh_Hans", "es"]),
)
def test_formatted_instants_equal_babels_own_formatting(seconds, zone, language) -> None:
    """The Formatter makes dates, clocks and zone names once each and joins them; the result
    must be what Babel gives for the whole instant."""
    from zoneinfo import ZoneInfo

    from babel.dates import format_skeleton, get_datetime_format, get_timezone_name

    from statuspage.outputs.i18n import Formatter, babel_locale

    formatter = Formatter(language, ZoneInfo(zone))
    locale = babel_locale(language)
    moments = [at("2020-01-01 00:00") + timedelta(seconds=seconds + n * 3217) for n in range(3)]
    for moment in moments:
        local = moment.astimezone(ZoneInfo(zone))
        short = get_timezone_name(local, "short", locale=locale)
        abbreviation = local.strftime("%Z")
        if abbreviation != "UTC" and short[:1].isalpha() and not short.startswith(("GMT", "UTC")):
            abbreviation = short
        clock = f"{format_skeleton('Hm', local, locale=locale)} {abbreviation}"
        day = format_skeleton("yMMMd", local, locale=locale)
        whole = (
            str(get_datetime_format("medium", locale=locale))
            .replace("{1}", day)
            .replace("{0}", clock)
        )
        assert formatter.time(moment) == clock
        assert formatter.datetime(moment) == whole


_BODY_ALPHABET = "aZq09 ,.;:'\"?!()/%$-\n\t_*`#>=+[]<>&@\\~|é\u00a0wWfFtTpP"


@settings(max_examples=2000, deadline=None)
@given(
    body=hs.one_of(
        hs.from_regex(r"[A-Za-z][A-Za-z0-9 ,.;:'\"?!()/%$-]{0,60}\n{0,2}", fullmatch=True),
        hs.text(alphabet=_BODY_ALPHABET, max_size=40),
        hs.sampled_from(
            [
                "1. first",
                "A  ",
                "x www.example.com",
                "Go to ftp.example.org",
                "see http://a.b",
                "A -- b",
                "Done.\n\n",
                "- item",
                "# Title",
                "Title\n===",
                "a  \nb",
            ]
        ),
    )
)
def test_plain_one_line_bodies_convert_as_python_markdown_converts_them(body) -> None:
    """markup.py writes a one-line body of words and plain punctuation as one paragraph
    itself; for every body, that must be Python-Markdown's HTML, byte for byte."""
    from statuspage.outputs.markup import _convert, _converter, _python_markdown

    assert _convert(_converter(), body) == _python_markdown(_converter(), body)
