"""Buddy invites and buttons that must not work: an expired, used, forged or own link, a
second accept, the limit, an old invite question or /buddy screen, taps after /deleteme; and
someone who deletes their data or blocks the bot leaves every buddy view, rows and all. Each
gets a clear answer and changes nothing else."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select

from coach import callbacks
from coach.texts import ENGLISH
from coach.together import MAX_BUDDIES
from storage import account
from storage.models import Buddy, BuddyInvite, BuddyNudge, PendingStart
from tests.harness import Harness
from tests.together import ANA, BEN, CAT, finish_day, invite_payload, pair, set_up, shown, tap_data


async def stored(h: Harness) -> Any:
    """Everything the buddy tables hold, to compare before and after."""
    async with h.services.db.read() as session:
        found = []
        for model in (Buddy, BuddyInvite, BuddyNudge, PendingStart):
            rows = await session.execute(select(model.__table__))
            found.append(sorted(tuple(map(str, row)) for row in rows))
        return found


async def test_an_expired_link_says_so_and_pairs_nobody(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    payload = await invite_payload(h, ANA)
    h.clock.advance(timedelta(days=7, seconds=1))
    before = await stored(h)
    await h.send(BEN, f"/start {payload}")
    assert h.last(BEN).text == shown(ENGLISH.BUDDY_INVITE_EXPIRED.format(name="Ana"))
    assert await stored(h) == before


async def test_a_used_link_says_so(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN, CAT)
    payload = await invite_payload(h, ANA)
    await h.send(BEN, f"/start {payload}")
    await h.tap_button(BEN, h.last(BEN), ENGLISH.BUDDY_ACCEPT_BUTTON)
    before = await stored(h)
    await h.send(CAT, f"/start {payload}")
    assert h.last(CAT).text == shown(ENGLISH.BUDDY_INVITE_USED.format(name="Ana"))
    # Ben opening it again hears he is Ana's buddy already.
    await h.send(BEN, f"/start {payload}")
    assert h.last(BEN).text == shown(ENGLISH.BUDDY_ALREADY.format(name="Ana"))
    assert await stored(h) == before


async def test_a_forged_link_and_ones_own_link(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    payload = await invite_payload(h, ANA)
    before = await stored(h)
    one_off = payload[:-1] + ("y" if payload.endswith("x") else "x")  # a character changed
    for forged in ("b_AAAAAAAAAAAAAAAA", one_off, "b_<script>"):
        await h.send(BEN, f"/start {forged}")
        assert h.last(BEN).text == shown(ENGLISH.BUDDY_INVITE_INVALID), forged
    await h.send(ANA, f"/start {payload}")
    assert h.last(ANA).text == shown(ENGLISH.BUDDY_INVITE_SELF)
    assert await stored(h) == before


async def test_a_forged_link_for_a_new_user_still_welcomes_them(harness: Harness) -> None:
    h = harness
    await h.send(BEN, "/start b_AAAAAAAAAAAAAAAA")
    texts = [m.text or "" for m in h.fake.bot_messages(BEN)]
    assert texts[0] == shown(ENGLISH.BUDDY_INVITE_INVALID)
    assert ENGLISH.SAFETY in texts[1]


async def test_a_second_accept_and_a_forged_answer_change_nothing(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN, CAT)
    payload = await invite_payload(h, ANA)
    await h.send(BEN, f"/start {payload}")
    question = h.last(BEN).snapshot()
    accept = tap_data(question, ENGLISH.BUDDY_ACCEPT_BUTTON)
    await h.tap(BEN, question.message_id, accept)
    before = await stored(h)
    again = await h.tap(BEN, question.message_id, accept)
    assert again is not None and again["text"] == ENGLISH.BUDDY_ALREADY.format(name="Ana")
    # Cat taps Ana's accept (data seen somewhere) on a message of his own: not his question.
    await h.send(CAT, "/help")
    forged = await h.tap(CAT, h.last(CAT).message_id, accept)
    assert forged is not None and forged["text"] == ENGLISH.BUDDY_QUESTION_EXPIRED
    # And a token he made up, on a message of his own.
    made_up = callbacks.BuddyAnswer("yes", "AAAAAAAAAAAAAAAA").encode()
    forged = await h.tap(CAT, h.last(CAT).message_id, made_up)
    assert forged is not None and forged["text"] == ENGLISH.BUDDY_QUESTION_EXPIRED
    assert await stored(h) == before


async def test_an_older_invite_question_no_longer_acts(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    payload = await invite_payload(h, ANA)
    await h.send(BEN, f"/start {payload}")
    older = h.last(BEN).snapshot()
    await h.send(BEN, f"/start {payload}")
    newer = h.last(BEN).snapshot()
    before = await stored(h)
    answer = await h.tap_button(BEN, older, ENGLISH.BUDDY_ACCEPT_BUTTON)
    assert answer["text"] == ENGLISH.BUDDY_QUESTION_EXPIRED
    assert await stored(h) == before
    old_now = next(m for m in h.fake.bot_messages(BEN) if m.message_id == older.message_id)
    assert old_now.buttons() == []  # its buttons went
    await h.tap_button(BEN, newer, ENGLISH.BUDDY_ACCEPT_BUTTON)  # the newest one acts
    pairs = (await stored(h))[0]
    assert len(pairs) == 2


async def test_declining_pairs_nobody_and_the_link_still_works(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    payload = await invite_payload(h, ANA)
    await h.send(BEN, f"/start {payload}")
    await h.tap_button(BEN, h.last(BEN), ENGLISH.BUDDY_DECLINE_BUTTON)
    assert h.last(BEN).text == shown(ENGLISH.BUDDY_DECLINED.format(name="Ana"))
    assert not any("Ben" in (m.text or "") for m in h.fake.bot_messages(ANA))  # not told
    await pair(h, ANA, BEN)  # the link was not used up by the decline
    assert h.last(ANA).text == shown(ENGLISH.BUDDY_ACCEPTED_INVITER.format(name="Ben"))


async def test_a_handful_of_buddies_at_most(harness: Harness) -> None:
    h = harness
    friends = [9000 + n for n in range(MAX_BUDDIES + 1)]
    await set_up(h, ANA, *friends)
    for friend in friends[:MAX_BUDDIES]:
        await pair(h, ANA, friend)
    await h.send(ANA, "/buddy")
    screen = h.last(ANA)
    assert shown(ENGLISH.BUDDY_FULL.format(count=MAX_BUDDIES)) in (screen.text or "")
    assert "start=b_" not in (screen.text or "")  # no invite while full
    assert ENGLISH.BUDDY_SHARE_BUTTON not in str(screen.buttons())
    # A friend at the limit cannot take one more either.
    await set_up(h, BEN)
    payload = await invite_payload(h, BEN)
    await h.send(ANA, f"/start {payload}")
    assert h.last(ANA).text == ENGLISH.BUDDY_LIMIT_YOURS.format(count=MAX_BUDDIES)


async def test_an_older_buddy_screen_no_longer_acts(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await h.send(ANA, "/buddy")
    older = h.last(ANA).snapshot()
    await h.send(ANA, "/buddy")
    before = await stored(h)
    answer = await h.tap_button(ANA, older, "🔔")
    assert answer["text"] == ENGLISH.BUDDY_MENU_EXPIRED
    answer = await h.tap_button(ANA, older, ENGLISH.BUDDY_END_BUTTON.format(name="Ben"))
    assert answer["text"] == ENGLISH.BUDDY_MENU_EXPIRED
    assert await stored(h) == before
    # Buttons that name someone who is not a buddy, on the live screen: nothing to change.
    live = h.last(ANA)
    for data in (callbacks.BuddyNudge(CAT, 1).encode(), callbacks.BuddyEnd(CAT, 1).encode()):
        gone = await h.tap(ANA, live.message_id, data)
        assert gone is not None and gone["text"] == ENGLISH.BUDDY_GONE_TOAST
    assert await stored(h) == before


async def test_deleteme_takes_a_user_out_of_every_buddy_view(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await h.send(ANA, "/buddy")
    screen = h.last(ANA).snapshot()
    await h.send(ANA, "/deleteme")
    await h.tap_button(ANA, h.last(ANA), ENGLISH.DELETE_BUTTON_YES)

    await h.send(BEN, "/progress")
    assert "Ana" not in (h.last(BEN).caption or "")
    await h.send(BEN, "/buddy")
    assert shown(ENGLISH.BUDDY_NONE) in (h.last(BEN).text or "")
    assert await _rows_naming(h, ANA) == 0
    # Her old /buddy screen brings nothing back.
    for row in screen.buttons():
        for _, data in row:
            if data is not None and data.startswith("v1:"):
                answer = await h.tap(ANA, screen.message_id, data)
                assert answer is not None and answer["text"] == ENGLISH.BUTTON_EXPIRED_NO_USER
    assert await _rows_naming(h, ANA) == 0


async def test_blocking_the_bot_takes_a_user_out_of_every_buddy_view(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    await pair(h, ANA, BEN)
    await h.send(ANA, "/buddy")
    await h.tap_button(ANA, h.last(ANA), "🔔")  # Ana wants Ben's nudges
    await finish_day(h, ANA)
    await h.block(BEN)
    assert await _rows_naming(h, BEN) == 0
    await h.send(ANA, "/progress")
    assert "Ben" not in (h.last(ANA).caption or "")


async def _rows_naming(h: Harness, user_id: int) -> int:
    """Buddy rows, invites, nudges and pending links that name the user, on any side."""
    async with h.services.db.read() as session:
        total = 0
        for query in (
            select(func.count())
            .select_from(Buddy)
            .where(or_(Buddy.user_id == user_id, Buddy.buddy_id == user_id)),
            select(func.count()).select_from(BuddyInvite).where(BuddyInvite.user_id == user_id),
            select(func.count())
            .select_from(BuddyNudge)
            .where(or_(BuddyNudge.user_id == user_id, BuddyNudge.buddy_id == user_id)),
            select(func.count()).select_from(PendingStart).where(PendingStart.user_id == user_id),
        ):
            total += int(await session.scalar(query) or 0)
        exported = await account.export_rows(session, user_id)
    return total + sum(len(rows) for name, rows in exported.items() if name != "users")
