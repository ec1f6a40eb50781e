"""On Linux a double click on a .ctsync or .ctenroll file opens the program: a desktop
entry and the two MIME types (packaging/linux), installed per user."""

import configparser
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

LINUX = Path(__file__).resolve().parents[2] / "packaging" / "linux"
MIME = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_the_entry_opens_both_file_kinds_with_the_file_given():
    entry = desktop_entry(LINUX / "ctmtqg-desktop.desktop")
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"].split()[-1] == "%f"  # the file reaches ctmtqg-desktop's FILE
    types = set(filter(None, entry["MimeType"].split(";")))
    assert types == {"application/x-ctmtqg-sync", "application/x-ctmtqg-enroll"}
    root = ET.parse(LINUX / "ctmtqg-mime.xml").getroot()
    globs = {kind.get("type"): [g.get("pattern") for g in kind.iter(f"{MIME}glob")]
             for kind in root.iter(f"{MIME}mime-type")}
    assert globs == {"application/x-ctmtqg-sync": ["*.ctsync"],
                     "application/x-ctmtqg-enroll": ["*.ctenroll"]}


@pytest.mark.skipif(os.name != "posix", reason="a Linux shell script")
def test_the_install_script_puts_entry_types_and_icon_in_the_users_data(tmp_path):
    data = tmp_path / "share"
    result = subprocess.run([str(LINUX / "install-desktop-entry"), "/opt/ctmtqg/ctmtqg-desktop"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_DATA_HOME": str(data)})
    assert result.returncode == 0, result.stderr
    assert "Đã thêm CTMTQG Desktop" in result.stdout
    entry = desktop_entry(data / "applications" / "ctmtqg-desktop.desktop")
    assert entry["Exec"] == '"/opt/ctmtqg/ctmtqg-desktop" %f'
    assert (data / "mime" / "packages" / "ctmtqg-desktop.xml").is_file()
    assert (data / "icons" / "hicolor" / "256x256" / "apps" / "ctmtqg-desktop.png").is_file()


def test_the_program_takes_the_file_it_is_opened_with():
    from ctmtqg_desktop.gui.app import _parser

    args = _parser().parse_args(["/home/xa/Tải về/goi-so-3.ctsync"])
    assert args.file == Path("/home/xa/Tải về/goi-so-3.ctsync")
