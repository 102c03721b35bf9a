"""The playground's chat page: `/` (the page), `/static/...` (its CSS and JS, no build step) and
`/control/chats/{chat_id}/events`, a server-sent event stream of one chat's changes.

The stream starts with a `snapshot` event (the chat's history as `/control/chats/{id}/history`
returns it, the reply keyboard, the command menu and the menu button), then one event per
ChatEvent of that chat.
A client that reconnects simply gets a fresh snapshot, so nothing is lost while it was away.
The snapshot and every event carry `time_zone`: the zone the chat's user gave the bot (an IANA
name or a fixed offset such as "UTC+05:30"), or null before they gave one; for a group, the
zone of the user watching it (`?viewer=<user id>`). The page shows message times, day
separators and the clock panel in that zone (UTC while it is null).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from coach.clock import SystemClock
from playground.clock import NextDue, clock_routes
from playground.fake_control import message_json
from playground.fake_telegram import FakeTelegram, create_app
from playground.fake_types import JSON, ChatEvent

STATIC = Path(__file__).parent / "static"
# The page's stand-in for Telegram's telegram-web-app.js, for Mini Apps the chat page opens.
TELEGRAM_STAND_IN = "/static/telegram-web-app.js"
# A comment line now and then lets a proxy (or the browser) notice a dead connection.
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 1000
# The page must never be a stale copy: it is tiny and always served locally.
NO_CACHE = {"Cache-Control": "no-store"}

# The time zone the user of a (private) chat gave the bot, or None: read when each event goes
# out, so the page follows a zone set or changed in the chat.
ZoneOf = Callable[[int], Awaitable[str | None]]


async def no_zone(chat_id: int) -> str | None:
    """Without a bot to ask (the fake alone), no chat has a zone."""
    return None


def sse(kind: str, data: JSON) -> str:
    """One server-sent event; json.dumps never emits a raw newline, so one data line is enough."""
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def snapshot(fake: FakeTelegram, chat_id: int) -> JSON:
    """Everything the page shows about a chat, right now."""
    return {
        "chat_id": chat_id,
        "messages": [message_json(fake, m) for m in fake.history(chat_id)],
        "keyboard": fake.reply_keyboard(chat_id),
        "commands": fake.commands_for(chat_id),
        "menu_button": fake.menu_button_for(chat_id),
    }


def event_json(fake: FakeTelegram, event: ChatEvent) -> JSON:
    """A ChatEvent as the page reads it: messages carry their callback answers, like /history."""
    data: JSON = {"kind": event.kind, "chat_id": event.chat_id, "message_id": event.message_id}
    if event.message is not None:
        data["message"] = message_json(fake, event.message)
    if event.kind == "callback_answer":
        data["callback_query_id"] = event.callback_query_id
        data["answer"] = event.answer
    if event.kind == "keyboard":
        data["keyboard"] = event.keyboard
    return data


async def _next(events: AsyncIterator[ChatEvent]) -> ChatEvent:
    return await anext(events)


async def chat_stream(
    fake: FakeTelegram, chat_id: int, stopping: asyncio.Event, zone_of: ZoneOf = no_zone
) -> AsyncIterator[str]:
    """The snapshot, then this chat's events, until the client leaves or the server stops."""
    events = fake.subscribe()
    pending = asyncio.ensure_future(_next(events))
    stop = asyncio.ensure_future(stopping.wait())
    # One turn of the loop lets the subscription register before the snapshot is taken, so no
    # change falls between the two (a change in both is harmless: the page applies it by id).
    await asyncio.sleep(0)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        first = snapshot(fake, chat_id)
        first["time_zone"] = await zone_of(chat_id)
        yield sse("snapshot", first)
        while True:
            done, _ = await asyncio.wait(
                {pending, stop}, timeout=HEARTBEAT_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            if stop in done:
                return
            if pending not in done:
                yield ": keep-alive\n\n"
                continue
            event = pending.result()
            pending = asyncio.ensure_future(_next(events))
            if event.chat_id == chat_id:
                data = event_json(fake, event)
                data["time_zone"] = await zone_of(chat_id)
                yield sse(event.kind, data)
    finally:
        for task in (pending, stop):
            task.cancel()
        await asyncio.gather(pending, stop, return_exceptions=True)
        aclose = getattr(events, "aclose", None)  # typed as an iterator; it is a generator
        if aclose is not None:
            await aclose()


def chat_routes(
    fake: FakeTelegram, stopping: asyncio.Event, zone_of: ZoneOf = no_zone
) -> list[BaseRoute]:
    """The page, its static files and the event stream, for one fake Telegram."""

    async def page(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers=NO_CACHE)

    async def events(request: Request) -> Response:
        try:
            chat_id = int(request.path_params["chat_id"])
            # A group's page shows times in its viewer's zone (?viewer=<their user id>).
            viewer = int(request.query_params.get("viewer", chat_id))
        except ValueError:
            return JSONResponse({"error": "chat_id must be an integer"}, status_code=400)
        headers = {**NO_CACHE, "X-Accel-Buffering": "no"}

        async def viewers_zone(_: int) -> str | None:
            return await zone_of(viewer)

        return StreamingResponse(
            chat_stream(fake, chat_id, stopping, viewers_zone),
            media_type="text/event-stream",
            headers=headers,
        )

    return [
        Route("/", page, methods=["GET"]),
        Route("/control/chats/{chat_id}/events", events, methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_playground_app(
    fake: FakeTelegram,
    *,
    clock: SystemClock | None = None,
    after_clock_change: Callable[[], Awaitable[None]] | None = None,
    next_reminder: NextDue | None = None,
    zone_of: ZoneOf = no_zone,
) -> Starlette:
    """The fake Telegram's app (Bot API and control API) plus the chat page, and the clock
    panel's routes when a clock is given (`playground.clock.clock_routes`); `zone_of` names
    each chat user's time zone to the page."""
    app = create_app(fake)
    stopping = asyncio.Event()
    extra: list[BaseRoute] = chat_routes(fake, stopping, zone_of)
    if clock is not None:
        extra += clock_routes(clock, after_clock_change, next_due=next_reminder)
    app.router.routes.extend(extra)
    release_long_polls = app.state.before_shutdown

    def before_shutdown() -> None:
        # Open event streams would otherwise hold Uvicorn's shutdown for its full grace period.
        stopping.set()
        release_long_polls()

    app.state.before_shutdown = before_shutdown
    return app
