"""Webhook mode in process: Telegram (the fake) posts updates to our Starlette server, which
checks the secret, the size and the JSON before queueing anything; /healthz and /metrics."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import ALLOWED_UPDATES, LimberApp, build_application
from bot.ratelimit import TelegramRateLimiter
from bot.server import MAX_BODY_BYTES, SECRET_HEADER, webhook
from coach.clock import ManualClock
from coach.texts import ENGLISH
from ops.web import serve
from playground.fake_telegram import FakeTelegram, create_app
from tests.harness import TEST_LIMITS, TOKEN, bot_settings

SECRET = "webhook-secret-for-tests"
USER = 4242


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class WebhookBot:
    fake: FakeTelegram
    app: LimberApp
    hook: str  # the webhook URL Telegram posts to
    base: str  # the same server's root, for /healthz and /metrics

    async def get(self, path: str) -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(f"{self.base}{path}")

    async def post(self, content: bytes, secret: str | None = SECRET) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        async with httpx.AsyncClient() as client:
            return await client.post(self.hook, content=content, headers=headers)

    def metrics(self, text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Every sample of a /metrics page, by name and labels."""
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }


@asynccontextmanager
async def webhook_bot(
    database_url: str, clock: ManualClock, **overrides: Any
) -> AsyncIterator[WebhookBot]:
    fake = FakeTelegram(TOKEN)
    async with serve(create_app(fake)) as api_url:
        port = free_port()  # once the fake has its port, so the two never meet
        settings = bot_settings(
            database_url,
            api_url,
            webhook_url=f"http://127.0.0.1:{port}/limber/hook",
            webhook_listen="127.0.0.1",
            webhook_port=port,
            webhook_secret=SECRET,
            **overrides,
        )
        app = build_application(
            settings, clock=clock, rate_limiter=TelegramRateLimiter(TEST_LIMITS)
        )
        async with webhook(app, settings):
            yield WebhookBot(fake, app, settings.webhook_url or "", f"http://127.0.0.1:{port}")


def _chat_texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text or "" for m in fake.bot_messages(chat_id)]


def _forged_help(update_id: int) -> bytes:
    """A /help from USER, as an attacker (or a broken proxy) would post it."""
    return (
        b'{"update_id": %d, "message": {"message_id": 99, "date": 1, "text": "/help",'
        b' "chat": {"id": %d, "type": "private"}, "from": {"id": %d, "is_bot": false,'
        b' "first_name": "Eve"}, "entities": [{"type": "bot_command", "offset": 0,'
        b' "length": 5}]}}' % (update_id, USER, USER)
    )


async def _start_is_answered_and_help_was_not(bot: WebhookBot) -> None:
    """USER's /start through Telegram is answered; a refused /help, had it been queued, would
    have been handled before it (one user's updates run in order) and answered too."""
    bot.fake.send_text(USER, "/start")
    await bot.fake.wait_for(lambda: any("Limber" in t for t in _chat_texts(bot.fake, USER)))
    sent = [params for method, params in bot.fake.calls if method == "sendMessage"]
    assert not any(ENGLISH.HELP_CREDIT in str(params.get("text")) for params in sent)


async def test_an_update_telegram_posts_is_answered(database_url: str, clock: ManualClock) -> None:
    async with webhook_bot(database_url, clock, webhook_max_connections=7) as bot:
        bot.fake.send_text(USER, "/help")
        reply = await bot.fake.wait_for(
            lambda: next((t for t in _chat_texts(bot.fake, USER) if ENGLISH.HELP_CREDIT in t), None)
        )
        # What the bot told Telegram when it set the webhook.
        info = bot.fake.updates.webhook_info()
        assert bot.fake.updates.webhook["secret_token"] == SECRET
        assert info["url"] == bot.hook
        assert info["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
        assert info["allowed_updates"] == list(ALLOWED_UPDATES)
        assert info["max_connections"] == 7
        assert not any(method == "getUpdates" for method, _ in bot.fake.calls)
    assert "/stretch" in reply


@pytest.mark.parametrize("secret", [None, "wrong-secret", SECRET + "x", ""])
async def test_a_post_without_the_secret_is_refused(
    database_url: str, clock: ManualClock, secret: str | None
) -> None:
    async with webhook_bot(database_url, clock) as bot:
        answer = await bot.post(_forged_help(1), secret=secret)
        assert answer.status_code == 403
        await _start_is_answered_and_help_was_not(bot)


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'{"update_id": "one"}',
        b'{"update_id": 5, "message": "not a message"}',
        b"\xff\xfe",
        # A real update padded past the limit with whitespace: refused for its size alone.
        _forged_help(2)[:-1] + b" " * MAX_BODY_BYTES + b"}",
    ],
    ids=["broken", "array", "bad-id", "bad-message", "not-utf8", "oversized"],
)
async def test_a_malformed_or_oversized_body_is_refused(
    database_url: str, clock: ManualClock, body: bytes
) -> None:
    async with webhook_bot(database_url, clock) as bot:
        answer = await bot.post(body)
        assert answer.status_code == 400
        await _start_is_answered_and_help_was_not(bot)


