"""Link previews: what the OpenGraph card image of each page says (no pixels here: the
picture is drawn from a Card by card_image.py, only when its file is made).

Chat clients and social sites fetch a page's `og:image` once and keep it by URL, so
a card's file is named by a digest of everything it says (`og/<digest>.png`): when the
status changes, the name changes and a link shared afterwards previews the new truth;
while nothing changes, the name and the file stay. The cards are:

- the site's, on the front page and every page that changes with time (`live`): the
  page's title, the headline in the banner's words and colour (`headline_of`, the one
  rule), each component not operational, and the build's time in the site's zone;
- the same without the time on pages that do not change with the clock alone (component
  pages, older history pages), so those are not made again on every build;
- each incident's, on its page: its title, current stage and impact, the components it
  affects, and the time of its latest update (a resolved incident's page stays as it is);
  for every open incident and the newest INCIDENT_CARDS others.

og:image must be an absolute URL: the cards are made only for a site whose `base_url` is
one (http or https).
"""

from __future__ import annotations

import gettext
import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from statuspage.labels import IMPACT_LABELS, LABELS
from statuspage.model import Component, ComponentStatus
from statuspage.outputs.badges import GREEN, OVERALL
from statuspage.outputs.card_image import HEIGHT, WIDTH

if TYPE_CHECKING:
    from statuspage.outputs.page_set import IncidentView, Page, PageSet

MAX_LINES = 3  # component lines under the status panel
# Incidents with a card of their own: every open one and the newest resolved up to this
# many. A card takes ~15 ms to draw: 50 would add most of a second to a small site's
# first build (the cards of the rest are reused by later builds). Links shared in chat
# are to recent incidents; an older one previews with its title and words only.
INCIDENT_CARDS = 10


@dataclass(frozen=True, slots=True)
class Words:
    """A text to draw, then what to draw instead if the card's font cannot draw it: the
    first of *choices* it can draw whole, else nothing. Those from *english* on are in
    English (or in no language: names, ids), what a card falls back to as a whole when
    it cannot draw its status in the page's language."""

    choices: tuple[str, ...] = ()
    english: int = 0

    @classmethod
    def of(cls, page: Iterable[str] = (), english: Iterable[str] = ()) -> Words:
        """The page's words, then the English ones (without repeats or empty ones)."""
        last = tuple(dict.fromkeys(text for text in english if text))
        first = tuple(text for text in dict.fromkeys(page) if text and text not in last)
        return cls(first + last, len(first))


def unaccented(text: str) -> str:
    """*text* without its accents ('Société' -> 'Societe'): Latin names the font can draw."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Card:
    """Everything one card says; its file name is the digest of it."""

    kicker: Words  # small, above the heading: the site's title on an incident's card
    heading: Words
    status: Words  # in the panel
    colour: str  # the panel's: the status colour of the page's banner
    lines: tuple[Words, ...]  # under the panel: the components affected
    stamp: Words  # when what it says was true
    alt: str  # the same in words, in the page's language (og:image:alt)

    @property
    def path(self) -> str:
        """Where the card is published, from the site's (or the edition's) root."""
        return f"og/{hashlib.sha256(repr(self).encode()).hexdigest()[:24]}.png"

    width = WIDTH
    height = HEIGHT


class CardSet:
    """The cards of one edition's pages, each worked out once."""

    def __init__(self, pages: PageSet, catalog: gettext.NullTranslations) -> None:
        self.pages = pages
        self._ = catalog.gettext
        self.config = pages.config
        self.enabled = self.config.base_url.startswith(("https://", "http://"))
        self.host = self.config.base_url.split("://", 1)[-1].split("/", 1)[0]

    def for_page(self, page: Page) -> Card | None:
        """The card *page* shows; None without an absolute base_url."""
        if not self.enabled:
            return None
        if "view" in page.context:
            view = page.context["view"]
            return self.incident(view) if view.id in self.carded else None
        return self.site if page.context.get("live", True) is not False else self.still

    @cached_property
    def carded(self) -> frozenset[str]:
        """The incidents with a card: the newest INCIDENT_CARDS and every open one."""
        views = self.pages.views  # newest first
        newest = {view.id for view in views[:INCIDENT_CARDS]}
        return frozenset(newest | {view.id for view in views if not view.status.is_final})

    @cached_property
    def site(self) -> Card:
        """The site's card at the build's `now`."""
        return self._site_card(self.pages.now)

    @cached_property
    def still(self) -> Card:
        """The site's card without a time, for pages that do not change with the clock."""
        return self._site_card(None)

    def _site_card(self, moment: datetime | None) -> Card:
        _, headline = self._, self.pages.headline
        broken = [
            (c, self.pages.statuses[c.id])
            for c in self.config.components
            if self.pages.statuses[c.id] is not ComponentStatus.OPERATIONAL
        ]
        status = Words.of([_(headline.banner)], [headline.banner])
        lines = tuple(self._line(component, state) for component, state in broken)
        if len(lines) > MAX_LINES:
            more = Words.of(english=[f"+ {len(lines) - MAX_LINES + 1} ..."])
            lines = (*lines[: MAX_LINES - 1], more)
        return self._card(Words.of(), status, OVERALL[headline.indicator][1], lines, moment)

    def incident(self, view: IncidentView) -> Card:
        """*view*'s card: its stage and impact, in green once it is over."""
        _ = self._
        stage, impact = LABELS[view.status.word], IMPACT_LABELS[view.impact.word]
        status = Words.of([f"{_(stage)} · {_(impact)}"], [f"{stage} · {impact}"])
        colour = GREEN if view.status.is_final else OVERALL[view.impact][1]
        moment = view.timeline[0].at if view.timeline else None
        heading = Words.of(english=[view.title, unaccented(view.title), view.id])
        names = [(c.name, c.id) for c, _state in view.affected_components]
        lines = (self._affects(names),) if names else ()
        return self._card(heading, status, colour, lines, moment)

    def _affects(self, names: list[tuple[str, str]]) -> Words:
        """'Affects: A, B' (the page's words), then in English, then by id."""
        shown, ids = ", ".join(n for n, _ in names), ", ".join(i for _, i in names)
        english = [f"Affects: {shown}", f"Affects: {unaccented(shown)}", f"Affects: {ids}"]
        return Words.of([f"{self._('Affects:')} {shown}"], english)

    def _card(
        self, heading: Words, status: Words, colour: str,
        lines: tuple[Words, ...], moment: datetime | None,
    ) -> Card:  # fmt: skip
        """A card under the site's title (as kicker if *heading* is the incident's)."""
        name = self.config.title
        title = Words.of(english=[name, unaccented(name), self.host])
        kicker, heading = (title, heading) if heading.choices else (Words.of(), title)
        stamp = Words.of()
        if moment is not None:
            local = moment.astimezone(self.config.timezone)
            time = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
            stamp = Words.of([self._("As of %(time)s") % {"time": time}], [f"As of {time}"])
        said = [status.choices[0], *(line.choices[0] for line in lines), *stamp.choices[:1]]
        alt = ". ".join([f"{(heading.choices or title.choices)[0]}: {said[0]}", *said[1:]])
        return Card(kicker, heading, status, colour, lines, stamp, alt)

    def _line(self, component: Component, state: ComponentStatus) -> Words:
        name, cid, label = component.name, component.id, LABELS[state.word]
        english = [f"{name}: {label}", f"{unaccented(name)}: {label}", f"{cid}: {label}"]
        return Words.of([f"{name}: {self._(label)}"], english)
