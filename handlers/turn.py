"""The turn: one update as every handler sees it, built once before any feature handler runs.

`build_turn` is registered alone in the first handler group (bot/app.py), so it runs for
every update before all others. It reads the sender's row and their open guided session in
one query (storage.turns), picks their language (their choice, else what Telegram says they
speak), and puts a `Turn` on the update's context: PTB builds one context per update and
hands it to every handler of every group (CallbackContext's documentation). A handler reads
`context.turn` and speaks through `turn.texts`; a handler added in any group gets the same.

Jobs and the error handler have no update of their own to build a turn from: they build the
`Texts` of their recipient's language with `coach.texts.texts_for`, as the turn does.
See docs/ARCHITECTURE.md, "The turn".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Chat, Update
from telegram import User as TelegramUser
from telegram.constants import ChatType
from telegram.ext import BaseHandler, TypeHandler

from coach import callbacks, i18n
from coach.texts import ENGLISH, Texts, texts_for
from handlers.context import LimberContext, Services
from storage import turns
from storage.guided import OpenSession
from storage.turns import StoredUser

log = logging.getLogger(__name__)

# Before every other group (bot/app.py): the questions' answers and the private-chat check
# already speak through the turn.
TURN_GROUP = -3

# The commands a route names; any other is "command:other", so what users type cannot
# grow the metrics' labels without bound.
COMMANDS = frozenset({"start", *(command for command, _ in ENGLISH.COMMANDS)})
ACTIONS = frozenset(payload.action for payload in callbacks.PAYLOADS)


@dataclass(frozen=True)
class Turn:
    """One update: who sent it and where, what we stored about them as it arrived, the
    language to answer in with its texts, and the clock's now."""

    update_id: int
    user: TelegramUser | None
    chat: Chat | None
    row: StoredUser | None  # None: a user we do not know (yet, or any more)
    session: OpenSession | None  # their open guided session, read with the row
    texts: Texts
    now: datetime
    route: str  # what the update asks for, as logs and metrics name it (`route_of`)

    @property
    def language(self) -> str:
        return self.texts.language

    @property
    def private(self) -> bool:
        return self.chat is not None and self.chat.type == ChatType.PRIVATE


async def build_turn(update: Update, context: LimberContext) -> None:
    """The first handler of every update: read, decide the language, put the turn in place."""
    services = context.services
    user = update.effective_user
    row, session = None, None
    if user is not None:
        async with services.db.read() as db_session:
            row, session = await turns.read(db_session, user.id)
    context.begin_turn(
        Turn(
            update_id=update.update_id,
            user=user,
            chat=update.effective_chat,
            row=row,
            session=session,
            texts=texts_for(language_of(user, row)),
            now=services.clock.now(),
            route=route_of(update),
        )
    )


def language_of(user: TelegramUser | None, row: StoredUser | None) -> str:
    """Their choice (/language), else the language of their Telegram app: this update's,
    or the one stored when they were last seen."""
    chosen = row.language if row is not None else None
    stored_code = row.language_code if row is not None else None
    code = user.language_code if user is not None else None
    return i18n.user_language(chosen, code or stored_code)


async def texts_of_update(update: object, services: Services) -> Texts:
    """The texts to answer `update` in, for code that has no turn (the error handler). The
    database may be what failed: then the language their Telegram app speaks."""
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        return ENGLISH
    row = None
    try:
        async with services.db.read() as session:
            row, _ = await turns.read(session, user.id)
    except Exception:  # the error being reported may be this very failure
        log.warning("Could not read the user's language for an apology", exc_info=True)
    return texts_for(language_of(user, row))


def route_of(update: object) -> str:
    """What an update asks for, in a few words from a fixed set: "command:stretch",
    "button:sgo", "text", "location", "my_chat_member", ...; "…:other" for the unknown."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        decoded = callbacks.decode(update.callback_query.data)
        action = decoded.action if decoded is not None else None
        return f"button:{action if action in ACTIONS else 'other'}"
    message = update.message
    if message is not None:
        command = _command(message.text or "")
        if command is not None:
            return f"command:{command if command in COMMANDS else 'other'}"
        if message.location is not None:
            return "location"
        return "text" if message.text else "message:other"
    return next((str(kind) for kind in Update.ALL_TYPES if getattr(update, kind, None)), "other")


def _command(text: str) -> str | None:
    """ "stretch" of "/stretch@LimberBot now"; None when the text is no command."""
    if not text.startswith("/"):
        return None
    words = text[1:].split(maxsplit=1)
    return words[0].partition("@")[0].lower() if words else ""


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered alone in TURN_GROUP."""
    return [TypeHandler(Update, build_turn)]
