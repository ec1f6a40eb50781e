"""Hộ hưởng lợi: the commune's beneficiary households and the support each received.

A household has its head, ID number (số định danh cá nhân, CCCD: personal data), village,
ethnicity and status (hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo; hộ dân tộc thiểu số). Each
support record says what a household received from which project. A household supported
twice for the same content (two housing supports from two programmes, for example) is
flagged: :func:`duplicate_supports` is the check, also used by the projects' overlap warnings.

ID numbers are masked in lists and exports unless the caller asks for them (``reveal=True``)
and are never passed to a logger (services log record ids only).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, case, func, or_, select

from ctmtqg_desktop.domain import field_rules
from ctmtqg_desktop.domain.errors import BadArgument, CatalogInvalid, RecordNotFound
from ctmtqg_desktop.domain.labels import Labelled
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.resource_paths import resource_path
from ctmtqg_desktop.services import catalog
from ctmtqg_desktop.store.models.dossiers import POVERTY_STATUSES, Household, HouseholdSupport
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

_ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")
SORT_KEYS = ("name", "village", "status", "ethnicity", "supports", "members")


class PovertyStatus(Labelled):
    """Tình trạng nghèo of a household."""
    POOR = "poor", N_("Poor household")
    NEAR_POOR = "near_poor", N_("Near-poor household")
    RECENTLY_OUT = "recently_out", N_("Recently out of poverty")
    NONE = "none", N_("Not classified")


def poverty_label(status: str) -> str:
    return PovertyStatus.label_of(status)


def poverty_short_label(status: str) -> str:
    """For narrow list columns: "Nghèo", "Cận nghèo", "Mới thoát nghèo" (empty for none)."""
    return {"poor": _("Poor"), "near_poor": _("Near-poor"),
            "recently_out": _("Out of poverty")}.get(status, "")


def mask_id(id_number: str) -> str:
    """``062185001234`` → ``*********234``: enough to tell two people apart on a list."""
    if not id_number:
        return ""
    return "*" * (len(id_number) - 3) + id_number[-3:]


# ---------------------------------------------------------------------------- contents
@dataclass(frozen=True)
class SupportContent:
    code: str
    name: str
    #: supports of the same group for one household are counted as a duplicate
    group: str
    confidence: str


@lru_cache(maxsize=1)
def support_contents() -> tuple[SupportContent, ...]:
    """The support contents (resources/dossiers/support-contents.yaml), checked."""
    from ctmtqg_desktop.domain import located_yaml

    path = resource_path("dossiers", "support-contents.yaml")
    name = path.name
    try:
        document = located_yaml.load(path.read_text(encoding="utf-8"))
    except located_yaml.YamlSyntaxError as error:
        raise CatalogInvalid(file=name, line=error.line, reason=error.problem) from None
    items = document.get("contents") if isinstance(document, dict) else None
    if not isinstance(items, list) or not items:
        raise CatalogInvalid(file=name, line=1, reason=_("“contents” must be a list"))
    result, seen = [], set()
    for index, item in enumerate(items):
        line = items.line_of(index)
        if not isinstance(item, dict) or not all(item.get(k) for k in ("code", "name", "group")):
            raise CatalogInvalid(file=name, line=line,
                                 reason=_("each content needs a code, a name and a group"))
        if item["code"] in seen:
            raise CatalogInvalid(file=name, line=line, reason=_(
                "the code {code} appears twice").format(code=item["code"]))
        if item.get("confidence", "unverified") not in ("confirmed", "partial", "unverified"):
            raise CatalogInvalid(file=name, line=line, reason=_("unknown confidence “{value}”")
                                 .format(value=item.get("confidence")))
        seen.add(item["code"])
        result.append(SupportContent(item["code"], normalize(item["name"]), item["group"],
                                     item.get("confidence", "unverified")))
    return tuple(result)


def content_by_code() -> dict[str, SupportContent]:
    return {c.code: c for c in support_contents()}


# ---------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class HouseholdRow:
    id: uuid.UUID
    head_name: str
    #: masked unless the list was asked for with ``reveal=True``
    id_number: str
    birth_year: int | None
    village_id: uuid.UUID | None
    village_name: str
    ethnicity: str
    poverty_status: str
    ethnic_minority: bool
    members: int
    note: str
    supports: int
    support_total: int
    duplicated: bool
    owner_unit_id: str = ""
    #: a predecessor's household (history, read-only): the old unit ("Xã Đắk La"), else ""
    history_of: str = ""

    @property
    def label(self) -> str:
        """The head's name as a list shows it: "Y Hoa — Xã Đắk La (trước sắp xếp)" for a
        predecessor's household."""
        return catalog.history_label(self.head_name, self.history_of) if self.history_of \
            else self.head_name

    @property
    def short_status(self) -> str:
        text = poverty_short_label(self.poverty_status)
        if self.ethnic_minority:
            text = f"{text}, DTTS" if text else "DTTS"
        return text

    @property
    def status_text(self) -> str:
        text = poverty_label(self.poverty_status) if self.poverty_status != "none" else ""
        if self.ethnic_minority:
            text = f"{text}, DTTS" if text else "DTTS"
        return text


