"""The callback-data codec: round trips, the 64-byte limit, and what it refuses."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.ext import CallbackQueryHandler

from bot.app import build_application
from bot.config import load_settings
from coach import callbacks

args = st.lists(st.from_regex(r"[A-Za-z0-9_.+-]{1,8}", fullmatch=True), max_size=5)


@given(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True), args)
def test_round_trip_and_pattern(action: str, values: list[str]) -> None:
    data = callbacks.encode(action, *values)
    assert len(data.encode()) <= callbacks.MAX_BYTES
    assert callbacks.decode(data) == callbacks.Callback(action, tuple(values))
    assert callbacks.pattern(action).match(data)


def test_pattern_is_anchored_to_the_action() -> None:
    data = callbacks.encode("setdone", "lower_back", "left", 2)
    assert callbacks.pattern("setdone").match(data)
    assert not callbacks.pattern("set").match(data)
    assert not callbacks.pattern("setdone").match(data + ":x y")
    assert not callbacks.pattern("setdone").match("v0:setdone:lower_back")


@pytest.mark.parametrize(
    "data", [None, "", "v1", "v2:start", "v1:Start", "v1:start:a b", "v1:start:" + "x" * 70, "💥"]
)
def test_decode_refuses_foreign_data(data: str | None) -> None:
    assert callbacks.decode(data) is None


def test_encode_refuses_what_telegram_would_reject() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        callbacks.encode("a", *["x" * 20] * 4)
    with pytest.raises(ValueError, match="bad callback argument"):
        callbacks.encode("start", "has space")


SAMPLES: list[callbacks.Payload] = [
    callbacks.OpenSession(),
    callbacks.GoTo(2519, "lower_back.left.2"),
    callbacks.LogSet(2519, "mid_trunk", "right", 3, 0),
    callbacks.HoldTimer(2519, "lower_back", "left"),
    callbacks.BackFeel(2519, 8),
    callbacks.ReminderTime("0730"),
    callbacks.Snooze(date(2026, 11, 25), 15),
    callbacks.Skip(date(2026, 11, 25)),
    callbacks.ZonePick("US", 3),
    callbacks.ZoneAsk(),
    callbacks.PauseFor(7),
    callbacks.SettingsTap("wd", 2, 1),
    callbacks.SettingsTap("done"),
    callbacks.ChooseLanguage("pt_BR"),
    callbacks.DeleteAnswer("yes", 1_764_000_000),
    callbacks.DeleteAnswer("no"),
    callbacks.BuddyAnswer("yes", "Ab3_-x9QwErTyU0p"),
    callbacks.BuddyNudge(8_123_456_789, 1),
    callbacks.BuddyEnd(8_123_456_789, 0),
    callbacks.BuddyMenu(),
    callbacks.BoardJoin(-1_001_234_567_890),
    callbacks.BoardLeave(-1_001_234_567_890),
]


def test_every_action_is_in_the_table_once() -> None:
    actions = [kind.action for kind in callbacks.PAYLOADS]
    assert len(actions) == len(set(actions)), actions
    assert {type(sample) for sample in SAMPLES} == set(callbacks.PAYLOADS)


@pytest.mark.parametrize("payload", SAMPLES, ids=lambda p: p.encode())
def test_each_payload_round_trips_and_only_its_own_handler_claims_it(
    payload: callbacks.Payload,
) -> None:
    data = payload.encode()
    assert type(payload).parse(data) == payload
    claimed_by = [kind for kind in callbacks.PAYLOADS if kind.pattern().match(data)]
    assert claimed_by == [type(payload)]
    assert all(kind.parse(data) is None for kind in callbacks.PAYLOADS if kind is not type(payload))


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (callbacks.GoTo, "v1:sgo:x:intro"),  # a day that is not a number
        (callbacks.GoTo, "v1:sgo:2519"),  # too few
        (callbacks.GoTo, "v1:sgo:2519:intro:more"),  # too many
        (callbacks.LogSet, "v1:sset:2519:mid_trunk:right:03:1"),  # another spelling of 3
        (callbacks.Snooze, "v1:rsnooze:2026-13-01:15"),  # no such day
        (callbacks.SettingsTap, "v1:cfg"),  # nothing to change
        (callbacks.DeleteAnswer, "v2:deleteme:no"),  # another version's button
    ],
)
def test_parse_refuses_what_no_button_carries(kind: type[callbacks.Payload], data: str) -> None:
    assert kind.parse(data) is None


def test_every_button_handler_claims_exactly_the_registered_payloads() -> None:
    settings = load_settings(bot_token="123:test-token-not-real")
    application = build_application(settings)
    patterns = [
        handler.pattern.pattern
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, CallbackQueryHandler) and isinstance(handler.pattern, re.Pattern)
    ]
    registered = [kind.pattern().pattern for kind in callbacks.PAYLOADS]
    assert sorted(patterns) == sorted(registered)
