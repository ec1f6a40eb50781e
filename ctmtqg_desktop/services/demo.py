"""The demo workspace: a realistic Kon Tum commune of 2023, built deterministically.

Each area contributes steps (``Area.demo``: ``DemoStep(order, fn)``, usually in its
``_demo`` module); the steps share a :class:`DemoContext` whose random generator is seeded, so
the same seed gives byte-identical data (``ctmtqg dump``) on SQLite and PostgreSQL. The demo
is set in 2023 (the seed directive's year): the workspace's working date is fixed to the
``today`` of ``resources/demo/commune-23524.json`` and the window says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import N_
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import area
from ctmtqg_desktop.store.uow import UnitOfWork
from ctmtqg_desktop.store.workspace import Workspace

DEMO_FILE = "commune-23524.json"
DEFAULT_SEED = 2023


class DemoNeedsEmptyWorkspace(UserError):
    template = N_("The demo only fills a new, empty workspace; {path} already holds data.")


@dataclass
class DemoContext:
    workspace: Workspace
    session: Session
    rng: random.Random
    unit_id: str
    today: dt.date
    data: dict[str, Any]
    shared: dict[str, Any] = field(default_factory=dict)
    #: mixed into every id: the unit's, so that the demos of two communes sent to one
    #: parent never share a record id (the data drawn stay those of the seed)
    id_salt: int = 0

    def new_id(self) -> uuid.UUID:
        """A UUID drawn from the seeded generator: the same demo of the same unit gives the
        same ids; another unit's demo gives others."""
        return uuid.UUID(int=self.rng.getrandbits(128) ^ self.id_salt, version=4)

    def resource(self, name: str) -> Path:
        return resource_path("demo", name)


def id_salt(unit_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"demo-ids/{unit_id}".encode()).digest()[:16], "big")


def demo_definition() -> dict[str, Any]:
    return json.loads(resource_path("demo", DEMO_FILE).read_text(encoding="utf-8"))


def demo_today() -> dt.date:
    return dt.date.fromisoformat(demo_definition()["today"])


def build_demo(workspace: Workspace, *, seed: int = DEFAULT_SEED,
               progress: Callable[[str], None] | None = None) -> None:
    """Fill an initialised, empty workspace with the demo commune's data in one transaction."""
    definition = demo_definition()
    with UnitOfWork(workspace) as uow:
        unit_id = uow.context.unit_id
        for model in area.synced_records():
            if uow.session.execute(select(func.count()).select_from(model)).scalar():
                raise DemoNeedsEmptyWorkspace(path=str(workspace.folder))
        context = DemoContext(workspace=workspace, session=uow.session,
                              rng=random.Random(seed), unit_id=unit_id,
                              today=workspace.today(), data=definition,
                              id_salt=id_salt(unit_id))
        for step in area.demo_steps():
            if progress:
                progress(step.name)
            step.run(context)
            uow.session.flush()
        uow.commit()
