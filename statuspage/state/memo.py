"""One answer remembered for pure functions of (config, incidents, now, ...).

Pages, feeds, the API, badges and metrics each ask the same questions of the same
incidents at the build's `now` (what is each component's status, the uptime, the
quarterly figures); over years of history, asking once is what keeps a rebuild fast.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from statuspage.model import Config, Incident

T = TypeVar("T")


def remember_last(function: Callable[..., T]) -> Callable[..., T]:
    """*function*(config, incidents, now, *rest) computed again only when an argument changes.

    Transparent: the same objects (immutable, and held here, so their ids stay
    theirs) give the same answer; a list or dict answer is handed out as a copy."""
    last: list[Any] = []

    @functools.wraps(function)
    def wrapper(config: Config, incidents: Iterable[Incident], now: datetime, *rest: Any) -> T:
        incidents = tuple(incidents)
        if last:
            (c, i, n, r), answer = last
            if (
                c is config
                and n == now
                and r == rest
                and len(i) == len(incidents)
                and all(map(operator.is_, i, incidents))
            ):
                return _copy(answer)
        answer = function(config, incidents, now, *rest)
        last[:] = [(config, incidents, now, rest), answer]
        return _copy(answer)

    return wrapper


def _copy(answer: T) -> T:
    if isinstance(answer, (list, dict)):
        return type(answer)(answer)  # type: ignore[return-value]
    return answer
