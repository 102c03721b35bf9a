"""A group's board end to end: /board (admins start it, set its zone, end it), members joining
and leaving with its buttons, a newcomer taken to the private chat and back, the board edited
in place as members finish, thirty of them within a minute in at most 20 messages to the
group, and the language it is written in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coach.texts import ENGLISH, texts_for
from handlers import board_flush
from playground.fake_telegram import ChatMessage
from playground.fake_types import Faults
from storage import boards
from storage.models import BoardGroup, BoardMember, User
from tests.harness import Harness
from tests.helpers import log_sets
from tests.together import ANA, BEN, CAT, GROUP, NAMES, board_lines, set_up, shown

TUESDAY_0900 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # the clock fixture: 09:00 in Berlin
GROUP_CALLS = ("sendMessage", "editMessageText", "editMessageReplyMarkup")


async def start_board(h: Harness, *members: int) -> ChatMessage:
    """Ana (set up with Limber) makes a group with `members` in it and starts its board."""
    await set_up(h, ANA, *members)
    h.fake.add_group(GROUP, "Stretch club", creator=ANA)
    for member in members:
        h.fake.set_member(GROUP, member, first_name=NAMES.get(member, f"U{member}"))
    await h.send(ANA, "/board", chat_id=GROUP)
    return h.last(GROUP)


def group_calls(h: Harness, since: int = 0) -> int:
    """Messages the bot sent to, or edited in, the group since the `since`-th Bot API call."""
    return sum(
        1
        for method, params in h.fake.calls[since:]
        if method in GROUP_CALLS and params.get("chat_id") == GROUP
    )


async def members_of(h: Harness) -> list[int]:
    async with h.services.db.read() as session:
        return await boards.member_ids(session, GROUP)


async def flush_later(h: Harness, seconds: float = 5) -> None:
    """Let the group's pace allow another board message, and run the board job."""
    h.clock.advance(timedelta(seconds=seconds))
    await board_flush.flush(h.app)


async def test_an_admin_starts_the_board_and_members_join_and_leave(harness: Harness) -> None:
    h = harness
    board = await start_board(h, BEN)
    started = h.fake.bot_messages(GROUP)[0].text or ""
    assert started == shown(ENGLISH.BOARD_STARTED.format(zone="Europe/Berlin"))
    assert (board.text or "").startswith("🧘 Limber board · Tue 24 Nov")
    assert shown(ENGLISH.BOARD_EMPTY) in (board.text or "")
    assert [label for row in board.buttons() for label, _ in row] == [
        ENGLISH.BOARD_JOIN_BUTTON,
        ENGLISH.BOARD_LEAVE_BUTTON,
    ]

    answer = await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)
    assert answer == {"text": ENGLISH.BOARD_JOINED_TOAST, "show_alert": True, "url": None}
    assert await members_of(h) == [BEN]
    # Posted a moment ago: the edit waits for the group's pace, then the board job draws it.
    assert h.last(GROUP).edits == 0
    await flush_later(h)
    edited = h.last(GROUP)
    assert edited.message_id == board.message_id and edited.edits == 1  # edited in place
    assert board_lines(edited) == ["◻️ Ben 0/12"]
    assert "0 of 1 done today" in (edited.text or "")

    h.clock.advance(timedelta(seconds=5))
    answer = await h.tap_button(BEN, edited, ENGLISH.BOARD_LEAVE_BUTTON)
    assert answer["text"] == ENGLISH.BOARD_LEFT_TOAST
    assert board_lines(h.last(GROUP)) == []  # drawn at once: the pace allowed it
    assert h.last(GROUP).edits == 2
    assert await members_of(h) == []


async def test_sets_logged_in_the_private_chat_show_on_the_board(harness: Harness) -> None:
    h = harness
    board = await start_board(h, BEN)
    await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)
    h.clock.advance(timedelta(seconds=5))
    await h.send(BEN, "/stretch")
    await h.tap_button(BEN, h.last(BEN), ENGLISH.SESSION_BTN_LOG)
    await h.tap_button(BEN, h.last(BEN), "🔲")
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 1/12"]
    # The next set comes within the group's pace: it waits for the board job.
    await h.tap_button(BEN, h.last(BEN), "🔲")
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 1/12"]
    await flush_later(h)
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 2/12"]


