"""Each test here gets a fresh PostgreSQL database (a copy of the migrated template), and a
test that restarts PostgreSQL itself runs only when nothing else runs beside it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from tests.conftest import fresh_postgres

ALONE = "restarts_postgres"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{ALONE}: restarts the machine's PostgreSQL, so it runs apart from every other test "
        "(.ci/run runs it in a step of its own; `make test`, on several workers, skips it)",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Under xdist with more than one worker, other PostgreSQL tests would lose their
    # connections while it restarts.
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if item.get_closest_marker(ALONE) is not None and workers > 1:
        pytest.skip(f"restarts PostgreSQL: run it alone (pytest -m {ALONE} tests/production)")


@pytest.fixture
async def pg_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """A fresh, migrated PostgreSQL database for this test only, as `DATABASE_URL`."""
    template = request.getfixturevalue("_postgres_template")
    async with fresh_postgres(template) as url:
        yield url
