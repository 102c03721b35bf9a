"""What an update's log lines and metrics say about it: its id, its user, its route (what it
asks for, `handlers.turn.route_of`), and how long handling it took.

The update processor (bot.update_order) runs each update inside `observe_update`, which puts
an `UpdateScope` in a context variable for the update's task, from the same update and with
the same route the turn is built from (handlers.turn). `ScopeFilter` copies the scope onto
each log record, so JSON log lines carry `update_id`, `user_id` and `route`.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from telegram import Update

from handlers.turn import route_of
from ops.metrics import Metrics, update_kind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateScope:
    """The update being handled in this task."""

    update_id: int | None
    user_id: int | None
    route: str


CURRENT: contextvars.ContextVar[UpdateScope | None] = contextvars.ContextVar(
    "limber_update_scope", default=None
)


@contextmanager
def observe_update(metrics: Metrics, update: object) -> Iterator[None]:
    """Around one update's handling: the log scope, the updates counter, the latency."""
    user = update.effective_user if isinstance(update, Update) else None
    update_id = update.update_id if isinstance(update, Update) else None
    scope = UpdateScope(update_id, user.id if user else None, route_of(update))
    token = CURRENT.set(scope)
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - started
        kind = update_kind(update)
        metrics.updates.labels(kind).inc()
        metrics.update_seconds.labels(scope.route).observe(seconds)
        log.debug("Handled a %s update in %.1f ms", kind, seconds * 1000)
        CURRENT.reset(token)


class ScopeFilter(logging.Filter):
    """Adds the current update's id, user and route to every record logged inside it."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = CURRENT.get()
        if scope is not None:
            record.update_id = scope.update_id
            record.user_id = scope.user_id
            record.route = scope.route
        return True
