"""Pacing of Bot API calls within Telegram's limits: ~30 messages/s overall, ~20/min per group,
about one per second per private chat (short bursts are tolerated), and a 429's retry_after
honoured by every request.

Why not PTB's AIORateLimiter (22.8): it has no per-private-chat limit, and a RetryAfter pause
is released as soon as any other request finishes (PTB issue 5338, fixed after 22.8), so a
busy bot keeps hitting 429s. Here a 429 moves a deadline that every request waits for; nothing
has to "release" it, and overlapping 429s keep the later deadline.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from ops.metrics import Metrics

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
Request = Callable[..., Coroutine[Any, Any, JSONResult]]

# Methods that put something in a chat or change it, which Telegram's per-chat limits count.
# answerCallbackQuery carries no chat_id and is limited by nothing but the overall pace.
CHAT_METHODS = ("send", "edit", "copy", "forward")
# Idle per-chat limiters are dropped past this many, so memory stays flat with many users.
MAX_CHAT_LIMITERS = 4096


@dataclass(frozen=True)
class Limits:
    """Requests per period; `None` turns that limit off (tests of other things use that)."""

    # 29/s in bursts of at most 14.5, a little under Telegram's 30/s: at exactly its pace, a
    # few ms of jitter empties its bucket, and each 429 halts every send for over a second.
    overall: tuple[float, float] | None = (14.5, 0.5)
    group: tuple[float, float] | None = (20, 60.0)
    # Three at once, then one a second: a tap and its follow-up never wait.
    private_chat: tuple[float, float] | None = (3, 3.0)
    max_retries: int = 2

    @classmethod
    def at_pace(cls, messages_per_second: float) -> Limits:
        """Telegram's limits, with the overall pace set (TELEGRAM_MESSAGES_PER_SECOND): bursts
        of half a second's worth, as the default 29/s has."""
        return cls(overall=(messages_per_second / 2, 0.5))


class TelegramRateLimiter(BaseRateLimiter[int]):
    """Overall, per-group and per-private-chat leaky buckets, plus one 429 deadline."""

    def __init__(self, limits: Limits | None = None, metrics: Metrics | None = None) -> None:
        self.limits = limits or Limits()
        self.metrics = metrics  # build_application gives it the Application's
        overall = self.limits.overall
        self._overall = AsyncLimiter(*overall) if overall else None
        self._chats: dict[int, AsyncLimiter] = {}
        self._halt_until = 0.0  # loop time before which no request may go out

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Request,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        retries = self.limits.max_retries if rate_limit_args is None else rate_limit_args
        has_chat = data.get("chat_id") is not None
        chat_id = _chat_id(data.get("chat_id"))
        for attempt in range(retries + 1):
            await self._take_turn(endpoint, has_chat, chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                pause = _seconds(error) + 0.1
                now = asyncio.get_running_loop().time()
                if self.metrics is not None:
                    # Only the time this 429 adds to a halt already running: overlapping
                    # 429s halt every request once, not once each.
                    added = now + pause - max(self._halt_until, now)
                    self.metrics.too_many_requests.inc()
                    self.metrics.halted_seconds.inc(max(added, 0.0))
                self._halt_until = max(self._halt_until, now + pause)
                if attempt == retries:
                    raise
                log.info("Telegram asked us to wait %.1f s (%s); retrying", pause, endpoint)
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _take_turn(self, endpoint: str, has_chat: bool, chat_id: int | None) -> None:
        await self._after_halt()
        limiter = self._chat_limiter(endpoint, chat_id)
        if limiter is not None:
            await limiter.acquire()
        # As Telegram counts it (and PTB's limiter): calls addressed to a chat.
        if has_chat and self._overall is not None:
            await self._overall.acquire()
        # A 429 may have arrived while we waited for our turn.
        await self._after_halt()

    async def _after_halt(self) -> None:
        loop = asyncio.get_running_loop()
        # A deadline, not an Event: a later 429 may move it while we sleep, and nobody has
        # to remember to release it (the flaw of PTB 22.8's limiter).
        while (wait := self._halt_until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait)

    def _chat_limiter(self, endpoint: str, chat_id: int | None) -> AsyncLimiter | None:
        if chat_id is None or not endpoint.startswith(CHAT_METHODS):
            return None
        limit = self.limits.group if chat_id < 0 else self.limits.private_chat
        if limit is None:
            return None
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) >= MAX_CHAT_LIMITERS:
                self._drop_idle()
            limiter = self._chats[chat_id] = AsyncLimiter(*limit)
        return limiter

    def _drop_idle(self) -> None:
        for chat_id, limiter in list(self._chats.items()):
            if limiter.has_capacity(limiter.max_rate):  # full capacity: nothing remembered
                del self._chats[chat_id]


def _chat_id(value: object) -> int | None:
    # A channel's "@username" gets no per-chat bucket (the bot writes to none).
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings(action="ignore", category=PTBDeprecationWarning):
        wait = error.retry_after  # int today, timedelta in a future PTB: both handled
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
