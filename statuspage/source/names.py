"""Names made from what people write: slugs for ids and file names, and "did you mean"."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from os.path import commonprefix
from urllib.parse import urlsplit

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# Bounds on "did you mean": a check of thousands of misspelt ids against a thousand known
# ones must not compare every pair, nor print every known id in every message.
_MAX_TYPED_CHARS = 100  # longer text is not a typo of a name
_MAX_CANDIDATES = 50  # names compared closely with each typed word
MAX_LISTED = 10  # names one message lists in full
MAX_SHOWN_CHARS = 80  # of a line quoted in an error message


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
    typed = str(word)
    if len(typed) > _MAX_TYPED_CHARS:
        return ""
    options = _candidates(typed, choices)
    if by_edits:
        key = re.sub(r"[^a-z0-9]", "", typed.lower())
        close = [
            other
            for other in options
            if re.sub(r"[^a-z0-9]", "", other.lower()) == key
            or (len(typed) >= 6 and _edits(typed, other) <= 2)
        ]
    else:
        import difflib  # here: only a typo pays for it, not every command's start

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


def _candidates(typed: str, choices: Iterable[str]) -> list[str]:
    """At most _MAX_CANDIDATES of *choices* worth comparing closely with *typed*: those of
    about its length, those sharing more of its beginning and end first (cheap tests)."""
    options = list(choices)
    if len(options) <= _MAX_CANDIDATES:
        return options
    folded, slack = typed.lower(), max(3, len(typed) // 3)
    backwards = folded[::-1]

    def distance(other: str) -> tuple[int, int]:
        low = other.lower()
        # commonprefix compares strings character by character, as wanted here (RUF071).
        start = len(commonprefix([low, folded]))  # noqa: RUF071
        end = len(commonprefix([low[::-1], backwards]))  # noqa: RUF071
        shared = start + end
        return -shared, abs(len(other) - len(typed))

    near = [o for o in options if abs(len(o) - len(typed)) <= slack]
    import heapq  # here, as difflib above

    return heapq.nsmallest(_MAX_CANDIDATES, near, key=distance)


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """*text* cut to *limit* characters, so an error message never echoes a huge line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(names: Sequence[str], *, empty: str, where: str = "statuspage.yaml") -> str:
    """*names* joined by commas; when there are many, the first few and how many in all."""
    if not names:
        return empty
    if len(names) <= MAX_LISTED:
        return ", ".join(names)
    return f"{', '.join(names[:5])}, … ({len(names):,} in all; see {where})"


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 incident`, `59 files`: *number* with *noun* in the form it takes (CLI messages)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def article(word: str) -> str:
    """*word* after `a` or `an` (`an alertmanager`, `a grafana`), as it is spelt."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def userinfo_problem(key: str, url: str) -> str | None:
    """Why *url* (an http(s) URL given as `key:`) is refused for a user name or password
    before its host, or None. `https://good.example@evil.example/` leads to evil.example;
    the part before `@` is never echoed (it may be a password)."""
    netloc = urlsplit(url.strip()).netloc
    if "@" not in netloc:
        return None
    host = netloc.rpartition("@")[2]
    return (
        f"`{key}:` holds a user name or password before `@` (the URL leads to {host!r}); "
        "remove everything between `//` and `@`"
    )
