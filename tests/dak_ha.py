"""Xã Đăk Hà (23500@2025-07-01), the 2026 demo commune formed on 01/07/2025 from three
communes of old Kon Tum, set up the way a real one is: Tỉnh Quảng Ngãi issues its
enrollment file, the commune initialises from it and writes its records (with its
predecessors' 2021-2025 history). One builder for every history test (issue 13)."""

from __future__ import annotations

from pathlib import Path

from ctmtqg_desktop.services import parent, sync, workspaces
from ctmtqg_desktop.store.workspace import Workspace

NEW, QUANG_NGAI = "23500@2025-07-01", "51@2025-07-01"
#: the units Xã Đăk Hà continues (NQ 1677/NQ-UBTVQH15), by key
OLD_UNITS = {"23500": "Thị trấn Đắk Hà", "23521": "Xã Hà Mòn", "23524": "Xã Đắk La"}


def build_dak_ha(folder: Path, *, households: int = 120) -> tuple[Workspace, Workspace]:
    """``(province, commune)`` in ``folder/tinh`` and ``folder/xa``; the caller disposes
    both."""
    province = workspaces.init_workspace(folder / "tinh", unit=QUANG_NGAI, role="parent",
                                         refuse_ended=True)
    enrollment = folder / "dak-ha.ctenroll"
    sync.issue_enrollment(province, NEW, enrollment)
    commune = sync.init_from_enrollment(folder / "xa", None, enrollment)
    parent.build_commune(commune, households=households)
    return province, commune
