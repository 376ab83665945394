"""Webhook bodies -> Alerts: Alertmanager, Grafana, Uptime Kuma and our own `json`.

A body is untrusted input: each is read as the tool documents it, anything else is
refused with the JSON path of what is wrong, and no text is kept that could not be
written into an incident file (see inert_text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

from statuspage.source.incident_file import ALERT_KEY, COMPONENTS_LINE, FENCE
from statuspage.source.names import article
from statuspage.source.times import TimeError, parse_timestamp

FORMATS = ("alertmanager", "grafana", "uptime-kuma", "json")
MAX_PAYLOAD_BYTES = 1_000_000
MAX_ALERTS = 1_000
MAX_LABELS = 100
MAX_LABEL_CHARS = 1_000
MAX_MESSAGE_CHARS = 10_000  # an update's text from a monitor; real descriptions are a line or two
# Go's and JavaScript's integers have at most 20 digits; a longer number is no monitor's.
MAX_NUMBER_DIGITS = 40
MAX_SHOWN_CHARS = 40  # of a value quoted in an error message
# Alert times must fall in the years incident files take (source/times.py) in every zone:
# a day's margin each side, as zones are at most 14 hours from UTC.
EARLIEST = datetime(1970, 1, 2, tzinfo=UTC)
LATEST = datetime(8999, 12, 31, tzinfo=UTC)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_OFFSET = re.compile(r"(Z|z|[+-]\d{2}:?\d{2})\s*$")
_SECONDS = re.compile(r"\s*-?[0-9]+\s*")  # ASCII digits: `isdigit()` takes superscripts too
# Go's zero time: Alertmanager's and Grafana's `endsAt` of an alert with no end yet.
_ZERO_TIME = "0001-01-01"
# Uptime Kuma's heartbeat.status (server/util-server.js): DOWN 0, UP 1, PENDING 2, MAINTENANCE 3.
KUMA_DOWN, KUMA_UP = 0, 1
JSON_STATUSES = {"firing": "firing", "resolved": "resolved", "down": "firing", "up": "resolved"}


class PayloadError(ValueError):
    """A body that is not what its --format sends; the message names what is wrong."""


@dataclass(frozen=True)
class Alert:
    """One alert as every format reads: its key, firing or resolved, and its text."""

    key: str  # e.g. alertmanager:31b4434c8e449f08, as written into `alerts:`
    firing: bool
    labels: dict[str, str] = field(hash=False)
    name: str  # alertname, or the monitor's name
    summary: str = ""
    description: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @property
    def time(self) -> datetime | None:
        """When it fired (firing) or ended (resolved)."""
        return self.starts_at if self.firing else self.ends_at


class Payload(NamedTuple):  # a fifth of a frozen dataclass's cost to define
    """The alerts of one body, and a note when the body holds none on purpose (a test)."""

    alerts: tuple[Alert, ...]
    note: str = ""


def read_payload(data: bytes, fmt: str, name: str) -> Payload:
    """The alerts in *data* (a body *fmt* sends, read from *name*), or PayloadError."""
    return read_alerts(parse_json(data, name), fmt, name)


def parse_json(data: bytes, name: str) -> Any:
    """*data* (a webhook body read from *name*) as JSON values, or PayloadError."""
    if len(data) > MAX_PAYLOAD_BYTES:
        raise PayloadError(
            f"{name}: the payload is {len(data):,} bytes, over the limit of "
            f"{MAX_PAYLOAD_BYTES:,}; send fewer alerts per notification"
        )
    try:
        body = json.loads(
            data.decode("utf-8-sig"), parse_constant=_refuse_constant, parse_int=_whole_number
        )
    except UnicodeDecodeError:
        raise PayloadError(f"{name}: the payload is not UTF-8 text") from None
    except json.JSONDecodeError as e:
        # e.msg alone can end mid-sentence ("Invalid control character at"): add where.
        where = f"{e.msg} (column {e.colno})"
        raise PayloadError(f"{name}:{e.lineno}: the payload is not JSON: {where}") from None
    except ValueError as e:
        raise PayloadError(f"{name}: the payload is not JSON: {e}") from None
    except RecursionError:
        raise PayloadError(f"{name}: the payload is nested too deeply to be an alert") from None
    return body


def read_alerts(body: Any, fmt: str, name: str) -> Payload:
    """The alerts in *body* (JSON values of a body *fmt* sends), or PayloadError."""
    reader = {
        "alertmanager": _alertmanager,
        "grafana": _grafana,
        "uptime-kuma": _uptime_kuma,
        "json": _json,
    }[fmt]
    try:
        return reader(body)
    except PayloadError as e:
        raise PayloadError(f"{name}: not {article(fmt)} payload: {e}") from None


def _refuse_constant(word: str) -> None:
    raise ValueError(f"{word} is not a JSON value")


def _whole_number(digits: str) -> int:
    """A JSON integer; a longer one than any monitor sends is refused before Python's own
    limit (4,300 digits) would answer with advice about Python."""
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise ValueError(
            f"it holds a number of {len(digits.lstrip('-')):,} digits; no alert field is "
            f"longer than {MAX_NUMBER_DIGITS}"
        )
    return int(digits)


def _shown(value: Any) -> str:
    """*value* as an error message quotes it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def inert_text(text: str, limit: int) -> str:
    """*text* as an update's message that cannot be read as anything but its text.

    Control characters go; a line that the incident parser would read as an update
    heading gets its `#` escaped (Markdown shows it as written), and a `Components:`
    line or a code fence is indented (Markdown shows it as code)."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    lines = []
    for line in text.split("\n"):
        if line.startswith("#"):
            line = "\\" + line
        elif FENCE.match(line) or COMPONENTS_LINE.match(line):
            line = "    " + line
        lines.append(line.rstrip())
    if lines[0].startswith("    "):  # an update's text is stripped: keep the indent
        lines[:0] = ["The monitor says:", ""]
    return "\n".join(lines)


def one_line(text: str, limit: int) -> str:
    """*text* as one line (a title) of at most *limit* characters."""
    line = " ".join(_CONTROL.sub("", text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# --- shape checks: each names the JSON path of what is wrong ---


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise PayloadError(f"{where} must be a list")
    if len(value) > MAX_ALERTS:
        raise PayloadError(f"{where} holds {len(value):,} alerts; at most {MAX_ALERTS:,}")
    return value


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise PayloadError(f"{where} must be text")
    return value


def _labels(value: Any, where: str, limit: int = MAX_LABEL_CHARS) -> dict[str, str]:
    if value is None:
        return {}
    labels = _mapping(value, where)
    if len(labels) > MAX_LABELS:
        raise PayloadError(f"{where} has more than {MAX_LABELS} labels")
    for name, text in labels.items():
        if not isinstance(text, str) or len(text) > limit:
            raise PayloadError(f"{where}.{name} must be text of at most {limit:,} characters")
    return dict(labels)


def _instant(value: Any, where: str, *, naive_is_utc: bool = False) -> datetime | None:
    """A zone-aware timestamp; None for an absent one or Go's zero time."""
    if value is None or value == "" or (isinstance(value, str) and value.startswith(_ZERO_TIME)):
        return None
    if not isinstance(value, str):
        raise PayloadError(f"{where} must be a timestamp like 2026-12-01T10:00:00Z")
    if not value.isascii():
        # `\d` takes any script's digits: fullwidth ones would read as a real time.
        raise PayloadError(
            f"{where} {_shown(value)} has characters other than ASCII; write it like "
            "2026-12-01T10:00:00Z"
        )
    if not naive_is_utc and not _OFFSET.search(value):
        raise PayloadError(
            f"{where} {_shown(value)} has no offset; write it like 2026-12-01T10:00:00Z"
        )
    try:
        # Whole seconds, as incident files write them: a repeat then compares equal.
        moment = parse_timestamp(value, UTC).replace(microsecond=0)
    except TimeError as e:
        raise PayloadError(f"{where}: {e}") from None
    return _in_range(moment, where, value)


