"""The guided session as pure data: order of screens, tokens, set buttons, tracker, captions."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coach import callbacks
from coach.callbacks import GoTo, LogSet
from coach.routine import SIDES, load_routine
from coach.session_flow import (
    LOG,
    Screen,
    Today,
    day_code,
    day_from_code,
    flow,
    neighbour,
    next_set,
    parse_screen,
    parse_set,
    render,
    timer_line,
    totals,
    tracker,
)
from coach.texts import ENGLISH

ROUTINE = load_routine()
DAY = date(2026, 11, 24)
_TAGS = re.compile(r"<[^>]+>")


def _today(logged: dict[tuple[str, str], frozenset[int]] | None = None, sets: int = 3) -> Today:
    return Today(DAY, logged or {}, sets_per_side=sets, hold_seconds=30)


def test_flow_runs_intro_each_stretch_and_side_then_summary() -> None:
    screens = flow(ROUTINE)
    assert screens[0].kind == "intro"
    assert screens[-1].kind == "summary"
    holds = [(s.stretch_key, s.side) for s in screens if s.kind == "hold"]
    assert holds == [(st.key, side) for st in ROUTINE.stretches for side in SIDES]
    steps = sum(len(st.steps) for st in ROUTINE.stretches) * len(SIDES)
    assert len(screens) == 2 + steps + len(holds)


def test_tokens_round_trip_and_unknown_ones_are_rejected() -> None:
    demos = [Screen("demo", s.key, side) for s in ROUTINE.stretches for side in SIDES]
    for screen in (*flow(ROUTINE), Screen(LOG), *demos):
        assert parse_screen(ROUTINE, screen.token) == screen
    for bad in ("", "lower_back.left.99", "lower_back.up.1", "nowhere", "mid_trunk.left.0"):
        assert parse_screen(ROUTINE, bad) is None


def test_back_and_next_stop_at_the_ends() -> None:
    screens = flow(ROUTINE)
    assert neighbour(ROUTINE, screens[0], -1) == screens[0]
    assert neighbour(ROUTINE, screens[-1], 1) == screens[-1]
    assert neighbour(ROUTINE, screens[3], 1) == screens[4]


def test_day_codes_round_trip() -> None:
    assert day_code(date(2020, 1, 1)) == 0
    assert day_from_code(day_code(DAY)) == DAY


def test_tracker_shows_logged_sets_per_side_in_session_order() -> None:
    today = _today(
        {("lower_back", "left"): frozenset({1, 2}), ("lower_back", "right"): frozenset()}
    )
    assert tracker(today, "lower_back", ENGLISH) == "Left ●●○  Right ○○○"
    assert next_set(today, "lower_back", "left") == 3
    gap = _today({("lower_back", "left"): frozenset({2})})
    assert tracker(gap, "lower_back", ENGLISH) == "Left ○●○  Right ○○○"
    assert next_set(gap, "lower_back", "left") == 1


def test_totals_ignore_sets_beyond_the_target() -> None:
    logged = {(st.key, side): frozenset({1, 2, 3, 4}) for st in ROUTINE.stretches for side in SIDES}
    assert totals(ROUTINE, _today(logged, sets=3)) == (12, 12)
    assert totals(ROUTINE, _today(logged, sets=5)) == (16, 20)


def test_set_buttons_are_checked_against_routine_and_sets_per_side() -> None:
    good = LogSet.parse(callbacks.encode(LogSet.action, 2519, "mid_trunk", "right", 2, 0))
    assert good is not None
    tap = parse_set(ROUTINE, good, 3)
    assert tap is not None and (tap.stretch_key, tap.side, tap.number, tap.done) == (
        "mid_trunk",
        "right",
        2,
        False,
    )
    assert parse_set(ROUTINE, good, 1) is None  # set 2 does not exist with one set per side
    for args in (("x", "mid_trunk", "right", 1, 1), (2519, "neck", "right", 1, 1)):
        forged = LogSet.parse(callbacks.encode(LogSet.action, *args))
        assert forged is None or parse_set(ROUTINE, forged, 3) is None


def test_hold_screen_offers_the_next_set_and_a_timer() -> None:
    hold = Screen("hold", "lower_back", "right")
    view = render(ROUTINE, hold, _today({("lower_back", "right"): frozenset({1})}), ENGLISH)
    labels = [b.label for row in view.buttons for b in row]
    assert ENGLISH.SESSION_BTN_SET_DONE.format(number=2) in labels
    assert ENGLISH.SESSION_BTN_TIMER.format(seconds=30) in labels
    assert "Left ○○○  Right ●○○" in view.caption
    assert "lightest pull and push" in view.caption  # the article's force cue, lower back only
    assert ROUTINE.stretch("lower_back").between_sets("right", ENGLISH) in view.caption
    assert view.picture.asset_key == "lower_back/hold/right"
    mid = render(ROUTINE, Screen("hold", "mid_trunk", "left"), _today({}), ENGLISH)
    assert "force" not in mid.caption and "pull" not in mid.caption
    done = {("lower_back", "right"): frozenset({1, 2, 3})}
    finished = render(ROUTINE, hold, _today(done), ENGLISH)
    assert not any("Set" in b.label for row in finished.buttons for b in row)
    assert "Between sets" not in finished.caption  # the side is done: nothing to go back to
    assert ENGLISH.SESSION_SIDE_DONE.format(sets=3) in finished.caption


def test_log_grid_has_a_button_per_set_that_toggles() -> None:
    view = render(
        ROUTINE, Screen(LOG), _today({("mid_trunk", "left"): frozenset({3})}, sets=5), ENGLISH
    )
    sets = [b for row in view.buttons for b in row if b.data.startswith(f"v1:{LogSet.action}:")]
    assert len(sets) == len(ROUTINE.stretches) * len(SIDES) * 5
    done = [b for b in sets if b.label.startswith(ENGLISH.SESSION_MARK_DONE)]
    assert [b.data for b in done] == [LogSet(day_code(DAY), "mid_trunk", "left", 3, 0).encode()]


@pytest.mark.parametrize("sets", [1, 3, 5])
def test_every_screen_fits_telegram(sets: int) -> None:
    today = Today(
        DAY, {}, sets_per_side=sets, hold_seconds=120, streak_current=365, streak_best=999
    )
    demos = [Screen("demo", s.key, side) for s in ROUTINE.stretches for side in SIDES]
    for screen in (*flow(ROUTINE), Screen(LOG), *demos):
        for line in ("", timer_line(120, 1, ENGLISH)):
            view = render(ROUTINE, screen, today, ENGLISH, timer_line=line)
            # Telegram counts the caption after parsing the HTML.
            assert len(_TAGS.sub("", view.caption)) <= 1024, screen.token
            picture = view.picture
            assert (picture.path is not None and picture.path.is_file()) or (
                screen.kind == "summary" and picture.tracker is not None
            ), picture
            for row in view.buttons:
                assert 0 < len(row) <= 8
                for button in row:
                    decoded = callbacks.decode(button.data)
                    assert decoded is not None and len(button.data.encode()) <= 64
                    go = GoTo.parse(button.data)
                    if go is not None:
                        assert parse_screen(ROUTINE, go.screen) is not None


def test_timer_line_counts_down_then_asks() -> None:
    assert timer_line(20, 2, ENGLISH) == ENGLISH.SESSION_TIMER_RUNNING.format(seconds=20)
    assert timer_line(0, 2, ENGLISH) == ENGLISH.SESSION_TIMER_DONE.format(number=2)
    assert timer_line(0, None, ENGLISH) == ENGLISH.SESSION_TIMER_OVER


def test_intro_log_and_summary_have_their_own_pictures() -> None:
    today = _today(
        {("lower_back", "left"): frozenset({1, 2}), ("mid_trunk", "right"): frozenset({3})}
    )
    intro = render(ROUTINE, Screen("intro"), today, ENGLISH).picture
    log = render(ROUTINE, Screen(LOG), today, ENGLISH).picture
    summary = render(ROUTINE, Screen("summary"), today, ENGLISH).picture
    steps = {
        render(ROUTINE, s, today, ENGLISH).picture.path for s in flow(ROUTINE) if s.kind == "step"
    }
    assert intro.path is not None and intro.path.name == "intro.png"
    assert log.path is not None and log.path.name == "log.png"
    assert not {intro.path, log.path} & steps
    # The summary draws today's tracker: 3 of 12 done, and each side's count in order.
    assert summary.tracker is not None and summary.tracker.title == "Today: 3/12 sets"
    assert [n for _, sides in summary.tracker.stretches for _, n, _ in sides] == [2, 0, 0, 1]
    other_day = render(ROUTINE, Screen("summary"), _today({}), ENGLISH).picture
    assert other_day.asset_key != summary.asset_key


def test_step_one_offers_the_moving_demonstration() -> None:
    step_one = render(ROUTINE, Screen("step", "mid_trunk", "left", 1), _today({}), ENGLISH)
    watch = [b for row in step_one.buttons for b in row if b.label == ENGLISH.SESSION_BTN_WATCH]
    assert len(watch) == 1
    go = GoTo.parse(watch[0].data)
    assert go is not None
    demo_screen = parse_screen(ROUTINE, go.screen)
    assert demo_screen is not None
    demo = render(ROUTINE, demo_screen, _today({}), ENGLISH)
    assert demo.picture.kind == "animation"
    assert demo.picture.path == ROUTINE.stretch("mid_trunk").animation_path("left")
    labels = [b.label for row in demo.buttons for b in row]
    assert ENGLISH.SESSION_BTN_TO_STEP in labels
    later = render(ROUTINE, Screen("step", "mid_trunk", "left", 2), _today({}), ENGLISH)
    assert ENGLISH.SESSION_BTN_WATCH not in [b.label for row in later.buttons for b in row]
