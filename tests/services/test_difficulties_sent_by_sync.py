"""A difficulty becomes "sent" with the package that carries it up, and that package already
carries the "sent" version (nothing is left unsent after an export)."""

from ctmtqg_desktop.services.difficulties import _records as difficulties
from ctmtqg_desktop.services.sync import _export as sync_export


def test_exporting_to_the_parent_marks_new_difficulties_sent(demo_workspace, tmp_path):
    before = difficulties.unsent_difficulty_ids(demo_workspace)
    assert before  # the demo has a difficulty not yet sent
    # the demo does not know its district's key: unencrypted, as asked (issue 12)
    result = sync_export.export_package(demo_workspace, tmp_path / "usb", encrypt=False)
    assert difficulties.unsent_difficulty_ids(demo_workspace) == []
    sent = {d.id: d for d in difficulties.list_difficulties(demo_workspace)}
    for ident in before:
        assert sent[ident].status == "sent" and sent[ident].sent_on == demo_workspace.today()
    assert sync_export.pending(demo_workspace).unsent_total == 0
    assert result.path.exists()
