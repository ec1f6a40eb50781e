"""A parent unit and its communes set up the way users do it (enrollment files, real signed
packages), with small demo-generated data in each commune's own workspace. SQLite files, or
PostgreSQL for every workspace in the suite's PostgreSQL pass."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import update

from ctmtqg_desktop.services.parent import _demo as parent_demo
from ctmtqg_desktop.services.sync import _export as sync_export
from ctmtqg_desktop.services.sync import _import as sync_import
from ctmtqg_desktop.store.models.identity import Installation
from ctmtqg_desktop.store.uow import UnitOfWork
from tests.sync.conftest import Network

DAY = dt.date(2023, 10, 16)


def set_today(workspace, day: dt.date = DAY) -> None:
    with UnitOfWork(workspace) as uow:
        uow.session.execute(update(Installation).values(simulated_today=day))
        uow.commit()
    workspace.installation(refresh=True)


def fill(workspace, seed: str, *, scale: float = 0.25, households: int = 4) -> dict:
    """Small demo-generated records in a commune's own workspace (local writes)."""
    data = parent_demo.demo_data()
    templates = parent_demo.template_choices(workspace)
    with UnitOfWork(workspace) as uow:
        counts = parent_demo.fill_child(
            uow.session, unit_id=workspace.installation().unit_id, today=workspace.today(),
            rng=random.Random(seed), data=data, templates=templates, households=households,
            scale=scale)
        uow.commit()
    return counts


def send(source, target, folder, *, to: str | None = None):
    """Export from ``source`` and import into ``target``; the outcome of the file."""
    result = sync_export.export_package(source, folder, to=to)
    report = sync_import.import_packages(target, [result.path])
    return result, report.files[0]


@pytest.fixture
def network(new_workspace, tmp_path):
    made = Network(new_workspace, tmp_path)
    yield made
    made.close()


@pytest.fixture
def parent_demo_workspace(new_workspace):
    """A district of 2023 with six demo child units (small data), as ``ctmtqg demo --role
    parent`` makes it."""
    from ctmtqg_desktop.services.parent import _demo as parent_demo

    workspace = new_workspace(unit="615", role="parent",
                              name="Phòng Tài chính - Kế hoạch huyện Đắk Hà")
    set_today(workspace)
    parent_demo.build(workspace, children=6, households=3, scale=0.4)
    return workspace


def open_window(qtbot, workspace):
    """The main window on ``workspace`` at 1366x768, background work run synchronously."""
    from PySide6.QtCore import QSettings

    from ctmtqg_desktop.gui import settings as gui_settings
    from ctmtqg_desktop.gui.app import create_application
    from tests.windows import show_main_window

    QSettings(gui_settings.ORGANISATION, gui_settings.APPLICATION).clear()
    create_application([])
    return show_main_window(qtbot, workspace)


@pytest.fixture
def parent_window(qtbot, parent_demo_workspace):
    return open_window(qtbot, parent_demo_workspace)
