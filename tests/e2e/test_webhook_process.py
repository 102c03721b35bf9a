"""`python -m bot` as a real process in production shape: webhook mode with JSON logs, a clean
SIGTERM while an update is in flight, and polling mode with HEALTH_PORT."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from coach.texts import ENGLISH
from ops.web import serve
from playground.fake_telegram import FakeTelegram, Faults, create_app
from tests.e2e.test_webhook_server import free_port
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
USER = 778
SECRET = "webhook-secret-for-process-tests"
FIRST_UPDATE_ID = 500_000_001  # the fake numbers its updates from here


def _env(tmp_path: Path, api_url: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        **extra,
    }


async def _get_when_listening(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                return await client.get(url)
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {url}")


def _api_calls(page: str) -> dict[str, float]:
    return {
        sample.labels["method"]: sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
        if sample.name == "limber_bot_api_calls_total"
    }


async def test_webhook_process_json_logs_and_a_clean_sigterm(tmp_path: Path) -> None:
    fake = FakeTelegram(TOKEN)
    async with serve(create_app(fake)) as api_url:
        port = free_port()  # once the fake has its port, so the two never meet
        base = f"http://127.0.0.1:{port}"
        env = _env(
            tmp_path,
            api_url,
            WEBHOOK_URL=f"{base}/limber/hook",
            WEBHOOK_LISTEN="127.0.0.1",
            WEBHOOK_PORT=str(port),
            WEBHOOK_SECRET=SECRET,
            WEBHOOK_MAX_CONNECTIONS="12",
            LOG_FORMAT="json",
            LOG_LEVEL="DEBUG",
        )
        # To a file, not a pipe: DEBUG logs outgrow a pipe's buffer, and a full pipe would
        # stop the bot mid-write until the test reads it.
        log_file = tmp_path / "bot.log"
        with log_file.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=tmp_path, env=env,
                stdout=out, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
        try:
            await fake.wait_for(lambda: fake.updates.webhook.get("url"), timeout=60)
            assert fake.updates.webhook["secret_token"] == SECRET
            assert fake.updates.webhook["max_connections"] == 12
            assert fake.updates.webhook_info()["allowed_updates"] == [
                "message",
                "callback_query",
                "my_chat_member",
            ]
            fake.send_text(USER, "/start")
            await fake.wait_for(lambda: fake.bot_messages(USER), timeout=30)
            health = await _get_when_listening(f"{base}/healthz")
            async with httpx.AsyncClient() as client:
                metrics = await client.get(f"{base}/metrics")
            recorded = Counter(method for method, _ in fake.calls)

            # An update in flight when SIGTERM arrives: its answer is held up at Telegram.
            fake.faults = Faults(delay_seconds=1.5, methods={"sendMessage"})
            calls_before = len(fake.calls)
            fake.send_text(USER, "/help")
            await fake.wait_for(
                lambda: any(m == "sendMessage" for m, _ in fake.calls[calls_before:]), timeout=30
            )
            process.send_signal(signal.SIGTERM)
            asked_to_stop = time.monotonic()
            await asyncio.wait_for(process.wait(), timeout=30)
            stopped_after = time.monotonic() - asked_to_stop
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = log_file.read_text()
    assert process.returncode == 0, log
    assert stopped_after < 10
    # The update in flight was finished: the user got their answer.
    assert any(ENGLISH.HELP_CREDIT in (m.text or "") for m in fake.bot_messages(USER))

    assert health.status_code == 200
    assert health.json()["database_reachable"] is True
    assert _api_calls(metrics.text) == recorded

    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    start_lines = [line for line in lines if line.get("update_id") == FIRST_UPDATE_ID]
    assert start_lines, "no log line inside the /start update"
    assert all(line["user_id"] == USER for line in start_lines)
    assert all(line.get("route") == "command:start" for line in start_lines)
    assert any(line["message"] == "Stopped cleanly" for line in lines)
    assert TOKEN not in log
    assert SECRET not in log


async def test_polling_process_deletes_the_webhook_and_serves_health(tmp_path: Path) -> None:
    fake = FakeTelegram(TOKEN)
    async with serve(create_app(fake)) as api_url:
        health_port = free_port()
        env = _env(tmp_path, api_url, HEALTH_PORT=str(health_port), WEBHOOK_LISTEN="127.0.0.1")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            await fake.wait_for(lambda: fake.commands, timeout=60)
            fake.send_text(USER, "/start")
            await fake.wait_for(lambda: fake.bot_messages(USER), timeout=30)
            health = await _get_when_listening(f"http://127.0.0.1:{health_port}/healthz")
            async with httpx.AsyncClient() as client:
                metrics = await client.get(f"http://127.0.0.1:{health_port}/metrics")
                hook = await client.post(f"http://127.0.0.1:{health_port}/", json={})
        finally:
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, output.decode()
    assert any(method == "deleteWebhook" for method, _ in fake.calls)
    polls = [params for method, params in fake.calls if method == "getUpdates"]
    assert polls[0]["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert health.status_code == 200
    assert health.json()["database_reachable"] is True
    assert _api_calls(metrics.text)["sendMessage"] >= 1
    assert hook.status_code in (404, 405)  # polling: nothing takes updates over HTTP
