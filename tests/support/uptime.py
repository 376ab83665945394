"""Shared by test modules: the uptime table's rows and the metrics schema."""

from __future__ import annotations

from ..conftest import text_of

METRICS_SCHEMA = {
    "type": "object",
    "required": ["page", "as_of", "uptime", "quarters", "first_update", "incidents"],
    "properties": {
        "as_of": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"},
        "uptime": {
            "type": "object",
            "required": ["days", "components", "groups"],
            "properties": {
                "components": {"type": "array", "items": {"$ref": "#/$defs/uptime"}},
                "groups": {"type": "array", "items": {"$ref": "#/$defs/uptime"}},
            },
        },
        "quarters": {"type": "array", "items": {"allOf": [
            {"$ref": "#/$defs/figures"},
            {"required": ["quarter", "start", "end", "components", "priorities"],
             "properties": {"quarter": {"pattern": r"^\d{4}-Q[1-4]$"},
                            "components": {"type": "array", "items": {"$ref": "#/$defs/figures"}},
                            "priorities": {"type": "array", "minItems": 5, "maxItems": 5, "items": {"allOf": [
                                {"$ref": "#/$defs/figures"}, {"required": ["priority"], "properties": {"priority": {"$ref": "#/$defs/priority"}}}]}}}},
        ]}},
        "first_update": {"type": "array", "minItems": 5, "maxItems": 5, "items": {
            "type": "object", "required": ["priority", "incidents_timed", "median_seconds", "target_seconds", "within_target", "share_within_target"],
            "properties": {"priority": {"$ref": "#/$defs/priority"}, "median_seconds": {"type": ["integer", "null"]},
                           "share_within_target": {"type": ["number", "null"], "minimum": 0, "maximum": 1}}}},
        "incidents": {"type": "array", "items": {
            "type": "object", "required": ["id", "priority", "impact", "urgency", "detected", "first_update", "first_update_seconds"],
            "properties": {"priority": {"$ref": "#/$defs/priority"}, "urgency": {"enum": ["high", "medium", "low"]},
                           "first_update_seconds": {"type": ["integer", "null"], "minimum": 0}}}},
    },
    "$defs": {
        "uptime": {
            "type": "object",
            "required": ["id", "name", "percent", "days", "days_with_data", "from", "to", "minutes", "periods"],
            "properties": {
                "percent": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                "periods": {"type": "array", "items": {"type": "object", "required": ["days", "percent"]}},
                "slo": {"type": "object", "required": ["target", "window_days", "from", "to", "percent", "budget_minutes",
                                                       "consumed_minutes", "remaining_minutes", "met"],
                        "properties": {"met": {"type": "boolean"}, "remaining_minutes": {"type": "number"}}},
            },
        },
        "priority": {"enum": ["P1", "P2", "P3", "P4", "P5"]},
        "figures": {
            "type": "object",
            "required": ["incidents", "by_impact", "resolved", "mttr_seconds"],
            "properties": {
                "by_impact": {"type": "object", "required": ["critical", "major", "minor", "none"], "propertyNames": {"enum": ["critical", "major", "minor", "none"]}},
                "mttr_seconds": {"type": ["integer", "null"]},
            },
        },
    },
}  # fmt: skip


def table_rows(table) -> list[list[str]]:
    return [[text_of(c) for c in tr.cssselect("th, td")] for tr in table.cssselect("tbody tr")]
