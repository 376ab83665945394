"""How much Markdown work a build may do: per paragraph, per incident file, per site.

Python-Markdown rescans the rest of a paragraph at every unmatched `[` or `<` and
rebuilds it at every emphasis, code span, link or entity it finds, so its work grows
with (openers x paragraph length): the scan units counted here. Kept free of the
Markdown library, so a no-op build that never renders need not import it."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from statuspage.errors import Problems
from statuspage.model import Incident

# A paragraph past this is shown as escaped text (markup.py): about half a second.
MAX_SCAN = 2_000_000
# The same work summed over one file's bodies, and over the site's files in name
# order. Real incidents cost a few hundred units, the costliest of 297 real ones
# 62,000; a 10,000-incident benchmark site 4,400,000 in all.
MARKDOWN_FILE_BUDGET = 4_000_000
MARKDOWN_SITE_BUDGET = 200_000_000
PARAGRAPHS = re.compile(r"\n[ \t]*\n")


class OverBudget(str):
    """A body past the Markdown budget: shown as escaped text, never parsed.

    A str, so every output that renders bodies (pages, feeds, calendar, notify,
    a site's own templates) honours it without knowing of budgets."""

    __slots__ = ()


_MARKERS = "[<&\\*_`!"


def scan_cost(paragraph: str) -> int:
    """How much work Markdown's inline patterns may do on *paragraph*: markers times length."""
    return sum(map(paragraph.count, _MARKERS)) * len(paragraph)


def markdown_cost(source: str) -> int:
    """Scan units *source* costs (paragraphs past MAX_SCAN are set aside as text: nothing)."""
    # Asked of every body on every build: a body of one paragraph skips the split.
    costs = map(scan_cost, PARAGRAPHS.split(source)) if "\n" in source else (scan_cost(source),)
    return sum(cost for cost in costs if cost <= MAX_SCAN)


class MarkdownBudget:
    """Markdown work spent so far in one file and in the whole site (files in name order).

    A body that would pass either budget is shown as escaped text (with a warning), so
    hundreds of paragraphs each just under MAX_SCAN cannot add up to minutes."""

    def __init__(self) -> None:
        self.site = 0

    def apply(self, incident: Incident, path: Path, problems: Problems) -> Incident:
        spent, over = 0, False
        updates = []
        for update in incident.updates:
            cost = markdown_cost(update.body)
            if spent + cost <= MARKDOWN_FILE_BUDGET and self.site + cost <= MARKDOWN_SITE_BUDGET:
                spent += cost
                self.site += cost
            else:
                over_file = spent + cost > MARKDOWN_FILE_BUDGET
                which = "file" if over_file else "site"
                limit = MARKDOWN_FILE_BUDGET if over_file else MARKDOWN_SITE_BUDGET
                problems.warning(
                    path,
                    update.line,
                    "this update's Markdown is too costly to render "
                    f"(past the {which}'s budget of {limit:,} scan units, see Limits in "
                    "the README); it is shown as plain text",
                )
                update, over = replace(update, body=OverBudget(update.body)), True
            updates.append(update)
        return replace(incident, updates=tuple(updates)) if over else incident
