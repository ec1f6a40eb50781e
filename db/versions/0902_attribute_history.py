"""Units' dated attributes (unit_attribute_history): Đồng Nai a tỉnh until 29/04/2026, a
thành phố trực thuộc trung ương from 30/04/2026, ten of its xã phường. A catalog table: the
shipped catalog fills it when it is installed (a workspace already on catalog version 3 is
filled here with catalog version 3's rows, kept in this file: a migration never reads the
application's current code or data, which later versions change).

Revision ID: 0902_attribute_history
Revises: 0801_archive
Create Date: 2026-12-06
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0902_attribute_history"
down_revision = "0801_archive"
branch_labels = None
depends_on = None

#: resources/catalog/unit-attribute-history.csv of catalog version 3 (source column left
#: out): unit, attribute, value, valid from, valid to, legal basis, confidence
CATALOG_3_ROWS = (
    ('75@2025-07-01', 'kind', 'province', '2025-07-01', '2026-04-29',
     'Nghị quyết 202/2025/QH15',
     'confirmed'),
    ('75@2025-07-01', 'kind', 'municipality', '2026-04-30', None,
     'Nghị quyết 30/2026/QH16 thành lập thành phố Đồng Nai trực thuộc trung ương (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('25270@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('25270@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('25357@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('25357@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('25363@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('25363@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26116@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26116@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26170@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26170@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26248@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26248@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26326@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26326@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26368@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26368@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26425@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26425@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
    ('26485@2025-07-01', 'kind', 'commune', '2025-07-01', '2026-04-29',
     'Nghị quyết 1662/NQ-UBTVQH15 (sắp xếp ĐVHC cấp xã tỉnh Đồng Nai 2025)',
     'partial'),
    ('26485@2025-07-01', 'kind', 'ward', '2026-04-30', None,
     'Nghị quyết 237/NQ-UBTVQH16 thành lập 10 phường thuộc Đồng Nai (hiệu lực 30/04/2026; theo ghi chú phát hành v3.1.0 và dữ liệu 2026 của vietnamese-provinces-database; văn bản chưa đọc)',
     'partial'),
)


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
    rows = [{"unit_id": unit, "attribute": attribute, "value": value,
             "valid_from": dt.date.fromisoformat(start),
             "valid_to": dt.date.fromisoformat(end) if end else None,
             "legal_basis": basis, "confidence": confidence}
            for unit, attribute, value, start, end, basis, confidence in CATALOG_3_ROWS]
    known = {row[0] for row in bind.execute(sa.text("SELECT id FROM admin_unit"))}
    rows = [row for row in rows if row["unit_id"] in known]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('unit_attribute_history')
