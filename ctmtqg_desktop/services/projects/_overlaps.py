"""Rà soát chồng chéo, trùng lặp giữa các chương trình: flag projects of different programmes
that may be the same work, with the reason; keep an officer's written "not an overlap".

Rules are registered functions (:func:`overlap_rule`), each looking at the unit's live
projects and yielding pairs with a sentence saying why. Three rules ship here:

* ``same_village_kind``: the same village and the same kind of work;
* ``similar_names``: names alike once diacritics, case and filler words are ignored
  (:func:`domain.overlap.name_similarity`, threshold in ``resources/capital/rules.json``);
* ``shared_beneficiaries``: the same household supported for the same content by both
  projects (the households area's :func:`households.duplicate_supports`).

Flags are computed when asked and kept until the next write to the workspace (they follow
every edit: :mod:`._memo`); only the officers' decisions are stored (``overlap_decision``
records, synced).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ctmtqg_desktop.domain.errors import BadArgument
from ctmtqg_desktop.domain.formats import format_percent
from ctmtqg_desktop.domain.overlap import significant_words, words_similarity
from ctmtqg_desktop.domain.text import fold, normalize
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import capital, households
from ctmtqg_desktop.services.projects import _memo
from ctmtqg_desktop.store.models.capital import OverlapDecision
from ctmtqg_desktop.store.models.catalog import Program, ProjectKind
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport
from ctmtqg_desktop.store.models.projects import Project
from ctmtqg_desktop.store.models.villages import Village
from ctmtqg_desktop.store.uow import UnitOfWork, get_or_refuse
from ctmtqg_desktop.store.workspace import Workspace

MIN_REASON_LENGTH = 10


@dataclass(frozen=True)
class ProjectFacts:
    id: uuid.UUID
    name: str
    program_id: str
    program_label: str
    kind: str
    kind_name: str
    village_id: uuid.UUID | None
    village_name: str


@dataclass
class OverlapContext:
    workspace: Workspace
    session: Session
    projects: list[ProjectFacts]
    rules: capital.CapitalRules


@dataclass(frozen=True)
class OverlapRule:
    code: str
    label: str  # msgid
    find: Callable[[OverlapContext], Iterable[tuple[uuid.UUID, uuid.UUID, str]]]


_RULES: dict[str, OverlapRule] = {}

def overlap_rule(code: str, label: str) -> Callable:
    """Register ``fn(context) -> [(project id, project id, reason)]`` as an overlap rule."""

    def register(fn):
        _RULES[code] = OverlapRule(code, label, fn)
        return fn

    return register


def registered_rules() -> list[OverlapRule]:
    return list(_RULES.values())


def _cross_programme(a: ProjectFacts, b: ProjectFacts) -> bool:
    return a.program_id != b.program_id


@overlap_rule("same_village_kind", N_("Same village and same kind of work"))
def _same_village_and_kind(context: OverlapContext):
    groups: dict[tuple[uuid.UUID, str], list[ProjectFacts]] = {}
    for project in context.projects:
        if project.village_id is not None:
            groups.setdefault((project.village_id, project.kind), []).append(project)
    # translated once, not for each pair (a gettext look-up walks every area's catalog)
    sentence = _("Same village “{village}” and same kind of work “{kind}”.")
    for members in groups.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if _cross_programme(a, b):
                    yield a.id, b.id, sentence.format(village=a.village_name,
                                                      kind=a.kind_name)


#: the last comparison of names: (its inputs, the pairs found); see :func:`_similar_names`
_LAST_NAMES: list[tuple[tuple[object, ...], tuple[tuple[uuid.UUID, uuid.UUID, str], ...]]] = []


@overlap_rule("similar_names", N_("Similar names"))
def _similar_names(context: OverlapContext) -> Iterator[tuple[uuid.UUID, uuid.UUID, str]]:
    """Pairs of projects of different programmes with names alike. A pure function of the
    projects' ids, names and programmes and of the rules: the last answer is kept and given
    again while they are the same (every visit of the projects page, its review tab, the
    portfolio report and the overview compare the same 203 names: issue 17)."""
    sentence = _("Similar names ({score} alike, ignoring diacritics).")
    key = (tuple((p.id, p.name, p.program_id) for p in context.projects),
           context.rules.stop_phrases, context.rules.similarity_threshold, sentence)
    if _LAST_NAMES and _LAST_NAMES[0][0] == key:
        return iter(_LAST_NAMES[0][1])
    found = tuple(_compare_names(context.projects, context.rules.stop_phrases,
                                 context.rules.similarity_threshold, sentence))
    _LAST_NAMES[:] = [(key, found)]
    return iter(found)


def _compare_names(projects: list[ProjectFacts], stops: tuple[str, ...], threshold: float,
                   sentence: str) -> Iterator[tuple[uuid.UUID, uuid.UUID, str]]:
    words = {p.id: significant_words(p.name, stops) for p in projects}
    # Prefix filtering (Chaudhuri et al., 2006): a score of at least t needs a Jaccard
    # overlap of at least 2t − 1, so two similar names share one of the rarest
    # m − ⌈(2t − 1)·m⌉ + 1 words of each; only such pairs are compared. A pair whose shared
    # rare words all differ by a typo can be missed; the common words (thôn, đường) no longer
    # make every pair a candidate (see benchmarks/capital.py).
    frequency = Counter(w for found in words.values() for w in set(found))
    least = max(0.0, 2 * threshold - 1)

    def prefix(found: list[str]) -> list[str]:
        unique = sorted(set(found), key=lambda w: (frequency[w], w))
        keep = len(unique) - math.ceil(least * len(unique)) + 1
        return unique[:max(1, min(len(unique), keep))]

    index: dict[str, list[uuid.UUID]] = {}
    prefixes = {pid: prefix(found) for pid, found in words.items()}
    for pid, found in prefixes.items():
        for word in found:
            index.setdefault(word, []).append(pid)
    by_id = {p.id: p for p in projects}
    seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
    for pid, found in prefixes.items():
        project = by_id[pid]
        for other_id in {o for word in found for o in index[word]}:
            key = pair_key(pid, other_id)
            if other_id == pid or key in seen or not _cross_programme(project,
                                                                        by_id[other_id]):
                continue
            seen.add(key)
            score = words_similarity(words[pid], words[other_id])
            if score >= threshold:
                yield pid, other_id, sentence.format(score=format_percent(score, decimals=0))


# ---------------------------------------------------------------------------- detection
@dataclass(frozen=True)
class OverlapReason:
    rule: str
    text: str


@dataclass(frozen=True)
class DecisionInfo:
    id: uuid.UUID
    reason: str
    decided_by: str
    decided_on: dt.date


@dataclass(frozen=True)
class OverlapFlag:
    first: ProjectFacts
    second: ProjectFacts
    reasons: tuple[OverlapReason, ...]
    decision: DecisionInfo | None

    @property
    def is_open(self) -> bool:
        return self.decision is None

    def other(self, project_id: uuid.UUID) -> ProjectFacts:
        return self.second if self.first.id == project_id else self.first

    @property
    def reason_text(self) -> str:
        return " ".join(r.text for r in self.reasons)


def pair_key(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    """The pair in the order of the ids' text (a UUID's text is its number in fixed-width
    hexadecimal, so the numbers compare the same and cost no formatting: asked for every
    candidate pair of an overlap review, issue 17)."""
    if type(a) is uuid.UUID and type(b) is uuid.UUID:
        return (a, b) if a.int <= b.int else (b, a)
    first, second = sorted((a, b), key=str)
    return first, second


def project_facts(session: Session, unit_id: str) -> list[ProjectFacts]:
    villages = {v.id: v.name for v in session.scalars(select(Village))}
    kinds = {k.code: k.name for k in session.scalars(select(ProjectKind))}
    programs = {p.id: p.abbreviation for p in session.scalars(select(Program))}
    return [ProjectFacts(p.id, p.name, p.program_id, programs.get(p.program_id, p.program_id),
                         p.kind, kinds.get(p.kind, p.kind), p.village_id,
                         villages.get(p.village_id, ""))
            for p in session.scalars(select(Project).where(
                Project.deleted.is_(False), Project.owner_unit_id == unit_id)
                .order_by(Project.name))]


def detect(workspace: Workspace) -> list[OverlapFlag]:
    """Every flagged pair of the unit's projects, open ones first, with all their reasons.

    Kept while nothing is written to the workspace (:mod:`._memo`): the projects page, its
    portfolio and overlap review tabs and the capital page ask at each visit, and five
    years of a commune's supports take some 0.07-0.4 s to read (issue 17). A new list of
    the same (frozen) flags each time."""
    unit_id = workspace.installation().unit_id
    rules = tuple(registered_rules())
    return list(_memo.remembered("projects.detect", workspace, (unit_id, rules),
                                 lambda: tuple(_detect(workspace, unit_id))))


def _detect(workspace: Workspace, unit_id: str) -> list[OverlapFlag]:
    with UnitOfWork.read(workspace) as session:
        facts = project_facts(session, unit_id)
        context = OverlapContext(workspace, session, facts, capital.rules())
        reasons: dict[tuple[uuid.UUID, uuid.UUID], list[OverlapReason]] = {}
        for rule in registered_rules():
            for a, b, text in rule.find(context):
                reasons.setdefault(pair_key(a, b), []).append(OverlapReason(rule.code, text))
        decisions = {
            pair_key(d.first_project_id, d.second_project_id):
                DecisionInfo(d.id, d.reason, d.decided_by, d.decided_on)
            for d in session.scalars(select(OverlapDecision).where(
                OverlapDecision.deleted.is_(False), OverlapDecision.owner_unit_id == unit_id)
                .order_by(OverlapDecision.version))}
    by_id = {p.id: p for p in facts}
    flags = [OverlapFlag(by_id[a], by_id[b], tuple(found), decisions.get((a, b)))
             for (a, b), found in reasons.items() if a in by_id and b in by_id]
    return sorted(flags, key=lambda f: (not f.is_open, f.first.name, f.second.name))


def flags_for(workspace: Workspace, project_id: uuid.UUID) -> list[OverlapFlag]:
    return [f for f in detect(workspace) if project_id in (f.first.id, f.second.id)]


def open_counts(flags: list[OverlapFlag]) -> dict[uuid.UUID, int]:
    counts: dict[uuid.UUID, int] = {}
    for flag in flags:
        if flag.is_open:
            for project in (flag.first, flag.second):
                counts[project.id] = counts.get(project.id, 0) + 1
    return counts


def mark_not_overlap(workspace: Workspace, first_id: uuid.UUID, second_id: uuid.UUID,
                     reason: str) -> DecisionInfo:
    """Keep an officer's finding that two projects are distinct works, with the reason."""
    reason = normalize(reason)
    if len(reason) < MIN_REASON_LENGTH:
        raise BadArgument(detail=_("Write why these projects do not overlap (at least {count} "
                                   "characters): the reason is kept with the decision.")
                          .format(count=MIN_REASON_LENGTH))
    if first_id == second_id:
        raise BadArgument(detail=_("Choose two different projects."))
    first_id, second_id = pair_key(first_id, second_id)
    info = workspace.installation()
    with UnitOfWork(workspace) as uow:
        session = uow.session
        for project_id in (first_id, second_id):
            get_or_refuse(session, Project, project_id, kind=_("Project"),
                                    owner=info.unit_id)
        row = session.scalars(select(OverlapDecision).where(
            OverlapDecision.deleted.is_(False), OverlapDecision.first_project_id == first_id,
            OverlapDecision.second_project_id == second_id,
            OverlapDecision.owner_unit_id == info.unit_id)).first()
        if row is None:
            row = OverlapDecision(first_project_id=first_id, second_project_id=second_id)
            session.add(row)
        row.reason = reason
        row.decided_by = info.officer_name
        row.decided_on = workspace.today()
        uow.commit()
        return DecisionInfo(row.id, row.reason, row.decided_by, row.decided_on)


