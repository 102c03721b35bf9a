"""How people write a time of day in our five languages, as data for coach.timeinput.

Every word is written as timeinput compares it: lower case, without accents ("manha" stands
for "manhã" and "manha"), hyphens between letters read as spaces ("meio dia").
"""

from __future__ import annotations

# Words before the time that add nothing to it: "at 7", "um 7", "a las 7", "às 7", "в 7".
PREFIXES: tuple[str, ...] = ("at", "um", "a las", "a la", "al", "as", "a", "ao", "в")

# What may follow the hour: "19 Uhr", "19 h", "19hs", "7 horas", "19 ч", "7 часов", "7 o'clock".
UNITS: tuple[str, ...] = (
    "o'clock",
    "oclock",
    "uhr",
    "horas",
    "hora",
    "hrs",
    "hr",
    "hs",
    "h",
    "часов",
    "часа",
    "час",
    "ч",
)

# What may follow minutes written after the unit: "19 Uhr 30", "19 ч 30 мин", "19h30min".
MINUTE_UNITS: tuple[str, ...] = ("minutos", "minuten", "minutes", "минут", "mins", "min", "мин")

# "7 y media", "7 e meia", "7 y cuarto": minutes past the hour in words.
FRACTIONS: dict[str, int] = {"y media": 30, "e meia": 30, "y cuarto": 15}

# The hours of the 24-hour clock each part of the day covers. An hour written with one of them
# means the one reading of it (7 or 19) that falls inside: "7 de la tarde" is 19:00, "19 Uhr
# abends" too, "в 13 вечера" nothing. No part covers both readings of an hour, so none guesses.
_MORNING = frozenset(range(1, 12))
_MIDDAY = frozenset(range(11, 15))  # German "mittags": "1 Uhr mittags" is 13:00
_AFTERNOON = frozenset(range(12, 21))  # Spanish "tarde" runs to eight: "8 de la tarde"
_EVENING = frozenset(range(16, 24))
# Russian "ночи" is the small hours ("3 ночи") and late evening ("11 ночи"); Portuguese
# "noite" starts at six ("7 da noite" is 19:00), as Spanish "noche" does in Latin America.
_NIGHT = frozenset(range(18, 24)) | frozenset(range(6))
_SMALL_HOURS = frozenset(range(7))  # "madrugada": after midnight, before dawn

PARTS_OF_DAY: dict[str, frozenset[int]] = {
    "in the morning": _MORNING,
    "in the afternoon": _AFTERNOON,
    "in the evening": _EVENING,
    "at night": _NIGHT,
    "morgens": _MORNING,
    "fruh": _MORNING,
    "in der fruh": _MORNING,
    "vormittags": _MORNING,
    "mittags": _MIDDAY,
    "nachmittags": _AFTERNOON,
    "abends": _EVENING,
    "am abend": _EVENING,
    "nachts": _NIGHT,
    "in der nacht": _NIGHT,
    "de la manana": _MORNING,
    "por la manana": _MORNING,
    "de la tarde": _AFTERNOON,
    "por la tarde": _AFTERNOON,
    "de la noche": _NIGHT,
    "por la noche": _NIGHT,
    "de la madrugada": _SMALL_HOURS,
    "da manha": _MORNING,
    "de manha": _MORNING,
    "da tarde": _AFTERNOON,
    "de tarde": _AFTERNOON,
    "da noite": _NIGHT,
    "de noite": _NIGHT,
    "da madrugada": _SMALL_HOURS,
    "утра": _MORNING,
    "дня": _AFTERNOON,
    "вечера": _EVENING,
    "ночи": _NIGHT,
}

# Words that are a time by themselves, and the hour they are.
NOON_AND_MIDNIGHT: dict[str, int] = {
    "noon": 12,
    "12 noon": 12,
    "midday": 12,
    "mittag": 12,
    "mittags": 12,
    "полдень": 12,
    "mediodia": 12,
    "meio dia": 12,
    "meiodia": 12,
    "midnight": 0,
    "12 midnight": 0,
    "mitternacht": 0,
    "полночь": 0,
    "medianoche": 0,
    "meia noite": 0,
    "meianoite": 0,
}
