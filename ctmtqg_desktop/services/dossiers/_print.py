"""Print dossier forms as PDF in the Nghị định 30/2020/NĐ-CP layout: filled or blank.

A form is printed with the commune's header (or, for a citizen's or a group's form such as
an "Đơn đề nghị", only the national motto), its type and subject, the template's layout
with the filled values, every amount in figures and in words ("Bằng chữ: Một triệu hai trăm
nghìn đồng"), household tables and the signature block of the template's signers. A blank
form leaves dotted lines to fill by hand. :func:`print_dossier` puts every filled form of a
dossier into one PDF.

ID numbers in household tables are masked unless ``reveal_ids`` is asked for.
"""

from __future__ import annotations

import datetime as dt
import json
import string
import uuid
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ctmtqg_desktop.domain.dossier_templates import FormField, FormSpec, TemplateDocument
from ctmtqg_desktop.domain.errors import BadArgument, UserError
from ctmtqg_desktop.domain.formats import vietnamese_date_line
from ctmtqg_desktop.domain.forms import display_value
from ctmtqg_desktop.domain.money import amount_in_words
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.i18n import N_, _, pgettext
from ctmtqg_desktop.reports.fonts import SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC
from ctmtqg_desktop.reports.letterhead import (
    NATIONAL_MOTTO,
    NATIONAL_NAME,
    DocumentInfo,
    Letterhead,
)
from ctmtqg_desktop.reports.pdf_document import (
    OfficialPdf,
    PdfColumn,
    Rule,
    escape_markup,
    paragraph_style,
    split_authority,
    split_grounds,
)
from ctmtqg_desktop.services import catalog, households, report_catalog
from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

DOTS = "……………………………"
BLANK_HOUSEHOLD_ROWS = 10
#: the fields a record's (biên bản) opening prints; the body does not print them again
MINUTES_FIELDS = frozenset({"start_time", "end_time", "place", "chair", "chair_position",
                            "secretary", "secretary_position", "participants"})


def _clock(value: Any) -> str:
    """"08:30" as the minutes write it: "08 giờ 30 phút"; nothing typed: dots to fill."""
    if not value:
        return _("….. hours ….. minutes")
    hour, minute = str(value).split(":")
    return _("{hour} hours {minute} minutes").format(hour=hour, minute=minute)


def _long_date(day: dt.date | None) -> str:
    """"ngày 05 tháng 3 năm 2025" (Nghị định 30's date, without the place)."""
    return vietnamese_date_line("", day).removeprefix(", ")


def _minutes_day(form: FormSpec, values: dict[str, Any], day: dt.date | None,
                 blank: bool) -> dt.date | None:
    """The day of the meeting: the form's first date (ngày họp, ngày nghiệm thu, ngày bàn
    giao) when typed, else the document's date."""
    for field in form.fields:
        if field.type == "date" and values.get(field.key):
            return dt.date.fromisoformat(values[field.key])
    return None if blank else day


def _minutes_signers(field: FormField, names: dict[str, str],
                     values: dict[str, Any]) -> dict[str, str]:
    """The signers of a record: a "Thư ký" or "Chủ trì" role left empty takes the name
    typed as the secretary or the chair."""
    names = dict(names)
    for role in field.roles:
        folded = fold(role)
        key = "secretary" if "thu ky" in folded else "chair" if (
            "chu tri" in folded or "chu toa" in folded) else None
        if key and not names.get(role) and values.get(key):
            names[role] = str(values[key])
    return names


class NothingToPrint(UserError):
    template = N_("The dossier of “{project}” has no filled form to print yet.")


class _Blanks(dict):
    """Format values for a layout line: unknown or empty placeholders print as dots."""

    def __missing__(self, key: str) -> str:
        return DOTS


