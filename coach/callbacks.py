"""The one codec for inline-button callback data: `v1:<action>[:arg...]`, at most 64 bytes.

Every button's meaning is a typed payload below, one frozen dataclass per action, all in
the one table `PAYLOADS` (a test checks that no two share an action). A payload's
`encode()` makes the button data and `parse(data)` reads it back, or None for anything
this version did not make for that action; its handler is registered with `pattern()`, an
anchored regex, so a button from an older version of the bot (another prefix), a forged
payload or a truncated one never reaches a feature handler: the catch-all in
`handlers.errors` answers it with a short "this button has expired" toast instead.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass, fields
from typing import ClassVar, Self

VERSION = "v1"
MAX_BYTES = 64  # Telegram's limit on callback_data
_ACTION = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
_ARG = re.compile(r"^[A-Za-z0-9_.+-]{1,24}$")


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...]


def encode(action: str, *args: str | int) -> str:
    """Button data for `action`; raises ValueError on anything that would not round-trip."""
    if not _ACTION.match(action):
        raise ValueError(f"bad callback action {action!r}")
    parts = [VERSION, action, *(str(a) for a in args)]
    for arg in parts[2:]:
        if not _ARG.match(arg):
            raise ValueError(f"bad callback argument {arg!r}")
    data = ":".join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Callback | None:
    """The parsed callback, or None for anything this version did not produce."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(":")
    if len(parts) < 2 or parts[0] != VERSION or not _ACTION.match(parts[1]):
        return None
    if not all(_ARG.match(arg) for arg in parts[2:]):
        return None
    return Callback(parts[1], tuple(parts[2:]))


def pattern(action: str) -> re.Pattern[str]:
    """The anchored pattern a CallbackQueryHandler uses to claim `action`'s buttons."""
    if not _ACTION.match(action):
        raise ValueError(f"bad callback action {action!r}")
    arg = _ARG.pattern.strip("^$")
    return re.compile(rf"^{VERSION}:{action}(?::{arg})*$")


# ---- typed payloads: one class per action, in one table ------------------------------------


@dataclass(frozen=True)
class Payload:
    """A button's meaning: its action, and its fields (int, str or date) in order.

    Trailing fields that default to None may be left out of the data.
    """

    action: ClassVar[str]

    def encode(self) -> str:
        values = [getattr(self, f.name) for f in fields(self)]
        while values and values[-1] is None:
            values.pop()
        return encode(self.action, *(_text(v) for v in values))

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The payload `data` carries, or None when it is not this action's or does not parse."""
        decoded = decode(data)
        if decoded is None or decoded.action != cls.action:
            return None
        names, hints, required = _schema(cls)
        if not required <= len(decoded.args) <= len(names):
            return None
        values: dict[str, object] = {}
        for name, hint, arg in zip(names, hints, decoded.args, strict=False):
            value = _value(hint, arg)
            if value is None:
                return None
            values[name] = value
        payload = cls(**values)
        return payload if payload.encode() == data else None  # one spelling per meaning

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        return pattern(cls.action)


Schema = tuple[tuple[str, ...], tuple[object, ...], int]
_SCHEMAS: dict[type, Schema] = {}


def _schema(cls: type) -> Schema:
    """A payload class's field names, their types, and how many are required. Kept once
    worked out: the type hints are strings (postponed annotations), and evaluating them on
    every tap cost more than the rest of parsing."""
    schema = _SCHEMAS.get(cls)
    if schema is None:
        hints = typing.get_type_hints(cls)
        names = tuple(f.name for f in fields(cls))
        required = sum(1 for f in fields(cls) if f.default is not None)
        schema = _SCHEMAS[cls] = (names, tuple(hints[name] for name in names), required)
    return schema


def _text(value: object) -> str | int:
    if isinstance(value, dt.date):
        return value.isoformat()
    assert isinstance(value, str | int), value
    return value


def _value(hint: object, arg: str) -> object | None:
    kinds = typing.get_args(hint) or (hint,)
    try:
        if int in kinds:
            return int(arg)
        if dt.date in kinds:
            return dt.date.fromisoformat(arg)
    except ValueError:
        return None
    return arg


@dataclass(frozen=True)
class OpenSession(Payload):
    """Open today's session, or bring the open one back (reminders and onboarding too)."""

    action = "stretch"


