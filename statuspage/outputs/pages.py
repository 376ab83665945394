"""Site + now -> HTML pages, through one Jinja2 environment per build.

The default theme (site-templates/) ships in the wheel; a file of the same name
in the site's own site-templates/ replaces it, and may extend `default/NAME`. Both
are rendered from the Site (source/templates.py read them): nothing here opens a file.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import jinja2
from jinja2.ext import InternationalizationExtension
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from statuspage.labels import AUTOMATIC_MESSAGES, BANNER, IMPACT_LABELS, LABELS
from statuspage.model import TemplateFile, Theme
from statuspage.outputs.cards import CardSet
from statuspage.outputs.charts import incidents_chart, mttr_chart, uptime_chart
from statuspage.outputs.freshness import freshness
from statuspage.outputs.i18n import alternates, edition_prefix, site_base_url
from statuspage.outputs.markup import plain_text
from statuspage.outputs.output import Output
from statuspage.outputs.page_set import IncidentView, Page, page_set
from statuspage.outputs.postmortems import PublishedPostmortems
from statuspage.outputs.render_cache import RenderCache
from statuspage.source.colours import BrandColours
from statuspage.source.times import isoformat
from statuspage.state.daybars import day_runs
from statuspage.state.snapshot import Snapshot


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


def _remembering_gettext(catalog: gettext.NullTranslations) -> Callable[..., str]:
    """The templates' `_()` and `gettext()`: Jinja's newstyle gettext over _escaping's, in one
    call, each answer without variables remembered (a page asks for some 35, mostly the same
    few labels; Jinja's own path costs three context calls and a format each time)."""
    lookup = catalog.gettext
    answers: dict[tuple[str, bool], str] = {}

    @jinja2.pass_context
    def call(context: jinja2.runtime.Context, string: str, /, **variables: Any) -> str:
        autoescape = context.eval_ctx.autoescape
        if not variables:
            found = answers.get((string, autoescape))
            if found is not None:
                return found
        text = lookup(string)
        # As newstyle gettext: always a format string; Markup's `%` escapes the variables.
        answer: str = (escape(text) if autoescape else text) % variables
        if not variables:
            answers[(string, autoescape)] = answer
        return answer

    return call


class _Sources(jinja2.BaseLoader):
    """Templates from the Site's memory (source/templates.py read them): rendering opens no
    file, and a name can only be one of the files read (no `..`, no path outside)."""

    def __init__(self, files: Mapping[str, TemplateFile]) -> None:
        self.files = files

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        found = self.files.get("/".join(split_template_path(template)))
        if found is None:
            raise jinja2.TemplateNotFound(template)
        return found.data.decode("utf-8"), found.filename, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.files)


def environment(
    theme: Theme, catalog: gettext.NullTranslations, cache: RenderCache | None = None
) -> jinja2.Environment:
    """The build's Jinja environment for one language (*catalog*): the site's templates
    over ours."""
    cache = cache or RenderCache()
    default = _Sources(theme.default)
    loaders: list[jinja2.BaseLoader] = [_Sources(theme.own)] if theme.own else []
    loaders += [default, jinja2.PrefixLoader({"default": default})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=[InternationalizationExtension],  # a class: a name would be imported
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build, over sources that do not change
        bytecode_cache=cache.templates,
    )
    env.install_gettext_callables(**_escaping(catalog), newstyle=True)  # type: ignore[attr-defined]
    env.globals["_"] = env.globals["gettext"] = _remembering_gettext(catalog)
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


def history_href(number: int) -> str:
    return "history/index.html" if number == 1 else f"history/{number}/index.html"


class SiteRenderer:
    """One build's pages: the PageSet and Jinja environment, set up once, rendering a page at a time
    (so a build can skip pages it already has, or share them out between processes)."""

    def __init__(self, snapshot: Snapshot, cache: RenderCache) -> None:
        self.site = site = snapshot.site
        now = snapshot.now
        zone = site.config.timezone
        self.pages = pages = page_set(snapshot, cache)
        self.env = env = environment(site.theme, site.catalog, cache)
        fmt = pages.fmt
        env.globals.update(
            site=site, config=site.config, now=now, fmt=fmt, pages=pages, history_href=history_href,
            headline=pages.headline, statuses=pages.statuses, dir=fmt.direction,
            page_status=pages.headline,  # the name site templates written before had
            slos=snapshot.slos,
            iso=lambda moment: isoformat(moment, zone),
            brand=BrandColours.of(site.config.brand_color), root_url=site_base_url(site.config),
            uptime_chart=uptime_chart, incidents_chart=incidents_chart, mttr_chart=mttr_chart,
        )  # fmt: skip
        self.postmortems = env.globals["postmortems"] = PublishedPostmortems(site, now)
        # A site's own `_uptime.html` may read anything a page has: pages include it, as before.
        env.globals["uptime_strip"] = None if UPTIME in site.theme.own else uptime_strips(env)
        under_way = bool(pages.active_incidents or pages.active_maintenance)
        self.fresh = env.globals["fresh"] = freshness(snapshot, watch=under_way)
        self.cards = CardSet(pages, site.catalog)

    def render(self, page: Page) -> bytes:
        template = self.env.get_template(page.template)
        context = dict(
            page.context,
            root=page.root,
            canonical=self.site.config.base_url + _clean(page.path),
            path=page.path,
            card=self.cards.for_page(page),  # the link preview's image (cards.py)
        )
        # `home` leads to the site root (api/, badges), above a language edition's own root.
        context.update(home=page.root + "../" * edition_prefix(self.site.config).count("/"),
                       alternates=alternates(self.site.config, page.path, page.root))  # fmt: skip
        return template.render(context).encode()

    def stylesheet(self) -> bytes:
        return self.env.get_template(STYLESHEET).render(root="").encode()


