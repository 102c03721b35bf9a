"""Time zones in words and buttons: the confirmation's wording, a country's choices, and
"pick another" (bot.zones reads what people type; this says what it understood)."""

from __future__ import annotations

from datetime import datetime

from coach import zones
from coach.buttons import Button, Rows, as_rows
from coach.callbacks import ZoneAsk, ZonePick
from coach.texts import Texts


def zone_words(value: str, now: datetime, texts: Texts, via: str | None = None) -> str:
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


def choices_keyboard(code: str, choices: tuple[str, ...], now: datetime, texts: Texts) -> Rows:
    """One button per zone of a country, two a row: "New York (UTC-05:00)"."""
    buttons = [
        Button(
            texts.ZONE_CHOICE_BUTTON.format(
                city=zone.rsplit("/", 1)[-1].replace("_", " "),
                offset=zones.zone_offsets(zone, now).now,
            ),
            ZonePick(code, index).encode(),
        )
        for index, zone in enumerate(choices)
    ]
    return as_rows([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def parse_pick(data: str | None) -> tuple[str, str] | None:
    """(country name, zone) a choice button names, or None when it names none (any more)."""
    pick = ZonePick.parse(data)
    if pick is None:
        return None
    choices = zones.country_choices(pick.country)
    if not 0 <= pick.index < len(choices):
        return None
    return zones.country_name(pick.country), choices[pick.index]


def pick_another_keyboard(texts: Texts) -> Rows:
    return as_rows([[Button(texts.ZONE_PICK_ANOTHER_BUTTON, ZoneAsk().encode())]])