def reopen(workspace: Workspace, decision_id: uuid.UUID) -> None:
    """Withdraw a "not an overlap" decision: the pair is flagged again."""
    with UnitOfWork(workspace) as uow:
        row = get_or_refuse(uow.session, OverlapDecision, decision_id, kind=_("Overlap review"),
                            owner=uow.context.unit_id)
        row.deleted = True
        uow.commit()


@dataclass(frozen=True)
class _SharedSupport:
    """What :func:`shared_beneficiaries` reads of one :class:`households.DuplicateSupport`."""

    head_name: str
    village_name: str
    content_names: tuple[str, ...]
    project_ids: tuple[uuid.UUID, ...]


def _shared_supports(context: OverlapContext) -> list[_SharedSupport]:
    """:func:`households.duplicate_supports` of the unit (every household supported twice for
    the same group of content), reduced to the columns the rule reads: the supports' content
    and project, the household's head and village, in the same order. Five years of a
    commune's supports are read at every overlap review (issue 17): three plain columns of
    the households supported more than once instead of every column of each support, and the
    heads of those households only. ``tests/services/test_overlaps_shared.py`` holds it equal
    to the households area's list."""
    unit_id = context.workspace.installation().unit_id
    contents = households.support_contents()
    groups = {c.code: c.group for c in contents}
    names = {c.code: c.name for c in contents}
    session = context.session
    # the households with a group of content supported by two projects or more (only those
    # make a pair of projects; the others' duplicates are the households area's)
    group = case(groups, value=HouseholdSupport.content, else_=HouseholdSupport.content)
    supported_twice = (select(HouseholdSupport.household_id)
                       .join(Project, Project.id == HouseholdSupport.project_id)
                       .where(HouseholdSupport.owner_unit_id == unit_id,
                              HouseholdSupport.deleted.is_(False))
                       .group_by(HouseholdSupport.household_id, group)
                       .having(func.count(HouseholdSupport.project_id.distinct()) > 1))
    by_key: dict[tuple[uuid.UUID, str], list[tuple[str, uuid.UUID]]] = {}
    heads: dict[uuid.UUID, tuple[str, str]] = {}
    for household, content, project, head, village in session.execute(
            select(HouseholdSupport.household_id, HouseholdSupport.content,
                   HouseholdSupport.project_id, Household.head_name, Village.name)
            .join(Project, Project.id == HouseholdSupport.project_id)
            .outerjoin(Household, and_(Household.id == HouseholdSupport.household_id,
                                       Household.owner_unit_id == unit_id))
            .outerjoin(Village, Village.id == Household.village_id)
            .where(HouseholdSupport.owner_unit_id == unit_id,
                   HouseholdSupport.deleted.is_(False),
                   HouseholdSupport.household_id.in_(supported_twice))
            .order_by(HouseholdSupport.received_on, HouseholdSupport.id)):
        by_key.setdefault((household, groups.get(content, content)), []).append(
            (content, project))
        if head is not None:
            heads[household] = (head, village or "")
    result = []
    for (household_id, _group), items in by_key.items():
        if len(items) < 2:
            continue
        head, village = heads.get(household_id, ("", ""))
        result.append(_SharedSupport(
            head, village, tuple(dict.fromkeys(names.get(c, c) for c, _p in items)),
            tuple(p for _c, p in items)))
    return sorted(result, key=lambda d: (fold(d.village_name), fold(d.head_name)))


@overlap_rule("shared_beneficiaries", N_("Beneficiaries counted twice"))
def shared_beneficiaries(context: OverlapContext
                         ) -> Iterator[tuple[uuid.UUID, uuid.UUID, str]]:
    known = {p.id for p in context.projects}
    pairs: dict[tuple[uuid.UUID, uuid.UUID], list[_SharedSupport]] = {}
    for duplicate in _shared_supports(context):
        projects = sorted({p for p in duplicate.project_ids if p in known}, key=str)
        for i, first in enumerate(projects):
            for second in projects[i + 1:]:
                pairs.setdefault((first, second), []).append(duplicate)
    sentence = _("Households that received the same support ({content}) from both projects: "
                 "{count}, for example {head} ({village}).")
    for (first, second), found in pairs.items():
        example = found[0]
        yield first, second, sentence.format(
            count=len(found), content=", ".join(example.content_names), head=example.head_name,
            village=example.village_name)
