"""The Mini App's JSON API, on the same storage and rules as the chat: the day to run
(`day`), a set that finished (`log_set`), and the session's end (`finish`), after which the
chat's session message shows the summary.

Each call is checked in this order, and a refused one changes nothing: the initData
(miniapp.auth, 401), the user (403 before /start), then the user's calls this minute (429):
counted in the database, so a second instance counts the same calls; the count and the
call's work share one transaction, so a refused call is rolled back whole. Telegram is only
called after that transaction is committed, through the bot's own rate-limited Bot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.error import BadRequest, TelegramError

from coach import i18n, miniapp_view, session_flow
from coach.callbacks import LogSet
from coach.routine import load_routine
from coach.schedule import user_stretch_day
from coach.session_flow import Screen, Today
from coach.texts import Texts, texts_for
from handlers import together
from handlers.context import services_of
from handlers.session_summary import AnyApplication, show_summary
from handlers.session_view import today_of
from miniapp.auth import Caller, Refused
from storage import mini_app_calls, set_log, users
from storage.models import User

log = logging.getLogger(__name__)

JSON = dict[str, Any]
# A user's calls per minute: a whole session makes about fifteen (the day, a call per set,
# the end), so this leaves room for retries and reloads, and none for a flood.
CALLS_PER_MINUTE = 60
WINDOW = timedelta(minutes=1)
# The screen whose reads `today_of` does in full: the day's sets, the streak, the check-in.
_WHOLE_DAY = Screen(session_flow.SUMMARY)


@dataclass(frozen=True)
class Call:
    """One call's user, as stored, with the day and language it is answered in."""

    user: User
    day: date
    texts: Texts


class MiniAppApi:
    """The API's three calls for one Application (its database, clock and Bot)."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.services = services_of(application)

    async def _begin(self, session: AsyncSession, caller: Caller) -> Call:
        """The caller's row and their call counted, or `Refused`."""
        user = await users.get_user(session, caller.user_id)
        if user is None:
            raise Refused(403, "not_started")
        now = self.services.clock.now()
        if await mini_app_calls.count_call(session, user.id, now, WINDOW) > CALLS_PER_MINUTE:
            raise Refused(429, "busy")  # the transaction rolls back: nothing else is done
        language = i18n.user_language(user.language, caller.language_code or user.language_code)
        return Call(user, user_stretch_day(user.time_zone, now), texts_for(language))

    async def day(self, caller: Caller) -> JSON:
        """Today's session: the routine in the user's words, their settings, what is done."""
        async with self.services.db.transaction() as session:
            call = await self._begin(session, caller)
            today = await self._today(session, call)
        return miniapp_view.day_document(load_routine(), today, call.texts)

    async def log_set(self, caller: Caller, body: JSON) -> JSON:
        """One set finished: logged once however often it is sent (a unique row)."""
        stretch, side = _field(body, "stretch", str), _field(body, "side", str)
        number, code = _field(body, "number", int), _field(body, "day", int)
        services = self.services
        async with services.db.transaction() as session:
            call = await self._begin(session, caller)
            _check_day(call, code)
            change = await set_log.change_set(
                session,
                call.user.id,
                call.day,
                LogSet(code, stretch, side, number, 1),
                services.clock.now(),
                sets_per_side=call.user.sets_per_side,
            )
            if change is None:
                raise Refused(400, "no_such_set")
            today = await self._today(session, call)
        routine = load_routine()
        if change.reminder is not None:
            # As the chat's set button does: the day's reminder becomes a ✓ line.
            target = routine.day_target(today.sets_per_side)
            try:
                await self.application.bot.edit_message_text(
                    call.texts.REMINDER_DONE.format(target=target),
                    call.user.chat_id,
                    change.reminder,
                )
            except BadRequest:
                pass  # deleted by the user, or too old to edit
            except TelegramError:  # the set is stored all the same
                log.warning("Could not mark the day's reminder done", exc_info=True)
        # As in the chat: their boards show the set, buddies who asked hear the day is done.
        await together.after_sets(
            self.application,
            call.user.id,
            boards_touched=change.on_boards,
            day_done=change.completed,
        )
        return {
            "logged": change.changed,
            "progress": miniapp_view.progress(routine, today, call.texts),
        }

    async def finish(self, caller: Caller, body: JSON) -> JSON:
        """The session's end: the chat's session message shows today's summary."""
        code = _field(body, "day", int)
        async with self.services.db.transaction() as session:
            call = await self._begin(session, caller)
            _check_day(call, code)
        shown: Today | None = None
        try:
            shown = await show_summary(
                self.application, call.user.id, call.texts, self.services.clock.now()
            )
        except TelegramError:
            # The sets are stored; the message heals at the user's next tap on it.
            log.warning("Could not show the Mini App's summary in the chat", exc_info=True)
        if shown is None:
            async with self.services.db.read() as session:
                shown = await self._today(session, call)
        return {"progress": miniapp_view.progress(load_routine(), shown, call.texts)}

    async def _today(self, session: AsyncSession, call: Call) -> Today:
        user = call.user
        return await today_of(
            session, user.id, user.sets_per_side, user.hold_seconds, call.day, _WHOLE_DAY
        )


def _field(body: JSON, name: str, kind: type) -> Any:
    value = body.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Refused(400, "bad_request")
    return value


def _check_day(call: Call, code: int) -> None:
    """A call names the stretch day it was made for: another day's (a page left open past
    03:00) is refused rather than logged on a day the user did not mean."""
    if code != session_flow.day_code(call.day):
        raise Refused(409, "another_day")


def error_text(reason: str, texts: Texts) -> str:
    """What the page tells the user about a refused call, in their language."""
    return {
        "missing": texts.MINIAPP_ERROR_OUTSIDE,
        "invalid": texts.MINIAPP_ERROR_AUTH,
        "expired": texts.MINIAPP_ERROR_AUTH,
        "no_user": texts.MINIAPP_ERROR_AUTH,
        "not_started": texts.MINIAPP_ERROR_NO_USER,
        "another_day": texts.MINIAPP_ERROR_DAY,
        "busy": texts.MINIAPP_ERROR_BUSY,
    }.get(reason, texts.ERROR_GENERIC)
