"""Database engines: embedded SQLite by default, PostgreSQL by URL (a province-scale parent).

SQLite is opened in WAL mode with foreign keys on and ``synchronous=FULL``: a committed
write survives a power cut, and readers never block the writer. The driver's own
transaction handling is replaced by explicit ``BEGIN`` so that SAVEPOINTs work (SQLAlchemy's
documented recipe for pysqlite).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Connection, Engine, make_url

from ctmtqg_desktop.domain.errors import DatabaseUnavailable

#: a pooled PostgreSQL connection idle for longer than this is tested before it is used again
IDLE_PING_SECONDS = 2.0
_RETURNED_AT = "ctmtqg_returned_at"


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's ``pool_pre_ping``, but only for a connection that waited in the pool
    (a server restarted, a network cut, an idle timeout happen while it waits): a mass
    import checks a connection out ten times a package, and a ping at each was a round trip
    each (issue 17). A dead connection is replaced, as with ``pool_pre_ping``: the pool
    tries another one when the checkout raises ``DisconnectionError`` (SQLAlchemy's
    "custom pessimistic ping" recipe)."""

    @event.listens_for(engine.pool, "checkin")
    def _returned(dbapi_connection: Any, connection_record: Any) -> None:
        if connection_record is not None:
            connection_record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
        returned = connection_record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
            return  # just connected (the record's info is emptied when it reconnects)
        try:
            engine.dialect.do_ping(dbapi_connection)  # outside a transaction, as pre-ping
        except Exception as error:  # noqa: BLE001 — any failure: a dead connection
            raise exc.DisconnectionError() from error


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        # hide_parameters: a database error's text (logged with an internal error) never
        # carries the values of the statement, which can be names and ID numbers (issue 12)
        engine = create_engine(parsed, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            engine = create_engine(parsed, hide_parameters=True)
        except ModuleNotFoundError as error:  # psycopg not installed
            raise DatabaseUnavailable(location=parsed.render_as_string(hide_password=True),
                                      reason=str(error)) from error
        _ping_when_idle(engine)
        return engine
    raise DatabaseUnavailable(location=parsed.render_as_string(hide_password=True),
                              reason="only SQLite and PostgreSQL are supported")
