"""Production-shaped runs: several `python -m bot` processes in webhook mode on one PostgreSQL,
a round-robin balancer in front of their webhook ports (as nginx's `upstream` would be), and
the fake Telegram with every Bot API call metered: which instance made it, for which chat,
when it arrived, when and how it was answered."""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import gc
import re
import signal
import time
from collections import Counter
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    MutableMapping,
)
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from coach.texts import ENGLISH
from ops.web import serve
from playground.fake_state import ChatState
from playground.fake_telegram import FakeTelegram, create_app
from playground.fake_types import chat_json
from storage.db import Database
from storage.models import ReminderSent, User
from tests.harness import TOKEN
from tests.processes import BotProcess, bot_env, free_port, start_bot

SECRET = "production-tests-webhook-secret"
HOOK_PATH = "/limber/hook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TICK_SECONDS = 0.5

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class Call:
    """One Bot API request as the fake Telegram saw it (times are time.monotonic())."""

    instance: int  # the bot process that made it (its TELEGRAM_API_URL ends in /i<n>)
    started: float
    method: str = ""
    chat_id: int | None = None
    answered: float | None = None
    status: int | None = None  # 499: the bot went away before the answer


_current: ContextVar[Call | None] = ContextVar("production_call", default=None)


class MeteredCalls(list[tuple[str, dict[str, Any]]]):
    """`FakeTelegram.calls` that also fills in the `Call` of the request that made it."""

    def __init__(self, records: list[Call]) -> None:
        super().__init__()
        self.records = records

    def append(self, item: tuple[str, dict[str, Any]]) -> None:
        call = _current.get()
        if call is not None:
            call.method = item[0]
            chat = item[1].get("chat_id")
            call.chat_id = int(chat) if isinstance(chat, int | str) else None
            self.records.append(call)
        super().append(item)