@dataclass(frozen=True)
class GoTo(Payload):
    """Show another screen of the session: Back, Next, Start, Log sets."""

    action = "sgo"
    day: int  # the session's stretch day, as `session_flow.day_code`
    screen: str  # the screen's token


@dataclass(frozen=True)
class LogSet(Payload):
    """Log (done=1) or undo (done=0) one set of one stretch and side."""

    action = "sset"
    day: int
    stretch: str
    side: str
    number: int
    done: int


@dataclass(frozen=True)
class HoldTimer(Payload):
    """Count the hold down in the caption."""

    action = "stimer"
    day: int
    stretch: str
    side: str


@dataclass(frozen=True)
class BackFeel(Payload):
    """How the back feels today, 0 (bad) to 10 (great), tapped on the session's summary."""

    action = "feel"
    day: int
    score: int


@dataclass(frozen=True)
class ReminderTime(Payload):
    """One of the common times under the time question, as HHMM."""

    action = "rtime"
    hhmm: str


@dataclass(frozen=True)
class Snooze(Payload):
    """Remind me again in `minutes`, on the reminder of `day`."""

    action = "rsnooze"
    day: dt.date
    minutes: int


@dataclass(frozen=True)
class Skip(Payload):
    """Skip today, on the reminder of `day`."""

    action = "rskip"
    day: dt.date


@dataclass(frozen=True)
class ZonePick(Payload):
    """One zone of a country with several: the index into `zones.country_choices(country)`."""

    action = "zpick"
    country: str
    index: int


@dataclass(frozen=True)
class ZoneAsk(Payload):
    """Ask the time zone question again ("pick another")."""

    action = "zask"


@dataclass(frozen=True)
class PauseFor(Payload):
    """A length on the /pause question: days, or `pause_view.OPEN` for until resumed."""

    action = "pause"
    days: int


@dataclass(frozen=True)
class SettingsTap(Payload):
    """A /settings menu button: what it changes, and up to two numbers for it."""

    action = "cfg"
    what: str
    value: int | None = None
    on: int | None = None


@dataclass(frozen=True)
class ChooseLanguage(Payload):
    """A button under the /language question: the language it sets (coach.i18n.LANGUAGES)."""

    action = "lang"
    language: str


@dataclass(frozen=True)
class DeleteAnswer(Payload):
    """Yes or no under the /deleteme question; "yes" carries when it was asked (Unix time)."""

    action = "deleteme"
    choice: str
    issued: int | None = None


@dataclass(frozen=True)
class BuddyAnswer(Payload):
    """Accept ("yes") or decline ("no") under a buddy invite question: the invite's token."""

    action = "binvite"
    choice: str
    token: str


@dataclass(frozen=True)
class BuddyNudge(Payload):
    """On the /buddy screen: nudge me (on=1) or not (on=0) when this buddy finishes a day."""

    action = "bnudge"
    buddy: int
    on: int


@dataclass(frozen=True)
class BuddyEnd(Payload):
    """On the /buddy screen: ask to end the pairing (sure=0), or end it (sure=1)."""

    action = "bend"
    buddy: int
    sure: int


@dataclass(frozen=True)
class BuddyMenu(Payload):
    """Back to the /buddy screen ("Keep" under the question to end a pairing)."""

    action = "bmenu"


@dataclass(frozen=True)
class BoardJoin(Payload):
    """✋ Join on a group's board: the group (chat id) whose board it is."""

    action = "bjoin"
    chat: int


@dataclass(frozen=True)
class BoardLeave(Payload):
    """👋 Leave on a group's board."""

    action = "bleave"
    chat: int


PAYLOADS: tuple[type[Payload], ...] = (
    OpenSession,
    GoTo,
    LogSet,
    HoldTimer,
    BackFeel,
    ReminderTime,
    Snooze,
    Skip,
    ZonePick,
    ZoneAsk,
    PauseFor,
    SettingsTap,
    ChooseLanguage,
    DeleteAnswer,
    BuddyAnswer,
    BuddyNudge,
    BuddyEnd,
    BuddyMenu,
    BoardJoin,
    BoardLeave,
)
# The only buttons that act in a group chat: the board's (handlers.common lets them through).
GROUP_ACTIONS = frozenset({BoardJoin.action, BoardLeave.action})
