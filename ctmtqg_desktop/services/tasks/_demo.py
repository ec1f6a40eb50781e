"""Demo step: the seed directive of the Kon Tum Provincial People's Committee with every task
it gives, word for word, and the commune's own tasks, progress history and difficulties.

The directive's text is ``resources/demo/seed-directive-kontum-2023.txt`` (a verbatim copy
of the project's seed, with its source noted in its header); the rest is
``resources/demo/tasks-23524.json``.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from ctmtqg_desktop.domain import schedules
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import attachments as attachment_service
from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.services.tasks._derived import refresh
from ctmtqg_desktop.services.tasks._directives import DIRECTIVE_TABLE
from ctmtqg_desktop.services.tasks._records import PROGRESS_TABLE
from ctmtqg_desktop.services.tasks._rules import parse_assignee
from ctmtqg_desktop.store.models.tasks import (
    Difficulty,
    DifficultyAnswer,
    Directive,
    Task,
    TaskProgress,
)

TASKS_FILE = "tasks-23524.json"
_SECTION = re.compile(r"^(\d+)\.\s+(.*)$")


@dataclass
class SeedItem:
    """One "-" bullet (or "+" sub-item) of the directive, its text as written."""

    text: str
    section_number: str
    section: str
    children: list[SeedItem] = field(default_factory=list)


@dataclass
class SeedDirective:
    preamble: str
    items: list[SeedItem]

    def all_items(self) -> list[SeedItem]:
        result = []
        for item in self.items:
            result.append(item)
            result.extend(item.children)
        return result


def seed_body(name: str) -> str:
    """The directive text without its source header (the lines up to the first blank one)."""
    text = resource_path("demo", name).read_text(encoding="utf-8")
    _header, _blank, body = text.partition("\n\n")
    return body


def parse_seed(body: str) -> SeedDirective:
    """Sections ``1. …``, bullets ``- …`` and sub-items ``+ …``; what precedes is the
    preamble."""
    preamble: list[str] = []
    items: list[SeedItem] = []
    number, section = "", ""
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = _SECTION.match(line)
        if heading:
            number, section = heading.group(1), line
        elif line.startswith("- "):
            items.append(SeedItem(line[2:].strip(), number, section))
        elif line.startswith("+ ") and items:
            items[-1].children.append(SeedItem(line[2:].strip(), number, section))
        elif not items and not section:
            preamble.append(line)
        else:
            raise ValueError(f"unexpected line in the seed directive: {line[:40]}")
    return SeedDirective("\n".join(preamble), items)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _schedule(data: dict[str, Any]) -> schedules.Schedule:
    kind = data.get("kind", schedules.NONE)
    return schedules.Schedule(kind, _date(data.get("deadline")), data.get("day", 0),
                              data.get("month", 1), _date(data.get("start")),
                              _date(data.get("end")))


def _png(width: int = 96, height: int = 64, rgb=(46, 85, 132)) -> bytes:
    """A small solid PNG (a stand-in for a phone photo of the evidence)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def _pdf(title: str) -> bytes:
    """A one-page PDF standing in for the scan of a signed document."""
    import io

    from reportlab.pdfgen import canvas

    from ctmtqg_desktop.reports.fonts import SERIF, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setFont(SERIF, 14)
    page.drawString(72, 760, normalize(title))
    page.save()
    return buffer.getvalue()


def _evidence(context: DemoContext, name: str, title: str):
    store = attachment_service.attachment_store(context.workspace)
    data = _png() if name.endswith(".png") else _pdf(title)
    return store.add_bytes(data, name=name)


def _add_seed_directive(context: DemoContext, spec: dict[str, Any],
                        seed: SeedDirective) -> Directive:
    """The seed directive, with its text as a scan attached."""
    session = context.session
    directive = Directive(
        id=context.new_id(), number_symbol=spec["number_symbol"], doc_type=spec["doc_type"],
        issued_on=_date(spec["issued_on"]), issuing_body=spec["issuing_body"],
        issuing_unit_id=spec["issuing_unit"], title=spec["title"], summary=seed.preamble,
        program_ids="\n".join(spec["programs"]),
        related_documents="\n".join(spec["related_documents"]))
    directive.search_text = fold(" ".join([directive.number_symbol, directive.doc_type,
                                           directive.issuing_body, directive.title,
                                           directive.summary]))
    session.add(directive)
    session.flush()
    copy = attachment_service.attachment_store(context.workspace).add_bytes(
        resource_path("demo", spec["text_file"]).read_bytes(), name="van-ban-chi-dao-2023.txt")
    attachment_service.add_attachment_record(session, copy, parent_table=DIRECTIVE_TABLE,
                                             parent_id=directive.id,
                                             caption="Bản trích nội dung văn bản"
                                             ).id = context.new_id()
    return directive