def _unit(workspace: Workspace) -> str:
    return workspace.installation().unit_id


def _duplicated_ids(session, unit_ids: str | list[str]) -> set[uuid.UUID]:
    unit_ids = [unit_ids] if isinstance(unit_ids, str) else unit_ids
    groups = {c.code: c.group for c in support_contents()}
    seen: dict[tuple[uuid.UUID, str], int] = {}
    for household_id, content in session.execute(
            select(HouseholdSupport.household_id, HouseholdSupport.content).where(
                HouseholdSupport.owner_unit_id.in_(unit_ids),
                HouseholdSupport.deleted.is_(False))):
        key = (household_id, groups.get(content, content))
        seen[key] = seen.get(key, 0) + 1
    return {household for (household, _group), count in seen.items() if count > 1}


def household_ids(workspace: Workspace, query: dict | None = None, sort_key: str | None = None,
                  descending: bool = False, *, history: bool = False) -> list[uuid.UUID]:
    """Ids of the live households matching ``query``, sorted in SQL.

    ``query`` keys: ``text`` (name, diacritics optional; or digits of the ID number),
    ``village_id``, ``status`` (a poverty status), ``minority`` (True), ``duplicates`` (True),
    ``history`` (True: as the ``history`` argument).

    ``history``: also the households of the units this one continues (a commune created by
    the merger of 01/07/2025, NQ 1677/NQ-UBTVQH15: its predecessors' poor households and
    their supports of 2021-2025), after its own; read-only (:func:`catalog.refuse_history`).
    """
    query = query or {}
    history = history or bool(query.get("history"))
    unit_id = _unit(workspace)
    with UnitOfWork.read(workspace) as session:
        owners = [unit_id, *(catalog.own_history(session, workspace) if history else {})]
        totals = (select(HouseholdSupport.household_id.label("hid"),
                         func.count().label("n"))
                  .where(HouseholdSupport.deleted.is_(False))
                  .group_by(HouseholdSupport.household_id).subquery())
        statement = (select(Household.id)
                     .outerjoin(Village, Village.id == Household.village_id)
                     .outerjoin(totals, totals.c.hid == Household.id)
                     .where(Household.owner_unit_id.in_(owners), Household.deleted.is_(False)))
        for term in search_terms(query.get("text")):
            # a word of the name starts with the term ("y hoa" finds "Y Hoa", not "Tuyết")
            by_name = or_(Household.head_name_folded.like(f"{term}%"),
                          Household.head_name_folded.like(f"% {term}%"))
            if term.isdigit() and len(term) >= 3:
                by_name = or_(by_name, Household.id_number.like(f"%{term}"))
            statement = statement.where(by_name)
        if query.get("village_id"):
            statement = statement.where(Household.village_id == query["village_id"])
        if query.get("status"):
            statement = statement.where(Household.poverty_status == query["status"])
        if query.get("minority"):
            statement = statement.where(Household.ethnic_minority.is_(True))
        if query.get("duplicates"):
            duplicated = _duplicated_ids(session, owners)
            statement = statement.where(Household.id.in_(duplicated or [uuid.UUID(int=0)]))
        column = {"name": Household.head_name_folded, "village": Village.sort_order,
                  "status": Household.poverty_status, "ethnicity": Household.ethnicity,
                  "supports": func.coalesce(totals.c.n, 0),
                  "members": Household.members}.get(sort_key or "name",
                                                    Household.head_name_folded)
        order = column.desc() if descending else column.asc()
        own_first = case((Household.owner_unit_id == unit_id, 0), else_=1)
        statement = statement.order_by(own_first, Household.owner_unit_id, order,
                                       Household.head_name_folded, Household.id)
        return list(session.scalars(statement))


