"""A report declared once: its sheets, notes and tables (columns, groups and totals), laid out
as an Excel workbook or an official PDF by :func:`write`; the area that builds a report never
branches on the format.

    write(Document(info, sheets=[Sheet(title, [Note(text), Table(columns, rows)])]), fmt, out)

A row is a list of values, one per column; a :class:`Group` row spans the table; a
:class:`Total` row is bold. Values are what the workbook holds (numbers, dates, text); the PDF
prints them by the column's kind (1.234.567, dd/mm/yyyy). Where the two must differ (a
percent the workbook holds as a fraction and the PDF prints as a whole number), the value is
a :class:`Cell` carrying both.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.reports.letterhead import DocumentInfo

FORMATS = ("xlsx", "pdf")
_NUMERIC = ("int", "money", "percent", "decimal")


@dataclass(frozen=True)
class Column:
    title: str
    #: text, int, money, percent, decimal, date (the workbook's number format)
    kind: str = "text"
    #: the workbook's width in characters (None: fit the content)
    width: float | None = None
    #: the PDF's relative width
    weight: float = 1
    #: the PDF's alignment (default: numbers right, the rest left)
    align: str | None = None
    #: False for an ordinal (No.): the PDF prints 1234, not 1.234
    grouped: bool = True
    #: the workbook's widest fitted width
    max_width: float = 60
    #: the PDF's decimals of a percent (None: format_percent's own)
    decimals: int | None = None

    @property
    def pdf_align(self) -> str:
        return self.align or ("right" if self.kind in _NUMERIC else "left")


@dataclass(frozen=True)
class Cell:
    """A value the workbook holds one way and the PDF prints another."""
    value: Any
    text: str


@dataclass(frozen=True)
class Group:
    """A bold row spanning the table: the heading of the rows below it."""
    text: str


@dataclass(frozen=True)
class Total:
    """A bold row of cells (sums)."""
    cells: Sequence[Any]


@dataclass(frozen=True)
class Note:
    """A paragraph above or between tables (``only``: in one format alone)."""
    text: str
    italic: bool = False
    only: str | None = None


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    rows: Sequence[Any]
    #: the PDF's font size (None: the document's table size)
    font_size: float | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook; in the PDF, its parts follow the previous sheet's."""
    title: str
    parts: Sequence[Note | Table]
    landscape: bool = True


@dataclass(frozen=True)
class Document:
    info: DocumentInfo
    sheets: Sequence[Sheet] = field(default_factory=tuple)

    @property
    def landscape(self) -> bool:
        return bool(self.sheets) and self.sheets[0].landscape


def pdf_text(column: Column, value: Any) -> str:
    """How the PDF prints a value of ``column``."""
    if isinstance(value, Cell):
        return value.text
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column.kind == "date" and isinstance(value, dt.date):
        return format_date(value)
    if column.kind in ("int", "money", "decimal") and isinstance(value, (int, float)):
        return format_number(value) if column.grouped else str(value)
    if column.kind == "percent" and isinstance(value, (int, float)):
        return (format_percent(value) if column.decimals is None
                else format_percent(value, decimals=column.decimals))
    return str(value)


def _xlsx_value(value: Any) -> Any:
    return value.value if isinstance(value, Cell) else value


def write(document: Document, fmt: str, out: str | os.PathLike[str]) -> None:
    """Lay the document out as ``fmt`` (xlsx or pdf) into ``out`` (written atomically)."""
    if fmt == "xlsx":
        _write_xlsx(document, out)
    elif fmt == "pdf":
        _write_pdf(document, out)
    else:
        raise ValueError(f"unknown format {fmt}")


def _write_xlsx(document: Document, out: str | os.PathLike[str]) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import (
        ReportWorkbook,
        XlsxColumn,
        XlsxGroup,
        XlsxTotal,
    )

    book = ReportWorkbook()
    for index, sheet_spec in enumerate(document.sheets):
        sheet = book.add_sheet(sheet_spec.title, landscape=sheet_spec.landscape)
        tables = [part for part in sheet_spec.parts if isinstance(part, Table)]
        if index == 0:
            sheet.letterhead(document.info, len(tables[0].columns) if tables else 6)
        for part in sheet_spec.parts:
            if isinstance(part, Note):
                if part.only in (None, "xlsx"):
                    sheet.note(part.text)
                continue
            columns = [XlsxColumn(c.title, c.kind, width=c.width, max_width=c.max_width)
                       for c in part.columns]
            rows: list[Any] = []
            for row in part.rows:
                if isinstance(row, Group):
                    rows.append(XlsxGroup(row.text))
                elif isinstance(row, Total):
                    rows.append(XlsxTotal([_xlsx_value(v) for v in row.cells]))
                else:
                    rows.append([_xlsx_value(v) for v in row])
            sheet.table(columns, rows)
        if index == 0:
            sheet.signature(document.info)
    book.write(out)


def _write_pdf(document: Document, out: str | os.PathLike[str]) -> None:
    from ctmtqg_desktop.reports.pdf_document import GroupRow, OfficialPdf, PdfColumn, TotalRow

    pdf = OfficialPdf(document.info, landscape=document.landscape)
    for sheet in document.sheets:
        for part in sheet.parts:
            if isinstance(part, Note):
                if part.only in (None, "pdf"):
                    pdf.paragraph(part.text, italic=part.italic)
                continue
            columns = part.columns
            rows: list[Any] = []
            for row in part.rows:
                if isinstance(row, Group):
                    rows.append(GroupRow(row.text))
                elif isinstance(row, Total):
                    rows.append(TotalRow([pdf_text(c, v) for c, v in zip(columns, row.cells)]))
                else:
                    rows.append([pdf_text(c, v) for c, v in zip(columns, row)])
            options = {} if part.font_size is None else {"font_size": part.font_size}
            pdf.table([PdfColumn(c.title, c.weight, c.pdf_align) for c in columns], rows,
                      **options)
    pdf.write(out)
