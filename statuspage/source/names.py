"""Names made from what people write: slugs for ids and file names, and "did you mean"."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, limit: int | None = None, fold: bool = False) -> str:
    """*text* as lower-case letters and digits joined by `-` ('' if none are left).

    *limit* cuts it to that many characters (no `-` left at the cut); *fold* first
    turns accented letters into their plain ones (`Störung` -> `storung`), where
    the result names something new; otherwise they are dropped, as ids have always been."""
    if fold:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    return slug[:limit].strip("-") if limit is not None else slug


def suggest(word: object, choices: Iterable[str], *, by_edits: bool = False) -> str:
    """' (did you mean X?)' when *word* looks like a typo of one of *choices*, else ''.

    *by_edits* matches only the same letters and digits or at most two edits away:
    for names that share most of their text (`ci.jenkins.io`, `cd.jenkins.io`),
    where difflib's similarity would suggest unrelated ones."""
    typed, options = str(word), list(choices)
    if by_edits:
        key = re.sub(r"[^a-z0-9]", "", typed.lower())
        close = [
            other
            for other in options
            if re.sub(r"[^a-z0-9]", "", other.lower()) == key
            or (len(typed) >= 6 and _edits(typed, other) <= 2)
        ]
    else:
        close = difflib.get_close_matches(typed, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _edits(a: str, b: str) -> int:
    """Levenshtein distance between *a* and *b*."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
