"""Shared fixtures: databases (SQLite file, PostgreSQL when configured), the fake Telegram,
and the real bot running against it over loopback HTTP."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from storage.migrate import upgrade

if TYPE_CHECKING:
    from tests.harness import Harness

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Tests that call configure_logging must not leave DEBUG logging on for the rest."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


REQUIRE_POSTGRES = os.environ.get("LIMBER_REQUIRE_POSTGRES") == "1"


def _postgres_or_skip() -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    if REQUIRE_POSTGRES:
        pytest.fail("LIMBER_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
    pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (CI sets it)")


@asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import asyncpg

    base = make_url(_postgres_or_skip())
    name = f"limber_t_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await _drop(admin, name)
        await admin.close()


async def _drop(admin: Any, name: str) -> None:
    """DROP … WITH (FORCE) ends our own connections, but not an autovacuum worker that
    happens to be in the database (a superuser's): that one finishes in a moment, so retry."""
    import asyncpg

    for attempt in range(50):
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (asyncpg.InsufficientPrivilegeError, asyncpg.ObjectInUseError):
            if attempt == 49:
                raise
            await asyncio.sleep(0.1)


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with fresh_postgres() as url:
        await upgrade(url)
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each test using this runs on a SQLite file and on PostgreSQL; schema from migrations."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'limber.db'}"
        await upgrade(url)
        yield url
        return
    async with fresh_postgres() as url:
        await upgrade(url)
        yield url


@pytest.fixture
def clock() -> ManualClock:
    # A Tuesday morning in Berlin; tests move it explicitly.
    return ManualClock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))


@pytest.fixture
async def harness(database_url: str, clock: ManualClock) -> AsyncIterator[Harness]:
    """The real Application, long polling the fake Telegram over HTTP, on a real database."""
    from tests.harness import running_bot

    async with running_bot(database_url, clock) as h:
        yield h
