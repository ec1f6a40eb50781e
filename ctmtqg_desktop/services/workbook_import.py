"""Bulk entry from Excel: read a documented template, check every row, all or nothing.

An area declares its columns once (:class:`ImportColumn`: header, parser, whether required,
a help text and an example) and gets both the empty template the app writes for users
(:func:`write_template`) and the reader (:func:`read_rows`). The reader finds the header row,
reads every data row, and either returns all rows or raises :class:`WorkbookRejected` naming
each bad row and column in Vietnamese; the caller then writes all rows in one unit of work,
so a bad workbook changes nothing.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctmtqg_desktop.domain import legacy_text
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import parse_date as parse_date_text
from ctmtqg_desktop.domain.money import parse_money
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _

MAX_PROBLEMS_SHOWN = 50
HEADER_SEARCH_ROWS = 15


class CellProblem(ValueError):
    """Raised by a parser with the Vietnamese reason a cell cannot be read."""


class WorkbookUnreadable(UserError):
    template = N_("The file {file} is not an Excel workbook (.xlsx) or it is damaged: {reason}")


class WorkbookHeaderMissing(UserError):
    template = N_("The file {file} has no header row with the columns {columns}. Use the "
                  "template the application writes (it lists the columns in order).")


class WorkbookLegacyEncoding(UserError):
    """The text looks typed in TCVN3 or VNI: ask the user before converting it."""

    template = N_("The workbook {file} seems to be typed in the old {encoding} encoding (its "
                  "text reads like “{sample}”; converted: “{converted}”). Nothing was "
                  "imported. Import it again and choose to convert it to Unicode (on the "
                  "command line: --legacy-encoding {code}).")

    def __init__(self, *, file: str, encoding: str, sample: str, converted: str) -> None:
        names = {legacy_text.TCVN3: "TCVN3 (ABC)", legacy_text.VNI: "VNI-Windows"}
        super().__init__(file=file, encoding=names.get(encoding, encoding), sample=sample,
                         converted=converted, code=encoding)
        self.encoding = encoding


LEGACY_CHOICES = (legacy_text.TCVN3, legacy_text.VNI, "unicode")


class WorkbookRejected(UserError):
    """Some rows are wrong: nothing was imported. ``problems`` lists each one."""

    template = N_("The workbook {file} was not imported and nothing was changed: {count} "
                  "problems must be corrected first.\n{problems}")

    def __init__(self, *, file: str, problems: list[RowProblem]) -> None:
        shown = "\n".join(str(p) for p in problems[:MAX_PROBLEMS_SHOWN])
        if len(problems) > MAX_PROBLEMS_SHOWN:
            shown += "\n" + _("… and {more} more.").format(more=len(problems) - MAX_PROBLEMS_SHOWN)
        super().__init__(file=file, count=len(problems), problems=shown)
        self.problems = problems


class ImportStopped(UserError):
    """The user pressed Cancel during an import: nothing was written."""

    template = N_("Stopped by the user; nothing was changed.")


def stepper(progress: Callable[[int, int], None] | None,
            stop_requested: Callable[[], bool] | None) -> Callable[[int, int], None]:
    """``step(done, total)`` for an import's loops: reports progress and raises
    :class:`ImportStopped` once the user asked to stop (always before the commit)."""

    def step(done: int, total: int) -> None:
        if stop_requested is not None and stop_requested():
            raise ImportStopped()
        if progress is not None:
            progress(done, total)

    return step


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: rows added, rows updated, and rows already as the workbook says
    (a workbook imported twice changes nothing the second time: every row is unchanged)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def text(self, what: str) -> str:
        """The sentence the command line and the pages show; ``what`` names the records
        (translated, e.g. “thôn”)."""
        from ctmtqg_desktop.domain.formats import format_number

        return _("Imported {what}: {added} added, {updated} updated, {unchanged} "
                 "unchanged.").format(what=what, added=format_number(self.added),
                                      updated=format_number(self.updated),
                                      unchanged=format_number(self.unchanged))


class Tally:
    """Counts added / updated / unchanged records while an import writes them; a record
    counts as updated only when the flush would really change it (the journal's own test)."""

    def __init__(self) -> None:
        self.added = self.updated = self.unchanged = 0

    def count(self, session: Any, record: Any, *, new: bool) -> None:
        if new:
            self.added += 1
        elif session.is_modified(record, include_collections=False):
            self.updated += 1
        else:
            self.unchanged += 1

    def outcome(self) -> ImportOutcome:
        return ImportOutcome(self.added, self.updated, self.unchanged)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row {row}, column “{column}”: {message}").format(
            row=self.row, column=self.column, message=self.message)


