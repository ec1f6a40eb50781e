"""The one translation mechanism: GNU gettext catalogs, Vietnamese by default.

Source strings are English and wrapped in ``_()`` (translate now) or ``N_()`` (mark for
extraction, translate later, e.g. in class attributes). Catalogs live in
``resources/locale/vi/LC_MESSAGES/<area>.po`` (one per product area, so that areas can be
edited side by side); ``python -m ctmtqg_desktop.i18n_tools compile`` turns each into the
``.mo`` file loaded here. ``tests/test_translations.py`` fails on any message in the code that
has no Vietnamese translation, is fuzzy, or loses a ``{placeholder}``.

The GUI, the CLI, reports and error messages all translate through this module.
"""

from __future__ import annotations

import gettext
import os
from functools import cache

from ctmtqg_desktop.resource_paths import resource_path

DOMAIN_DIR = ("locale", "vi", "LC_MESSAGES")


@cache
def translations() -> gettext.NullTranslations:
    """All area catalogs chained into one lookup (a miss in one falls through to the next)."""
    if os.environ.get("CTMTQG_UNTRANSLATED") == "1":  # developers only: show the msgids
        return gettext.NullTranslations()
    folder = resource_path(*DOMAIN_DIR)
    chain: gettext.NullTranslations | None = None
    for mo_file in sorted(folder.glob("*.mo")):
        with mo_file.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)
        if chain is None:
            chain = catalog
        else:
            chain.add_fallback(catalog)
    return chain or gettext.NullTranslations()


def _(message: str) -> str:
    """Translate ``message`` to Vietnamese."""
    if not message:
        return message
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate with a context, for short words that mean different things in places."""
    return translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet."""
    return message
