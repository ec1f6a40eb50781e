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
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
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
#: the smallest size a table shrinks to before its columns may overflow (never below it)
TABLE_MIN_SIZE = 6.5
#: a cell's left plus right padding
CELL_PADDING = 6


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


class _NumberedDocTemplate(BaseDocTemplate):
    """Numbers a page once its content is drawn, so that a document starting on it is known;
    two page templates, ``portrait`` and ``landscape`` (attached tables are landscape pages
    of a portrait report), the first one given first."""

    def __init__(self, *args: Any, number_page: Any, first: str = "portrait",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._number_page = number_page
        templates = []
        for name, size in (("portrait", A4), ("landscape", to_landscape(A4))):
            frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, size[0] - MARGIN_LEFT - MARGIN_RIGHT,
                          size[1] - MARGIN_TOP - MARGIN_BOTTOM, id=name,
                          leftPadding=6, rightPadding=6, topPadding=6, bottomPadding=6)
            templates.append(PageTemplate(id=name, frames=[frame], pagesize=size))
        templates.sort(key=lambda t: t.id != first)
        self.addPageTemplates(templates)

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
    #: the merged header cells above the title, outermost first
    groups: tuple[str, ...] = ()
    #: its mark in the numbering row under the header ("A", "1"), None: no such row
    number: str | None = None
    #: True for numbers, dates and money: the cell's text is never broken across lines
    unbreakable: bool = False


@dataclass(frozen=True)
class GroupRow:
    """A row spanning the whole table, in bold: a group heading (e.g. a programme)."""

    text: str


@dataclass(frozen=True)
class TotalRow:
    """A bold row of cells (sums)."""

    cells: Sequence[str]


_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
_CELL_ALIGN = {"left": "LEFT", "right": "RIGHT", "center": "CENTER"}


