"""What the bot counts for `GET /metrics` (bot/server.py), in Prometheus' terms.

One `CollectorRegistry` per Application, kept in its Services: the global default registry
would make every Application built in one process (tests, benchmarks) share, and collide on,
the same metric names.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from telegram import MessageEntity, Update

# Handling one update: a tap answers in milliseconds, a /progress picture takes ~0.2 s.
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A reminder's delay past its time: a tick interval at best, up to the 2 h after which it is
# skipped (docs/ARCHITECTURE.md, "The reminder tick").
LATENESS_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 900, 1800, 3600, 7200)


class Metrics:
    """The instruments, and when the reminder tick last finished (for /healthz)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        self.updates = Counter(
            "limber_updates",
            "Updates handled, by kind (command, message, callback_query, ...)",
            ["kind"],
            registry=registry,
        )
        self.update_seconds = Histogram(
            "limber_update_seconds",
            "Seconds to handle one update, by its route (command:stretch, button:sgo, text, ...)",
            ["route"],
            buckets=UPDATE_BUCKETS,
            registry=registry,
        )
        self.api_calls = Counter(
            "limber_bot_api_calls",
            "Bot API requests made, by method",
            ["method"],
            registry=registry,
        )
        self.api_errors = Counter(
            "limber_bot_api_errors",
            "Bot API requests that failed, by method and error (HTTP status, timeout, network)",
            ["method", "error"],
            registry=registry,
        )
        self.too_many_requests = Counter(
            "limber_telegram_429",
            "429 Too Many Requests answers from Telegram",
            registry=registry,
        )
        self.halted_seconds = Counter(
            "limber_telegram_429_halted_seconds",
            "Seconds every Bot API request was held back by a 429's retry_after",
            registry=registry,
        )
        self.reminders = Counter(
            "limber_reminders",
            "Reminders the tick claimed, by outcome (sent, skipped, failed)",
            ["outcome"],
            registry=registry,
        )
        # The children, once: `labels()` per outcome is a lock and a lookup for each of a
        # batch's thousand reminders.
        self._reminder_outcomes = {
            outcome: self.reminders.labels(outcome) for outcome in ("sent", "skipped", "failed")
        }
        self.reminder_lateness = Histogram(
            "limber_reminder_lateness_seconds",
            "Seconds between a reminder's time and its sending",
            buckets=LATENESS_BUCKETS,
            registry=registry,
        )
        self.guided_sessions = Gauge(
            "limber_guided_sessions_active",
            "Guided /stretch sessions moved in the last hour and not yet at their summary",
            registry=registry,
        )
        tick_age = Gauge(
            "limber_reminder_tick_age_seconds",
            "Seconds since the reminder tick last finished (since start, before the first)",
            registry=registry,
        )
        tick_age.set_function(self.tick_age)
        self._tick_done_at: float | None = None
        self._started_at = time.monotonic()

    def tick_done(self) -> None:
        """The reminder tick finished a run."""
        self._tick_done_at = time.monotonic()

    def tick_age(self) -> float:
        return time.monotonic() - (self._tick_done_at or self._started_at)

    def count_reminders(self, *, skipped: int, failed: int, lateness: Iterable[float]) -> None:
        """Outcomes of the tick's claims: reminders skipped, failed, and the lateness (seconds
        past their time) of each one sent."""
        sent = 0
        observe = self.reminder_lateness.observe
        for seconds in lateness:
            sent += 1
            observe(max(seconds, 0.0))
        # One increment each: a counter takes a lock per call, and a tick counts hundreds.
        for kind, count in (("skipped", skipped), ("sent", sent), ("failed", failed)):
            if count:
                self._reminder_outcomes[kind].inc(count)


def update_kind(update: object) -> str:
    """The update's kind for the updates counter: a command is a message that starts with
    one; otherwise the update's own field (message, callback_query, my_chat_member, ...)."""
    if not isinstance(update, Update):
        return "other"
    message = update.message
    if message is not None and message.entities:
        first = message.entities[0]
        if first.type == MessageEntity.BOT_COMMAND and first.offset == 0:
            return "command"
    return next((str(k) for k in Update.ALL_TYPES if getattr(update, k, None)), "other")
