"""Make argparse speak Vietnamese through our catalogs.

argparse looks up its messages through the module-level names ``_`` and ``ngettext`` at
call time; pointing them at our translator makes usage lines, help headings and error
messages Vietnamese. The msgids are argparse's own (listed in ``ARGPARSE_MESSAGES`` so that
the translation test checks them too).
"""

from __future__ import annotations

import argparse

from ctmtqg_desktop.i18n import N_, _, ngettext

ARGPARSE_MESSAGES = [
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("ignored explicit argument %r"),
]


def install() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
