"""The JSON Schema (draft 2020-12) of `api/history.json`, published beside it as
`api/history.schema.json`. Fields are only ever added: a consumer validating with
this schema keeps working (`additionalProperties` is left open on purpose)."""

from __future__ import annotations

from typing import Any

from statuspage.model import ComponentStatus, Impact, IncidentStatus

_TIME = {"type": "string", "format": "date-time"}
_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
_URL = {"type": "string", "format": "uri"}
_STATUS_OF_COMPONENT = {"enum": [status.word for status in ComponentStatus]}


def _every_field_required(schema: dict[str, Any]) -> dict[str, Any]:
    """Each definition requires all its properties: every field is always written (null
    when it has no value), so a consumer never has to tell a missing field from null."""
    for definition in schema["$defs"].values():
        definition["required"] = list(definition["properties"])
    return schema


SCHEMA: dict[str, Any] = _every_field_required(
    {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Status page history",
        "description": "Every incident and maintenance of a status page, with every update.",
        "type": "object",
        "required": ["version", "page", "incidents"],
        "properties": {
            "$schema": _URL,
            "version": {"const": 1},
            "page": {
                "type": "object",
                "required": ["name", "url", "time_zone"],
                "properties": {
                    "name": {"type": "string"},
                    "url": _URL,
                    "time_zone": {"type": "string", "description": "IANA zone of every time"},
                },
            },
            "incidents": {
                "description": "Newest first.",
                "type": "array",
                "items": {"$ref": "#/$defs/incident"},
            },
        },
        "$defs": {
            "incident": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "Stable: the incident file's name."},
                    "kind": {"enum": ["incident", "maintenance"]},
                    "title": {"type": "string"},
                    "status": {"enum": [status.word for status in IncidentStatus]},
                    "impact": {"enum": [impact.word for impact in Impact]},
                    "priority": {
                        "type": ["integer", "null"],
                        "minimum": 1,
                        "maximum": 5,
                        "description": "ITIL priority (1 is P1); null for maintenance.",
                    },
                    "components": {"type": "array", "items": {"type": "string"}},
                    "start": _TIME,
                    "detected": _TIME_OR_NULL,
                    "first_update": _TIME,
                    "resolved": _TIME_OR_NULL,
                    "duration_seconds": {
                        "type": ["integer", "null"],
                        "minimum": 0,
                        "description": "From start to resolved; null while open.",
                    },
                    "scheduled_for": _TIME_OR_NULL,
                    "scheduled_until": _TIME_OR_NULL,
                    "postmortem": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["published_at", "permalink"],
                                "properties": {"published_at": _TIME, "permalink": _URL},
                            },
                        ],
                    },
                    "permalink": _URL,
                    "updates": {
                        "description": "Every published update, oldest first.",
                        "type": "array",
                        "minItems": 1,
                        "items": {"$ref": "#/$defs/update"},
                    },
                },
            },
            "update": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "Stable and unique in the history."},
                    "at": _TIME,
                    "status": {"enum": [status.word for status in IncidentStatus]},
                    "body": {"type": "string", "description": "Markdown, as written: untrusted."},
                    "automatic": {"type": "boolean", "description": "Written by the clock."},
                    "components": {
                        "description": "Status changes this update makes.",
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "status"],
                            "properties": {
                                "id": {"type": "string"},
                                "status": _STATUS_OF_COMPONENT,
                            },
                        },
                    },
                    "permalink": _URL,
                },
            },
        },
    }
)
