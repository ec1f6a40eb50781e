"""``ctmtqg``: the headless command line, on the same services as the GUI.

Every message is Vietnamese. Bad arguments print a one-line reason and exit 2; a refused
operation prints its reason and exits 1; an internal error is logged with its traceback in the
workspace's ``logs/`` and reported as one sentence (exit 1). No traceback reaches the user.

Each area's commands live in its module (``cli/<area>.py``), listed in :func:`command_groups`;
each has ``register(subparsers, common)`` that adds its sub-commands, each with a
``handler(args) -> int``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from types import ModuleType

from ctmtqg_desktop.cli import argparse_vi
from ctmtqg_desktop.domain.errors import UserError
from ctmtqg_desktop.i18n import _

log = logging.getLogger("ctmtqg.cli")


class VietnameseArgumentParser(argparse.ArgumentParser):
    """Argument errors as one Vietnamese line and exit status 2."""

    def error(self, message: str):  # noqa: D401 (argparse API)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message)
                  + "\n" + _("See: {prog} --help").format(prog=self.prog) + "\n")


def common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--workspace", metavar=_("FOLDER"), default=default,
                        help=_("the workspace folder (default: CTMTQG_WORKSPACE or the "
                               "user's data folder)"))
    parser.add_argument("--database-url", metavar="URL", default=default,
                        help=_("keep records in this database instead of the workspace's "
                               "SQLite file, e.g. postgresql+psycopg://user@host/db"))


def command_groups() -> tuple[ModuleType, ...]:
    """The command modules, in the order ``ctmtqg --help`` lists their commands. Imported
    here, when a parser is built, so that importing ``ctmtqg_desktop.cli`` (the window does,
    for ``argparse_vi``) does not load the data layer."""
    from ctmtqg_desktop.cli import (
        activities,
        archive,
        backups,
        capital,
        catalog,
        dossiers,
        history,
        parent,
        reports,
        sync,
        tasks,
        villages,
        workspaces,
    )

    return (workspaces, catalog, reports, villages, tasks, dossiers, capital, sync, parent,
            activities, archive, backups, history)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; ``argv`` (default: the process's) names the workspace whose role some
    commands' help depends on (``report``: a commune is not offered a parent's reports)."""
    from ctmtqg_desktop.cli import common as cli_common

    cli_common.PARSED_ARGV = list(sys.argv[1:] if argv is None else argv)
    argparse_vi.install()
    parser = VietnameseArgumentParser(
        prog="ctmtqg",
        description=_("CTMTQG Desktop on the command line: national target programme work "
                      "of a commune or a parent unit, offline."))
    common_options(parser, suppress=False)
    common = VietnameseArgumentParser(add_help=False)
    common_options(common, suppress=True)
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"),
                                       parser_class=VietnameseArgumentParser)
    subparsers.required = True
    for group in command_groups():
        group.register(subparsers, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    from ctmtqg_desktop.cli.common import TerminalSafe

    streams = sys.stdout, sys.stderr
    sys.stdout = TerminalSafe(sys.stdout)
    sys.stderr = TerminalSafe(sys.stderr)
    try:
        return _run(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _run(argv: list[str] | None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        print(_("Error: {message}").format(message=error), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(_("Stopped by the user; nothing was changed."), file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped into a program that stopped reading
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:  # an internal error: log it, tell the user where
        # imported here: the window imports this package to parse its arguments, and
        # logging.handlers (socket, pickle, queue) is not needed before it paints (issue 17)
        from ctmtqg_desktop.app_logging import log_path, setup_logging

        target = log_path() or setup_logging(None)
        log.exception("internal error in %s", args.command)
        print(_("Internal error: the details were written to {log}. Please send this file to "
                "the support team.").format(log=target), file=sys.stderr)
        return 1
