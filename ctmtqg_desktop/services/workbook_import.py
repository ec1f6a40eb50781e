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
from typing import Any, NamedTuple

from ctmtqg_desktop.domain import legacy_text
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.field_rules import FieldRule
from ctmtqg_desktop.domain.formats import format_number
from ctmtqg_desktop.domain.formats import parse_date as parse_date_text
from ctmtqg_desktop.domain.money import parse_money
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _

MAX_PROBLEMS_SHOWN = 50
#: the limit of a column that names something looked up (a village, a programme, a
#: directive number), not stored as written
REFERENCE_LENGTH = 200
HEADER_SEARCH_ROWS = 15


class CellProblem(ValueError):
    """Raised by a parser with the Vietnamese reason a cell cannot be read."""


class WorkbookUnreadable(UserError):
    template = N_("The file {file} is not an Excel workbook (.xlsx) or it is damaged: {reason}")


class WorkbookHeaderMissing(UserError):
    template = N_("The file {file} has no header row with the columns {columns}. Use the "
                  "template the application writes (it lists the columns in order).")


class WorkbookLegacyEncoding(UserError):
    """The text looks typed in TCVN3 or VNI: ask the user before converting it.

    ``preview`` lists a few cells as (cell, text in the file, text once converted)."""

    template = N_("The workbook {file} seems to be typed in the old {encoding} encoding "
                  "({count} cells). Nothing was imported. Import it again and choose to "
                  "convert it to Unicode (on the command line: --legacy-encoding {code}). "
                  "The cells would read:\n{preview}")

    def __init__(self, *, file: str, encoding: str, preview: list[tuple[str, str, str]],
                 count: int) -> None:
        names = {legacy_text.TCVN3: "TCVN3 (ABC)", legacy_text.VNI: "VNI-Windows"}
        lines = "\n".join(f"{cell}: “{before}” → “{after}”" for cell, before, after in preview)
        super().__init__(file=file, encoding=names.get(encoding, encoding),
                         count=format_number(count), code=encoding, preview=lines)
        self.encoding = encoding
        self.preview = preview
        self.question = _("The workbook {file} seems to be typed in the old {encoding} "
                          "encoding ({count} cells). Some of them, as they are in the file "
                          "and once converted to Unicode:").format(
            file=file, encoding=names.get(encoding, encoding), count=format_number(count))


LEGACY_CHOICES = (legacy_text.TCVN3, legacy_text.VNI, "unicode")


class WorkbookUnknownColumns(UserError):
    """Some columns have a header the importer does not know: their values would be left
    out. Asked like :class:`WorkbookLegacyEncoding`, before anything is written.

    ``preview`` lists each column as (column letter, header in the file, what is under it:
    the number of values and the first ones)."""

    template = N_("The workbook {file} has {count} columns whose header is not one of the "
                  "template's, so their values would not be imported. Nothing was imported. "
                  "Rename the header to one of the template's columns, or import again "
                  "leaving them out (on the command line: --skip-unknown-columns). The "
                  "columns:\n{preview}")

    def __init__(self, *, file: str, preview: list[tuple[str, str, str]]) -> None:
        lines = "\n".join(f"{column}: “{header}” ({values})"
                          for column, header, values in preview)
        super().__init__(file=file, count=format_number(len(preview)), preview=lines)
        self.preview = preview
        self.question = _("The workbook {file} has {count} columns whose header is not one "
                          "of the template's; their values would not be imported:").format(
            file=file, count=format_number(len(preview)))


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
    #: the most characters a text column may hold: the same limit the area's service applies
    #: to what the forms and the command line save (:func:`check_text_lengths`)
    max_length: int | None = None
    #: the stored field's rule (:mod:`ctmtqg_desktop.domain.field_rules`): its length limit
    #: is the column's ``max_length`` and its bounds are checked on every parsed value, so
    #: an import refuses what a receiver of the sync package would refuse (issue 12)
    rule: FieldRule | None = None

    def __post_init__(self) -> None:
        if self.rule is not None and self.max_length is None:
            object.__setattr__(self, "max_length", self.rule.max_length)


def _length_problem(column: ImportColumn, value: Any) -> str | None:
    if column.max_length is None or not isinstance(value, str):
        return None
    count = len(normalize(value))
    if count <= column.max_length:
        return None
    return _("{count} characters; at most {limit} are allowed").format(
        count=format_number(count), limit=format_number(column.max_length))


