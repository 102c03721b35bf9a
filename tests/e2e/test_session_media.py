"""Step pictures: uploaded once per bot, then re-sent by cached file_id; a rejected file_id is
uploaded again and its cache row replaced."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import select

from coach.routine import all_pictures, load_routine
from coach.session_flow import Today, flow, picture_of
from coach.texts import ENGLISH
from storage.models import MediaCache
from tests.harness import Harness


async def _walk_session(harness: Harness, user_id: int, screens: int = 1000) -> None:
    """/stretch, Start, then Next until `screens` steps were shown or the summary is reached."""
    await harness.send(user_id, "/stretch")
    await harness.tap_button(user_id, harness.last(user_id), ENGLISH.SESSION_BTN_START)
    for _ in range(screens - 1):
        if ENGLISH.SESSION_BTN_NEXT not in str(harness.last(user_id).buttons()):
            await harness.tap_button(user_id, harness.last(user_id), ENGLISH.SESSION_BTN_FINISH)
            return
        await harness.tap_button(user_id, harness.last(user_id), ENGLISH.SESSION_BTN_NEXT)


async def _cached(harness: Harness) -> dict[str, str]:
    async with harness.services.db.transaction() as session:
        rows = await session.execute(select(MediaCache.asset_key, MediaCache.file_id))
        return {key: file_id for key, file_id in rows}


async def test_pictures_are_uploaded_once_each_across_twenty_sessions(harness: Harness) -> None:
    routine = load_routine()
    nothing_yet = Today(date(2026, 11, 24), {}, sets_per_side=3, hold_seconds=30)
    shown = {
        picture_of(routine, screen, ENGLISH, nothing_yet).asset_key for screen in flow(routine)
    }
    # Every step picture appears in a session, and the intro's and the summary's own.
    assert len(shown) == len(all_pictures(routine, "en")) + 2
    users = range(9001, 9021)
    await _walk_session(harness, users[0])  # the first session shows every picture
    assert "Today: 0/12 sets" in (harness.last(users[0]).caption or "")
    assert harness.fake.uploads == len(shown)
    # 19 more sessions side by side, each through one side of the first stretch: the bot's
    # rate limiter (30 calls/s) makes walking all of them through everything slow.
    one_side = len(routine.stretches[0].screens)
    await asyncio.gather(*(_walk_session(harness, u, one_side) for u in users[1:]))
    for user_id in users[1:]:
        assert "· hold" in (harness.last(user_id).caption or "")
        assert harness.last(user_id).photo_file_id is not None
        assert len(harness.fake.bot_messages(user_id)) == 1
    assert harness.fake.uploads == len(shown)
    assert set(await _cached(harness)) == shown


async def test_a_rejected_file_id_is_uploaded_again(harness: Harness) -> None:
    routine = load_routine()
    screens = flow(routine)
    intro, second_step = (
        picture_of(routine, screens[0], ENGLISH),
        picture_of(routine, screens[2], ENGLISH),
    )
    first_step = picture_of(routine, screens[1], ENGLISH)
    bot_id = harness.app.bot.id
    # Ids Telegram no longer accepts (say, cached under another bot before a token change).
    await harness.services.pictures.remember(bot_id, intro, "AgACstale-intro")
    await harness.services.pictures.remember(bot_id, second_step, "AgACstale-step")

    await harness.send(501, "/stretch")
    assert harness.last(501).photo_file_id is not None
    await harness.tap_button(501, harness.last(501), ENGLISH.SESSION_BTN_START)
    await harness.tap_button(501, harness.last(501), ENGLISH.SESSION_BTN_NEXT)
    shown = harness.last(501)
    assert "step 2 of" in (shown.caption or "")
    assert harness.fake.uploads == 3  # the two rejected ones, and step 1's first upload

    cached = await _cached(harness)
    assert first_step.asset_key in cached
    assert cached[intro.asset_key] != "AgACstale-intro"
    assert cached[second_step.asset_key] == shown.photo_file_id
    # The fresh ids work: a second user gets both pictures without another upload.
    await harness.send(502, "/stretch")
    await harness.tap_button(502, harness.last(502), ENGLISH.SESSION_BTN_START)
    await harness.tap_button(502, harness.last(502), ENGLISH.SESSION_BTN_NEXT)
    assert harness.fake.uploads == 3


async def test_watch_the_move_plays_the_demonstration_and_reuses_its_upload(
    harness: Harness,
) -> None:
    routine = load_routine()
    first = routine.stretches[0]
    for user_id in (601, 602):
        await harness.send(user_id, "/stretch")
        await harness.tap_button(user_id, harness.last(user_id), ENGLISH.SESSION_BTN_START)
        before = harness.fake.uploads
        await harness.tap_button(user_id, harness.last(user_id), ENGLISH.SESSION_BTN_WATCH)
        shown = harness.last(user_id)
        assert len(harness.fake.bot_messages(user_id)) == 1  # the same message, edited
        assert shown.animation is not None and shown.photo_file_id is None
        assert shown.animation["width"] == 800 and 4 <= shown.animation["duration"] <= 8
        assert ENGLISH.SESSION_DEMO_HINT in (shown.caption or "")
        assert first.side_label("left", ENGLISH) in (shown.caption or "")
        uploads = harness.fake.uploads - before
        assert uploads == (1 if user_id == 601 else 0)  # the second user gets it by file_id
        await harness.tap_button(user_id, shown, ENGLISH.SESSION_BTN_TO_STEP)
        back = harness.last(user_id)
        assert back.animation is None and back.photo_file_id is not None
        assert "step 1 of" in (back.caption or "")
    cached = await _cached(harness)
    assert cached[f"{first.key}/demo/left"].startswith("CgAC")  # Telegram's animation ids