def _in_range(moment: datetime, where: str, value: Any) -> datetime:
    """*moment*, if an incident file can hold it in every time zone."""
    if not EARLIEST <= moment <= LATEST:
        raise PayloadError(
            f"{where} {_shown(value)} is not between {EARLIEST:%Y-%m-%d} and "
            f"{LATEST:%Y-%m-%d}; a monitor's clock that says so is wrong"
        )
    return moment


def _key(tool: str, ident: Any, where: str) -> str:
    key = f"{tool}:{ident}"
    if not isinstance(ident, str | int) or isinstance(ident, bool) or not ALERT_KEY.match(key):
        raise PayloadError(
            f"{where} must be an id of letters, digits and ._:/@+=- (at most 200), not "
            f"{_shown(ident)}"
        )
    return key


# --- the formats ---


def _alertmanager(body: Any) -> Payload:
    """Alertmanager's webhook (version 4): https://prometheus.io/docs/alerting/latest/configuration/#webhook_config"""
    body = _mapping(body, "the body")
    if body.get("version") != "4":
        raise PayloadError('`version` must be "4" (the Alertmanager webhook format)')
    return Payload(_group(body, "alertmanager"))


def _grafana(body: Any) -> Payload:
    """Grafana's alerting webhook: Alertmanager's alerts plus `orgId`, `title`, `state`."""
    body = _mapping(body, "the body")
    if "orgId" not in body:
        raise PayloadError("`orgId` is missing (Grafana sends it in every webhook)")
    return Payload(_group(body, "grafana"))


def _group(body: dict[str, Any], tool: str) -> tuple[Alert, ...]:
    alerts = []
    for n, raw in enumerate(_list(body.get("alerts"), "`alerts`")):
        where = f"alerts[{n}]"
        item = _mapping(raw, where)
        status = item.get("status")
        if status not in ("firing", "resolved"):
            raise PayloadError(
                f'{where}.status must be "firing" or "resolved", not {_shown(status)}'
            )
        labels = _labels(item.get("labels"), f"{where}.labels")
        notes = _labels(item.get("annotations"), f"{where}.annotations", MAX_PAYLOAD_BYTES)
        alerts.append(
            Alert(
                key=_key(tool, item.get("fingerprint"), f"{where}.fingerprint"),
                firing=status == "firing",
                labels=labels,
                name=labels.get("alertname", ""),
                summary=notes.get("summary", ""),
                description=notes.get("description", ""),
                starts_at=_instant(item.get("startsAt"), f"{where}.startsAt"),
                ends_at=_instant(item.get("endsAt"), f"{where}.endsAt"),
            )
        )
    return tuple(alerts)