def _rule_problem(column: ImportColumn, value: Any) -> str | None:
    if column.rule is None or value is None or isinstance(value, str):
        return None  # text: its length is checked before parsing, as typed
    return column.rule.problem(value)


def check_text_lengths(columns: list[ImportColumn], values: dict[str, Any]) -> None:
    """The services' own check of text lengths, against the limits the workbook columns
    declare: a form, the command line and an import refuse the same text (issue 15).
    ``BadArgument`` names the field as the workbook's header names it, and carries its key
    as the form field (``field_name()``)."""
    from ctmtqg_desktop.domain.errors import BadArgument

    by_key = {column.key: column for column in columns}
    for key, value in values.items():
        problem = _length_problem(by_key[key], value) or _rule_problem(by_key[key], value)
        if problem:
            raise BadArgument(detail=_("“{field}”: {problem}.").format(
                field=_(by_key[key].header), problem=problem),
                form_field=key)  # a form shows it under that field (issue 15)


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
#: bounds checked while the sheet is streamed, before anything is kept (issue 12: a 6 KB
#: workbook with one cell at XFD1048576 once exhausted the memory)
MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELLS = 1_000_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
LEGACY_PREVIEW_CELLS = 8


class WorkbookTooLarge(UserError):
    template = N_("The workbook {file} was not imported and nothing was changed: {reason}. "
                  "Delete the rows and columns beyond the list (or split it into several "
                  "workbooks) and import again.")


class _Cell(NamedTuple):
    value: Any
    font: str
    #: a formula whose result was never saved in the file (it reads as empty)
    uncached_formula: bool = False


@dataclass
class _Sheet:
    #: (row number, cells from column A to the row's last cell), rows in order
    rows: list[tuple[int, list[_Cell]]]
    #: merged ranges as (min_col, min_row, max_col, max_row)
    merged: list[tuple[int, int, int, int]]


