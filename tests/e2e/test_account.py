"""/export and /deleteme end to end: the document holds all of one user's rows and nobody
else's; deleting erases every table for that user and leaves others alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from coach import callbacks
from coach.texts import ENGLISH
from storage.account import owner_column
from storage.models import (
    USER_REFERENCES,
    USER_TABLES,
    BackCheckIn,
    BoardGroup,
    BoardMember,
    Buddy,
    BuddyInvite,
    BuddyNudge,
    GuidedSession,
    LiveMessage,
    LoggedSet,
    MiniAppCalls,
    PausedDay,
    PendingStart,
    ReminderSent,
    StaleKeyboard,
    User,
    WeeklyRecap,
)
from tests.harness import Harness, button_data
from tests.helpers import downloaded_json

ANN, BOB = 5101, 5102
DAY = date(2026, 11, 23)


async def seed(harness: Harness, user_id: int) -> None:
    """One or more rows in every user table, as a user of a few days would have."""
    async with harness.services.db.transaction() as session:
        session.add(
            User(
                id=user_id,
                chat_id=user_id,
                first_name=f"U{user_id}",
                time_zone="Europe/Berlin",
                reminder_time=time(7, 30),
                next_reminder_at=datetime(2026, 11, 25, 6, 30, tzinfo=UTC),
            )
        )
        await session.flush()
        for number in (1, 2):
            session.add(
                LoggedSet(
                    user_id=user_id,
                    stretch_day=DAY,
                    stretch_key="lower_back",
                    side="left",
                    set_number=number,
                )
            )
        session.add(ReminderSent(user_id=user_id, stretch_day=DAY, kind="sent"))
        session.add(PausedDay(user_id=user_id, stretch_day=DAY + timedelta(days=3)))
        session.add(BackCheckIn(user_id=user_id, stretch_day=DAY, score=8))
        session.add(WeeklyRecap(user_id=user_id, week_start=DAY - timedelta(days=6)))
        session.add(
            GuidedSession(
                user_id=user_id, chat_id=user_id, message_id=9, stretch_day=DAY, screen="summary"
            )
        )
        session.add(
            LiveMessage(
                user_id=user_id,
                kind="settings",
                chat_id=user_id,
                message_id=10,
                updated_at=datetime(2026, 11, 23, 19, 0, tzinfo=UTC),
            )
        )
        session.add(  # calls to the Mini App's API this minute
            MiniAppCalls(
                user_id=user_id, window_start=datetime(2026, 11, 24, 8, 0, tzinfo=UTC), calls=3
            )
        )
        session.add(  # an older menu whose buttons are still to be taken away
            StaleKeyboard(
                user_id=user_id,
                chat_id=user_id,
                message_id=8,
                queued_at=datetime(2026, 11, 23, 19, 0, tzinfo=UTC),
            )
        )


async def seed_together(harness: Harness, user_id: int, other_id: int) -> None:
    """The two are buddies (and have nudged each other); the first has an invite out, a
    board in a group, and a link opened before onboarding."""
    now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    group = -1_000_000_000_000 - user_id
    async with harness.services.db.transaction() as session:
        session.add(
            BoardGroup(
                chat_id=group,
                title=f"Club {user_id}",
                time_zone="Europe/Berlin",
                language="en",
                join_code=f"code{user_id}",
                dirty=False,
                created_at=now,
            )
        )
        session.add(
            BuddyInvite(token=f"tok{user_id}", user_id=user_id, created_at=now, expires_at=now)
        )
        session.add(PendingStart(user_id=user_id, payload="b_tok", created_at=now))
        for one, two in ((user_id, other_id), (other_id, user_id)):
            session.add(Buddy(user_id=one, buddy_id=two, nudge=True, created_at=now))
            session.add(BuddyNudge(user_id=one, stretch_day=DAY, buddy_id=two, sent_at=now))
        await session.flush()
        session.add(BoardMember(chat_id=group, user_id=user_id, joined_at=now))


async def row_counts(harness: Harness, user_id: int) -> dict[str, int]:
    counts = {}
    async with harness.services.db.transaction() as session:
        for model in USER_TABLES:
            query = select(func.count()).where(owner_column(model) == user_id)
            counts[model.__tablename__] = (await session.execute(query)).scalar_one()
    return counts


async def test_export_holds_every_table_of_this_user_only(harness: Harness) -> None:
    await seed(harness, ANN)
    await seed(harness, BOB)
    await seed_together(harness, ANN, BOB)
    await harness.send(ANN, "/export")

    sent = harness.last(ANN)
    assert sent.document is not None
    assert sent.document["file_name"] == "limber-export-2026-11-24.json"
    assert sent.caption == ENGLISH.EXPORT_CAPTION
    exported = downloaded_json(harness, ANN)
    tables = exported["tables"]
    assert set(tables) == {model.__tablename__ for model in USER_TABLES}
    assert {name: len(rows) for name, rows in tables.items()} == await row_counts(harness, ANN)
    for name, rows in tables.items():
        owner = "id" if name == User.__tablename__ else "user_id"
        assert rows, f"{name} exported nothing"
        assert {row[owner] for row in rows} == {ANN}
    user_row = tables["users"][0]
    assert user_row["reminder_time"] == "07:30:00"
    assert user_row["next_reminder_at"] == "2026-11-25T06:30:00+00:00"
    assert tables["logged_sets"][0]["stretch_day"] == "2026-11-23"
    assert exported["exported_at"] == "2026-11-24T08:00:00+00:00"
    # Buddies and boards by name, beside the raw rows.
    assert exported["together"] == {
        "buddies": [
            {"first_name": f"U{BOB}", "nudge_me": True, "since": "2026-11-23T19:00:00+00:00"}
        ],
        "boards": [{"group": f"Club {ANN}", "joined_at": "2026-11-23T19:00:00+00:00"}],
    }


async def test_export_for_an_unknown_user_is_an_empty_document(harness: Harness) -> None:
    await seed(harness, BOB)
    await harness.send(ANN, "/export")
    tables = downloaded_json(harness, ANN)["tables"]
    assert all(rows == [] for rows in tables.values())


async def test_deleteme_erases_every_table_for_the_user_only(harness: Harness) -> None:
    await seed(harness, ANN)
    await seed(harness, BOB)
    await seed_together(harness, ANN, BOB)
    bob_before = await row_counts(harness, BOB)

    await harness.send(ANN, "/deleteme")
    confirm = harness.last(ANN).snapshot()
    assert confirm.text is not None
    assert "Delete all your data?" in confirm.text
    await harness.tap_button(ANN, confirm, ENGLISH.DELETE_BUTTON_YES)

    assert harness.last(ANN).text == ENGLISH.DELETE_DONE
    assert harness.last(ANN).message_id == confirm.message_id  # edited in place
    assert set((await row_counts(harness, ANN)).values()) == {0}
    # Bob keeps all he owns but the rows that named Ann: his side of their pairing, and the
    # nudge that told him of her day.
    naming_ann = {model.__tablename__ for model, _ in USER_REFERENCES}
    assert naming_ann == {"buddies", "buddy_nudges"}
    expected = {table: n - (table in naming_ann) for table, n in bob_before.items()}
    assert await row_counts(harness, BOB) == expected
    async with harness.services.db.transaction() as session:
        for model, column in USER_REFERENCES:
            table = model.__table__
            query = select(func.count()).select_from(table).where(table.c[column] == ANN)
            assert (await session.execute(query)).scalar_one() == 0


async def test_start_after_deleteme_begins_fresh(harness: Harness) -> None:
    await seed(harness, ANN)
    await harness.send(ANN, "/deleteme")
    await harness.tap_button(ANN, harness.last(ANN), ENGLISH.DELETE_BUTTON_YES)

    seen = len(harness.fake.bot_messages(ANN))
    await harness.send(ANN, "/start")
    # The first-contact welcome (with its safety note) again, as for a stranger.
    replies = harness.fake.bot_messages(ANN)[seen:]
    assert any(ENGLISH.SAFETY in (m.text or "") for m in replies)
    async with harness.services.db.transaction() as session:
        user = await session.get(User, ANN)
        assert user is not None
        # A brand-new row: none of the old schedule survived.
        assert user.reminder_time is None
        assert user.time_zone is None
        count = await session.scalar(select(func.count()).where(LoggedSet.user_id == ANN))
        assert count == 0


async def test_cancel_changes_nothing(harness: Harness) -> None:
    await seed(harness, ANN)
    before = await row_counts(harness, ANN)
    await harness.send(ANN, "/deleteme")
    await harness.tap_button(ANN, harness.last(ANN), ENGLISH.DELETE_BUTTON_NO)
    assert harness.last(ANN).text == ENGLISH.DELETE_CANCELLED
    assert harness.last(ANN).buttons() == []
    assert await row_counts(harness, ANN) == before


async def test_stale_or_forged_confirm_deletes_nothing(harness: Harness) -> None:
    await seed(harness, ANN)
    await harness.send(ANN, "/deleteme")
    before = await row_counts(harness, ANN)
    confirm = harness.last(ANN).snapshot()

    harness.clock.advance(timedelta(minutes=11))
    answer = await harness.tap_button(ANN, confirm, ENGLISH.DELETE_BUTTON_YES)
    assert answer["text"] == ENGLISH.DELETE_EXPIRED
    forged = await harness.tap(ANN, confirm.message_id, callbacks.encode("deleteme", "yes"))
    assert forged is not None
    assert forged["text"] == ENGLISH.DELETE_EXPIRED
    assert await row_counts(harness, ANN) == before
    assert harness.last(ANN).text == confirm.text  # the question is still there, unchanged


async def test_confirm_data_on_another_message_deletes_nothing(harness: Harness) -> None:
    await seed(harness, ANN)
    await harness.send(ANN, "/deleteme")
    confirm = harness.last(ANN).snapshot()
    yes = button_data(confirm, ENGLISH.DELETE_BUTTON_YES)
    await harness.send(ANN, "/help")
    before = await row_counts(harness, ANN)
    # The same "yes" (fresh, well formed) tapped on the help message: not the confirmation.
    answer = await harness.tap(ANN, harness.last(ANN).message_id, yes)
    assert answer is not None and answer["text"] == ENGLISH.DELETE_EXPIRED
    assert await row_counts(harness, ANN) == before
    # A second /deleteme makes the first confirmation stale.
    await harness.send(ANN, "/deleteme")
    answer = await harness.tap(ANN, confirm.message_id, yes)
    assert answer is not None and answer["text"] == ENGLISH.DELETE_EXPIRED
    assert (await row_counts(harness, ANN))["users"] == 1
