"""Reading a typed reminder time ("7:30", "7pm", "1930", "19h30") and writing it back."""

from __future__ import annotations

import re
import unicodedata
from datetime import time

# Offered as buttons so most people never type a time at all.
COMMON_TIMES: tuple[time, ...] = (
    time(7, 0),
    time(8, 0),
    time(12, 30),
    time(18, 0),
    time(19, 0),
    time(21, 0),
)

# Two shapes: an hour with optional minutes after ":", "." or "h" ("7", "7:30", "19h30", "19h"),
# or 3–4 bare digits ("930", "1930"). Either may end in am/pm ("7pm", "7.30 p.m."). Seconds
# ("19:45:00", what a copied timestamp has) are read and dropped: reminders go by the minute.
# "7 o'clock" is an hour. Minutes always have two digits, so "7:5" (a typo for 7:05 or 7:50?)
# is refused.
_TIME_RE = re.compile(
    r"(?:(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2})(?::(?P<s>\d{2}))?|h|\s*o'?clock)?"
    r"|(?P<hc>\d{1,2})(?P<mc>\d{2}))"
    r"\s*(?:(?P<ap>[ap])\.?m\.?)?",
    re.ASCII | re.IGNORECASE,
)
_WORDS = {"noon": time(12, 0), "12 noon": time(12, 0), "midday": time(12, 0)}
_WORDS |= {"midnight": time(0, 0), "12 midnight": time(0, 0)}


def _normalise(text: str) -> str:
    """NFKC turns full-width digits and colons ("７：３０", what some phone keyboards send) into
    ASCII; curly apostrophes become straight ones; spaces collapse."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split()).casefold()


def parse_time(text: str) -> time | None:
    """The wall-clock time in `text`, or None when it is not a time of day we understand."""
    text = _normalise(text)
    if text in _WORDS:
        return _WORDS[text]
    match = _TIME_RE.fullmatch(text)
    if match is None:
        return None
    if match["s"] is not None and int(match["s"]) > 59:
        return None
    hour = int(match["h"] if match["h"] is not None else match["hc"])
    minute_text = match["m"] if match["h"] is not None else match["mc"]
    minute = int(minute_text) if minute_text is not None else 0
    if minute > 59:
        return None
    if match["ap"] is not None:
        # 12-hour clock: 12am is midnight, 12pm is noon; "0pm" and "13pm" mean nothing.
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ap"].lower() == "p" else 0)
    elif hour > 23:
        return None
    return time(hour, minute)


def format_time(t: time) -> str:
    """A time as people read it in the chat: 24-hour "07:30"."""
    return f"{t.hour:02d}:{t.minute:02d}"