class OfficialPdf:
    def __init__(self, info: DocumentInfo, *, landscape: bool = False,
                 with_signature: bool = True) -> None:
        register_fonts()
        self.info = info
        self.pagesize = to_landscape(A4) if landscape else A4
        self.first_orientation = self.orientation = "landscape" if landscape else "portrait"
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

    @property
    def text_width(self) -> float:
        """The width of the text on the current page (less the frame's padding)."""
        size = to_landscape(A4) if self.orientation == "landscape" else A4
        return float(size[0] - MARGIN_LEFT - MARGIN_RIGHT - 12)

    def set_landscape(self, landscape: bool) -> None:
        """Continue on a new page of the other orientation when it differs (a landscape
        table attached to a portrait report)."""
        wanted = "landscape" if landscape else "portrait"
        if wanted != self.orientation:
            self.story += [NextPageTemplate(wanted), PageBreak()]
            self.orientation = wanted

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
        center12b = paragraph_style("c12b", font=SERIF_BOLD, size=12, align=TA_CENTER)
        center13b = paragraph_style("c13b", font=SERIF_BOLD, size=13, align=TA_CENTER)
        center13 = paragraph_style("c13", size=13, align=TA_CENTER, space_before=4)
        date_style = paragraph_style("date", font=SERIF_ITALIC, size=13, align=TA_CENTER,
                                     space_before=4)

        left: list = []
        if head.parent_body:
            # the parent body in full on one line: set smaller (to 10.5 pt) rather than wrap
            parent = head.parent_body.upper()
            size = 12.0
            while stringWidth(parent, SERIF, size) > left_width - 4 and size > 10.5:
                size -= 0.5
            left.append(Paragraph(escape_markup(parent), paragraph_style(
                "parent_body", size=size, align=TA_CENTER)))
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
        left = [Paragraph("Nơi nhận:", recipients_label)]
        for line in sign.recipients:
            left.append(Paragraph(escape_markup(f"- {line}"), recipient))
        right = self.signature_lines(sign.authority, sign.title, sign.signer_name)
        half = self.text_width / 2
        table = Table([[left, right]], colWidths=[half, half])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return [Spacer(1, 6 * mm), KeepTogether([table])]

    def signature_here(self) -> None:
        """"Nơi nhận" and the signature here rather than at the end (before the tables
        attached to a report)."""
        if self.with_signature:
            self.story = _kept_with_last_line(self.story, self._signature())
            self.with_signature = False

    @staticmethod
    def signature_lines(authority: str, title: str, name: str) -> list[Any]:
        """The signature block (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.8): the authority
        ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH") and the title ("CHỦ TỊCH") each on its own
        line in bold capitals, the space to sign, then the signer's name in bold."""
        centre_bold = paragraph_style("sb", font=SERIF_BOLD, size=13, align=TA_CENTER)
        lines = [part for text in (authority, title) for part in split_authority(text)]
        block: list[Any] = [Paragraph(escape_markup(line.upper()), centre_bold) for line in lines]
        block.append(Spacer(1, 24 * mm))
        block.append(Paragraph(escape_markup(name) if name else " ", centre_bold))
        return block

    def signatures(self, blocks: Sequence[tuple[str, str, str]]) -> None:
        """Side-by-side signature blocks (the table's "NGƯỜI LẬP BIỂU" and the authority)."""
        if not blocks:
            return
        width = self.text_width / len(blocks)
        table = Table([[self.signature_lines(*block) for block in blocks]],
                      colWidths=[width] * len(blocks))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.story += [Spacer(1, 4 * mm), KeepTogether([table])]

    # -- content ------------------------------------------------------------------------
    def heading(self, text: str) -> None:
        self.story.append(CondPageBreak(30 * mm))
        self.story.append(Paragraph(escape_markup(text), self.styles["heading"]))

    def paragraph(self, text: str, *, italic: bool = False, indent: bool = True) -> None:
        style = self.styles["italic" if italic else ("body" if indent else "plain")]
        self.story.append(Paragraph(escape_markup(text), style))

    def authority_line(self, text: str) -> None:
        """A centred bold line: the issuing authority above the grounds of a decision
        ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐẮK LA") or "QUYẾT ĐỊNH:" above its articles."""
        style = paragraph_style("authority", font=SERIF_BOLD, size=14, align=TA_CENTER,
                                space_before=6, space_after=6)
        self.story.append(Paragraph(escape_markup(text), style))

    def grounds(self, lines: Sequence[str]) -> None:
        """The grounds (căn cứ) of a decision, each on its own line in italics (Nghị định
        30/2020/NĐ-CP, Phụ lục I: each ends with ";", the last with ".")."""
        for line in lines:
            self.story.append(Paragraph(escape_markup(line), self.styles["italic"]))

    def markup(self, text: str, *, indent: bool = True) -> None:
        """A paragraph with reportlab inline markup (<b>, <i>); the caller escapes data."""
        self.story.append(Paragraph(text, self.styles["body" if indent else "plain"]))

    def spacer(self, height_mm: float = 4) -> None:
        self.story.append(Spacer(1, height_mm * mm))

    def page_break(self) -> None:
        self.story.append(PageBreak())

    def table(self, columns: Sequence[PdfColumn], rows: Sequence, *,
              font_size: float = TABLE_SIZE) -> None:
        """A ruled table whose header repeats on every page; cells are already formatted.

        No word, number, date or amount is ever broken across lines: every column is at
        least as wide as its longest word (a number column: its longest value) at the
        table's size; the rest of the width is shared by weight; when the columns do not fit,
        the whole table is set smaller (down to :data:`TABLE_MIN_SIZE`)."""
        size, widths = fit_columns(columns, rows, self.text_width, font_size)
        leading = size * 1.2
        cell_styles = [paragraph_style(f"cell{i}", align=_ALIGN[c.align], size=size,
                                       leading=leading) for i, c in enumerate(columns)]
        bold_styles = [paragraph_style(f"bcell{i}", font=SERIF_BOLD, align=_ALIGN[c.align],
                                       size=size, leading=leading)
                       for i, c in enumerate(columns)]
        head_style = paragraph_style("head_cell", font=SERIF_BOLD, align=TA_CENTER, size=size,
                                     leading=leading)
        group_style = paragraph_style("group_cell", font=SERIF_BOLD, size=size,
                                      leading=leading)
        for item in (*cell_styles, *bold_styles, head_style):
            item.splitLongWords = 0
        data, commands = _header_rows(columns, head_style)
        header_count = len(data)
        room = [width - CELL_PADDING for width in widths]
        bold_rows: list[int] = []
        group_rows: set[int] = set()
        commands += [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, header_count - 1), colors.Color(0.9, 0.9, 0.9)),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING / 2),
        ]
        for row in rows:
            index = len(data)
            if isinstance(row, GroupRow):
                data.append([CellParagraph(escape_markup(row.text), group_style)]
                            + [""] * (len(columns) - 1))
                commands.append(("SPAN", (0, index), (-1, index)))
                group_rows.add(index)
                commands.append(("BACKGROUND", (0, index), (-1, index),
                                 colors.Color(0.96, 0.96, 0.96)))
            elif isinstance(row, TotalRow):
                data.append([_cell(cell, bold_styles[i], room[i])
                             for i, cell in enumerate(row.cells)])
                bold_rows.append(index)
            else:
                data.append([_cell(cell, cell_styles[i], room[i])
                             for i, cell in enumerate(row)])
        if len(data) > header_count:  # how the one-line cells (plain strings) are set
            commands += [("FONTNAME", (0, header_count), (-1, -1), SERIF),
                         ("FONTSIZE", (0, header_count), (-1, -1), size),
                         ("LEADING", (0, header_count), (-1, -1), leading)]
            commands += [("ALIGN", (i, header_count), (i, -1), _CELL_ALIGN[c.align])
                         for i, c in enumerate(columns)]
            # after the body's font: the later command wins
            commands += [("FONTNAME", (0, i), (-1, i), SERIF_BOLD) for i in bold_rows]
        heights = [None] * header_count + _body_row_heights(
            data, header_count, group_rows, widths, leading)
        table = Table(data, colWidths=widths, repeatRows=header_count, rowHeights=heights)
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
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFont(SERIF, 13)
        canvas.drawCentredString(width / 2 + (MARGIN_LEFT - MARGIN_RIGHT) / 2,
                                 height - MARGIN_TOP / 2 - 4, str(number))
        canvas.restoreState()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        document = _NumberedDocTemplate(
            buffer, number_page=self._number_page, pagesize=self.pagesize,
            first=self.first_orientation,
            leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=normalize(f"{self.info.doc_type} {self.info.subject}"),
            author=normalize(self.info.letterhead.issuing_body), creator="CTMTQG Desktop")
        story = list(self.story)
        if self.with_signature:
            story = _kept_with_last_line(story, self._signature())
        document.build(story)
        return buffer.getvalue()

    def write(self, path: str | os.PathLike) -> None:
        write_bytes_atomic(path, self.to_bytes())


