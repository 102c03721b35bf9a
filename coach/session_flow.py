"""The guided /stretch session as pure data: its screens, the moves between them, and what each
screen shows (caption, picture, buttons). No Telegram, no SQL: the handler renders `View`s.

A screen is stored (GuidedSession.screen) and carried in buttons as a short token:
"intro", "summary", "log", "<stretch>.<side>.<n>" for set-up step n (1-based) and
"<stretch>.<side>.hold" for the hold. Buttons also carry the stretch day as a day code
(days since 2020-01-01), so a button from another day can be recognised as expired.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from coach import i18n
from coach.buttons import Button
from coach.callbacks import BackFeel, GoTo, HoldTimer, LogSet
from coach.routine import (
    INTRO_PICTURE,
    LOG_PICTURE,
    SIDES,
    Routine,
    Step,
    Stretch,
    figure_key,
    figure_path,
)
from coach.texts import ENGLISH, Texts

EPOCH = date(2020, 1, 1)
INTRO, SUMMARY, LOG = "intro", "summary", "log"
HOLD = "hold"
STEP = "step"
DEMO = "demo"  # the looping demonstration of one stretch and side, offered on its step 1
PHOTO, ANIMATION = "photo", "animation"


# (stretch key, side) -> the set numbers logged that stretch day
Logged = Mapping[tuple[str, str], frozenset[int]]


def day_code(day: date) -> int:
    return (day - EPOCH).days


def day_from_code(code: int) -> date:
    return EPOCH + timedelta(days=code)


@dataclass(frozen=True)
class Screen:
    """One screen of the session; `step` is 1-based for set-up steps, 0 otherwise."""

    kind: str  # "intro" | "step" | "hold" | "demo" | "summary" | "log"
    stretch_key: str = ""
    side: str = ""
    step: int = 0

    @property
    def token(self) -> str:
        if self.kind == STEP:
            return f"{self.stretch_key}.{self.side}.{self.step}"
        if self.kind in (HOLD, DEMO):
            return f"{self.stretch_key}.{self.side}.{self.kind}"
        return self.kind


@dataclass(frozen=True)
class Today:
    """What the session needs to know about the user's stretch day."""

    day: date
    logged: Logged
    sets_per_side: int
    hold_seconds: int
    streak_current: int = 0
    streak_best: int = 0
    feel: int | None = None  # today's back check-in, 0–10 (the summary asks)
    milestone: int | None = None  # a streak milestone to celebrate now (once, on the summary)


@dataclass(frozen=True)
class Tracker:
    """Today's sets as the summary draws them: per stretch, (side label, done, target) rows."""

    title: str
    stretches: tuple[tuple[str, tuple[tuple[str, int, int], ...]], ...]


@dataclass(frozen=True)
class Picture:
    """What a screen shows, under its media-cache key: a PNG or a demonstration loop (MP4)
    from the repo, or today's tracker, drawn when it is sent (`path` is then None)."""

    asset_key: str
    path: Path | None
    kind: str = PHOTO
    tracker: Tracker | None = None

    @property
    def filename(self) -> str:
        return self.path.name if self.path is not None else f"{self.asset_key}.png"


@dataclass(frozen=True)
class View:
    caption: str
    picture: Picture
    buttons: tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class SetTap:
    """A set button, decoded and checked against the routine and the user's sets per side."""

    day: int
    stretch_key: str
    side: str
    number: int
    done: bool  # True: log the set; False: undo it


@functools.cache
def flow(routine: Routine) -> tuple[Screen, ...]:
    """The guided order: intro, each stretch's steps and hold for each side, summary."""
    screens = [Screen(INTRO)]
    for stretch in routine.stretches:
        for side in SIDES:
            screens += [
                Screen(STEP, stretch.key, side, n) for n in range(1, len(stretch.steps) + 1)
            ]
            screens.append(Screen(HOLD, stretch.key, side))
    screens.append(Screen(SUMMARY))
    return tuple(screens)


