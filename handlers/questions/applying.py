"""What an answer to "what is your time zone / reminder time?" does, however it came (typed,
a shared location, a button, or /time and /timezone with an argument): store it, reschedule,
and confirm with the next reminder; mid-onboarding, chain to the next question.

Each returns the replies to send after the transaction commits (`asking.send_replies`).
"""

from __future__ import annotations

import html
from datetime import datetime, time

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import ReplyKeyboardRemove

from coach import timeinput, zones
from coach.reminder_keyboards import describe_next, start_now_keyboard
from coach.texts import Texts
from coach.zone_view import choices_keyboard, pick_another_keyboard, zone_words
from handlers import deep_links
from handlers.keyboards import inline
from handlers.questions.asking import Awaiting, Reply, time_question
from storage import live, reminder_plan
from storage.models import User


async def apply_zone(
    session: AsyncSession,
    row: User,
    reading: zones.ZoneReading | None,
    now: datetime,
    texts: Texts,
    *,
    located: bool = False,
) -> list[Reply]:
    """Store a zone the user gave (None: unreadable → hint, nothing changes). A country with
    several zones is asked about, with a button for each; an abbreviation or a country is
    named in the confirmation, with a button to pick another in case we guessed wrong."""
    examples = texts.ZONE_EXAMPLES
    if reading is None:
        return [
            Reply(
                (texts.LOCATION_NO_ZONE if located else texts.ZONE_HINT).format(examples=examples)
            )
        ]
    if reading.code is not None:  # still a question: which of the country's zones?
        text = texts.ZONE_CHOOSE.format(place=html.escape(reading.place or reading.code))
        keyboard = inline(choices_keyboard(reading.code, reading.zones, now, texts))
        return [Reply(text, keyboard, live_kind=live.QUESTION)]
    zone = row.time_zone = reading.zones[0]
    described = html.escape(zone_words(zone, now, texts, reading.via))
    # The confirmation takes the location keyboard away, and Telegram edits no message sent
    # with a reply keyboard, so a guess's "pick another" button comes in a message of its own.
    guessed = []
    if reading.via is not None:
        markup = inline(pick_another_keyboard(texts))
        guessed = [Reply(texts.ZONE_GUESSED, markup, live_kind=live.ZONE_GUESS)]
    if row.awaiting == Awaiting.ONBOARDING_ZONE and row.reminder_time is None:
        row.awaiting = Awaiting.ONBOARDING_TIME
        local = timeinput.format_time(now.astimezone(zones.to_tzinfo(zone)).time())
        text = texts.ZONE_SET.format(zone=described, local_time=local)
        return [Reply(text, ReplyKeyboardRemove()), *guessed, time_question(texts)]
    row.awaiting = None
    await reminder_plan.reschedule(session, row, now)
    text = texts.ZONE_CHANGED.format(zone=described, next=next_text(row, now, texts))
    return [Reply(text, ReplyKeyboardRemove()), *guessed]


async def apply_time(
    session: AsyncSession, row: User, chosen: time | None, now: datetime, texts: Texts
) -> list[Reply]:
    """Store a reminder time the user gave (None: unreadable → hint, nothing changes)."""
    if chosen is None:
        return [Reply(texts.TIME_HINT)]
    onboarding = row.awaiting == Awaiting.ONBOARDING_TIME
    row.reminder_time = chosen
    row.awaiting = None
    await reminder_plan.reschedule(session, row, now)
    if onboarding:
        done = Reply(
            texts.ONBOARDING_DONE.format(next=next_text(row, now, texts)),
            inline(start_now_keyboard(texts)),
        )
        # A buddy invite or a board's link opened before onboarding: acted on now.
        return [done, *await deep_links.after_onboarding(session, row, now, texts)]
    formatted = timeinput.format_time(chosen)
    return [Reply(texts.TIME_CHANGED.format(time=formatted, next=next_text(row, now, texts)))]


def next_text(row: User, now: datetime, texts: Texts) -> str:
    return describe_next(
        row.next_reminder_at, now, row.time_zone, texts, paused=row.paused_since is not None
    )