@dataclass(frozen=True)
class ImportColumn:
    key: str
    #: the header as users see it (an English msgid, translated)
    header: str
    parse: Callable[[Any], Any]
    required: bool = True
    help: str = ""
    example: Any = ""
    width: float = 18


@dataclass
class ImportedRow:
    row: int
    values: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------- cell parsers
def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize(str(value))


def whole_number(value: Any) -> int:
    if isinstance(value, bool):
        raise CellProblem(_("“{value}” is not a whole number").format(value=value))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return parse_money(str(value), allow_negative=True)
    except UserError:
        raise CellProblem(_("“{value}” is not a whole number").format(value=value)) from None


def money(value: Any) -> int:
    """Integer đồng from a number cell or text such as ``1.250.000``."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellProblem(_("{value} has a fraction of a đồng").format(value=value))
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise CellProblem(_("an amount cannot be negative"))
        return value
    try:
        return parse_money(str(value))
    except UserError as error:
        raise CellProblem(str(error)) from None


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date_text(str(value))
    except UserError as error:
        raise CellProblem(str(error)) from None


def choice(options: dict[str, Any]) -> Callable[[Any], Any]:
    """A parser accepting any of ``options``' keys, diacritics and case ignored."""
    folded = {fold(key): value for key, value in options.items()}

    def parse(value: Any) -> Any:
        found = folded.get(fold(str(value)))
        if found is None:
            raise CellProblem(_("“{value}” is not one of: {options}").format(
                value=value, options=", ".join(options)))
        return found

    return parse


def yes_no(value: Any) -> bool:
    return choice({"có": True, "x": True, "không": False, "1": True, "0": False})(value)