def parse_screen(routine: Routine, token: str) -> Screen | None:
    """The screen a token names, or None when the routine has no such screen."""
    if token == LOG:
        return Screen(LOG)
    return _by_token(routine).get(token)


@functools.cache
def _by_token(routine: Routine) -> Mapping[str, Screen]:
    demos = [Screen(DEMO, s.key, side) for s in routine.stretches for side in SIDES]
    return {screen.token: screen for screen in (*flow(routine), *demos)}


def neighbour(routine: Routine, screen: Screen, offset: int) -> Screen:
    """The screen `offset` places away in the guided order (the log view sits beside intro)."""
    screens = flow(routine)
    index = screens.index(screen) if screen in screens else 0
    return screens[max(0, min(len(screens) - 1, index + offset))]


def parse_set(routine: Routine, tap: LogSet, sets_per_side: int) -> SetTap | None:
    """A set button's meaning, or None when it names no set this user can log."""
    if tap.done not in (0, 1) or tap.side not in SIDES:
        return None
    if tap.stretch not in {s.key for s in routine.stretches}:
        return None
    if not 1 <= tap.number <= sets_per_side:
        return None
    return SetTap(tap.day, tap.stretch, tap.side, tap.number, tap.done == 1)


def done_numbers(today: Today, key: str, side: str) -> list[int]:
    """Logged set numbers of one part that count toward today's target."""
    return sorted(n for n in today.logged.get((key, side), ()) if n <= today.sets_per_side)


def totals(routine: Routine, today: Today) -> tuple[int, int]:
    """(sets done, target) for the day over every stretch × side."""
    done = sum(len(done_numbers(today, key, side)) for key, side in routine.parts)
    return done, routine.day_target(today.sets_per_side)


def completes_day(routine: Routine, before: Logged, sets_per_side: int, tap: SetTap) -> bool:
    """Whether logging `tap` on a day with the sets `before` meets the day's target."""

    def met(logged: Logged) -> bool:
        today = Today(EPOCH, logged, sets_per_side, 0)
        done, target = totals(routine, today)
        return done >= target

    part = (tap.stretch_key, tap.side)
    after = {**before, part: before.get(part, frozenset()) | {tap.number}}
    return tap.done and met(after) and not met(before)


def next_set(today: Today, key: str, side: str) -> int | None:
    """The lowest set number not logged yet on this side, or None when the side is done."""
    done = set(done_numbers(today, key, side))
    return next((n for n in range(1, today.sets_per_side + 1) if n not in done), None)


def tracker(today: Today, key: str, texts: Texts) -> str:
    """Dots per side in session order, e.g. "Left ●●○  Right ○○○"."""
    parts = []
    for side in SIDES:
        done = set(done_numbers(today, key, side))
        dots = "".join(
            texts.TRACKER_DONE if n in done else texts.TRACKER_OPEN
            for n in range(1, today.sets_per_side + 1)
        )
        parts.append(f"{side_name(side, texts)} {dots}")
    return "  ".join(parts)


def picture_of(
    routine: Routine, screen: Screen, texts: Texts, today: Today | None = None
) -> Picture:
    """What a screen shows: its step's picture, the demonstration loop, the intro's or the log's
    own picture, or (the summary, which needs `today`) today's tracker. Pictures with words are
    in the language of `texts`, each under its own cache key; the loop has no words."""
    language = texts.language
    if screen.kind in (STEP, HOLD):
        stretch = routine.stretch(screen.stretch_key)
        step = stretch.hold if screen.kind == HOLD else stretch.steps[screen.step - 1]
        return _picture(step, screen.side, language)
    if screen.kind == DEMO:
        path = routine.stretch(screen.stretch_key).animation_path(screen.side)
        return Picture(f"{screen.stretch_key}/demo/{screen.side}", path, ANIMATION)
    if screen.kind == SUMMARY:
        if today is None:
            raise ValueError("the summary's picture is today's tracker: pass today")
        return _tracker_picture(routine, today, texts)
    if screen.kind == LOG:
        return Picture(figure_key("log", language), figure_path(LOG_PICTURE, language))
    return Picture(figure_key("intro", language), figure_path(INTRO_PICTURE, language))


