"""Shared pieces of the CLI commands: opening the workspace, printing progress and tables."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from ctmtqg_desktop.app_logging import setup_logging
from ctmtqg_desktop.services.workspaces import open_workspace
from ctmtqg_desktop.store.workspace import Workspace

_T = TypeVar("_T")

#: the command line being parsed (set by ``build_parser``)
PARSED_ARGV: list[str] = []


def known_role() -> str | None:
    """The role of the workspace the command line names (``--workspace``, else
    ``CTMTQG_WORKSPACE`` or the default folder), when it exists and is set up; None
    otherwise. Only reads: nothing is created or upgraded, and any problem is None. Asked
    only when the command line asks for help (no other command pays for the look)."""
    if not {"-h", "--help"} & set(PARSED_ARGV):
        return None
    peek = argparse.ArgumentParser(add_help=False)
    peek.add_argument("--workspace")
    peek.add_argument("--database-url")
    try:
        known, _rest = peek.parse_known_args(PARSED_ARGV)
        workspace = Workspace(known.workspace, known.database_url)
        try:
            if not workspace.database_exists():
                return None
            info = workspace.installation()
            return info.role if info is not None else None
        finally:
            workspace.dispose()
    except Exception:  # a help text never fails: the full list is shown
        return None


def workspace_from(args: argparse.Namespace, *, require_initialized: bool = True) -> Workspace:
    workspace = open_workspace(getattr(args, "workspace", None),
                               getattr(args, "database_url", None),
                               require_initialized=require_initialized)
    setup_logging(workspace.logs_dir)
    return workspace


def progress_printer(prefix: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback that redraws one line on a terminal."""
    interactive = sys.stderr.isatty()
    last = {"shown": -1}

    def show(done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 100
        if percent == last["shown"]:
            return
        last["shown"] = percent
        if interactive:
            end = "\n" if done >= total else ""
            print(f"\r{prefix}: {percent}%", end=end, file=sys.stderr, flush=True)
        elif done >= total or percent % 25 == 0:
            print(f"{prefix}: {percent}%", file=sys.stderr, flush=True)

    return show


def print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(str(cell))) for w, cell in zip(widths, row)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


def add_legacy_option(parser: argparse.ArgumentParser) -> None:
    """``--legacy-encoding tcvn3|vni|unicode`` and ``--skip-unknown-columns`` for commands
    that import workbooks."""
    from ctmtqg_desktop.i18n import _
    from ctmtqg_desktop.services.workbook_import import LEGACY_CHOICES

    parser.add_argument("--legacy-encoding", choices=LEGACY_CHOICES, default=None,
                        help=_("the workbook is typed in an old Vietnamese encoding: convert "
                               "it (tcvn3, vni) or take it as it is (unicode)"))
    parser.add_argument("--skip-unknown-columns", action="store_true",
                        help=_("import the workbook leaving out the columns whose header "
                               "is not one of the template's (without it, they are named "
                               "and nothing is imported)"))


def import_workbook(run: Callable[[bool], _T], skip_unknown_columns: bool) -> _T:
    """Run an importer (``run(skip_unknown_columns)``) for ``import-xlsx``. Asked to leave
    out the columns whose header is not the template's (``--skip-unknown-columns``), it
    first imports without leaving anything out: a workbook without such columns is simply
    imported; with some, the importer names them before writing anything
    (``WorkbookUnknownColumns``), and each one is printed on a line of its own (its letter
    and its header) before the import runs again without them (issue 15)."""
    from ctmtqg_desktop.i18n import _
    from ctmtqg_desktop.services.workbook_import import WorkbookUnknownColumns

    if not skip_unknown_columns:
        return run(False)
    try:
        return run(False)
    except WorkbookUnknownColumns as unknown:
        for column, header, _values in unknown.preview:
            print(_("Column {column} left out: “{header}” is not one of the template's "
                    "headers.").format(column=column, header=header))
    return run(True)


#: what a terminal would act on rather than show: C0 controls but tab, line feed and carriage
#: return (the progress line redraws with it), DEL, C1 controls and the bidirectional
#: overrides (issue 12: a village name from a package must not recolour or rewrite the
#: officer's terminal)
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                                "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every terminal control shown as its escape (``\\x1b``), never sent."""
    return _TERMINAL_CONTROLS.sub(lambda match: ascii(match.group())[1:-1], text)


class TerminalSafe:
    """A text stream that writes through :func:`terminal_safe` (the CLI's stdout/stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(terminal_safe(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)