async def test_healthz_reports_the_database_the_tick_and_the_version(
    database_url: str, clock: ManualClock
) -> None:
    async with webhook_bot(database_url, clock) as bot:
        answer = await bot.get("/healthz")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database_reachable"] is True
    assert 0 <= body["reminder_tick_age_seconds"] < 60
    assert body["version"] == "0.1.0"


async def test_healthz_is_503_when_the_database_is_unreachable(clock: ManualClock) -> None:
    # Nothing listens on that port: every connection is refused, as with a PostgreSQL down.
    unreachable = f"postgresql+asyncpg://limber:limber@127.0.0.1:{free_port()}/limber"
    async with webhook_bot(unreachable, clock) as bot:
        answer = await bot.get("/healthz")
        metrics = await bot.get("/metrics")  # still served, without the sessions gauge
    assert answer.status_code == 503
    assert answer.json()["database_reachable"] is False
    assert answer.json()["status"] == "unhealthy"
    assert metrics.status_code == 200


async def test_healthz_is_503_while_the_reminder_tick_does_not_run(
    database_url: str, clock: ManualClock
) -> None:
    async with webhook_bot(database_url, clock, reminder_tick_seconds=0.2) as bot:
        assert bot.app.job_queue is not None
        (tick,) = bot.app.job_queue.get_jobs_by_name("reminder-tick")
        await asyncio.sleep(0.5)  # a tick or two has run
        assert (await bot.get("/healthz")).status_code == 200
        tick.enabled = False  # the scheduler stops running it, as if it had hung
        stale = await _poll_health(bot, 503)
        assert stale.json()["reminder_tick_age_seconds"] > 0.6
        assert stale.json()["database_reachable"] is True
        tick.enabled = True
        await _poll_health(bot, 200)


async def _poll_health(bot: WebhookBot, status: int) -> httpx.Response:
    for _ in range(100):
        answer = await bot.get("/healthz")
        if answer.status_code == status:
            return answer
        await asyncio.sleep(0.05)
    raise AssertionError(f"/healthz never answered {status}")


async def test_metrics_count_what_telegram_saw(database_url: str, clock: ManualClock) -> None:
    async with webhook_bot(database_url, clock) as bot:
        bot.fake.send_text(USER, "/start")
        bot.fake.send_text(USER, "Berlin")
        bot.fake.send_text(USER, "hello?")
        await bot.fake.wait_for(lambda: len(bot.fake.bot_messages(USER)) >= 4)
        sample: dict[Any, float] = {}
        page = httpx.Response(404)
        for _ in range(100):  # until the last update is counted: its calls are all done
            page = await bot.get("/metrics")
            sample = bot.metrics(page.text)
            if sample.get(("limber_updates_total", (("kind", "message"),)), 0) == 2:
                break
            await asyncio.sleep(0.05)
        recorded = Counter(method for method, _ in bot.fake.calls)
    assert page.headers["content-type"].startswith("text/plain")
    assert sample[("limber_updates_total", (("kind", "command"),))] == 1
    assert sample[("limber_updates_total", (("kind", "message"),))] == 2
    counted = {
        dict(labels)["method"]: value
        for (name, labels), value in sample.items()
        if name == "limber_bot_api_calls_total"
    }
    assert counted == recorded
    assert not any(name == "limber_bot_api_errors_total" for name, _ in sample)
    # One latency observation per update, under its route (what it asked for).
    handled = sum(v for (n, _), v in sample.items() if n == "limber_update_seconds_count")
    assert handled == 3
    assert ("limber_update_seconds_count", (("route", "command:start"),)) in sample
    assert sample[("limber_guided_sessions_active", ())] == 0
