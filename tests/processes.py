"""`python -m bot` as a real process, for the tests that run it: its environment, a free port,
and its output in a file (a pipe nobody reads fills up, and the bot would stop mid-write)."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.harness import TOKEN

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_env(workdir: Path, **values: str) -> dict[str, str]:
    """The environment of a bot process run from `workdir` (its SQLite file there), with the
    tests' token; `values` adds or overrides settings."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'bot.db'}",
        **values,
    }


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log: Path

    def output(self, tail: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-tail:]

    async def stopped(self, timeout: float) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)


async def start_bot(
    workdir: Path, env: dict[str, str], *args: str, log: str = "bot.log"
) -> BotProcess:
    """Start `python -m bot ARGS` in `workdir`, its output appended to `workdir/log`."""
    path = workdir / log
    with path.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, cwd=workdir, env=env,
            stdout=out, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    return BotProcess(process, path)


async def when_listening(url: str, method: str = "GET", **request: Any) -> httpx.Response:
    """The answer to a request, sent again until something listens on `url` (a server may
    start a moment after the fact a test waits for)."""
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                return await client.request(method, url, **request)
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
    raise AssertionError(f"nothing listens on {url}")
