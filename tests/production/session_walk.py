"""A user acting through the fake Telegram while the bot runs elsewhere (other processes):
each step waits for what the user would see, not for the bot's internals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coach.routine import SIDES, load_routine
from coach.texts import ENGLISH
from playground.fake_types import ChatMessage
from storage.db import Database
from storage.models import LoggedSet
from tests.harness import button_data
from tests.production.cluster import Cluster

# What moves a guided session forward, most wanted first (never Back, the timer or a demo).
FORWARD = (ENGLISH.SESSION_BTN_FINISH, ENGLISH.SESSION_BTN_NEXT, ENGLISH.SESSION_BTN_TO_STEP)


def plain(html: str) -> str:
    return html.replace("<b>", "").replace("</b>", "")


async def say(c: Cluster, uid: int, text: str, expect: str, timeout: float = 20) -> str:
    """The user writes `text`; returns the bot's newest message containing `expect` once the
    bot has finished with it."""
    fake = c.fake
    before = len(fake.bot_messages(uid))
    fake.send_text(uid, text)

    def answered() -> ChatMessage | None:
        messages = fake.bot_messages(uid)
        found = [m for m in messages[before:] if expect in (m.text or "")]
        return found[-1] if found else None

    found = await fake.wait_for(answered, timeout)
    await c.settled()
    return found.text or ""


async def tap(c: Cluster, uid: int, label: str, timeout: float = 60) -> str:
    """Tap `label` on the bot's newest message; returns the toast once the tap is answered,
    the message has been edited (its screen moved) and the bot has finished with it.

    `timeout` only catches a hang: under a 429 storm every halt of an instance delays the
    tap too, and on a loaded CI machine one step took over 20 s."""
    fake = c.fake
    message = fake.last_bot_message(uid)
    assert message is not None
    edits = message.edits
    query_id = fake.tap(uid, message.message_id, button_data(message, label))

    def moved() -> bool:
        now = fake.last_bot_message(uid)
        shown = now is not None and (now.message_id != message.message_id or now.edits > edits)
        return shown and fake.callback_answer(query_id) is not None

    await fake.wait_for(moved, timeout)
    await c.settled()
    answer = fake.callback_answer(query_id)
    assert answer is not None
    return str(answer.get("text") or "")


async def onboard(c: Cluster, uid: int) -> None:
    """/start, Berlin, 7:30, as a new user types them."""
    await say(c, uid, "/start", "time zone")
    await say(c, uid, "Berlin", plain(ENGLISH.ASK_TIME))
    await say(c, uid, "7:30", "07:30 (Europe/Berlin)")


async def guided_session(c: Cluster, uid: int) -> list[str]:
    """/stretch, then through every step and set to the summary; returns the set toasts."""
    fake = c.fake
    await say(c, uid, "/stretch", "")
    await tap(c, uid, ENGLISH.SESSION_BTN_START)
    toasts = []
    for _ in range(200):
        message = fake.last_bot_message(uid)
        assert message is not None
        labels = [label for row in message.buttons() for label, _ in row]
        set_done = [label for label in labels if label.startswith("✅ Set ")]
        if set_done:
            toasts.append(await tap(c, uid, set_done[0]))
            continue
        forward = next(label for label in FORWARD if label in labels)
        await tap(c, uid, forward)
        if forward == ENGLISH.SESSION_BTN_FINISH:
            return toasts
    raise AssertionError("the session never reached its summary")


async def stored_sets(database_url: str, uid: int) -> list[tuple[date, str, str, int]]:
    db = Database(database_url)
    try:
        async with db.read() as session:
            rows = await session.execute(
                select(
                    LoggedSet.stretch_day,
                    LoggedSet.stretch_key,
                    LoggedSet.side,
                    LoggedSet.set_number,
                ).where(LoggedSet.user_id == uid)
            )
            return sorted((r[0], r[1], r[2], r[3]) for r in rows.all())
    finally:
        await db.dispose()


def every_set(day: date, per_side: int = 3) -> list[tuple[date, str, str, int]]:
    """Each stretch × side × set number of a whole session on `day`."""
    return sorted(
        (day, stretch.key, side, number)
        for stretch in load_routine().stretches
        for side in SIDES
        for number in range(1, per_side + 1)
    )
