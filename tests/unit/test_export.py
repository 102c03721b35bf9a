"""The /export document: valid JSON, dates as ISO strings, every table kept, a dated file name."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest

from coach.export import build_export, export_filename

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_dates_times_and_datetimes_become_iso_strings() -> None:
    rows = {
        "users": [{"id": 7, "reminder_time": time(7, 30), "created_at": NOW}],
        "logged_sets": [{"user_id": 7, "stretch_day": date(2026, 11, 23), "set_number": 2}],
        "paused_days": [],
    }
    document = json.loads(build_export(rows, user_id=7, exported_at=NOW))
    assert document["user_id"] == 7
    assert document["exported_at"] == "2026-11-24T08:00:00+00:00"
    assert document["tables"]["users"] == [
        {"id": 7, "reminder_time": "07:30:00", "created_at": "2026-11-24T08:00:00+00:00"}
    ]
    assert document["tables"]["logged_sets"][0]["stretch_day"] == "2026-11-23"
    assert document["tables"]["paused_days"] == []


def test_names_stay_readable_in_utf8() -> None:
    data = build_export({"users": [{"first_name": "Zoë 🌿"}]}, user_id=1, exported_at=NOW)
    assert "Zoë 🌿".encode() in data


def test_an_unexpected_value_type_is_refused_not_stringified() -> None:
    with pytest.raises(TypeError):
        build_export({"users": [{"blob": object()}]}, user_id=1, exported_at=NOW)


def test_file_name_carries_the_date() -> None:
    assert export_filename(date(2026, 11, 24)) == "limber-export-2026-11-24.json"
