"""The /export document: a user's rows from every table as one JSON file (pure, no SQL)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

EXPORT_FORMAT = 1


def _plain(value: object) -> object:
    """JSON has no dates: datetimes, dates and times become ISO 8601 strings."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"cannot export {type(value).__name__}")


def build_export(
    tables: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    user_id: int,
    exported_at: datetime,
    together: Mapping[str, Any] | None = None,
) -> bytes:
    """The UTF-8 JSON document: who, when, every table's rows, and (`together`) the user's
    buddies and boards by name, keys sorted for diffs."""
    document = {
        "format": EXPORT_FORMAT,
        "user_id": user_id,
        "exported_at": exported_at,
        "tables": {name: [dict(row) for row in rows] for name, rows in tables.items()},
        "together": dict(together or {"buddies": [], "boards": []}),
    }
    text = json.dumps(document, default=_plain, ensure_ascii=False, indent=2, sort_keys=True)
    return text.encode()


def export_filename(day: date) -> str:
    return f"limber-export-{day.isoformat()}.json"
