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
    #: the PDF's decimals of a percent or a decimal (None: format_percent's own, none)
    decimals: int | None = None
    #: in one format alone (``xlsx`` or ``pdf``)
    only: str | None = None
    #: the PDF's title where it differs from the workbook's
    pdf_title: str | None = None
    #: merged header cells above the title, outermost first ("Kế hoạch vốn", "NSTW")
    groups: tuple[str, ...] = ()
    #: its mark in the numbering row under the header ("A", "1"); None: no such row
    number: str | None = None

    @property
    def pdf_align(self) -> str:
        return self.align or ("right" if self.kind in _NUMERIC else "left")


@dataclass(frozen=True)
class Cell:
    """A value the workbook holds one way and the PDF prints another."""
    value: Any
    text: str


@dataclass(frozen=True)
class Entered:
    """A cell the officer fills in by hand: blank in both formats, shaded in the workbook
    (a figure the application does not record, e.g. an official poverty rate)."""


@dataclass(frozen=True)
class Group:
    """A bold row spanning the table: the heading of the rows below it."""
    text: str | Cell


@dataclass(frozen=True)
class Total:
    """A bold row of cells (sums)."""
    cells: Sequence[Any]


@dataclass(frozen=True)
class Note:
    """A paragraph above or between tables (``only``: in one format alone); italic in the
    workbook and upright in the PDF unless ``italic`` says."""
    text: str
    italic: bool | None = None
    only: str | None = None
    #: the PDF's first-line indent
    indent: bool = True


@dataclass(frozen=True)
class Heading:
    """The heading of a part (I., II., …): a bold paragraph in the PDF, an upright note in
    the workbook."""
    text: str
    only: str | None = None


@dataclass(frozen=True)
class Signatures:
    """Signature blocks side by side under a table: ``(authority, title, name)`` each
    ("NGƯỜI LẬP BIỂU" on the left, the unit's authority on the right)."""
    blocks: Sequence[tuple[str, str, str]]
    only: str | None = None


@dataclass(frozen=True)
class Table:
    columns: Sequence[Column]
    rows: Sequence[Any]
    #: the PDF's font size (None: the document's table size)
    font_size: float | None = None
    only: str | None = None


@dataclass(frozen=True)
class Sheet:
    """A sheet of the workbook; in the PDF, its parts follow the previous sheet's."""
    title: str
    parts: Sequence[Note | Heading | Table | Signatures]
    landscape: bool = True
    #: a workbook's sheet alone (``xlsx``) or the PDF's alone (``pdf``)
    only: str | None = None
    #: the unit's letterhead and the signature on this sheet (None: on the first one alone)
    letterhead: bool | None = None
    signature: bool | None = None


@dataclass(frozen=True)
class Document:
    info: DocumentInfo
    sheets: Sequence[Sheet] = field(default_factory=tuple)
    #: the PDF's "Nơi nhận" and signature after this many sheets (None: at the end), so
    #: that the tables attached to a report follow its signature
    pdf_signature_after: int | None = None
    #: False: the PDF has no "Nơi nhận" and signature of its own (tables signed under them)
    pdf_signature: bool = True

    @property
    def landscape(self) -> bool:
        return bool(self.sheets) and self.sheets[0].landscape


def pdf_text(column: Column, value: Any) -> str:
    """How the PDF prints a value of ``column``."""
    if isinstance(value, Cell):
        return value.text
    if value is None or isinstance(value, Entered):
        return ""
    if isinstance(value, str):
        return value
    if column.kind == "date" and isinstance(value, dt.date):
        return format_date(value)
    if column.kind == "decimal" and column.decimals and isinstance(value, (int, float)):
        return format_number(value, decimals=column.decimals)
    if column.kind in ("int", "money", "decimal") and isinstance(value, (int, float)):
        return format_number(value) if column.grouped else str(value)
    if column.kind == "percent" and isinstance(value, (int, float)):
        return (format_percent(value) if column.decimals is None
                else format_percent(value, decimals=column.decimals))
    return str(value)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Entered):
        from ctmtqg_desktop.reports.xlsx_workbook import XlsxEntered

        return XlsxEntered()
    return value.value if isinstance(value, Cell) else value


def _in(part: Any, fmt: str) -> bool:
    return part.only in (None, fmt)


def _cells(columns: Sequence[Column], values: Sequence[Any], fmt: str) -> list[tuple[Column, Any]]:
    """The values of the columns shown in ``fmt``, with their columns."""
    return [(c, v) for c, v in zip(columns, values) if _in(c, fmt)]


def write(document: Document, fmt: str, out: str | os.PathLike[str]) -> None:
    """Lay the document out as ``fmt`` (xlsx or pdf) into ``out`` (written atomically)."""
    if fmt == "xlsx":
        _write_xlsx(document, out)
    elif fmt == "pdf":
        _write_pdf(document, out)
    else:
        raise ValueError(f"unknown format {fmt}")


