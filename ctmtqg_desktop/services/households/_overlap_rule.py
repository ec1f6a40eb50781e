"""The third overlap rule: beneficiaries counted twice.

Two projects overlap when the same household received support for the same content from
both (the dossier area's household and support records, :func:`households.duplicate_supports`);
the reason names how many households and one of them, so the officer can check the lists.
"""

from __future__ import annotations

import uuid

from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services.households import _records as households
from ctmtqg_desktop.services.projects._overlaps import OverlapContext, overlap_rule


@overlap_rule("shared_beneficiaries", N_("Beneficiaries counted twice"))
def shared_beneficiaries(context: OverlapContext):
    unit_id = context.workspace.installation().unit_id
    known = {p.id for p in context.projects}
    pairs: dict[tuple[uuid.UUID, uuid.UUID], list[households.DuplicateSupport]] = {}
    for duplicate in households.duplicate_supports(context.workspace, unit_id=unit_id):
        projects = sorted({s.project_id for s in duplicate.supports if s.project_id in known},
                          key=str)
        for i, first in enumerate(projects):
            for second in projects[i + 1:]:
                pairs.setdefault((first, second), []).append(duplicate)
    for (first, second), found in pairs.items():
        example = found[0]
        yield first, second, _(
            "Households that received the same support ({content}) from both projects: "
            "{count}, for example {head} ({village}).").format(
            count=len(found), content=", ".join(example.content_names), head=example.head_name,
            village=example.village_name)
