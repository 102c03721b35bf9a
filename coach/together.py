"""Stretching together, the rules: how many buddies, how long an invite lasts, when a nudge may
come, how big a board gets, whose language a board speaks, and what a deep link carries.
Pure: the handlers and storage apply them (handlers.buddy, handlers.board)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta

# At most this many buddies each. Every buddy is a line in /progress and in each reminder and
# may nudge once a day: five is a household or a few close friends, each line someone you
# know, and the /progress caption (Telegram's 1,024 characters) always has room. A bigger
# circle is what a group's board is for.
MAX_BUDDIES = 5
INVITE_LIFETIME = timedelta(days=7)
# A nudge never comes at night in its recipient's zone: from 22:00 to 08:00 it is not sent.
NIGHT_STARTS, NIGHT_ENDS = time(22, 0), time(8, 0)
# A board is one message: 50 lines still read on a phone and stay far under Telegram's 4,096
# characters whatever the names.
BOARD_MAX_MEMBERS = 50
# How many characters of a first name a buddy line or a board shows.
NAME_LIMIT = 24

# Deep-link payloads (t.me/<bot>?start=<payload>; Telegram allows 1-64 of A-Z a-z 0-9 _ -).
INVITE_PREFIX = "b_"
BOARD_PREFIX = "g_"


@dataclass(frozen=True)
class PersonDay:
    """Where someone who opted in to be seen stands today (their own stretch day)."""

    name: str  # first name, as Telegram gives it (not escaped)
    done: int
    target: int
    streak: int

    @property
    def met(self) -> bool:
        return self.target > 0 and self.done >= self.target


@dataclass(frozen=True)
class StartLink:
    """What a /start payload asks for: a buddy invite or a board, by its code."""

    kind: str  # "invite" or "board"
    code: str


def read_start(args: Sequence[str]) -> StartLink | None:
    """The link a /start carries ("/start b_Xy…"), or None for a plain /start or any other
    payload (the group pointer's "group", a typo)."""
    if len(args) != 1:
        return None
    payload = args[0]
    for prefix, kind in ((INVITE_PREFIX, "invite"), (BOARD_PREFIX, "board")):
        code = payload.removeprefix(prefix)
        if payload.startswith(prefix) and 0 < len(code) <= 32:
            return StartLink(kind, code)
    return None


def is_night(local: time) -> bool:
    """Whether a wall-clock time is in the night's quiet hours (22:00-08:00)."""
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def first_name(name: str) -> str:
    """A name as buddies and boards show it: trimmed, at most NAME_LIMIT characters."""
    name = " ".join(name.split()) or "…"
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


def board_language(member_languages: Sequence[str], fallback: str) -> str:
    """The language a board is written in: the one most of its members use with Limber, so
    the people it is about can read it; while nobody has joined, or on a tie that includes
    it, the language of the admin who set the board up (`fallback`); on any other tie, the
    tied language of whoever joined first (`member_languages` is in order of joining)."""
    counts = Counter(member_languages)
    if not counts:
        return fallback
    most = max(counts.values())
    tied = [language for language in member_languages if counts[language] == most]
    return fallback if fallback in tied else tied[0]
