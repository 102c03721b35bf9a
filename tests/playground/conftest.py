"""Fixtures for the fake Telegram's own tests: the fake served over loopback HTTP and a real
PTB Bot talking to it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot

from ops.web import serve
from playground.fake_telegram import FakeTelegram, create_app
from tests.playground.helpers import TOKEN, USER


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
async def clean_server() -> AsyncIterator[None]:
    """Every test ends with no server errors logged and no task left running.

    Autouse fixtures are set up first, so this runs after the server fixtures have stopped."""
    collect = _Collect()
    logging.getLogger("uvicorn").addHandler(collect)
    try:
        yield
    finally:
        logging.getLogger("uvicorn").removeHandler(collect)
    assert [r.getMessage() for r in collect.records] == []
    leftover = asyncio.all_tasks() - {asyncio.current_task()}
    assert leftover == set()


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
