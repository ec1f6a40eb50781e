"""Danh mục dự án đầu tư: funding by source, scores, priority rank, stalled projects, and the
what-if that moves unspent capital towards the best projects (the capital-adjustment
proposal, tờ trình đề xuất điều chỉnh kế hoạch vốn).

Scores follow ``resources/capital/scoring.json``: criteria marked ``auto`` are computed here
from the records (see :data:`AUTO_RULES`), the others are the points officers give
(``project_score`` records). The priority is the weighted mean of the three dimension scores
with the weights of this workspace (settings, changed on the portfolio screen); projects being
prepared or implemented are ranked, settled ones are listed without a rank.

The what-if (:func:`propose_adjustment`) works line by line, because capital cannot leave its
line (year, programme, kind, source): what a line has not allocated, and what it allocated to
stalled or low-ranked projects and has not disbursed, goes to the high-ranked projects of the
same programme that still need capital from that source (total investment by source minus
what they were allocated from it), best first. Projects with an open overlap flag receive
nothing until the overlap is reviewed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from ctmtqg_desktop.domain import capital as capital_rules_domain
from ctmtqg_desktop.domain import field_rules, scoring
from ctmtqg_desktop.domain.errors import BadArgument, RecordNotFound
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.domain.text import fold, normalize, search_terms
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import capital, catalog, settings
from ctmtqg_desktop.services.projects import _memo
from ctmtqg_desktop.services.projects import _overlaps as overlaps
from ctmtqg_desktop.services.projects._records import stage_label
from ctmtqg_desktop.store.models.capital import ProjectFunding, ProjectScore
from ctmtqg_desktop.store.models.catalog import CapitalSource, Program, ProjectKind
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

_WEIGHT_LABELS = {
    "feasibility": N_("Priority weight of feasibility"),
    "effectiveness": N_("Priority weight of effectiveness"),
    "disbursement": N_("Priority weight of the ability to disburse"),
}
WEIGHTS = {dim: settings.declare(f"portfolio_weight_{dim}", int,
                                 capital.scoring().default_weights[dim],
                                 _WEIGHT_LABELS[dim], minimum=0, maximum=100)
           for dim in scoring.DIMENSIONS}

ACTIVE_STAGES = ("preparation", "implementation", "acceptance")


def dimension_label(code: str) -> str:
    return next((d.name for d in capital.scoring().dimensions if d.code == code), code)


def get_weights(workspace: Workspace) -> dict[str, int]:
    return {dim: settings.get(workspace, spec) for dim, spec in WEIGHTS.items()}


def check_weights(weights: dict[str, int]) -> dict[str, int]:
    clean = {}
    for dim in scoring.DIMENSIONS:
        value = weights.get(dim, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise BadArgument(detail=_("Each weight is a whole number from 0 to 100."))
        clean[dim] = value
    if sum(clean.values()) == 0:
        raise BadArgument(detail=_("At least one weight must be above 0."))
    return clean


def set_weights(workspace: Workspace, weights: dict[str, int]) -> dict[str, int]:
    clean = check_weights(weights)
    for dim, value in clean.items():
        settings.set_value(workspace, WEIGHTS[dim], value)
    return clean


# ---------------------------------------------------------------------------- facts
@dataclass
class _Facts:
    project: Project
    village_name: str = ""
    disadvantaged: bool = False
    funding: dict[str, int] = field(default_factory=dict)
    allocated_by_source: dict[str, int] = field(default_factory=dict)
    allocated_total: int = 0
    disbursed_total: int = 0
    allocated_year: int = 0
    disbursed_year: int = 0
    first_allocation_year: dt.date | None = None
    last_payment: dt.date | None = None
    manual: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: a predecessor's project (history, read-only): the old unit, e.g. "Xã Đắk La"
    history_of: str = ""


@dataclass(frozen=True)
class CriterionResult:
    code: str
    dimension: str
    name: str
    max_points: int
    points: int
    auto: bool
    explanation: str
    note: str = ""
    help: str = ""


@dataclass(frozen=True)
class PortfolioRow:
    id: uuid.UUID
    name: str
    program_id: str
    program_label: str
    component_id: str | None
    kind: str
    kind_name: str
    village_id: uuid.UUID | None
    village_name: str
    stage: str
    stage_label: str
    physical_progress: int
    approval_number: str
    approval_date: dt.date | None
    start_date: dt.date | None
    end_date: dt.date | None
    beneficiary_households: int
    funding: dict
    #: allocated from lines of each source, all years
    allocated_by_source: dict
    total_investment: int
    allocated_total: int
    disbursed_total: int
    allocated_year: int
    disbursed_year: int
    on_track: float
    last_payment: dt.date | None
    scores: dict
    priority: float
    rank: int | None
    ranked_count: int
    stalled: bool
    stalled_reason: str
    overlaps_open: int
    criteria: tuple[CriterionResult, ...]
    #: a predecessor's project (history of a year before the merger, read-only): the old
    #: unit; its name carries the label "— Xã Đắk La (trước sắp xếp)" and it is not ranked
    history_of: str = ""

    @property
    def active(self) -> bool:
        return self.stage in ACTIVE_STAGES

    @property
    def rate_year(self) -> float | None:
        return self.disbursed_year / self.allocated_year if self.allocated_year else None

    @property
    def state(self) -> str:
        if self.stalled:
            return capital_rules_domain.LATE
        if self.overlaps_open or capital_rules_domain.pace_state(
                self.rate_year, self.on_track) != capital_rules_domain.NORMAL:
            return capital_rules_domain.DUE_SOON
        return capital_rules_domain.NORMAL


def history_of_year(session, unit_id: str, year: int) -> dict[str, str]:
    """The predecessors whose records belong to ``year``'s lists: for a year before the
    unit's merger (2021-2025 for a commune merged on 01/07/2025), the units it continues;
    none for a later year."""
    merged = catalog.merged_on(session, unit_id)
    if merged is None or year > merged.year:
        return {}
    return catalog.predecessor_titles(session, unit_id)


def _gather(workspace: Workspace, year: int) -> tuple[dict[uuid.UUID, _Facts], dict, dict]:
    unit_id = workspace.installation().unit_id
    with UnitOfWork.read(workspace) as session:
        villages = {v.id: v for v in session.scalars(select(Village))}
        programs = {p.id: p.abbreviation for p in session.scalars(select(Program))}
        kinds = {k.code: k.name for k in session.scalars(select(ProjectKind))}
        history = history_of_year(session, unit_id, year)
        facts: dict[uuid.UUID, _Facts] = {}
        for project in session.scalars(select(Project).where(
                Project.deleted.is_(False), Project.owner_unit_id.in_([unit_id, *history]))):
            village = villages.get(project.village_id)
            facts[project.id] = _Facts(project, village.name if village else "",
                                       bool(village and village.extremely_disadvantaged),
                                       history_of=history.get(project.owner_unit_id, ""))
            session.expunge(project)
        for row in session.scalars(select(ProjectFunding).where(
                ProjectFunding.deleted.is_(False),
                ProjectFunding.project_id.in_(list(facts)))):
            facts[row.project_id].funding[row.source] = \
                facts[row.project_id].funding.get(row.source, 0) + row.amount
        for row in session.scalars(select(ProjectScore).where(
                ProjectScore.deleted.is_(False), ProjectScore.project_id.in_(list(facts)))
                .order_by(ProjectScore.version)):
            facts[row.project_id].manual[row.criterion] = (row.points, row.note)
    for allocation in capital.allocations(workspace, history=bool(history)):
        item = facts.get(allocation.project_id)
        if item is None:
            continue
        item.allocated_total += allocation.amount
        item.disbursed_total += allocation.disbursed
        item.allocated_by_source[allocation.source] = \
            item.allocated_by_source.get(allocation.source, 0) + allocation.amount
        if allocation.year == year:
            item.allocated_year += allocation.amount
            item.disbursed_year += allocation.disbursed
            when = allocation.decision_date or dt.date(year, 1, 1)
            if item.first_allocation_year is None or when < item.first_allocation_year:
                item.first_allocation_year = when
        if allocation.last_payment and (item.last_payment is None
                                        or allocation.last_payment > item.last_payment):
            item.last_payment = allocation.last_payment
    return facts, programs, kinds


def _auto(criterion: scoring.Criterion, item: _Facts, *, on_track: float, today: dt.date,
          year: int) -> tuple[int, str]:
    """Points and a sentence for a criterion computed from the records."""
    p = item.project
    top = criterion.points
    target = capital.scoring().targets.get(criterion.code)

    def share(ratio: float) -> int:
        return int(round(top * max(0.0, min(1.0, ratio))))

    if criterion.auto == "approved":
        if p.approval_number:
            return top, _("Approved by decision {number} of {date}.").format(
                number=p.approval_number, date=format_date(p.approval_date))
        return 0, _("No approval decision recorded.")
    if criterion.auto == "funding_secured":
        total = sum(item.funding.values())
        if not total:
            return 0, _("The total investment by source has not been entered.")
        return share(item.allocated_total / total), _(
            "{allocated} of {total} đồng allocated ({rate}).").format(
            allocated=format_number(item.allocated_total), total=format_number(total),
            rate=format_percent(item.allocated_total / total))
    if criterion.auto == "beneficiaries":
        goal = target or 1
        return share(p.beneficiary_households / goal), _(
            "{count} beneficiary households (full points from {target}).").format(
            count=format_number(p.beneficiary_households), target=format_number(goal))
    if criterion.auto == "disadvantaged_village":
        if item.disadvantaged:
            return top, _("{village} is an extremely disadvantaged village.").format(
                village=item.village_name)
        return 0, _("Not in an extremely disadvantaged village.")
    if criterion.auto == "on_track":
        if not item.allocated_year:
            return 0, _("No capital allocated for {year}.").format(year=str(year))
        rate = item.disbursed_year / item.allocated_year
        ratio = 1.0 if on_track <= 0 else rate / on_track
        return share(ratio), _("{rate} of the {year} capital disbursed; on-track line "
                               "{track}.").format(rate=format_percent(rate), year=str(year),
                                                  track=format_percent(on_track))
    if criterion.auto == "progress_ahead":
        if not item.allocated_total:
            return 0, _("No capital allocated yet.")
        rate = item.disbursed_total / item.allocated_total
        progress = p.physical_progress / 100
        ratio = 1.0 if progress >= rate else (progress / rate if rate else 1.0)
        return share(ratio), _("Physical progress {progress}, disbursed {rate} of the "
                               "capital allocated.").format(
            progress=format_percent(progress, decimals=0), rate=format_percent(rate))
    if criterion.auto == "recent_payment":
        days = target or 60
        if item.last_payment and (today - item.last_payment).days <= days:
            return top, _("Last disbursement on {date}.").format(
                date=format_date(item.last_payment))
        if item.last_payment:
            return 0, _("Last disbursement on {date}, more than {days} days ago.").format(
                date=format_date(item.last_payment), days=format_number(days))
        return 0, _("No disbursement yet.")
    return 0, ""


def _stalled(item: _Facts, *, today: dt.date, stalled_days: int) -> tuple[bool, str]:
    """Chậm giải ngân: capital of the year undisbursed and no payment for ``stalled_days``."""
    p = item.project
    if p.stage not in ACTIVE_STAGES or item.allocated_year <= item.disbursed_year:
        return False, ""
    since = item.first_allocation_year
    if since is None or (today - since).days <= stalled_days:
        return False, ""
    if item.last_payment is None:
        return True, _("Capital allocated on {date}, nothing disbursed in {days} days.").format(
            date=format_date(since), days=format_number((today - since).days))
    if (today - item.last_payment).days > stalled_days:
        return True, _("No disbursement since {date} ({days} days).").format(
            date=format_date(item.last_payment),
            days=format_number((today - item.last_payment).days))
    return False, ""


def portfolio_and_flags(workspace: Workspace, *, year: int | None = None,
                        weights: dict[str, int] | None = None
                        ) -> tuple[list[PortfolioRow], list[overlaps.OverlapFlag]]:
    """The projects page's list: :func:`portfolio` and the overlaps it counts
    (:func:`overlaps.detect`), kept while nothing is written to the workspace and the year,
    weights and working date are the same (:mod:`._memo`; each visit of the page asked
    again: issue 17). New lists of the same (frozen) rows and flags each time."""
    today = workspace.today()
    year = year or today.year
    weights = check_weights(weights) if weights is not None else get_weights(workspace)
    flags = overlaps.detect(workspace)
    key = (getattr(workspace.installation(), "unit_id", None), year,
           tuple(sorted(weights.items())), today)
    rows = _memo.remembered("projects.portfolio", workspace, key, lambda: tuple(
        portfolio(workspace, year=year, weights=weights, flags=flags)))
    return list(rows), flags


def portfolio(workspace: Workspace, *, year: int | None = None,
              weights: dict[str, int] | None = None,
              flags: list[overlaps.OverlapFlag] | None = None) -> list[PortfolioRow]:
    """Every project of the unit with its figures and scores, ranked (best first), settled
    projects last without a rank. ``flags``: the overlaps :func:`overlaps.detect` found, when
    the caller has them already (detected here otherwise)."""
    today = workspace.today()
    year = year or today.year
    weights = check_weights(weights) if weights is not None else get_weights(workspace)
    on_track = capital_rules_domain.year_elapsed_share(year, today)
    config = capital.capital_settings(workspace)
    facts, programs, kinds = _gather(workspace, year)
    open_flags = overlaps.open_counts(overlaps.detect(workspace) if flags is None else flags)
    definition = capital.scoring()
    partial = []
    for pid, item in facts.items():
        results = []
        for dimension in definition.dimensions:
            for criterion in dimension.criteria:
                if criterion.auto:
                    points, text = _auto(criterion, item, on_track=on_track, today=today,
                                         year=year)
                    results.append(CriterionResult(criterion.code, dimension.code,
                                                   criterion.name, criterion.points, points,
                                                   True, text, "", criterion.help))
                else:
                    points, note = item.manual.get(criterion.code, (0, ""))
                    points = max(0, min(criterion.points, points))
                    results.append(CriterionResult(criterion.code, dimension.code,
                                                   criterion.name, criterion.points, points,
                                                   False, "", note, criterion.help))
        scores = {d.code: scoring.dimension_score(
            {r.code: r.points for r in results if r.dimension == d.code}, d.criteria)
            for d in definition.dimensions}
        stalled, why = _stalled(item, today=today, stalled_days=config.stalled_days) \
            if not item.history_of else (False, "")  # history: not today's warning
        partial.append((pid, item, tuple(results), scores,
                        scoring.priority(scores, weights), stalled, why))
    active = {pid: value for pid, item, _r, _s, value, _st, _w in partial
              if item.project.stage in ACTIVE_STAGES and not item.history_of}
    names = {pid: fold(item.project.name) for pid, item, *_rest in partial}
    ranks = dict(scoring.rank(active, names))
    rows = []
    for pid, item, results, scores, value, stalled, why in partial:
        p = item.project
        rows.append(PortfolioRow(
            pid, catalog.history_label(p.name, item.history_of) if item.history_of else p.name,
            p.program_id, programs.get(p.program_id, p.program_id),
            p.component_id, p.kind, kinds.get(p.kind, p.kind), p.village_id,
            item.village_name, p.stage, stage_label(p.stage), p.physical_progress,
            p.approval_number, p.approval_date, p.start_date, p.end_date,
            p.beneficiary_households, dict(item.funding), dict(item.allocated_by_source),
            sum(item.funding.values()),
            item.allocated_total, item.disbursed_total, item.allocated_year,
            item.disbursed_year, on_track, item.last_payment, scores, value, ranks.get(pid),
            len(active), stalled, why, open_flags.get(pid, 0), results, item.history_of))
    return sorted(rows, key=lambda r: (r.rank is None, r.rank or 0, fold(r.name)))


def filter_rows(rows: list[PortfolioRow], *, text: str = "", program_id: str | None = None,
                stage: str | None = None, kind: str | None = None,
                village_id: uuid.UUID | None = None, only_warnings: bool = False
                ) -> list[PortfolioRow]:
    """The portfolio filters (search ignores diacritics)."""
    terms = search_terms(text)
    result = []
    for row in rows:
        haystack = fold(f"{row.name} {row.village_name} {row.program_label} {row.kind_name}")
        if terms and not all(t in haystack for t in terms):
            continue
        if program_id and row.program_id != program_id:
            continue
        if stage and row.stage != stage:
            continue
        if kind and row.kind != kind:
            continue
        if village_id and row.village_id != village_id:
            continue
        if only_warnings and row.state == capital_rules_domain.NORMAL:
            continue
        result.append(row)
    return result


def get_row(workspace: Workspace, project_id: uuid.UUID, *, year: int | None = None,
            weights: dict[str, int] | None = None) -> PortfolioRow:
    for row in portfolio(workspace, year=year, weights=weights):
        if row.id == project_id:
            return row
    raise RecordNotFound(kind=_("Project"), ident=str(project_id))


# ---------------------------------------------------------------------------- writes
def _own_project(session, workspace: Workspace, project_id: uuid.UUID) -> Project:
    found = session.get(Project, project_id)
    if found is not None:  # a predecessor's project is history: said so, not "not found"
        catalog.refuse_history(session, workspace, found.owner_unit_id, found.name)
    info = workspace.installation()
    assert info is not None  # an initialised workspace
    project = get_or_refuse(session, Project, project_id, kind=_("Project"), owner=info.unit_id)
    return project


def set_score(workspace: Workspace, project_id: uuid.UUID, criterion: str, points: int,
              note: str = "") -> None:
    """An officer's points on a criterion that is not computed from the records."""
    set_scores(workspace, project_id, {criterion: (points, note)})


