"""``ctmtqg enroll`` and ``ctmtqg sync export|import|status|nodes|accept|revoke|history|
conflicts``: packages to and from the parent unit and the child units.

``sync import`` exits 0 when every file was applied or had already been applied, 1
otherwise; each file's outcome is printed and kept in the history.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ctmtqg_desktop.cli.common import print_table, progress_printer, workspace_from
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.domain.formats import format_datetime, format_number
from ctmtqg_desktop.i18n import N_, _
from ctmtqg_desktop.services import sync
from ctmtqg_desktop.store.workspace import Workspace


def register(subparsers, common) -> None:
    enroll = subparsers.add_parser("enroll", parents=[common],
                                   help=_("issue an enrollment file for a child unit"))
    enroll.add_argument("child", metavar=_("CHILD_CODE"),
                        help=_("the child unit's code (with a date where the code was re-used)"))
    enroll.add_argument("--out", required=True, type=Path, metavar=_("FILE"))
    enroll.set_defaults(handler=_enroll)

    parser = subparsers.add_parser("sync", parents=[common],
                                   help=_("packages to and from the parent and child units"))
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True
    export = actions.add_parser("export", parents=[common],
                                help=_("write a package of everything not yet acknowledged"))
    export.add_argument("--out", required=True, type=Path, metavar=_("FOLDER"))
    whom = export.add_mutually_exclusive_group()
    whom.add_argument("--to", metavar=_("CODE"),
                      help=_("the recipient unit (default: the parent unit)"))
    whom.add_argument("--all-children", action="store_true",
                      help=_("one package for each enrolled child unit, in one step"))
    export.add_argument("--no-encryption", action="store_true",
                        help=_("do not encrypt, even when the recipient's key is known"))
    export.set_defaults(handler=_export)
    load = actions.add_parser("import", parents=[common],
                              help=_("check and apply one or more packages"))
    load.add_argument("files", nargs="+", type=Path, metavar=_("FILE"))
    load.set_defaults(handler=_import)
    show = actions.add_parser("status", parents=[common],
                              help=_("what each peer has acknowledged, what waits"))
    show.set_defaults(handler=_status)
    nodes = actions.add_parser("nodes", parents=[common],
                               help=_("the installations this workspace knows"))
    nodes.set_defaults(handler=_nodes)
    accept = actions.add_parser("accept", parents=[common],
                                help=_("trust an installation after comparing its "
                                       "fingerprint by phone"))
    accept.add_argument("node", metavar=_("INSTALLATION"),
                        help=_("the start of its id or its fingerprint"))
    accept.set_defaults(handler=_accept)
    history_reset = actions.add_parser(
        "accept-history", parents=[common],
        help=_("after a warning about two packages with the same number: take the sender's "
               "new history (its computer was restored from an old copy)"))
    history_reset.add_argument("node", metavar=_("INSTALLATION"))
    history_reset.set_defaults(handler=_accept_history)
    revoke = actions.add_parser("revoke", parents=[common],
                                help=_("stop trusting an installation"))
    revoke.add_argument("node", metavar=_("INSTALLATION"))
    revoke.add_argument("--keep-enrollment", action="store_true",
                        help=_("keep trusting new installations set up from the enrollment "
                               "file this one was set up from (by default it is revoked too)"))
    revoke.set_defaults(handler=_revoke)
    history = actions.add_parser("history", parents=[common],
                                 help=_("packages sent and received, with their outcome"))
    history.add_argument("--limit", type=int, default=50)
    history.set_defaults(handler=_history)
    conflicts = actions.add_parser("conflicts", parents=[common],
                                   help=_("values overridden by a newer edit"))
    conflicts.set_defaults(handler=_conflicts)


def _enroll(args: argparse.Namespace) -> int:
    issued = sync.issue_enrollment(workspace_from(args), args.child, args.out)
    print(_("Enrollment file for {unit}: {path}").format(unit=issued.child_unit_name,
                                                          path=issued.path))
    print(_("Read this fingerprint to the commune by phone: {fingerprint}").format(
        fingerprint=issued.parent_fingerprint))
    return 0


def _export(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    if args.all_children:
        return _export_to_children(workspace, args)
    show = progress_printer(_("Writing the package"))
    result = sync.export_package(workspace, args.out, to=args.to,
                                        encrypt=not args.no_encryption,
                                        progress=lambda done, total, _text: show(done, total))
    _print_export(result)
    return 0


def _export_to_children(workspace: Workspace, args: argparse.Namespace) -> int:
    """``sync export --all-children``: the same export once for every enrolled child (a
    circular for twelve communes is one command, not twelve)."""
    children = [c for c in sync.recipients(workspace) if c.relation == "child"]
    if not children:
        raise NoChildEnrolled()
    refused = 0
    for child in children:
        try:
            result = sync.export_package(workspace, args.out, to=child.unit_id,
                                         encrypt=not args.no_encryption)
        except UserError as error:
            refused += 1
            print(_("{unit}: {reason}").format(unit=child.unit_name, reason=error),
                  file=sys.stderr)
            continue
        _print_export(result)
    print(_("{written} of {count} child units have a package in {folder}.").format(
        written=format_number(len(children) - refused), count=format_number(len(children)),
        folder=args.out))
    return 1 if refused else 0


class NoChildEnrolled(UserError):
    template = N_("No child unit has been enrolled yet: issue enrollment files first "
                  "(enroll CHILD_CODE --out FILE); nothing was written.")


def _print_export(result: sync.ExportResult) -> None:
    print(sync.export_message(result))
    for table in result.tables:
        print("  " + _("{label}: {inserts} new, {updates} changed, {deletes} deleted").format(
            label=table.label, inserts=format_number(table.inserts),
            updates=format_number(table.updates), deletes=format_number(table.deletes)))
    print(result.path)


def _import(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    show = progress_printer(_("Importing"))
    report = sync.import_packages(workspace, args.files,
                                         progress=lambda done, total, _text: show(done, total))
    for outcome in report.files:
        print(f"{outcome.file_name}: {outcome.outcome_label.upper()}")
        print("  " + outcome.message)
        for table in outcome.tables:
            print("  " + _("{label}: {applied} applied, {unchanged} already here, {older} "
                           "older ignored").format(label=table.label,
                                                   applied=format_number(table.applied),
                                                   unchanged=format_number(table.unchanged),
                                                   older=format_number(table.older)))
    for outcome in report.retried:
        print(_("Waiting package {file}: {outcome}").format(
            file=outcome.file_name, outcome=outcome.outcome_label))
        print("  " + outcome.message)
    applied = sum(1 for o in report.files if o.ok)
    print(_("{ok} of {total} files applied or already applied.").format(
        ok=applied, total=len(report.files)))
    return 0 if report.ok else 1


def _when(value) -> str:
    return format_datetime(value) if value else _("never")


def _status(args: argparse.Namespace) -> int:
    state = sync.status(workspace_from(args))
    local = state.local
    print(_("This installation: {node} of {unit}").format(node=local.short_id,
                                                          unit=local.unit_name))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=local.fingerprint))
    for peer in state.peers:
        relation = _("parent unit") if peer.relation == "parent" else _("child unit")
        pending = peer.pending
        print()
        print(f"{peer.unit_name} ({relation})")
        print("  " + _("Last package sent: {when}").format(when=_when(pending.last_package_at)))
        print("  " + _("Not yet sent: {count} changes; sent but not confirmed: {unconfirmed}")
              .format(count=format_number(pending.unsent_total),
                      unconfirmed=format_number(pending.unconfirmed_total)))
        for node in peer.nodes:
            print("  " + _("Installation {node} ({status}), fingerprint {fingerprint}").format(
                node=node.short_id, status=node.status_label, fingerprint=node.fingerprint))
            if node.acknowledged_through is not None:
                print("    " + _("Acknowledged our changes up to no. {seq} (package no. "
                                 "{number}, received {when})").format(
                    seq=format_number(node.acknowledged_through),
                    number=node.acknowledged_number, when=_when(node.acknowledged_at)))
            else:
                print("    " + _("Has not acknowledged any package yet."))
            if node.applied_number is not None:
                print("    " + _("Its packages applied here: up to no. {number} ({when})")
                      .format(number=node.applied_number, when=_when(node.applied_at)))
        if peer.waiting:
            print("  " + _("{count} packages from this unit are waiting.").format(
                count=peer.waiting))
    if state.pending_nodes:
        print()
        print(_("Installations waiting for a fingerprint check:"))
        for node in state.pending_nodes:
            print("  " + f"{node.short_id}  {node.unit_name}  {node.fingerprint}")
    if state.newer_waiting:
        print(_("{count} packages wait for a newer version of the application.").format(
            count=state.newer_waiting))
    if state.conflicts_unreviewed:
        print(_("{count} overridden values not yet reviewed (ctmtqg sync conflicts).").format(
            count=state.conflicts_unreviewed))
    return 0


def _nodes(args: argparse.Namespace) -> int:
    nodes = sync.list_nodes(workspace_from(args))
    print_table([_("Installation"), _("Unit"), _("Name"), _("Status"), _("Fingerprint")],
                [[n.short_id, n.unit_name, n.label, n.status_label, n.fingerprint]
                 for n in nodes])
    return 0


def _accept(args: argparse.Namespace) -> int:
    node, outcomes = sync.accept_node(workspace_from(args), args.node)
    print(_("Installation {node} of {unit} is trusted.").format(node=node.short_id,
                                                               unit=node.unit_name))
    for outcome in outcomes:
        print(f"{outcome.file_name}: {outcome.outcome_label}")
        print("  " + outcome.message)
    return 0


def _accept_history(args: argparse.Namespace) -> int:
    node, outcomes = sync.accept_new_history(workspace_from(args), args.node)
    if not outcomes:
        print(_("Installation {node} of {unit} has no conflicting package.").format(
            node=node.short_id, unit=node.unit_name))
    for outcome in outcomes:
        print(f"{outcome.file_name}: {outcome.outcome_label}")
        print("  " + outcome.message)
    return 0 if all(o.ok for o in outcomes) else 1


def _revoke(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    enrollment = sync.enrollment_of(workspace, args.node)
    node = sync.revoke_node(workspace, args.node,
                            revoke_enrollment=not args.keep_enrollment)
    print(_("Installation {node} of {unit} is revoked.").format(node=node.short_id,
                                                               unit=node.unit_name))
    if enrollment is not None and not args.keep_enrollment:
        print(_("The enrollment file it was set up from is revoked too: another installation "
                "set up from it will wait for your check."))
    return 0


def _history(args: argparse.Namespace) -> int:
    rows = sync.history(workspace_from(args), limit=args.limit)
    print_table([_("Time of day"), _("Kind"), _("Outcome"), _("File")],
                [[format_datetime(r.at), r.kind_label, r.outcome_label, r.file_name]
                 for r in rows])
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    rows = sync.conflicts(workspace_from(args))
    if not rows:
        print(_("No value has been overridden."))
    for row in rows:
        print(_("{table} “{summary}” ({when}): kept the edit of {kept}, overridden the edit "
                "of {overridden}").format(table=row.table_label, summary=row.summary,
                                          when=format_datetime(row.detected_at),
                                          kept=row.kept_by, overridden=row.overridden_by))
        for change in row.fields:
            print("  " + _("{field}: kept “{kept}”, overridden “{overridden}”").format(
                field=change.field, kept=change.kept, overridden=change.overridden))
    return 0
