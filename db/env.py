"""Alembic environment for CTMTQG workspaces (SQLite and PostgreSQL).

The application passes an open connection in ``config.attributes["connection"]``
(see ``ctmtqg_desktop/store/schema.py``); from the command line, set the URL with
``alembic -x url=sqlite:///path/ctmtqg.sqlite3 ...``. ``render_as_batch`` lets SQLite
alter tables by copy-and-move.
"""

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.types import TypeDecorator

from ctmtqg_desktop.services import areas  # noqa: F401  (every area declares its tables)
from ctmtqg_desktop.store.base import Base

config = context.config
target_metadata = Base.metadata


def _render_item(kind, item, autogen_context):
    """Store text columns (``store.base.StoredString``/``StoredText``: NFC on the way in)
    are plain VARCHAR and TEXT to the database: a revision spells them ``sa.String``."""
    if kind == "type" and isinstance(item, TypeDecorator):
        return f"sa.{item.impl_instance!r}"
    return False


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("pass the database with: alembic -x url=sqlite:///PATH ...")
    with create_engine(url).begin() as own_connection:
        _configure(own_connection)
