"""SQL for a batch of users at once, for the reminder tick, through SQLAlchemy's public API.

`in_ids(column, ids)` is `column IN (ids)` with the whole list bound as one parameter: a JSON
array read by `json_each` on SQLite (built in since 3.38), an array compared with `= ANY` on
PostgreSQL. Spelled `column.in_(ids)`, SQLAlchemy expands the list into one bound parameter
per id on every execution and converts each one; the tick's grouped reads ask about hundreds
of users at once. One list parameter also has no limit on the number of ids, as bound
parameters do (32,766 on SQLite, 32,767 on PostgreSQL). It is a SQL function element
(`FunctionElement`, `@compiles`), SQLAlchemy's documented way to add a construct that
caches like its own.

`fetch(executor, statement, **params)` runs a statement built once and returns its rows, and
`execute_many(connection, statement, rows, **same)` runs one for many rows. On SQLite they
hand the compiled SQL and the converted values to the driver in one call to its thread
(SQLAlchemy's adapter makes four: cursor, execute, fetch, close); on PostgreSQL `fetch` is
SQLAlchemy's own `execute` and `execute_many` its `exec_driver_sql`. Values are converted both
ways by the types' own processors (`TypeEngine.bind_processor`, `result_processor`), as
SQLAlchemy would. Only the tick's queries use them (docs/ARCHITECTURE.md, "The reminder
tick"); a tap goes through SQLAlchemy as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from sqlalchemy import BigInteger, TypeDecorator, Unicode, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import ReturnsRows
from sqlalchemy.types import NullType, TypeEngine

from storage.db import Executor

# A table's column, or a mapped class's attribute for it.
Column = ColumnElement[Any] | QueryableAttribute[Any]


class _IdList(TypeDecorator[list[int]]):
    """A list of integer ids as one parameter: JSON text on SQLite, BIGINT[] on PostgreSQL."""

    impl = Unicode
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(BigInteger))
        return dialect.type_descriptor(Unicode())

    def process_bind_param(self, value: Collection[int] | None, dialect: Dialect) -> Any:
        if value is None:
            return value
        ids = value if isinstance(value, list) else list(value)  # a dict's keys, a set
        return ids if dialect.name == "postgresql" else json.dumps(ids)


# One instance for every list: SQLAlchemy keeps a type's per-dialect processors on the
# instance, and working them out anew for a fresh one costs ~80 µs.
_ID_LIST = _IdList()


class InIds(FunctionElement[Any]):
    """True where its first argument (a column) is one of its second (a list of ids)."""

    name = "in_ids"
    # Its state is its two arguments, which SQLAlchemy's cache key already covers.
    inherit_cache = True
    # Not Boolean: on SQLite (no native booleans) a Boolean expression in WHERE is rendered
    # as `… = 1`, which hides the IN from the index.
    type = NullType()


def in_ids(column: Column, ids: Collection[int] | str) -> InIds:
    """`column IN ids`; `ids` may be a parameter's name, for a statement built once whose
    list is passed when it runs (a list of ints there)."""
    element = column.__clause_element__() if isinstance(column, QueryableAttribute) else column
    if isinstance(ids, str):
        return InIds(element, bindparam(ids, type_=_ID_LIST))
    return InIds(element, bindparam(None, [int(i) for i in ids], type_=_ID_LIST))


@compiles(InIds, "postgresql")
def _in_ids_postgresql(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} = ANY({ids})"


@compiles(InIds)
def _in_ids_sqlite(element: InIds, compiler: SQLCompiler, **kw: Any) -> str:
    column, ids = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{column} IN (SELECT value FROM json_each({ids}))"


Convert = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    # Held, so the id it is cached under cannot pass to another statement while cached.
    statement: Executable
    sql: str
    names: tuple[str, ...]  # the parameters, in the order the driver takes them
    convert: tuple[Convert, ...]  # each one's conversion for this database
    given: dict[str, Any]  # parameters the statement gives a value itself
    results: tuple[Convert, ...]  # each result column's conversion from the driver's value


_compiled: dict[tuple[int, str, bool], _Compiled] = {}


def _compile(statement: Executable, dialect: Dialect, *, many: bool = True) -> _Compiled:
    # Keyed by identity: callers pass statements built once, at import.
    key = (id(statement), dialect.name, many)
    found = _compiled.get(key)
    if found is None:
        # for_executemany: an INSERT on PostgreSQL would otherwise return each new row's id.
        compiled = statement.compile(dialect=dialect, for_executemany=many)  # type: ignore[attr-defined]
        if not compiled.positional:
            raise ValueError(f"batch needs positional parameters, not {dialect.paramstyle}")
        names = tuple(compiled.positiontup or ())
        binds = [compiled.binds[name] for name in names]
        if any(bind.expanding for bind in binds):
            raise ValueError("an expanding IN list is converted per execution: use in_ids")
        convert = tuple(bind.type.dialect_impl(dialect).bind_processor(dialect) for bind in binds)
        # Values written into the statement itself, such as `.values(kind="sent")`.
        given = {n: b.effective_value for n, b in zip(names, binds, strict=True) if not b.required}
        columns = statement.exported_columns if isinstance(statement, ReturnsRows) else ()
        results = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        found = _compiled[key] = _Compiled(
            statement, compiled.string, names, convert, given, results
        )
    return found


async def fetch(executor: Executor, statement: Executable, **params: Any) -> list[Sequence[Any]]:
    """The rows of `statement` (built once, at import, with named parameters), as tuples,
    inside the executor's transaction (see the module docstring)."""
    connection = executor if isinstance(executor, AsyncConnection) else await executor.connection()
    if connection.dialect.name != "sqlite":
        return list(await connection.execute(statement, params))
    compiled = _compile(statement, connection.dialect, many=False)
    given = compiled.given
    values = []
    for name, convert in zip(compiled.names, compiled.convert, strict=True):
        value = params[name] if name in params else given[name]
        values.append(convert(value) if convert is not None else value)
    driver = await _driver(connection)
    rows = await driver.execute_fetchall(compiled.sql, values)
    results = compiled.results
    if not rows or not any(results):
        return list(rows)
    # Column by column (map runs the loop in C), then back into rows: per value, a Python
    # loop over each row's columns cost the claim ~3 ms for 1,000 users.
    columns = [
        column if convert is None else list(map(convert, column))
        for column, convert in zip(zip(*rows, strict=True), results, strict=True)
    ]
    return list(zip(*columns, strict=True))


