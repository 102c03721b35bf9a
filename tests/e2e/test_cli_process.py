"""`python -m bot` as a real process, talking to a Bot API server named by TELEGRAM_API_URL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot import texts
from playground.fake_telegram import FakeTelegram, create_app
from playground.server import serve
from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[2]
USER = 777


async def test_the_bot_process_answers_start_and_help_through_the_api_url(tmp_path: Path) -> None:
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
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        try:
            # The process applies migrations, registers its commands, then long-polls.
            await fake.wait_for(lambda: fake.commands, timeout=60)
            fake.send_text(USER, "/start")
            await fake.wait_for(lambda: fake.bot_messages(USER), timeout=30)
            fake.send_text(USER, "/help")
            help_reply = await fake.wait_for(
                lambda: next(
                    (m for m in fake.bot_messages(USER) if texts.HELP_CREDIT in (m.text or "")),
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
    assert (tmp_path / "bot.db").exists()
