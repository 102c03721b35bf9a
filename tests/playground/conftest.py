"""Fixtures for the fake Telegram's own tests: the fake served over loopback HTTP and a real
PTB Bot talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot

from playground.fake_telegram import FakeTelegram, create_app
from playground.server import serve
from tests.playground.helpers import TOKEN, USER


@pytest.fixture
def fake() -> FakeTelegram:
    return FakeTelegram(TOKEN)


@pytest.fixture
async def api_url(fake: FakeTelegram) -> AsyncIterator[str]:
    async with serve(create_app(fake)) as url:
        yield url


@pytest.fixture
async def bot(api_url: str) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot") as bot:
        yield bot


@pytest.fixture
async def control(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=f"{api_url}/control") as client:
        yield client


@pytest.fixture
def chat(fake: FakeTelegram) -> int:
    """A private chat where the user has written once, so the bot may write to it."""
    fake.send_text(USER, "/start")
    return USER
