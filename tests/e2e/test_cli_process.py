"""`python -m bot` as a real process, talking to a Bot API server named by TELEGRAM_API_URL,
by long polling and by webhook."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest

from coach.texts import ENGLISH
from ops.web import serve
from playground.fake_telegram import FakeTelegram, create_app
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
USER = 777
SECRET = "webhook-secret-for-tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _post_when_listening(url: str, body: dict[str, int]) -> httpx.Response:
    # setWebhook may reach Telegram a moment before the webhook server accepts connections.
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                return await client.post(url, json=body)
            except httpx.ConnectError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"nothing listens on {url}")


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_the_bot_process_answers_start_and_help(tmp_path: Path, mode: str) -> None:
    fake = FakeTelegram(TOKEN)
    async with serve(create_app(fake)) as api_url:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "PYTHONPATH": str(ROOT),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            "LOG_LEVEL": "DEBUG",
        }
        hook = ""
        if mode == "webhook":
            port = _free_port()
            hook = f"http://127.0.0.1:{port}/limber/hook"
            env |= {
                "WEBHOOK_URL": hook,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(port),
                "WEBHOOK_SECRET": SECRET,
            }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            # The process applies migrations, registers its commands, then listens.
            await fake.wait_for(lambda: fake.commands, timeout=60)
            if mode == "webhook":
                await fake.wait_for(lambda: any(m == "setWebhook" for m, _ in fake.calls))
                forged = await _post_when_listening(hook, {"update_id": 1})
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
            process.send_signal(signal.SIGINT)
            output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    log = output.decode()
    assert "Limber" in (fake.bot_messages(USER)[0].text or "")
    assert "/stretch — " in (help_reply.text or "")
    assert process.returncode == 0, log
    assert TOKEN not in log
    assert SECRET not in log


async def test_without_a_token_make_runs_command_starts_the_playground(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "PLAYGROUND_PORT": str(port),
    }
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
