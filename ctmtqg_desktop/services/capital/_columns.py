"""The columns of the capital-plan workbook: read by the import, and the text limits the
capital service applies to what the forms save (one limit per field)."""

from __future__ import annotations

from ctmtqg_desktop.domain.field_rules import rule
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services import workbook_import as wb


def import_columns() -> list[wb.ImportColumn]:
    return [
        wb.ImportColumn("year", N_("Plan year"), wb.whole_number, example=2023, width=10,
                        rule=rule("capital_line", "year")),
        wb.ImportColumn("program", N_("Programme"), wb.text,
                        max_length=wb.REFERENCE_LENGTH, example="NTM", width=14,
                        help=N_("NTM, GNBV or DTTS (or the programme's short name)")),
        wb.ImportColumn("component", N_("Project, sub-project or content"), wb.text,
                        max_length=wb.REFERENCE_LENGTH,
                        required=False, example="ND02", width=16,
                        help=N_("the code in the catalog, e.g. DA3/TDA2 or ND02; empty when "
                                "the capital is assigned to the whole programme")),
        wb.ImportColumn("kind", N_("Capital kind"), wb.text,
                        max_length=wb.REFERENCE_LENGTH, example="ĐTPT", width=12,
                        help=N_("ĐTPT (investment) or SN (recurrent, sự nghiệp)")),
        wb.ImportColumn("source", N_("Capital source"), wb.text,
                        max_length=wb.REFERENCE_LENGTH, example="NSTW", width=16,
                        help=N_("NSTW, NSDP_TINH, NSDP_HUYEN, NSDP_XA, LONG_GHEP, TIN_DUNG, "
                                "DOANH_NGHIEP, CONG_DONG_TIEN, CONG_DONG_NGAY_CONG, "
                                "CONG_DONG_HIEN_VAT, KHAC, or the source's name")),
        wb.ImportColumn("amount", N_("Amount (đồng)"), wb.money, required=False,
                        example=2400000000, width=18, rule=rule("capital_line", "amount"),
                        help=N_("whole đồng; may be left empty for a contribution in labour "
                                "days or in kind with quantity and value per unit")),
        wb.ImportColumn("quantity", N_("Quantity (labour days, in kind)"), wb.whole_number,
                        required=False, example="", width=14,
                        rule=rule("capital_line", "quantity")),
        wb.ImportColumn("quantity_unit", N_("Unit of measure"), wb.text, required=False,
                        example="", width=12, help=N_("e.g. ngày công, tấn xi măng"),
                        rule=rule("capital_line", "quantity_unit")),
        wb.ImportColumn("unit_value", N_("Value per unit (đồng)"), wb.money, required=False,
                        example="", width=16, rule=rule("capital_line", "unit_value")),
        wb.ImportColumn("decision_number", N_("Decision number"), wb.text,
                        example="56/QĐ-UBND", width=16,
                        rule=rule("capital_line", "decision_number")),
        wb.ImportColumn("decision_date", N_("Decision date"), wb.date, example="10/02/2023",
                        width=14),
        wb.ImportColumn("decision_body", N_("Assigning body"), wb.text, required=False,
                        example="UBND huyện Đắk Hà", width=22,
                        rule=rule("capital_line", "decision_body")),
        wb.ImportColumn("note", N_("Note"), wb.text, required=False, example="", width=24,
                        rule=rule("capital_line", "note")),
    ]
