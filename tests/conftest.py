"""Shared fixtures: real workspaces on real SQLite files, or on a real PostgreSQL server.

Set ``CTMTQG_TEST_DATABASE_URL`` (``.ci/run`` does, after starting PostgreSQL) to run the
whole suite on PostgreSQL: each workspace then gets its own database, created from a
migrated template. Without it every workspace is a SQLite file. Building the schema and
the demo once and copying them per test keeps the suite fast (as Anki's tests do).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

_SANDBOX = Path(tempfile.mkdtemp(prefix="ctmtqg-tests-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "data")
os.environ["HOME"] = str(_SANDBOX / "home")
(_SANDBOX / "home").mkdir()
os.environ.pop("CTMTQG_WORKSPACE", None)
os.environ.pop("CTMTQG_DATABASE_URL", None)

from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

# Hypothesis keeps its examples and caches in ./.hypothesis by default: no test writes in
# the checkout
set_hypothesis_home_dir(str(_SANDBOX / "hypothesis"))
# Properties check correctness, never speed (speed lives in benchmarks/): on a loaded 2-core
# runner Hypothesis's per-example deadline and its "too slow" health check fail a correct
# property at random, so neither applies here.
settings.register_profile(
    "ctmtqg", database=DirectoryBasedExampleDatabase(str(_SANDBOX / "hypothesis" / "examples")),
    deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ctmtqg")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from ctmtqg_desktop.services import demo, workspaces  # noqa: E402
from ctmtqg_desktop.store import schema  # noqa: E402
from ctmtqg_desktop.store.workspace import DATABASE_FILE, Workspace  # noqa: E402
from tests.modal_guard import modal_dialog_guard, pytest_runtest_call  # noqa: E402, F401

PG_URL = os.environ.get("CTMTQG_TEST_DATABASE_URL")
DEMO_UNIT = "23524"


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite files'}"


CHECKOUT = Path(__file__).resolve().parents[1]
_ENTRIES = pytest.StashKey[set[str]]()


def _checkout_entries() -> set[str]:
    return {entry.name for entry in CHECKOUT.iterdir()}


def pytest_sessionstart(session):
    session.config.stash[_ENTRIES] = _checkout_entries()


def pytest_sessionfinish(session, exitstatus):
    """No test leaves anything in the checkout's root: a new entry there fails the run."""
    if hasattr(session.config, "workerinput") or _ENTRIES not in session.config.stash:
        return
    left = sorted(_checkout_entries() - session.config.stash[_ENTRIES])
    if left:
        session.config.get_terminal_writer().line(
            f"Tests left these in {CHECKOUT}: {', '.join(left)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED



class PostgresDatabases:
    """Creates and drops throwaway databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"ctmtqg_{os.getpid()}_"
        self.created: list[str] = []

    def url_for(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, template: str | None = None) -> str:
        name = f"{self.prefix}{uuid.uuid4().hex[:10]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        self.created.append(name)
        return name

    def drop_all(self) -> None:
        with self.engine.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres():
    if not PG_URL:
        yield None
        return
    databases = PostgresDatabases(PG_URL)
    yield databases
    databases.drop_all()


class Templates:
    """Prepared databases (schema + catalog; or the whole demo) to copy per test."""

    def __init__(self, root: Path, postgres: PostgresDatabases | None) -> None:
        self.root = root
        self.postgres = postgres
        self._made: dict[str, tuple[Path, str | None]] = {}

    def _prepare(self, key: str, build) -> tuple[Path, str | None]:
        if key in self._made:
            return self._made[key]
        folder = self.root / key
        database_url = None
        if self.postgres:
            name = self.postgres.create()
            database_url = self.postgres.url_for(name)
        workspace = Workspace(folder, database_url)
        build(workspace)
        workspace.dispose()
        self._made[key] = (folder, name if self.postgres else None)
        return self._made[key]

    def empty(self):
        return self._prepare("empty", workspaces.prepare_database)

    def demo(self):
        def build(workspace: Workspace) -> None:
            workspaces.prepare_database(workspace)
            made = workspaces.init_workspace(workspace.folder, workspace.database_url,
                                             unit=DEMO_UNIT, role="commune",
                                             officer_name=demo.demo_definition()["officer_name"],
                                             simulated_today=demo.demo_today())
            demo.build_demo(made)
            made.dispose()

        return self._prepare("demo", build)


@pytest.fixture(scope="session")
def templates(postgres, tmp_path_factory) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"), postgres)


@pytest.fixture
def new_workspace(templates, postgres, tmp_path):
    """``new_workspace(unit="23524", role="commune", name="")`` → an initialised workspace."""
    made: list[Workspace] = []
    counter = iter(range(1000))

    def make(unit: str = DEMO_UNIT, role: str = "commune", name: str = "Nguyễn Văn An",
             *, initialise: bool = True, folder: Path | None = None) -> Workspace:
        folder = folder or tmp_path / f"ws{next(counter)}"
        template_folder, template_db = templates.empty()
        database_url = None
        if postgres:
            database_url = postgres.url_for(postgres.create(template=template_db))
        else:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(template_folder / DATABASE_FILE, folder / DATABASE_FILE)
        if not initialise:
            workspace = Workspace(folder, database_url)
            workspaces.prepare_database(workspace)
        else:
            workspace = workspaces.init_workspace(folder, database_url, unit=unit, role=role,
                                                  officer_name=name)
        made.append(workspace)
        return workspace

    yield make
    for workspace in made:
        workspace.dispose()


@pytest.fixture
def demo_workspace(templates, postgres, tmp_path) -> Workspace:
    """A copy of the demo workspace (built once per test session)."""
    template_folder, template_db = templates.demo()
    folder = tmp_path / "demo"
    database_url = None
    if postgres:
        database_url = postgres.url_for(postgres.create(template=template_db))
        folder.mkdir()
        for sub in ("attachments", "keys", "backups", "logs"):
            if (template_folder / sub).exists():
                shutil.copytree(template_folder / sub, folder / sub)
    else:
        shutil.copytree(template_folder, folder, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    workspace = Workspace(folder, database_url)
    workspaces.prepare_database(workspace)
    yield workspace
    workspace.dispose()


@pytest.fixture
def database_url_for(postgres):
    """A fresh, empty database URL for a workspace folder (None on SQLite)."""

    def make() -> str | None:
        return postgres.url_for(postgres.create()) if postgres else None

    return make


@pytest.fixture
def head_revision() -> str:
    return schema.head_revision()
