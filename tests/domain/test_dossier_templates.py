"""Dossier templates are data: every shipped one is valid; a bad one is refused with its
file, line and a Vietnamese reason."""

from pathlib import Path

import pytest

from ctmtqg_desktop.domain.dossier_templates import STAGES, TemplateInvalid, parse_template
from ctmtqg_desktop.resource_paths import resource_path

SHIPPED = sorted(resource_path("dossiers", "templates").glob("*.yaml"))

GOOD = """\
code: demo.62
version: 2
province: "62"
kind: production_support
title: Mẫu thử
confidence: partial
stages:
  - stage: preparation
    documents:
      - code: proposal
        name: Đơn đề nghị
        legal_basis: Nghị định 27/2022/NĐ-CP
        prepared_by: Tổ nhóm
        signed_by: Đại diện tổ nhóm
        form:
          doc_type: ĐƠN ĐỀ NGHỊ
          fields:
            - {key: total, label: Tổng kinh phí, type: money, required: true, max: 5000000000}
            - {key: support, label: Hỗ trợ, type: money}
            - {key: signers, label: Chữ ký, type: signature, roles: [Đại diện]}
          rules:
            - {check: le, left: support, right: total, message: Hỗ trợ không lớn hơn tổng.}
          layout:
            - text: "Kính gửi UBND {commune}; nhóm đề nghị {total}."
            - fields: [total, support]
            - signatures: signers
  - stage: settlement
    documents:
      - code: settlement
        name: Báo cáo quyết toán
        required: false
        legal_basis: Thông tư 55/2023/TT-BTC
        prepared_by: Kế toán xã
"""


def test_every_shipped_template_is_valid_and_covers_the_four_kinds():
    specs = [parse_template(path.read_text(encoding="utf-8"), file=path.name) for path in SHIPPED]
    kinds = {spec.kind for spec in specs}
    assert {"production_support", "construction_special", "housing_support"} <= kinds
    assert kinds & {"training", "communication"}
    for spec in specs:
        assert spec.province == "62" and spec.version >= 1
        assert spec.stages == tuple(s for s in STAGES if s in spec.stages)
        assert all(d.legal_basis and d.prepared_by for d in spec.documents)
        assert any(d.form for d in spec.documents)
        assert spec.confidence in ("confirmed", "partial", "unverified")


def test_the_special_mechanism_caps_total_investment_at_five_billion():
    spec = parse_template((resource_path("dossiers", "templates") /
                           "construction_special.62.v1.yaml").read_text(encoding="utf-8"))
    field = spec.document("approval_decision").form.field("total_investment")
    assert field.type == "money" and field.maximum == 5_000_000_000


def test_a_good_template_reads_into_stages_documents_and_forms():
    spec = parse_template(GOOD, file="demo.yaml")
    assert spec.key == "demo.62@2"
    assert spec.stages == ("preparation", "settlement")
    proposal = spec.document("proposal")
    assert proposal.required and proposal.form.doc_type == "ĐƠN ĐỀ NGHỊ"
    assert [f.key for f in proposal.form.fields] == ["total", "support", "signers"]
    assert proposal.form.layout[1].kind == "field"
    assert proposal.form.layout[1].value == ("total", "support")
    assert not spec.document("settlement").required
    assert spec.document("settlement").confidence == "partial"  # inherited


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("change, needle, reason", [
    (("type: money, required: true, max", "type: cash, required: true, max"),
     "type: cash", "không thuộc"),
    (("roles: [Đại diện]", "roles: []"), "roles: []", "từ một đến bốn"),
    (("left: support", "left: missing_field"), "left: missing_field", "ô không có"),
    (("{commune}", "{unknown}"), "{unknown}", "không phải ô của biểu mẫu"),
    (("  - stage: settlement", "  - stage: approval\n    documents: []\n  - stage: settlement"),
     "documents: []", "ít nhất một tài liệu"),
    (("        prepared_by: Kế toán xã", "        prepared_by: Kế toán xã\n        signer: X"),
     "signer: X", "khóa “signer” không hợp lệ"),
    (("version: 2", "version: hai"), "version: hai", "số nguyên"),
    (("  - stage: settlement", "  - stage: planning"), "stage: planning", "không thuộc"),
    (("- fields: [total, support]", "- fields: [total, signers]"), "- fields: [total, signers]",
     "không thể trình bày"),
])
def test_a_bad_template_is_refused_with_file_line_and_reason(change, needle, reason):
    old, new = change
    assert old in GOOD
    text = GOOD.replace(old, new)
    with pytest.raises(TemplateInvalid) as caught:
        parse_template(text, file="xa-dak-la.yaml")
    message = str(caught.value)
    assert caught.value.data["file"] == "xa-dak-la.yaml"
    assert caught.value.data["line"] == _line_of(text, needle), message
    assert reason in message
    assert message.startswith("Bộ hồ sơ mẫu xa-dak-la.yaml không hợp lệ ở dòng")


def test_broken_yaml_and_a_key_written_twice_name_their_line():
    with pytest.raises(TemplateInvalid) as caught:
        parse_template(GOOD.replace("title: Mẫu thử", "title: [Mẫu thử"), file="a.yaml")
    assert caught.value.data["line"] >= _line_of(GOOD, "title:")
    assert "YAML" in str(caught.value)
    doubled = GOOD.replace("title: Mẫu thử", "title: Mẫu thử\ntitle: Lần hai")
    with pytest.raises(TemplateInvalid) as caught:
        parse_template(doubled, file="b.yaml")
    assert caught.value.data["line"] == _line_of(doubled, "Lần hai")
    assert "ghi hai lần" in str(caught.value)


def test_a_rule_cannot_compare_an_amount_with_a_date():
    text = GOOD.replace("{key: support, label: Hỗ trợ, type: money}",
                        "{key: support, label: Hỗ trợ, type: date}")
    with pytest.raises(TemplateInvalid) as caught:
        parse_template(text, file="c.yaml")
    assert "cùng kiểu" in str(caught.value)
    assert caught.value.data["line"] == _line_of(text, "check: le")


def test_a_missing_file_is_refused_by_the_service(tmp_path):
    from ctmtqg_desktop.services.dossiers._templates import read_template_file

    with pytest.raises(TemplateInvalid) as caught:
        read_template_file(tmp_path / "khong-co.yaml")
    assert caught.value.data["file"] == "khong-co.yaml"
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("title: Mẫu".encode("utf-16"))
    with pytest.raises(TemplateInvalid):
        read_template_file(Path(bad))
