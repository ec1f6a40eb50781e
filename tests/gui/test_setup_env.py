"""scripts/setup-env names (or installs) every system library Qt's window needs on Linux."""

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "setup-env"


def fake_tools(folder: Path, *, libraries: str, uid: str) -> dict[str, str]:
    """A PATH whose ldconfig knows only ``libraries``, whose id says ``uid``, and whose sudo
    and apt-get refuse (nothing is installed by the test)."""
    folder.mkdir()
    tools = {"ldconfig": f"printf '%s' '{libraries}'", "id": f"echo {uid}",
             "sudo": "exit 1", "apt-get": "echo apt-get \"$@\" >> \"$(dirname \"$0\")/calls\"; "
                                          "exit 100"}
    for name, body in tools.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}"}


@pytest.mark.skipif(os.name != "posix", reason="a Linux shell script")
def test_missing_xcb_libraries_are_named_in_one_vietnamese_line(tmp_path):
    present = "".join(f"\t{name} (libc6,x86-64) => /usr/lib/{name}\n" for name in (
        "libEGL.so.1", "libGL.so.1", "libxkbcommon.so.0", "libfontconfig.so.1",
        "libdbus-1.so.3", "libxcb-image.so.0", "libxcb-randr.so.0", "libxcb-render-util.so.0",
        "libxcb-shape.so.0", "libxcb-xkb.so.1", "libxkbcommon-x11.so.0", "libX11-xcb.so.1"))
    env = fake_tools(tmp_path / "bin", libraries=present, uid="1000")
    result = subprocess.run([str(SCRIPT), "system"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Thiếu thư viện hệ thống để mở cửa sổ chương trình")
    assert lines[0].endswith(
        "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1")


@pytest.mark.skipif(os.name != "posix", reason="a Linux shell script")
def test_as_root_the_libraries_are_installed_and_a_failure_is_still_explained(tmp_path):
    env = fake_tools(tmp_path / "bin", libraries="", uid="0")
    result = subprocess.run([str(SCRIPT), "system"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "bin" / "calls").read_text()
    assert "install" in calls and "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in calls
    assert "Cài thư viện hệ thống cho Qt" in result.stdout
    # the fake apt-get failed (no network, say): the user is told what to install
    assert "sudo apt-get install libegl1" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="a Linux shell script")
def test_nothing_is_said_when_every_library_is_there(tmp_path):
    names = ["libEGL.so.1", "libGL.so.1", "libxkbcommon.so.0", "libfontconfig.so.1",
             "libdbus-1.so.3", "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
             "libxcb-image.so.0", "libxcb-randr.so.0", "libxcb-render-util.so.0",
             "libxcb-shape.so.0", "libxcb-xkb.so.1", "libxkbcommon-x11.so.0", "libX11-xcb.so.1"]
    present = "".join(f"\t{name} (libc6,x86-64) => /usr/lib/{name}\n" for name in names)
    env = fake_tools(tmp_path / "bin", libraries=present, uid="1000")
    result = subprocess.run([str(SCRIPT), "system"], capture_output=True, text=True, env=env,
                            timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
