"""Form fields checked as typed, and dossier completeness on hand-checked cases."""

import pytest

from ctmtqg_desktop.domain import dossier_rules
from ctmtqg_desktop.domain.dossier_templates import FormField, parse_template
from ctmtqg_desktop.domain.forms import check_form, check_value, display_value, edit_text
from tests.domain.test_dossier_templates import GOOD

MONEY = FormField("total", "Tổng kinh phí", "money", required=True, maximum=5_000_000_000)


@pytest.mark.parametrize("raw, value", [("1.250.000", 1_250_000), ("1250000", 1_250_000),
                                        ("5.000.000.000", 5_000_000_000), (7, 7)])
def test_money_is_read_the_vietnamese_way(raw, value):
    assert check_value(MONEY, raw) == (value, None)


@pytest.mark.parametrize("raw, reason", [
    ("", "Phải điền “Tổng kinh phí”"), ("1,5", "không phải là số tiền"),
    ("5.000.000.001", "không được quá 5.000.000.000 đồng"), ("-3", "không phải là số tiền"),
])
def test_money_problems_are_vietnamese_sentences(raw, reason):
    value, problem = check_value(MONEY, raw)
    assert value is None and reason in problem


def test_other_field_types():
    date = FormField("d", "Ngày họp", "date")
    assert check_value(date, "5/3/2023") == ("2023-03-05", None)
    assert "không phải là ngày" in check_value(date, "31/02/2023")[1]
    assert check_value(date, "") == (None, None)  # optional
    choice = FormField("c", "Quay vòng vốn", "choice", options=("Có", "Không"))
    assert check_value(choice, "khong") == ("Không", None)
    assert "phải là một trong" in check_value(choice, "Có thể")[1]
    text = FormField("t", "Số CCCD", "text", pattern="[0-9]{12}",
                     pattern_message="gồm đúng 12 chữ số.", max_length=12)
    assert check_value(text, "062185001234") == ("062185001234", None)
    assert check_value(text, "06218500") == (None, "Số CCCD: gồm đúng 12 chữ số.")
    number = FormField("n", "Số hộ", "number", minimum=1)
    assert "phải từ 1 trở lên" in check_value(number, "0")[1]
    people = FormField("h", "Hộ tham gia", "households", required=True)
    assert "phải điền" in check_value(people, [])[1].lower()
    assert "hai lần" in check_value(people, ["a", "a"])[1]
    signature = FormField("s", "Chữ ký", "signature", required=True, roles=("Bên giao", "Bên nhận"))
    assert check_value(signature, {"Bên giao": "A Blứt", "Bên nhận": ""})[1]
    assert check_value(signature, {"Bên giao": " A  Blứt ", "Bên nhận": "Y Hoa"}) == (
        {"Bên giao": "A Blứt", "Bên nhận": "Y Hoa"}, None)
    assert display_value(MONEY, 1_200_000) == "1.200.000 đồng"
    assert edit_text(date, "2023-03-05") == "05/03/2023"


def test_form_rules_apply_between_fields():
    form = parse_template(GOOD).document("proposal").form
    values, problems = check_form(form, {"total": "100.000.000", "support": "120.000.000"})
    assert problems == {"support": "Hỗ trợ không lớn hơn tổng."}
    values, problems = check_form(form, {"total": "100.000.000", "support": "80.000.000",
                                         "signers": {"Đại diện": "A Blứt"}})
    assert problems == {} and values["support"] == 80_000_000


@pytest.fixture
def template():
    return parse_template(GOOD.replace(
        "  - stage: settlement",
        "  - stage: approval\n    documents:\n"
        "      - {code: decision, name: Quyết định phê duyệt, legal_basis: NĐ 27,"
        " prepared_by: Xã}\n"
        "      - {code: appraisal, name: Tờ trình thẩm định, legal_basis: NĐ 27,"
        " prepared_by: Xã}\n"
        "  - stage: implementation\n    documents:\n"
        "      - {code: contract, name: Hợp đồng, legal_basis: NĐ 27, prepared_by: Xã}\n"
        "  - stage: settlement"))


def test_completeness_counts_signed_and_scanned_required_documents(template):
    # required: proposal, decision, appraisal, contract (4); settlement is optional
    result = dossier_rules.completeness(template, {"proposal": "signed", "decision": "scanned",
                                                   "appraisal": "drafting",
                                                   "settlement": "signed"})
    assert (result.required, result.required_done) == (4, 2)
    assert result.percent == 50 and not result.complete
    approval = result.stage("approval")
    assert (approval.required, approval.required_done, approval.started) == (2, 1, True)
    settlement = result.stage("settlement")
    assert (settlement.required, settlement.optional_done, settlement.ratio) == (0, 1, 1.0)
    # the settlement stage started (its optional report is signed) while the appraisal
    # and the contract are not done: two warnings, each naming the latest started stage
    assert {(w.document_code, w.started_stage) for w in result.warnings} == {
        ("appraisal", "settlement"), ("contract", "settlement")}


def test_no_warning_while_work_follows_the_order(template):
    result = dossier_rules.completeness(template, {"proposal": "signed", "decision": "signed",
                                                   "appraisal": "signed",
                                                   "contract": "drafting"},
                                        current_stage="implementation")
    assert result.warnings == ()
    assert result.percent == 75


def test_reaching_a_stage_by_hand_warns_about_what_is_missing_before_it(template):
    result = dossier_rules.completeness(template, {"proposal": "signed"},
                                        current_stage="implementation")
    assert [w.document_code for w in result.warnings] == ["decision", "appraisal"]
    assert all(w.started_stage == "implementation" and w.status == "missing"
               for w in result.warnings)
    assert dossier_rules.missing_required(template, {"proposal": "signed"}) == [
        "Quyết định phê duyệt", "Tờ trình thẩm định", "Hợp đồng"]


def test_percent_never_rounds_up_to_complete(template):
    result = dossier_rules.completeness(template, {"proposal": "signed", "decision": "signed",
                                                   "appraisal": "signed"})
    assert result.percent == 75
    assert dossier_rules.completeness(template, {}).percent == 0
