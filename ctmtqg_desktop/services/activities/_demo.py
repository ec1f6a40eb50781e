"""Demo step: the commune's activities of 2023 (``resources/demo/activities-23524.json``):
the directive's two campaigns and two emulation movements, trainings of commune officers, a
steering-committee meeting per quarter, the Fatherland Front's supervision, the community's
supervision of a work and the district's inspection. Evidence: a few generated photos."""

from __future__ import annotations

import datetime as dt
import json

from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services.activities import _records as activities
from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.store.models.activities import Activity

DEMO_FILE = "activities-23524.json"


def demo_data(context: DemoContext | None = None) -> dict:
    from ctmtqg_desktop.resource_paths import resource_path

    path = context.resource(DEMO_FILE) if context else resource_path("demo", DEMO_FILE)
    return json.loads(path.read_text(encoding="utf-8"))


def build_activity(item: dict, campaigns: dict[str, str], *, villages: dict, projects: dict,
                   new_id=None) -> Activity:
    """One record from the demo file (the shared dictionaries map names to records)."""
    village = villages.get(item.get("village"))
    project = projects.get(item.get("project"))
    total, women, ethnic, poor = item["people"]
    campaign = campaigns.get(item.get("campaign", ""), "")
    place = "" if village is not None else item.get("place", "")
    row = Activity(
        kind=item["kind"], title=item["title"], campaign=campaign,
        program_id=item.get("program"), component_id=item.get("component"),
        project_id=project.id if project is not None else None,
        start_on=dt.date.fromisoformat(item["start"]),
        end_on=dt.date.fromisoformat(item["end"]) if item.get("end") else None,
        village_id=village.id if village is not None else None, place=place,
        organiser=item.get("organiser", ""), participants=total, participants_women=women,
        participants_ethnic=ethnic, participants_poor=poor, content=item.get("content", ""),
        results=item.get("results", ""), recommendations=item.get("recommendations", ""),
        cost=item.get("cost"))
    if new_id is not None:
        row.id = new_id()
    row.search_text = fold(" ".join(part for part in (
        activities.kind_label(row.kind), row.title, campaign, place,
        village.name if village is not None else "", row.organiser,
        project.name if project is not None else "", row.content, row.results,
        row.recommendations) if part))
    return row


def add_activities(context: DemoContext) -> None:
    from ctmtqg_desktop.services import attachments

    data = demo_data(context)
    villages = {v.name: v for v in context.shared.get("villages", [])}
    projects = context.shared.get("projects", {})
    store = attachments.attachment_store(context.workspace)
    rows = []
    for item in data["activities"]:
        row = build_activity(item, data["campaigns"], villages=villages, projects=projects,
                             new_id=context.new_id)
        context.session.add(row)
        rows.append(row)
    context.session.flush()
    # a photo of each campaign event and the minutes of the supervision, as evidence
    for row in rows:
        if row.kind in ("communication", "inspection") and row.village_id is not None:
            stored = store.add_bytes(_photo(context), name=_file_name(row))
            record = attachments.add_attachment_record(context.session, stored,
                                                       parent_table=activities.ATTACHMENT_TABLE,
                                                       parent_id=row.id)
            record.id = context.new_id()  # the same demo gives the same ids
    context.shared["activities"] = rows


def _file_name(row: Activity) -> str:
    stem = fold(row.title).replace(" ", "-")[:40].strip("-")
    return f"anh-{row.start_on:%Y%m%d}-{stem}.png"


def _photo(context: DemoContext) -> bytes:
    """A small PNG, its colours drawn from the seeded generator (deterministic)."""
    import struct
    import zlib

    width, height = 48, 32
    red, green, blue = (context.rng.randrange(60, 200) for _i in range(3))
    raw = b"".join(b"\0" + bytes((red, green, blue)) * width for _row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
