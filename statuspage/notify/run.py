"""The notify loop: for each endpoint, send what it has not received yet, in order.

Each endpoint is on its own: its record in the state file, its failures, its
deadline. A failure stops that endpoint for this run (so its messages stay in
order) and the rest are still served, whatever the failure, even a bug; the
failed message is tried again on the next run.

Each message is recorded as sent right after the receiver accepts it, so a run
killed in between (kill -9, a cancelled job) sends that one message again next
time: at least once, not exactly once. Webhooks carry the event's stable id in
an `Idempotency-Key` header (email: the Message-ID) for receivers to drop repeats.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from statuspage.model import Endpoint, Site
from statuspage.notify.endpoints import MissingVariables, UnusableValue, resolve
from statuspage.notify.events import Event, events
from statuspage.notify.limits import cap
from statuspage.notify.mail import email_message, unsubscribe_target
from statuspage.notify.messages import Renderer
from statuspage.notify.payloads import FORMATS
from statuspage.notify.sent import EndpointState, State, load_state, save_state
from statuspage.notify.transport import (
    Deadline,
    DeliveryError,
    RetryPolicy,
    Sleep,
    SmtpSession,
    post_json,
)
from statuspage.source.names import counted
from statuspage.source.notify_config import redact

Echo = Callable[[str], None]
DEFAULT_POLICY = RetryPolicy()
# The IETF draft's name (draft-ietf-httpapi-idempotency-key-header), as Stripe & co. use
# it; its value is the event's id, the same on every run and endpoint ([A-Za-z0-9_#-]).
IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass
class Outcome:
    """What happened to one endpoint in this run."""

    endpoint: Endpoint
    sent: list[Event] = field(default_factory=list)
    would_send: list[Event] = field(default_factory=list)  # --dry-run
    filtered: int = 0  # outside its `components:` or `min_priority:`: handled without a message
    first_run: int = 0  # past events marked as sent for a new endpoint
    pending: int = 0  # left for the next run after an error
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a run did, endpoint by endpoint."""

    outcomes: list[Outcome]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]


def matches(endpoint: Endpoint, event: Event) -> bool:
    """Whether the event touches one of the endpoint's components (always, without a filter)
    and its incident is of the endpoint's `min_priority` or more urgent (maintenance, which
    has no priority, never is)."""
    if endpoint.min_priority is not None:
        priority = event.incident.priority
        if priority is None or priority > endpoint.min_priority:
            return False
    return endpoint.components is None or not frozenset(endpoint.components).isdisjoint(
        event.components
    )


def notify(
    site: Site,
    endpoints: list[Endpoint],
    state_path: Path,
    now: datetime,
    *,
    dry_run: bool = False,
    backfill: bool = False,
    environ: Mapping[str, str] | None = None,
    policy: RetryPolicy | None = None,
    sleep: Sleep = time.sleep,
    echo: Echo = lambda line: None,
    others: frozenset[str] = frozenset(),
) -> Report:
    """Send every event at or before *now* that an endpoint has not received; record it.
    *others* are the keys of endpoints another run serves (another audience's), kept."""
    state = load_state(state_path)
    ledger = _Ledger(state, state_path, dry_run, state.to_json() if state_path.exists() else None)
    # Endpoints removed from the config are forgotten (re-adding one counts as new).
    keep = {e.key for e in endpoints} | others
    state.endpoints = {k: v for k, v in state.endpoints.items() if k in keep}
    run = _Run(
        happened=events(site, now),
        ledger=ledger,
        courier=_Courier(site, Renderer(site), policy or DEFAULT_POLICY, sleep),
        dry_run=dry_run,
        backfill=backfill,
        environ=environ,
        echo=echo,
    )
    outcomes = [run.serve(endpoint) for endpoint in endpoints]
    ledger.save()
    return Report(outcomes)


@dataclass
class _Ledger:
    """The record of what was sent, saved whenever it changed (never on a dry run)."""

    state: State
    path: Path
    dry_run: bool
    saved: str | None  # the file's text as last read or written; None: no file yet

    def save(self) -> None:
        if not self.dry_run and self.state.to_json() != self.saved:
            save_state(self.state, self.path)
            self.saved = self.state.to_json()