async def _driver(connection: AsyncConnection) -> Any:
    # Inside the connection's transaction: SQLAlchemy has begun it (storage.db's BEGIN) by
    # the time a session or `Database.connection` hands the connection out.
    if not connection.in_transaction():
        raise RuntimeError("storage.batch runs statements inside a transaction only")
    return (await connection.get_raw_connection()).driver_connection


async def execute_many(
    connection: AsyncConnection,
    statement: Executable,
    rows: Sequence[Mapping[str, Any]],
    **same: Any,
) -> None:
    """Run `statement` (built once, at import) for each of `rows`, in one executemany.

    Every bound parameter must be named in `same` (a value all rows share) or in each row;
    Python-side column defaults are not applied, so a statement names every column it sets.
    """
    if not rows:
        return
    compiled = _compile(statement, connection.dialect)
    same = {**compiled.given, **same}
    # Column by column, then zipped into the driver's tuples: a comprehension per parameter
    # is several times cheaper than filling each row in a loop.
    columns: list[Iterable[Any]] = []
    for name, convert in zip(compiled.names, compiled.convert, strict=True):
        if name in same:
            columns.append(repeat(convert(same[name]) if convert else same[name], len(rows)))
        elif convert is None:
            columns.append([row[name] for row in rows])
        else:
            columns.append([convert(row[name]) for row in rows])
    values = list(zip(*columns, strict=True))
    if connection.dialect.name == "sqlite":  # one call to the driver's thread (see `fetch`)
        await (await _driver(connection)).executemany(compiled.sql, values)
    else:
        await connection.exec_driver_sql(compiled.sql, values)
