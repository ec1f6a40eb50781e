"""Nhiệm vụ: what a task may be and how it is written: its labels, its assignees (a catalog
unit or an agency), the checks of its schedule and programmes, and which records a unit
sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.store.models.catalog import AdminUnit, Program

#: the ``program`` filter value for tasks common to every programme
NO_PROGRAM = "-"


class TaskInputInvalid(UserError):
    """A task, directive or progress form with a value that cannot be saved."""

    exit_code = 2
    template = N_("{field}: {reason}")


# ---------------------------------------------------------------------------- labels
class TaskStatus(Labelled):
    """Tình trạng of a task (derived from its latest progress update)."""
    NOT_STARTED = "not_started", N_("not started")
    IN_PROGRESS = "in_progress", N_("in progress")
    DONE = "done", N_("done")


class ScheduleKind(Labelled):
    """How often a task is due (``domain.schedules``)."""
    NONE = schedules.NONE, N_("no deadline (ongoing)")
    ONCE = schedules.ONCE, N_("one deadline")
    MONTHLY = schedules.MONTHLY, N_("every month")
    QUARTERLY = schedules.QUARTERLY, N_("every quarter")
    SEMIANNUAL = schedules.SEMIANNUAL, N_("every 6 months")
    YEARLY = schedules.YEARLY, N_("every year")


def status_label(status: str) -> str:
    return TaskStatus.label_of(status)


def schedule_kind_label(kind: str) -> str:
    return ScheduleKind.label_of(kind)


def schedule_text(schedule: schedules.Schedule) -> str:
    """``Hạn 30/09/2023``, ``Trước ngày 20 hằng tháng``, ``Thường xuyên``…"""
    if schedule.kind == schedules.ONCE and schedule.deadline:
        return _("Due {date}").format(date=format_date(schedule.deadline))
    if schedule.kind == schedules.MONTHLY:
        return _("By day {day} of every month").format(day=schedule.day)
    if schedule.kind == schedules.QUARTERLY:
        return _("By day {day} of every quarter (from month {month})").format(
            day=schedule.day, month=schedule.month)
    if schedule.kind == schedules.SEMIANNUAL:
        return _("Every 6 months, by {day}/{month}").format(
            day=f"{schedule.day:02d}", month=f"{schedule.month:02d}")
    if schedule.kind == schedules.YEARLY:
        return _("Every year, by {day}/{month}").format(
            day=f"{schedule.day:02d}", month=f"{schedule.month:02d}")
    return _("Ongoing")


def occurrence_state_label(state: str) -> str:
    return {schedules.PENDING: _("not yet due"), schedules.ON_TIME: _("on time"),
            schedules.LATE_DONE: _("done late"), schedules.OVERDUE: _("overdue"),
            schedules.MISSED: _("missed")}.get(state, state)


def target_text(kind: str, quantity: int | None, unit: str) -> str:
    if kind == "quantity" and quantity is not None:
        return f"{format_number(quantity)} {unit}".strip()
    if kind == "amount" and quantity is not None:
        return _("100% of {amount} đồng").format(amount=format_number(quantity))
    return ""


# ---------------------------------------------------------------------------- assignees
@dataclass(frozen=True)
class Assignee:
    """Chủ trì or phối hợp: a unit of the catalog (``unit_id``) or an agency by name.

    Directives name bodies outside the unit catalog ("Sở Kế hoạch và Đầu tư", "Ủy ban
    nhân dân các huyện, thành phố"), so an agency's name is as good as a unit key.
    """

    unit_id: str | None = None
    agency: str = ""

    def encoded(self) -> str:
        return f"unit:{self.unit_id}" if self.unit_id else normalize(self.agency)

    @property
    def key(self) -> str:
        return f"unit:{self.unit_id}" if self.unit_id else (
            f"agency:{fold(self.agency)}" if self.agency else "")


def decode_assignee(text: str) -> Assignee:
    text = normalize(text)
    if text.startswith("unit:"):
        return Assignee(unit_id=text[5:])
    return Assignee(agency=text)


def unit_body(row: AdminUnit) -> str:
    from ctmtqg_desktop.services.catalog import unit_kind_label

    return f"UBND {unit_kind_label(row.kind)} {row.name}"


def assignee_label(session: Session, assignee: Assignee) -> str:
    if assignee.unit_id:
        row = session.get(AdminUnit, assignee.unit_id)
        return unit_body(row) if row else assignee.unit_id
    return assignee.agency


def parse_assignee(session: Session, text: str) -> Assignee:
    """A unit when ``text`` is a catalog unit key or exactly a unit's name ("UBND xã Đắk
    La", "Xã Đắk La", case and diacritics ignored); otherwise an agency by its name."""
    text = normalize(text)
    if not text:
        return Assignee()
    if text.startswith("unit:"):
        text = text[5:]
    if session.get(AdminUnit, text) is not None:
        return Assignee(unit_id=text)
    folded = fold(text)
    for prefix in ("ubnd ", "uy ban nhan dan "):
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
            break
    kinds = {"xa": "commune", "phuong": "ward", "thi tran": "town", "huyen": "district",
             "thanh pho": "city", "tinh": "province", "thi xa": "district_town"}
    for word, kind in kinds.items():
        if folded.startswith(word + " "):
            name = folded[len(word) + 1:]
            matches = [u.id for u in session.scalars(select(AdminUnit).where(
                AdminUnit.name_folded == name, AdminUnit.kind == kind,
                AdminUnit.retired.is_(False)))]
            if len(matches) == 1:
                return Assignee(unit_id=matches[0])
    return Assignee(agency=text)


def of_unit(model, unit_id: str):
    """The unit's own records (not addressed to anyone) and those addressed to it or to every
    child by another unit. A parent unit's copies of what it assigned to its children are
    theirs, not its own work: they show on its board."""
    return or_(and_(model.owner_unit_id == unit_id, model.audience_unit_id.is_(None)),
               and_(model.owner_unit_id != unit_id,
                    model.audience_unit_id.in_((unit_id, "*"))))


def split_lines(text: str | Sequence[str] | None) -> list[str]:
    if not text:
        return []
    items = text.splitlines() if isinstance(text, str) else list(text)
    return [normalize(item) for item in items if normalize(item)]


def check_programs(session: Session, program_ids: Sequence[str]) -> None:
    for program_id in program_ids:
        if session.get(Program, program_id) is None:
            raise TaskInputInvalid(field=_("Programme"), reason=_(
                "unknown programme “{program}”").format(program=program_id))


def normalize_block(text: str | None) -> str:
    """NFC, each line trimmed, blank runs collapsed: for multi-line text (paragraphs kept)."""
    lines = [normalize(line) for line in (text or "").splitlines()]
    result: list[str] = []
    for line in lines:
        if line or (result and result[-1]):
            result.append(line)
    return "\n".join(result).strip()


def check_schedule(schedule: schedules.Schedule) -> None:
    try:
        schedule.check()
    except schedules.ScheduleInvalid as error:
        reason = {
            "kind": _("unknown kind of schedule"),
            "deadline": _("a one-off task needs its deadline"),
            "day": _("the day of the month must be between 1 and 31"),
            "month": _("the month must be between 1 and 12"),
            "start": _("a recurring task needs the date it starts from"),
            "end": _("the schedule ends before it starts"),
        }[error.reason]
        raise TaskInputInvalid(field=_("Deadline"), reason=reason) from None
