"""`python -m bot` as a real process, talking to a Bot API server named by TELEGRAM_API_URL,
by long polling and by webhook."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import httpx
import pytest

from coach.texts import ENGLISH
from ops.web import serve
from playground.fake_telegram import FakeTelegram, create_app
from tests.harness import TOKEN
from tests.processes import bot_env, free_port, start_bot, when_listening

USER = 777
SECRET = "webhook-secret-for-tests"


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_the_bot_process_answers_start_and_help(tmp_path: Path, mode: str) -> None:
    fake = FakeTelegram(TOKEN)
    async with serve(create_app(fake)) as api_url:
        env = bot_env(tmp_path, TELEGRAM_API_URL=api_url, LOG_LEVEL="DEBUG")
        hook = ""
        if mode == "webhook":
            port = free_port()
            hook = f"http://127.0.0.1:{port}/limber/hook"
            env |= {
                "WEBHOOK_URL": hook,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_SECRET": SECRET,
            }
        bot = await start_bot(tmp_path, env)
        try:
            # The process applies migrations, registers its commands, then listens.
            await fake.wait_for(lambda: fake.commands, timeout=60)
            if mode == "webhook":
                await fake.wait_for(lambda: any(m == "setWebhook" for m, _ in fake.calls))
                forged = await when_listening(hook, "POST", json={"update_id": 1})
                assert forged.status_code == 403  # no secret header: not from Telegram
            fake.send_text(USER, "/start")
            await fake.wait_for(lambda: fake.bot_messages(USER), timeout=30)
            fake.send_text(USER, "/help")
            help_reply = await fake.wait_for(
                lambda: next(
                    (m for m in fake.bot_messages(USER) if ENGLISH.HELP_CREDIT in (m.text or "")),
                    None,
                ),
                timeout=30,
            )
        finally:
            bot.process.send_signal(signal.SIGINT)
            returncode = await bot.stopped(timeout=30)
    log = bot.log.read_text()
    assert "Limber" in (fake.bot_messages(USER)[0].text or "")
    assert "/stretch — " in (help_reply.text or "")
    assert returncode == 0, log
    assert TOKEN not in log
    assert SECRET not in log


async def test_without_a_token_make_runs_command_starts_the_playground(tmp_path: Path) -> None:
    port = free_port()
    env = bot_env(tmp_path, PLAYGROUND_PORT=str(port))
    del env["BOT_TOKEN"], env["DATABASE_URL"]
    # What `make run` runs; the working directory is a fresh checkout's, with no .env.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run-or-playground", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        first = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        second = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        async with httpx.AsyncClient() as client:
            page = await client.get(f"http://127.0.0.1:{port}/")
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), timeout=30)
    assert first.decode().strip() == "No BOT_TOKEN set: starting the offline playground instead."
    assert f"http://127.0.0.1:{port}" in second.decode()
    assert page.status_code == 200
    assert "<html" in page.text.lower()
    assert process.returncode == 0
    assert (tmp_path / "data" / "playground.db").exists()
