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

from coach.clock import ManualClock
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
async def fresh_postgres(template: str | None = None) -> AsyncIterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards: empty, or a copy of the
    database named `template`."""
    import asyncpg

    base = make_url(_postgres_or_skip())
    name = f"limber_t_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    admin = await asyncpg.connect(admin_dsn)
    try:
        copy = f' TEMPLATE "{template}"' if template else ""
        await admin.execute(f'CREATE DATABASE "{name}"{copy}')
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


# Migrating costs ~0.1 s on SQLite and ~0.16 s on PostgreSQL, for every one of several
# hundred tests; so each test process migrates once into a template and copies it per test.


def _run_apart(coroutine: Any) -> Any:
    """Run `coroutine` to the end on a loop of its own: session fixtures are first asked for
    from inside a test's running loop, where asyncio.run is not allowed."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "limber.db"
    _run_apart(upgrade(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def _postgres_template() -> Iterator[str]:
    """A migrated database to copy (CREATE DATABASE … TEMPLATE), dropped at the end."""
    import asyncpg

    base = make_url(_postgres_or_skip())
    name = f"limber_tpl_{uuid.uuid4().hex[:12]}"
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(admin_dsn)
        try:
            if statement.startswith("DROP"):
                await _drop(connection, name)
            else:
                await connection.execute(statement)
        finally:
            await connection.close()

    _run_apart(admin(f'CREATE DATABASE "{name}"'))
    try:
        # upgrade() disposes its engine: nobody stays connected, which copying requires.
        _run_apart(upgrade(base.set(database=name).render_as_string(hide_password=False)))
        yield name
    finally:
        _run_apart(admin("DROP"))


def _copy_sqlite(template: Path, target: Path) -> None:
    import sqlite3

    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    try:
        source.backup(copy)  # the whole database, write-ahead log included
    finally:
        source.close()
        copy.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each test using this runs on a SQLite file and on PostgreSQL; schema from migrations
    (run once per test process, copied per test)."""
    if request.param == "sqlite":
        path = tmp_path / "limber.db"
        _copy_sqlite(request.getfixturevalue("_sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    _postgres_or_skip()
    template = request.getfixturevalue("_postgres_template")
    async with fresh_postgres(template) as url:
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
