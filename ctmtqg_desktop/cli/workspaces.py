"""``ctmtqg workspace init|info``, ``ctmtqg demo``, ``ctmtqg check``, ``ctmtqg dump``."""

from __future__ import annotations

import argparse
from pathlib import Path

from ctmtqg_desktop.app_logging import setup_logging
from ctmtqg_desktop.cli.common import workspace_from
from ctmtqg_desktop.domain.formats import format_date, format_number
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import catalog, demo, workspaces


def register(subparsers, common) -> None:
    workspace = subparsers.add_parser("workspace", parents=[common],
                                      help=_("set up or describe the workspace"))
    actions = workspace.add_subparsers(dest="action", metavar=_("ACTION"))
    actions.required = True

    init = actions.add_parser("init", parents=[common],
                              help=_("set up a new workspace for a unit"))
    source = init.add_mutually_exclusive_group(required=True)
    source.add_argument("--unit", metavar=_("CODE"),
                        help=_("the unit's code, with a date where the code was re-used: "
                               "23524 or 23293@2023-06-01"))
    source.add_argument("--from-enrollment", type=Path, metavar=_("FILE"),
                        help=_("set up from the enrollment file the parent unit issued"))
    init.add_argument("--role", choices=workspaces.ROLES, default="commune",
                      help=_("commune (reports up) or parent (aggregates child units)"))
    init.add_argument("--name", default="", metavar=_("NAME"), help=_("the officer's name"))
    init.set_defaults(handler=_init)

    info = actions.add_parser("info", parents=[common], help=_("show what the workspace holds"))
    info.set_defaults(handler=_info)

    demo_parser = subparsers.add_parser("demo", parents=[common],
                                        help=_("create a demo workspace (a commune of "
                                               "Quảng Ngãi today, or with --year 2023 a Kon "
                                               "Tum commune of 2023)"))
    demo_parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED,
                             help=_("random seed (the same seed gives the same data)"))
    demo_parser.add_argument("--role", choices=workspaces.ROLES, default=None,
                             help=_("commune (the default) or parent: the province (2026) or a "
                                    "district (2023) with child units"))
    demo_parser.add_argument("--year", type=int, choices=(2023, 2026), default=None,
                             help=_("2026 (the default): today's units, a commune of Quảng "
                                    "Ngãi or the province, on the 2026-2035 programme; 2023: "
                                    "a Kon Tum commune or district before the 2025 merges "
                                    "(the seed directive), kept as history. An existing demo "
                                    "workspace keeps its year"))
    demo_parser.add_argument("--children", type=int, default=None, metavar="N",
                             help=_("in a parent workspace: give it N child units with demo "
                                    "data, as if their packages had been received"))
    demo_parser.set_defaults(handler=_demo)

    check = subparsers.add_parser("check", parents=[common],
                                  help=_("check the workspace's integrity"))
    check.set_defaults(handler=_check)

    dump = subparsers.add_parser("dump", parents=[common],
                                 help=_("write every synced record as canonical JSON"))
    dump.add_argument("--out", required=True, metavar=_("FILE"), type=Path)
    dump.add_argument("--metadata", action="store_true",
                      help=_("include authoring node, timestamps and versions"))
    dump.set_defaults(handler=_dump)


def _init(args: argparse.Namespace) -> int:
    preview = None
    if args.from_enrollment:
        from ctmtqg_desktop.services import sync

        preview = sync.read_enrollment(args.from_enrollment)
        workspace = sync.init_from_enrollment(args.workspace, args.database_url,
                                                    args.from_enrollment,
                                                    officer_name=args.name)
    else:
        workspace = workspaces.init_workspace(args.workspace, args.database_url,
                                              unit=args.unit, role=args.role,
                                              officer_name=args.name, refuse_ended=True)
    setup_logging(workspace.logs_dir)
    summary = workspaces.summary(workspace)
    print(_("Workspace set up for {unit} as {role}.").format(
        unit=summary.unit_name, role=workspaces.role_label(summary.role)))
    info = workspace.installation()
    ended = info and catalog.ended_notice(workspace, catalog.get_unit(workspace, info.unit_id),
                                          workspace.today())
    if ended:  # an old enrollment file, or a dissolved unit named with its date: say so
        print(_("Note: {sentence}").format(sentence=ended))
    print(_("Folder: {folder}").format(folder=summary.folder))
    if preview is not None:
        from ctmtqg_desktop.services import sync

        print(_("Parent unit: {unit}. Compare its fingerprint by phone: {fingerprint}").format(
            unit=preview.parent_unit_name, fingerprint=preview.parent_fingerprint))
        print(_("This installation's fingerprint: {fingerprint}").format(
            fingerprint=sync.local_node(workspace).fingerprint))
    return 0


