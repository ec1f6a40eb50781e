"""Python modules generated from the Designer forms in ``ui/`` (do not edit them).

The one generator: ``python -m ctmtqg_desktop.gui.forms`` runs ``pyside6-uic`` on every
``ui/*.ui`` and writes ``ui_<name>.py`` here with a do-not-edit header.
``tests/gui/test_forms.py`` fails when a generated module is older than its form.
"""
