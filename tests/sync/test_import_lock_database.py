"""One importer at a time per workspace, also when the workspace is a PostgreSQL database
opened from two computers, each with its own folder (issue 12): the import then holds the
database's advisory lock as well as the folder's."""

from __future__ import annotations

import threading

import pytest

from ctmtqg_desktop.services.sync._lock import ImportBusy, import_lock
from ctmtqg_desktop.store.workspace import Workspace


def _try_in_thread(workspace: Workspace) -> BaseException | None:
    found: list[BaseException | None] = [None]

    def run() -> None:
        try:
            with import_lock(workspace):
                pass
        except BaseException as error:  # noqa: BLE001 - handed to the test
            found[0] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return found[0]


def test_a_second_importer_of_the_same_database_is_told_to_wait(new_workspace, postgres,
                                                                tmp_path):
    first = new_workspace()
    if postgres:  # another computer: its own folder, the same database
        other = Workspace(tmp_path / "other-computer", first.database_url)
        other.create_folders()
    else:  # SQLite: the database is a file of the folder; the folder's lock guards it
        other = Workspace(first.folder, first.database_url)
    with import_lock(first):
        assert isinstance(_try_in_thread(other), ImportBusy)
    assert _try_in_thread(other) is None  # released with the import
    with import_lock(other):  # and either side may take it next
        assert isinstance(_try_in_thread(first), ImportBusy)
    other.dispose()


@pytest.mark.parametrize("times", [3])
def test_the_lock_is_released_after_a_failed_import(new_workspace, times):
    workspace = new_workspace()
    for _ in range(times):
        with pytest.raises(RuntimeError), import_lock(workspace):
            raise RuntimeError("the import failed")
    assert _try_in_thread(workspace) is None