def _write_xlsx(document: Document, out: str | os.PathLike[str]) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import ReportWorkbook

    book = ReportWorkbook()
    sheets = [sheet for sheet in document.sheets if _in(sheet, "xlsx")]
    for index, sheet_spec in enumerate(sheets):
        sheet = book.add_sheet(sheet_spec.title, landscape=sheet_spec.landscape)
        parts = [part for part in sheet_spec.parts if _in(part, "xlsx")]
        first = index == 0
        if first if sheet_spec.letterhead is None else sheet_spec.letterhead:
            tables = [part for part in parts if isinstance(part, Table)]
            count = len([c for c in tables[0].columns if _in(c, "xlsx")]) if tables else 6
            sheet.letterhead(document.info, count)
        for part in parts:
            if isinstance(part, Note):
                sheet.note(part.text, italic=True if part.italic is None else part.italic)
            elif isinstance(part, Heading):
                sheet.note(part.text, italic=False)
            elif isinstance(part, Signatures):
                sheet.signers(part.blocks)
            else:
                _xlsx_table(sheet, part)
        if first if sheet_spec.signature is None else sheet_spec.signature:
            sheet.signature(document.info)
    book.write(out)


def _xlsx_table(sheet: Any, table: Table) -> None:
    from ctmtqg_desktop.reports.xlsx_workbook import XlsxColumn, XlsxGroup, XlsxTotal

    columns = [XlsxColumn(c.title, c.kind, width=c.width, max_width=c.max_width,
                          groups=c.groups, number=c.number, decimals=c.decimals)
               for c in table.columns if _in(c, "xlsx")]
    rows: list[Any] = []
    for row in table.rows:
        if isinstance(row, Group):
            rows.append(XlsxGroup(_xlsx_value(row.text)))
        elif isinstance(row, Total):
            rows.append(XlsxTotal([_xlsx_value(v) for _c, v in
                                   _cells(table.columns, row.cells, "xlsx")]))
        else:
            rows.append([_xlsx_value(v) for _c, v in _cells(table.columns, row, "xlsx")])
    sheet.table(columns, rows)


def _write_pdf(document: Document, out: str | os.PathLike[str]) -> None:
    from ctmtqg_desktop.reports.pdf_document import OfficialPdf

    pdf = OfficialPdf(document.info, landscape=document.landscape,
                      with_signature=document.pdf_signature)
    for index, sheet in enumerate(document.sheets):
        if index == document.pdf_signature_after:
            pdf.signature_here()
        if not _in(sheet, "pdf"):
            continue
        pdf.set_landscape(sheet.landscape)
        for part in sheet.parts:
            if not _in(part, "pdf"):
                continue
            if isinstance(part, Note):
                pdf.paragraph(part.text, italic=bool(part.italic), indent=part.indent)
            elif isinstance(part, Heading):
                pdf.heading(part.text)
            elif isinstance(part, Signatures):
                pdf.signatures(part.blocks)
            else:
                _pdf_table(pdf, part)
    pdf.write(out)


def pdf_cells(document: Document) -> list[str]:
    """Every text the PDF prints in a table cell, header titles included (what a test reads
    back from the file)."""
    found: list[str] = []
    for sheet in document.sheets:
        if not _in(sheet, "pdf"):
            continue
        for table in sheet.parts:
            if not isinstance(table, Table) or not _in(table, "pdf"):
                continue
            columns = [c for c in table.columns if _in(c, "pdf")]
            found += [c.pdf_title or c.title for c in columns]
            paths = {c.groups[:level + 1] for c in columns for level in range(len(c.groups))}
            found += [path[-1] for path in sorted(paths)]
            for row in table.rows:
                if isinstance(row, Group):
                    continue
                values = row.cells if isinstance(row, Total) else row
                found += [pdf_text(c, v) for c, v in _cells(table.columns, values, "pdf")]
    return [text for text in found if text]


def _pdf_table(pdf: Any, table: Table) -> None:
    from ctmtqg_desktop.reports.pdf_document import GroupRow, PdfColumn, TotalRow

    rows: list[Any] = []
    for row in table.rows:
        if isinstance(row, Group):
            rows.append(GroupRow(row.text.text if isinstance(row.text, Cell) else row.text))
        elif isinstance(row, Total):
            rows.append(TotalRow([pdf_text(c, v) for c, v in
                                  _cells(table.columns, row.cells, "pdf")]))
        else:
            rows.append([pdf_text(c, v) for c, v in _cells(table.columns, row, "pdf")])
    options = {} if table.font_size is None else {"font_size": table.font_size}
    pdf.table([PdfColumn(c.pdf_title or c.title, c.weight, c.pdf_align, groups=c.groups,
                         number=c.number, unbreakable=c.kind in (*_NUMERIC, "date"))
               for c in table.columns if _in(c, "pdf")], rows, **options)
