"""What the Mini App's page shows, as plain data (the JSON its API answers with): the routine
for one stretch day in the user's language (titles, step texts, pictures and the looping
demonstrations), the user's sets per side and hold, what today already has, and the page's
own words. The page (miniapp/static) builds its timeline from it; no Telegram, no SQL here.

The chat's texts are Telegram HTML; the page shows text only, so they arrive here as plain
text, and every word comes from the same catalogs as the chat's (`coach.texts`).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from coach import i18n
from coach.routine import FIGURES_DIR, SIDES, Routine, Step
from coach.session_flow import Today, day_code, done_numbers, totals
from coach.texts import Texts

JSON = dict[str, Any]
PICTURES_PREFIX = "pictures/"  # relative to the page: miniapp.web serves them from FIGURES_DIR
_TAG = re.compile(r"<[^>]*>")

# The texts the page speaks, by their names in `coach.texts.Texts`.
PAGE_TEXTS = (
    "MINIAPP_TITLE",
    "MINIAPP_INTRO",
    "MINIAPP_PLAN",
    "MINIAPP_ALL_DONE",
    "MINIAPP_PAUSE",
    "MINIAPP_RESUME",
    "MINIAPP_PAUSED",
    "MINIAPP_SKIP",
    "MINIAPP_DONE_EARLY",
    "MINIAPP_CLOSE",
    "MINIAPP_SOUND_ON",
    "MINIAPP_SOUND_OFF",
    "MINIAPP_SOUND_LOCKED",
    "MINIAPP_MOVE",
    "MINIAPP_STEP",
    "MINIAPP_READY",
    "MINIAPP_READY_HINT",
    "MINIAPP_HOLD",
    "MINIAPP_REST",
    "MINIAPP_SET_OF",
    "MINIAPP_SECONDS",
    "MINIAPP_SUMMARY_DONE",
    "MINIAPP_SUMMARY_PARTIAL",
    "MINIAPP_SUMMARY_CHAT",
    "MINIAPP_SAVING",
    "MINIAPP_RETRYING",
    "MINIAPP_ERROR_AUTH",
    "MINIAPP_ERROR_DAY",
    "MINIAPP_ERROR_BUSY",
    "SESSION_BTN_START",
    "SIDE_LEFT",
    "SIDE_RIGHT",
    "TRACKER_TITLE",
    "ERROR_GENERIC",
)


def plain(markup: str) -> str:
    """What a reader sees of one of our Telegram HTML texts: tags gone, entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def picture_url(path: Path) -> str:
    """The page's URL of a picture from the repo (relative, so any mount point works)."""
    return PICTURES_PREFIX + path.relative_to(FIGURES_DIR).as_posix()


def served_pictures(routine: Routine) -> dict[str, Path]:
    """Every picture the page may ask for, by its name under `PICTURES_PREFIX`: each step's and
    hold's in every language, and the demonstrations. Nothing else is served."""
    paths: list[Path] = []
    for stretch in routine.stretches:
        for side in SIDES:
            paths.append(stretch.animation_path(side))
            for language in i18n.LANGUAGES:
                paths += [step.picture_path(side, language) for step in stretch.screens]
    return {picture_url(path).removeprefix(PICTURES_PREFIX): path for path in paths}


def _step(step: Step, side: str, texts: Texts) -> JSON:
    return {
        "title": texts.gettext(step.title),
        "text": plain(step.caption(side, texts)),
        "picture": picture_url(step.picture_path(side, texts.language)),
    }


def _stretches(routine: Routine, texts: Texts) -> list[JSON]:
    return [
        {
            "key": stretch.key,
            "title": texts.gettext(stretch.title),
            "short_title": texts.gettext(stretch.short_title),
            "sides": [
                {
                    "side": side,
                    "label": plain(stretch.side_label(side, texts)),
                    "note": plain(stretch.side_note(side, texts)),
                    "between": plain(stretch.between_sets(side, texts)),
                    "animation": picture_url(stretch.animation_path(side)),
                    "steps": [_step(step, side, texts) for step in stretch.steps],
                    "hold": _step(stretch.hold, side, texts),
                }
                for side in SIDES
            ],
        }
        for stretch in routine.stretches
    ]


def streak_line(today: Today, texts: Texts) -> str | None:
    """ "🔥 Streak: 3 days (best 5)", or None before any streak."""
    if not today.streak_current and not today.streak_best:
        return None
    days = texts.days_word(today.streak_current)
    return texts.MINIAPP_STREAK.format(
        current=today.streak_current, days=days, best=today.streak_best
    )


def progress(routine: Routine, today: Today, texts: Texts) -> JSON:
    """Today's sets (as [stretch, side, number]), the streak and, once, a milestone: what the
    page shows after a set and on its summary."""
    done, target = totals(routine, today)
    milestone = None
    if today.milestone is not None:
        cheer = dict(texts.MILESTONE_CHEERS)[today.milestone]
        milestone = plain(texts.MILESTONE.format(days=today.milestone, cheer=cheer))
    logged = [
        [key, side, number]
        for key, side in routine.parts
        for number in done_numbers(today, key, side)
    ]
    return {
        "logged": logged,
        "done": done,
        "target": target,
        "met": done >= target,
        "today": texts.TRACKER_TITLE.format(done=done, target=target),
        "streak": streak_line(today, texts),
        "milestone": milestone,
    }


def day_document(routine: Routine, today: Today, texts: Texts) -> JSON:
    """Everything the page needs to run today's session hands-free."""
    return {
        "day": day_code(today.day),
        "language": texts.language,
        "sets_per_side": today.sets_per_side,
        "hold_seconds": today.hold_seconds,
        "safety": plain(texts.gettext(routine.safety)),
        "progress": progress(routine, today, texts),
        "stretches": _stretches(routine, texts),
        "texts": {name: getattr(texts, name) for name in PAGE_TEXTS},
    }
