"""What an update's log lines and metrics say about it: its id, its user, the handler that
answered it, and how long that took.

The update processor (bot.update_order) runs each update inside `observe_update`, which puts
an `UpdateScope` in a context variable for the update's task; every handler's callback is
wrapped (`name_handlers`) to write its name there. `ScopeFilter` copies the scope onto each
log record, so JSON log lines carry `update_id`, `user_id` and `handler`.

The same wrapper speaks the user's language while a handler runs (handlers.update_language:
read once per update, or settled by the handler from its own first query). The error
handler is wrapped the same way, so the apology is in their language too.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import Application

from handlers import update_language
from handlers.metrics import Metrics, update_kind

log = logging.getLogger(__name__)

NO_HANDLER = "none"  # an update no handler took (a group chat's chatter, say)


@dataclass
class UpdateScope:
    """The update being handled in this task; `handler` is set once a handler runs."""

    update_id: int | None
    user_id: int | None
    handler: str | None = None


CURRENT: contextvars.ContextVar[UpdateScope | None] = contextvars.ContextVar(
    "limber_update_scope", default=None
)


@contextmanager
def observe_update(metrics: Metrics, update: object) -> Iterator[None]:
    """Around one update's handling: the log scope, the updates counter, the latency."""
    if isinstance(update, Update):
        user = update.effective_user
        scope = UpdateScope(update.update_id, user.id if user else None)
    else:
        scope = UpdateScope(None, None)
    token = CURRENT.set(scope)
    started = time.perf_counter()
    try:
        with update_language.for_update():
            yield
    finally:
        seconds = time.perf_counter() - started
        kind = update_kind(update)
        metrics.updates.labels(kind).inc()
        metrics.update_seconds.labels(scope.handler or NO_HANDLER).observe(seconds)
        log.debug("Handled a %s update in %.1f ms", kind, seconds * 1000)
        CURRENT.reset(token)


def name_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Wrap every registered handler's callback so the update's scope names it."""
    for group in application.handlers.values():
        for handler in group:
            handler.callback = _named(handler.callback)
    application.error_handlers = {
        _in_language(callback): block for callback, block in application.error_handlers.items()
    }


Callback = Callable[[Any, Any], Coroutine[Any, Any, Any]]


def _named(callback: Callback) -> Callback:
    name = f"{callback.__module__}.{callback.__qualname__}"

    @functools.wraps(callback)
    async def named(update: object, context: Any) -> Any:
        scope = CURRENT.get()
        if scope is not None:
            scope.handler = name
        async with update_language.speaking(update, context, callback):
            return await callback(update, context)

    return named


def _in_language(callback: Callback) -> Callback:
    @functools.wraps(callback)
    async def in_language(update: object, context: Any) -> Any:
        async with update_language.speaking(update, context, callback):
            return await callback(update, context)

    return in_language


class ScopeFilter(logging.Filter):
    """Adds the current update's id, user and handler to every record logged inside it."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = CURRENT.get()
        if scope is not None:
            record.update_id = scope.update_id
            record.user_id = scope.user_id
            record.handler = scope.handler
        return True
