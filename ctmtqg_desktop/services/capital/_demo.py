"""Demo step: the commune's capital of 2022-2023 (from ``resources/demo/capital-23524.json``).

Lines of the three programmes with allocations to the demo projects, dated payments, a
carry-over, two returns, project funding by source, officers' scores, a few more projects
(works of 2022 and proposals that overlap another programme's work in the same village) and
one overlap the commune has reviewed. Set on 16/10/2023 so that every warning shows: capital
unallocated since 2022, a passed deadline with money left, deadlines within the alert window,
programmes below the on-track line, counterpart shortfalls, stalled projects, overlaps.
"""

from __future__ import annotations

import datetime as dt
import json

from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.services.capital._records import apply_line_values, catalog_names
from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.store.models.capital import (
    CapitalAllocation,
    CapitalCarryOver,
    CapitalLine,
    CapitalPayment,
    CapitalReturn,
    OverlapDecision,
    ProjectFunding,
    ProjectScore,
)
from ctmtqg_desktop.store.models.projects import Project

DEMO_FILE = "capital-23524.json"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def capital_demo_definition(context: DemoContext) -> dict:
    return json.loads(context.resource(DEMO_FILE).read_text(encoding="utf-8"))


def add_capital(context: DemoContext) -> None:
    data = capital_demo_definition(context)
    session = context.session
    villages = {v.name: v for v in context.shared["villages"]}
    projects: dict[str, Project] = dict(context.shared["projects"])
    for item in data["projects"]:
        village = villages.get(item["village"]) if item["village"] else None
        project = Project(
            id=context.new_id(), name=item["name"], program_id=item["program"],
            component_id=item["component"], kind=item["kind"],
            village_id=village.id if village else None, location=item["location"],
            investor="UBND xã Đắk La", approval_number=item["approval_number"],
            approval_date=_date(item["approval_date"]), approval_body=item["approval_body"],
            start_date=_date(item["start_date"]), end_date=_date(item["end_date"]),
            stage=item["stage"], physical_progress=item["physical_progress"],
            beneficiary_households=item["beneficiary_households"],
            description=item["description"])
        session.add(project)
        projects[item["name"]] = project
    context.shared["projects"] = projects
    session.flush()

    names = catalog_names(session)
    lines: dict[str, CapitalLine] = {}
    for item in data["lines"]:
        line = CapitalLine(id=context.new_id())
        apply_line_values(session, line, names, year=item["year"], program_id=item["program"],
                          component_id=item["component"], capital_kind=item["kind"],
                          source=item["source"], amount=item["amount"],
                          quantity=item.get("quantity"),
                          quantity_unit=item.get("quantity_unit", ""),
                          unit_value=item.get("unit_value"),
                          decision_number=item["decision_number"],
                          decision_date=_date(item["decision_date"]),
                          decision_body=item["decision_body"], note=item["note"])
        session.add(line)
        lines[item["key"]] = line
    session.flush()  # no ORM relationships: rows referred to are flushed first
    allocations: dict[tuple[str, str], CapitalAllocation] = {}
    for item in data["allocations"]:
        allocation = CapitalAllocation(
            id=context.new_id(), line_id=lines[item["line"]].id,
            project_id=projects[item["project"]].id, amount=item["amount"],
            decision_number=item["decision_number"],
            decision_date=_date(item["decision_date"]))
        session.add(allocation)
        allocations[(item["line"], item["project"])] = allocation
    session.flush()
    for item in data["payments"]:
        session.add(CapitalPayment(
            id=context.new_id(), allocation_id=allocations[(item["line"], item["project"])].id,
            paid_on=_date(item["paid_on"]), amount=item["amount"], voucher=item["voucher"]))
    for item in data["carry_overs"]:
        session.add(CapitalCarryOver(
            id=context.new_id(), line_id=lines[item["line"]].id, amount=item["amount"],
            deadline=_date(item["deadline"]), decision_number=item["decision_number"],
            decision_date=_date(item["decision_date"]), note=item["note"]))
    for item in data["returns"]:
        session.add(CapitalReturn(
            id=context.new_id(), line_id=lines[item["line"]].id, amount=item["amount"],
            returned_on=_date(item["returned_on"]), reason=item["reason"],
            decision_number=item["decision_number"]))
    for item in data["funding"]:
        for source, amount in item["sources"].items():
            session.add(ProjectFunding(id=context.new_id(),
                                       project_id=projects[item["project"]].id,
                                       source=source, amount=amount))
    for item in data["scores"]:
        for criterion, points in item["points"].items():
            session.add(ProjectScore(id=context.new_id(),
                                     project_id=projects[item["project"]].id,
                                     criterion=criterion, points=points))
    officer = context.data.get("officer_name", "")
    for item in data["overlap_decisions"]:
        first, second = sorted([projects[item["first"]].id, projects[item["second"]].id],
                               key=str)
        session.add(OverlapDecision(id=context.new_id(), first_project_id=first,
                                    second_project_id=second, reason=normalize(item["reason"]),
                                    decided_by=officer, decided_on=_date(item["decided_on"])))