async def test_thirty_members_finish_within_a_minute_in_at_most_20_edits(
    harness: Harness,
) -> None:
    h = harness
    members = list(range(8200, 8230))
    board = await start_board(h, *members)
    async with h.services.db.transaction() as session:
        for member in members:
            await boards.join(session, GROUP, member, h.clock.now())
    for member in members:  # each has 11 of today's 12 sets, and the grid open
        await log_sets(h, TUESDAY_0900.date(), 11, member)
        await h.send(member, "/stretch")
        await h.tap_button(member, h.last(member), ENGLISH.SESSION_BTN_LOG)
    await flush_later(h)
    assert len(board_lines(h.last(GROUP))) == 30
    assert all(line.endswith("11/12") for line in board_lines(h.last(GROUP)))

    # Telegram's 20 a minute for the group, counted by the test's clock, and a slow network.
    h.fake.clock = lambda: h.clock.now().timestamp()
    h.fake.faults = Faults(group_rate_per_minute=20, delay_seconds=0.02, chats={GROUP})
    h.clock.advance(timedelta(seconds=5))
    start, calls = h.clock.now(), len(h.fake.calls)
    for n, member in enumerate(members):  # one finishes every 2 seconds
        h.clock.set(start + timedelta(seconds=2 * n))
        await h.tap_button(member, h.last(member), "🔲")
    in_the_minute = group_calls(h, calls)
    assert in_the_minute <= 20
    h.clock.set(start + timedelta(seconds=60))
    await board_flush.flush(h.app)  # the board job, as the minute ends

    final = h.last(GROUP)
    assert final.message_id == board.message_id
    assert board_lines(final) == [f"✓ U{member} 12/12 · 🔥 1" for member in members]
    assert "30 of 30 done today" in (final.text or "")
    assert h.fake.limit_stats.answered_429 == 0
    print(f"30 finishes in 58 s: {in_the_minute} board messages to the group")


async def test_thirty_members_finishing_at_once_cost_one_edit_then_the_last_state(
    harness: Harness,
) -> None:
    h = harness
    members = list(range(8300, 8330))
    await start_board(h, *members)
    async with h.services.db.transaction() as session:
        for member in members:
            await boards.join(session, GROUP, member, h.clock.now())
    for member in members:
        await log_sets(h, TUESDAY_0900.date(), 11, member)
        await h.send(member, "/stretch")
        await h.tap_button(member, h.last(member), ENGLISH.SESSION_BTN_LOG)
    await flush_later(h)
    h.fake.faults = Faults(delay_seconds=0.05, chats={GROUP})
    h.clock.advance(timedelta(seconds=5))
    calls = len(h.fake.calls)
    taps = []
    for member in members:  # all queued before the bot reads any
        grid = h.last(member)
        data = next(d for row in grid.buttons() for label, d in row if label.startswith("🔲"))
        assert data is not None
        taps.append(h.fake.tap(member, grid.message_id, data))
    for query_id in taps:
        await h.handled_tap(query_id)
    assert group_calls(h, calls) <= 1  # one flush drew; the others found it drawn or held
    await flush_later(h)
    assert len([line for line in board_lines(h.last(GROUP)) if line.startswith("✓")]) == 30


async def test_a_newcomer_is_taken_to_the_private_chat_and_back(harness: Harness) -> None:
    h = harness
    dan = 8150
    board = await start_board(h)
    h.fake.set_member(GROUP, dan, first_name="Dan")
    answer = await h.tap_button(dan, board, ENGLISH.BOARD_JOIN_BUTTON)
    async with h.services.db.read() as session:
        group = await boards.get(session, GROUP)
        assert group is not None
    link = f"https://t.me/limber_bot?start=g_{group.join_code}"
    assert answer == {"text": None, "show_alert": False, "url": link}
    assert await members_of(h) == []  # nothing yet: Dan has not started Limber

    await h.send(dan, f"/start g_{group.join_code}")
    first = h.fake.bot_messages(dan)[0].text
    assert first == shown(ENGLISH.BOARD_JOIN_FIRST.format(group="Stretch club"))
    await h.send(dan, "Berlin")
    await h.send(dan, "7:30")
    joined = h.last(dan)
    assert joined.text == shown(ENGLISH.BOARD_JOINED.format(group="Stretch club"))
    back = joined.buttons()[0][0]
    assert back == (
        ENGLISH.BOARD_BACK_BUTTON.format(group="Stretch club"),
        f"https://t.me/c/1234500001/{board.message_id}",
    )
    assert await members_of(h) == [dan]
    await flush_later(h)
    assert board_lines(h.last(GROUP)) == ["◻️ Dan 0/12"]