def _kept_with_last_line(story: list[Any], signature: list[Any]) -> list[Any]:
    """The signature never alone on a page: the paragraph before it goes with it. A
    KeepTogether inside another measures as endless (ReportLab forces a split with it), which
    pushed every signature to a page of its own: the inner ones are opened."""
    if story and isinstance(story[-1], Paragraph):
        flat = [part for item in signature for part in
                (item._content if isinstance(item, KeepTogether) else [item])]
        return [*story[:-1], KeepTogether([story[-1], *flat])]
    return [*story, *signature]


class CellParagraph(Paragraph):  # type: ignore[misc]
    """A table cell's Paragraph, wrapped once per width. A table measures its cells' heights
    when it is laid out, again for each piece when it is split across pages, and again when
    each cell is drawn, always at the column's width: the lines are the same each time, so
    the first wrap's are kept (Paragraph.wrap depends on the width and the style only). The
    portfolio's overlap review (1,133 pairs) wrapped 2,900 cells 9,200 times (issue 17)."""

    _wrapped_width: float | None = None

    def wrap(self, availWidth: float,  # noqa: N803 (reportlab's names)
             availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth == self._wrapped_width:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth if self.width == availWidth else None
        return size


#: a body cell's top and bottom padding (the table's TOPPADDING and BOTTOMPADDING)
_CELL_TOP, _CELL_BOTTOM = 2, 3


def _body_row_heights(data: Sequence[Sequence[Any]], header_count: int, group_rows: set[int],
                      widths: Sequence[float], leading: float) -> list[float]:
    """The height of each body row, as reportlab's ``Table._calc_height`` gives it (the
    tallest cell: a plain string's lines times the leading, a Paragraph's wrapped height at
    the column's width less the padding; a group row's Paragraph at the table's width;
    plus the top and bottom padding). Given to the table, they are not measured there: a
    table without merged header cells measured every remaining row at each page break, the
    list ``H`` searched from its start for each row (3,398 households on 165 pages: 1.8 s
    of 2.2 s; issue 17). The header rows (merged cells) are still measured by reportlab."""
    side = CELL_PADDING / 2
    padding = _CELL_BOTTOM + _CELL_TOP  # in reportlab's order: bottom + top
    table_width = 0.0
    for width in widths:  # reportlab's column positions, summed in its order
        table_width = table_width + width
    heights = []
    for index in range(header_count, len(data)):
        tallest = 0.0
        for column, value in enumerate(data[index]):
            if isinstance(value, Flowable):
                width = widths[column]
                if index in group_rows and column == 0:  # spans the whole row
                    width = max(table_width, width)
                height = value.wrapOn(None, width - side - side,
                                      72000 - _CELL_TOP - _CELL_BOTTOM)[1]
            else:
                height = leading * len((value is not None and str(value) or "").split("\n"))
            height += padding
            if height > tallest:
                tallest = height
        heights.append(tallest)
    return heights


def _cell(value: Any, style: ParagraphStyle, room: float) -> Any:
    """A body cell: a plain string when its text fits on one line of the column (the
    table sets it with the row's font, size and alignment), a Paragraph that wraps between
    words otherwise. A Paragraph is measured and wrapped again at each page break and
    when drawn: the consolidated report of 800 children spent most of its 11-14 s there
    (issue 17). Either way no word or number is broken across lines (:func:`fit_columns`
    makes every column at least as wide as its longest word)."""
    text = " ".join(str(value).split())
    if stringWidth(text, style.fontName, style.fontSize) <= room:
        return text
    return CellParagraph(escape_markup(str(value)), style)


def split_grounds(text: str) -> list[str]:
    """"Căn cứ A; căn cứ B; xét đề nghị C," as the lines Nghị định 30 asks for: "Căn cứ
    A;", "Căn cứ B;", "Xét đề nghị C." (one ground a line, ";" at each end, "." at the
    last)."""
    parts = [part.strip(" ;,.") for part in text.split(";") if part.strip(" ;,.")]
    lines = [part[:1].upper() + part[1:] + ";" for part in parts]
    if lines:
        lines[-1] = lines[-1][:-1] + "."
    return lines


def split_authority(text: str) -> list[str]:
    """"TM. ỦY BAN NHÂN DÂN - CHỦ TỊCH" written on one line is two lines of a signature."""
    return [part.strip() for part in (text or "").split(" - ") if part.strip()]


def _words(text: str) -> list[str]:
    return [word for word in str(text).split() if word]


def fit_columns(columns: Sequence[PdfColumn], rows: Sequence[Any], width: float,
                font_size: float) -> tuple[float, list[float]]:
    """The table's font size and column widths: each column at least its longest word (its
    longest whole value for an unbreakable column, its header's longest word in bold) wide,
    the remaining width shared by weight; smaller sizes are tried until the columns fit."""
    size = font_size
    while True:
        least = [_least_width(index, column, rows, size) for index, column in
                 enumerate(columns)]
        if sum(least) <= width or size <= TABLE_MIN_SIZE:
            return size, _share(columns, least, width)
        size = max(TABLE_MIN_SIZE, size - 0.5)


def _least_width(index: int, column: PdfColumn, rows: Sequence[Any], size: float) -> float:
    widest = max((stringWidth(word, SERIF_BOLD, size) for word in _words(column.title)),
                 default=0)
    if column.number:
        widest = max(widest, stringWidth(column.number, SERIF_BOLD, size))
    for row in rows:
        if isinstance(row, GroupRow):
            continue
        bold = isinstance(row, TotalRow)
        cells = row.cells if bold else row
        text = str(cells[index])
        font = SERIF_BOLD if bold else SERIF
        pieces = [text] if column.unbreakable and text else _words(text)
        for piece in pieces:
            widest = max(widest, stringWidth(piece, font, size))
    return float(widest) + CELL_PADDING + 1


def _share(columns: Sequence[PdfColumn], least: list[float], width: float) -> list[float]:
    """Widths by weight over ``width``, none below its ``least``."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(columns)) if i not in fixed]
        room = width - sum(fixed.values())
        weight = sum(columns[i].weight for i in free) or 1
        short = [i for i in free if room * columns[i].weight / weight < least[i]]
        if not short or not free:
            break
        for i in short:
            fixed[i] = least[i]
    room = max(0.0, width - sum(fixed.values()))
    weight = sum(columns[i].weight for i in range(len(columns)) if i not in fixed) or 1
    return [fixed.get(i, room * columns[i].weight / weight) for i in range(len(columns))]


def _header_rows(columns: Sequence[PdfColumn], style: ParagraphStyle
                 ) -> tuple[list[list[Any]], list[Any]]:
    """The header: group titles merged over their columns, each title spanning down to the
    last header row, then the numbering row when the columns carry numbers."""
    depth = max((len(c.groups) for c in columns), default=0) + 1
    data: list[list[Any]] = [["" for _c in columns] for _r in range(depth)]
    commands: list[Any] = []
    for level in range(depth):
        index = 0
        while index < len(columns):
            column = columns[index]
            if level < len(column.groups):
                path = column.groups[:level + 1]
                last = index
                while last + 1 < len(columns) and columns[last + 1].groups[:level + 1] == path:
                    last += 1
                data[level][index] = CellParagraph(escape_markup(path[-1]), style)
                if last > index:
                    commands.append(("SPAN", (index, level), (last, level)))
                index = last + 1
                continue
            if level == len(column.groups):
                data[level][index] = CellParagraph(escape_markup(column.title), style)
                if depth - 1 > level:
                    commands.append(("SPAN", (index, level), (index, depth - 1)))
            index += 1
    if any(c.number for c in columns):
        data.append([CellParagraph(escape_markup(c.number or ""), style) for c in columns])
    return data, commands
