"""Schedule math: named DST days, properties over every zone, and a simulated year of ticks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coach.schedule import (
    ALL_WEEKDAYS,
    MAX_LATENESS,
    ROLLOVER,
    describe_weekdays,
    next_reminder_after_day,
    next_reminder_at,
    plan_after_due,
    reminder_stretch_day,
    set_weekday,
    stretch_day,
    weekday_enabled,
)
from coach.texts import ENGLISH

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ALL_ZONES = sorted(available_timezones())
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def nominal_date(at: datetime, tz: tzinfo, local_time: time) -> date | None:
    """Which calendar date's reminder `at` is, judged from the wall clock alone (None: neither)."""
    local = at.astimezone(tz)
    if local.time().replace(tzinfo=None) == local_time:
        return local.date()
    # Otherwise `at` must be the end of a spring-forward gap that swallowed `local_time`.
    just_before = at - timedelta(microseconds=1)
    if just_before.astimezone(tz).utcoffset() == local.utcoffset():
        return None
    gap_start = just_before.astimezone(tz).replace(tzinfo=None) + timedelta(microseconds=1)
    gap_end = local.replace(tzinfo=None)
    for day in (local.date(), local.date() - timedelta(days=1)):
        if gap_start <= datetime.combine(day, local_time) < gap_end:
            return day
    return None


# ── Named DST days ──


def test_spring_forward_gap_fires_at_the_first_minute_after_it() -> None:
    # 2026-03-29 Berlin: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist that night.
    at = next_reminder_at(utc(2026, 3, 28, 12), BERLIN, time(2, 30), ALL_WEEKDAYS)
    assert at == utc(2026, 3, 29, 1, 0)
    assert at.astimezone(BERLIN).time() == time(3, 0)
    assert reminder_stretch_day(at, BERLIN, time(2, 30)) == date(2026, 3, 28)
    following = next_reminder_at(at, BERLIN, time(2, 30), ALL_WEEKDAYS)
    assert following == utc(2026, 3, 30, 0, 30)  # 02:30 CEST again the next night
    assert reminder_stretch_day(following, BERLIN, time(2, 30)) == date(2026, 3, 29)


def test_a_time_at_the_gap_end_belongs_to_its_own_day() -> None:
    at = next_reminder_at(utc(2026, 3, 28, 12), BERLIN, time(3, 0), ALL_WEEKDAYS)
    assert at == utc(2026, 3, 29, 1, 0)
    assert reminder_stretch_day(at, BERLIN, time(3, 0)) == date(2026, 3, 29)


def test_fall_back_fires_once_at_the_first_occurrence() -> None:
    # 2026-10-25 Berlin: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    first = next_reminder_at(utc(2026, 10, 24, 12), BERLIN, time(2, 30), ALL_WEEKDAYS)
    assert first == utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    second = next_reminder_at(first, BERLIN, time(2, 30), ALL_WEEKDAYS)
    assert second == utc(2026, 10, 26, 1, 30)  # not 02:30 CET an hour later, but the next night


def test_new_york_dst_days() -> None:
    # 2026-11-01: 01:30 happens twice (EDT, then EST); it fires at the EDT one.
    fall = next_reminder_at(utc(2026, 10, 31, 12), NEW_YORK, time(1, 30), ALL_WEEKDAYS)
    assert fall == utc(2026, 11, 1, 5, 30)
    assert next_reminder_at(fall, NEW_YORK, time(1, 30), ALL_WEEKDAYS) == utc(2026, 11, 2, 6, 30)
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    spring = next_reminder_at(utc(2026, 3, 7, 12), NEW_YORK, time(2, 15), ALL_WEEKDAYS)
    assert spring == utc(2026, 3, 8, 7, 0)
    # An ordinary evening time just shifts its UTC hour.
    assert next_reminder_at(utc(2026, 3, 7, 12), NEW_YORK, time(19, 0), 0b1) == utc(2026, 3, 9, 23)


def test_lord_howe_half_hour_gap() -> None:
    # 2026-10-04 Lord Howe: 02:00 +10:30 jumps to 02:30 +11:00.
    tz = ZoneInfo("Australia/Lord_Howe")
    at = next_reminder_at(utc(2026, 10, 3, 0), tz, time(2, 10), ALL_WEEKDAYS)
    assert at is not None
    assert at.astimezone(tz).replace(tzinfo=None) == datetime(2026, 10, 4, 2, 30)


