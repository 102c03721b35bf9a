"""The chat page's clock panel: read the bot's clock and move it forward (playground only), so
tomorrow's reminder can be seen now. `GET /control/clock`, `POST /control/clock/advance`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from coach.clock import SystemClock

# One step is at most a week: enough to reach any weekday's reminder, small enough to undo by eye.
MAX_STEP = timedelta(days=7)
# A week of a few hundred playground users' reminders; past this many stops the move simply
# finishes in one jump (as it did before stops existed) rather than keep the request waiting.
MAX_STOPS = 5000

Tick = Callable[[], Awaitable[None]]
# The earliest reminder time strictly after the given instant, or None.
NextDue = Callable[[datetime], Awaitable[datetime | None]]


def _clock_json(clock: SystemClock) -> dict[str, object]:
    return {
        "now": clock.now().isoformat(),
        "offset_seconds": int(clock.offset.total_seconds()),
    }


async def advance_through(
    clock: SystemClock, step: timedelta, tick: Tick, next_due: NextDue | None = None
) -> None:
    """Move `clock` forward by `step`, running `tick` at every reminder time on the way and at
    the end. One jump would leave a reminder passed by more than the bot's lateness window
    (bot/schedule.py MAX_LATENESS) unsent; stopping at its time sends it as if on time."""
    target = clock.offset + step  # offsets, not instants: the wall clock runs on meanwhile
    # First whatever fell due since the last scheduled tick, while it is still on time.
    await tick()
    if next_due is not None:
        for _ in range(MAX_STOPS):
            now = clock.now()
            due = await next_due(now)
            # Strictly after `now`: each stop is later than the last, even when a tick could
            # not clear a reminder (a send told to retry later), so the loop makes progress.
            if due is None or due - now > target - clock.offset:
                break
            clock.advance(due - now)
            await tick()
    clock.advance(target - clock.offset)  # never negative: every stop lay before the target
    await tick()


def clock_routes(
    clock: SystemClock,
    after_change: Tick | None = None,
    *,
    next_due: NextDue | None = None,
) -> list[Route]:
    """Routes for the clock panel; `after_change` runs after every move (the reminder tick),
    and with `next_due` also at every reminder time the move passes (see `advance_through`)."""
    # One move at a time: a second tap during a long move starts from where the first ended,
    # and no move's last step can undo part of another's.
    moving = asyncio.Lock()

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
        async with moving:
            if after_change is None:
                clock.advance(step)
            else:
                await advance_through(clock, step, after_change, next_due)
        return JSONResponse(_clock_json(clock))

    return [
        Route("/control/clock", show, methods=["GET"]),
        Route("/control/clock/advance", advance, methods=["POST"]),
    ]
