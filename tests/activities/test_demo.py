"""The demo commune's 2023 activities answer the directive: its two campaigns and two
emulation movements, trainings, a steering-committee meeting per quarter, the Fatherland
Front's supervision and an inspection, with evidence."""

from ctmtqg_desktop.services import activities, attachments
from ctmtqg_desktop.services.activities import demo_data


def test_the_demo_year_covers_what_the_directive_asks(demo_workspace):
    result = activities.summary(demo_workspace, {"year": 2023})
    kinds = dict(result.by_kind)
    campaigns = {name for name, _totals in result.by_campaign}
    assert campaigns == set(demo_data()["campaigns"].values())  # 2 campaigns, 2 movements
    assert kinds["training"].count >= 2 and kinds["emulation"].count >= 2
    meetings = [activities.get_activity(demo_workspace, i) for i in
                activities.activity_ids(demo_workspace, {"kind": "steering_meeting"})]
    assert sorted({(m.start_on.month - 1) // 3 + 1 for m in meetings}) == [1, 2, 3, 4]
    inspections = [activities.get_activity(demo_workspace, i) for i in
                   activities.activity_ids(demo_workspace, {"kind": "inspection"})]
    assert any("MTTQ" in a.organiser for a in inspections)
    assert any(a.organiser.startswith("Ban Chỉ đạo") for a in inspections)
    assert all(a.results and a.recommendations for a in inspections if "Ban giám sát"
               not in a.organiser or a.recommendations)
    for ident in activities.activity_ids(demo_workspace):
        a = activities.get_activity(demo_workspace, ident)
        assert a.women <= a.participants and a.ethnic_minority <= a.participants
        assert a.poor <= a.participants and a.start_on <= demo_workspace.today()
    files = [f for i in activities.activity_ids(demo_workspace)
             for f in attachments.list_attachments(demo_workspace, "activity", i)]
    assert files and all(f.media_type == "image/png" for f in files)
