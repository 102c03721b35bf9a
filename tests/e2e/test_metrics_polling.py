"""/metrics on HEALTH_PORT beside long polling: reminders sent, skipped and failed with their
lateness, and Telegram's 429s with the time they held every request back."""

from __future__ import annotations

import asyncio
from datetime import time, timedelta

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.server import health_server
from coach.clock import ManualClock
from coach.texts import ENGLISH
from handlers.reminders import run_tick
from playground.fake_telegram import Faults
from tests.e2e.test_webhook_server import free_port
from tests.harness import bot_settings, running_bot
from tests.helpers import WEDNESDAY_0730, _onboard, add_onboarded_users

EARLY_BIRD, BLOCKED = 6002, 6003
HELPERS = [6101, 6102, 6103, 6104]


def _samples(page: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


async def test_reminder_and_rate_limit_metrics(database_url: str, clock: ManualClock) -> None:
    async with running_bot(database_url, clock) as h:
        port = free_port()
        settings = bot_settings(
            database_url, h.api_url, health_port=port, webhook_listen="127.0.0.1"
        )
        async with health_server(h.app, settings) as url, httpx.AsyncClient() as client:
            assert url == f"http://127.0.0.1:{port}"
            await _onboard(h)  # reminders at 07:30 Berlin
            # Reminded at 04:00 Berlin: 3 h 30 late by then, so skipped to the next day.
            await add_onboarded_users(h.services.db, h.fake, [EARLY_BIRD], clock.now(), at=time(4))
            await add_onboarded_users(h.services.db, h.fake, [BLOCKED], clock.now())
            h.fake.blocked.add(BLOCKED)
            clock.set(WEDNESDAY_0730 + timedelta(seconds=90))
            assert await run_tick(h.app) == 1

            # Telegram allows two messages a second here; four users ask at once.
            h.fake.faults = Faults(rate_limit_per_second=2, retry_after=1, methods={"sendMessage"})
            await asyncio.gather(*(h.send(uid, "/help") for uid in HELPERS))
            page = (await client.get(f"{url}/metrics")).text
            health = await client.get(f"{url}/healthz")

    sample = _samples(page)
    assert sample[("limber_reminders_total", (("outcome", "sent"),))] == 1
    assert sample[("limber_reminders_total", (("outcome", "skipped"),))] == 1
    assert sample[("limber_reminders_total", (("outcome", "failed"),))] == 1
    assert sample[("limber_reminder_lateness_seconds_count", ())] == 1
    assert sample[("limber_reminder_lateness_seconds_sum", ())] == 90
    assert sample[("limber_reminder_lateness_seconds_bucket", (("le", "60.0"),))] == 0
    assert sample[("limber_reminder_lateness_seconds_bucket", (("le", "120.0"),))] == 1
    errors = ("limber_bot_api_errors_total", (("error", "403"), ("method", "sendMessage")))
    assert sample[errors] == 1  # the blocked user
    # Every 429 Telegram answered was counted, and each held sending back about a second.
    assert h.fake.limit_stats.answered_429 >= 1
    too_many = ("limber_bot_api_errors_total", (("error", "429"), ("method", "sendMessage")))
    assert sample[("limber_telegram_429_total", ())] == h.fake.limit_stats.answered_429
    assert sample[too_many] == h.fake.limit_stats.answered_429
    assert sample[("limber_telegram_429_halted_seconds_total", ())] >= 1.0
    assert all(
        any(ENGLISH.HELP_CREDIT in (m.text or "") for m in h.fake.bot_messages(uid))
        for uid in HELPERS
    )
    assert health.status_code == 200
