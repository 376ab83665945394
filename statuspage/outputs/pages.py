"""Site + now -> HTML pages, through one Jinja2 environment per build.

The default theme (site-templates/) ships in the wheel; a file of the same name
in the site's own site-templates/ replaces it, and may extend `default/NAME`.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, partial
from itertools import islice
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from statuspage.labels import AUTOMATIC_MESSAGES, BANNER, IMPACT_LABELS, LABELS
from statuspage.model import (
    Component,
    ComponentStatus,
    Group,
    Incident,
    IncidentStatus,
    Update,
)
from statuspage.outputs.i18n import Formatter, alternates, edition_prefix, site_translations
from statuspage.outputs.markup import plain_text
from statuspage.outputs.output import Output
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.colours import BrandColours
from statuspage.source.postmortem_file import PublishedPostmortems
from statuspage.source.site_folder import SiteFolder
from statuspage.source.times import isoformat
from statuspage.state.daybars import day_runs
from statuspage.state.reliability import QuarterFigures
from statuspage.state.snapshot import Snapshot
from statuspage.state.uptime import Uptime
from statuspage.theme import TEMPLATES_DIR, default_templates_dir

RECENT_DAYS = 14
ACTIVE_LIMIT = 50  # open incidents shown on the front page, newest first


def _escaping(catalog: gettext.NullTranslations) -> dict[str, Callable[..., str]]:
    """gettext callables whose translations are escaped wherever the template autoescapes.

    Jinja's newstyle gettext marks every translation as safe HTML, but a site's own
    translations/<lang>.po is operator text like any other field: `<img onerror>`
    there must show as text. (The shipped catalogs hold no markup.)"""

    def escaped(lookup: Callable[..., str]) -> Callable[..., str]:
        @jinja2.pass_context
        def call(context: jinja2.runtime.Context, *args: Any) -> str:
            text = lookup(*args)
            return escape(text) if context.eval_ctx.autoescape else text

        return call

    names = ("gettext", "ngettext", "pgettext", "npgettext")
    return {name: escaped(getattr(catalog, name)) for name in names}


class _SiteTemplates(jinja2.FileSystemLoader):
    """The site's own site-templates/, read only through the site-folder gate: a template
    that is a link out of the site is not there (and `check` reports it)."""

    def __init__(self, folder: SiteFolder) -> None:
        super().__init__(folder.root / TEMPLATES_DIR)
        self.folder = folder

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        if self.folder.inside(f"{TEMPLATES_DIR}/{template}") is None:
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


def environment(
    root: Path | None, language: str, cache: RenderCache | None = None
) -> jinja2.Environment:
    """The build's Jinja environment for *language*: the site's templates over ours."""
    cache = cache or RenderCache()
    default = jinja2.FileSystemLoader(default_templates_dir())
    loaders: list[jinja2.BaseLoader] = []
    if (
        root is not None
        and (root / TEMPLATES_DIR).is_dir()
        and (root / TEMPLATES_DIR).resolve() != default_templates_dir().resolve()
    ):
        loaders.append(_SiteTemplates(SiteFolder(root)))
    loaders += [default, jinja2.PrefixLoader({"default": default})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates on every page
        bytecode_cache=cache.templates,
    )
    env.install_gettext_callables(**_escaping(site_translations(root, language)), newstyle=True)  # type: ignore[attr-defined]
    # Messages sit under an h3 (the update's, or the incident's on the front page).
    converted = cache.markdown
    env.filters["markdown"] = lambda text: Markup(converted.render(text, top=4))
    env.filters["plain_text"] = lambda text: plain_text(text, converted)
    env.globals.update(
        LABELS=LABELS,
        IMPACT_LABELS=IMPACT_LABELS,
        BANNER=BANNER,
        AUTOMATIC_MESSAGES=AUTOMATIC_MESSAGES,
        day_runs=day_runs,
    )
    return env


@dataclass(frozen=True)
class ComponentRow:
    component: Component | Group
    status: ComponentStatus
    members: tuple[ComponentRow, ...] = ()

    @property
    def is_group(self) -> bool:
        return isinstance(self.component, Group)


class IncidentView:
    """One incident as of `now`, with what pages show of it computed once."""

    def __init__(self, incident: Incident, snapshot: Snapshot) -> None:
        self.incident = incident
        self.snapshot = snapshot
        self.now = snapshot.now
        self.config = snapshot.config

    def __getattr__(self, name: str) -> Any:
        return getattr(self.incident, name)

    @cached_property
    def timeline(self) -> list[Update]:
        """Newest first, as readers expect."""
        return list(reversed(self.snapshot.timeline(self.incident)))

    @cached_property
    def status(self) -> IncidentStatus:
        return self.snapshot.status(self.incident)

    @cached_property
    def resolved_at(self) -> datetime | None:
        return self.snapshot.resolved_at(self.incident)

    @cached_property
    def duration(self) -> timedelta:
        return self.snapshot.duration(self.incident)

    @property
    def latest(self) -> Update:
        return self.timeline[0]

    @property
    def path(self) -> str:
        return f"incidents/{self.incident.id}/"

    @cached_property
    def affected_components(self) -> list[tuple[Component, ComponentStatus]]:
        """Each affected component with the worst status the incident gave it."""
        worst: dict[str, ComponentStatus] = {}
        for cid, status in self.incident.components:
            worst[cid] = max(worst.get(cid, status), status)
        for update in self.incident.updates:
            if update.at <= self.now:
                for cid, status in update.components:
                    worst[cid] = max(worst.get(cid, status), status)
        return [(c, worst[c.id]) for c in self.config.components if c.id in worst]

    @property
    def started_day(self) -> date:
        return self.incident.started_at.astimezone(self.config.timezone).date()


@dataclass(frozen=True)
class Page:
    path: str  # output path, e.g. incidents/x/index.html
    template: str
    context: dict[str, Any]

    @property
    def root(self) -> str:
        """Relative prefix back to the site root, so the site works under any path and from disk."""
        return "../" * self.path.count("/")


class PageSet:
    """Everything the HTML pages need, derived from the Snapshot (which holds the costly parts)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.site = snapshot.site
        self.config = snapshot.config
        self.now = snapshot.now
        self.fmt = Formatter(self.config.language, self.config.timezone)
        self.views = [IncidentView(i, snapshot) for i in snapshot.visible]
        self.statuses = snapshot.component_statuses
        self.page_status = snapshot.page_status

    @cached_property
    def components(self) -> list[ComponentRow]:
        """Top-level rows in config order; a group carries its members."""
        rows: list[tuple[int, ComponentRow]] = []
        for group in self.config.groups:
            members = tuple(
                ComponentRow(c, self.statuses[c.id])
                for c in self.config.components
                if c.group == group.id
            )
            rows.append((group.position, ComponentRow(group, self.statuses[group.id], members)))
        rows += [
            (c.position, ComponentRow(c, self.statuses[c.id]))
            for c in self.config.components
            if c.group is None
        ]
        return [row for _, row in sorted(rows, key=lambda r: r[0])]

    @property
    def uptime(self) -> dict[str, Uptime]:
        """Day bars and 90-day uptime per component and group id (uptime.py)."""
        return self.snapshot.uptime

    @property
    def reliability(self) -> list[QuarterFigures]:
        """Incidents by impact and MTTR per quarter, newest first (reliability.py)."""
        return self.snapshot.quarters

    @property
    def active_incidents(self) -> list[IncidentView]:
        """The newest open incidents; capped so the front page never grows with history
        (older open ones stay on their pages and in the history)."""
        active = (
            v for v in self.views if not v.is_maintenance and self.snapshot.is_open(v.incident)
        )
        return list(islice(active, ACTIVE_LIMIT))

    @property
    def active_maintenance(self) -> list[IncidentView]:
        return [v for v in self.views if v.is_maintenance and self.snapshot.is_open(v.incident)]

    @property
    def upcoming_maintenance(self) -> list[IncidentView]:
        upcoming = [
            v for v in self.views if v.is_maintenance and self.snapshot.is_upcoming(v.incident)
        ]
        return sorted(upcoming, key=lambda v: (v.incident.started_at, v.id))

    @cached_property
    def past(self) -> list[IncidentView]:
        """Everything that has happened or begun, newest first (upcoming maintenance left out)."""
        return [
            v for v in self.views if not (v.is_maintenance and v.status is IncidentStatus.SCHEDULED)
        ]

    def recent_days(self) -> list[tuple[date, list[IncidentView]]]:
        today = self.now.astimezone(self.config.timezone).date()
        days = [today - timedelta(days=n) for n in range(RECENT_DAYS)]
        by_day: dict[date, list[IncidentView]] = {d: [] for d in days}
        for view in self.past:
            if view.started_day in by_day:
                by_day[view.started_day].append(view)
        return [(d, by_day[d]) for d in days]

    def history_pages(self) -> Iterator[tuple[int, int, list[tuple[date, list[IncidentView]]]]]:
        """(page number, page count, [(month, incidents)]), newest first; page 1 always exists.

        Pages are cut from the oldest incident on: every page holds `history_per_page`
        incidents, and page 1 also the newest ones that do not fill a page yet (so it
        holds up to twice as many). A new incident then changes page 1 alone; only once
        every `history_per_page` new incidents does every page move up one number. Cut
        from the newest, each new incident would shift one incident across every page,
        and a rebuild would render all of them again."""
        per, past = self.config.history_per_page, self.past
        count = max(len(past) // per, 1)
        first = len(past) - (count - 1) * per
        chunks = [past[:first]] + [
            past[first + i * per : first + (i + 1) * per] for i in range(count - 1)
        ]
        for number, chunk in enumerate(chunks, start=1):
            months: dict[date, list[IncidentView]] = {}
            for view in chunk:
                months.setdefault(view.started_day.replace(day=1), []).append(view)
            yield number, len(chunks), list(months.items())

    def pages(self) -> Iterator[Page]:
        """Every page; `live` is False on those that show nothing that changes with the
        clock alone (a resolved incident, a history page of resolved ones), so they
        neither show the build time nor need rendering again when only `now` moves."""
        yield Page("index.html", "index.html", {"page_name": "index"})
        for view in self.views:
            context = {"page_name": "incident", "view": view, "live": not view.status.is_final}
            yield Page(f"incidents/{view.id}/index.html", "incident.html", context)
        for number, count, months in self.history_pages():
            path = "history/index.html" if number == 1 else f"history/{number}/index.html"
            live = number == 1 or any(
                not view.status.is_final for _, views in months for view in views
            )  # page 1: figures as of now
            context = {
                "page_name": "history",
                "number": number,
                "count": count,
                "months": months,
                "live": live,
            }
            yield Page(path, "history.html", context)
        yield Page("postmortems/index.html", "postmortems.html", {"page_name": "postmortems"})
        yield Page("404.html", "404.html", {"page_name": "404"})


def history_href(number: int) -> str:
    return "history/index.html" if number == 1 else f"history/{number}/index.html"


class SiteRenderer:
    """One build's pages: the PageSet and Jinja environment, set up once, rendering a page at a time
    (so a build can skip pages it already has, or share them out between processes)."""

    def __init__(
        self, snapshot: Snapshot, cache: RenderCache, extra_globals: dict[str, Any] | None = None
    ) -> None:
        self.site = site = snapshot.site
        now = snapshot.now
        self.pages = pages = PageSet(snapshot)
        self.env = env = environment(site.root, site.config.language, cache)
        fmt = pages.fmt
        zone = site.config.timezone
        env.globals.update(
            site=site, config=site.config, now=now, fmt=fmt, pages=pages, history_href=history_href,
            page_status=pages.page_status, statuses=pages.statuses, dir=fmt.direction,
            iso=lambda moment: isoformat(moment, zone),
            brand=BrandColours.of(site.config.brand_color),
            **(extra_globals or {}),
        )  # fmt: skip
        self.postmortems = env.globals["postmortems"] = PublishedPostmortems(site, now)

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        context = dict(
            page.context,
            root=page.root,
            canonical=self.site.config.base_url + _clean(page.path),
            path=page.path,
        )
        # `home` leads to the site root (api/, badges), above a language edition's own root.
        context.update(home=page.root + "../" * edition_prefix(self.site.config).count("/"),
                       alternates=alternates(self.site.config, page.path, page.root))  # fmt: skip
        return template.render(context).encode()

    def stylesheet(self) -> bytes:
        return self.env.get_template(STYLESHEET).render(root="").encode()


STYLESHEET = "assets/style.css"


def render_pages(
    snapshot: Snapshot, cache: RenderCache, extra_globals: dict[str, Any] | None = None
) -> dict[str, Output]:
    """Every HTML page (each with what it shows, as its key) and the stylesheet."""
    renderer = SiteRenderer(snapshot, cache, extra_globals)
    out = {page.path: page_output(renderer, page) for page in renderer.pages.pages()}
    out[STYLESHEET] = Output(renderer.stylesheet)
    return out


def page_output(renderer: SiteRenderer, page: Page) -> Output:
    """*page* to be rendered, keyed by what the default theme shows on it.

    A page that is not `live` shows the same for any later `now` until one of its
    incidents shows another update (a future-dated one coming due) or its postmortem is
    published: the count of shown updates and that flag stand for the instant. Pages
    showing the page status or all-time figures (index, history page 1, postmortems,
    404) get no key: they are always rendered. The build adds the config, code, theme
    and each named incident's file to every key, and the site's own templates (and
    `now`) to a page's."""
    pages = renderer.pages
    shared = (
        "" if page.context.get("live", True) is False else pages.now.isoformat(),
        pages.page_status.indicator.word,
        str(bool(renderer.postmortems.newest_first)),
    )

    def shown(view: IncidentView) -> str:
        published = renderer.postmortems.of(view.id) is not None
        return f"{view.status.word}:{len(view.timeline)}:{published}"

    make = partial(renderer.render, page)
    if "view" in page.context:
        view = page.context["view"]
        return Output(make, ("incident", *shared, shown(view)), (view.id,), page=True)
    if page.template == "history.html" and page.context["number"] > 1:  # 1: all-time figures
        views = [view for _, month in page.context["months"] for view in month]
        number, count = str(page.context["number"]), str(page.context["count"])
        parts = ("history", *shared, number, count, *map(shown, views))
        return Output(make, parts, tuple(view.id for view in views), page=True)
    return Output(make, page=True)


def _clean(path: str) -> str:
    """The public URL of an output path: directories end in `/`."""
    return path.removesuffix("index.html")


Renderer = Callable[[Snapshot, RenderCache], dict[str, Output]]