def household_rows(workspace: Workspace, ids: list[uuid.UUID], *, reveal: bool = False
                   ) -> dict[uuid.UUID, HouseholdRow]:
    if not ids:
        return {}
    with UnitOfWork.read(workspace) as session:
        rows = list(session.execute(
            select(Household, Village.name).outerjoin(Village, Village.id == Household.village_id)
            .where(Household.id.in_(ids))))
        totals = {hid: (n, total) for hid, n, total in session.execute(
            select(HouseholdSupport.household_id, func.count(),
                   func.coalesce(func.sum(HouseholdSupport.amount), 0))
            .where(HouseholdSupport.household_id.in_(ids), HouseholdSupport.deleted.is_(False))
            .group_by(HouseholdSupport.household_id))}
        titles = catalog.own_history(session, workspace)
        duplicated = _duplicated_ids(session, [_unit(workspace), *titles])
    result = {}
    for household, village_name in rows:
        count, total = totals.get(household.id, (0, 0))
        result[household.id] = HouseholdRow(
            household.id, household.head_name,
            household.id_number if reveal else mask_id(household.id_number),
            household.birth_year, household.village_id, village_name or "", household.ethnicity,
            household.poverty_status, household.ethnic_minority, household.members,
            household.note, count, int(total), household.id in duplicated,
            household.owner_unit_id, titles.get(household.owner_unit_id, ""))
    return result


def list_households(workspace: Workspace, query: dict | None = None, *,
                    reveal: bool = False, history: bool = False) -> list[HouseholdRow]:
    """The households matching ``query`` (see :func:`household_ids`); ``history``: with
    the predecessors' households, labelled with the old unit (:attr:`HouseholdRow.label`)."""
    ids = household_ids(workspace, query, history=history)
    rows = household_rows(workspace, ids, reveal=reveal)
    return [rows[i] for i in ids]


def get_household(workspace: Workspace, household_id: uuid.UUID, *,
                  reveal: bool = False) -> HouseholdRow:
    rows = household_rows(workspace, [household_id], reveal=reveal)
    if household_id not in rows:
        raise RecordNotFound(kind=_("Household"), ident=str(household_id))
    return rows[household_id]


@dataclass(frozen=True)
class SupportInfo:
    id: uuid.UUID
    household_id: uuid.UUID
    project_id: uuid.UUID
    project_name: str
    program_id: str
    content: str
    content_name: str
    amount: int
    received_on: dt.date | None
    note: str


def _support_infos(session, statement) -> list[SupportInfo]:
    names = content_by_code()
    result = []
    for support, project_name, program_id in session.execute(statement):
        content = names.get(support.content)
        result.append(SupportInfo(support.id, support.household_id, support.project_id,
                                  project_name, program_id, support.content,
                                  content.name if content else support.content, support.amount,
                                  support.received_on, support.note))
    return result


def household_supports(workspace: Workspace, household_id: uuid.UUID) -> list[SupportInfo]:
    with UnitOfWork.read(workspace) as session:
        return _support_infos(session, select(HouseholdSupport, Project.name, Project.program_id)
                              .join(Project, Project.id == HouseholdSupport.project_id)
                              .where(HouseholdSupport.household_id == household_id,
                                     HouseholdSupport.deleted.is_(False))
                              .order_by(HouseholdSupport.received_on))


@dataclass(frozen=True)
class DuplicateSupport:
    """One household supported more than once for the same content (across projects or
    programmes): the "beneficiaries counted twice" overlap."""

    household_id: uuid.UUID
    head_name: str
    village_name: str
    group: str
    content_names: tuple[str, ...]
    supports: tuple[SupportInfo, ...]

    @property
    def programs(self) -> tuple[str, ...]:
        return tuple(sorted({s.program_id for s in self.supports}))

    @property
    def project_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(dict.fromkeys(s.project_id for s in self.supports))