def set_scores(workspace: Workspace, project_id: uuid.UUID,
               scores: dict[str, tuple[int, str]]) -> None:
    """Several criteria of one project scored at once (one unit of work: all or none)."""
    definition = capital.scoring()
    for criterion, (points, _note) in scores.items():
        found = definition.criterion(criterion)
        if found is None:
            raise BadArgument(detail=_("Unknown scoring criterion “{code}”.").format(
                code=criterion))
        if found.auto:
            raise BadArgument(detail=_("“{name}” is computed from the records and cannot be "
                                       "scored by hand.").format(name=found.name))
        if isinstance(points, bool) or not isinstance(points, int) or \
                not 0 <= points <= found.points:
            raise BadArgument(detail=_("“{name}” takes 0 to {top} points.").format(
                name=found.name, top=found.points))
    with UnitOfWork(workspace) as uow:
        session = uow.session
        _own_project(session, workspace, project_id)
        existing = {row.criterion: row for row in session.scalars(select(ProjectScore).where(
            ProjectScore.project_id == project_id, ProjectScore.deleted.is_(False)))}
        for criterion, (points, note) in scores.items():
            row = existing.get(criterion)
            if row is None:
                row = ProjectScore(project_id=project_id, criterion=criterion)
                session.add(row)
            if row.points != points or row.note != normalize(note):
                row.points = points
                row.note = normalize(note)
        uow.commit()


def set_funding(workspace: Workspace, project_id: uuid.UUID, amounts: dict[str, int]) -> None:
    """Tổng mức đầu tư theo nguồn: replace the project's planned amounts by source."""
    with UnitOfWork(workspace) as uow:
        session = uow.session
        _own_project(session, workspace, project_id)
        known = {s.code for s in session.scalars(select(CapitalSource))}
        for source, amount in amounts.items():
            if source not in known:
                raise BadArgument(detail=_("Unknown capital source “{source}”.").format(
                    source=source))
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise BadArgument(detail=_("An amount cannot be negative."))
            field_rules.check("project_funding", {"amount": amount})
        existing = {row.source: row for row in session.scalars(select(ProjectFunding).where(
            ProjectFunding.project_id == project_id, ProjectFunding.deleted.is_(False)))}
        for source, row in existing.items():
            if not amounts.get(source):
                row.deleted = True
        for source, amount in amounts.items():
            if not amount:
                continue
            row = existing.get(source)
            if row is None:
                session.add(ProjectFunding(project_id=project_id, source=source,
                                           amount=amount))
            elif row.amount != amount:
                row.amount = amount
        uow.commit()