def _add_seed_tasks(context: DemoContext, spec: dict[str, Any], seed: SeedDirective,
                    directive: Directive) -> list[Task]:
    """Every "-" and "+" item of the seed directive as a task; returns those of section 1."""
    session = context.session

    def lead_of(item: SeedItem) -> tuple[str, list[str]]:
        for prefix, lead in spec["item_leads"].items():
            if item.text.startswith(prefix):
                return lead["lead"], lead["coordinators"]
        lead = spec["section_leads"][item.section_number]
        return lead["lead"], lead["coordinators"]

    def add_seed_task(item: SeedItem, order: int, parent: Task | None,
                      inherited: tuple[str, list[str]] | None) -> Task:
        lead, coordinators = inherited or lead_of(item)
        task = Task(id=context.new_id(), directive_id=directive.id, section=item.section,
                    sort_order=order, text=item.text, lead_agency=lead,
                    coordinators="\n".join(coordinators),
                    parent_task_id=parent.id if parent else None)
        session.add(task)
        return task

    order = 0
    section_one: list[Task] = []
    tasks: list[Task] = []
    for item in seed.items:
        order += 1
        task = add_seed_task(item, order, None, None)
        tasks.append(task)
        if item.section_number == "1":
            section_one.append(task)
        for child in item.children:
            order += 1
            tasks.append(add_seed_task(child, order, task, lead_of(item)))
    # derived columns are computed before the first flush: each record is inserted once
    with session.no_autoflush:
        for task in tasks:
            refresh(session, task, [])
    return section_one


def _add_history(context: DemoContext, task: Task, item: dict[str, Any]) -> list[TaskProgress]:
    """A commune task's progress updates, with their evidence."""
    session = context.session
    history = []
    for entry in item["progress"]:
        percent = entry.get("percent")
        quantity = entry.get("quantity")
        if percent is None and quantity is not None and task.target_quantity:
            percent = min(100, quantity * 100 // task.target_quantity)
        if entry["status"] == "done":
            percent = 100
        progress = TaskProgress(id=context.new_id(), task_id=task.id,
                                reported_on=_date(entry["on"]), status=entry["status"],
                                percent=percent, quantity=quantity,
                                narrative=entry["narrative"])
        session.add(progress)
        history.append(progress)
        if entry.get("evidence"):
            stored = _evidence(context, entry["evidence"], entry["narrative"])
            attachment_service.add_attachment_record(
                session, stored, parent_table=PROGRESS_TABLE, parent_id=progress.id
            ).id = context.new_id()
    return history


def _add_commune_tasks(context: DemoContext, items: list[dict[str, Any]],
                       section_one: list[Task]) -> list[Task]:
    session = context.session
    projects = context.shared.get("projects", {})
    commune: list[Task] = []
    for index, item in enumerate(items, 1):
        schedule = _schedule(item["schedule"])
        lead = parse_assignee(session, item["lead"])
        target = item.get("target") or {"kind": "none"}
        parent = section_one[item["parent_bullet"] - 1] if item["parent_bullet"] else None
        project = projects.get(item.get("project")) if item.get("project") else None
        task = Task(
            id=context.new_id(), directive_id=None, parent_task_id=parent.id if parent else None,
            sort_order=100 + index, text=item["text"], lead_unit_id=lead.unit_id,
            lead_agency=lead.agency,
            coordinators="\n".join(parse_assignee(session, c).encoded()
                                   for c in item["coordinators"]),
            program_id=item["program"], project_id=project.id if project else None,
            schedule_kind=schedule.kind, deadline=schedule.deadline,
            schedule_day=schedule.day, schedule_month=schedule.month,
            schedule_start=schedule.start, schedule_end=schedule.end,
            expected_output=item.get("expected_output", ""), target_kind=target["kind"],
            target_quantity=target.get("quantity"),
            target_unit=target.get("unit", "đồng" if target["kind"] == "amount" else ""))
        session.add(task)
        history = _add_history(context, task, item)
        with session.no_autoflush:
            refresh(session, task, history)
        commune.append(task)
    return commune


def _add_difficulties(context: DemoContext, items: list[dict[str, Any]],
                      commune: list[Task]) -> None:
    session = context.session
    projects = context.shared.get("projects", {})
    for item in items:
        project = projects.get(item.get("project")) if item.get("project") else None
        difficulty = Difficulty(
            id=context.new_id(), kind=item["kind"], raised_on=_date(item["raised_on"]),
            title=item["title"], content=item["content"], proposal=item["proposal"],
            task_id=commune[item["task"]].id if item.get("task") is not None else None,
            program_id=item.get("program"), project_id=project.id if project else None,
            unit_id=item.get("unit"),
            status="resolved" if item.get("resolved_on") else (
                "sent" if item.get("sent_on") else "new"),
            sent_on=_date(item.get("sent_on")), resolved_on=_date(item.get("resolved_on")))
        difficulty.search_text = fold(" ".join([difficulty.title, difficulty.content,
                                                difficulty.proposal]))
        session.add(difficulty)
        answer = item.get("answer")
        if answer:
            # as the district's answer arrives by sync: owned by the district, for us
            session.add(DifficultyAnswer(
                id=context.new_id(), difficulty_id=difficulty.id,
                answered_on=_date(answer["answered_on"]), answered_by=answer["answered_by"],
                document_ref=answer["document_ref"], content=answer["content"],
                owner_unit_id=item["unit"], audience_unit_id=context.unit_id))


def add_tasks(context: DemoContext) -> None:
    import json

    data = json.loads(resource_path("demo", TASKS_FILE).read_text(encoding="utf-8"))
    spec = data["seed_directive"]
    seed = parse_seed(seed_body(spec["text_file"]))
    directive = _add_seed_directive(context, spec, seed)
    section_one = _add_seed_tasks(context, spec, seed, directive)
    commune = _add_commune_tasks(context, data["commune_tasks"], section_one)
    _add_difficulties(context, data["difficulties"], commune)
    context.shared["tasks"] = commune


__all__ = ["SeedDirective", "SeedItem", "add_tasks", "parse_seed", "seed_body"]
