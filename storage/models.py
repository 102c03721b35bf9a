"""The database schema as SQLAlchemy 2 typed models. Alembic owns the real schema."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    UniqueConstraint,
    and_,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coach.routine import load_routine
from coach.schedule import ALL_WEEKDAYS
from storage.sqltypes import ClockTime, UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class User(Base):
    """A Telegram user who talked to the bot, with their schedule and preferences."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    first_name: Mapped[str] = mapped_column(String(256), default="")
    language_code: Mapped[str | None] = mapped_column(String(16))
    # The language we speak (coach.i18n.LANGUAGES); None: follow language_code (users from
    # before migration 0007). Read per update by bot.log_context.
    language: Mapped[str | None] = mapped_column(String(8))
    # An IANA name ("Europe/Berlin") or a fixed offset written "UTC+05:30".
    time_zone: Mapped[str | None] = mapped_column(String(64))
    reminder_time: Mapped[time | None] = mapped_column(ClockTime)
    weekdays: Mapped[int] = mapped_column(Integer, default=ALL_WEEKDAYS)
    # The first stretch day of a pause "until I resume"; pauses of N days are PausedDay rows.
    paused_since: Mapped[date | None] = mapped_column(Date)
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # True when next_reminder_at is a snooze of a reminder already sent that day.
    snoozed: Mapped[bool] = mapped_column(default=False)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked: Mapped[bool] = mapped_column(default=False)
    # Which question free text answers now: None, "zone", "time", "onboarding_zone" or
    # "onboarding_time" (handlers/onboarding.py owns the values).
    awaiting: Mapped[str | None] = mapped_column(String(32))
    # A new user starts with the routine's own defaults (coach/content/routine.toml).
    sets_per_side: Mapped[int] = mapped_column(
        Integer, default=lambda: load_routine().default_sets_per_side
    )
    hold_seconds: Mapped[int] = mapped_column(
        Integer, default=lambda: load_routine().default_hold_seconds
    )
    # The weekly recap (/settings switch) and the highest streak milestone celebrated so far.
    weekly_recap: Mapped[bool] = mapped_column(default=True, server_default=true())
    milestone_seen: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LoggedSet(Base):
    """One set of one stretch on one side, done on one stretch day."""

    __tablename__ = "logged_sets"
    __table_args__ = (
        UniqueConstraint("user_id", "stretch_day", "stretch_key", "side", "set_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    stretch_day: Mapped[date] = mapped_column(Date)
    stretch_key: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(8))
    set_number: Mapped[int] = mapped_column(Integer)
    # The user's sets per side when this set was logged: a past day keeps the target it had
    # after the setting changes (storage/progress.py). Rows from before the column meant 3.
    sets_target: Mapped[int] = mapped_column(Integer, default=3, server_default=text("3"))
    logged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderSent(Base):
    """A stretch day on which the user was reminded (or chose to skip): at most one each."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("user_id", "stretch_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    stretch_day: Mapped[date] = mapped_column(Date)
    # "sent" or "skipped" (the user tapped Skip today before any reminder went out).
    kind: Mapped[str] = mapped_column(String(16), default="sent")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The day's reminder message (the latest, after a snooze): only its buttons act.
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class PausedDay(Base):
    """A stretch day the user paused: no reminder, and the streak neither counts nor breaks."""

    __tablename__ = "paused_days"
    __table_args__ = (UniqueConstraint("user_id", "stretch_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    stretch_day: Mapped[date] = mapped_column(Date)


class BackCheckIn(Base):
    """How the user's back felt on a stretch day, 0 (bad) to 10 (great), asked on the summary."""

    __tablename__ = "back_checkins"
    __table_args__ = (
        UniqueConstraint("user_id", "stretch_day"),
        CheckConstraint("score BETWEEN 0 AND 10", name="ck_back_checkins_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    stretch_day: Mapped[date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(SmallInteger)
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeeklyRecap(Base):
    """A weekly recap that went out: for the week starting `week_start` (a stretch day)."""

    __tablename__ = "weekly_recaps"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GuidedSession(Base):
    """The one open /stretch message of a user, so it is edited in place and can be resumed."""

    __tablename__ = "guided_sessions"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    stretch_day: Mapped[date] = mapped_column(Date)
    # Where the session stands, e.g. "lower_back:step:2" or "summary"; the session module owns it.
    screen: Mapped[str] = mapped_column(String(64))
    # When a running hold timer ends (None: none runs); stored so a restart loses no timer.
    timer_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the message shows as Telegram last confirmed it, "<screen token> <view hash>"
    # (session_flow.shown_mark); None: not known. A tap heals a message left behind.
    shown: Mapped[str | None] = mapped_column(String(96))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LiveMessage(Base):
    """The one message of an interaction (the settings menu, …) whose buttons still act.

    A tap on any other message of that kind is stale: it answers a toast and changes nothing.
    """

    __tablename__ = "live_messages"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MediaCache(Base):
    """A picture already uploaded to Telegram, re-sent by file_id while its content is unchanged."""

    __tablename__ = "media_cache"

    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    asset_key: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_id: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StaleKeyboard(Base):
    """A message whose buttons no longer act, queued for them to be taken away."""

    __tablename__ = "stale_keyboards"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", name="uq_stale_keyboards_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MiniAppCalls(Base):
    """A user's calls to the Mini App's API in the current minute: the per-user rate limit,
    counted here so every instance counts the same calls (miniapp.api)."""

    __tablename__ = "mini_app_calls"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    calls: Mapped[int] = mapped_column(Integer)


class HandledUpdate(Base):
    """A webhook update handled to the end: delivered again, it is not handled twice."""

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SendPace(Base):
    """The whole bot's send pace, shared by every instance on PostgreSQL (storage.send_pace):
    when the next free and paid send slots start (Unix seconds), and the
    paid messages of the current day (days since the epoch). One row."""

    __tablename__ = "send_pace"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    free_next: Mapped[float] = mapped_column(Double, default=0.0)
    paid_next: Mapped[float] = mapped_column(Double, default=0.0)
    paid_day: Mapped[int] = mapped_column(Integer, default=0)
    paid_used: Mapped[int] = mapped_column(Integer, default=0)


class BuddyInvite(Base):
    """A /buddy invite link: a random token, usable once, until `expires_at`."""

    __tablename__ = "buddy_invites"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Who invites: the link pairs whoever accepts it with them.
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Buddy(Base):
    """One side of a pairing: `user_id` sees `buddy_id`'s day. A pairing is two rows, one per
    side, so each side owns its row (and its wish to be nudged)."""

    __tablename__ = "buddies"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    buddy_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # `user_id` wants a silent message when `buddy_id` finishes a day (opt-in).
    nudge: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BuddyNudge(Base):
    """A nudge sent to `user_id` on one of their stretch days: at most one a day."""

    __tablename__ = "buddy_nudges"
    __table_args__ = (UniqueConstraint("user_id", "stretch_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    stretch_day: Mapped[date] = mapped_column(Date)
    # The buddy whose finished day it told of.
    buddy_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BoardGroup(Base):
    """A group chat that keeps a daily board: its day's zone, the language the board falls back
    to, the code of its deep link, and the one message that is today's board."""

    __tablename__ = "board_groups"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(256), default="")
    time_zone: Mapped[str] = mapped_column(String(64))
    # The language of the admin who last set the board up: the board's while no language is
    # spoken by more of its members (coach.together.board_language).
    language: Mapped[str] = mapped_column(String(8))
    # The payload of the deep link that takes a new member to the private chat and back.
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    # The board message and the group day it is for; None: none posted (or /board asked for
    # a fresh one at the bottom of the chat).
    day: Mapped[date | None] = mapped_column(Date)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    # What the message shows (a hash of its text), so an edit that changes nothing is skipped.
    shown: Mapped[str | None] = mapped_column(String(64))
    # Something on the board changed since it was last drawn: the flush redraws it, no sooner
    # than EDIT_SPACING after the last message to the group (handlers.board_flush).
    dirty: Mapped[bool] = mapped_column(default=False, index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BoardMember(Base):
    """A user who joined a group's board (opted in to show their day there)."""

    __tablename__ = "board_members"

    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("board_groups.chat_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PendingStart(Base):
    """A deep link (a buddy invite, a board) a user opened: kept through onboarding, acted on
    once they are set up; for an invite, until they accept or decline it."""

    __tablename__ = "pending_starts"

    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    payload: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


Index("ix_logged_sets_user_day", LoggedSet.user_id, LoggedSet.stretch_day)
# The reminder tick's claim: due users in order of due time, then id (a stable order); only
# those a reminder can go to, so the index holds no one it would pass over.
DUE_USERS = and_(User.blocked.is_(False), User.paused_since.is_(None))
Index(
    "ix_users_due",
    User.next_reminder_at,
    User.id,
    postgresql_where=DUE_USERS,
    sqlite_where=DUE_USERS,
)

# Tables that hold a user's data; /export and /deleteme walk this list, tests check it is whole.
USER_TABLES: tuple[type[Base], ...] = (
    User,
    LoggedSet,
    ReminderSent,
    PausedDay,
    GuidedSession,
    LiveMessage,
    BackCheckIn,
    WeeklyRecap,
    StaleKeyboard,
    MiniAppCalls,
    BuddyInvite,
    Buddy,
    BuddyNudge,
    BoardMember,
    PendingStart,
)
# Rows a user does not own that name them as the other party: their buddy's side of a pairing,
# a nudge that told of their day. /deleteme deletes these too (storage.account).
USER_REFERENCES: tuple[tuple[type[Base], str], ...] = (
    (Buddy, "buddy_id"),
    (BuddyNudge, "buddy_id"),
)
