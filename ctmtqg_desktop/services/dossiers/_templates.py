"""Bộ hồ sơ mẫu in the workspace: install the shipped ones, install newer versions, look up.

Templates are reference data kept in the ``dossier_template`` table, one row per version
(``code@version``), holding the YAML text they were validated from. The shipped templates
(``resources/dossiers/templates``) are installed the first time the dossier area is used; a
newer version (sent down by the parent unit in a package, or installed from a file) is added
*beside* the older ones, so a dossier keeps the version it was started with. The sync area
carries a template as its text: :func:`template_text` on the parent, :func:`install_template`
with ``origin="package"`` on the child.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from ctmtqg_desktop.domain.dossier_templates import TemplateInvalid, TemplateSpec, parse_template
from ctmtqg_desktop.domain.errors import BadArgument, UserError
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.models.catalog import ProjectKind
from ctmtqg_desktop.store.models.dossiers import DossierTemplate
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

log = logging.getLogger("ctmtqg.dossiers")

ORIGINS = ("shipped", "package", "file")


class TemplateVersionConflict(UserError):
    template = N_("Version {version} of the dossier template {code} is already installed with "
                  "different content. A changed template must carry a higher version number.")


class NoTemplateForKind(UserError):
    template = N_("There is no dossier template for the kind of project “{kind}”.")


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    code: str
    version: int
    province: str
    kind: str
    title: str
    confidence: str
    origin: str
    source_name: str
    #: the newest installed version of its code
    latest: bool


def shipped_templates_dir() -> Path:
    return resource_path("dossiers", "templates")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=64)
def parsed_template(digest: str, text: str, name: str) -> TemplateSpec:
    return parse_template(text, file=name)


def read_template_text(text: str, *, name: str) -> TemplateSpec:
    """Check a template's text (raises :class:`TemplateInvalid` with file, line, reason)."""
    return parsed_template(_digest(text), text, name)


def read_template_file(path: str | Path) -> tuple[TemplateSpec, str]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TemplateInvalid(file=path.name, line=0, reason=_("the file is not UTF-8 text")) \
            from None
    except OSError as error:
        raise TemplateInvalid(file=path.name, line=0, reason=error.strerror or str(error)) \
            from None
    return read_template_text(text, name=path.name), text


_installed_shipped: set[str] = set()


def ensure_shipped_templates(workspace: Workspace) -> None:
    """Install the shipped templates not yet in the workspace (once per process and database)."""
    if workspace.database_url in _installed_shipped:
        return
    files = sorted(shipped_templates_dir().glob("*.yaml"))
    with UnitOfWork(workspace) as uow:
        existing = {row.id: row.digest for row in uow.session.scalars(select(DossierTemplate))}
        kinds = {k.code for k in uow.session.scalars(select(ProjectKind))}
        installed = set(existing.values())
        for path in files:
            try:  # a template installed as shipped is not parsed again (issue 17: start-up)
                if _digest(path.read_text(encoding="utf-8")) in installed:
                    continue
            except (OSError, UnicodeDecodeError):
                pass  # read_template_file says what is wrong with the file
            spec, text = read_template_file(path)
            digest = _digest(text)
            if spec.key in existing:
                if existing[spec.key] != digest:
                    log.warning("shipped template %s differs from the installed one; kept the "
                                "installed version", spec.key)
                continue
            if spec.kind not in kinds:
                log.warning("shipped template %s names an unknown kind %s", spec.key, spec.kind)
                continue
            uow.session.add(_row(spec, text, digest, path.name, "shipped"))
        uow.commit()
    _installed_shipped.add(workspace.database_url)


def _row(spec: TemplateSpec, text: str, digest: str, name: str, origin: str) -> DossierTemplate:
    return DossierTemplate(id=spec.key, code=spec.code, version=spec.version,
                           province=spec.province, kind=spec.kind, title=spec.title,
                           confidence=spec.confidence, source_name=name, origin=origin,
                           content=text, digest=digest, installed_at=utc_now())


def install_template(workspace: Workspace, text: str, *, name: str,
                     origin: str = "file") -> TemplateInfo:
    """Install one template version beside the others; the same version again is a no-op,
    the same version with other content is refused."""
    if origin not in ORIGINS:
        raise BadArgument(detail=_("Unknown template origin “{origin}”.").format(origin=origin))
    ensure_shipped_templates(workspace)
    spec = read_template_text(text, name=name)
    digest = _digest(text)
    with UnitOfWork(workspace) as uow:
        if uow.session.get(ProjectKind, spec.kind) is None:
            raise TemplateInvalid(file=name, line=1, reason=_(
                "the kind of project “{kind}” is not in the catalog").format(kind=spec.kind))
        row = uow.session.get(DossierTemplate, spec.key)
        if row is not None:
            if row.digest != digest:
                raise TemplateVersionConflict(code=spec.code, version=spec.version)
        else:
            uow.session.add(_row(spec, text, digest, name, origin))
            uow.commit()
    return next(t for t in list_templates(workspace) if t.id == spec.key)


def install_template_file(workspace: Workspace, path: str | Path, *,
                          origin: str = "file") -> TemplateInfo:
    _spec, text = read_template_file(path)
    return install_template(workspace, text, name=Path(path).name, origin=origin)


def list_templates(workspace: Workspace, *, kind: str | None = None) -> list[TemplateInfo]:
    ensure_shipped_templates(workspace)
    with UnitOfWork.read(workspace) as session:
        statement = select(DossierTemplate).order_by(DossierTemplate.kind, DossierTemplate.code,
                                                     DossierTemplate.version)
        if kind:
            statement = statement.where(DossierTemplate.kind == kind)
        rows = list(session.scalars(statement))
    newest: dict[str, int] = {}
    for row in rows:
        newest[row.code] = max(newest.get(row.code, 0), row.version)
    return [TemplateInfo(r.id, r.code, r.version, r.province, r.kind, r.title, r.confidence,
                         r.origin, r.source_name, r.version == newest[r.code]) for r in rows]


def template_text(workspace: Workspace, template_id: str) -> str:
    """The YAML text of an installed template (what a package carries down)."""
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, DossierTemplate, template_id, kind=_("Dossier template"),
                            deleted=True)
        return row.content


def load_spec(workspace: Workspace, template_id: str) -> TemplateSpec:
    with UnitOfWork.read(workspace) as session:
        row = get_or_refuse(session, DossierTemplate, template_id, kind=_("Dossier template"),
                            deleted=True)
        return parsed_template(row.digest, row.content, row.source_name or row.id)


def province_of(workspace: Workspace) -> str:
    """The province code of this installation's unit ("" for a unit above provinces)."""
    unit = catalog.get_unit(workspace, workspace.installation().unit_id)
    while unit.kind != "province" and unit.parent_id:
        unit = catalog.get_unit(workspace, unit.parent_id)
    return unit.code if unit.kind == "province" else ""


def template_for_kind(workspace: Workspace, kind: str) -> TemplateInfo:
    """The newest template of ``kind`` for this unit's province (else of any province)."""
    candidates = [t for t in list_templates(workspace, kind=kind) if t.latest]
    if not candidates:
        raise NoTemplateForKind(kind=kind)
    province = province_of(workspace)
    own = [t for t in candidates if t.province == province]
    return max(own or candidates, key=lambda t: (t.version, t.code))
