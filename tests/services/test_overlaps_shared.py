"""The "beneficiaries counted twice" overlap rule reads its own lean query (issue 17: five
years of supports at every overlap review); it must flag exactly what the households area's
:func:`households.duplicate_supports` says, pair by pair, with the same sentence, in the same
order."""

import datetime as dt

from ctmtqg_desktop.services import capital, households, projects
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.capital_support import project


def _from_duplicate_supports(workspace):
    """The rule as it was written on the households area's list (main before issue 17's
    fifth pass), the reference."""
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        known = {p.id for p in overlaps.project_facts(session, unit_id)}
    pairs = {}
    for duplicate in households.duplicate_supports(workspace, unit_id=unit_id):
        found = sorted({s.project_id for s in duplicate.supports if s.project_id in known},
                       key=str)
        for i, first in enumerate(found):
            for second in found[i + 1:]:
                pairs.setdefault((first, second), []).append(duplicate)
    return [(first, second, len(found), ", ".join(found[0].content_names),
             found[0].head_name, found[0].village_name)
            for (first, second), found in pairs.items()]


def _from_rule(workspace):
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        context = overlaps.OverlapContext(workspace, session,
                                          overlaps.project_facts(session, unit_id),
                                          capital.rules())
        return list(overlaps.shared_beneficiaries(context))


def test_the_lean_rule_flags_what_duplicate_supports_says(demo_workspace):
    ws = demo_workspace
    some = households.list_households(ws)[:4]
    ntm = project(ws, "Hỗ trợ sửa nhà thôn 7", program="2021-2025/NTM", kind="training")
    dtts = project(ws, "Đào tạo nghề thanh niên", program="2021-2025/DTTS", kind="training")
    gnbv = project(ws, "Hỗ trợ bò giống", program="2021-2025/GNBV", kind="training")
    day = dt.date(2023, 5, 2)

    def give(household, proj, content, days=0):
        return households.add_support(ws, household_id=household.id, project_id=proj.id,
                                      content=content, amount=1_000_000,
                                      received_on=day + dt.timedelta(days=days))[0]

    # three projects, two contents of one group (housing_new, housing_repair)
    give(some[0], ntm, "housing_new")
    give(some[0], dtts, "housing_repair", 3)
    give(some[0], gnbv, "housing_new", 5)
    # supported twice by one project only: a duplicate, no pair
    give(some[1], gnbv, "livestock")
    give(some[1], gnbv, "livestock", 1)
    # two contents of different groups: not a duplicate
    give(some[2], ntm, "livestock")
    give(some[2], dtts, "vocational_training")
    # a duplicate made, then undone: the removed support is no longer counted
    give(some[3], ntm, "livestock")
    removed = give(some[3], dtts, "livestock", 2)
    households.remove_support(ws, removed.id)
    # a project deleted: its supports stay in the households' list, out of the pairs
    give(some[3], gnbv, "seedlings")
    extra = project(ws, "Cây giống cà phê", program="2021-2025/NTM", kind="training")
    give(some[3], extra, "seedlings", 4)
    with UnitOfWork(ws) as uow:  # (no service deletes a project: a synced tombstone)
        uow.session.get(Project, extra.id).deleted = True
        uow.commit()

    expected = _from_duplicate_supports(ws)
    assert len(expected) >= 4  # the demo's pair and the three made above
    found = _from_rule(ws)
    assert [(a, b) for a, b, _text in found] == [(a, b) for a, b, *_rest in expected]
    for (_a, _b, text), (_f, _s, count, contents, head, village) in zip(found, expected):
        assert f": {count}, " in text and f"({contents})" in text
        assert text.endswith(f"{head} ({village}).")


def _similar(workspace):
    return {frozenset((f.first.name, f.second.name)) for f in overlaps.detect(workspace)
            if any(r.rule == "similar_names" for r in f.reasons)}


def test_the_kept_name_comparison_follows_every_rename(new_workspace):
    """The names' comparison is kept between reviews while the projects are the same; a
    rename, a new project or another programme is compared again."""
    ws = new_workspace()
    hall = project(ws, "Nhà văn hóa thôn 7", program="2021-2025/NTM")
    other = project(ws, "Đường giao thông thôn 2", program="2021-2025/DTTS", kind="training")
    assert _similar(ws) == set()
    assert _similar(ws) == set()  # the kept answer
    projects.save_project(ws, project_id=other.id, name="Nha van hoa thon 7",
                          program_id="2021-2025/DTTS", kind="training")
    assert _similar(ws) == {frozenset(("Nhà văn hóa thôn 7", "Nha van hoa thon 7"))}
    projects.save_project(ws, project_id=other.id, name="Nha van hoa thon 7",
                          program_id="2021-2025/NTM", kind="training")
    assert _similar(ws) == set()  # one programme: not an overlap between programmes
    project(ws, "Nhà văn hoá thôn 7 (sân)", program="2021-2025/GNBV", kind="training")
    assert len(_similar(ws)) == 2
    assert hall.id in {f.first.id for f in overlaps.detect(ws)} | \
        {f.second.id for f in overlaps.detect(ws)}
