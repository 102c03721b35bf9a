"""The chat page's server side over plain HTTP (no browser needed): the page and its assets, the
server-sent event stream, and the clock panel moving the bot's clock through due reminders."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial

import httpx
from sqlalchemy import select

from bot.playground import Playground
from coach.texts import ENGLISH
from handlers.context import services_of
from playground.chat import STATIC
from storage.models import ReminderSent

USER = 4242


async def sse_events(lines: AsyncIterator[str]) -> AsyncIterator[tuple[str, dict[str, object]]]:
    """(event name, data) pairs from a text/event-stream, skipping comments and retry hints."""
    kind, data = "message", ""
    async for line in lines:
        if line.startswith("event: "):
            kind = line.removeprefix("event: ")
        elif line.startswith("data: "):
            data += line.removeprefix("data: ")
        elif line == "" and data:
            yield kind, json.loads(data)
            kind, data = "message", ""


def visible_start(markup: str) -> str:
    """The start of a ENGLISH.py template as the user reads it, up to its first placeholder."""
    return re.sub(r"<[^>]+>", "", markup.split("{")[0])


async def _onboard(playground: Playground, reminder_at: str) -> None:
    """Through /start with zone UTC and the given reminder time, as a user would."""
    fake = playground.fake
    for answer, reply in (("/start", ENGLISH.ASK_ZONE), ("UTC", ENGLISH.ASK_TIME)):
        fake.send_text(USER, answer)
        await fake.wait_for(partial(_bot_says, playground, visible_start(reply)))
    fake.send_text(USER, reminder_at)
    await fake.wait_for(partial(_bot_says, playground, visible_start(ENGLISH.ONBOARDING_DONE)))


def _bot_says(playground: Playground, fragment: str) -> bool:
    return any(fragment in (m.text or "") for m in playground.fake.bot_messages(USER))


def _reminders(playground: Playground) -> int:
    return sum(ENGLISH.REMINDER in (m.text or "") for m in playground.fake.bot_messages(USER))


async def test_the_page_and_its_assets_are_served_locally(playground: Playground) -> None:
    async with httpx.AsyncClient(base_url=playground.url) as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
            response = await client.get(asset)
            assert response.status_code == 200, asset
    # Nothing to fetch from elsewhere: no absolute URLs in the page, no imports or urls in CSS.
    assert "http" not in (STATIC / "index.html").read_text()
    css = (STATIC / "chat.css").read_text()
    assert "@import" not in css and "url(" not in css


async def test_event_stream_starts_with_the_chat_then_streams_changes(
    playground: Playground,
) -> None:
    async with httpx.AsyncClient(base_url=playground.url, timeout=20) as client:
        await client.post(f"/control/users/{USER}/text", json={"text": "/help"})
        await playground.fake.wait_for(lambda: playground.fake.last_bot_message(USER))
        async with client.stream("GET", f"/control/chats/{USER}/events") as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            events = sse_events(stream.aiter_lines())
            kind, snapshot = await anext(events)
            assert kind == "snapshot"
            messages = snapshot["messages"]
            assert isinstance(messages, list)
            assert [m["from_bot"] for m in messages] == [False, True]
            assert ENGLISH.HELP_HEADER.replace("<b>", "").replace("</b>", "") in messages[1]["text"]
            assert snapshot["commands"] == [
                {"command": command, "description": description}
                for command, description in ENGLISH.COMMANDS
            ]

            # Live: the user's message, then the bot's answer, as they happen.
            await client.post(f"/control/users/{USER}/text", json={"text": "/stretch"})
            seen: list[tuple[str, bool]] = []
            async for kind, event in events:
                message = event.get("message")
                assert isinstance(message, dict)
                seen.append((kind, message["from_bot"]))
                if message["from_bot"]:
                    assert message["photo_file_id"], "the session opens with its picture"
                    break
            assert seen == [("message", False), ("message", True)]


async def test_the_clock_panel_moves_time_and_a_due_reminder_arrives(
    playground: Playground,
) -> None:
    fake, clock = playground.fake, playground.clock
    # Onboard with a reminder 30 minutes from now (UTC), then move the clock an hour ahead.
    await _onboard(playground, (clock.now() + timedelta(minutes=30)).strftime("%H:%M"))
    assert _reminders(playground) == 0

    async with httpx.AsyncClient(base_url=playground.url, timeout=20) as client:
        assert (
            await client.post("/control/clock/advance", json={"seconds": -60})
        ).status_code == 400
        week_and_a_day = {"seconds": 8 * 86400}
        assert (await client.post("/control/clock/advance", json=week_and_a_day)).status_code == 400
        moved = await client.post("/control/clock/advance", json={"seconds": 3600})
        assert moved.status_code == 200
        assert moved.json()["offset_seconds"] == 3600
        assert (await client.get("/control/clock")).json()["offset_seconds"] == 3600
    assert clock.offset == timedelta(hours=1)
    # The panel runs the reminder tick right away: no waiting for the next scheduled one.
    await fake.wait_for(lambda: _reminders(playground) == 1)
    reminder = fake.last_bot_message(USER)
    assert reminder is not None and ENGLISH.REMINDER in (reminder.text or "")
    assert reminder.buttons()[0][0][0] == ENGLISH.REMINDER_START_BUTTON


async def test_a_day_ahead_shows_tomorrows_reminder_once_each_day(
    playground: Playground,
) -> None:
    # The reminder time passed three hours ago: the next one is tomorrow, 21 h away, and a
    # one-day jump lands 3 h past it, later than the bot's lateness window (2 h).
    due = (playground.clock.now() - timedelta(hours=3)).replace(second=0, microsecond=0)
    due += timedelta(days=1)
    await _onboard(playground, f"{due:%H:%M}")
    assert _reminders(playground) == 0

    async with httpx.AsyncClient(base_url=playground.url, timeout=60) as client:
        for day in (1, 2):
            moved = await client.post("/control/clock/advance", json={"seconds": 86400})
            assert moved.status_code == 200
            assert moved.json()["offset_seconds"] == day * 86400
            # The move answers once its ticks are done: the reminder is in the chat already.
            assert _reminders(playground) == day
            reminder = playground.fake.last_bot_message(USER)
            assert reminder is not None and ENGLISH.REMINDER in (reminder.text or "")
            assert reminder.buttons()[0][0][0] == ENGLISH.REMINDER_START_BUTTON

    # Each went out at its time (the move stopped there), not 3 h late at the end of the jump.
    async with services_of(playground.application).db.read() as session:
        sent = (await session.scalars(select(ReminderSent.sent_at).order_by("stretch_day"))).all()
    assert len(sent) == 2
    for at, when in zip(sent, (due, due + timedelta(days=1)), strict=True):
        assert timedelta(0) <= at - when < timedelta(seconds=10)


async def test_an_hour_with_no_reminder_due_sends_nothing(playground: Playground) -> None:
    reminder_at = (playground.clock.now() - timedelta(hours=3)).strftime("%H:%M")
    await _onboard(playground, reminder_at)
    before = len(playground.fake.bot_messages(USER))

    async with httpx.AsyncClient(base_url=playground.url, timeout=20) as client:
        moved = await client.post("/control/clock/advance", json={"seconds": 3600})
    assert moved.status_code == 200 and moved.json()["offset_seconds"] == 3600
    assert len(playground.fake.bot_messages(USER)) == before
