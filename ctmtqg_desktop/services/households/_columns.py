"""The columns of the households workbook: read by the import, and the text limits the
household service applies to what the forms save (one limit per field)."""

from __future__ import annotations

from ctmtqg_desktop.domain.field_rules import rule
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.services import workbook_import as wb

_STATUS_WORDS = {"hộ nghèo": "poor", "nghèo": "poor", "hộ cận nghèo": "near_poor",
                 "cận nghèo": "near_poor", "hộ mới thoát nghèo": "recently_out",
                 "mới thoát nghèo": "recently_out", "không": "none", "không thuộc diện": "none"}


def import_columns() -> list[wb.ImportColumn]:

    return [
        wb.ImportColumn("head_name", N_("Head of household"), wb.text, example="Y Thị Hoa",
                        width=24, rule=rule("household", "head_name")),
        wb.ImportColumn("id_number", N_("ID number"), wb.text, required=False, max_length=20,
                        example="062185001234", width=16,
                        help=N_("12 digits of the citizen identity card (or 9 of an old card)")),
        wb.ImportColumn("birth_year", N_("Year of birth"), wb.whole_number, required=False,
                        example=1985, width=10, rule=rule("household", "birth_year")),
        wb.ImportColumn("village", N_("Village"), wb.text,
                        max_length=wb.REFERENCE_LENGTH, example="Làng Kon Gung",
                        help=N_("a village of the commune, as listed in the catalog")),
        wb.ImportColumn("ethnicity", N_("Ethnicity"), wb.text, required=False,
                        example="Xơ Đăng", width=14, rule=rule("household", "ethnicity")),
        wb.ImportColumn("poverty_status", N_("Household status"), wb.choice(_STATUS_WORDS),
                        required=False, example="hộ nghèo", width=18,
                        help=N_("hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo or không")),
        wb.ImportColumn("ethnic_minority", N_("Ethnic minority household"), wb.yes_no,
                        required=False, example="có", width=12),
        wb.ImportColumn("members", N_("Members"), wb.whole_number, required=False, example=5,
                        width=10, rule=rule("household", "members")),
        wb.ImportColumn("note", N_("Note"), wb.text, required=False, example="",
                        rule=rule("household", "note")),
    ]