def duplicate_supports(workspace: Workspace, *, unit_id: str | None = None,
                       project_id: uuid.UUID | None = None) -> list[DuplicateSupport]:
    """Every household supported twice for the same content (optionally: involving one
    project), with the supports concerned; for the dossier area and the overlap warnings."""
    unit_id = unit_id or _unit(workspace)
    groups = {c.code: c.group for c in support_contents()}
    names = content_by_code()
    with UnitOfWork.read(workspace) as session:
        # plain columns, not ORM objects, and only the households supported more than once:
        # five years of a commune's supports are read (issue 17)
        supported_twice = (select(HouseholdSupport.household_id)
                           .where(HouseholdSupport.owner_unit_id == unit_id,
                                  HouseholdSupport.deleted.is_(False))
                           .group_by(HouseholdSupport.household_id)
                           .having(func.count() > 1))
        supports = []
        for (support_id, household, project, project_name, program_id, content, amount,
             received_on, note) in session.execute(
                select(HouseholdSupport.id, HouseholdSupport.household_id,
                       HouseholdSupport.project_id, Project.name, Project.program_id,
                       HouseholdSupport.content, HouseholdSupport.amount,
                       HouseholdSupport.received_on, HouseholdSupport.note)
                .join(Project, Project.id == HouseholdSupport.project_id)
                .where(HouseholdSupport.owner_unit_id == unit_id,
                       HouseholdSupport.deleted.is_(False),
                       HouseholdSupport.household_id.in_(supported_twice))
                .order_by(HouseholdSupport.received_on, HouseholdSupport.id)):
            known = names.get(content)
            supports.append(SupportInfo(support_id, household, project, project_name,
                                        program_id, content,
                                        known.name if known else content, amount, received_on,
                                        note))
        households = {h: (head, v or "") for h, head, v in session.execute(
            select(Household.id, Household.head_name, Village.name)
            .outerjoin(Village, Village.id == Household.village_id)
            .where(Household.owner_unit_id == unit_id))}
    by_key: dict[tuple[uuid.UUID, str], list[SupportInfo]] = {}
    for support in supports:
        by_key.setdefault((support.household_id, groups.get(support.content, support.content)),
                          []).append(support)
    result = []
    for (household_id, group), items in by_key.items():
        if len(items) < 2:
            continue
        if project_id is not None and all(s.project_id != project_id for s in items):
            continue
        name, village = households.get(household_id, ("", ""))
        result.append(DuplicateSupport(household_id, name, village, group,
                                       tuple(dict.fromkeys(s.content_name for s in items)),
                                       tuple(items)))
    return sorted(result, key=lambda d: (fold(d.village_name), fold(d.head_name)))


# ---------------------------------------------------------------------------- writing
def _check_household(values: dict) -> dict:
    from ctmtqg_desktop.services import workbook_import as wb
    from ctmtqg_desktop.services.households._columns import import_columns

    head = normalize(values.get("head_name"))
    if not head:
        raise BadArgument(detail=_("The name of the head of household is empty."))
    # the limits the households workbook declares: a form and an import refuse the same text
    wb.check_text_lengths(import_columns(), {key: values.get(key) for key in (
        "head_name", "ethnicity", "note", "birth_year", "members")})
    id_number = normalize(values.get("id_number") or "").replace(" ", "")
    if id_number and not _ID_NUMBER.match(id_number):
        raise BadArgument(detail=_("An ID number has 12 digits (citizen identity card) or 9 "
                                   "digits (old identity card)."))
    status = values.get("poverty_status") or "none"
    if status not in POVERTY_STATUSES:
        raise BadArgument(detail=_("Unknown household status “{status}”.").format(status=status))
    birth_year = values.get("birth_year")
    if birth_year is not None and not 1900 <= int(birth_year) <= dt.date.today().year:
        raise BadArgument(detail=_("The year of birth must be between 1900 and this year."))
    members = int(values.get("members") or 0)
    if not 0 <= members <= 50:
        raise BadArgument(detail=_("The number of members must be between 0 and 50."))
    return dict(head_name=head, head_name_folded=fold(head), id_number=id_number,
                birth_year=int(birth_year) if birth_year is not None else None,
                village_id=values.get("village_id"), ethnicity=normalize(values.get("ethnicity")),
                poverty_status=status, ethnic_minority=bool(values.get("ethnic_minority")),
                members=members, note=normalize(values.get("note")))


