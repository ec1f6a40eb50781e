"""PDF documents in the Nghị định 30/2020/NĐ-CP layout (Phụ lục I).

A4 (portrait, or landscape for wide tables); margins top and bottom 20 mm, left 30 mm,
right 15 mm; Times-compatible font; page numbers centred in the top margin from page 2; the
two-column header (cơ quan chủ quản / cơ quan ban hành / số, ký hiệu — Quốc hiệu / Tiêu ngữ /
địa danh, ngày), the document type and subject, the body (13 pt, justified, first-line
indent 1 cm), then "Nơi nhận" and the signature block.

    pdf = OfficialPdf(info, landscape=True)
    pdf.heading("I. KẾT QUẢ THỰC HIỆN")
    pdf.paragraph("Thực hiện Kế hoạch số 729/KH-UBND ...")
    pdf.table([PdfColumn("Nội dung", 8), PdfColumn("Số tiền", 3, align="right")], rows)
    pdf.write(path)
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ctmtqg_desktop.domain.formats import vietnamese_date_line
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.reports.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from ctmtqg_desktop.reports.letterhead import NATIONAL_MOTTO, NATIONAL_NAME, DocumentInfo
from ctmtqg_desktop.store.atomic_files import write_bytes_atomic

MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
BODY_SIZE = 13
TABLE_SIZE = 11


def _escape_keeping_spaces(text: str) -> str:
    """Markup that keeps every space (the blank where the clerk writes the number)."""
    import unicodedata

    safe = unicodedata.normalize("NFC", text).replace("&", "&amp;").replace("<", "&lt;")
    return safe.replace(">", "&gt;").replace(" ", "&nbsp;")


def escape_markup(text: str) -> str:
    """NFC text made safe for reportlab's paragraph markup."""
    return (normalize(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def paragraph_style(name: str, *, font: str = SERIF, size: float = BODY_SIZE, align=TA_LEFT,
                    leading: float | None = None, first_indent: float = 0,
                    space_after: float = 0, space_before: float = 0) -> ParagraphStyle:
    """A paragraph style in the document's serif font (leading 1.25 by default)."""
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.25,
                          alignment=align, firstLineIndent=first_indent,
                          spaceAfter=space_after, spaceBefore=space_before)


class DocumentStart(Flowable):
    """Marks where a document begins in a PDF that binds several (a dossier's forms): page
    numbers count from it, and its first page has none (Nghị định 30/2020/NĐ-CP, Phụ lục I:
    the page number from the second page of each document)."""

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv._ctmtqg_document_first_page = self.canv.getPageNumber()


class _NumberedDocTemplate(SimpleDocTemplate):
    """Numbers a page once its content is drawn, so that a document starting on it is known."""

    def __init__(self, *args, number_page, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._number_page = number_page

    def afterPage(self) -> None:  # noqa: N802 (reportlab API)
        first = getattr(self.canv, "_ctmtqg_document_first_page", 1)
        number = self.canv.getPageNumber() - first + 1
        if number > 1:
            self._number_page(self.canv, number)


class Rule(Flowable):
    """A horizontal line of a given width, centred: the rules under the header's lines."""

    def __init__(self, width: float, *, thickness: float = 0.6, space: float = 2) -> None:
        super().__init__()
        self.rule_width = width
        self.thickness = thickness
        self.space = space

    def wrap(self, available_width, available_height):
        self._available = available_width
        return available_width, self.space * 2 + self.thickness

    def draw(self):
        left = (self._available - self.rule_width) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(left, self.space, left + self.rule_width, self.space)


@dataclass(frozen=True)
class PdfColumn:
    title: str
    #: relative width (the table fills the text width in proportion)
    weight: float = 1
    align: str = "left"  # left, right, center


@dataclass(frozen=True)
class GroupRow:
    """A row spanning the whole table, in bold: a group heading (e.g. a programme)."""

    text: str


@dataclass(frozen=True)
class TotalRow:
    """A bold row of cells (sums)."""

    cells: Sequence[str]


_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}


class OfficialPdf:
    def __init__(self, info: DocumentInfo, *, landscape: bool = False,
                 with_signature: bool = True) -> None:
        register_fonts()
        self.info = info
        self.pagesize = to_landscape(A4) if landscape else A4
        self.text_width = self.pagesize[0] - MARGIN_LEFT - MARGIN_RIGHT
        self.with_signature = with_signature
        self.story: list = [DocumentStart()]
        self.styles = {
            "body": paragraph_style("body", align=TA_JUSTIFY, first_indent=10 * mm,
                                    space_after=4),
            "plain": paragraph_style("plain", align=TA_LEFT, space_after=2),
            "italic": paragraph_style("italic", font=SERIF_ITALIC, align=TA_JUSTIFY,
                                      first_indent=10 * mm, space_after=4),
            "heading": paragraph_style("heading", font=SERIF_BOLD, space_before=6,
                                       space_after=4, align=TA_JUSTIFY,
                                       first_indent=10 * mm),
            "type": paragraph_style("type", font=SERIF_BOLD, size=14, align=TA_CENTER,
                                    space_before=14),
            "subject": paragraph_style("subject", font=SERIF_BOLD, size=14, align=TA_CENTER,
                                       space_after=2),
            "cell": paragraph_style("cell", size=TABLE_SIZE, leading=TABLE_SIZE * 1.2),
            "cell_bold": paragraph_style("cell_bold", font=SERIF_BOLD, size=TABLE_SIZE,
                                         leading=TABLE_SIZE * 1.2),
            "head_cell": paragraph_style("head_cell", font=SERIF_BOLD, size=TABLE_SIZE,
                                         align=TA_CENTER, leading=TABLE_SIZE * 1.2),
        }
        self._header()

    # -- the fixed parts ----------------------------------------------------------------
    def replace_header(self, flowable) -> None:
        """Put another heading in place of the two-column header (a form without the
        issuing body's column: only the national motto)."""
        position = self.story.index(self.header_table)
        self.story[position] = self.header_table = flowable

    def _header(self) -> None:
        head = self.info.letterhead
        left_width = self.text_width * (0.42 if self.pagesize[0] < self.pagesize[1] else 0.38)
        right_width = self.text_width - left_width
        center12 = paragraph_style("c12", size=12, align=TA_CENTER)
        center12b = paragraph_style("c12b", font=SERIF_BOLD, size=12, align=TA_CENTER)
        center13b = paragraph_style("c13b", font=SERIF_BOLD, size=13, align=TA_CENTER)
        center13 = paragraph_style("c13", size=13, align=TA_CENTER, space_before=4)
        date_style = paragraph_style("date", font=SERIF_ITALIC, size=13, align=TA_CENTER,
                                     space_before=4)

        left: list = []
        if head.parent_body:
            left.append(Paragraph(escape_markup(head.parent_body.upper()), center12))
        issuing = head.issuing_body.upper()
        left.append(Paragraph(escape_markup(issuing), center12b))
        issuing_width = min(stringWidth(issuing, SERIF_BOLD, 12), left_width - 6 * mm)
        left.append(Rule(issuing_width / 2.5))
        # the blank before the symbol is where the clerk writes the number: keep its width
        left.append(Paragraph(_escape_keeping_spaces(head.number_symbol), center13))

        right = [
            Paragraph(NATIONAL_NAME, center12b),
            Paragraph(NATIONAL_MOTTO, center13b),
            Rule(stringWidth(NATIONAL_MOTTO, SERIF_BOLD, 13)),
            Paragraph(escape_markup(vietnamese_date_line(head.place, self.info.date)), date_style),
        ]
        table = Table([[left, right]], colWidths=[left_width, right_width])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        self.header_table = table
        self.story.append(table)
        self.story.append(Paragraph(escape_markup(self.info.doc_type.upper()), self.styles["type"]))
        if self.info.subject:
            self.story.append(Paragraph(escape_markup(self.info.subject), self.styles["subject"]))
            self.story.append(Rule(40 * mm, space=4))
        self.story.append(Spacer(1, 4 * mm))

    def _signature(self) -> list:
        sign = self.info.signature
        recipients_label = paragraph_style("rl", font=SERIF_BOLD_ITALIC, size=12)
        recipient = paragraph_style("r", size=11, leading=13)
        centre_bold = paragraph_style("sb", font=SERIF_BOLD, size=13, align=TA_CENTER)
        left = [Paragraph("Nơi nhận:", recipients_label)]
        for line in sign.recipients:
            left.append(Paragraph(escape_markup(f"- {line}"), recipient))
        right: list = []
        if sign.authority:
            right.append(Paragraph(escape_markup(sign.authority.upper()), centre_bold))
        right.append(Paragraph(escape_markup(sign.title.upper()), centre_bold))
        right.append(Spacer(1, 24 * mm))
        right.append(Paragraph(escape_markup(sign.signer_name) if sign.signer_name else " ",
                               centre_bold))
        half = self.text_width / 2
        table = Table([[left, right]], colWidths=[half, half])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return [Spacer(1, 6 * mm), KeepTogether([table])]

    # -- content ------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        self.story.append(CondPageBreak(30 * mm))
        self.story.append(Paragraph(escape_markup(text), self.styles["heading"]))

    def paragraph(self, text: str, *, italic: bool = False, indent: bool = True) -> None:
        style = self.styles["italic" if italic else ("body" if indent else "plain")]
        self.story.append(Paragraph(escape_markup(text), style))

    def markup(self, text: str, *, indent: bool = True) -> None:
        """A paragraph with reportlab inline markup (<b>, <i>); the caller escapes data."""
        self.story.append(Paragraph(text, self.styles["body" if indent else "plain"]))

    def spacer(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def table(self, columns: Sequence[PdfColumn], rows: Sequence, *,
              font_size: float = TABLE_SIZE) -> None:
        """A ruled table whose header repeats on every page; cells are already formatted."""
        total_weight = sum(c.weight for c in columns) or 1
        widths = [self.text_width * c.weight / total_weight for c in columns]
        cell_styles = [
            paragraph_style(f"cell{i}", size=font_size, leading=font_size * 1.2,
                            align=_ALIGN[c.align])
            for i, c in enumerate(columns)
        ]
        bold_styles = [
            paragraph_style(f"bcell{i}", font=SERIF_BOLD, size=font_size, leading=font_size * 1.2,
                   align=_ALIGN[c.align])
            for i, c in enumerate(columns)
        ]
        data = [[Paragraph(escape_markup(c.title), self.styles["head_cell"]) for c in columns]]
        commands = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for row in rows:
            index = len(data)
            if isinstance(row, GroupRow):
                data.append([Paragraph(escape_markup(row.text), self.styles["cell_bold"])]
                            + [""] * (len(columns) - 1))
                commands.append(("SPAN", (0, index), (-1, index)))
                commands.append(("BACKGROUND", (0, index), (-1, index),
                                 colors.Color(0.96, 0.96, 0.96)))
            elif isinstance(row, TotalRow):
                data.append([Paragraph(escape_markup(str(cell)), bold_styles[i])
                             for i, cell in enumerate(row.cells)])
            else:
                data.append([Paragraph(escape_markup(str(cell)), cell_styles[i])
                             for i, cell in enumerate(row)])
        table = Table(data, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(commands))
        self.story.append(table)
        self.story.append(Spacer(1, 3 * mm))

    def key_values(self, pairs: Sequence[tuple[str, str]]) -> None:
        """"Label: value" lines, as on a filled form."""
        for label, value in pairs:
            self.story.append(Paragraph(f"{escape_markup(label)}: <b>{escape_markup(value)}</b>",
                                        self.styles["plain"]))

    # -- output -------------------------------------------------------------------------
    def _number_page(self, canvas, number: int) -> None:
        canvas.saveState()
        canvas.setFont(SERIF, 13)
        canvas.drawCentredString(self.pagesize[0] / 2 + (MARGIN_LEFT - MARGIN_RIGHT) / 2,
                                 self.pagesize[1] - MARGIN_TOP / 2 - 4, str(number))
        canvas.restoreState()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        document = _NumberedDocTemplate(
            buffer, number_page=self._number_page, pagesize=self.pagesize,
            leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=normalize(f"{self.info.doc_type} {self.info.subject}"),
            author=normalize(self.info.letterhead.issuing_body), creator="CTMTQG Desktop")
        story = list(self.story)
        if self.with_signature:
            story += self._signature()
        document.build(story)
        return buffer.getvalue()

    def write(self, path: str | os.PathLike) -> None:
        write_bytes_atomic(path, self.to_bytes())
