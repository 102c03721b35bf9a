"""The chat page's clock panel: read the bot's clock and move it forward (playground only), so
tomorrow's reminder can be seen now. `GET /control/clock`, `POST /control/clock/advance`."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.clock import SystemClock

# One step is at most a week: enough to reach any weekday's reminder, small enough to undo by eye.
MAX_STEP = timedelta(days=7)


def _clock_json(clock: SystemClock) -> dict[str, object]:
    return {
        "now": clock.now().isoformat(),
        "offset_seconds": int(clock.offset.total_seconds()),
    }


def clock_routes(
    clock: SystemClock, after_change: Callable[[], Awaitable[None]] | None = None
) -> list[Route]:
    """Routes for the clock panel; `after_change` runs after every move (the reminder tick)."""

    async def show(request: Request) -> Response:
        return JSONResponse(_clock_json(clock))

    async def advance(request: Request) -> Response:
        try:
            body = json.loads(await request.body() or b"{}")
            seconds = body["seconds"] if isinstance(body, dict) else None
        except (ValueError, KeyError):
            seconds = None
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            return JSONResponse({"error": "'seconds' (an integer) is required"}, status_code=400)
        step = timedelta(seconds=seconds)
        # Only forward: the bot's reminders and leases assume time never runs backwards.
        if not timedelta(0) < step <= MAX_STEP:
            return JSONResponse({"error": "move forward by 1 s to 7 days"}, status_code=400)
        clock.advance(step)
        if after_change is not None:
            await after_change()
        return JSONResponse(_clock_json(clock))

    return [
        Route("/control/clock", show, methods=["GET"]),
        Route("/control/clock/advance", advance, methods=["POST"]),
    ]
