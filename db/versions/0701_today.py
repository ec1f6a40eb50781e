"""Today's units: unit kinds of 2025 (thành phố trực thuộc trung ương, đặc khu), the
published "before the merger" text, per-period capital rules, hợp phần legal basis, the
table of corrected unit keys, and the correction itself: every workspace made with the 22
inferred 2025 keys of catalog version 2 is re-keyed to the official codes.

The re-keying is data, frozen here (it must not change when a later catalog does): every
``*unit_id`` column of every non-catalog table takes the right key, and every JSON text that
quotes the wrong key (change journal payloads, conflicts, reorganisations' old units,
dispatched reference content, sync totals) has the quoted key replaced. The catalog's own
rows of the wrong keys are renamed so nothing points at a missing unit before catalog
version 3 is installed. ``schema.upgrade_if_needed`` takes a backup before this runs; what
was changed is recorded in ``catalog_meta`` (``unit_keys_corrected``) and shown by
``ctmtqg workspace info``.

Legal basis of the right codes: Nghị quyết 1677/NQ-UBTVQH15 (items 49-52 and following) and
the 2025 register of unit codes (QĐ 19/2025/QĐ-TTg); see
resources/catalog/unit-key-corrections-2025.csv.

Revision ID: 0701_today
Revises: 0601_activities
Create Date: 2026-12-05
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0701_today"
down_revision = "0601_activities"
branch_labels = None
depends_on = None

#: (wrong key shipped by catalog version 2, official key) — frozen copy of
#: resources/catalog/unit-key-corrections-2025.csv
CORRECTIONS = (
    ("23335@2025-07-01", "23332@2025-07-01"),  # Đăk Rơ Wa
    ("23503@2025-07-01", "23504@2025-07-01"),  # Đăk Pxi
    ("23509@2025-07-01", "23510@2025-07-01"),  # Đăk Ui
    ("23518@2025-07-01", "23515@2025-07-01"),  # Ngọk Réo
    ("23434@2025-07-01", "23430@2025-07-01"),  # Kon Đào
    ("23422@2025-07-01", "23425@2025-07-01"),  # Tu Mơ Rông
    ("23410@2025-07-01", "23446@2025-07-01"),  # Măng Ri
    ("23395@2025-07-01", "23377@2025-07-01"),  # Bờ Y
    ("23398@2025-07-01", "23392@2025-07-01"),  # Sa Loong
    ("23380@2025-07-01", "23383@2025-07-01"),  # Dục Nông
    ("23359@2025-07-01", "23356@2025-07-01"),  # Xốp
    ("23350@2025-07-01", "23344@2025-07-01"),  # Đăk Plô
    ("23353@2025-07-01", "23341@2025-07-01"),  # Đăk Pék
    ("23545@2025-07-01", "23534@2025-07-01"),  # Sa Bình
    ("23554@2025-07-01", "23548@2025-07-01"),  # Ya Ly
    ("23482@2025-07-01", "23485@2025-07-01"),  # Đăk Kôi
    ("23494@2025-07-01", "23497@2025-07-01"),  # Kon Braih
    ("23452@2025-07-01", "23455@2025-07-01"),  # Măng Bút
    ("23464@2025-07-01", "23476@2025-07-01"),  # Kon Plông
    ("23281@2025-07-01", "23293@2025-07-01"),  # Kon Tum
    ("23311@2025-07-01", "23284@2025-07-01"),  # Đăk Cấm
    ("23308@2025-07-01", "23302@2025-07-01"),  # Đăk Bla
)
_CATALOG_TABLES = {"admin_unit", "unit_succession", "unit_key_correction", "alembic_version",
                   "catalog_meta"}


def upgrade() -> None:
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('former_units', sa.Text(), server_default='',
                                      nullable=False))
    with op.batch_alter_table('capital_kind', schema=None) as batch_op:
        batch_op.add_column(sa.Column('periods', sa.Text(), server_default='{}',
                                      nullable=False))
    with op.batch_alter_table('capital_source', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('periods', sa.Text(), server_default='{}',
                                      nullable=False))
    with op.batch_alter_table('program_component', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_basis', sa.Text(), server_default='',
                                      nullable=False))
    op.create_table('unit_key_correction',
    sa.Column('wrong_key', sa.String(length=40), nullable=False),
    sa.Column('right_key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('wrong_key', name=op.f('pk_unit_key_correction'))
    )
    _correct_unit_keys(op.get_bind())


def _text_columns(bind) -> list[tuple[str, str, bool]]:
    """``(table, column, is_unit_key)`` of every text column outside the catalog."""
    inspector = sa.inspect(bind)
    found = []
    for table in inspector.get_table_names():
        if table in _CATALOG_TABLES:
            continue
        for column in inspector.get_columns(table):
            if isinstance(column["type"], sa.String):
                name = column["name"]
                found.append((table, name, name.endswith("unit_id")))
    return found


def _present(bind, columns, wrong: str) -> bool:
    """Whether any unit key column names ``wrong`` (JSON texts quote a key only when a
    record or a peer of that unit is here: most workspaces skip the slow text scans)."""
    for table, column, is_key in columns:
        if is_key and bind.execute(sa.text(
                f'SELECT 1 FROM "{table}" WHERE "{column}" = :wrong LIMIT 1'),
                {"wrong": wrong}).first() is not None:
            return True
    return False


def _correct_unit_keys(bind) -> None:
    columns = _text_columns(bind)
    changed: dict[str, dict] = {}
    for wrong, right in CORRECTIONS:
        _rename_catalog_unit(bind, wrong, right)
        if not _present(bind, columns, wrong):
            continue
        rows = 0
        for table, column, is_key in columns:
            quoted_table, quoted_column = table, column
            if is_key:
                rows += bind.execute(
                    sa.text(f'UPDATE "{quoted_table}" SET "{quoted_column}" = :right '
                            f'WHERE "{quoted_column}" = :wrong'),
                    {"right": right, "wrong": wrong}).rowcount or 0
            else:
                rows += bind.execute(
                    sa.text(f'UPDATE "{quoted_table}" SET "{quoted_column}" = '
                            f'REPLACE("{quoted_column}", :quoted_wrong, :quoted_right) '
                            f'WHERE "{quoted_column}" LIKE :pattern'),
                    {"quoted_wrong": f'"{wrong}"', "quoted_right": f'"{right}"',
                     "pattern": f'%"{wrong}"%'}).rowcount or 0
        if rows:
            changed[wrong] = {"right_key": right, "rows": rows}
    if changed:
        bind.execute(sa.text("INSERT INTO catalog_meta (key, value) VALUES (:key, :value)"),
                     {"key": "unit_keys_corrected",
                      "value": json.dumps(changed, ensure_ascii=False, sort_keys=True)})


def _rename_catalog_unit(bind, wrong: str, right: str) -> None:
    """The catalog's row of a wrong key becomes the right key's row (copied, references
    moved, then deleted: foreign keys hold at every step)."""
    exists = bind.execute(sa.text("SELECT 1 FROM admin_unit WHERE id = :id"),
                          {"id": wrong}).first()
    if exists is None:
        return
    taken = bind.execute(sa.text("SELECT 1 FROM admin_unit WHERE id = :id"),
                         {"id": right}).first()
    if taken is None:
        bind.execute(sa.text(
            "INSERT INTO admin_unit (id, code, name, name_folded, kind, parent_id, valid_from, "
            "valid_to, confidence, source, former_units, retired) "
            "SELECT :right, :code, name, name_folded, kind, parent_id, valid_from, valid_to, "
            "confidence, source, former_units, retired FROM admin_unit WHERE id = :wrong"),
            {"right": right, "wrong": wrong, "code": right.split("@")[0]})
    for column in ("old_unit_id", "new_unit_id"):
        bind.execute(sa.text(f"UPDATE unit_succession SET {column} = :right "
                             f"WHERE {column} = :wrong"), {"right": right, "wrong": wrong})
    bind.execute(sa.text("UPDATE admin_unit SET parent_id = :right WHERE parent_id = :wrong"),
                 {"right": right, "wrong": wrong})
    bind.execute(sa.text("DELETE FROM admin_unit WHERE id = :wrong"), {"wrong": wrong})


def downgrade() -> None:
    # the key correction is not undone: the wrong keys name no official unit.
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL), not a batch copy: copying program_component
    # would drop a table other tables point at, which SQLite refuses with foreign keys on
    op.drop_table('unit_key_correction')
    op.drop_column('program_component', 'legal_basis')
    op.drop_column('capital_source', 'periods')
    op.drop_column('capital_source', 'valid_to')
    op.drop_column('capital_kind', 'periods')
    op.drop_column('admin_unit', 'former_units')
