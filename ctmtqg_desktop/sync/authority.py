"""Who may send what: the ownership rules of synced records between units.

Architecture principle "every record has an owner": only the installations of a record's
owner unit write it. Between two units that exchange packages:

* from a **child** unit, a package may carry records owned by that child or by any unit
  below it (a district relays its communes' records up to the province, with their
  origin);
* from the **parent** unit, a package may carry the parent's records addressed to this
  unit (``audience_unit_id`` = this unit, or ``*`` for every child), records of this
  very unit written by its other installations (relayed down by the parent), and records
  an ancestor of the parent addressed to every unit below it (``*``: a province's
  counterpart-ratio rules, relayed by the district).

Nothing else is accepted: a commune cannot write the district's records or a neighbour's.
The hierarchy is the catalog's (``admin_unit.parent_id``), so it follows the unit
reorganisations that catalog updates bring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ctmtqg_desktop.store.base import EVERY_CHILD

CHILD = "child"
PARENT = "parent"


@dataclass
class UnitTree:
    """``unit → parent unit`` from the catalog, with a cache of subtree answers.

    ``continued_from``: ``new unit → old units`` (the catalog's successions), so that a
    unit that continues an older one (a province merged into another, Nghị quyết
    202/2025/QH15) still receives the late history of the older one's children."""

    parent_of: dict[str, str | None]
    _below: dict[tuple[str, str], bool] = field(default_factory=dict)
    continued_from: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def parent(self, unit: str) -> str | None:
        return self.parent_of.get(unit)

    def is_within(self, unit: str, ancestor: str) -> bool:
        """True when ``unit`` is ``ancestor`` or lies below it."""
        key = (unit, ancestor)
        if key not in self._below:
            current: str | None = unit
            steps, found = 0, False
            while current is not None and steps < 32:
                if current == ancestor:
                    found = True
                    break
                current, steps = self.parent_of.get(current), steps + 1
            self._below[key] = found
        return self._below[key]

    def ancestors(self, unit: str) -> list[str]:
        found: list[str] = []
        current = self.parent_of.get(unit)
        while current is not None and current not in found and len(found) < 32:
            found.append(current)
            current = self.parent_of.get(current)
        return found

    def relation(self, local_unit: str, other_unit: str) -> str | None:
        """``child`` if ``other_unit`` is a child of ours (or of a unit we continue: its
        late history still comes to us), ``parent`` if it is our parent."""
        parent = self.parent_of.get(other_unit)
        if parent == local_unit:
            return CHILD
        if self.parent_of.get(local_unit) == other_unit:
            return PARENT
        continued = self.continued_from.get(local_unit, ())
        if parent is not None and parent in continued:
            return CHILD
        # deeper: a unit below one we continue (a commune of a district abolished on
        # 01/07/2025, Luật 72/2025/QH15, below the province we continue) sends its late
        # history to us directly, as its district's is accepted: applied with the
        # ended-sender notice
        if continued and any(a in continued for a in self.ancestors(other_unit)):
            return CHILD
        # and, seen from that old unit, the unit continuing one of its ancestors is where
        # its late history goes up
        if any(old in self.ancestors(local_unit)
               for old in self.continued_from.get(other_unit, ())):
            return PARENT
        return None


def may_write(tree: UnitTree, *, relation: str, local_unit: str, sender_unit: str,
              owner: str, audience: str | None) -> bool:
    """May a package from ``sender_unit`` (our ``relation``) carry this record?"""
    if relation == CHILD:
        return tree.is_within(owner, sender_unit)
    if relation == PARENT:
        if owner == local_unit:
            return True
        if owner == sender_unit:
            return audience in (local_unit, EVERY_CHILD)
        return audience == EVERY_CHILD and owner != sender_unit and \
            tree.is_within(sender_unit, owner)
    return False


def may_declare(tree: UnitTree, *, relation: str, local_unit: str, sender_unit: str,
                unit: str) -> bool:
    """May a package from ``sender_unit`` declare an installation of ``unit``?

    Only the installations whose records it may carry (issue 12): a child declares its own
    and those of the units below it (a district relays its communes' authors up); the
    parent declares its own, ours (its copy of our other installations) and those of its
    ancestors (whose rules for every unit it relays). A commune never declares an
    installation "of the province": a manifest that tries is refused whole."""
    if relation == CHILD:
        return tree.is_within(unit, sender_unit)
    if relation == PARENT:
        return unit in (local_unit, sender_unit) or tree.is_within(sender_unit, unit)
    return False


def catalog_keeps_place(tree: UnitTree, new_parent_of: dict[str, str | None],
                        local_unit: str) -> bool:
    """Does a catalog update leave this unit where it is (same parent, same ancestors)?

    A catalog update travels down from the parent; moving the receiver itself (or one of
    its ancestors) under another unit would send its next upward package, with every
    household's ID number, to someone else. That takes an explicit step, never a
    package."""
    chain = [local_unit, *tree.ancestors(local_unit)]
    return all(unit in new_parent_of and new_parent_of[unit] == tree.parent(unit)
               for unit in chain)