def test_nuuk_gap_crosses_midnight_but_keeps_its_weekday() -> None:
    # 2026-03-28 (a Saturday) Nuuk: 23:00 −02:00 jumps to 00:00 −01:00 on Sunday.
    tz = ZoneInfo("America/Nuuk")
    at = next_reminder_at(utc(2026, 3, 28, 12), tz, time(23, 30), 1 << SAT)
    assert at is not None
    assert at.astimezone(tz).replace(tzinfo=None) == datetime(2026, 3, 29, 0, 0)
    assert reminder_stretch_day(at, tz, time(23, 30)) == date(2026, 3, 28)


def test_stretch_day_rolls_over_at_three() -> None:
    assert stretch_day(utc(2026, 5, 5, 22, 30), BERLIN) == date(2026, 5, 5)  # 00:30 CEST on the 6th
    assert stretch_day(utc(2026, 5, 6, 0, 59), BERLIN) == date(2026, 5, 5)  # 02:59
    assert stretch_day(utc(2026, 5, 6, 1, 0), BERLIN) == date(2026, 5, 6)  # 03:00
    assert time(3, 0) == ROLLOVER


def test_stretch_day_never_goes_back_when_chatham_repeats_three_oclock() -> None:
    # 2026-04-05 Chatham: 03:45 +13:45 falls back to 02:45 +12:45.
    tz = ZoneInfo("Pacific/Chatham")
    days = [stretch_day(utc(2026, 4, 4, 13) + timedelta(minutes=5 * i), tz) for i in range(48)]
    assert days == sorted(days)
    assert days[0] == date(2026, 4, 4) and days[-1] == date(2026, 4, 5)


# ── Lateness and skipping ──


def test_a_reminder_under_two_hours_late_is_sent() -> None:
    due = next_reminder_at(utc(2026, 6, 1), BERLIN, time(8, 0), ALL_WEEKDAYS)
    assert due == utc(2026, 6, 1, 6, 0)
    assert plan_after_due(due, due + timedelta(minutes=119), BERLIN, time(8, 0), ALL_WEEKDAYS) == (
        True,
        utc(2026, 6, 2, 6, 0),
    )
    assert plan_after_due(due, due + MAX_LATENESS, BERLIN, time(8, 0), ALL_WEEKDAYS)[0] is False


def test_after_a_long_outage_the_latest_reminder_still_within_reach_is_next() -> None:
    due = utc(2026, 6, 1, 6, 0)  # 08:00 Berlin
    now = utc(2026, 6, 3, 6, 30)  # two days later, 30 min after that day's 08:00
    send, following = plan_after_due(due, now, BERLIN, time(8, 0), ALL_WEEKDAYS)
    assert not send
    assert following == utc(2026, 6, 3, 6, 0)
    assert following is not None
    assert plan_after_due(following, now, BERLIN, time(8, 0), ALL_WEEKDAYS)[0] is True


def test_a_snooze_across_three_oclock_keeps_the_reminders_day() -> None:
    # 02:30 belongs to the evening before; snoozed by an hour it goes out at 03:30.
    due = next_reminder_at(utc(2026, 6, 1, 12), BERLIN, time(2, 30), ALL_WEEKDAYS)
    assert due == utc(2026, 6, 2, 0, 30)
    snoozed = due + timedelta(hours=1)
    assert stretch_day(snoozed, BERLIN) == date(2026, 6, 2)
    assert reminder_stretch_day(snoozed, BERLIN, time(2, 30)) == date(2026, 6, 1)
    # So the next reminder after it is the following night's, not one a day later.
    assert next_reminder_after_day(date(2026, 6, 1), BERLIN, time(2, 30), ALL_WEEKDAYS) == utc(
        2026, 6, 3, 0, 30
    )


def test_skip_today_moves_to_the_next_stretch_day() -> None:
    monday = date(2026, 6, 1)
    assert next_reminder_after_day(monday, BERLIN, time(8, 0), ALL_WEEKDAYS) == utc(2026, 6, 2, 6)
    # 00:30 on Tuesday still belongs to Monday's stretch day, so skipping Monday skips it too.
    assert next_reminder_after_day(monday, BERLIN, time(0, 30), ALL_WEEKDAYS) == utc(
        2026, 6, 2, 22, 30
    )
    assert next_reminder_after_day(monday, BERLIN, time(8, 0), 1 << FRI) == utc(2026, 6, 5, 6)
    assert next_reminder_after_day(monday, BERLIN, time(8, 0), 0) is None


