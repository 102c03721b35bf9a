"""The callback-data codec: round trips, the 64-byte limit, and what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_int_arg() -> None:
    decoded = callbacks.decode(callbacks.encode("set", "3", "x"))
    assert decoded is not None
    assert decoded.int_arg(0) == 3
    assert decoded.int_arg(1) is None
    assert decoded.int_arg(5) is None
