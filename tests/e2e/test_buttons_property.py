"""A property of all buttons: random sequences of taps on any button the user has ever been
shown (stale ones included), mixed with /settings and /stretch, in any order. Every tap is
answered, nothing fails, and what is stored always matches what the live messages show."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach import schedule
from coach.clock import ManualClock
from coach.routine import load_routine
from coach.session_flow import parse_screen
from coach.texts import ENGLISH
from storage import live, turns
from storage.migrate import upgrade
from storage.models import LiveMessage
from tests.harness import Harness, running_bot

ANN = 7701
COMMANDS = ("/settings", "/stretch")
# (kind, n): a command (n picks which), or a tap on the n-th button ever shown (modulo).
steps = st.lists(
    st.tuples(st.sampled_from(("tap", "tap", "tap", "command")), st.integers(0, 500)),
    min_size=3,
    max_size=14,
)
_databases = itertools.count()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=steps)
def test_random_taps_keep_the_live_messages_true(folder: Path, plan: list[tuple[str, int]]) -> None:
    asyncio.run(_run(folder / f"limber-{next(_databases)}.db", plan))


async def _run(path: Path, plan: list[tuple[str, int]]) -> None:
    url = f"sqlite+aiosqlite:///{path}"
    await upgrade(url)
    clock = ManualClock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    async with running_bot(url, clock) as h:
        await h.send(ANN, "/start")
        await h.send(ANN, "Berlin")
        await h.send(ANN, "7:30")
        seen: list[tuple[int, str]] = []
        for kind, n in plan:
            _remember_buttons(h, seen)
            if kind == "command" or not seen:
                await h.send(ANN, COMMANDS[n % len(COMMANDS)])
                continue
            message_id, data = seen[n % len(seen)]
            answer = await h.tap(ANN, message_id, data)
            assert answer is not None, f"tap {data} on {message_id} was not answered"
        texts_shown = [m.text or m.caption or "" for m in h.fake.bot_messages(ANN)]
        assert not any(t.startswith(ENGLISH.ERROR_GENERIC[:20]) for t in texts_shown)
        await _live_messages_match_storage(h)


def _remember_buttons(h: Harness, seen: list[tuple[int, str]]) -> None:
    for message in h.fake.bot_messages(ANN):
        for row in message.buttons():
            for _, data in row:
                if data is not None and (message.message_id, data) not in seen:
                    seen.append((message.message_id, data))


async def _live_messages_match_storage(h: Harness) -> None:
    user = await h.stored_user(ANN)
    async with h.services.db.transaction() as session:
        menu = await session.get(LiveMessage, (ANN, live.SETTINGS))
        _, shown = await turns.read(session, ANN)
    messages = {m.message_id: m for m in h.fake.bot_messages(ANN)}
    text = (messages[menu.message_id].text or "") if menu is not None else ""
    # The live menu says what is stored (unless it was closed with Done).
    if text.startswith("⚙️ Settings"):
        assert f"Sets per side: {user.sets_per_side}" in text
        assert f"Hold: {user.hold_seconds} s" in text
        assert schedule.describe_weekdays(user.weekdays, ENGLISH) in text
        assert ("until you resume" in text) == (user.paused_since is not None)
    if shown is not None:
        caption = messages[shown.message_id].caption or ""
        screen = parse_screen(load_routine(), shown.screen)
        assert screen is not None
        if screen.kind == "step":
            step = load_routine().stretch(screen.stretch_key).steps[screen.step - 1]
            assert step.title in caption
