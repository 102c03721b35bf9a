"""Buddies end to end: pairing through the invite link (with a friend set up already, and with
a brand-new one who onboards first), each seeing the other's day in /progress and the
reminder, and the silent nudge: once a day, never at night."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coach.texts import ENGLISH, texts_for
from handlers.reminders import run_tick
from storage.models import Buddy, BuddyInvite
from tests.harness import Harness
from tests.helpers import onboard
from tests.together import (
    ANA,
    BEN,
    finish_day,
    invite_payload,
    pair,
    remind_at,
    set_up,
    shown,
)

# Tuesday 24 November 2026 in Berlin (UTC+1).
TUESDAY_0700 = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


async def pairings(h: Harness) -> int:
    async with h.services.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Buddy)) or 0)


async def test_two_users_pair_through_the_invite_link(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    await h.send(ANA, "/buddy")
    screen = h.last(ANA)
    assert shown(ENGLISH.BUDDY_NONE) in (screen.text or "")
    share = [
        url for row in screen.buttons() for label, url in row if label == ENGLISH.BUDDY_SHARE_BUTTON
    ]
    assert share and share[0] is not None and share[0].startswith("https://t.me/share/url?url=")
    payload = await invite_payload(h, ANA)
    assert payload in (share[0] or "")  # the shared link is the one shown
    open_screen = h.last(ANA).message_id

    await h.send(BEN, f"/start {payload}")
    question = h.last(BEN)
    assert question.text == shown(ENGLISH.BUDDY_INVITED.format(name="Ana"))
    await h.tap_button(BEN, question, ENGLISH.BUDDY_ACCEPT_BUTTON)

    answered = h.last(BEN)
    assert answered.message_id == question.message_id  # the question became the answer
    assert answered.text == shown(ENGLISH.BUDDY_ACCEPTED.format(name="Ana"))
    assert answered.buttons() == []
    assert h.last(ANA).text == shown(ENGLISH.BUDDY_ACCEPTED_INVITER.format(name="Ben"))
    assert await pairings(h) == 2  # one row for each side
    # Ana's open /buddy screen shows Ben now, and a new link for the next friend.
    refreshed = next(m for m in h.fake.bot_messages(ANA) if m.message_id == open_screen)
    assert "Ben · today 0/12" in (refreshed.text or "")
    assert "start=b_" in (refreshed.text or "") and payload not in (refreshed.text or "")
    await h.send(ANA, "/buddy")
    assert "Ben · today 0/12" in (h.last(ANA).text or "")


async def test_a_brand_new_friend_onboards_first_and_is_paired_after(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA)
    payload = await invite_payload(h, ANA)

    await h.send(BEN, f"/start {payload}", first_name="Ben")
    texts = [m.text or "" for m in h.fake.bot_messages(BEN)]
    assert texts[0] == shown(ENGLISH.BUDDY_INVITE_FIRST.format(name="Ana"))
    assert ENGLISH.SAFETY in texts[1]  # then the usual welcome and the zone question
    assert await pairings(h) == 0
    await h.send(BEN, "Berlin")
    await h.send(BEN, "7:30")

    question = h.last(BEN)
    assert question.text == shown(ENGLISH.BUDDY_INVITED.format(name="Ana"))
    before = h.fake.bot_messages(BEN)[-2].text or ""
    assert before.startswith(shown(ENGLISH.ONBOARDING_DONE.split("{")[0]))
    await h.tap_button(BEN, question, ENGLISH.BUDDY_ACCEPT_BUTTON)
    assert await pairings(h) == 2


async def test_a_buddys_finished_day_shows_in_progress_and_the_next_reminder(
    harness: Harness,
) -> None:
    h = harness
    h.clock.set(TUESDAY_0700)
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await finish_day(h, BEN)

    await h.send(ANA, "/progress")
    caption = h.last(ANA).caption or ""
    assert shown(ENGLISH.BUDDIES_HEADING) in caption
    assert "Ben · today ✓ 12/12 · 🔥 1" in caption
    await h.send(BEN, "/progress")
    assert "Ana · today 0/12" in (h.last(BEN).caption or "")

    await remind_at(h, ANA)
    h.clock.set(TUESDAY_0700 + timedelta(minutes=30, seconds=5))  # 07:30 in Berlin
    assert await run_tick(h.app) == 1
    reminder = h.last(ANA).text or ""
    assert reminder.startswith(ENGLISH.REMINDER)
    assert shown(ENGLISH.BUDDY_REMINDER_DONE.format(name="Ben")) in reminder


async def test_the_nudge_comes_once_silently_and_never_at_night(harness: Harness) -> None:
    h = harness
    h.clock.set(TUESDAY_0700 + timedelta(hours=2))  # 09:00 in Berlin
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await h.send(ANA, "/buddy")
    answer = await h.tap_button(ANA, h.last(ANA), "🔔")
    assert answer["text"] == ENGLISH.BUDDY_NUDGE_ON_TOAST.format(name="Ben")
    nudge = ENGLISH.BUDDY_NUDGE.format(name="Ben")

    def nudges() -> list[bool]:
        return [m.silent for m in h.fake.bot_messages(ANA) if m.text == nudge]

    await finish_day(h, BEN)
    assert nudges() == [True]  # one, without a sound
    # Undone and done again: the day has had its nudge.
    await h.send(BEN, "/stretch")
    grid = h.last(BEN)
    done = next(label for row in grid.buttons() for label, _ in row if label.startswith("✅"))
    await h.tap_button(BEN, grid, done)
    await h.tap_button(BEN, h.last(BEN), done.replace("✅", "🔲"))
    assert nudges() == [True]

    # Wednesday, 22:30 in Berlin: Ben finishes, Ana sleeps; no nudge tonight, nor later.
    h.clock.set(datetime(2026, 11, 25, 21, 30, tzinfo=UTC))
    await finish_day(h, BEN)
    assert nudges() == [True]
    h.clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    assert nudges() == [True]


async def test_no_nudge_without_asking_for_one(harness: Harness) -> None:
    h = harness
    h.clock.set(TUESDAY_0700 + timedelta(hours=2))
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await finish_day(h, BEN)
    nudge = ENGLISH.BUDDY_NUDGE.format(name="Ben")
    assert [m.text for m in h.fake.bot_messages(ANA) if m.text == nudge] == []


async def test_an_invite_lasts_a_week_and_works_once(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    first = await invite_payload(h, ANA)
    assert await invite_payload(h, ANA) == first  # /buddy again shows the same link
    await pair(h, ANA, BEN)
    second = await invite_payload(h, ANA)
    assert second != first  # a used link is replaced
    async with h.services.db.read() as session:
        invite = await session.get(BuddyInvite, second.removeprefix("b_"))
        assert invite is not None
        assert invite.expires_at == h.clock.now() + timedelta(days=7)


async def test_ending_a_pairing_from_either_side(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await h.send(BEN, "/buddy")
    await h.tap_button(BEN, h.last(BEN), ENGLISH.BUDDY_END_BUTTON.format(name="Ana"))
    question = h.last(BEN)
    assert question.text == ENGLISH.BUDDY_END_CONFIRM.format(name="Ana")
    await h.tap_button(BEN, question, ENGLISH.BUDDY_END_NO)  # Keep: nothing ends
    assert await pairings(h) == 2
    await h.tap_button(BEN, h.last(BEN), ENGLISH.BUDDY_END_BUTTON.format(name="Ana"))
    answer = await h.tap_button(BEN, h.last(BEN), ENGLISH.BUDDY_END_YES)
    assert answer["text"] == ENGLISH.BUDDY_ENDED_TOAST.format(name="Ana")
    assert await pairings(h) == 0
    assert shown(ENGLISH.BUDDY_NONE) in (h.last(BEN).text or "")
    await h.send(ANA, "/progress")
    assert "Ben" not in (h.last(ANA).caption or "")


async def test_a_new_user_onboarding_through_a_link_is_greeted_once(harness: Harness) -> None:
    h = harness
    await onboard(h, ANA)
    payload = await invite_payload(h, ANA)
    await h.send(BEN, f"/start {payload}")
    welcomes = [m for m in h.fake.bot_messages(BEN) if ENGLISH.SAFETY in (m.text or "")]
    assert len(welcomes) == 1


async def test_each_buddy_reads_the_other_in_their_own_language(harness: Harness) -> None:
    h = harness
    h.clock.set(TUESDAY_0700)
    await set_up(h, ANA, language="de")
    await set_up(h, BEN, language="ru")
    german, russian = texts_for("de"), texts_for("ru")
    payload = await invite_payload(h, ANA)
    await h.send(BEN, f"/start {payload}")
    assert h.last(BEN).text == shown(russian.BUDDY_INVITED.format(name="Ana"))
    await h.tap_button(BEN, h.last(BEN), russian.BUDDY_ACCEPT_BUTTON)
    assert h.last(ANA).text == shown(german.BUDDY_ACCEPTED_INVITER.format(name="Ben"))
    await finish_day(h, BEN, russian)

    await h.send(ANA, "/progress")
    assert "Ben · heute ✓ 12/12 · 🔥 1" in (h.last(ANA).caption or "")
    await remind_at(h, ANA)
    h.clock.set(TUESDAY_0700 + timedelta(minutes=30, seconds=5))
    await run_tick(h.app)
    assert german.BUDDY_REMINDER_DONE.format(name="Ben") in (h.last(ANA).text or "")
    await h.send(BEN, "/progress")
    assert "Ana · сегодня 0/12" in (h.last(BEN).caption or "")
