"""Counterpart-ratio rules are data: shipped defaults, rules a parent unit sends down to every
child (audience "*"), the unit's own; the check shows required, assigned and shortfall."""

import datetime as dt
import json
import shutil

import pytest

from ctmtqg_desktop.domain.errors import BadArgument, CatalogInvalid, RecordNotFound
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services.capital import _counterpart as counterpart
from ctmtqg_desktop.services.capital import _rules as capital_rules
from ctmtqg_desktop.store.base import EVERY_CHILD
from ctmtqg_desktop.store.models.capital import CounterpartRule
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.capital_support import line, set_today

D = dt.date


def test_the_demo_shows_the_shortfall_per_programme(demo_workspace):
    checks = {(c.program_label, c.capital_kind): c
              for c in counterpart.check(demo_workspace, 2023)}
    dtts = checks[("CTMTQG DTTS&MN", "DTPT")]
    assert (dtts.central, dtts.required, dtts.assigned, dtts.shortfall) == (
        2_100_000_000, 210_000_000, 150_000_000, 60_000_000)
    assert dtts.rule.origin == counterpart.DEFAULT and dtts.rule.confidence == "unverified"
    assert "Nghị quyết 21/2022/NQ-HĐND" in dtts.rule.legal_basis
    ntm = checks[("CTMTQG NTM", "DTPT")]
    assert (ntm.required, ntm.assigned, ntm.shortfall, ntm.state) == (
        240_000_000, 240_000_000, 0, "normal")
    assert checks[("CTMTQG GNBV", "SN")].shortfall == 12_000_000
    # community contributions are not counterpart funds
    assert all(c.assigned <= c.required or c.shortfall == 0 for c in checks.values())


def test_a_parent_rule_flows_down_and_wins_over_the_default(new_workspace, tmp_path):
    district = new_workspace(unit="615", role="parent", name="Phòng Tài chính - Kế hoạch")
    sent = counterpart.save_rule(district, program_id="2021-2025/DTTS", capital_kind="DTPT",
                                 ratio_bp=1500, legal_basis="Nghị quyết 21/2022/NQ-HĐND",
                                 valid_from=D(2023, 1, 1), valid_to=D(2025, 12, 31),
                                 confidence="partial")
    assert sent.audience_unit_id == EVERY_CHILD and sent.owner_unit_id == "615"
    with district.session_factory() as session:
        record = session.get(CounterpartRule, sent.id)
        payload = {c.name: getattr(record, c.name) for c in CounterpartRule.__table__.columns}

    commune = new_workspace()
    set_today(commune, D(2023, 10, 16))
    line(commune, 1_000_000_000, program="2021-2025/DTTS")
    line(commune, 120_000_000, program="2021-2025/DTTS", source="NSDP_TINH")
    before = {c.capital_kind: c for c in counterpart.check(commune, 2023)}["DTPT"]
    assert (before.required, before.shortfall) == (100_000_000, 0)  # default 10%

    # what a sync package does: apply the parent's record as it is (its owner, version, node)
    with UnitOfWork(commune, remote=True) as uow:
        uow.session.add(CounterpartRule(**payload))
        uow.commit()
    after = {c.capital_kind: c for c in counterpart.check(commune, 2023)}["DTPT"]
    assert after.rule.origin == counterpart.FROM_PARENT and after.rule.ratio_bp == 1500
    assert (after.required, after.assigned, after.shortfall) == (150_000_000, 120_000_000,
                                                                 30_000_000)
    # a rule from the parent cannot be changed by the child
    with pytest.raises(RecordNotFound):
        counterpart.save_rule(commune, rule_id=sent.id, program_id="2021-2025/DTTS",
                              capital_kind="DTPT", ratio_bp=1000, legal_basis="x",
                              valid_from=D(2023, 1, 1))
    # the rule is valid from 2023: 2022 still uses the default
    line(commune, 1_000_000_000, year=2022, program="2021-2025/DTTS")
    old = {c.capital_kind: c for c in counterpart.check(commune, 2022)}["DTPT"]
    assert old.rule.origin == counterpart.DEFAULT and old.required == 100_000_000


def test_own_rules_and_validity(new_workspace):
    ws = new_workspace()
    line(ws, 2_000_000_000, program="2021-2025/NTM")
    own = counterpart.save_rule(ws, program_id="2021-2025/NTM", capital_kind="DTPT",
                                ratio_bp=2000, legal_basis="Nghị quyết HĐND tỉnh",
                                valid_from=D(2024, 1, 1))
    assert own.audience_unit_id is None  # a commune's own record travels up only
    check = {c.program_id: c for c in counterpart.check(ws, 2023)}["2021-2025/NTM"]
    assert check.rule.origin == counterpart.DEFAULT  # not valid in 2023 yet
    counterpart.save_rule(ws, rule_id=own.id, program_id="2021-2025/NTM", capital_kind="DTPT",
                          ratio_bp=2000, legal_basis="Nghị quyết HĐND tỉnh",
                          valid_from=D(2023, 1, 1))
    check = {c.program_id: c for c in counterpart.check(ws, 2023)}["2021-2025/NTM"]
    assert check.rule.origin == counterpart.OWN and check.shortfall == 400_000_000
    for bad, words in [(dict(ratio_bp=10001), "0% đến 100%"), (dict(legal_basis=" "), "căn cứ"),
                       (dict(valid_to=D(2022, 1, 1)), "hết hiệu lực"),
                       (dict(program_id="2021-2025/ABC"), "ABC")]:
        values = dict(program_id="2021-2025/NTM", capital_kind="DTPT", ratio_bp=1000,
                      legal_basis="NQ", valid_from=D(2023, 1, 1))
        with pytest.raises(BadArgument) as caught:
            counterpart.save_rule(ws, **{**values, **bad})
        assert words in str(caught.value), str(caught.value)
    counterpart.delete_rule(ws, own.id)
    assert counterpart.rule_records(ws) == []


def test_a_parent_keeps_the_defaults_as_rules_for_every_child(new_workspace):
    district = new_workspace(unit="615", role="parent")
    added = counterpart.adopt_defaults(district)
    records = counterpart.rule_records(district)
    assert added == len(capital_rules.counterpart_defaults()) == len(records) == 5
    assert {r.audience_unit_id for r in records} == {EVERY_CHILD}
    assert counterpart.adopt_defaults(district) == 0  # not twice


def test_the_defaults_file_is_checked(tmp_path):
    folder = tmp_path / "capital"
    shutil.copytree(resource_path("capital"), folder)
    document = json.loads((folder / "counterpart-rules.json").read_text(encoding="utf-8"))
    assert all(rule["confidence"] in ("confirmed", "partial", "unverified")
               and rule.get("source") for rule in document["rules"])
    assert capital_rules.read_counterpart_defaults(folder)[0].ratio_bp == 1000
    document["rules"][0]["ratio_percent"] = "120"
    (folder / "counterpart-rules.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        capital_rules.read_counterpart_defaults(folder)
    assert "120" in str(caught.value) and "counterpart-rules.json" in str(caught.value)
    assert capital_rules.ratio_to_bp("12,5") == 1250
