"""A day finished in the Mini App counts for the others as one finished in the chat: the
group's board shows it and the buddy who asked hears of it, silently, once."""

from __future__ import annotations

from datetime import timedelta

from coach.clock import ManualClock
from coach.schedule import user_stretch_day
from coach.session_flow import day_code
from coach.texts import ENGLISH
from handlers import board_flush
from tests.e2e.miniapp import init_data, mini_app_bot
from tests.together import ANA, BEN, GROUP, NAMES, board_lines, pair, set_up


async def test_a_day_finished_in_the_mini_app_reaches_the_board_and_the_buddy(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        h = app.harness
        await set_up(h, ANA, BEN)
        await pair(h, ANA, BEN)
        await h.send(ANA, "/buddy")
        await h.tap_button(ANA, h.last(ANA), "🔔")  # Ana asks to hear when Ben is done
        h.fake.add_group(GROUP, "Stretch club", creator=ANA)
        h.fake.set_member(GROUP, BEN, first_name=NAMES[BEN])
        await h.send(ANA, "/board", chat_id=GROUP)
        await h.tap_button(BEN, h.last(GROUP), ENGLISH.BOARD_JOIN_BUTTON)
        h.clock.advance(timedelta(seconds=5))  # the group's pace allows the next edit

        user = await h.stored_user(BEN)
        day = day_code(user_stretch_day(user.time_zone, h.clock.now()))
        await app.whole_day(init_data(BEN, h.clock.now()), day)

        # The first set was drawn at once; the rest came within the group's pace and wait
        # for the board job.
        assert board_lines(h.last(GROUP)) == ["◻️ Ben 1/12"]
        h.clock.advance(timedelta(seconds=5))
        await board_flush.flush(h.app)
        assert board_lines(h.last(GROUP)) == ["✓ Ben 12/12 · 🔥 1"]
        nudge = ENGLISH.BUDDY_NUDGE.format(name="Ben")
        assert [m.silent for m in h.fake.bot_messages(ANA) if m.text == nudge] == [True]