@dataclass(frozen=True)
class _Run:
    """One notify run: the events so far, and how this run treats each endpoint."""

    happened: list[Event]
    ledger: _Ledger
    courier: _Courier
    dry_run: bool
    backfill: bool
    environ: Mapping[str, str] | None
    echo: Echo

    def serve(self, endpoint: Endpoint) -> Outcome:
        """Send *endpoint* what it has not received (or, on a dry run, say what would go)."""
        outcome = Outcome(endpoint)
        endpoints = self.ledger.state.endpoints
        new = endpoint.key not in endpoints
        record = endpoints.setdefault(endpoint.key, EndpointState(endpoint.label))
        record.label = endpoint.label
        unsent = [e for e in self.happened if e.id not in record.sent]
        if new and not self.backfill:
            # Subscribers want news, not a flood of history: start from now.
            record.sent.update(e.id for e in unsent)
            outcome.first_run = len(unsent)
            self.ledger.save()
            return outcome
        todo = self._to_send(endpoint, record, unsent, outcome)
        if self.dry_run:
            outcome.would_send = todo
            outcome.warnings += _dry_run_warnings(endpoint, self.environ)
        elif todo:
            self._send(endpoint, record, todo, outcome)
        return outcome

    def _to_send(
        self, endpoint: Endpoint, record: EndpointState, unsent: list[Event], outcome: Outcome
    ) -> list[Event]:
        """The unsent events for *endpoint*, capped; the rest are recorded as handled."""
        todo = [e for e in unsent if matches(endpoint, e)]
        outcome.filtered = len(unsent) - len(todo)
        record.sent.update(e.id for e in unsent if not matches(endpoint, e))
        capped = cap(todo)
        record.sent.update(e.id for e in capped.skip)
        outcome.warnings += capped.warnings
        self.ledger.save()
        return capped.send

    def _send(
        self, endpoint: Endpoint, record: EndpointState, todo: list[Event], outcome: Outcome
    ) -> None:
        """Deliver *todo* in order, recording each; the first failure stops this endpoint."""
        try:
            settings = resolve(endpoint, self.environ)
        except MissingVariables as e:
            names = ", ".join(f"${{{n}}}" for n in e.names)
            outcome.error = (
                f"{names} not set; set it (e.g. from a repository secret) for the notify step"
            )
            outcome.pending = len(todo)
            return
        except UnusableValue as e:
            outcome.error, outcome.pending = str(e), len(todo)
            return
        deadline = Deadline(endpoint.deadline or self.courier.policy.deadline)
        number = 0
        try:
            for number, event in enumerate(todo):
                try:
                    outcome.warnings += self.courier.send(endpoint, settings, event, deadline)
                except DeliveryError as e:
                    outcome.error = f"{event.kind} {event.id}: {e}"
                    outcome.pending = len(todo) - number
                    break
                record.sent.add(event.id)
                outcome.sent.append(event)
                # Saved right after each accepted message: a kill repeats at most this one.
                self.ledger.save()
                self.echo(f"{endpoint.label}: sent {event.kind} {event.id}")
        except Exception as e:  # a bug must not cost the other endpoints their messages
            # Only the type: the message of an unexpected error may quote a secret.
            outcome.error = (
                f"unexpected {type(e).__name__} while sending "
                "(details withheld: they may hold a secret)"
            )
            outcome.pending = len(todo) - number
        finally:
            deadline.close()
            self.courier.close()


def _dry_run_warnings(endpoint: Endpoint, environ: Mapping[str, str] | None) -> list[str]:
    """What would fail *endpoint* in a real run here: unset variables, unusable values."""
    env = environ if environ is not None else os.environ
    if missing := [n for n in endpoint.variables if not env.get(n)]:
        return [
            f"{', '.join(f'${{{n}}}' for n in missing)} not set here: a real run would "
            "fail this endpoint"
        ]
    try:
        resolve(endpoint, environ)
    except UnusableValue as e:
        return [f"{e}: a real run would fail this endpoint"]
    return []


class _Courier:
    """Turns events into deliveries for each kind of endpoint; holds SMTP sessions open."""

    def __init__(self, site: Site, renderer: Renderer, policy: RetryPolicy, sleep: Sleep) -> None:
        self.site = site
        self.renderer = renderer
        self.policy = policy
        self.sleep = sleep
        self.session: SmtpSession | None = None

    def send(
        self, endpoint: Endpoint, settings: Mapping[str, Any], event: Event, deadline: Deadline
    ) -> list[str]:
        """Deliver one event within the endpoint's *deadline*; warnings (e.g. refused
        recipients) are returned."""
        if endpoint.kind == "webhook":
            url = str(settings["url"])
            if not url.startswith(("https://", "http://")):
                raise DeliveryError(
                    f"the URL ({redact(endpoint.settings['url'])}) does not start with https://"
                )
            payload = FORMATS[endpoint.format](self.renderer.render(event))
            headers = {**(settings.get("headers") or {}), IDEMPOTENCY_HEADER: event.id}
            post_json(
                url, payload, headers, policy=self.policy, sleep=self.sleep, deadline=deadline
            )
            return []
        config = self.site.config
        message = self.renderer.render(event, unsubscribe_target(settings))
        mail = email_message(message, settings, config.base_url, config.title)
        if self.session is None:
            self.session = SmtpSession(
                settings["smtp"], policy=self.policy, sleep=self.sleep, deadline=deadline
            )
        refused = self.session.send(mail)
        return [f"{event.id}: the server refused {', '.join(refused)}"] if refused else []

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def dry_run_lines(report: Report, renderer: Renderer) -> list[str]:
    """What `--dry-run` prints: each message that would go out, endpoint by endpoint."""
    lines = []
    for outcome in report.outcomes:
        label = outcome.endpoint.label
        if outcome.first_run:
            lines.append(
                f"{label}: new endpoint: {counted(outcome.first_run, 'past update')} would be "
                "marked as "
                "sent, not sent (--backfill sends them)"
            )
        for event in outcome.would_send:
            message = renderer.render(event)
            lines.append(f"{label}: would send {event.kind} {event.id}")
            lines.append(f"    {message.subject}")
            lines += [f"    | {line}".rstrip() for line in message.text.splitlines()]
            lines.append(f"    {message.url}")
        if not outcome.first_run and not outcome.would_send:
            lines.append(f"{label}: nothing new")
        lines += [f"{label}: warning: {w}" for w in outcome.warnings]
    return lines
