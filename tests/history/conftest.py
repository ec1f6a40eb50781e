"""The 2026 demo commune Xã Đăk Hà (23500@2025-07-01) and its province, built once per
session (as tests/catalog/test_demo_history.py builds them) and copied for each test."""

from __future__ import annotations

import shutil

import pytest

from ctmtqg_desktop.services import workspaces
from ctmtqg_desktop.store.workspace import Workspace
from tests.dak_ha import build_dak_ha


@pytest.fixture(scope="session")
def dak_ha_template(tmp_path_factory):
    base = tmp_path_factory.mktemp("dak-ha")
    province, commune = build_dak_ha(base)
    commune.dispose()
    province.dispose()
    return base


@pytest.fixture
def dak_ha(dak_ha_template, tmp_path):
    """``(province, commune)``: fresh copies of the built pair."""
    made = []
    for name in ("tinh", "xa"):
        shutil.copytree(dak_ha_template / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("*-wal", "*-shm"))
        workspace = Workspace(tmp_path / name)
        workspaces.prepare_database(workspace)
        made.append(workspace)
    yield tuple(made)
    for workspace in made:
        workspace.dispose()
