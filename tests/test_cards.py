"""Link-preview cards: what a chat client shows for a shared link is the page's status.

Each page's `og:image` (read from the HTML with lxml) must lead to a PNG in the built
site, 1200 x 630, whose status panel is painted in the colour of the banner the page
shows; its name changes when what it says changes, and only then.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from statuspage.pipeline.run import run_build

from .conftest import SiteDir, write
from .support.api_sites import ACTIVE, ALL_CLEAR, IN_MAINTENANCE, add_incidents
from .support.incremental import tree

BASE = "https://status.test.example/sub/"
# The banner's colour for each level its `b-<word>` class names (the page's own palette).
COLOURS = {
    "none": (0x1A, 0x7F, 0x37),
    "maintenance": (0x09, 0x69, 0xDA),
    "minor": (0x9A, 0x67, 0x00),
    "major": (0xBC, 0x4C, 0x00),
    "critical": (0xCF, 0x22, 0x2E),
}
# The middle of the card, where it states the status: well inside its panel.
STATUS_AREA = (80, 225, 1120, 345)

OUTAGE = """\
---
title: Everything is down
impact: critical
components: {api: major_outage, db: major_outage}
---

## Investigating · 2026-11-25 17:00 +01:00
Nothing answers.
"""


class Preview:
    """What a chat client reads from one page: the og: and twitter: tags, and the image."""

    def __init__(self, out: Path, page: str) -> None:
        tree_ = lxml_html.fromstring((out / page).read_bytes())
        self.meta = {
            (m.get("property") or m.get("name")): m.get("content")
            for m in tree_.xpath("//head/meta[@property or @name]")
        }
        self.banner = tree_.xpath("string(//section[contains(@class, 'banner')]/@class)")
        self.url = self.meta.get("og:image")
        self.file = out / self.url.removeprefix(BASE) if self.url else None

    def image(self) -> Image.Image:
        assert self.url is not None and self.url.startswith(BASE), self.url  # absolute
        assert self.file is not None and self.file.is_file(), self.url
        with Image.open(self.file) as image:
            assert image.format == "PNG"
            return image.convert("RGB")


def colours(image: Image.Image, box: tuple[int, int, int, int]) -> Counter[tuple[int, int, int]]:
    """How many pixels of each colour *box* holds."""
    crop = image.crop(box)
    return Counter({colour: count for count, colour in crop.getcolors(crop.width * crop.height)})


def dominant(image: Image.Image, box: tuple[int, int, int, int]) -> tuple[int, int, int]:
    return colours(image, box).most_common(1)[0][0]


def banner_level(out: Path) -> str:
    """The level the front page's banner shows (its `b-<word>` class)."""
    classes = Preview(out, "index.html").banner.split()
    return next(c.removeprefix("b-") for c in classes if c.startswith("b-"))


@pytest.mark.parametrize(
    ("now", "level", "outage"),
    [
        (ALL_CLEAR, "none", False),
        (ACTIVE, "major", False),  # the web incident: a partial outage
        (IN_MAINTENANCE, "maintenance", False),
        (ACTIVE, "critical", True),  # and the API and database down
    ],
)
def test_the_site_card_shows_the_banners_status(
    site_dir: SiteDir, now: str, level: str, outage: bool
) -> None:
    add_incidents(site_dir)
    if outage:
        site_dir.incident("2026-11-25-outage.md", OUTAGE)
    out = site_dir.build(now)
    assert banner_level(out) == level
    front = Preview(out, "index.html")
    image = front.image()
    assert image.size == (1200, 630)
    assert dominant(image, STATUS_AREA) == COLOURS[level]
    headline = lxml_html.fromstring((out / "index.html").read_bytes()).xpath("string(//h1)")
    assert front.meta["og:image:alt"].startswith(f"Test Status: {headline.strip()}")
    assert (front.meta["og:image:width"], front.meta["og:image:height"]) == ("1200", "630")
    assert front.meta["twitter:card"] == "summary_large_image"
    # A component's page previews the same status (without the build time).
    component = Preview(out, "components/api/index.html")
    assert dominant(component.image(), STATUS_AREA) == COLOURS[level]
    assert component.meta["og:image:alt"] == front.meta["og:image:alt"].rsplit(". As of ", 1)[0]


