"""The export's quick test of a record (``_PlainRecords``, issue 17) never passes a record
that the receiver's full checks (``_refusal``: columns, then field rules) refuse: each
broken value below is refused by both, and the good record passes both."""

from __future__ import annotations

import uuid

import pytest

from ctmtqg_desktop.services import area
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.sync.columns import TableCodec
from ctmtqg_desktop.sync.selection import OutgoingChange
from tests.sync.broken_records import BROKEN_VALUES

GOOD = {"name": "Thôn Kon Mong Tu", "ethnic_groups": "Xơ Đăng, Kinh", "households": 120,
        "population": 480, "extremely_disadvantaged": False, "sort_order": 1,
        "id": str(uuid.uuid4()), "owner_unit_id": "23524",
        "origin_node_id": str(uuid.uuid4()), "created_at": "2026-12-05T08:30:00.123456",
        "updated_at": "2026-12-05T08:30:00", "version": "0000018f-0001-abcd",
        "deleted": False, "audience_unit_id": None}

BROKEN = BROKEN_VALUES


@pytest.fixture(scope="module")
def checks():
    codecs = {m.__tablename__: TableCodec.for_table(m.__table__)
              for m in area.synced_records()}
    return codecs, sync_export.table_labels(), sync_export._PlainRecords(codecs)


def _change(record) -> OutgoingChange:
    return OutgoingChange(1, "village", uuid.uuid4(), "insert", "v", uuid.uuid4(), "23524",
                          "{}", None)


def test_a_good_record_passes_both(checks):
    codecs, labels, plain = checks
    assert plain.good("village", dict(GOOD))
    assert sync_export._refusal(codecs, labels, _change(GOOD), dict(GOOD)) is None


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_record_is_never_passed_by_the_quick_test(checks, case):
    codecs, labels, plain = checks
    record = dict(GOOD)
    for key, value in BROKEN[case].items():
        if value is KeyError:
            del record[key]
        else:
            record[key] = value
    assert sync_export._refusal(codecs, labels, _change(record), record) is not None, case
    assert not plain.good("village", record), case


def test_a_deleted_record_is_not_held_to_the_field_rules(checks):
    codecs, labels, plain = checks
    record = dict(GOOD, deleted=True, households=100_001)  # a tombstone keeps old values
    assert sync_export._refusal(codecs, labels, _change(record), record) is None
    assert plain.good("village", record)
