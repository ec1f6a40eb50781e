"""Excel output that prints like the paper form: styled header, frozen panes, A4 set-up.

Every sheet gets the official header (unit / national motto, date line), a title, a ruled
table whose header row repeats on each printed page, Vietnamese number formats (đồng as whole
numbers with thousands separators, percentages with one decimal, dates dd/mm/yyyy), column
widths that fit Vietnamese text, A4 landscape fitted to the page width, and the signature
block. Files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ctmtqg_desktop.domain.formats import vietnamese_date_line
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.reports.letterhead import NATIONAL_MOTTO, NATIONAL_NAME, DocumentInfo
from ctmtqg_desktop.store.atomic_files import write_bytes_atomic

FONT_NAME = "Times New Roman"
NUMBER_FORMATS = {
    "int": "#,##0",
    "money": "#,##0",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "decimal": "#,##0.0",
    "text": "@",
}
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class XlsxColumn:
    title: str
    #: text, int, money, percent, decimal, date
    kind: str = "text"
    #: width in characters; None fits the content (up to ``max_width``)
    width: float | None = None
    max_width: float = 60
    #: merged header cells above the title, outermost first
    groups: tuple[str, ...] = ()
    #: its mark in the numbering row under the header; None: no such row
    number: str | None = None
    #: a decimal column's decimals (None: one)
    decimals: int | None = None


class XlsxEntered:
    """An empty cell the officer fills in (shaded, a figure the application does not
    record)."""


ENTERED_FILL = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class XlsxGroup:
    """A spanning, bold group-heading row (e.g. the programme of the rows below)."""

    text: str


@dataclass(frozen=True)
class XlsxTotal:
    cells: Sequence[Any]


def _text_width(value: Any) -> float:
    if value is None:
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return len(f"{value:,.0f}") + 1
    if isinstance(value, dt.date):
        return 10
    longest = max((len(line) for line in str(value).splitlines()), default=0)
    return longest * 1.1  # Vietnamese letters with marks print a little wider


def put(worksheet: Worksheet, row: int, column: int, value: Any = None) -> Any:
    """Write ``value`` into a cell; text is always stored as text.

    openpyxl turns a string starting with "=" into a live formula: a village named
    "=HYPERLINK(…)" or "=1+1" would then be computed by Excel (issue 12). Every string is
    written as a string cell (never a formula, whatever its first character: = + - @)."""
    cell = worksheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    elif value is not None:  # like openpyxl's cell(): None leaves a (merged) cell alone
        cell.value = value
    return cell


class ReportSheet:
    def __init__(self, worksheet: Worksheet, *, landscape: bool = True) -> None:
        self.ws = worksheet
        self.row = 1
        self.columns: list[XlsxColumn] = []
        self.landscape = landscape
        self._widths: dict[int, float] = {}

    # -- header -------------------------------------------------------------------------
    def _merged(self, row: int, first: int, last: int, value: str, *, bold=False, italic=False,
                size=12, align="center") -> None:
        cell = put(self.ws, row, first, normalize(value))
        cell.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def letterhead(self, info: DocumentInfo, column_count: int) -> None:
        """The official header over ``column_count`` columns, then the type and subject."""
        split = max(1, column_count * 2 // 5)
        head = info.letterhead
        self._merged(1, 1, split, head.parent_body.upper() if head.parent_body else "")
        self._merged(1, split + 1, column_count, NATIONAL_NAME, bold=True)
        self._merged(2, 1, split, head.issuing_body.upper(), bold=True)
        self._merged(2, split + 1, column_count, NATIONAL_MOTTO, bold=True, size=13)
        self._merged(3, 1, split, head.number_symbol)
        self._merged(3, split + 1, column_count,
                     vietnamese_date_line(head.place, info.date), italic=True, size=13)
        self._merged(5, 1, column_count, info.doc_type.upper(), bold=True, size=14)
        self._merged(6, 1, column_count, info.subject, bold=True, size=13)
        self.ws.row_dimensions[6].height = 36 if len(info.subject) > 90 else 20
        self.row = 8

    def note(self, text: str, *, italic: bool = True) -> None:
        count = max(len(self.columns), 1)
        self._merged(self.row, 1, count, text, italic=italic, align="left", size=12)
        self.row += 1

    # -- table --------------------------------------------------------------------------
    def table(self, columns: Sequence[XlsxColumn], rows: Sequence, *,
              autofilter: bool = True) -> tuple[int, int]:
        """Write the table; returns (header row, last row)."""
        self.columns = list(columns)
        first_header = self.row
        header_row = self._header(columns)
        current = header_row
        styles: dict[tuple[Any, ...], Any] = {}
        for row in rows:
            current += 1
            if isinstance(row, XlsxGroup):
                self._merged(current, 1, len(columns), row.text, bold=True, align="left")
                for index in range(1, len(columns) + 1):
                    cell = self.ws.cell(row=current, column=index)
                    cell.fill = GROUP_FILL
                    cell.border = BORDER
                continue
            bold = isinstance(row, XlsxTotal)
            values = row.cells if bold else row
            for index, (column, value) in enumerate(zip(columns, values), 1):
                if isinstance(value, str):
                    value = normalize(value)
                entered = isinstance(value, XlsxEntered)
                if entered:
                    value = None
                cell = put(self.ws, current, index, value)
                number_format = None
                if column.kind != "text" and value not in (None, ""):
                    number_format = NUMBER_FORMATS[column.kind]
                    if column.kind == "decimal" and column.decimals:
                        number_format = "#,##0." + "0" * column.decimals
                numeric = column.kind in ("int", "money", "percent", "decimal")
                # one style per kind of cell, shared: openpyxl makes and hashes a style
                # object per assignment otherwise (issue 17: 11 s of the consolidated report
                # of 3,321 children); a cell styled before keeps the slow, exact path
                key = (entered, bold, number_format, numeric)
                shared = None if cell.has_style else styles.get(key)
                if shared is not None:
                    cell._style = copy(shared)
                else:
                    fresh = not cell.has_style
                    if entered:
                        cell.fill = ENTERED_FILL
                    cell.font = Font(name=FONT_NAME, size=12, bold=bold)
                    cell.border = BORDER
                    if number_format is not None:
                        cell.number_format = number_format
                    cell.alignment = Alignment(horizontal="right" if numeric else "left",
                                               vertical="top", wrap_text=not numeric)
                    if fresh:
                        styles[key] = copy(cell._style)
                self._note_width(index, _text_width(value))
        self.ws.freeze_panes = self.ws.cell(row=header_row + 1, column=1)
        if autofilter and current > header_row:
            self.ws.auto_filter.ref = (f"A{header_row}:{get_column_letter(len(columns))}"
                                       f"{current}")
        self.ws.print_title_rows = f"{first_header}:{header_row}"
        self.row = current + 2
        self._apply_widths()
        return header_row, current

    def _head_cell(self, row: int, column: int, text: str) -> None:
        cell = put(self.ws, row, column, normalize(text) if text else None)
        cell.font = Font(name=FONT_NAME, size=12, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def _header(self, columns: Sequence[XlsxColumn]) -> int:
        """The header rows from ``self.row``: group titles merged over their columns, each
        title merged down to the last header row, then the numbering row; returns the last
        header row."""
        depth = max((len(c.groups) for c in columns), default=0) + 1
        top = self.row
        for level in range(depth):
            for index in range(1, len(columns) + 1):
                self._head_cell(top + level, index, "")
            index = 0
            while index < len(columns):
                column = columns[index]
                if level < len(column.groups):
                    path = column.groups[:level + 1]
                    last = index
                    while last + 1 < len(columns) and columns[last + 1].groups[:level + 1] == path:
                        last += 1
                    self._head_cell(top + level, index + 1, path[-1])
                    if last > index:
                        self.ws.merge_cells(start_row=top + level, start_column=index + 1,
                                            end_row=top + level, end_column=last + 1)
                    index = last + 1
                    continue
                if level == len(column.groups):
                    self._head_cell(top + level, index + 1, column.title)
                    self._note_width(index + 1, max((len(w) for w in column.title.split()),
                                                    default=4) + 2)
                    if depth - 1 > level:
                        self.ws.merge_cells(start_row=top + level, start_column=index + 1,
                                            end_row=top + depth - 1, end_column=index + 1)
                index += 1
            self.ws.row_dimensions[top + level].height = 32
        last_row = top + depth - 1
        if any(c.number for c in columns):
            last_row += 1
            for index, column in enumerate(columns, 1):
                self._head_cell(last_row, index, column.number or "")
        return last_row

    def signers(self, blocks: Sequence[tuple[str, str, str]]) -> None:
        """Signature blocks side by side: authority and title lines, space, the name."""
        count = max(len(self.columns), len(blocks), 1)
        share = max(1, count // max(len(blocks), 1))
        start = self.row
        bottom = start
        for number, (authority, title, name) in enumerate(blocks):
            first = 1 + number * share
            last = count if number == len(blocks) - 1 else first + share - 1
            lines = [p.strip() for text in (authority, title) for p in (text or "").split(" - ")
                     if p.strip()]
            for offset, text in enumerate(lines):
                self._merged(start + offset, first, last, text.upper(), bold=True)
            name_row = start + len(lines) + 4
            self._merged(name_row, first, last, name, bold=True)
            bottom = max(bottom, name_row)
        self.row = bottom + 2

    def _note_width(self, index: int, width: float) -> None:
        self._widths[index] = max(self._widths.get(index, 0), width)

    def _apply_widths(self) -> None:
        for index, column in enumerate(self.columns, 1):
            width = column.width or min(max(self._widths.get(index, 8), 8) + 2, column.max_width)
            self.ws.column_dimensions[get_column_letter(index)].width = width

    # -- signature and page set-up ------------------------------------------------------
    def signature(self, info: DocumentInfo) -> None:
        count = max(len(self.columns), 2)
        split = count // 2
        sign = info.signature
        start = self.row
        self._merged(start, 1, split, "Nơi nhận:", bold=True, italic=True, align="left")
        for offset, recipient in enumerate(sign.recipients, 1):
            self._merged(start + offset, 1, split, f"- {recipient}", size=11, align="left")
        lines = [p.strip().upper() for text in (sign.authority, sign.title)
                 for p in (text or "").split(" - ") if p.strip()]
        for offset, text in enumerate(lines):
            self._merged(start + offset, split + 1, count, text, bold=True)
        name_row = start + len(lines) + 4
        self._merged(name_row, split + 1, count, sign.signer_name, bold=True)
        self.row = max(name_row, start + len(sign.recipients)) + 2

    def finish(self) -> None:
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if self.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = 30 / MM_PER_INCH
        ws.page_margins.right = 15 / MM_PER_INCH
        ws.page_margins.top = 20 / MM_PER_INCH
        ws.page_margins.bottom = 20 / MM_PER_INCH
        ws.oddFooter.center.text = "Trang &P/&N"
        ws.oddFooter.center.font = FONT_NAME
        if self.columns:
            ws.print_area = f"A1:{get_column_letter(len(self.columns))}{max(self.row, 1)}"


class ReportWorkbook:
    def __init__(self) -> None:
        self.workbook = Workbook()
        self._first = True
        self.sheets: list[ReportSheet] = []

    def add_sheet(self, title: str, *, landscape: bool = True) -> ReportSheet:
        if self._first:
            worksheet = self.workbook.active
            worksheet.title = title[:31]
            self._first = False
        else:
            worksheet = self.workbook.create_sheet(title[:31])
        sheet = ReportSheet(worksheet, landscape=landscape)
        self.sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        for sheet in self.sheets:
            sheet.finish()
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    def write(self, path: str | os.PathLike) -> None:
        write_bytes_atomic(path, self.to_bytes())