async def test_only_admins_start_end_or_move_the_board(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA, BEN)
    h.fake.add_group(GROUP, "Stretch club", creator=ANA)
    h.fake.set_member(GROUP, BEN, first_name="Ben")
    await h.send(BEN, "/board", chat_id=GROUP)
    assert h.last(GROUP).text == ENGLISH.BOARD_ADMIN_ONLY
    async with h.services.db.read() as session:
        assert await boards.get(session, GROUP) is None

    await h.send(ANA, "/board Tokyo", chat_id=GROUP)
    assert h.fake.bot_messages(GROUP)[-2].text == shown(
        ENGLISH.BOARD_STARTED.format(zone="Asia/Tokyo")
    )
    for attempt in ("/board off", "/board Berlin"):
        await h.send(BEN, attempt, chat_id=GROUP)
        assert h.last(GROUP).text == ENGLISH.BOARD_ADMIN_ONLY
    await h.send(ANA, "/board Atlantis", chat_id=GROUP)
    assert h.last(GROUP).text == shown(
        ENGLISH.BOARD_ZONE_HINT.format(examples=ENGLISH.ZONE_EXAMPLES)
    )
    await h.send(ANA, "/board Berlin", chat_id=GROUP)
    assert h.fake.bot_messages(GROUP)[-1].text == shown(
        ENGLISH.BOARD_ZONE_SET.format(zone="Europe/Berlin")
    )
    board = next(m for m in h.fake.bot_messages(GROUP) if m.buttons())
    await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)
    await h.send(ANA, "/board off", chat_id=GROUP)
    assert h.last(GROUP).text == ENGLISH.BOARD_OFF
    async with h.services.db.read() as session:
        assert await boards.get(session, GROUP) is None
        assert await session.scalar(select(func.count()).select_from(BoardMember)) == 0
    assert all(m.buttons() == [] for m in h.fake.bot_messages(GROUP))


async def test_the_board_speaks_the_language_most_members_use(harness: Harness) -> None:
    h = harness
    board = await start_board(h, BEN, CAT)
    async with h.services.db.transaction() as session:
        for member in (BEN, CAT):
            await boards.join(session, GROUP, member, h.clock.now())
            user = await session.get(User, member)
            assert user is not None
            user.language = "de"  # chosen with /language
    await flush_later(h)
    german = texts_for("de")
    text = h.last(GROUP).text or ""
    assert text.startswith(
        shown(german.BOARD_TITLE.format(date=german.short_date(TUESDAY_0900.date())))
    )
    assert german.BOARD_JOIN_BUTTON in str(h.last(GROUP).buttons())
    assert h.last(GROUP).message_id == board.message_id
    # A tap's answer speaks the tapper's own language: Ana's is English.
    answer = await h.tap_button(ANA, h.last(GROUP), german.BOARD_LEAVE_BUTTON)
    assert answer["text"] == ENGLISH.BOARD_NOT_MEMBER_TOAST


async def test_a_board_in_private_chat_points_to_groups(harness: Harness) -> None:
    h = harness
    await set_up(h, ANA)
    await h.send(ANA, "/board")
    assert h.last(ANA).text == ENGLISH.BOARD_IN_GROUPS


async def test_the_bot_removed_from_the_group_forgets_its_board(harness: Harness) -> None:
    h = harness
    board = await start_board(h, BEN)
    await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)
    await h.remove_from_group(GROUP, ANA)
    async with h.services.db.read() as session:
        assert await session.get(BoardGroup, GROUP) is None
        assert await session.scalar(select(func.count()).select_from(BoardMember)) == 0


async def test_a_board_whose_flush_died_mid_draw_is_drawn_after_its_lease(
    harness: Harness,
) -> None:
    h = harness
    board = await start_board(h, BEN)
    await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)  # due a redraw, within the pace
    h.clock.advance(timedelta(seconds=5))
    async with h.services.db.transaction() as session:  # another instance claims it, and dies
        claimed = await boards.claim_due(
            session, h.clock.now(), spacing=board_flush.EDIT_SPACING, lease=board_flush.LEASE
        )
    assert [b.chat_id for b in claimed] == [GROUP]
    await flush_later(h)
    assert board_lines(h.last(GROUP)) == []  # still held by the lost claim
    await flush_later(h, board_flush.LEASE.total_seconds())
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 0/12"]


async def test_a_board_telegram_refuses_is_tried_again_after_a_pause_not_at_once(
    harness: Harness,
) -> None:
    h = harness
    board = await start_board(h, BEN)
    await h.tap_button(BEN, board, ENGLISH.BOARD_JOIN_BUTTON)  # drawn within the pace: later
    del h.fake.chats[GROUP].messages[board.message_id]  # an admin deleted the board...
    h.fake.mute_bot(GROUP)  # ...and took away the bot's right to write there
    await flush_later(h)  # the edit finds no message, and a new one is refused
    calls = len(h.fake.calls)
    for _ in range(5):  # the board job, every few seconds for a while: no new attempt
        await flush_later(h)
    assert group_calls(h, calls) == 0
    h.fake.mute_bot(GROUP, muted=False)
    await flush_later(h, board_flush.REFUSED_PAUSE.total_seconds())
    assert board_lines(h.last(GROUP)) == ["◻️ Ben 0/12"]
    assert h.last(GROUP).message_id != board.message_id
