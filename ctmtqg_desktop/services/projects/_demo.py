"""Demo step: the commune's projects, works and activities of 2023 (from ``resources/demo``).

The capital and dossier areas attach their demo data to these projects by name.
"""

from __future__ import annotations

import datetime as dt

from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.store.models.projects import Project


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def add_projects(context: DemoContext) -> None:
    villages = {v.name: v for v in context.shared["villages"]}
    projects = {}
    for item in context.data["projects"]:
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
        context.session.add(project)
        projects[item["name"]] = project
    context.shared["projects"] = projects
