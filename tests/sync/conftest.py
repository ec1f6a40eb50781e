"""A small network of installations set up the way users do it: a parent unit issues
enrollment files, each commune installation is set up from one. Works on SQLite files and,
in the suite's PostgreSQL pass, with every workspace (the parent included) on PostgreSQL."""

from __future__ import annotations

import pytest

from ctmtqg_desktop.services.sync import _enrollment as enrollment
from ctmtqg_desktop.services.workspaces import _workspaces as workspaces
from ctmtqg_desktop.store.workspace import Workspace

PARENT = "615"  # huyện Đắk Hà
COMMUNE_A = "23524"  # xã Đắk La
COMMUNE_B = "23521"  # xã Hà Mòn
OTHER_DISTRICT_COMMUNE = "23530@2023-06-01"  # xã Rơ Kơi, huyện Sa Thầy


class Network:
    def __init__(self, new_workspace, tmp_path) -> None:
        self.new_workspace = new_workspace
        self.tmp_path = tmp_path
        self.opened: list[Workspace] = []
        self.counter = 0

    def parent(self, unit: str = PARENT, name: str = "Phòng Tài chính - Kế hoạch") -> Workspace:
        return self.new_workspace(unit=unit, role="parent", name=name)

    def commune(self, unit: str = COMMUNE_A, name: str = "Y Thị Hoa") -> Workspace:
        """A commune installation set up without an enrollment file."""
        return self.new_workspace(unit=unit, role="commune", name=name)

    def enroll(self, parent: Workspace, unit: str, name: str = "Cán bộ xã", *,
               sqlite: bool = False) -> Workspace:
        self.counter += 1
        path = self.tmp_path / f"enroll-{unit}-{self.counter}.ctenroll"
        enrollment.issue_enrollment(parent, unit, path)
        return self.from_file(path, name, sqlite=sqlite)

    def from_file(self, path, name: str = "Cán bộ xã", *, sqlite: bool = False) -> Workspace:
        """A commune installation set up from an enrollment file; ``sqlite`` keeps it on a
        SQLite file even in the PostgreSQL pass (a laptop, beside a parent's server)."""
        if sqlite:
            self.counter += 1
            folder = self.tmp_path / f"laptop-{self.counter}"
            made = enrollment.init_from_enrollment(folder, "sqlite:///" + str(
                folder / "ctmtqg.sqlite3"), path, officer_name=name)
            self.opened.append(made)
            return made
        blank = self.new_workspace(initialise=False)
        blank.dispose()  # its pooled connection is not needed: ``made`` opens its own
        made = enrollment.init_from_enrollment(blank.folder, blank.database_url, path,
                                               officer_name=name)
        self.opened.append(made)
        return made

    def close(self) -> None:
        for workspace in self.opened:
            workspace.dispose()


@pytest.fixture
def network(new_workspace, tmp_path):
    made = Network(new_workspace, tmp_path)
    yield made
    made.close()


def dump(workspace: Workspace) -> bytes:
    return workspaces.dump(workspace, metadata=True)
