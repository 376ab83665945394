"""Endpoints at send time: `${VAR}`s substituted from the environment, and the check's
warnings about those unset here. The `notify:` schema itself is source/notify_config.py."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from statuspage.errors import Problems
from statuspage.model import VARIABLE, Config, Endpoint


class MissingVariables(Exception):
    """The endpoint names `${VAR}`s that are not set here."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


class UnusableValue(Exception):
    """A variable's value cannot be used where it goes; str() names the variable, not the value."""


# Where a substituted value goes -> what it may not hold. URLs and HTTP headers are
# ASCII; a newline anywhere could forge a header line (HTTP, SMTP, email).
_PLACES = {"url": "url", "headers": "header", "username": "login", "password": "login"}


def _unusable(value: str, place: str) -> str | None:
    """What makes *value* unusable in *place* (url | header | login | text), if anything."""
    if "\n" in value or "\r" in value:
        return "a newline"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "a control character"
    if place != "text" and not value.isascii():
        return "a non-ASCII character"
    if place == "url" and " " in value:
        return "a space"
    return None


def resolve(endpoint: Endpoint, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The endpoint's settings with every `${VAR}` substituted; MissingVariables if unset."""
    env = os.environ if environ is None else environ
    missing = [name for name in endpoint.variables if not env.get(name)]
    if missing:
        raise MissingVariables(missing)

    def value_of(name: str, place: str) -> str:
        if problem := _unusable(env[name], place):
            raise UnusableValue(
                f"the value of ${{{name}}} contains {problem}; "
                "fix the secret (its value is not shown)"
            )
        return env[name]

    def sub(value: Any, place: str) -> Any:
        if isinstance(value, str):
            return VARIABLE.sub(lambda m: value_of(m[1], place), value)
        if isinstance(value, dict):
            return {k: sub(v, _PLACES.get(k, place)) for k, v in value.items()}
        if isinstance(value, list):
            return [sub(v, place) for v in value]
        return value

    return dict(sub(dict(endpoint.settings), "text"))


def unset_variable_warnings(
    config: Config, problems: Problems, environ: Mapping[str, str] | None = None
) -> None:
    """`check`: warn (never fail) of `${VAR}`s unset here; `notify` fails only their endpoints."""
    env = os.environ if environ is None else environ
    for endpoint in config.notify:
        missing = [name for name in endpoint.variables if not env.get(name)]
        if missing:
            names = ", ".join(f"${{{n}}}" for n in missing)
            problems.warning(
                config.path or "statuspage.yaml",
                endpoint.line,
                f"{endpoint.label}: {names} not set here; `statuspage notify` fails this endpoint "
                "where it is unset (give it the secret)",
            )
