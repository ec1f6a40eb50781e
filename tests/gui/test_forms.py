"""Generated form modules are current with their Designer forms."""

from ctmtqg_desktop.gui.forms.__main__ import FORMS_DIR, generate
from ctmtqg_desktop.resource_paths import ui_path


def test_generated_forms_match_the_ui_files():
    forms = sorted(ui_path().glob("*.ui"))
    assert forms
    for form in forms:
        generated = (FORMS_DIR / f"ui_{form.stem}.py").read_text(encoding="utf-8")
        assert generated == generate(form), f"run: python -m ctmtqg_desktop.gui.forms ({form.name})"
