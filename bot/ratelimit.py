"""Pacing of Bot API calls within Telegram's limits: ~30 messages/s for the whole bot, in
lanes (ops.pace: interactive first, reminders next, the keyboard sweep last; shared by every
instance through PostgreSQL, storage.send_pace), ~20/min per group, about one per second per
private chat (short bursts are tolerated), and a 429's retry_after honoured by every request.

Why not PTB's AIORateLimiter (22.8): it has no per-private-chat limit, and a RetryAfter pause
is released as soon as any other request finishes (PTB issue 5338, fixed after 22.8), so a
busy bot keeps hitting 429s. Here a 429 moves a deadline that every request waits for; nothing
has to "release" it, and overlapping 429s keep the later deadline.
"""

from __future__ import annotations

import asyncio
import logging
import math
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
from ops.pace import Lane, MemoryBook, Pacer, Rates, Send

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

    # Messages a second for the whole bot, evenly spaced (ops.pace): 29, a little under
    # Telegram's 30, so a send a few ms late never puts a 31st into any one second.
    overall: float | None = 29.0
    group: tuple[float, float] | None = (20, 60.0)
    # Three at once, then one a second: a tap and its follow-up never wait.
    private_chat: tuple[float, float] | None = (3, 3.0)
    max_retries: int = 2

    @classmethod
    def at_pace(cls, messages_per_second: float) -> Limits:
        """Telegram's limits, with the whole bot's pace set (TELEGRAM_MESSAGES_PER_SECOND)."""
        return cls(overall=messages_per_second)


class TelegramRateLimiter(BaseRateLimiter[Send]):
    """The bot's pace in lanes (a `Pacer`), per-group and per-private-chat leaky buckets, and
    one 429 deadline. Without a pacer given, one of its own paces this process alone."""

    def __init__(
        self,
        limits: Limits | None = None,
        metrics: Metrics | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.metrics = metrics  # build_application gives it the Application's
        overall = self.limits.overall
        if pacer is None and overall:
            pacer = Pacer(MemoryBook(Rates(free=overall)))
        self.pacer = pacer  # build_application may give it one shared with other instances
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
        rate_limit_args: Send | None,
    ) -> JSONResult:
        send = rate_limit_args
        retries = self.limits.max_retries
        if send is not None and send.retries is not None:
            retries = send.retries
        has_chat = data.get("chat_id") is not None
        chat_id = _chat_id(data.get("chat_id"))
        if send is not None and send.paced:
            # Its caller took its slot (free or paid, the flag set to match) and handles a
            # 429 itself: the reminder tick gives the user back until retry_after, then claims
            # them again with a fresh slot. Retried here, it would go without one.
            retries = 0
        for attempt in range(retries + 1):
            await self._take_turn(endpoint, has_chat, chat_id, send)
            try:
                result = await callback(*args, **kwargs)
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
                if self.pacer is not None:
                    await self.pacer.halt(pause)  # every instance sharing the pace waits too
                if attempt == retries:
                    raise
                log.info("Telegram asked us to wait %.1f s (%s); retrying", pause, endpoint)
            else:
                if self.metrics is not None:
                    kind = send.kind if send is not None else interactive_kind(endpoint)
                    if kind is not None:
                        self.metrics.count_send(kind)
                return result
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _take_turn(
        self, endpoint: str, has_chat: bool, chat_id: int | None, send: Send | None
    ) -> None:
        paced = send is not None and send.paced
        if paced and (halted := self.halted_for()) > 0:
            # Its slot was taken before a 429 halted the bot, so it is gone: sent when the halt
            # ends, it would go out at the same instant as every other such send (a burst past
            # the pace). Its caller takes a fresh slot after retry_after (the reminder tick).
            raise RetryAfter(timedelta(seconds=math.ceil(halted)))
        await self._after_halt()
        limiter = self._chat_limiter(endpoint, chat_id)
        if limiter is not None:
            await limiter.acquire()
        # As Telegram counts it (and PTB's limiter): calls addressed to a chat. A bulk send
        # already holds its slot (the reminder tick takes it first, to know whether it is paid).
        if not has_chat or self.pacer is None or paced:
            await self._after_halt()
            return
        lane = send.lane if send is not None else Lane.INTERACTIVE
        await self.pacer.slot(lane)
        # A 429 may have halted the bot while we waited for that slot: then the slot lies inside
        # the halt, and going when it ends would send at once with everyone else who waited.
        # The book moved past the halt (Pacer.halt), so a slot taken now is spaced again.
        while self.halted_for() > 0:
            await self._after_halt()
            await self.pacer.slot(lane)

    def halted_for(self) -> float:
        """Seconds until the last 429's halt ends; 0 or less when none is running."""
        return self._halt_until - asyncio.get_running_loop().time()

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


def interactive_kind(endpoint: str) -> str | None:
    """What an interactive call is on /metrics' sends by kind: an answer to a tap, an edit,
    or a message; None for calls that send nothing (getMe, setWebhook, ...)."""
    if endpoint == "answerCallbackQuery":
        return "answer"
    if endpoint.startswith("edit"):
        return "edit"
    if endpoint.startswith(("send", "copy", "forward")) and endpoint != "sendChatAction":
        return "message"
    return None


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