def _open(path: Path):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise WorkbookUnreadable(file=path.name, reason=str(error) or type(error).__name__) \
            from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookTooLarge(file=path.name, reason=_(
            "it unpacks to more than {size} MB").format(size=MAX_UNPACKED_BYTES // 2**20))
    try:
        return load_workbook(path, read_only=True, data_only=True)
    # SyntaxError: the XML parsers' refusals (xml.etree's ParseError, lxml's
    # XMLSyntaxError), among them an entity bomb or an external entity (XXE) in the
    # workbook's parts, which both parsers refuse to expand
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as error:
        raise WorkbookUnreadable(file=path.name, reason=str(error) or type(error).__name__) \
            from error


def _too_far(path: Path, sheet_title: str, row: int, column: int) -> WorkbookTooLarge:
    from openpyxl.utils import get_column_letter

    return WorkbookTooLarge(file=path.name, reason=_(
        "the sheet “{sheet}” has a value in cell {cell}, beyond row {rows} or column {column} "
        "(the most a list may use)").format(
        sheet=sheet_title, cell=f"{get_column_letter(min(column, 16384))}{row}",
        rows=format_number(MAX_ROWS + HEADER_SEARCH_ROWS),
        column=get_column_letter(MAX_COLUMNS)))


def _read_sheet(path: Path, sheet: str | None) -> _Sheet:
    """The cells that hold something, streamed from the sheet's XML and bounded as they come.

    The sheet's declared dimension is not trusted (a wrong one made rows silently
    disappear, a huge one exhausted the memory): every row of the file is read, a value
    beyond :data:`MAX_ROWS` or :data:`MAX_COLUMNS` refuses the workbook, and so does a sheet
    of more than :data:`MAX_CELLS` cells. Empty cells that only carry a format are skipped."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            cell["uncached"] = (element.find(FORMULA_TAG) is not None
                                and not element.findtext(VALUE_TAG))
            return cell

    workbook = _open(path)
    try:
        worksheet = workbook[sheet] if sheet and sheet in workbook.sheetnames else \
            workbook.worksheets[0]
        fonts = workbook._fonts
        styles = workbook._cell_styles

        def font_of(style_id: int) -> str:
            try:
                return fonts[styles[style_id].fontId].name or ""
            except (IndexError, AttributeError):
                return ""

        rows: list[tuple[int, list[_Cell]]] = []
        seen = 0
        with worksheet._get_source() as source:
            # the text Excel and LibreOffice keep in the shared strings part: a read-only
            # workbook gives it to each sheet (the workbook's own list stays empty)
            parser = Parser(source, worksheet._shared_strings, data_only=True,
                            epoch=workbook.epoch, date_formats=workbook._date_formats,
                            timedelta_formats=workbook._timedelta_formats)
            for number, parsed in parser.parse():
                seen += len(parsed)
                if seen > MAX_CELLS:
                    raise WorkbookTooLarge(file=path.name, reason=_(
                        "the sheet “{sheet}” has more than {cells} cells").format(
                        sheet=worksheet.title, cells=format_number(MAX_CELLS)))
                kept = [c for c in parsed if c["value"] is not None or c["uncached"]]
                if not kept:
                    continue
                last = max(c["column"] for c in kept)
                if number > MAX_ROWS + HEADER_SEARCH_ROWS or last > MAX_COLUMNS:
                    far = kept[0] if number > MAX_ROWS + HEADER_SEARCH_ROWS else \
                        max(kept, key=lambda c: c["column"])
                    raise _too_far(path, worksheet.title, number, far["column"])
                cells = [_Cell(None, "")] * last
                for cell in kept:
                    cells[cell["column"] - 1] = _Cell(
                        cell["value"], font_of(cell["style_id"]) if cell["value"] is not None
                        else "", cell["uncached"])
                rows.append((number, cells))
            merged = []
            if parser.merged_cells is not None:
                from openpyxl.utils.cell import range_boundaries

                for item in parser.merged_cells.mergeCell:
                    min_col, min_row, max_col, max_row = range_boundaries(item.ref)
                    merged.append((min_col, min_row, max_col, max_row))
        rows.sort(key=lambda pair: pair[0])
        return _Sheet(rows, merged)
    # a damaged sheet's XML, or a cell naming a shared string the file does not have
    except (KeyError, ValueError, SyntaxError, IndexError) as error:
        raise WorkbookUnreadable(file=path.name, reason=str(error) or type(error).__name__) \
            from error
    finally:
        workbook.close()


def _cell_name(row: int, column_index: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column_index + 1)}{row}"


def _legacy_encoding_of(font: str, chosen: str) -> str:
    return legacy_text.font_encoding(font) or chosen


def _convert_legacy(sheet: _Sheet, path: Path, legacy_encoding: str | None) -> None:
    """Convert the cells typed in TCVN3/VNI to Unicode when asked; when not asked and some
    cell is, refuse with :class:`WorkbookLegacyEncoding` and a preview of the conversion.

    Each cell is judged on its own (:func:`legacy_text.legacy_cell`): the Unicode headers
    and example of the application's template stay as they are while the rows typed in
    TCVN3 under them are converted."""
    legacy = [(number, index, cell) for number, cells in sheet.rows
              for index, cell in enumerate(cells)
              if isinstance(cell.value, str) and legacy_text.legacy_cell(cell.value, cell.font)]
    if not legacy or legacy_encoding == "unicode":
        return
    if legacy_encoding is None:
        guessed = legacy_text.guess_encoding([c.value for _n, _i, c in legacy],
                                             [c.font for _n, _i, c in legacy])
        if guessed is None:
            return
        preview = [(_cell_name(number, index), cell.value, legacy_text.decode(
            cell.value, _legacy_encoding_of(cell.font, guessed),
            upper=legacy_text.upper_case_font(cell.font)))
            for number, index, cell in legacy[:LEGACY_PREVIEW_CELLS]]
        raise WorkbookLegacyEncoding(file=path.name, encoding=guessed, preview=preview,
                                     count=len(legacy))
    if legacy_encoding not in (legacy_text.TCVN3, legacy_text.VNI):
        return
    rows = dict(sheet.rows)
    for number, index, cell in legacy:
        rows[number][index] = cell._replace(value=legacy_text.decode(
            cell.value, _legacy_encoding_of(cell.font, legacy_encoding),
            upper=legacy_text.upper_case_font(cell.font)))


def read_rows(path: str | Path, columns: list[ImportColumn], *,
              sheet: str | None = None,
              legacy_encoding: str | None = None,
              skip_unknown_columns: bool = False) -> list[ImportedRow]:
    """All data rows of the workbook, parsed; or :class:`WorkbookRejected` if any is bad.

    ``legacy_encoding``: None detects text typed in TCVN3/VNI and refuses it with
    :class:`WorkbookLegacyEncoding` (so the user is asked); ``tcvn3`` or ``vni`` converts
    it; ``unicode`` takes the text as it is. ``skip_unknown_columns``: False refuses a
    workbook with columns whose header is unknown (:class:`WorkbookUnknownColumns`, so the
    user is asked); True reads the rows without them.
    """
    rows, problems = read_rows_with_problems(path, columns, sheet=sheet,
                                             legacy_encoding=legacy_encoding,
                                             skip_unknown_columns=skip_unknown_columns)
    reject(path, problems)
    return rows


def _find_header(sheet: _Sheet, columns: list[ImportColumn], path: Path
                 ) -> tuple[int, dict[str, int]]:
    wanted = {fold(_(c.header)): c for c in columns}
    for number, cells in sheet.rows:
        if number > HEADER_SEARCH_ROWS:
            break
        found: dict[str, int] = {}
        for index, cell in enumerate(cells):  # a repeated header: the first column is read
            if not _blank(cell.value):
                found.setdefault(fold(str(cell.value)), index)
        if all(fold(_(c.header)) in found for c in columns if c.required):
            return number, {wanted[key].key: index for key, index in found.items()
                            if key in wanted}
    raise WorkbookHeaderMissing(file=path.name, columns=", ".join(
        "“" + _(c.header) + "”" for c in columns if c.required))


def _unread_columns(sheet: _Sheet, header_row: int, read: set[int]) -> list[RowProblem]:
    """Columns holding values under a header cell that is empty or hidden by a merge: they
    would be dropped without a word, so they are named before anything is written."""
    header_cells = dict(sheet.rows).get(header_row, [])
    problems = []
    data_columns: dict[int, int] = {}
    for number, cells in sheet.rows:
        if number > header_row:
            for index, cell in enumerate(cells):
                if not _blank(cell.value) or cell.uncached_formula:
                    data_columns.setdefault(index, number)
    for index, first_row in sorted(data_columns.items()):
        if index in read or (index < len(header_cells) and
                             not _blank(header_cells[index].value)):
            continue
        merge = next((m for m in sheet.merged if m[1] <= header_row <= m[3]
                      and m[0] <= index + 1 <= m[2]), None)
        if merge is not None:
            problems.append(RowProblem(header_row, _cell_name(header_row, index), _(
                "this header cell is merged with {first}, so the column's values (from "
                "{cell}) were not read; unmerge the header cells and give the column its "
                "header").format(first=_cell_name(merge[1], merge[0] - 1),
                                 cell=_cell_name(first_row, index))))
        else:
            problems.append(RowProblem(header_row, _cell_name(header_row, index), _(
                "the column has values (from {cell}) but no header, so they were not read; "
                "write the column's header or delete its values").format(
                cell=_cell_name(first_row, index))))
    return problems


UNKNOWN_VALUES_SHOWN = 3


def _unknown_columns(sheet: _Sheet, header_row: int, read: set[int],
                     columns: list[ImportColumn]) -> list[tuple[str, str, str]]:
    """Columns whose header cell holds a text the importer does not know (or repeats a
    header already read): (column letter, header, the values under it, summed up)."""
    from openpyxl.utils import get_column_letter

    header_cells = dict(sheet.rows).get(header_row, [])
    known = {fold(_(c.header)): _(c.header) for c in columns}
    unknown = []
    for index, cell in enumerate(header_cells):
        if index in read or _blank(cell.value):
            continue
        values = [below[index].value for number, below in sheet.rows
                  if number > header_row and index < len(below)
                  and not _blank(below[index].value)]
        header = normalize(str(cell.value))
        if values:
            shown = ", ".join("“" + text(v) + "”" for v in values[:UNKNOWN_VALUES_SHOWN])
            if len(values) > UNKNOWN_VALUES_SHOWN:
                shown += ", …"
            summary = _("{count} values: {values}").format(count=format_number(len(values)),
                                                          values=shown)
        else:
            summary = _("no values")
        if fold(header) in known:
            summary = _("repeats the header of another column; {summary}").format(
                summary=summary)
        unknown.append((get_column_letter(index + 1), header, summary))
    return unknown


def _hidden_by_merges(sheet: _Sheet, path: Path) -> dict[tuple[int, int], tuple[int, int]]:
    """Every cell a merge hides (row, column index) → the merge's top-left cell, within the
    rows that hold data and the columns a list may use; bounded like the cells themselves
    (a merge covering the whole sheet is refused, not enumerated)."""
    last_row = sheet.rows[-1][0] if sheet.rows else 0
    hidden: dict[tuple[int, int], tuple[int, int]] = {}
    for min_col, min_row, max_col, max_row in sheet.merged:
        for row in range(min_row, min(max_row, last_row) + 1):
            for column in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                if (row, column) != (min_row, min_col):
                    hidden[(row, column - 1)] = (min_row, min_col - 1)
            if len(hidden) > MAX_CELLS:
                raise WorkbookTooLarge(file=path.name, reason=_(
                    "its merged cells cover more than {cells} cells").format(
                    cells=format_number(MAX_CELLS)))
    return hidden


def read_rows_with_problems(path: str | Path, columns: list[ImportColumn], *,
                            sheet: str | None = None, legacy_encoding: str | None = None,
                            skip_unknown_columns: bool = False
                            ) -> tuple[list[ImportedRow], list[RowProblem]]:
    """Like :func:`read_rows`, but the cell problems are returned, not raised, so that the
    caller adds its own checks (unknown references, duplicates) and reports every problem
    in one round with :func:`reject`. A value that could not be read is None.

    Cells and columns that cannot be read are problems too, named before anything is
    written: a formula whose result was not saved, a cell hidden by a merge, a column
    whose header is empty or merged into its neighbour's. A column whose header is not
    one of ``columns`` is asked about (:class:`WorkbookUnknownColumns`) unless
    ``skip_unknown_columns``."""
    path = Path(path)
    data = _read_sheet(path, sheet)
    _convert_legacy(data, path, legacy_encoding)
    header_row, positions = _find_header(data, columns, path)
    if not skip_unknown_columns:
        unknown = _unknown_columns(data, header_row, set(positions.values()), columns)
        if unknown:
            raise WorkbookUnknownColumns(file=path.name, preview=unknown)
    problems = _unread_columns(data, header_row, set(positions.values()))
    imported: list[ImportedRow] = []
    by_row = dict(data.rows)
    hidden = _hidden_by_merges(data, path)
    for number, cells in data.rows:
        if number <= header_row:
            continue
        if all(_blank(cell.value) and not cell.uncached_formula for cell in cells):
            continue
        row = ImportedRow(number)
        for column in columns:
            index = positions.get(column.key)
            cell = cells[index] if index is not None and index < len(cells) else _Cell(None, "")
            raw = cell.value
            if cell.uncached_formula:
                problems.append(RowProblem(number, _(column.header), _(
                    "cell {cell} holds a formula whose result was not saved in the file; open "
                    "the workbook in Excel and save it again, or type the value").format(
                    cell=_cell_name(number, index or 0))))
                row.values[column.key] = None
                continue
            if _blank(raw) and index is not None:
                merged = hidden.get((number, index))
                source = by_row.get(merged[0], []) if merged else []
                if merged and merged[1] < len(source) and not _blank(source[merged[1]].value):
                    problems.append(RowProblem(number, _(column.header), _(
                        "cell {cell} is merged with {first}, which alone holds the value; "
                        "unmerge the cells and fill every row").format(
                        cell=_cell_name(number, index),
                        first=_cell_name(merged[0], merged[1]))))
                    row.values[column.key] = None
                    continue
            if _blank(raw):
                if column.required:
                    problems.append(RowProblem(number, _(column.header),
                                               _("this cell must not be empty")))
                row.values[column.key] = None
                continue
            if isinstance(raw, str):
                raw = normalize(raw)
            too_long = _length_problem(column, raw)
            if too_long:
                problems.append(RowProblem(number, _(column.header), too_long))
                row.values[column.key] = None
                continue
            try:
                row.values[column.key] = column.parse(raw)
            except CellProblem as problem:
                problems.append(RowProblem(number, _(column.header), str(problem)))
                continue
            broken = _rule_problem(column, row.values[column.key])
            if broken:
                problems.append(RowProblem(number, _(column.header), broken))
                row.values[column.key] = None
        imported.append(row)
    if len(imported) > MAX_ROWS:
        raise WorkbookTooLarge(file=path.name, reason=_(
            "it has {rows} rows; a workbook may hold at most {limit}").format(
            rows=format_number(len(imported)), limit=format_number(MAX_ROWS)))
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
