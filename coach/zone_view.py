"""Time zones in words and buttons: the confirmation's wording, a country's choices, and
"pick another" (bot.zones reads what people type; this says what it understood)."""

from __future__ import annotations

from datetime import datetime

from coach import callbacks, texts, zones
from coach.buttons import Button, Rows, as_rows

PICK_ACTION = "zpick"  # country code, index into zones.country_choices(code)
ASK_ACTION = "zask"  # ask the zone question again


def zone_words(value: str, now: datetime, via: str | None = None) -> str:
    """ "EST → America/New_York, UTC-05:00 now, UTC-04:00 in summer"; a zone whose clock never
    changes reads "Asia/Kolkata (UTC+05:30)", a fixed offset "UTC+05:30"."""
    offsets = zones.zone_offsets(value, now)
    if offsets.other is None:
        described = zones.describe_zone(value, now)
    else:
        season = texts.ZONE_WINTER if offsets.summer_now else texts.ZONE_SUMMER
        described = texts.ZONE_SEASONS.format(
            zone=value, now=offsets.now, other=offsets.other, season=season
        )
    return texts.ZONE_VIA.format(via=via, zone=described) if via else described


def choices_keyboard(code: str, choices: tuple[str, ...], now: datetime) -> Rows:
    """One button per zone of a country, two a row: "New York (UTC-05:00)"."""
    buttons = [
        Button(
            texts.ZONE_CHOICE_BUTTON.format(
                city=zone.rsplit("/", 1)[-1].replace("_", " "),
                offset=zones.zone_offsets(zone, now).now,
            ),
            callbacks.encode(PICK_ACTION, code, index),
        )
        for index, zone in enumerate(choices)
    ]
    return as_rows([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def parse_pick(data: str | None) -> tuple[str, str] | None:
    """(country name, zone) a choice button names, or None when it names none (any more)."""
    decoded = callbacks.decode(data)
    if decoded is None or decoded.action != PICK_ACTION or len(decoded.args) != 2:
        return None
    code, index = decoded.args[0], decoded.int_arg(1)
    choices = zones.country_choices(code)
    if index is None or not 0 <= index < len(choices):
        return None
    return zones.country_name(code), choices[index]


def pick_another_keyboard() -> Rows:
    return as_rows([[Button(texts.ZONE_PICK_ANOTHER_BUTTON, callbacks.encode(ASK_ACTION))]])