def _uptime_kuma(body: Any) -> Payload:
    """Uptime Kuma's webhook (`application/json`): `heartbeat`, `monitor` and `msg`."""
    body = _mapping(body, "the body")
    if "heartbeat" not in body or "monitor" not in body:
        raise PayloadError("`heartbeat` and `monitor` are missing")
    if body["heartbeat"] is None or body["monitor"] is None:
        # What Kuma's "Test" button sends: a message, no monitor.
        return Payload((), note="a test notification (no monitor): nothing to do")
    beat = _mapping(body["heartbeat"], "`heartbeat`")
    monitor = _mapping(body["monitor"], "`monitor`")
    status = beat.get("status")
    if not isinstance(status, int) or isinstance(status, bool) or status not in (0, 1, 2, 3):
        raise PayloadError(f"`heartbeat.status` must be 0 (down) to 3, not {_shown(status)}")
    monitor_id = monitor.get("id", beat.get("monitorID"))
    name = _text(monitor.get("name"), "`monitor.name`", required=True)
    # Kuma sends `time` in UTC (`localDateTime` is it in `timezone`): server/model/monitor.js
    # computes localDateTime as dayjs.utc(time).tz(timezone).
    when = _instant(beat.get("time"), "`heartbeat.time`", naive_is_utc=True)
    if when is None:
        raise PayloadError("`heartbeat.time` is missing")
    if status not in (KUMA_DOWN, KUMA_UP):
        return Payload((), note=f"monitor {name!r} is pending or in maintenance: nothing to do")
    labels = {
        "monitor": name,
        "monitor_id": str(monitor_id),
        "url": _text(monitor.get("url"), "`monitor.url`"),
    }
    down = status == KUMA_DOWN
    return Payload(
        (
            Alert(
                key=_key("uptime-kuma", monitor_id, "`monitor.id`"),
                firing=down,
                labels=labels,
                name=name,
                summary=f"{name} is down" if down else f"{name} is up",
                description=_text(beat.get("msg"), "`heartbeat.msg`"),
                starts_at=when if down else None,
                ends_at=None if down else when,
            ),
        )
    )


def _json_instant(value: Any, where: str) -> datetime | None:
    """A timestamp with an offset, or seconds since 1970 (a number or its ASCII digits)."""
    if isinstance(value, str) and _SECONDS.fullmatch(value):
        digits = value.strip().lstrip("-")
        if len(digits) > MAX_NUMBER_DIGITS:
            raise PayloadError(
                f"{where}: a number of {len(digits):,} digits is not a time in seconds since 1970"
            )
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            moment = datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise PayloadError(
                f"{where}: {_shown(value)} is not a time in seconds since 1970"
            ) from None
        return _in_range(moment, where, value)
    return _instant(value, where)


def _json(body: Any) -> Payload:
    """Our own small schema, for every other tool (README: "Other monitors")."""
    body = _mapping(body, "the body")
    alerts = []
    for n, raw in enumerate(_list(body.get("alerts"), "`alerts`")):
        where = f"alerts[{n}]"
        item = _mapping(raw, where)
        unknown = sorted(
            set(item) - {"id", "status", "labels", "summary", "description", "starts_at", "ends_at"}
        )
        if unknown:
            raise PayloadError(f"{where} has unknown field {unknown[0]!r}")
        status = item.get("status")
        # "down" and "up" too: what UptimeRobot's *alertTypeFriendlyName* and others send.
        word = JSON_STATUSES.get(status.lower()) if isinstance(status, str) else None
        if word is None:
            raise PayloadError(
                f'{where}.status must be "firing" or "resolved" (or down/up), not {_shown(status)}'
            )
        firing = word == "firing"
        starts = _json_instant(item.get("starts_at"), f"{where}.starts_at")
        ends = _json_instant(item.get("ends_at"), f"{where}.ends_at")
        if firing and starts is None:
            raise PayloadError(f"{where}.starts_at is required for a firing alert")
        if not firing and ends is None:
            raise PayloadError(f"{where}.ends_at is required for a resolved alert")
        labels = _labels(item.get("labels"), f"{where}.labels")
        alerts.append(
            Alert(
                key=_key("json", item.get("id"), f"{where}.id"),
                firing=firing,
                labels=labels,
                name=labels.get("alertname", str(item.get("id"))),
                summary=_text(item.get("summary"), f"{where}.summary"),
                description=_text(item.get("description"), f"{where}.description"),
                starts_at=starts,
                ends_at=ends,
            )
        )
    return Payload(tuple(alerts))
