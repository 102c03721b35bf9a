"""PostgreSQL goes away under a running bot and comes back: meanwhile users get the friendly
apology and /healthz answers 503; afterwards everything works again with no restart of the
bot (the pool checks each connection before use: storage.db, pool_pre_ping).

It stops the machine's PostgreSQL, so it runs alone (see tests/production/conftest.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from coach.texts import ENGLISH
from tests.conftest import _drop, _postgres_or_skip
from tests.production.cluster import add_due_users, cluster, reminders_by_chat, until_reminded
from tests.production.conftest import ALONE
from tests.production.session_walk import onboard, say

pytestmark = [pytest.mark.postgres, getattr(pytest.mark, ALONE)]

ANN = 7_003
DUE = range(60_000, 60_050)


async def _cluster_ctl(action: str, *, check: bool = True) -> None:
    process = await asyncio.create_subprocess_exec(
        "pg_ctlcluster", "15", "main", action, stderr=asyncio.subprocess.DEVNULL
    )
    code = await asyncio.wait_for(process.wait(), 60)
    assert code == 0 or not check, f"pg_ctlcluster {action} failed ({code})"


@pytest.fixture
async def restartable_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """Like `pg_url`, but holds no admin connection across the test (a restart ends it)."""
    template = request.getfixturevalue("_postgres_template")
    base = make_url(_postgres_or_skip())
    admin_dsn = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"limber_t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        await _cluster_ctl("start", check=False)  # whatever happened: up again (or already)
        for _ in range(100):
            try:
                admin = await asyncpg.connect(admin_dsn)
                break
            except (OSError, asyncpg.PostgresError):
                await asyncio.sleep(0.1)
        try:
            await _drop(admin, name)
        finally:
            await admin.close()


async def test_postgres_down_then_back_without_restarting_the_bot(
    restartable_url: str, tmp_path: Path
) -> None:
    async with cluster(tmp_path, restartable_url, instances=1) as c:
        await onboard(c, ANN)
        assert (await c.healthz(1)).status_code == 200

        await _cluster_ctl("stop")
        try:
            down = await c.healthz(1)
            apology = await say(c, ANN, "/progress", ENGLISH.ERROR_GENERIC)
        finally:
            await _cluster_ctl("start")

        # The first check after the restart may still meet a dead pooled connection.
        up = await c.healthz(1)
        for _ in range(50):
            if up.status_code == 200:
                break
            await asyncio.sleep(0.2)
            up = await c.healthz(1)
        answer = await say(c, ANN, "/progress", "")
        due = await add_due_users(restartable_url, c.fake, DUE)
        await until_reminded(restartable_url, due, len(DUE), timeout=30)
        received = reminders_by_chat(c.fake, DUE)
        errors = [m for m in c.fake.bot_messages(ANN) if m.text == ENGLISH.ERROR_GENERIC]

    assert down.status_code == 503 and down.json()["database_reachable"] is False
    assert apology == ENGLISH.ERROR_GENERIC
    assert up.status_code == 200 and up.json()["database_reachable"] is True
    assert answer != ENGLISH.ERROR_GENERIC
    assert len(errors) == 1  # only while it was down
    assert set(received.values()) == {1}