# ------------------------------------------------------------------------- reading
def _open(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WorkbookUnreadable(file=path.name, reason=str(error) or type(error).__name__) \
            from error


def _cells(path: Path, sheet: str | None) -> list[list[tuple[Any, str]]]:
    """Every row as (value, font name) pairs; the font tells a legacy encoding apart."""
    workbook = _open(path)
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else \
            workbook.worksheets[0]
        rows = []
        for row in worksheet.iter_rows():
            rows.append([(cell.value, (cell.font.name or "") if cell.value is not None and
                          getattr(cell, "font", None) else "") for cell in row])
        return rows
    finally:
        workbook.close()


def _convert_legacy(rows, path: Path, legacy_encoding: str | None):
    """Convert TCVN3/VNI text to Unicode when asked; refuse when it is detected but not asked."""
    texts = [v for row in rows for v, _font in row if isinstance(v, str)]
    fonts = {font for row in rows for v, font in row if isinstance(v, str)}
    if legacy_encoding is None:
        guessed = legacy_text.guess_encoding(texts, fonts)
        if guessed:
            sample = max(texts, key=legacy_text.suspicious_characters)
            raise WorkbookLegacyEncoding(file=path.name, encoding=guessed, sample=sample[:40],
                                         converted=legacy_text.decode(sample, guessed)[:40])
        return rows
    if legacy_encoding not in (legacy_text.TCVN3, legacy_text.VNI):
        return rows
    converted = []
    for row in rows:
        converted.append([
            (legacy_text.decode(v, legacy_encoding,
                                upper=font.rstrip().endswith("H") and font.lstrip(".")
                                .lower().startswith("vn")) if isinstance(v, str) else v, font)
            for v, font in row])
    return converted


def read_rows(path: str | Path, columns: list[ImportColumn], *,
              sheet: str | None = None,
              legacy_encoding: str | None = None) -> list[ImportedRow]:
    """All data rows of the workbook, parsed; or :class:`WorkbookRejected` if any is bad.

    ``legacy_encoding``: None detects text typed in TCVN3/VNI and refuses it with
    :class:`WorkbookLegacyEncoding` (so the user is asked); ``tcvn3`` or ``vni`` converts
    it; ``unicode`` takes the text as it is.
    """
    rows, problems = read_rows_with_problems(path, columns, sheet=sheet,
                                             legacy_encoding=legacy_encoding)
    reject(path, problems)
    return rows


def read_rows_with_problems(path: str | Path, columns: list[ImportColumn], *,
                            sheet: str | None = None, legacy_encoding: str | None = None
                            ) -> tuple[list[ImportedRow], list[RowProblem]]:
    """Like :func:`read_rows`, but the cell problems are returned, not raised, so that the
    caller adds its own checks (unknown references, duplicates) and reports every problem
    in one round with :func:`reject`. A value that could not be read is None."""
    path = Path(path)
    rows = _convert_legacy(_cells(path, sheet), path, legacy_encoding)
    wanted = {fold(_(c.header)): c for c in columns}
    positions: dict[str, int] = {}
    header_row = 0
    for number, cells in enumerate(rows[:HEADER_SEARCH_ROWS], 1):
        found = {fold(str(value)): index for index, (value, _font) in enumerate(cells)
                 if not _blank(value)}
        if all(fold(_(c.header)) in found for c in columns if c.required):
            positions = {wanted[key].key: index for key, index in found.items() if key in wanted}
            header_row = number
            break
    if not header_row:
        raise WorkbookHeaderMissing(file=path.name, columns=", ".join(
            "“" + _(c.header) + "”" for c in columns if c.required))
    imported: list[ImportedRow] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(rows[header_row:], header_row + 1):
        values = [value for value, _font in cells]
        if all(_blank(value) for value in values):
            continue
        row = ImportedRow(number)
        for column in columns:
            index = positions.get(column.key)
            raw = values[index] if index is not None and index < len(values) else None
            if _blank(raw):
                if column.required:
                    problems.append(RowProblem(number, _(column.header),
                                               _("this cell must not be empty")))
                row.values[column.key] = None
                continue
            if isinstance(raw, str):
                raw = normalize(raw)
            try:
                row.values[column.key] = column.parse(raw)
            except CellProblem as problem:
                problems.append(RowProblem(number, _(column.header), str(problem)))
        imported.append(row)
    return imported, problems


def reject(path: str | Path, problems: list[RowProblem]) -> None:
    """Refuse the workbook when there is any problem, listed by row (nothing is written)."""
    if problems:
        ordered = sorted(problems, key=lambda p: p.row)
        raise WorkbookRejected(file=Path(path).name, problems=ordered)


# ------------------------------------------------------------------------- template
def write_template(path: str | Path, columns: list[ImportColumn], *, title: str,
                   guide: list[str] = ()) -> Path:
    """An empty workbook with the header row, one example row and a guide sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ctmtqg_desktop.reports.xlsx_workbook import BORDER, FONT_NAME, HEADER_FILL
    from ctmtqg_desktop.store.atomic_files import write_bytes_atomic

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Data")
    sheet["A1"] = title
    sheet["A1"].font = Font(name=FONT_NAME, size=13, bold=True)
    for index, column in enumerate(columns, 1):
        cell = sheet.cell(row=3, column=index, value=_(column.header))
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        example = sheet.cell(row=4, column=index, value=column.example)
        example.font = Font(name=FONT_NAME, italic=True, color="808080")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet["A2"] = _("Row 4 is an example: replace it with your data (one row per record).")
    sheet["A2"].font = Font(name=FONT_NAME, italic=True)
    sheet.freeze_panes = "A4"
    help_sheet = workbook.create_sheet(_("Guide"))
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["B"].width = 90
    help_sheet["A1"] = title
    help_sheet["A1"].font = Font(name=FONT_NAME, size=13, bold=True)
    line = 3
    for text_line in guide:
        help_sheet.cell(row=line, column=1, value=text_line)
        line += 1
    line += 1
    for column in columns:
        name = help_sheet.cell(row=line, column=1, value=_(column.header))
        name.font = Font(name=FONT_NAME, bold=True)
        required = _("required") if column.required else _("optional")
        explained = required + ". " + _(column.help) if column.help else required
        help_sheet.cell(row=line, column=2, value=explained).alignment = Alignment(
            wrap_text=True)
        line += 1
    from io import BytesIO

    buffer = BytesIO()
    workbook.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
    return Path(path)
