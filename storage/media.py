"""Queries on the media cache: which file_id Telegram gave this bot for a picture's bytes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import upsert_insert
from storage.models import MediaCache


async def file_id(
    session: AsyncSession, bot_id: int, asset_key: str, content_hash: str
) -> str | None:
    return await session.scalar(
        select(MediaCache.file_id).where(
            MediaCache.bot_id == bot_id,
            MediaCache.asset_key == asset_key,
            MediaCache.content_hash == content_hash,
        )
    )


async def remember(
    session: AsyncSession, bot_id: int, asset_key: str, content_hash: str, file_id: str
) -> None:
    """Store or replace (a re-upload after Telegram rejected the old id) a picture's file_id."""
    statement = upsert_insert(session, MediaCache).values(
        bot_id=bot_id, asset_key=asset_key, content_hash=content_hash, file_id=file_id
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[MediaCache.bot_id, MediaCache.asset_key, MediaCache.content_hash],
            set_={"file_id": file_id},
        )
    )