def save_household(workspace: Workspace, *, household_id: uuid.UUID | None = None,
                   **values) -> HouseholdRow:
    """Add a household or change one; an ID number belongs to one household only.

    Without ``id_number`` (a list showing masked numbers) the recorded number is kept.
    """
    keep_id = "id_number" not in values and household_id is not None
    clean = _check_household(values)
    if keep_id:
        del clean["id_number"]
    with UnitOfWork(workspace) as uow:
        session = uow.session
        if clean["village_id"] is not None:
            get_or_refuse(session, Village, clean["village_id"], kind=_("Village"))
        if clean.get("id_number"):
            other = session.scalars(select(Household).where(
                Household.owner_unit_id == uow.context.unit_id, Household.deleted.is_(False),
                Household.id_number == clean["id_number"])).first()
            if other is not None and other.id != household_id:
                raise BadArgument(detail=_("This ID number is already recorded for the "
                                           "household of {name}.").format(name=other.head_name))
        if household_id is None:
            row = Household(id=uuid.uuid4())
            session.add(row)
        else:
            row = get_or_refuse(session, Household, household_id, kind=_("Household"))
            catalog.refuse_history(session, workspace, row.owner_unit_id, row.head_name)
        for key, value in clean.items():
            setattr(row, key, value)
        uow.commit()
        household_id = row.id
    return get_household(workspace, household_id)


def delete_household(workspace: Workspace, household_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, Household, household_id, kind=_("Household"))
        catalog.refuse_history(uow.session, workspace, row.owner_unit_id, row.head_name)
        row.deleted = True
        for support in uow.session.scalars(select(HouseholdSupport).where(
                HouseholdSupport.household_id == household_id,
                HouseholdSupport.deleted.is_(False))):
            support.deleted = True
        uow.commit()


def add_support(workspace: Workspace, *, household_id: uuid.UUID, project_id: uuid.UUID,
                content: str, amount: int = 0, received_on: dt.date | None = None,
                note: str = "") -> tuple[SupportInfo, list[DuplicateSupport]]:
    """Record what a household received; returns the record and, if this makes the
    household supported twice for the same content, that duplicate (a warning, not a
    refusal: the commune may have a lawful reason, which it writes in the note)."""
    if content not in content_by_code():
        raise BadArgument(detail=_("Unknown support content “{content}”.").format(
            content=content))
    if amount < 0:
        raise BadArgument(detail=_("An amount cannot be negative."))
    field_rules.check("household_support", {"amount": amount, "note": normalize(note)})
    with UnitOfWork(workspace) as uow:
        household = get_or_refuse(uow.session, Household, household_id, kind=_("Household"))
        catalog.refuse_history(uow.session, workspace, household.owner_unit_id,
                               household.head_name)
        get_or_refuse(uow.session, Project, project_id, kind=_("Project"))
        row = HouseholdSupport(id=uuid.uuid4(), household_id=household_id,
                               project_id=project_id, content=content, amount=amount,
                               received_on=received_on, note=normalize(note))
        uow.session.add(row)
        uow.commit()
        support_id = row.id
    info = next(s for s in household_supports(workspace, household_id) if s.id == support_id)
    duplicates = [d for d in duplicate_supports(workspace)
                  if d.household_id == household_id and any(s.id == support_id
                                                            for s in d.supports)]
    return info, duplicates


def remove_support(workspace: Workspace, support_id: uuid.UUID) -> None:
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, HouseholdSupport, support_id, kind=_("Support"))
        household = uow.session.get(Household, row.household_id)
        catalog.refuse_history(uow.session, workspace, row.owner_unit_id,
                               household.head_name if household is not None else "")
        row.deleted = True
        uow.commit()


def village_choices(workspace: Workspace) -> list[tuple[uuid.UUID, str]]:
    with UnitOfWork.read(workspace) as session:
        return list(session.execute(select(Village.id, Village.name).where(
            Village.owner_unit_id == _unit(workspace), Village.deleted.is_(False))
            .order_by(Village.sort_order, Village.name)).all())


def counts(workspace: Workspace) -> dict[str, int]:
    """Households by status, for the overview and the page's header."""
    unit_id = _unit(workspace)
    with UnitOfWork.read(workspace) as session:
        live = and_(Household.owner_unit_id == unit_id, Household.deleted.is_(False))
        by_status = dict(session.execute(select(Household.poverty_status, func.count())
                                         .where(live).group_by(Household.poverty_status)).all())
        minority = session.execute(select(func.count()).where(
            live, Household.ethnic_minority.is_(True))).scalar()
        duplicated = len(_duplicated_ids(session, unit_id))
    return {"total": sum(by_status.values()), "minority": minority, "duplicated": duplicated,
            **{status: by_status.get(status, 0) for status in POVERTY_STATUSES}}


# ---------------------------------------------------------------------------- Excel


