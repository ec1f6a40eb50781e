"""Vietnamese is complete: every message in the code has a non-fuzzy translation with the
same placeholders, and the compiled catalogs are up to date."""

from ctmtqg_desktop import i18n_tools
from ctmtqg_desktop.i18n import _


def test_every_message_is_translated():
    problems = i18n_tools.problems()
    listing = "\n".join(f"{p.where}: {p.reason}: {p.msgid!r}" for p in problems)
    assert not problems, "untranslated messages:\n" + listing


def test_compiled_catalogs_are_current():
    stale = i18n_tools.compile_all(check_only=True)
    assert stale == [], "run: python -m ctmtqg_desktop.i18n_tools compile"


def test_the_application_speaks_vietnamese():
    assert _("Overview") == "Tổng quan"
    assert _("Settings") == "Cài đặt"


def test_no_translation_call_hides_inside_an_f_string():
    """The extractor cannot see ``f"{_('x')}"``: such a message would never be translated."""
    import re
    from pathlib import Path

    pattern = re.compile(r"""f["'][^"'\n]*\{_\(["']""")
    package = Path(i18n_tools.PACKAGE_DIR)
    offenders = [f"{path.relative_to(package)}:{number}"
                 for path in package.rglob("*.py")
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


def test_no_message_has_two_different_translations():
    """Catalogs are chained, so a msgid translated differently in two area catalogs would
    show one area's word in another's screen: give such messages distinct msgids."""
    seen: dict = {}
    for name, catalog in i18n_tools.load_catalogs().items():
        for entry in catalog:
            if entry.id:
                key = (entry.id if isinstance(entry.id, str) else entry.id[0], entry.context)
                seen.setdefault(key, {})[name] = str(entry.string)
    clashes = {key: by_catalog for key, by_catalog in seen.items()
               if len(set(by_catalog.values())) > 1}
    assert clashes == {}