def test_the_cards_say_which_components_are_broken(site_dir: SiteDir) -> None:
    add_incidents(site_dir)
    out = site_dir.build(IN_MAINTENANCE)
    alt = Preview(out, "index.html").meta["og:image:alt"]
    assert alt == (
        "Test Status: Scheduled Maintenance in Progress. Database: Under maintenance. "
        "As of 2026-12-01 03:00 CET"
    )


def test_an_incidents_card_shows_its_stage_and_impact(site_dir: SiteDir) -> None:
    add_incidents(site_dir)
    page = "incidents/2026-11-25-web/index.html"
    open_ = Preview(site_dir.build(ACTIVE), page)
    assert dominant(open_.image(), STATUS_AREA) == COLOURS["minor"]
    assert open_.meta["og:image:alt"] == (
        'Slow "marketing" <site>: Identified · Minor impact. Affects: Marketing site. '
        "As of 2026-11-25 17:05 CET"
    )
    over = Preview(site_dir.build(ALL_CLEAR, site_dir.root / "later"), page)
    assert dominant(over.image(), STATUS_AREA) == COLOURS["none"]  # green once resolved
    assert "Resolved · Minor impact" in over.meta["og:image:alt"]
    assert over.url != open_.url


def test_the_name_changes_with_what_the_card_says_and_only_then(site_dir: SiteDir) -> None:
    add_incidents(site_dir)
    root = site_dir.root
    first, again = site_dir.build(ACTIVE, root / "a"), site_dir.build(ACTIVE, root / "b")
    later = site_dir.build("2026-11-25 18:30", root / "c")  # the same status, later
    fixed = site_dir.build(ALL_CLEAR, root / "d")
    pages = ("index.html", "components/api/index.html", "incidents/2026-11-25-web/index.html")
    urls = {out.name: [Preview(out, page).url for page in pages] for out in (first, again, later, fixed)}  # fmt: skip
    assert urls["a"] == urls["b"]  # nothing changed: the same names ...
    assert {p: b for p, b in tree(first).items() if p.startswith("og/")} == {
        p: b for p, b in tree(again).items() if p.startswith("og/")
    }  # ... and the same bytes
    front, component, incident = zip(urls["a"], urls["c"], urls["d"], strict=True)
    assert len(set(front)) == 3  # the front page's card states the build time
    assert component[0] == component[1] != component[2]  # the status changed at d only
    assert incident[0] == incident[1] != incident[2]
    # Every card in the folder is one a page shows: no stale card is left behind.
    shown = {Preview(fixed, p).file for p in ("index.html", *pages[1:])}
    assert set((fixed / "og").iterdir()) >= shown - {None}


def test_an_unchanged_card_is_not_drawn_again(site_dir: SiteDir, tmp_path: Path) -> None:
    add_incidents(site_dir)
    out = tmp_path / "out"

    def build_at(moment: str) -> tuple[str, ...]:
        report = run_build(site_dir.root, out, lambda config: datetime.fromisoformat(moment))
        return tuple(path for path in report.made if path.startswith("og/"))

    assert len(build_at("2026-11-25T18:00:00+01:00")) == 5  # live, still, three incidents
    made = build_at("2026-11-25T18:30:00+01:00")
    assert made == (Preview(out, "index.html").url.removeprefix(BASE),)  # the time moved on
    assert build_at("2026-12-10T12:00:00+01:00")  # the status changed: cards are drawn


HOSTILE = '<img src=x onerror=alert(1)> & "Ops" ' + "very long title " * 30


def test_a_hostile_long_title_is_drawn_inert_and_cut_to_fit(tmp_path: Path) -> None:
    config = f"title: '{HOSTILE}'\nbase_url: {BASE}\ncomponents:\n  - {{id: api, name: API}}\n"
    site = SiteDir(tmp_path / "site", config)
    out = site.build(ALL_CLEAR)
    front = Preview(out, "index.html")
    assert front.meta["og:image:alt"].startswith(f"{HOSTILE.strip()}: All Systems Operational")
    head = lxml_html.fromstring((out / "index.html").read_bytes()).xpath("//head")[0]
    assert not head.xpath(".//img | .//script[@src]")  # nothing from the title became markup
    image = front.image()
    assert dominant(image, STATUS_AREA) == COLOURS["none"]
    white = (255, 255, 255)
    # The title stays in its two lines: above the panel and inside the margins, all white.
    assert set(colours(image, (0, 190, 1200, 209))) == {white}
    assert set(colours(image, (1141, 0, 1200, 630))) == {white}
    assert set(colours(image, (0, 40, 1200, 180))) != {white}  # but it is drawn


