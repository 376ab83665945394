"""The figures state/ works out, as the JSON outputs show them (plain JSON types): uptime
blocks (components.json, metrics.json), SLO blocks, quarterly figures and time to first
update (metrics.json). Machine words in English, durations in seconds or minutes."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

from statuspage.model import ComponentStatus, Config
from statuspage.source.times import isoformat
from statuspage.state.reliability import IMPACTS, Figures, Response, priority_name
from statuspage.state.slo import Slo
from statuspage.state.uptime import DOWNTIME_WEIGHT, Uptime, minutes


def figures_json(figures: Figures) -> dict[str, Any]:
    """Incidents, by impact, resolved and MTTR: a quarter's, a component's or a priority's."""
    return {
        "incidents": figures.total,
        "by_impact": {impact.word: figures.by_impact[impact] for impact in IMPACTS},
        "resolved": figures.resolved,
        "mttr_seconds": _seconds(figures.mttr),
    }


def response_json(response: Response) -> dict[str, Any]:
    """Time to first update for one priority, and how often it met the target."""
    return {
        "priority": priority_name(response.priority),
        "incidents_timed": response.timed,
        "median_seconds": _seconds(response.median),
        "target_seconds": _seconds(response.target),
        "within_target": response.within if response.target is not None else None,
        "share_within_target": response.share,
    }


def _seconds(span: timedelta | None) -> int | None:
    return int(span.total_seconds()) if span is not None else None


def _minutes(value: Fraction) -> float:
    """Minutes to two decimals, as JSON shows them."""
    return float(round(value, 2))


def slo_json(slo: Slo, config: Config) -> dict[str, Any]:
    """The `slo` block of a component or group in api/metrics.json."""
    return {
        "target": slo.target,
        "window_days": slo.window_days,
        "from": isoformat(slo.start, config.timezone),
        "to": isoformat(slo.end, config.timezone),
        "percent": slo.percent,
        "budget_minutes": _minutes(slo.budget),
        "consumed_minutes": _minutes(slo.consumed),
        "remaining_minutes": _minutes(slo.remaining),
        "met": slo.met,
    }


def uptime_json(uptime: Uptime, *, daily: bool = True) -> dict[str, Any]:
    """The `uptime` block of a component in the JSON API (plain JSON types)."""
    data_days = [d for d in uptime.days if d.has_data]
    block: dict[str, Any] = {
        "percent": uptime.percent,
        "days": len(uptime.days),
        "days_with_data": len(data_days),
        "from": uptime.days[0].day.isoformat(),
        "to": uptime.days[-1].day.isoformat(),
        "minutes": {
            s.word: minutes(uptime.total(s))
            for s in reversed(ComponentStatus)
            if s is not ComponentStatus.OPERATIONAL
        },
        "weights": {s.word: float(w) for s, w in DOWNTIME_WEIGHT.items()},
    }
    if daily:
        block["daily"] = [
            {
                "date": d.day.isoformat(),
                "status": d.status.word if d.status is not None else None,
                "minutes": {s.word: minutes(span) for s, span in d.durations},
            }
            for d in uptime.days
        ]
    return block


def uptime_blocks(report: dict[str, Uptime]) -> dict[str, dict[str, Any]]:
    """For the v2 API: {component or group id: its `uptime` block}, to add to
    components.json as `component["uptime"] = blocks[component["id"]]`."""
    return {cid: uptime_json(u) for cid, u in report.items()}