class Meter:
    """The fake's ASGI app behind per-instance roots: `/i<n>/bot<token>/<method>`."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.app: Starlette = create_app(fake)
        self.state = self.app.state  # serve() calls state.before_shutdown on the way out
        self.calls: list[Call] = []
        fake.calls = MeteredCalls(self.calls)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        instance, path = 0, scope["path"]
        tagged = re.fullmatch(r"/i(\d+)(/.*)", path)
        if tagged:
            instance, path = int(tagged[1]), tagged[2]
            scope = {**scope, "path": path, "raw_path": path.encode()}
        call = Call(instance, time.monotonic())

        async def metered_send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                call.status, call.answered = message["status"], time.monotonic()
            await send(message)

        token = _current.set(call)
        try:
            await self.app(scope, receive, metered_send)
        finally:
            _current.reset(token)

    def sends(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method]


class Balancer:
    """Posts each webhook request to the next instance in turn; one that does not answer
    is passed over (nginx's proxy_next_upstream), so a dead instance loses no update."""

    def __init__(self) -> None:
        self.ports: dict[int, int] = {}  # instance → its WEBHOOK_PORT
        self.taken: Counter[int] = Counter()  # updates each instance took
        self._turn = 0
        self._client = httpx.AsyncClient(timeout=10)
        self.app = Starlette(routes=[Route(HOOK_PATH, self._forward, methods=["POST"])])

    async def _forward(self, request: Request) -> Response:
        body = await request.body()
        headers = {SECRET_HEADER: request.headers.get(SECRET_HEADER, "")}
        headers["Content-Type"] = "application/json"
        for _ in range(len(self.ports)):
            instances = sorted(self.ports)
            instance = instances[self._turn % len(instances)]
            self._turn += 1
            url = f"http://127.0.0.1:{self.ports[instance]}{HOOK_PATH}"
            try:
                answer = await self._client.post(url, content=body, headers=headers)
            except httpx.TransportError:
                continue
            self.taken[instance] += 1
            return Response(status_code=answer.status_code)
        return Response(status_code=502)

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass
class Instance(BotProcess):
    """One bot process of the cluster, and the port its webhook server listens on."""

    instance: int = 0
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    """The fake Telegram, the balancer, and the bot processes of one test."""

    fake: FakeTelegram
    meter: Meter
    balancer: Balancer
    api_url: str
    hook_url: str
    workdir: Path
    database_url: str
    env: dict[str, str]
    bots: dict[int, Instance] = field(default_factory=dict)

    async def start(self, instance: int, **env: str) -> Instance:
        """Start instance `instance` (again, after a stop) and wait until it serves."""
        port = self.balancer.ports.get(instance) or free_port()
        settings = {
            "TELEGRAM_API_URL": f"{self.api_url}/i{instance}",
            "DATABASE_URL": self.database_url,
            "WEBHOOK_URL": self.hook_url,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": SECRET,
            "REMINDER_TICK_SECONDS": str(TICK_SECONDS),
            # The fake has no limit unless a test sets one: pacing would only make tests slow.
            "TELEGRAM_MESSAGES_PER_SECOND": "1000",
            "LOG_LEVEL": "WARNING",
        }
        values = bot_env(self.workdir, **{**settings, **self.env, **env})
        started = await start_bot(self.workdir, values, log=f"bot{instance}.log")
        bot = self.bots[instance] = Instance(started.process, started.log, instance, port)
        await self._until_serving(bot)
        self.balancer.taken[instance] = 0  # a new process counts its updates from 0
        self.balancer.ports[instance] = port
        return bot

    async def settled(self, timeout: float = 20) -> None:
        """Wait until every serving instance has finished each update the balancer gave it
        (its /metrics counts an update once handled), as if the user's next act came later."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                waiting = {}
                for instance in list(self.balancer.ports):
                    page = await client.get(f"{self.bots[instance].url}/metrics")
                    handled = _updates_handled(page.text)
                    if handled < self.balancer.taken[instance]:
                        waiting[instance] = (handled, self.balancer.taken[instance])
                if not waiting:
                    return
                if time.monotonic() > deadline:
                    raise AssertionError(f"updates (handled, taken) still open: {waiting}")
                await asyncio.sleep(0.02)

    async def _until_serving(self, bot: Instance) -> None:
        async with httpx.AsyncClient() as client:
            for _ in range(600):
                if bot.process.returncode is not None:
                    raise AssertionError(f"bot {bot.instance} exited:\n{bot.output()}")
                with contextlib.suppress(httpx.TransportError):
                    await client.get(f"{bot.url}/healthz")
                    return
                await asyncio.sleep(0.05)
        raise AssertionError(f"bot {bot.instance} does not listen:\n{bot.output()}")

    def kill(self, instance: int) -> None:
        """kill -9: no shutdown at all."""
        self.balancer.ports.pop(instance, None)
        self.bots[instance].process.kill()

    def terminate(self, instance: int) -> None:
        """SIGTERM, as a process manager stops it; the balancer stops sending it updates."""
        self.balancer.ports.pop(instance, None)
        self.bots[instance].process.send_signal(signal.SIGTERM)

    async def healthz(self, instance: int) -> httpx.Response:
        async with httpx.AsyncClient(timeout=10) as client:
            return await client.get(f"{self.bots[instance].url}/healthz")

    async def ticks_run(self) -> dict[int, float]:
        """How many reminder ticks each serving instance has finished (its /metrics)."""
        counted = {}
        async with httpx.AsyncClient(timeout=10) as client:
            for instance in list(self.balancer.ports):
                page = await client.get(f"{self.bots[instance].url}/metrics")
                counted[instance] = _sample(page.text, "limber_reminder_ticks_total")
        return counted

    async def after_ticks(self, count: int, timeout: float = 60) -> None:
        """Wait until every serving instance has finished `count` more reminder ticks."""
        before = await self.ticks_run()
        deadline = time.monotonic() + timeout
        while any(n < before.get(i, 0) + count for i, n in (await self.ticks_run()).items()):
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} more ticks after {timeout} s")
            await asyncio.sleep(0.05)


def _updates_handled(page: str) -> int:
    return int(_sample(page, "limber_updates_total"))


def _sample(page: str, name: str) -> float:
    """The sum of a /metrics page's samples called `name` (over all their labels)."""
    return sum(
        sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
        if sample.name == name
    )


@asynccontextmanager
async def cluster(
    workdir: Path, database_url: str, instances: int = 3, **env: str
) -> AsyncIterator[Cluster]:
    """The fake Telegram and `instances` bot processes on `database_url`, all serving."""
    fake = FakeTelegram(TOKEN)
    meter = Meter(fake)
    balancer = Balancer()
    with _no_collector_pauses():
        try:
            async with _serving(fake, meter, balancer, workdir, database_url, instances, env) as c:
                yield c
        finally:
            await balancer.aclose()


@contextlib.contextmanager
def _no_collector_pauses() -> Iterator[None]:
    """The fake Telegram stands in for Telegram's servers, which this process's garbage
    collector does not pause. A full collection here (~100 ms, with thousands of users' chats
    in the fake) holds the bots' requests in the socket, and the fake then stamps them as one
    burst: in the cluster bench each 429 followed such a pause, with sends from two instances
    stamped within 2 ms after 34 ms apart before it. So the collector waits until the run is
    over (its garbage is a few MB)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@asynccontextmanager
async def _serving(
    fake: FakeTelegram,
    meter: Meter,
    balancer: Balancer,
    workdir: Path,
    database_url: str,
    instances: int,
    env: dict[str, str],
) -> AsyncIterator[Cluster]:
    async with serve(meter) as api_url, serve(balancer.app) as balancer_url:
        found = Cluster(
            fake, meter, balancer, api_url, f"{balancer_url}{HOOK_PATH}",
            workdir, database_url, env,
        )  # fmt: skip
        try:
            await asyncio.gather(*(found.start(n) for n in range(1, instances + 1)))
            # Each instance sets the (same) webhook once it listens.
            await fake.wait_for(
                lambda: sum(m == "setWebhook" for m, _ in fake.calls) >= instances, 30
            )
            yield found
        finally:
            for bot in found.bots.values():
                if bot.process.returncode is None:
                    bot.process.kill()
                await bot.process.wait()


# ---- the database, read and written as the test sees it ---------------------------------


async def add_due_users(database_url: str, fake: FakeTelegram, ids: Iterable[int]) -> datetime:
    """Users whose reminder (UTC, at a minute a few minutes ago) is due now; returns when."""
    now = datetime.now(UTC)
    due = (now - timedelta(minutes=5)).replace(second=0, microsecond=0)
    await _add_users(database_url, fake, ids, "Ann", reminder_time=due.time(), next_reminder_at=due)
    return due


async def _add_users(
    database_url: str, fake: FakeTelegram, ids: Iterable[int], name: str, **columns: Any
) -> None:
    """Onboarded users in UTC, with their private chats at the fake; `columns` sets the rest."""
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            for uid in ids:
                session.add(
                    User(
                        id=uid, chat_id=uid, first_name=name, time_zone="UTC", blocked=False,
                        **columns,
                    )
                )  # fmt: skip
                fake.chats.setdefault(uid, ChatState(chat_json(uid, "private", name)))
    finally:
        await db.dispose()


@dataclass
class Standing:
    reminded: int  # reminders_sent rows
    leased: int  # users whose lease_until is set
    due: int  # users whose next reminder is not after `due`


async def standing(database_url: str, due: datetime) -> Standing:
    db = Database(database_url)
    try:
        async with db.read() as session:
            reminded = await session.scalar(select(func.count()).select_from(ReminderSent))
            leased = await session.scalar(
                select(func.count()).select_from(User).where(User.lease_until.is_not(None))
            )
            still_due = await session.scalar(
                select(func.count()).select_from(User).where(User.next_reminder_at <= due)
            )
    finally:
        await db.dispose()
    return Standing(int(reminded or 0), int(leased or 0), int(still_due or 0))


async def until_reminded(database_url: str, due: datetime, count: int, timeout: float) -> Standing:
    """Wait until `count` users were reminded and none is claimed or due any more."""
    deadline = time.monotonic() + timeout
    while True:
        now = await standing(database_url, due)
        if now.reminded >= count and now.leased == 0 and now.due == 0:
            return now
        if time.monotonic() > deadline:
            raise AssertionError(f"after {timeout} s: {now}")
        await asyncio.sleep(0.25)


def reminders_by_chat(fake: FakeTelegram, chats: Iterable[int]) -> Counter[int]:
    """How many reminder messages each chat has at the fake (what its user saw)."""
    found: Counter[int] = Counter()
    for chat in chats:
        state = fake.chats.get(chat)
        messages = state.messages.values() if state else []
        found[chat] = sum(
            1 for m in messages if m.from_bot and (m.text or "").startswith(ENGLISH.REMINDER)
        )
    return found


def most_in_one_second(calls: list[Call]) -> int:
    """The most calls to chats the fake saw within any one second."""
    times = sorted(c.started for c in calls if c.chat_id is not None)
    return max((bisect.bisect_left(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


async def open_sessions(c: Cluster, database_url: str, users: Iterable[int]) -> None:
    """`users` set up earlier (reminders at noon UTC, not due), each with /stretch open."""
    users = list(users)
    await _add_users(database_url, c.fake, users, "Tom", reminder_time=clock_time(12, 0))
    for uid in users:
        c.fake.send_text(uid, "/stretch")

    def all_open() -> bool:
        return all(
            (m := c.fake.last_bot_message(uid)) is not None and m.photo_file_id is not None
            for uid in users
        )

    await c.fake.wait_for(all_open, 60)
    await c.settled()


async def claimed(database_url: str, due: Iterable[int]) -> set[int]:
    """Of `due`, users claimed (leased) and not yet reminded: the reminders queued right now."""
    db = Database(database_url)
    try:
        async with db.read() as session:
            leased = set(
                await session.scalars(select(User.id).where(User.lease_until.is_not(None)))
            )
            reminded = set(await session.scalars(select(ReminderSent.user_id)))
    finally:
        await db.dispose()
    return (leased & set(due)) - reminded