def _cards(tmp_path: Path, name: str, title: str, languages: str) -> Image.Image:
    config = (
        f"title: {title}\nbase_url: {BASE}\nlanguages: {languages}\n"
        "components:\n  - {id: api, name: API}\n"
    )
    site = SiteDir(tmp_path / name, config)
    site.incident("2026-11-25-down.md", OUTAGE.replace(", db: major_outage", ""))
    return Preview(site.build(ACTIVE), "index.html").image()


def test_text_the_font_cannot_draw_falls_back_instead_of_boxes(tmp_path: Path) -> None:
    """Pillow's own face draws Latin letters only: a Japanese title is drawn as the site's
    host, and a card in Japanese in English, never as rows of boxes."""
    japanese = _cards(tmp_path, "ja", "東京ステータス", "[ja]")
    english = _cards(tmp_path, "en", "status.test.example", "[en]")
    heading, panel = (0, 0, 1200, 200), (60, 210, 1140, 360)
    assert japanese.crop(heading).tobytes() == english.crop(heading).tobytes()
    assert japanese.crop(panel).tobytes() == english.crop(panel).tobytes()
    assert japanese.tobytes() == english.tobytes()  # all of it in English: never a mix
    accented = _cards(tmp_path, "fr", "Société Générale", "[en]")
    plain = _cards(tmp_path, "plain", "Societe Generale", "[en]")
    assert accented.crop(heading).tobytes() == plain.crop(heading).tobytes()


def test_only_the_newest_incidents_have_cards_of_their_own(tmp_path: Path) -> None:
    site = SiteDir(
        tmp_path / "site", f"title: T\nbase_url: {BASE}\ncomponents: [{{id: api, name: API}}]\n"
    )
    for number in range(52):
        day = f"2025-{1 + number // 28:02d}-{1 + number % 28:02d}"
        write(
            site.root / "incidents" / f"{day}-i{number}.md",
            f"---\ntitle: Incident {number}\ncomponents: {{api: partial_outage}}\n---\n\n"
            f"## Resolved · {day} 12:00\nFixed.\n\n## Investigating · {day} 11:00\nDown.\n",
        )
    out = site.build(ALL_CLEAR)
    newest, oldest = Preview(out, "incidents/2025-02-24-i51/index.html"), None
    oldest = Preview(out, "incidents/2025-01-01-i0/index.html")
    assert newest.image().size == (1200, 630)
    assert oldest.url is None and oldest.meta["twitter:card"] == "summary"


TESSERACT = shutil.which("tesseract")


def read_aloud(png: Path) -> str:
    """The words an OCR engine (Debian's tesseract) reads in *png*, on one line."""
    assert TESSERACT is not None
    done = subprocess.run(
        [TESSERACT, str(png), "-"], capture_output=True, text=True, timeout=120, check=True
    )
    return " ".join(done.stdout.split())


@pytest.mark.skipif(
    TESSERACT is None, reason="tesseract-ocr is not installed (.ci/test-tools installs it)"
)
def test_the_cards_words_are_the_pages_words(site_dir: SiteDir) -> None:
    add_incidents(site_dir)
    site_dir.incident("2026-11-25-outage.md", OUTAGE)
    out = site_dir.build(ACTIVE)
    page = lxml_html.fromstring((out / "index.html").read_bytes())
    headline = " ".join(page.xpath("string(//h1)").split())
    front = read_aloud(Preview(out, "index.html").file)
    assert front.startswith(f"Test Status {headline} ")
    for component in ("Public API: Major outage", "Database: Major outage"):
        assert component in front
    assert front.endswith("As of 2026-11-25 18:00 CET")
    incident = read_aloud(Preview(out, "incidents/2026-11-25-outage/index.html").file)
    assert incident == (
        "Test Status Everything is down Investigating - Critical impact "
        "Affects: Public API, Database As of 2026-11-25 17:00 CET"
    )
