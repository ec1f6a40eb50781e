import pytest

from ctmtqg_desktop.domain.errors import AttachmentTooLarge
from ctmtqg_desktop.services import attachments, projects, settings


def test_files_attach_to_a_record_and_travel_as_records(demo_workspace, tmp_path):
    project = projects.list_projects(demo_workspace, query="nha van hoa")[0]
    scan = tmp_path / "Biên bản nghiệm thu.pdf"
    scan.write_bytes(b"%PDF-1.4 nghiem thu")
    info = attachments.attach_file(demo_workspace, scan, parent_table="project",
                                   parent_id=project.id, caption="Biên bản nghiệm thu")
    listed = attachments.list_attachments(demo_workspace, "project", project.id)
    assert [a.original_name for a in listed] == ["Biên bản nghiệm thu.pdf"]
    copy = attachments.copy_out(demo_workspace, info, tmp_path / "out")
    assert copy.read_bytes() == b"%PDF-1.4 nghiem thu"
    attachments.remove_attachment(demo_workspace, info.id)
    assert attachments.list_attachments(demo_workspace, "project", project.id) == []


def test_the_size_limit_is_a_workspace_setting(demo_workspace, tmp_path):
    settings.set_value(demo_workspace, settings.ATTACHMENT_LIMIT_MB, 1)
    big = tmp_path / "anh.jpg"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    project = projects.list_projects(demo_workspace)[0]
    with pytest.raises(AttachmentTooLarge):
        attachments.attach_file(demo_workspace, big, parent_table="project",
                                parent_id=project.id)
    assert attachments.list_attachments(demo_workspace, "project", project.id) == []