def _format(text: str, values: dict[str, str]) -> str:
    """The layout line with its values; a value that repeats the words before its place is
    not doubled ("thuộc dự án {project}" with "Dự án hỗ trợ…": "thuộc dự án hỗ trợ…")."""
    shown = {key: value for key, value in values.items() if value}
    result = ""
    for literal, name, spec, conversion in string.Formatter().parse(text):
        result += literal
        if name is None:
            continue
        value = string.Formatter().vformat("{" + name + (("!" + conversion) if conversion
                                                         else "") + (":" + spec if spec else "")
                                           + "}", (), _Blanks(shown))
        result += _without_repeat(result, value)
    return result


def _without_repeat(before: str, value: str) -> str:
    """``value`` without its first words when ``before`` ends with the same words."""
    words, tail = value.split(), before.split()
    for count in (3, 2, 1):
        if len(words) > count and len(tail) >= count and \
                [w.casefold() for w in words[:count]] == [w.casefold() for w in tail[-count:]]:
            return " ".join(words[count:])
    return value


def _context(workspace: Workspace, project: Project | None, village: str) -> dict[str, str]:
    unit = catalog.get_unit(workspace, workspace.installation().unit_id)
    names = {"commune": f"{catalog.unit_kind_label(unit.kind)} {unit.name}"}
    names["commune_upper"] = names["commune"].upper()
    parent_id = unit.parent_id
    while parent_id:
        parent = catalog.get_unit(workspace, parent_id)
        key = "province" if parent.kind == "province" else "district"
        names.setdefault(key, f"{catalog.unit_kind_label(parent.kind)} {parent.name}")
        parent_id = parent.parent_id
    names["project"] = project.name if project else ""
    names["village"] = village
    names["year"] = str(workspace.today().year)
    return names


def _info(workspace: Workspace, form: FormSpec, day: dt.date | None) -> DocumentInfo:
    info = report_catalog.document_info(workspace, doc_type=form.doc_type, subject=form.subject,
                                        symbol=form.symbol or "")
    head = info.letterhead
    if not form.symbol:  # a citizen's or a group's paper: the national motto only
        head = Letterhead(parent_body="", issuing_body="", place=head.place, number_symbol="")
    return DocumentInfo(doc_type=info.doc_type, subject=info.subject, date=day,
                        letterhead=head, signature=info.signature)


def _motto_only(info: DocumentInfo) -> Table:
    """The header of a paper written by citizens (Đơn): the national name and motto, centred,
    then the place and date, with no issuing body."""
    name = paragraph_style("motto_name", font=SERIF_BOLD, size=12.5, align=TA_CENTER)
    motto = paragraph_style("motto", font=SERIF_BOLD, size=13.5, align=TA_CENTER)
    date = paragraph_style("motto_date", font=SERIF_ITALIC, size=13, align=TA_CENTER,
                           space_before=6)
    cells = [Paragraph(NATIONAL_NAME, name), Paragraph(NATIONAL_MOTTO, motto),
             Rule(stringWidth(NATIONAL_MOTTO, SERIF_BOLD, 13.5)),
             Paragraph(escape_markup(vietnamese_date_line(info.letterhead.place, info.date)), date)]
    table = Table([[cells]])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