STYLESHEET = "assets/style.css"
UPTIME = "_uptime.html"


def uptime_strips(env: jinja2.Environment) -> Callable[[object], Markup]:
    """The templates' `uptime_strip(uptime)`: the default theme's `_uptime.html` for one
    component's or group's day bars, as `{% include %}` renders it, made once per build and
    language and shown again by the front page and the component's own page (the bars were
    ~6 % of a small site's rendering). That template reads only `uptime` and the globals."""
    made: dict[int, tuple[object, Markup]] = {}  # id(uptime) -> (uptime kept alive, strip)

    def strip(uptime: object) -> Markup:
        found = made.get(id(uptime))
        if found is None:
            found = made[id(uptime)] = (
                uptime,
                Markup(env.get_template(UPTIME).render(uptime=uptime)),
            )
        return found[1]

    return strip


def render_pages(snapshot: Snapshot, cache: RenderCache) -> dict[str, Output]:
    """Every HTML page (each with what it shows, as its key) and the stylesheet."""
    renderer = site_renderer(snapshot, cache)
    out = {page.path: page_output(renderer, page) for page in renderer.pages.pages()}
    out[STYLESHEET] = Output(renderer.stylesheet)
    return out


def page_output(renderer: SiteRenderer, page: Page) -> Output:
    """*page* to be rendered, keyed by what the default theme shows on it.

    A page that is not `live` shows the same for any later `now` until one of its
    incidents shows another update (a future-dated one coming due) or its postmortem is
    published: the count of shown updates and that flag stand for the instant. Pages
    showing the page status or all-time figures (index, history page 1, postmortems,
    404) get no key: they are always rendered. A live page's key also holds what its
    freshness script compares. The build adds the config, code, theme and each named
    incident's file to every key, and the site's own templates (and `now`) to a page's."""
    pages = renderer.pages
    live = page.context.get("live", True) is not False
    shared: tuple[str, ...] = (
        pages.now.isoformat() if live else "",
        pages.headline.word,
        str(bool(renderer.postmortems.newest_first)),
        # A live page's freshness script compares summary.json with what it was built with.
        f"{renderer.fresh.updated}:{renderer.fresh.watch}" if live else "",
    )

    def shown(view: IncidentView) -> str:
        published = renderer.postmortems.of(view.id) is not None
        return f"{view.status.word}:{len(view.timeline)}:{published}"

    make = partial(renderer.render, page)
    card = renderer.cards.for_page(page)
    shared += (card.path if card else "",)  # the link preview's image (cards.py)
    if "view" in page.context:
        view = page.context["view"]
        return Output(make, ("incident", *shared, shown(view)), (view.id,), page=True)
    if page.template == "component.html":
        views = page.context["views"]
        parts = ("component", *shared, page.context["figures"], *map(shown, views))
        return Output(make, parts, tuple(view.id for view in views), page=True)
    if page.template == "history.html" and page.context["number"] > 1:  # 1: all-time figures
        views = [view for _, month in page.context["months"] for view in month]
        number, count = str(page.context["number"]), str(page.context["count"])
        parts = ("history", *shared, number, count, *map(shown, views))
        return Output(make, parts, tuple(view.id for view in views), page=True)
    return Output(make, page=True)


def _clean(path: str) -> str:
    """The public URL of an output path: directories end in `/`."""
    return path.removesuffix("index.html")


def site_renderer(snapshot: Snapshot, cache: RenderCache) -> SiteRenderer:
    """One SiteRenderer per Snapshot, shared by the stages that render pages (the pages,
    subscribe/, embed/), so a build sets up its Jinja environment once."""
    made = cache.shared(snapshot).renderers
    found = made.get(snapshot)
    if found is None:
        found = made[snapshot] = SiteRenderer(snapshot, cache)
    return found