def test_weekday_helpers() -> None:
    assert describe_weekdays(ALL_WEEKDAYS, ENGLISH) == "every day"
    assert describe_weekdays(0b0011111, ENGLISH) == "weekdays"
    assert describe_weekdays(0b1100000, ENGLISH) == "weekends"
    assert describe_weekdays(0b0010101, ENGLISH) == "Mon, Wed, Fri"
    assert describe_weekdays(0, ENGLISH) == "no days"
    assert set_weekday(ALL_WEEKDAYS, SUN, False) == 0b0111111
    assert set_weekday(0b0111111, SUN, True) == ALL_WEEKDAYS
    # It sets, never flips: the same choice twice leaves the same days.
    assert set_weekday(0b0111111, SUN, False) == 0b0111111
    assert set_weekday(ALL_WEEKDAYS, SUN, True) == ALL_WEEKDAYS
    assert weekday_enabled(0b0000100, WED) and not weekday_enabled(0b0000100, TUE)
    assert next_reminder_at(utc(2026, 6, 1), BERLIN, time(8, 0), 0) is None


# ── Properties over every zone ──

instants = st.datetimes(datetime(2026, 1, 1), datetime(2028, 12, 31), timezones=st.just(UTC))
local_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 1, 15, 30, 45, 59]))
masks = st.integers(1, ALL_WEEKDAYS)


@settings(max_examples=4000, deadline=None)
@given(st.sampled_from(ALL_ZONES), instants, local_times, masks)
def test_next_reminder_is_future_local_time_on_a_chosen_weekday(
    name: str, after: datetime, local_time: time, weekdays: int
) -> None:
    tz = ZoneInfo(name)
    at = next_reminder_at(after, tz, local_time, weekdays)
    assert at is not None and at.tzinfo is UTC
    assert after < at <= after + timedelta(days=8)
    day = nominal_date(at, tz, local_time)
    assert day is not None, f"{at.astimezone(tz)} is neither {local_time} nor a gap's end"
    assert weekday_enabled(weekdays, day.weekday())
    expected_stretch_day = day if local_time >= ROLLOVER else day - timedelta(days=1)
    assert reminder_stretch_day(at, tz, local_time) == expected_stretch_day


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(ALL_ZONES), instants, local_times, masks)
def test_consecutive_reminders_hit_every_chosen_date_once(
    name: str, after: datetime, local_time: time, weekdays: int
) -> None:
    tz = ZoneInfo(name)
    at: datetime | None = after
    dates = []
    for _ in range(10):
        assert at is not None
        at = next_reminder_at(at, tz, local_time, weekdays)
        assert at is not None
        dates.append(nominal_date(at, tz, local_time))
    assert None not in dates
    first, last = dates[0], dates[-1]
    assert first is not None and last is not None
    chosen = [
        first + timedelta(days=i)
        for i in range((last - first).days + 1)
        if weekday_enabled(weekdays, (first + timedelta(days=i)).weekday())
    ]
    assert dates == chosen


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(ALL_ZONES), instants, local_times, st.floats(0, 1, exclude_max=True))
def test_until_the_next_reminder_an_instant_belongs_to_the_last_ones_day(
    name: str, after: datetime, local_time: time, fraction: float
) -> None:
    tz = ZoneInfo(name)
    at = next_reminder_at(after, tz, local_time, ALL_WEEKDAYS)
    assert at is not None
    following = next_reminder_at(at, tz, local_time, ALL_WEEKDAYS)
    assert following is not None
    # Float rounding may land on `following` itself, which is the next reminder's own instant.
    between = min(at + (following - at) * fraction, following - timedelta(microseconds=1))
    assert reminder_stretch_day(between, tz, local_time) == reminder_stretch_day(at, tz, local_time)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(ALL_ZONES), instants, st.integers(1, 36 * 60))
