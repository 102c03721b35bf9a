"""The language an update is answered in: the user's stored choice (/language), else what
their Telegram app says they speak (coach.i18n.user_language).

Most handlers are given it: `speaking` (bot.log_context wraps every handler in it) reads it
once per update, a two-column read by primary key in a transaction of its own, and speaks it
while the handler runs. The session's buttons carry most of the load, and the first query of
each already joins the user's row; they are marked `@own_language` and run with the language
unsettled (coach.i18n.unsettled) until they `settle` it from that row. That saves a
transaction a tap, about 2 ms of the event loop's time when 100 users tap at once: in
`python -m bench.updates` the last of their answers came after 0.64–0.72 s with that read
and 0.38–0.49 s without it. A marked handler that stops before its query calls
`settle_stored`, which reads the language as `speaking` would. `private_only`, which runs
before every update and reads nothing in a private chat, is marked too.

The language found is kept for the rest of the update (`for_update`), so a second handler of
the same update, or the error handler's apology, does not read it again.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from telegram import Update
from telegram import User as TelegramUser

from coach import i18n
from handlers.context import services_of
from storage import users

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])
_OWN_LANGUAGE = "limber_own_language"  # the mark `own_language` puts on a callback


@dataclass
class _Found:
    language: str | None = None


_UPDATE: contextvars.ContextVar[_Found | None] = contextvars.ContextVar(
    "limber_update_language", default=None
)


@contextmanager
def for_update() -> Iterator[None]:
    """Around one update's handling: the language, once found, is kept until it ends."""
    token = _UPDATE.set(_Found())
    try:
        yield
    finally:
        _UPDATE.reset(token)


def own_language(callback: F) -> F:
    """Mark a handler whose first query reads its user's language (it calls `settle`)."""
    setattr(callback, _OWN_LANGUAGE, True)
    return callback


@asynccontextmanager
async def speaking(
    update: object, context: Any, callback: Callable[..., Any]
) -> AsyncIterator[None]:
    """Speak the update's language while `callback` handles it."""
    found = _UPDATE.get()
    if getattr(callback, _OWN_LANGUAGE, False) and (found is None or found.language is None):
        user = update.effective_user if isinstance(update, Update) else None
        with i18n.unsettled(i18n.negotiate(user.language_code if user else None)):
            yield
        return
    with i18n.use(await language_of(update, context)):
        yield


class Speaker(Protocol):
    """A row that holds a user's language: theirs (storage.models.User) or one joined to it."""

    @property
    def language(self) -> str | None: ...  # their choice (/language)

    @property
    def language_code(self) -> str | None: ...  # their Telegram language when last seen


def settle(user: TelegramUser, row: Speaker | None) -> None:
    """Speak `user`'s language, from the row a marked handler has just read (None: they have
    no row): their choice, else the Telegram language of this update (of the row's when the
    update has none)."""
    chosen, stored_code = (row.language, row.language_code) if row is not None else (None, None)
    _keep(i18n.user_language(chosen, user.language_code or stored_code))


async def settle_stored(update: object, context: Any) -> None:
    """Speak the update's language, reading it unless this update already has."""
    _keep(await language_of(update, context))


def _keep(language: str) -> None:
    found = _UPDATE.get()
    if found is not None:
        found.language = language
    i18n.settle(language)


async def language_of(update: object, context: Any) -> str:
    """The language to answer this update in (looked up once per update)."""
    found = _UPDATE.get()
    if found is not None and found.language is not None:
        return found.language
    user = update.effective_user if isinstance(update, Update) else None
    language = i18n.DEFAULT
    if user is not None:
        try:
            async with services_of(context.application).db.read() as session:
                _, chosen, stored_code = await users.language_of(session, user.id)
        except Exception:  # the handler meets the same failure and reports it; we still speak
            log.warning("Could not read the user's language", exc_info=True)
            chosen, stored_code = None, None
        language = i18n.user_language(chosen, user.language_code or stored_code)
    if found is not None:
        found.language = language
    return language
