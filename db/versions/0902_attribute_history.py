"""Units' dated attributes (unit_attribute_history): Đồng Nai a tỉnh until 29/04/2026, a
thành phố trực thuộc trung ương from 30/04/2026, ten of its xã phường. A catalog table: the
shipped catalog fills it when it is installed (a workspace already on catalog version 3 is
filled here from the shipped file, the same rows).

Revision ID: 0902_attribute_history
Revises: 0801_archive
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0902_attribute_history"
down_revision = "0801_archive"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('unit_attribute_history',
    sa.Column('unit_id', sa.String(length=40), nullable=False),
    sa.Column('attribute', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('value', sa.String(length=120), nullable=False),
    sa.Column('legal_basis', sa.Text(), nullable=False),
    sa.Column('confidence', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('unit_id', 'attribute', 'valid_from',
                            name=op.f('pk_unit_attribute_history'))
    )
    bind = op.get_bind()
    version = bind.execute(sa.text(
        "SELECT value FROM catalog_meta WHERE key = 'catalog_version'")).scalar()
    if version is None or int(version) < 3:
        return  # the catalog's own installation fills it
    from ctmtqg_desktop.services.catalog import read_catalog

    rows = [{"unit_id": r["unit_id"], "attribute": r["attribute"],
             "valid_from": r["valid_from"], "valid_to": r["valid_to"], "value": r["value"],
             "legal_basis": r["legal_basis"], "confidence": r["confidence"]}
            for r in read_catalog().attribute_history]
    known = {row[0] for row in bind.execute(sa.text("SELECT id FROM admin_unit"))}
    rows = [row for row in rows if row["unit_id"] in known]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('unit_attribute_history')