def test_stretch_days_never_go_backwards(name: str, now: datetime, minutes: int) -> None:
    tz = ZoneInfo(name)
    earlier, later = stretch_day(now, tz), stretch_day(now + timedelta(minutes=minutes), tz)
    assert earlier <= later <= earlier + timedelta(days=2)


# ── A simulated year of ticks ──


def simulate(
    tz: tzinfo, local_time: time, weekdays: int, start: datetime, end: datetime, down: set[int]
) -> list[tuple[datetime, datetime]]:
    """Tick every 15 minutes like the bot does; return (due, sent at) for each reminder sent."""
    sent = []
    due = next_reminder_at(start, tz, local_time, weekdays)
    now, tick = start, 0
    while now < end:
        # The real tick runs every few seconds, so a reminder re-planned into the past (after
        # an outage) goes out at once; here that is the same 15-minute step.
        while tick not in down and due is not None and due <= now:
            send, following = plan_after_due(due, now, tz, local_time, weekdays)
            if send:
                sent.append((due, now))
            assert following is None or following > due
            due = following
        now += timedelta(minutes=15)
        tick += 1
    return sent


ZONES_WITH_DST = [
    BERLIN,
    NEW_YORK,
    ZoneInfo("Australia/Lord_Howe"),
    ZoneInfo("America/Santiago"),
    ZoneInfo("Asia/Kolkata"),
    timezone(timedelta(hours=-3, minutes=-30)),
]


@pytest.mark.parametrize("tz", ZONES_WITH_DST, ids=str)
@pytest.mark.parametrize(
    ("local_time", "weekdays"),
    [
        (time(2, 30), ALL_WEEKDAYS),  # inside Berlin's and New York's gap and repeated hour
        (time(0, 30), 0b0010101),  # before the rollover, on Mon, Wed, Fri
        (time(2, 59), 0b1000001),
        (time(7, 45), 0b0011111),
        (time(23, 30), ALL_WEEKDAYS),  # Santiago's gap starts at midnight
    ],
)
def test_a_year_of_ticks_sends_one_reminder_per_chosen_day(
    tz: tzinfo, local_time: time, weekdays: int
) -> None:
    start, end = utc(2026, 1, 1), utc(2027, 1, 1)
    sent = simulate(tz, local_time, weekdays, start, end, down=set())
    days = [reminder_stretch_day(due, tz, local_time) for due, _ in sent]
    assert len(days) == len(set(days)), "two reminders on one stretch day"
    # Every local date in the year, except the partial ends, with a chosen weekday: exactly once.
    first_day = start.astimezone(tz).date() + timedelta(days=1)
    expected = {
        (day if local_time >= ROLLOVER else day - timedelta(days=1))
        for day in (first_day + timedelta(days=i) for i in range(364))
        if weekday_enabled(weekdays, day.weekday())
    }
    assert expected <= set(days)
    assert len(set(days) - expected) <= 2  # at most the two partial days at the ends
    for due, sent_at in sent:
        assert sent_at - due < timedelta(minutes=15)
        day = nominal_date(due, tz, local_time)
        assert day is not None and weekday_enabled(weekdays, day.weekday())


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(ZONES_WITH_DST),
    local_times,
    masks,
    st.lists(st.tuples(st.integers(0, 60 * 96), st.integers(1, 400)), max_size=6),
)
def test_outages_never_double_send_and_never_send_too_late(
    tz: tzinfo, local_time: time, weekdays: int, outages: list[tuple[int, int]]
) -> None:
    start = utc(2026, 3, 1)
    end = start + timedelta(days=61)
    down = {tick for first, length in outages for tick in range(first, first + length)}
    sent = simulate(tz, local_time, weekdays, start, end, down)
    days = [reminder_stretch_day(due, tz, local_time) for due, _ in sent]
    assert len(days) == len(set(days))
    assert all(sent_at - due < MAX_LATENESS for due, sent_at in sent)
    # Every reminder whose two-hour window had the bot up for a tick went out.
    up_ticks = {i for i in range(61 * 96) if i not in down}
    sent_dues = {due for due, _ in sent}
    at = next_reminder_at(start, tz, local_time, weekdays)
    while at is not None and at < end - MAX_LATENESS:
        first_tick = -(-(at - start) // timedelta(minutes=15))
        if any(first_tick + k in up_ticks for k in range(8)):
            assert at in sent_dues
        at = next_reminder_at(at, tz, local_time, weekdays)
