"""Background upkeep jobs that no user triggers."""

from __future__ import annotations

import logging

from handlers.context import LimberContext

log = logging.getLogger(__name__)


async def checkpoint(context: LimberContext) -> None:
    """SQLite only: fold the write-ahead log back into the database (see storage.db)."""
    pages = await context.services.db.checkpoint()
    log.debug("SQLite checkpoint: (log pages, copied) = %s", pages)
