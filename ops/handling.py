"""The updates this process is handling, by update id, so the webhook can answer Telegram once
an update is handled (bot.server) and the update processor can say when that is."""

from __future__ import annotations

import asyncio


class Handling:
    """One future per update in flight here: resolved when its handling ends."""

    def __init__(self) -> None:
        self._in_flight: dict[int, asyncio.Future[None]] = {}

    def expect(self, update_id: int) -> tuple[asyncio.Future[None], bool]:
        """The future of `update_id` and whether it is new here (False: the same update
        arrived again while this process still handles it)."""
        found = self._in_flight.get(update_id)
        if found is not None:
            return found, False
        future = self._in_flight[update_id] = asyncio.get_running_loop().create_future()
        return future, True

    def finished(self, update_id: int) -> None:
        """The update's handling ended (handled, or failed and answered by the error handler)."""
        future = self._in_flight.pop(update_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    def __len__(self) -> int:
        return len(self._in_flight)