def _info(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    summary = workspaces.summary(workspace)
    print(_("Unit: {unit}").format(unit=summary.unit_name))
    print(_("Role: {role}").format(role=workspaces.role_label(summary.role)))
    if summary.officer_name:
        print(_("Officer: {name}").format(name=summary.officer_name))
    print(_("Folder: {folder}").format(folder=summary.folder))
    print(_("Database: {kind} ({location})").format(kind=summary.database,
                                                     location=summary.location))
    print(_("Installation (node): {node}").format(node=summary.node_id))
    print(_("Data version: {revision}; catalog version: {catalog}").format(
        revision=summary.schema_revision, catalog=summary.catalog_version))
    for wrong, right in catalog.corrected_unit_keys(workspace).items():
        print(_("Unit key corrected: {wrong} → {right} (official 2025 code)").format(
            wrong=wrong, right=right))
    if summary.simulated_today:
        print(_("Demo data: the working date is fixed at {date}").format(
            date=format_date(summary.simulated_today)))
    print(_("Records:"))
    for table, count in sorted(summary.records.items()):
        print(f"  {table}: {format_number(count)}")
    print(_("Change journal entries: {count}").format(count=format_number(summary.journal_entries)))
    return 0


def _demo(args: argparse.Namespace) -> int:
    definition = demo.demo_definition()
    workspace = workspaces.open_workspace(args.workspace, args.database_url,
                                          require_initialized=False)
    setup_logging(workspace.logs_dir)
    existing = workspace.installation(refresh=True)
    if args.year is None:  # today's demo, unless the folder already holds the 2023 one
        from ctmtqg_desktop.services import parent as parent_service

        seed_units = {definition["unit"], parent_service.demo_data(2023)["parent_unit"]}
        args.year = 2023 if existing is not None and existing.unit_id in seed_units else 2026
    if args.role == "parent" or args.children is not None or (
            existing is not None and existing.role == "parent"):
        from ctmtqg_desktop.cli.parent import run_parent_demo

        return run_parent_demo(workspace, args)
    if args.year == 2026:
        return _demo_2026(workspace, args)
    if workspace.installation(refresh=True) is None:
        workspace = workspaces.init_workspace(
            args.workspace, args.database_url, unit=definition["unit"], role="commune",
            officer_name=definition["officer_name"], simulated_today=demo.demo_today())
    demo.build_demo(workspace, seed=args.seed,
                    progress=lambda step: print(_("Demo: {step}").format(step=step)))
    summary = workspaces.summary(workspace)
    print(_("Demo workspace ready: {unit}, {count} records.").format(
        unit=summary.unit_name, count=format_number(sum(summary.records.values()))))
    print(_("Folder: {folder}").format(folder=summary.folder))
    return 0


def _demo_2026(workspace: workspaces.Workspace, args: argparse.Namespace) -> int:
    """``ctmtqg demo --year 2026``: Xã Đăk Hà (23500@2025-07-01) of Quảng Ngãi, the 2026
    plan of the 2026-2035 programme, working date fixed in the demo data."""
    from ctmtqg_desktop.services import parent

    seed = args.seed if args.seed != demo.DEFAULT_SEED else 2026
    if workspace.installation(refresh=True) is None:
        workspace.dispose()
        workspace = parent.init_today_commune(args.workspace, args.database_url, seed=seed)
    else:
        parent.build_commune(workspace, seed=seed)
    summary = workspaces.summary(workspace)
    print(_("Demo workspace ready: {unit}, {count} records.").format(
        unit=summary.unit_name, count=format_number(sum(summary.records.values()))))
    print(_("Folder: {folder}").format(folder=summary.folder))
    return 0


def _check(args: argparse.Namespace) -> int:
    workspace = workspaces.Workspace(args.workspace, args.database_url)
    report = workspaces.check(workspace)
    for fact in report.facts:
        print(_("OK: {fact}").format(fact=fact))
    for problem in report.problems:
        print(_("PROBLEM: {problem}").format(problem=problem))
    if report.ok:
        print(_("The workspace is sound."))
        return 0
    return 1


def _dump(args: argparse.Namespace) -> int:
    workspace = workspace_from(args)
    size = workspaces.write_dump(workspace, args.out, metadata=args.metadata)
    print(_("Wrote {size} bytes to {path}").format(size=format_number(size), path=args.out))
    return 0