def side_name(side: str, texts: Texts) -> str:
    return texts.SIDE_LEFT if side == SIDES[0] else texts.SIDE_RIGHT


def _tracker_picture(routine: Routine, today: Today, texts: Texts) -> Picture:
    target = today.sets_per_side
    stretches = tuple(
        (
            texts.gettext(stretch.short_title),
            tuple(
                (side_name(side, texts), len(done_numbers(today, stretch.key, side)), target)
                for side in SIDES
            ),
        )
        for stretch in routine.stretches
    )
    done, day_target = totals(routine, today)
    tracker = Tracker(texts.TRACKER_TITLE.format(done=done, target=day_target), stretches)
    counts = "-".join(str(n) for _, sides in stretches for _, n, _ in sides)
    # The tracker draws words, so each language is its own picture (English keeps its old key).
    language = "" if texts.language == i18n.DEFAULT else f".{texts.language}"
    return Picture(f"summary/{counts}.{target}{language}", None, PHOTO, tracker)


def shows_streak(screen: Screen) -> bool:
    """Whether the screen shows the streak (intro, summary, log), which costs a history read."""
    return screen.kind in (INTRO, SUMMARY, LOG)


def _picture(step: Step, side: str, language: str) -> Picture:
    return Picture(step.asset_key(side, language), step.picture_path(side, language))


def shown_mark(screen: Screen, view: View) -> str:
    """What a message showing `view` of `screen` shows, in a few bytes: the screen's token and
    a hash of its caption and buttons (stored when an edit lands: storage.guided.mark_shown)."""
    rows = "\n".join("\t".join(f"{b.label}\r{b.data}" for b in row) for row in view.buttons)
    digest = hashlib.blake2b(f"{view.caption}\n{rows}".encode(), digest_size=8).hexdigest()
    return f"{screen.token} {digest}"


def shown_screen(mark: str | None) -> str | None:
    """The screen token a `shown_mark` names (None when nothing is known)."""
    return mark.split(" ", 1)[0] if mark else None


def render(
    routine: Routine, screen: Screen, today: Today, texts: Texts, timer_line: str = ""
) -> View:
    """Caption, picture and keyboard of a screen for this stretch day."""
    if screen.kind == STEP:
        caption, buttons = _step(routine, screen, today, texts)
    elif screen.kind == HOLD:
        caption, buttons = _hold(routine, screen, today, texts, timer_line)
    elif screen.kind == SUMMARY:
        caption, buttons = _summary(routine, today, texts)
    elif screen.kind == LOG:
        caption, buttons = _log(routine, today, texts)
    elif screen.kind == DEMO:
        caption, buttons = _demo(routine, screen, today, texts)
    else:
        caption, buttons = _intro(routine, today, texts)
    return View(caption, picture_of(routine, screen, texts, today), buttons)


def _go(today: Today, screen: Screen, label: str) -> Button:
    return Button(label, GoTo(day_code(today.day), screen.token).encode())


def _back_next(routine: Routine, screen: Screen, today: Today, texts: Texts) -> tuple[Button, ...]:
    following = neighbour(routine, screen, 1)
    label = texts.SESSION_BTN_FINISH if following.kind == SUMMARY else texts.SESSION_BTN_NEXT
    return (
        _go(today, neighbour(routine, screen, -1), texts.SESSION_BTN_BACK),
        _go(today, following, label),
    )


def _progress_lines(routine: Routine, today: Today, texts: Texts) -> list[str]:
    done, target = totals(routine, today)
    lines = [texts.SESSION_TODAY.format(done=done, target=target)]
    if today.streak_current or today.streak_best:
        days = texts.days_word(today.streak_current)
        lines.append(
            texts.SESSION_STREAK.format(
                current=today.streak_current, days=days, best=today.streak_best
            )
        )
    return lines


