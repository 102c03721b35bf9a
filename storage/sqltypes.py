"""Column types for instants and times of day, with SQLite conversions done by `datetime`'s C code.

SQLite has no date types: SQLAlchemy stores them as text ("2026-11-24 08:00:00.000000",
"07:30:00.000000") and converts each value in Python with a %-format on the way in and a
regular expression on the way out. The reminder tick moves thousands of such values per
batch, so on SQLite these types keep exactly that text but convert it with
`isoformat`/`fromisoformat`, several times faster. PostgreSQL keeps its native types.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import DateTime, Time, TypeDecorator
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

Convert = Callable[[Any], Any]


class _SQLiteDateTime(sqlite.DATETIME):
    """SQLAlchemy's SQLite DATETIME text, always with microseconds (its storage format)."""

    def bind_processor(self, dialect: Dialect) -> Convert:
        return lambda value: None if value is None else value.isoformat(" ", "microseconds")

    def result_processor(self, dialect: Dialect, coltype: object) -> Convert:
        return lambda value: None if value is None else datetime.fromisoformat(value)


class _SQLiteTime(sqlite.TIME):
    def bind_processor(self, dialect: Dialect) -> Convert:
        return lambda value: None if value is None else value.isoformat("microseconds")

    def result_processor(self, dialect: Dialect, coltype: object) -> Convert:
        return lambda value: None if value is None else time.fromisoformat(value)


# A wall-clock time of day, for mapped columns. (Dates keep SQLAlchemy's own type: the SQLite
# driver dialect maps `Date` to a type of its own, which a variant here would not replace.)
ClockTime = Time().with_variant(_SQLiteTime(), "sqlite")  # type: ignore[no-untyped-call]


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (naive storage) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _SQLiteDateTime()  # type: ignore[no-untyped-call]
        return dialect.type_descriptor(self.impl)

    # On SQLite, one function each way instead of TypeDecorator's chain of three (this
    # class, then `_SQLiteDateTime`): the tick converts a few thousand values per batch.
    def bind_processor(self, dialect: Dialect) -> Convert | None:
        if dialect.name != "sqlite":
            return super().bind_processor(dialect)
        return _sqlite_bind

    def result_processor(self, dialect: Dialect, coltype: object) -> Convert | None:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return _sqlite_result

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_bind(value: datetime | None) -> str | None:
    """`process_bind_param` and `_SQLiteDateTime`'s bind processor in one."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # The aware text ends in "+00:00"; the stored text is the naive one before it.
    return value.isoformat(" ", "microseconds")[:-6]


def _sqlite_result(value: str | None) -> datetime | None:
    """`_SQLiteDateTime`'s result processor and `process_result_value` in one."""
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)
