"""The Mini App's JSON API over real HTTP: initData signed for the user logs their sets, once
each, into the same store as the chat; every other call (tampered, another bot's, expired,
without a user, another day's, oversized, from someone who never started the bot, over the
rate limit) is refused with a JSON error and changes no row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.app import build_application
from bot.ratelimit import TelegramRateLimiter
from bot.server import create_web_app
from coach.clock import ManualClock
from coach.schedule import user_stretch_day
from coach.session_flow import day_code
from coach.texts import ENGLISH
from handlers.context import services_of
from miniapp.api import CALLS_PER_MINUTE
from miniapp.web import MAX_BODY_BYTES
from ops.web import serve
from tests.e2e.miniapp import MiniApp, counted_calls, init_data, logged_sets, mini_app_bot
from tests.harness import TEST_LIMITS, bot_settings
from tests.helpers import ANN, make_user

OTHER_TOKEN = "987654321:AAF-another-bot-token-0123456789abcd"
MAX_AGE = timedelta(hours=24)  # the default MINI_APP_AUTH_MAX_AGE_SECONDS


async def today_code(app: MiniApp) -> int:
    user = await app.harness.stored_user(ANN)
    return day_code(user_stretch_day(user.time_zone, app.harness.clock.now()))


async def test_signed_init_data_logs_a_set_once(database_url: str, clock: ManualClock) -> None:
    async with mini_app_bot(database_url, clock) as app:
        await make_user(app.harness, ANN)
        signed = init_data(ANN, clock.now())

        day = await app.day(signed)
        assert day.status_code == 200
        document = day.json()
        assert document["day"] == await today_code(app)
        assert (document["sets_per_side"], document["hold_seconds"]) == (3, 30)
        assert document["progress"]["today"] == "Today: 0/12 sets"

        logged = await app.log(signed, document["day"], "lower_back", "left", 1)
        assert logged.status_code == 200
        assert logged.json()["logged"] is True
        assert logged.json()["progress"]["today"] == "Today: 1/12 sets"
        assert await logged_sets(app.harness, ANN) == [("lower_back", "left", 1)]

        # The same call again (a retry, or replayed by someone who saw it): stored once.
        again = await app.log(signed, document["day"], "lower_back", "left", 1)
        assert again.status_code == 200
        assert again.json()["logged"] is False
        assert again.json()["progress"]["today"] == "Today: 1/12 sets"
        assert await logged_sets(app.harness, ANN) == [("lower_back", "left", 1)]


def _tampered(clock: ManualClock) -> str:
    """Signed for ANN, then changed to name another user: the hash no longer matches."""
    return init_data(ANN, clock.now()).replace(f"%22id%22%3A{ANN}", f"%22id%22%3A{ANN + 1}")


REFUSALS = {
    # case: (initData, status, reason, what the call sends)
    "tampered hash": (_tampered, 401, "invalid", "set"),
    "another bot's token": (
        lambda clock: init_data(ANN, clock.now(), token=OTHER_TOKEN),
        401,
        "invalid",
        "set",
    ),
    "expired auth_date": (
        lambda clock: init_data(ANN, clock.now() - MAX_AGE - timedelta(seconds=1)),
        401,
        "expired",
        "set",
    ),
    "no user in it": (lambda clock: init_data(None, clock.now()), 401, "no_user", "set"),
    "no initData": (lambda clock: None, 401, "missing", "set"),
    "garbage initData": (lambda clock: "user=%7B%7D&hash=00", 401, "invalid", "set"),
    "a set of another day": (
        lambda clock: init_data(ANN, clock.now()),
        409,
        "another_day",
        "yesterday",
    ),
    "an oversized body": (lambda clock: init_data(ANN, clock.now()), 413, "too_large", "oversized"),
    "a set the day has not": (
        lambda clock: init_data(ANN, clock.now()),
        400,
        "no_such_set",
        "fourth",
    ),
    "a body that is no set": (
        lambda clock: init_data(ANN, clock.now()),
        400,
        "bad_request",
        "list",
    ),
    "a user who never started": (
        lambda clock: init_data(ANN + 5, clock.now()),
        403,
        "not_started",
        "set",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_a_refused_call_changes_nothing(
    database_url: str, clock: ManualClock, case: str
) -> None:
    make_init_data, status, reason, sends = REFUSALS[case]
    async with mini_app_bot(database_url, clock) as app:
        await make_user(app.harness, ANN)
        today = await today_code(app)
        signed = make_init_data(clock)
        if sends == "oversized":
            body = b'{"day": %d, "stretch": "lower_back", "side": "left", "number": 1, "pad": "%s"}'
            padding = b"x" * MAX_BODY_BYTES
            answer = await app.call(
                "POST",
                "/api/sets",
                signed,
                content=body % (today, padding),
                headers={"Content-Type": "application/json"},
            )
        elif sends == "list":
            answer = await app.call("POST", "/api/sets", signed, [today, "lower_back", "left", 1])
        else:
            day = today - 1 if sends == "yesterday" else today
            number = 4 if sends == "fourth" else 1
            answer = await app.log(signed, day, "lower_back", "left", number)

        assert answer.status_code == status
        assert answer.json()["error"] == reason
        assert answer.json()["message"]  # a sentence the page shows
        assert answer.headers["cache-control"] == "no-store"
        assert await logged_sets(app.harness, ANN) == []
        assert await logged_sets(app.harness, ANN + 1) == []
        assert await counted_calls(app.harness, ANN) == 0  # not even counted: rolled back


async def test_the_answer_speaks_the_callers_language(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        await make_user(app.harness, ANN)
        german = init_data(ANN, clock.now(), language_code="de")
        document = (await app.day(german)).json()
        assert document["language"] == "de"
        assert document["texts"]["MINIAPP_HOLD"] == "Halten"
        assert document["stretches"][0]["sides"][0]["steps"][0]["picture"].startswith(
            "pictures/de/"
        )
        yesterday = (await app.log(german, document["day"] - 1, "lower_back", "left", 1)).json()
        assert yesterday["message"].startswith("Ein neuer Dehntag")
        # Not proven yet: the language the Telegram app asks pages in.
        stranger = await app.call("GET", "/api/day", None, headers={"Accept-Language": "ru-RU,ru"})
        assert stranger.json()["message"] == "Откройте это из чата с Limber в Telegram."


async def test_the_rate_limit_counts_the_calls_of_every_instance(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as first:
        await make_user(first.harness, ANN)
        # A second instance on the same database, with its own web server.
        settings = bot_settings(
            database_url,
            first.harness.api_url,
            mini_app_url="http://127.0.0.1:1/app/",
            health_port=1,
        )
        second_app = build_application(
            settings, clock=clock, rate_limiter=TelegramRateLimiter(TEST_LIMITS)
        )
        try:
            async with serve(create_web_app(second_app, settings, webhook=False)) as url:
                second = MiniApp(first.harness, f"{url}/app")
                signed = init_data(ANN, clock.now())
                for instance in [first, second] * (CALLS_PER_MINUTE // 2):
                    assert (await instance.day(signed)).status_code == 200
                today = await today_code(first)

                for instance in (first, second):
                    refused = await instance.log(signed, today, "lower_back", "left", 1)
                    assert refused.status_code == 429
                    assert refused.json()["error"] == "busy"
                assert await logged_sets(first.harness, ANN) == []

                clock.advance(timedelta(minutes=1))  # the next minute counts afresh
                allowed = await second.log(signed, today, "lower_back", "left", 1)
                assert allowed.status_code == 200
                assert await logged_sets(first.harness, ANN) == [("lower_back", "left", 1)]
        finally:
            await services_of(second_app).db.dispose()


async def test_a_failure_of_ours_is_a_sentence_not_a_page(
    database_url: str, clock: ManualClock
) -> None:
    async with mini_app_bot(database_url, clock) as app:
        await make_user(app.harness, ANN)
        signed, today = init_data(ANN, clock.now()), await today_code(app)
        async with app.harness.services.db.transaction() as session:
            await session.execute(text("DROP TABLE logged_sets"))
        answer = await app.log(signed, today, "lower_back", "left", 1)
        assert answer.status_code == 500
        assert answer.json() == {"error": "failed", "message": ENGLISH.ERROR_GENERIC}
        assert await counted_calls(app.harness, ANN) == 0  # rolled back with the rest
