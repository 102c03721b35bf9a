"""Background upkeep jobs that no user triggers."""

from __future__ import annotations

import logging

from handlers.context import LimberContext
from storage import updates

# How often the records of handled webhook updates are pruned (storage.updates.KEPT).
PRUNE_SECONDS = 3600.0

log = logging.getLogger(__name__)


async def checkpoint(context: LimberContext) -> None:
    """SQLite only: fold the write-ahead log back into the database (see storage.db)."""
    pages = await context.services.db.checkpoint()
    log.debug("SQLite checkpoint: (log pages, copied) = %s", pages)


async def prune(context: LimberContext) -> None:
    """Drop the records of webhook updates handled longer ago than a redelivery could come."""
    services = context.services
    async with services.db.transaction() as session:
        dropped = await updates.forget_old(session, services.clock.now())
    log.debug("Dropped %d records of handled updates", dropped)
