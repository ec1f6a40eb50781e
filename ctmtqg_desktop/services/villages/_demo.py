"""Demo step: the villages of the demo commune (from ``resources/demo``)."""

from __future__ import annotations

from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.store.models.villages import Village


def add_villages(context: DemoContext) -> None:
    villages = []
    for order, item in enumerate(context.data["villages"], 1):
        village = Village(id=context.new_id(), name=item["name"],
                          ethnic_groups=item["ethnic_groups"], households=item["households"],
                          population=item["population"],
                          extremely_disadvantaged=item["extremely_disadvantaged"],
                          sort_order=order)
        context.session.add(village)
        villages.append(village)
    context.shared["villages"] = villages