def _intro(
    routine: Routine, today: Today, texts: Texts
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    plan = texts.SESSION_PLAN.format(
        minutes=routine.minutes, sets=today.sets_per_side, seconds=today.hold_seconds
    )
    intro = texts.gettext(routine.intro)
    lines = [texts.SESSION_INTRO_TITLE, intro, plan, "", *_progress_lines(routine, today, texts)]
    lines += ["", texts.gettext(routine.safety)]
    first = flow(routine)[1]
    buttons = (
        (_go(today, first, texts.SESSION_BTN_START),),
        (_go(today, Screen(LOG), texts.SESSION_BTN_LOG),),
    )
    return "\n".join(lines), buttons


def _heading(stretch: Stretch, side: str, where: str, texts: Texts) -> str:
    return texts.SESSION_HEADING.format(
        stretch=texts.gettext(stretch.title),
        side_label=stretch.side_label(side, texts),
        where=where,
    )


def _step(
    routine: Routine, screen: Screen, today: Today, texts: Texts
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    stretch = routine.stretch(screen.stretch_key)
    step = stretch.steps[screen.step - 1]
    where = texts.SESSION_STEP_OF.format(number=screen.step, count=len(stretch.steps))
    lines = [
        _heading(stretch, screen.side, where, texts),
        "",
        f"<b>{texts.gettext(step.title)}</b>",
    ]
    lines.append(step.caption(screen.side, texts))
    rows = [_back_next(routine, screen, today, texts)]
    if screen.step == 1:
        lines += ["", f"<i>{stretch.side_note(screen.side, texts)}</i>"]
        demo = Screen(DEMO, stretch.key, screen.side)
        rows.insert(0, (_go(today, demo, texts.SESSION_BTN_WATCH),))
    return "\n".join(lines), tuple(rows)


def _demo(
    routine: Routine, screen: Screen, today: Today, texts: Texts
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """The move on a loop, from step 1 to the hold; Back and Step 1 both lead on from it."""
    stretch = routine.stretch(screen.stretch_key)
    first = Screen(STEP, stretch.key, screen.side, 1)
    where = texts.SESSION_DEMO_WHERE
    lines = [_heading(stretch, screen.side, where, texts), "", texts.SESSION_DEMO_HINT]
    buttons = (
        (
            _go(today, neighbour(routine, first, -1), texts.SESSION_BTN_BACK),
            _go(today, first, texts.SESSION_BTN_TO_STEP),
        ),
    )
    return "\n".join(lines), buttons


def _hold(
    routine: Routine, screen: Screen, today: Today, texts: Texts, timer_line: str
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    stretch, side = routine.stretch(screen.stretch_key), screen.side
    title = texts.gettext(stretch.hold.title)
    lines = [_heading(stretch, side, texts.SESSION_HOLD_WHERE, texts), "", f"<b>{title}</b>"]
    # The hold text already carries the breathing cue; repeating it made the caption preachy.
    lines.append(stretch.hold.caption(side, texts))
    lines.append(texts.SESSION_HOLD_HINT.format(seconds=today.hold_seconds))
    lines += ["", texts.SESSION_SETS.format(tracker=tracker(today, stretch.key, texts))]
    number = next_set(today, stretch.key, side)
    between = stretch.between_sets(side, texts)
    if number is None:
        lines.append(texts.SESSION_SIDE_DONE.format(sets=today.sets_per_side))
    elif between:  # how to go from one hold to the next
        lines.append(f"<i>{between}</i>")
    if timer_line:
        lines.append(timer_line)
    rows: list[tuple[Button, ...]] = []
    if number is not None:
        code = day_code(today.day)
        done = LogSet(code, stretch.key, side, number, 1).encode()
        timer = HoldTimer(code, stretch.key, side).encode()
        rows.append((Button(texts.SESSION_BTN_SET_DONE.format(number=number), done),))
        rows.append((Button(texts.SESSION_BTN_TIMER.format(seconds=today.hold_seconds), timer),))
    rows.append(_back_next(routine, screen, today, texts))
    return "\n".join(lines), tuple(rows)


# The five faces' places on the 0–10 scale, bad to great.
FEEL_SCORES = (0, 3, 5, 8, 10)
MILESTONES = tuple(days for days, _ in ENGLISH.MILESTONE_CHEERS)


def face_of(score: int) -> str:
    """The face nearest a 0–10 score."""
    nearest = min(range(len(FEEL_SCORES)), key=lambda i: abs(FEEL_SCORES[i] - score))
    return ENGLISH.FEEL_FACES[nearest]


def _summary(
    routine: Routine, today: Today, texts: Texts
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    done, target = totals(routine, today)
    title = texts.SESSION_SUMMARY_DONE if done >= target else texts.SESSION_SUMMARY_PARTIAL
    lines = [title]
    if today.milestone is not None:
        cheer = dict(texts.MILESTONE_CHEERS)[today.milestone]
        lines.append(texts.MILESTONE.format(days=today.milestone, cheer=cheer))
    lines += ["", *_progress_lines(routine, today, texts), ""]
    if today.feel is None:
        lines.append(texts.FEEL_QUESTION)
    else:
        lines.append(texts.FEEL_NOTED.format(face=face_of(today.feel), score=today.feel))
    code = day_code(today.day)
    faces = tuple(
        Button(
            texts.FEEL_SELECTED.format(face=face) if score == today.feel else face,
            BackFeel(code, score).encode(),
        )
        for face, score in zip(texts.FEEL_FACES, FEEL_SCORES, strict=True)
    )
    buttons = (
        faces,
        (
            _go(today, neighbour(routine, Screen(SUMMARY), -1), texts.SESSION_BTN_BACK),
            _go(today, Screen(LOG), texts.SESSION_BTN_LOG),
        ),
    )
    return "\n".join(lines), buttons


def _log(
    routine: Routine, today: Today, texts: Texts
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    progress = _progress_lines(routine, today, texts)
    lines = [texts.SESSION_LOG_TITLE, texts.SESSION_LOG_HELP, "", *progress]
    code = day_code(today.day)
    rows: list[tuple[Button, ...]] = []
    for stretch in routine.stretches:
        guide = Screen(STEP, stretch.key, SIDES[0], 1)
        rows.append(
            (
                _go(
                    today,
                    guide,
                    texts.SESSION_BTN_GUIDE_STRETCH.format(title=texts.gettext(stretch.title)),
                ),
            )
        )
        for side in SIDES:
            done = set(done_numbers(today, stretch.key, side))
            row = []
            for n in range(1, today.sets_per_side + 1):
                mark = texts.SESSION_MARK_DONE if n in done else texts.SESSION_MARK_OPEN
                side_label = side_name(side, texts)
                label = texts.SESSION_BTN_LOG_SET.format(mark=mark, side=side_label, number=n)
                op = 0 if n in done else 1  # a done set's button undoes it
                row.append(Button(label, LogSet(code, stretch.key, side, n, op).encode()))
            rows.append(tuple(row))
    rows.append(
        (
            _go(today, Screen(INTRO), texts.SESSION_BTN_GUIDED),
            _go(today, Screen(SUMMARY), texts.SESSION_BTN_SUMMARY),
        )
    )
    return "\n".join(lines), tuple(rows)


def timer_line(seconds_left: int, number: int | None, texts: Texts) -> str:
    """The caption line of a running hold timer, or its "Set done?" ending."""
    if seconds_left > 0:
        return texts.SESSION_TIMER_RUNNING.format(seconds=seconds_left)
    if number is None:
        return texts.SESSION_TIMER_OVER
    return texts.SESSION_TIMER_DONE.format(number=number)
