"""Board taps that must not work, and people who leave: a stale board, a board button tapped in
another group, a tap by someone not on the board or not in the group, a tap after /deleteme;
someone who deletes their data or blocks the bot is gone from the board at its next edit, rows
and all. Each tap gets a clear answer and changes nothing; other commands in a group still get
the pointer to a private chat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from coach import callbacks
from coach.texts import ENGLISH
from handlers import board_flush
from playground.fake_telegram import ChatMessage
from storage.models import BoardGroup, BoardMember
from tests.harness import Harness
from tests.together import ANA, BEN, CAT, GROUP, OTHER_GROUP, board_lines, set_up, tap_data

DAN = 8104


async def stored(h: Harness) -> Any:
    async with h.services.db.read() as session:
        members = (await session.execute(select(BoardMember.chat_id, BoardMember.user_id))).all()
        groups = (await session.execute(select(BoardGroup.chat_id, BoardGroup.time_zone))).all()
    return sorted(members), sorted(groups)


async def board_with(h: Harness, *members: int, group: int = GROUP, **kwargs: Any) -> ChatMessage:
    """A group whose board has `members` on it (joined with the button)."""
    await set_up(h, *(uid for uid in (ANA, *members) if uid not in h.fake.users))
    h.fake.add_group(group, "Stretch club", creator=ANA, **kwargs)
    for member in members:
        h.fake.set_member(group, member)
    await h.send(ANA, "/board", chat_id=group)
    board = h.last(group)
    for member in members:
        h.clock.advance(timedelta(seconds=5))
        await h.tap_button(member, board, ENGLISH.BOARD_JOIN_BUTTON)
    return h.last(group)


def current(h: Harness, chat_id: int, message_id: int) -> ChatMessage:
    return next(m for m in h.fake.bot_messages(chat_id) if m.message_id == message_id)


async def test_an_older_board_no_longer_acts(harness: Harness) -> None:
    h = harness
    older = await board_with(h, BEN)
    h.clock.advance(timedelta(seconds=5))
    await h.send(CAT, "/board", chat_id=GROUP)  # anyone may bring the board down
    newer = h.last(GROUP)
    assert newer.message_id != older.message_id and board_lines(newer) == ["◻️ Ben 0/12"]
    assert current(h, GROUP, older.message_id).buttons() == []  # the old one kept its text
    before = await stored(h)
    for label in (ENGLISH.BOARD_JOIN_BUTTON, ENGLISH.BOARD_LEAVE_BUTTON):
        answer = await h.tap(BEN, older.message_id, tap_data(older, label), chat_id=GROUP)
        assert answer is not None and answer["text"] == ENGLISH.BOARD_STALE_TOAST
    assert await stored(h) == before


async def test_the_next_day_gets_a_new_board(harness: Harness) -> None:
    h = harness
    yesterday = await board_with(h, BEN)
    h.clock.advance(timedelta(days=1))
    await h.send(BEN, "/stretch")
    await h.tap_button(BEN, h.last(BEN), ENGLISH.SESSION_BTN_LOG)
    await h.tap_button(BEN, h.last(BEN), "🔲")
    today = h.last(GROUP)
    assert today.message_id != yesterday.message_id
    assert (today.text or "").startswith("🧘 Limber board · Wed 25 Nov")
    assert board_lines(today) == ["◻️ Ben 1/12"]
    assert current(h, GROUP, yesterday.message_id).buttons() == []
    answer = await h.tap_button(BEN, yesterday, ENGLISH.BOARD_LEAVE_BUTTON)
    assert answer["text"] == ENGLISH.BOARD_STALE_TOAST


async def test_a_board_button_of_another_group_changes_nothing(harness: Harness) -> None:
    h = harness
    ours = await board_with(h, BEN)
    theirs = await board_with(h, CAT, group=OTHER_GROUP)
    h.fake.set_member(GROUP, CAT)
    before = await stored(h)
    for label in (ENGLISH.BOARD_JOIN_BUTTON, ENGLISH.BOARD_LEAVE_BUTTON):
        # Cat taps the other group's button data on our board (a client can send any data).
        answer = await h.tap(CAT, ours.message_id, tap_data(theirs, label), chat_id=GROUP)
        assert answer == {
            "text": ENGLISH.BOARD_OTHER_GROUP_TOAST,
            "show_alert": True,
            "url": None,
        }
    assert await stored(h) == before
    assert current(h, GROUP, ours.message_id).buttons()  # our board goes on


async def test_leave_by_someone_not_on_the_board(harness: Harness) -> None:
    h = harness
    board = await board_with(h, BEN)
    await set_up(h, CAT)
    h.fake.set_member(GROUP, CAT)
    before = await stored(h)
    answer = await h.tap_button(CAT, board, ENGLISH.BOARD_LEAVE_BUTTON)
    assert answer["text"] == ENGLISH.BOARD_NOT_MEMBER_TOAST
    answer = await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)  # twice: once only
    assert answer["text"] == ENGLISH.BOARD_ALREADY_TOAST
    assert await stored(h) == before


async def test_someone_outside_a_public_group_cannot_join_its_board(harness: Harness) -> None:
    h = harness
    board = await board_with(h, group=GROUP, username="stretchclub")
    await set_up(h, DAN)  # a Limber user who reads the public group without being in it
    before = await stored(h)
    answer = await h.tap_button(DAN, board, ENGLISH.BOARD_JOIN_BUTTON)
    assert answer == {"text": ENGLISH.BOARD_GROUP_ONLY_TOAST, "show_alert": True, "url": None}
    # Nor through the board's link, opened in the private chat.
    async with h.services.db.read() as session:
        group = await session.get(BoardGroup, GROUP)
        assert group is not None
    await h.send(DAN, f"/start g_{group.join_code}")
    assert h.last(DAN).text == ENGLISH.BOARD_GROUP_ONLY.format(group="Stretch club")
    assert await stored(h) == before


async def test_a_forged_or_unknown_board_link_changes_nothing(harness: Harness) -> None:
    h = harness
    await board_with(h, BEN)
    await set_up(h, CAT)
    before = await stored(h)
    await h.send(CAT, "/start g_notacode")
    assert h.last(CAT).text == ENGLISH.BOARD_LINK_INVALID
    board = h.last(GROUP)
    forged = callbacks.BoardJoin(GROUP).encode()
    await h.send(CAT, "/help")
    answer = await h.tap(CAT, h.last(CAT).message_id, forged)  # board data in a private chat
    assert answer is not None and answer["text"] == ENGLISH.BOARD_OTHER_GROUP_TOAST
    assert await stored(h) == before
    assert board_lines(h.last(GROUP)) == board_lines(board)


async def test_deleteme_takes_a_member_off_every_board(harness: Harness) -> None:
    h = harness
    await board_with(h, BEN, CAT)
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 0/12", "◻️ Cat 0/12"]
    await h.send(BEN, "/deleteme")
    await h.tap_button(BEN, h.last(BEN), ENGLISH.DELETE_BUTTON_YES)
    h.clock.advance(timedelta(seconds=5))
    await board_flush.flush(h.app)  # the board job's next round
    assert board_lines(h.last(GROUP)) == ["◻️ Cat 0/12"]
    assert (await stored(h))[0] == [(GROUP, CAT)]
    # A tap after /deleteme: Ben is a stranger now, so Join leads to the private chat first.
    answer = await h.tap_button(BEN, h.last(GROUP), ENGLISH.BOARD_JOIN_BUTTON)
    assert (answer["url"] or "").startswith("https://t.me/limber_bot?start=g_")
    answer = await h.tap_button(BEN, h.last(GROUP), ENGLISH.BOARD_LEAVE_BUTTON)
    assert answer["text"] == ENGLISH.BOARD_NOT_MEMBER_TOAST
    assert (await stored(h))[0] == [(GROUP, CAT)]


async def test_blocking_the_bot_takes_a_member_off_every_board(harness: Harness) -> None:
    h = harness
    await board_with(h, BEN, CAT)
    await h.send(CAT, "/help")  # Cat's private chat with the bot, where Cat blocks it
    h.clock.advance(timedelta(seconds=5))
    await h.block(CAT)
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 0/12"]
    assert (await stored(h))[0] == [(GROUP, BEN)]


async def test_other_commands_in_a_group_still_get_the_pointer(harness: Harness) -> None:
    h = harness
    await board_with(h, BEN)
    before = len(h.fake.bot_messages(GROUP))
    await h.send(BEN, "/stretch", chat_id=GROUP)
    assert "https://t.me/limber_bot?start=group" in (h.last(GROUP).text or "")
    await h.send(BEN, "just chatting", chat_id=GROUP)
    await h.send(BEN, "/board@another_bot", chat_id=GROUP)
    assert len(h.fake.bot_messages(GROUP)) == before + 1
