import datetime as dt

import pytest

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.services import catalog, projects


def test_demo_projects_cover_the_three_programmes_and_every_main_kind(demo_workspace):
    from ctmtqg_desktop.services.demo import demo_definition

    rows = projects.list_projects(demo_workspace)
    names = {p.name for p in rows}
    assert {p["name"] for p in demo_definition()["projects"]} <= names  # the ten of 2023
    assert len(rows) >= 10  # other areas' demo steps may add projects
    assert {p.program_id for p in rows} == {"2021-2025/NTM", "2021-2025/DTTS", "2021-2025/GNBV"}
    assert {p.kind for p in rows} >= {"construction_special", "production_support",
                                      "housing_support", "training", "communication"}
    found = projects.list_projects(demo_workspace, query="nha van hoa thon 7")
    assert [p.name for p in found] == ["Nhà văn hóa thôn 7"]
    assert found[0].village_name == "Thôn 7" and found[0].stage == "acceptance"


def test_a_project_is_checked_against_the_catalog(new_workspace):
    workspace = new_workspace()
    kinds = {k.code for k in catalog.project_kinds(workspace)}
    assert "construction_special" in kinds
    good = dict(name="Đường thôn 3", program_id="2021-2025/NTM",
                component_id="2021-2025/NTM/ND02", kind="construction_special",
                start_date=dt.date(2023, 5, 1), end_date=dt.date(2023, 9, 1))
    saved = projects.save_project(workspace, **good)
    assert projects.get_project(workspace, saved.id).name == "Đường thôn 3"
    for change, words in [({"program_id": "2021-2025/XYZ"}, "Chương trình"),
                          ({"kind": "bridge"}, "Loại dự án"),
                          ({"physical_progress": 120}, "0 đến 100%"),
                          ({"end_date": dt.date(2023, 1, 1)}, "trước ngày bắt đầu"),
                          ({"name": "  "}, "tên dự án")]:
        with pytest.raises(BadArgument) as caught:
            projects.save_project(workspace, **{**good, **change})
        assert words in str(caught.value)
    assert len(projects.list_projects(workspace)) == 1
