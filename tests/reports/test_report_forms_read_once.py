"""The review forms' data sources read each support's, payment's and task update's columns
once (issue 17: five years of records were walked through their ORM attributes at each of
some sixty references); the answers are those of the plain walk over the records."""

from __future__ import annotations

import datetime as dt
import itertools

from ctmtqg_desktop.domain.report_periods import Period
from ctmtqg_desktop.services import tasks
from ctmtqg_desktop.services.report_forms._sources import Records, Scope, _is, _under, _window


def walked_supports(records: Records, params: dict) -> list:
    """The supports as the sources found them before (every attribute at every call)."""
    found = []
    for support in records.supports:
        project = records.projects.get(support.project_id)
        household = records.households.get(support.household_id)
        group = records.contents.get(support.content, ("", ""))[1]
        if (project is not None and records._household_ok(household, params)
                and _is(project.program_id, params.get("program"))
                and _under(project.component_id, params.get("component"))
                and _is(support.project_id, params.get("project"))
                and _is(support.content, params.get("content"))
                and _is(group, params.get("content_group"))
                and _window(support.received_on, params)):
            found.append(support)
    return found


def walked_disbursed(records: Records, params: dict) -> int:
    window = {"from": params.get("from"), "as_of": params.get("as_of")}
    total = 0
    for payment in records.payments:
        allocation = records.allocation_by_id.get(payment.allocation_id)
        if allocation is None or not _window(payment.paid_on, window):
            continue
        if records._allocation_matches(allocation, {**params, "as_of": None}):
            total += payment.amount
    return total


def test_sources_answer_as_the_plain_walk(demo_workspace):
    records = Records(demo_workspace, demo_workspace.installation().unit_id)
    assert records.supports and records.payments and records.progress
    scope = Scope(Period.of("year", 2023), dt.date(2023, 12, 31))
    programs = [None, "2021-2025/GNBV", "2021-2025/DTTS", "2021-2025/NTM"]
    days = [None, dt.date(2023, 6, 30), dt.date(2024, 12, 31)]
    projects = [None, *list(records.projects)[:2]]
    contents = [None, *sorted({s.content for s in records.supports})[:2]]
    households = [None, *sorted({h.poverty_status for h in records.households.values()})]
    seen_some = False
    for program, as_of, project, content, poverty in itertools.product(
            programs, days, projects, contents, households):
        params = {key: value for key, value in (
            ("program", program), ("as_of", as_of), ("project", project),
            ("content", content), ("poverty_status", poverty)) if value is not None}
        found = records._supports(params)
        assert found == walked_supports(records, params)
        seen_some = seen_some or bool(found)
    assert seen_some
    totals = set()
    for program, start, as_of in itertools.product(programs, [None, dt.date(2023, 1, 1)],
                                                   days):
        params = {"program": program, "from": start, "as_of": as_of}
        total = records.disbursed(params, scope)
        assert total == walked_disbursed(records, params)
        totals.add(total)
    assert len(totals) > 2
    for task, as_of in itertools.product(records.tasks, days[1:]):
        updates = sorted((p for p in records.progress if p.task_id == task.id
                          and p.reported_on <= as_of), key=tasks.progress_order)
        expected = ((updates[-1].status, updates[-1].percent, updates[-1].narrative)
                    if updates else ("not_started", None, ""))
        assert records._task_state(task, as_of) == expected