class _FormWriter:
    def __init__(self, workspace: Workspace, *, reveal_ids: bool) -> None:
        self.workspace = workspace
        self.reveal_ids = reveal_ids
        self.pdf: OfficialPdf | None = None

    @property
    def page(self) -> OfficialPdf:
        """The PDF being written (there is one once a form was added)."""
        assert self.pdf is not None
        return self.pdf

    def add(self, form: FormSpec, values: dict[str, Any] | None, context: dict[str, str],
            day: dt.date | None) -> None:
        info = _info(self.workspace, form, day)
        page = OfficialPdf(info, with_signature=False)
        if not form.symbol:
            page.replace_header(_motto_only(info))
        if self.pdf is None:
            self.pdf = page
        else:
            self.pdf.story.append(PageBreak())
            self.pdf.story.extend(page.story)
        self._body(form, values, context, day)

    def _body(self, form: FormSpec, values: dict[str, Any] | None,
              context: dict[str, str], day: dt.date | None) -> None:
        pdf = self.page
        blank = values is None
        values = values or {}
        shown = dict(context)
        for field in form.fields:
            if field.type not in ("households", "signature") and field.key in values:
                shown[field.key] = display_value(field, values[field.key])
        minutes = form.doc_type.upper() == "BIÊN BẢN"
        texts = [fold(str(item.value)) for item in form.layout if item.kind == "text"]
        # an old template's own "Hôm nay, ngày …" line opens the record: those present follow it
        own_day = minutes and any(t.startswith("hom nay") for t in texts)
        if minutes and not own_day:
            self._minutes_opening(form, values, shown, day, blank)
        for item in form.layout:
            if item.kind == "heading":
                text = _format(str(item.value), shown)
                if text == text.upper():  # the authority, "QUYẾT ĐỊNH:": centred
                    pdf.authority_line(text)
                else:
                    pdf.heading(text)
            elif item.kind == "text":
                text = _format(str(item.value), shown)
                if text.casefold().startswith("căn cứ"):
                    pdf.grounds(split_grounds(text))
                else:
                    pdf.paragraph(text)
                if own_day and fold(text).startswith("hom nay"):
                    self._minutes_present(values)
                    own_day = False
            elif item.kind == "field":
                for key in item.value:
                    if minutes and key in MINUTES_FIELDS:  # printed once, in the opening
                        continue
                    self._field(form.field(key), values.get(key), blank)
            elif item.kind == "households":
                self._households(values.get(item.value) or [], blank)
            elif item.kind == "signatures":
                signers = form.field(str(item.value))
                names = dict(values.get(signers.key) or {})
                if minutes:
                    if not any(t.startswith("bien ban") for t in texts):
                        self._minutes_closing(values)
                    names = _minutes_signers(signers, names, values)
                self._signatures(form, signers, names)

    def _minutes_opening(self, form: FormSpec, values: dict[str, Any], shown: dict[str, str],
                         day: dt.date | None, blank: bool) -> None:
        """A record's opening (Nghị định 30/2020/NĐ-CP, Phụ lục III, mẫu biên bản): "Hôm
        nay, vào lúc … giờ … phút, ngày … tháng … năm …, tại …", then "Thành phần tham
        dự" with the chair, the secretary and each participant on a line; typed values
        where the form has them, else dots to fill by hand. An old template whose own text
        already says "Hôm nay, ngày …" keeps it, followed by those present."""
        on = _minutes_day(form, values, day, blank)
        place = values.get("place") or ("" if blank else (shown.get("village") or
                                                          shown.get("commune") or ""))
        self.page.paragraph(_("Today, at {time}, {day}, at {place}.").format(
            time=_clock(values.get("start_time")), day=_long_date(on), place=place or DOTS))
        self._minutes_present(values)

    def _minutes_present(self, values: dict[str, Any]) -> None:
        """"Thành phần tham dự": the chair and the secretary with their positions, then
        each participant on a line (dots to fill when nothing was typed)."""
        pdf = self.page
        present, participants = pgettext("minutes", "Participants"), _("Others present")
        pdf.markup(f"<b>{escape_markup(present)}:</b>", indent=False)
        for label, name_key, position_key in ((_("Chaired by"), "chair", "chair_position"),
                                              (_("Secretary"), "secretary",
                                               "secretary_position")):
            who = ", ".join(str(values[k]) for k in (name_key, position_key) if values.get(k))
            pdf.markup(f"- {escape_markup(label)}: {escape_markup(who or DOTS)};", indent=False)
        people = [line.strip(" -;.") for line in str(values.get("participants") or "")
                  .splitlines() if line.strip(" -;.")]
        if people:
            pdf.markup(f"- {escape_markup(participants)}:", indent=False)
            for person in people:
                pdf.markup(f"&nbsp;&nbsp;+ {escape_markup(person)};", indent=False)
        else:
            pdf.markup(f"- {escape_markup(participants)}: {DOTS}{DOTS}", indent=False)

    def _minutes_closing(self, values: dict[str, Any]) -> None:
        self.page.paragraph(_("The record ended at {time} the same day; it was read to those "
                              "present, who agreed with it.").format(
                                  time=_clock(values.get("end_time"))))

    def _field(self, field, value, blank: bool) -> None:
        pdf = self.pdf
        in_words = escape_markup(_("In words"))
        if value is None:
            text = f"{escape_markup(field.label)}: {DOTS}{DOTS}"
            pdf.markup(text, indent=False)
            if field.type == "money":
                pdf.markup(f"<i>{in_words}: {DOTS}{DOTS}</i>", indent=False)
            return
        shown = escape_markup(display_value(field, value))
        pdf.markup(f"{escape_markup(field.label)}: <b>{shown}</b>",
                   indent=False)
        if field.type == "money":
            words = escape_markup(amount_in_words(int(value)))
            pdf.markup(f"<i>{in_words}: {words}.</i>", indent=False)

    def _households(self, ids: list[str], blank: bool) -> None:
        columns = [PdfColumn(_("No."), 0.5, "center"), PdfColumn(_("Head of household"), 2.2),
                   PdfColumn(_("ID number"), 1.6, "center"), PdfColumn(_("Village"), 1.5),
                   PdfColumn(_("Ethnicity"), 1.1), PdfColumn(_("Household status"), 1.5),
                   PdfColumn(_("Signature"), 1.2)]
        if not ids:
            rows = [[str(i), "", "", "", "", "", ""] for i in range(1, BLANK_HOUSEHOLD_ROWS + 1)]
        else:
            wanted = [uuid.UUID(i) for i in ids]
            found = households.household_rows(self.workspace, wanted, reveal=self.reveal_ids)
            rows = []
            for number, ident in enumerate(wanted, 1):
                row = found.get(ident)
                if row is None:
                    rows.append([str(number), _("(household deleted)"), "", "", "", "", ""])
                    continue
                rows.append([str(number), row.head_name, row.id_number, row.village_name,
                             row.ethnicity, row.status_text, ""])
        self.pdf.table(columns, rows, font_size=10.5)

    def _signatures(self, form: FormSpec, field, names: dict[str, str]) -> None:
        """The signature blocks: an authority's in Nghị định 30's lines ("TM. ỦY BAN NHÂN
        DÂN" / "CHỦ TỊCH"; a chairman's own decision: "CHỦ TỊCH"), with "Nơi nhận" on the
        left of an issued decision, report or submission; others with "(Ký, ghi rõ họ
        tên)"."""
        role_style = paragraph_style("sig_role", font=SERIF_BOLD, size=12.5, align=TA_CENTER)
        hint_style = paragraph_style("sig_hint", font=SERIF_ITALIC, size=11, align=TA_CENTER)
        name_style = paragraph_style("sig_name", font=SERIF_BOLD, size=13, align=TA_CENTER)
        chairman = any(item.kind == "heading" and str(item.value).upper().startswith("CHỦ TỊCH")
                       for item in form.layout)
        cells = []
        for role in field.roles:
            lines = split_authority(role)
            official = any(word in role.casefold() for word in ("ủy ban nhân dân", "chủ tịch"))
            if official and chairman and len(lines) > 1:
                lines = lines[-1:]  # the chairman signs his own decision: "CHỦ TỊCH"
            cell: list[Any] = [Paragraph(escape_markup(line.upper()), role_style)
                               for line in lines]
            if not official:
                cell.append(Paragraph(escape_markup(_("(signature, full name)")), hint_style))
            cell += [Spacer(1, 22 * mm),
                     Paragraph(escape_markup(names.get(role) or " "), name_style)]
            cells.append(cell)
        if form.symbol and form.doc_type.upper() != "BIÊN BẢN" and len(cells) == 1:
            cells.insert(0, self._recipients())
        width = self.pdf.text_width / len(cells)
        table = Table([cells], colWidths=[width] * len(cells))
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
        self.pdf.story.append(Spacer(1, 5 * mm))
        self.pdf.story.append(KeepTogether([table]))

    def _recipients(self) -> list[Any]:
        label = paragraph_style("recipients_label", font=SERIF_BOLD_ITALIC, size=12)
        line = paragraph_style("recipient", size=11, leading=13)
        return [Paragraph("Nơi nhận:", label)] + [
            Paragraph(escape_markup(f"- {text}"), line)
            for text in self.page.info.signature.recipients]

    def write(self, out: Path) -> Path:
        self.pdf.write(out)
        return Path(out)


