"""Colours are named once, in the stylesheet's @palette, and taken from there."""

import re
from pathlib import Path

from ctmtqg_desktop.gui import palette
from ctmtqg_desktop.resource_paths import ui_path

GUI = Path(__file__).resolve().parents[2] / "ctmtqg_desktop" / "gui"
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|['\"]#[0-9a-fA-F]{3}['\"]")


def test_the_stylesheet_names_every_colour_it_uses_and_renders_without_tokens():
    source = ui_path("style.qss").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    assert not HEX.search(rules), "a rule writes a colour instead of naming it (@name)"
    rendered = palette.stylesheet()
    assert "@" not in rendered
    assert palette.hex_of("late") in rendered and palette.hex_of("navy") in rendered


def test_no_page_writes_a_colour_of_its_own():
    found = []
    for path in GUI.rglob("*.py"):
        if path.name.startswith("ui_") or path.name == "palette.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HEX.search(line):
                found.append(f"{path.relative_to(GUI)}:{number}: {line.strip()}")
    assert found == []


def test_late_is_red_and_due_soon_amber_in_every_painted_place():
    assert palette.LATE_COLOR.name() == palette.hex_of("late") == "#b3261e"
    assert palette.DUE_SOON_COLOR.name() == palette.hex_of("due-soon") == "#8a5a00"
    assert palette.STATE_COLORS["late"] == palette.LATE_COLOR
