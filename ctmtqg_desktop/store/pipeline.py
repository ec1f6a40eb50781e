"""Writes sent to the server together, and the upsert of either database (issue 17).

A mass import at the parent ends each package's transaction with a handful of small
writes whose results nobody reads (the sender's stream, the package's row, the peer, the
installation, the history's line). On PostgreSQL through psycopg, :func:`execute_together`
sends them in one pipeline: one wait for the server instead of one each. Each statement is
compiled by SQLAlchemy for the connection's dialect and its parameters go through the same
bind processors as :meth:`Connection.execute` would apply, so the rows written are the
same; an error is raised as SQLAlchemy raises it (``IntegrityError``, …). On SQLite (no
round trips) the statements are executed one by one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import Executable


def pipelines(connection: Connection) -> bool:
    """Whether ``connection`` can send several statements before reading their results."""
    dialect = connection.dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def execute_together(connection: Connection, statements: Sequence[Executable]) -> None:
    """Execute ``statements`` in order inside the connection's transaction; on psycopg in
    one pipeline (their results are not read)."""
    if not pipelines(connection) or len(statements) < 2:
        for statement in statements:
            connection.execute(statement)
        return
    dialect = connection.dialect
    prepared: list[tuple[str, dict[str, Any]]] = []
    for statement in statements:
        compiled, params = _compiled(statement, dialect)
        if not _with_defaults(compiled, params):
            # an expanding IN list (rendered at execution time) or a column default that
            # needs the execution's context: executed as Connection.execute does
            for done in statements:
                connection.execute(done)
            return
        processors = compiled._bind_processors
        prepared.append((compiled.string, {
            name: processors[name](value) if name in processors else value
            for name, value in params.items()}))
    dbapi = dialect.loaded_dbapi
    driver: Any = connection.connection.dbapi_connection  # psycopg's, in our transaction
    sql = ""
    try:
        with driver.pipeline(), driver.cursor() as cursor:
            for sql, params in prepared:
                cursor.execute(sql, params)
    except dbapi.Error as error:  # as SQLAlchemy raises it (IntegrityError, …)
        raise DBAPIError.instance(sql, None, error, dbapi.Error, dialect=dialect) from error


#: compiled statements by their cache key (as SQLAlchemy's own compiled cache keeps them):
#: a statement's shape is compiled once, its values are its parameters
_COMPILED: dict[Any, Any] = {}
_COMPILED_MAX = 256


def _compiled(statement: Any, dialect: Any) -> tuple[Any, dict[str, Any]]:
    """The statement compiled for ``dialect`` (from the cache when its shape was seen)
    and its parameters."""
    key = statement._generate_cache_key()
    if key is None:  # not cacheable: compiled each time
        compiled: Any = statement.compile(dialect=dialect)
        return compiled, compiled.construct_params()
    cache_key = (dialect, key.key)
    compiled = _COMPILED.get(cache_key)
    if compiled is None:
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        compiled = _COMPILED[cache_key] = statement.compile(dialect=dialect, cache_key=key)
    return compiled, compiled.construct_params(extracted_parameters=key.bindparams)


def _with_defaults(compiled: Any, params: dict[str, Any]) -> bool:
    """Fill ``params`` with the Python-side column defaults the statement leaves out (as
    the execution context does: ``default=""``, ``onupdate=…``); False when one is not a
    plain value (a function of the context) or the statement has parameters rendered at
    execution time."""
    if compiled.literal_execute_params or compiled.post_compile_params:
        return False
    for columns, kind in ((compiled.insert_prefetch, "default"),
                          (compiled.update_prefetch, "onupdate")):
        for column in columns:
            default = getattr(column, kind)
            if default is None or not default.is_scalar or column.key not in params:
                return False
            params[column.key] = default.arg
    return True


def upsert(connection: Connection, table: Table) -> Any:
    """``INSERT`` into ``table`` with ``on_conflict_do_update``/``do_nothing`` and
    ``excluded`` for the connection's database (PostgreSQL, or SQLite from 3.24): the
    dialect's own ``Insert``."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql  # not imported on SQLite (start-up)

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)
