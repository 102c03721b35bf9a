"""Every row one user owns, for /export and /deleteme; walks `USER_TABLES` so no table is missed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import USER_REFERENCES, USER_TABLES, Base, LoggedSet, User
from storage.together import touch_boards_of


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def owner_column(model: type[Base]) -> Column[Any]:
    """The column that says whose row it is: `users.id` for the user, `user_id` elsewhere."""
    table = _table(model)
    return table.c.id if model is User else table.c.user_id


async def export_rows(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """`{table name: [row as {column: value}, …]}` for every user table, in a stable order."""
    result: dict[str, list[dict[str, Any]]] = {}
    for model in USER_TABLES:
        table = _table(model)
        owner = owner_column(model)
        primary = list(table.primary_key.columns)
        rows = await session.execute(select(table).where(owner == user_id).order_by(*primary))
        result[table.name] = [dict(row) for row in rows.mappings()]
    return result


async def delete_user_data(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Delete every row of the user, table by table, the user row last; `{table: rows deleted}`.

    Explicit per table rather than trusting ON DELETE CASCADE, which SQLite only honours
    when foreign keys are switched on for the connection.
    """
    # The boards they were on are redrawn without them at their next flush.
    await touch_boards_of(session, user_id)
    deleted: dict[str, int] = {}
    # Rows of others that name them (a buddy's side of the pairing): gone too.
    for model, column in USER_REFERENCES:
        outcome = await session.execute(delete(model).where(_table(model).c[column] == user_id))
        deleted[f"{_table(model).name}.{column}"] = outcome.rowcount  # type: ignore[attr-defined]
    # Children before the parent, so the deletes hold with foreign keys enforced too.
    ordered = [model for model in USER_TABLES if model is not User] + [User]
    for model in ordered:
        table = _table(model)
        outcome = await session.execute(delete(table).where(owner_column(model) == user_id))
        deleted[table.name] = outcome.rowcount  # type: ignore[attr-defined]
    # The identity map may still hold the deleted User; forget it so a later get() misses.
    session.expunge_all()
    return deleted


async def total_sets(session: AsyncSession, user_id: int) -> int:
    """Every set the user ever logged (the all-time total /progress shows)."""
    count = await session.scalar(select(func.count()).where(LoggedSet.user_id == user_id))
    return int(count or 0)
