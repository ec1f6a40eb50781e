"""Regenerate ``ctmtqg_desktop/gui/forms/ui_*.py`` from ``ui/*.ui``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ctmtqg_desktop.resource_paths import ui_path

HEADER = ("# Generated from ui/{name} by `python -m ctmtqg_desktop.gui.forms`.\n"
          "# DO NOT EDIT: change the form in Qt Designer and run the generator again.\n")
FORMS_DIR = Path(__file__).resolve().parent


def _uic() -> list[str]:
    found = shutil.which("pyside6-uic") or str(Path(sys.executable).with_name("pyside6-uic"))
    return [found]


def generate(form: Path) -> str:
    result = subprocess.run(_uic() + ["--from-imports", str(form)], check=True,
                            capture_output=True, text=True)
    body = "\n".join(line for line in result.stdout.splitlines()
                      if not (line.startswith("##") or line.strip() == "#" * 80))
    return HEADER.format(name=form.name) + body.lstrip("\n") + "\n"


def main() -> int:
    for form in sorted(ui_path().glob("*.ui")):
        target = FORMS_DIR / f"ui_{form.stem}.py"
        target.write_text(generate(form), encoding="utf-8")
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
