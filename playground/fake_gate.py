"""`BotApi` runs the bot's calls through the fault gate (429 above a rate or every Nth call,
every Nth call 502, delays), then the method from the table `create_app` gives it."""

from __future__ import annotations

import asyncio
import copy
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playground.fake_types import ApiError

if TYPE_CHECKING:
    from playground.fake_content import Params
    from playground.fake_registry import MethodTable
    from playground.fake_state import FakeTelegram

# Methods that Telegram's per-chat limits count: those that put something in a chat.
CHAT_METHOD_PREFIXES = ("send", "edit", "copy", "forward")
# A request this soon after a 429 may have left before its client read the answer. On a busy
# machine both ends lag: the client reads the answer late, and the fake reads the next
# request late, so it looks sent later than it was. At four copies of the production storm
# test on two cores, one request arrived 0.33 s after a 429 from a bot that honours them.
RETRY_GRACE_SECONDS = 0.5


class Bucket:
    """A token bucket: bursts up to `capacity`, refilled at `rate` tokens per second of
    `clock` (the fake's: real time, unless a test holds it still)."""

    def __init__(self, rate: float, capacity: float, clock: Callable[[], float]) -> None:
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self.tokens, self.refilled = capacity, clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.refilled) * self.rate)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class Window:
    """At most `limit` calls in any one second of `clock`: Telegram's ~30 messages a second
    for a bot, which refuses a 31st within one second however the 30 were spread."""

    def __init__(self, limit: float, clock: Callable[[], float]) -> None:
        self.limit, self.clock = limit, clock
        self.times: deque[float] = deque()

    def room(self) -> bool:
        now = self.clock()
        while self.times and self.times[0] <= now - 1.0:
            self.times.popleft()
        return len(self.times) < self.limit

    def take(self) -> None:
        self.times.append(self.clock())


class BotApi:
    """Runs one Bot API call: records it, applies the configured faults, then the method."""

    def __init__(self, fake: FakeTelegram, methods: MethodTable) -> None:
        self.fake = fake
        self.methods = methods
        self._faults_seen: object = None
        # Messages without and with allow_paid_broadcast (every message counts in the second).
        self._free: Window | None = None
        self._paid: Window | None = None
        self._chats: dict[int, Bucket] = {}
        self._faulty_calls = 0
        # After each 429: (when it was answered, until when that scope must stay quiet).
        self._quiet: dict[object, tuple[float, float]] = {}

    def canonical(self, method: str) -> str | None:
        """The method's canonical name if the fake has it (any case, as on Telegram)."""
        found = self.methods.get(method.lower())
        return found[0] if found else None

    async def call(self, method: str, params: Params) -> Any:
        name, function = self.methods[method.lower()]
        self.fake.calls.append((name, copy.deepcopy(params.values)))
        self.fake.notify()  # waiters may watch for the call itself (a long poll has begun)
        try:
            paid = bool(params.values.get("allow_paid_broadcast"))
            await self._gate(name, params.values.get("chat_id"), paid)
            return await function(self.fake, params)
        finally:
            self.fake.notify()

    async def _gate(self, method: str, chat_id: object, paid: bool) -> None:
        faults = self.fake.faults
        if not faults.applies_to(method, chat_id):
            if paid:
                self.fake.limit_stats.paid_messages += 1
            return
        # Tests change faults by replacing or by mutating them; either way, start afresh.
        settings = (
            id(faults),
            faults.rate_limit_per_second,
            faults.error_5xx_every,
            faults.too_many_every,
            faults.chat_rate_per_second,
            faults.chat_burst,
            faults.group_rate_per_minute,
            faults.paid_rate_per_second,
        )
        if settings != self._faults_seen:
            self._faults_seen, self._faulty_calls, self._chats = settings, 0, {}
            rate, paid_rate = faults.rate_limit_per_second, faults.paid_rate_per_second
            clock = self.fake.clock
            self._free = Window(rate, clock) if rate else None
            self._paid = Window(paid_rate, clock) if paid_rate else None
        self._check_quiet(chat_id)
        delay = faults.delay_sequence.pop(0) if faults.delay_sequence else faults.delay_seconds
        if delay:
            await asyncio.sleep(delay)
        self._faulty_calls += 1
        if faults.error_5xx_every and self._faulty_calls % faults.error_5xx_every == 0:
            raise ApiError(502, "Bad Gateway")
        if faults.too_many_every and self._faulty_calls % faults.too_many_every == 0:
            self._too_many(None)
        chat = self._chat_bucket(method, chat_id)
        if chat is not None and not chat.take():
            self._too_many(chat_id)
        self._take_pace(chat_id, paid)

    def _take_pace(self, chat_id: object, paid: bool) -> None:
        """The bot's pace, counting what Telegram counts: calls addressed to a chat. A paid
        broadcast goes within the paid pace (all messages in the second, up to 1,000); any
        other message within the free one, and a paid broadcast the bot may not make (no paid
        pace set) is refused as Telegram refuses a bot with no Stars for it."""
        if chat_id is None:
            return
        if paid:
            if self._paid is None:
                raise ApiError(400, "Bad Request: paid broadcasts are not available to the bot")
            if not self._paid.room():
                self._too_many(None)
            self._paid.take()
            self.fake.limit_stats.paid_messages += 1
            return
        if self._free is not None and not self._free.room():
            self._too_many(None)
        if self._free is not None:
            self._free.take()
        if self._paid is not None:
            self._paid.take()

    def _chat_bucket(self, method: str, chat_id: object) -> Bucket | None:
        if not isinstance(chat_id, int) or not method.startswith(CHAT_METHOD_PREFIXES):
            return None
        faults = self.fake.faults
        if chat_id < 0 and faults.group_rate_per_minute:
            rate, capacity = faults.group_rate_per_minute / 60, faults.group_rate_per_minute
        elif chat_id > 0 and faults.chat_rate_per_second:
            rate, capacity = faults.chat_rate_per_second, float(faults.chat_burst)
        else:
            return None
        bucket = self._chats.get(chat_id)
        if bucket is None:
            bucket = self._chats[chat_id] = Bucket(rate, capacity, self.fake.clock)
        return bucket

    def _too_many(self, chat_id: object) -> None:
        retry = self.fake.faults.retry_after
        now = self.fake.clock()
        self._quiet[("chat", chat_id) if chat_id is not None else "all"] = (now, now + retry)
        self.fake.limit_stats.answered_429 += 1
        raise ApiError(429, f"Too Many Requests: retry after {retry}", retry_after=retry)

    def _check_quiet(self, chat_id: object) -> None:
        """Count a call that arrives while a 429's retry_after still runs (it was not honoured)."""
        now = self.fake.clock()
        for scope in ("all", ("chat", chat_id)):
            answered, until = self._quiet.get(scope, (0.0, 0.0))
            if answered + RETRY_GRACE_SECONDS <= now < until:
                self.fake.limit_stats.early_after_429 += 1
                return
