"""Reading a typed reminder time ("7:30", "7pm", "19 Uhr", "7 de la tarde", "в 7 вечера") and
writing it back. The words of each language are in coach.time_words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import time

from coach.time_words import (
    FRACTIONS,
    MINUTE_UNITS,
    NOON_AND_MIDNIGHT,
    PARTS_OF_DAY,
    PREFIXES,
    UNITS,
)

# Offered as buttons so most people never type a time at all.
COMMON_TIMES: tuple[time, ...] = (
    time(7, 0),
    time(8, 0),
    time(12, 30),
    time(18, 0),
    time(19, 0),
    time(21, 0),
)


def _either(words: Iterable[str]) -> str:
    """A regular expression for any of `words`, longest first ("horas" before "h")."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# An hour with optional minutes after ":", "." or "h" ("7", "7:30", "19h30"), then perhaps a
# unit and minutes after it ("19 Uhr 30"); or 3–4 bare digits ("930", "1930"); or German
# "halb 8" (7:30, only with a part of the day: alone it is as often 19:30). Then perhaps "y
# media", and am/pm ("7pm", "7.30 p.m.") or a part of the day ("abends", "de la tarde").
# Seconds ("19:45:00", what a copied timestamp has) are read and dropped: reminders go by the
# minute. Minutes always have two digits, so "7:5" (a typo for 7:05 or 7:50?) is refused.
_TIME_RE = re.compile(
    rf"""
    (?:
        (?P<h>\d{{1,2}})
        (?:[:.h](?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?(?:\s*(?:{_either(MINUTE_UNITS)})\.?)?)?
        (?:\s*(?:{_either(UNITS)})\.?(?:\s*(?P<m2>\d{{2}})(?:\s*(?:{_either(MINUTE_UNITS)})\.?)?)?)?
      | (?P<hc>\d{{1,2}})(?P<mc>\d{{2}})
      | halb\s+(?P<halb>\d{{1,2}})
    )
    (?:\s+(?P<fraction>{_either(FRACTIONS)}))?
    (?:\s*(?P<ap>[ap])\.?m\.?|\s*(?P<part>{_either(PARTS_OF_DAY)}))?
    """,
    re.ASCII | re.VERBOSE,
)
_PREFIX_RE = re.compile(rf"(?:{_either(PREFIXES)})\s+")
_NOON_RE = re.compile(
    rf"(?P<word>{_either(NOON_AND_MIDNIGHT)})(?:\s+(?P<fraction>{_either(FRACTIONS)}))?"
)
# "meio-dia", "Nachmittags-": a hyphen between letters is a space; "-1" keeps its minus.
_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def _normalise(text: str) -> str:
    """NFKC turns full-width digits and colons ("７：３０", what some phone keyboards send) into
    ASCII; curly apostrophes become straight ones; spaces collapse; accents go ("mañana" and
    "manana" alike, as people type them without the key)."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    text = " ".join(text.split()).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _HYPHEN_RE.sub(" ", text)


def parse_time(text: str) -> time | None:
    """The wall-clock time in `text`, or None when it is not a time of day we understand, or
    could be two (a part of the day that fits neither reading of the hour: "в 13 вечера")."""
    text = _normalise(text)
    prefix = _PREFIX_RE.match(text)
    if prefix is not None:
        text = text[prefix.end() :]
    noon = _NOON_RE.fullmatch(text)
    if noon is not None:
        return time(NOON_AND_MIDNIGHT[noon["word"]], FRACTIONS.get(noon["fraction"] or "", 0))
    match = _TIME_RE.fullmatch(text)
    if match is None:
        return None
    if match["halb"] is not None:
        return _half_before(int(match["halb"]), match["part"])
    if match["s"] is not None and int(match["s"]) > 59:
        return None
    hour = int(match["h"] if match["h"] is not None else match["hc"])
    minutes = [int(match[name]) for name in ("m", "m2", "mc") if match[name] is not None]
    if match["fraction"] is not None:
        minutes.append(FRACTIONS[match["fraction"]])
    if len(minutes) > 1:  # "19:30 Uhr 45", "7:30 y media"
        return None
    minute = minutes[0] if minutes else 0
    if minute > 59:
        return None
    if match["ap"] is not None:
        # 12-hour clock: 12am is midnight, 12pm is noon; "0pm" and "13pm" mean nothing.
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ap"] == "p" else 0)
    elif match["part"] is not None:
        return _in_part(hour, minute, match["part"])
    elif hour > 23:
        return None
    return time(hour, minute)


def _in_part(hour: int, minute: int, part: str) -> time | None:
    """The hour as written or twelve later (12 as 0) that falls in the part of the day."""
    if hour > 23:
        return None
    readings = {hour, hour + 12} if 1 <= hour <= 11 else {hour, 0} if hour == 12 else {hour}
    fitting = readings & PARTS_OF_DAY[part]
    return time(fitting.pop(), minute) if len(fitting) == 1 else None


def _half_before(hour: int, part: str | None) -> time | None:
    """German "halb 8 abends": half an hour before 8 (19:30). Without the part of the day it
    is as often morning as evening, so it is refused."""
    if part is None or not 1 <= hour <= 12:
        return None
    return _in_part(hour - 1 if hour > 1 else 12, 30, part)


def format_time(t: time) -> str:
    """A time as people read it in the chat: 24-hour "07:30"."""
    return f"{t.hour:02d}:{t.minute:02d}"
