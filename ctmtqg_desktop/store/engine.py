"""Database engines: embedded SQLite by default, PostgreSQL by URL (a province-scale parent).

SQLite is opened in WAL mode with foreign keys on and ``synchronous=FULL``: a committed
write survives a power cut, and readers never block the writer. The driver's own
transaction handling is replaced by explicit ``BEGIN`` so that SAVEPOINTs work (SQLAlchemy's
documented recipe for pysqlite).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url

from ctmtqg_desktop.domain.errors import DatabaseUnavailable


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
            return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
        except ModuleNotFoundError as error:  # psycopg not installed
            raise DatabaseUnavailable(location=parsed.render_as_string(hide_password=True),
                                      reason=str(error)) from error
    raise DatabaseUnavailable(location=parsed.render_as_string(hide_password=True),
                              reason="only SQLite and PostgreSQL are supported")
