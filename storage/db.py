"""Engine and session factory: one transaction per update or job, committed once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 15_000
# SQLite copies its write-ahead log back into the database file (a checkpoint) inside
# whichever commit finds the log over `wal_autocheckpoint` pages. A reminder batch of 1,000
# writes ~2,000 pages, so with the default of 1,000 every busy tick paid ~40 ms for it, and
# so could any user's tap. The app checkpoints from a background job instead
# (`Database.checkpoint`, every SQLITE_CHECKPOINT_SECONDS); the automatic one stays as a
# backstop that keeps the log under ~40 MB should the job not run.
SQLITE_AUTOCHECKPOINT_PAGES = 10_000
SQLITE_CHECKPOINT_SECONDS = 60.0
_READ_ONLY = "limber_read_only"  # execution option of `Database.read`'s connections


# What a query function runs on: an update's ORM session, or a job's Core connection.
Executor = AsyncSession | AsyncConnection


def upsert_insert(executor: AsyncSession | AsyncConnection, table: Any) -> Any:
    """`INSERT` for this database with ON CONFLICT support (PostgreSQL's or SQLite's).

    Upserts and insert-or-ignore let concurrent writers race without failing or aborting
    their transaction; the two dialects spell the construct alike but in separate modules.
    """
    bind = executor if isinstance(executor, AsyncConnection) else executor.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True, **kwargs)

    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN instead of the driver, so it
        # can be BEGIN IMMEDIATE: a read-then-write transaction then takes the write lock
        # up front and waits its turn, instead of failing with "database is locked".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class Database:
    """The engine plus the one helper that hands out transactional sessions."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Same pool, connections marked read-only: on SQLite they BEGIN without IMMEDIATE.
        self._readers = async_sessionmaker(
            self.engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False
        )
        # SQLite has one writer at a time (BEGIN IMMEDIATE). Left to SQLite, the others wait
        # in its busy handler, which polls with sleeps of up to 100 ms: under concurrent
        # updates a 5 ms transaction could keep the next one waiting twenty times as long.
        # Queued here, each starts the moment the previous one ends. Another process still
        # waits in SQLite's busy handler, so this is a fast path, not the guarantee.
        self._sqlite_writer = asyncio.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def _turn(self) -> AbstractAsyncContextManager[Any]:
        return self._sqlite_writer or nullcontext()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self._turn(), self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading only: it waits for no writer. On SQLite (WAL) it sees the
        last commit and runs beside the one writer, so a tap that only needs to look (is this
        button still live?) is not queued behind every other user's write. Writing in it is
        a bug; on SQLite it may fail with "database is locked"."""
        async with self._readers() as session, session.begin():
            yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection inside one transaction, with no ORM session (for bulk jobs)."""
        async with self._turn(), self.engine.begin() as connection:
            yield connection

    async def checkpoint(self) -> tuple[int, int] | None:
        """SQLite: copy the write-ahead log into the database file (PASSIVE: it waits for no
        reader or writer). Returns (pages in the log, pages copied); None on PostgreSQL."""
        if not self.is_sqlite:
            return None
        async with self.engine.connect() as connection:
            # Outside any transaction (a checkpoint cannot run inside one), so on the driver's
            # connection: SQLAlchemy would begin one first (BEGIN IMMEDIATE, see create_engine).
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            cursor = await driver.execute("PRAGMA wal_checkpoint(PASSIVE)")
            _busy, log_pages, copied = await cursor.fetchone()
            await cursor.close()
        return log_pages, copied

    async def ping(self) -> None:
        """One round trip to the database (for /healthz); raises when it cannot be reached."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