def _load(workspace: Workspace, document_id: uuid.UUID):
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, DossierDocument, document_id, kind=_("Dossier document"))
        dossier = session.get(Dossier, row.dossier_id)
        project = session.get(Project, dossier.project_id)
        village = session.get(Village, project.village_id) if project.village_id else None
        session.expunge_all()
    return row, dossier, project, village.name if village else ""


def _form_of(document: TemplateDocument | None) -> FormSpec:
    if document is None or document.form is None:
        raise BadArgument(detail=_("This document has no form to print."))
    return document.form


def print_form(workspace: Workspace, document_id: uuid.UUID, out: str | Path, *,
               blank: bool = False, reveal_ids: bool = False) -> Path:
    """One form of a dossier, filled with its saved values (or blank), as PDF."""
    row, dossier, project, village = _load(workspace, document_id)
    spec = dossier_templates.load_spec(workspace, dossier.template_id)
    form = _form_of(spec.document(row.document_code))
    values = None if blank else (json.loads(row.form_values) if row.form_values else {})
    writer = _FormWriter(workspace, reveal_ids=reveal_ids)
    writer.add(form, values, _context(workspace, project, village),
               None if blank else row.document_date)
    return writer.write(Path(out))


def print_blank_form(workspace: Workspace, template_id: str, document_code: str,
                     out: str | Path) -> Path:
    """A template's form with nothing filled in, to fill by hand."""
    spec = dossier_templates.load_spec(workspace, template_id)
    form = _form_of(spec.document(document_code))
    writer = _FormWriter(workspace, reveal_ids=False)
    context = _context(workspace, None, "")
    writer.add(form, None, {k: v for k, v in context.items() if k not in ("project",)}, None)
    return writer.write(Path(out))


def print_dossier(workspace: Workspace, dossier_id: uuid.UUID, out: str | Path, *,
                  reveal_ids: bool = False) -> Path:
    """Every filled form of a dossier, in template order, as one PDF."""
    with UnitOfWork.read(workspace) as session:
        dossier = get_or_refuse(session, Dossier, dossier_id, kind=_("Dossier"))
        project = session.get(Project, dossier.project_id)
        village = session.get(Village, project.village_id) if project.village_id else None
        rows = {r.document_code: r for r in session.query(DossierDocument).filter(
            DossierDocument.dossier_id == dossier_id, DossierDocument.deleted.is_(False))}
        session.expunge_all()
    spec = dossier_templates.load_spec(workspace, dossier.template_id)
    context = _context(workspace, project, village.name if village else "")
    writer = _FormWriter(workspace, reveal_ids=reveal_ids)
    for document in spec.documents:
        row = rows.get(document.code)
        if document.form is None or row is None or not row.form_values:
            continue
        writer.add(document.form, json.loads(row.form_values), context,
                   row.document_date)
    if writer.pdf is None:
        raise NothingToPrint(project=project.name)
    return writer.write(Path(out))
