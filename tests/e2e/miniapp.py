"""What the Mini App tests share: the bot with its web server serving the Mini App (polling,
with HEALTH_PORT, as `python -m bot` runs it), initData signed as Telegram signs it, calls to
the API over real HTTP, and the rows a call may change."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from init_data_py import sign
from sqlalchemy import select

from bot.server import health_server
from coach.clock import ManualClock
from coach.routine import SIDES, load_routine
from storage.models import LoggedSet, MiniAppCalls
from tests.harness import TOKEN, Harness, bot_settings, running_bot
from tests.processes import free_port


@dataclass
class MiniApp:
    """The running bot and its Mini App's base URL (…/app)."""

    harness: Harness
    base: str

    async def call(
        self,
        method: str,
        path: str,
        init_data: str | None,
        body: Any = None,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = dict(headers or {})
        if init_data is not None:
            sent["Authorization"] = f"tma {init_data}"
        if body is not None:
            content = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        async with httpx.AsyncClient() as client:
            return await client.request(method, f"{self.base}{path}", content=content, headers=sent)

    async def day(self, init_data: str | None) -> httpx.Response:
        return await self.call("GET", "/api/day", init_data)

    async def log(
        self, init_data: str | None, day: int, stretch: str, side: str, number: int
    ) -> httpx.Response:
        body = {"day": day, "stretch": stretch, "side": side, "number": number}
        return await self.call("POST", "/api/sets", init_data, body)

    async def whole_day(self, init_data: str, day: int, sets_per_side: int = 3) -> None:
        """Every set of the day, in session order, as the player sends them."""
        for stretch in load_routine().stretches:
            for side in SIDES:
                for number in range(1, sets_per_side + 1):
                    answer = await self.log(init_data, day, stretch.key, side, number)
                    assert answer.status_code == 200, answer.text

    async def finish(self, init_data: str, day: int) -> httpx.Response:
        return await self.call("POST", "/api/finish", init_data, {"day": day})


@asynccontextmanager
async def mini_app_bot(
    database_url: str, clock: ManualClock, **overrides: Any
) -> AsyncIterator[MiniApp]:
    """The bot, long polling the fake Telegram, with its web server on a free port serving
    the Mini App at /app/ (MINI_APP_URL names that server)."""
    port = free_port()
    options: dict[str, Any] = {
        "mini_app_url": f"http://127.0.0.1:{port}/app/",
        "health_port": port,
        "webhook_listen": "127.0.0.1",
        **overrides,
    }
    async with running_bot(database_url, clock, **options) as harness:
        settings = bot_settings(database_url, harness.api_url, **options)
        async with health_server(harness.app, settings) as base:
            assert base is not None
            yield MiniApp(harness, f"{base}/app")


def init_data(
    user_id: int | None,
    signed_at: datetime,
    *,
    token: str = TOKEN,
    language_code: str = "en",
) -> str:
    """initData as Telegram hands it to a Mini App opened by `user_id` (None: no user field),
    signed with `token` at `signed_at`."""
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "chat_type": "private"}
    if user_id is not None:
        user = {"id": user_id, "first_name": "Ann", "language_code": language_code}
        fields["user"] = json.dumps(user, separators=(",", ":"))
    return sign(fields, token, auth_date=signed_at)


async def logged_sets(harness: Harness, user_id: int) -> list[tuple[str, str, int]]:
    async with harness.services.db.read() as session:
        rows = await session.execute(
            select(LoggedSet.stretch_key, LoggedSet.side, LoggedSet.set_number)
            .where(LoggedSet.user_id == user_id)
            .order_by(LoggedSet.id)
        )
        return [(key, side, number) for key, side, number in rows]


async def counted_calls(harness: Harness, user_id: int) -> int:
    """The user's API calls counted in the current window (0: none counted at all)."""
    async with harness.services.db.read() as session:
        calls = await session.scalar(
            select(MiniAppCalls.calls).where(MiniAppCalls.user_id == user_id)
        )
        return int(calls or 0)
