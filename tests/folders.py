"""Folders that refuse writes the way a user's USB stick does, made for real (no mocks).

* read-only: ``chmod 555`` for an ordinary user; root ignores file modes, so as root the
  folder is a read-only tmpfs mount instead (the kernel refuses with EROFS, as for a stick
  whose write-protect switch is on);
* full: a 1 MB tmpfs mount when the tests run as root (ENOSPC from the kernel); the
  universal check is ``ctmtqg`` run under ``RLIMIT_FSIZE`` (tests/cli/test_backups.py).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _mount(folder: Path, options: str) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True,
                   capture_output=True)


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if is_root():
        _mount(folder, "ro,size=1m")
        try:
            yield folder
        finally:
            subprocess.run(["umount", str(folder)], check=True)
        return
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


@contextlib.contextmanager
def full_folder(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A folder on a filesystem of ``size`` (root only: callers check ``is_root()``)."""
    folder.mkdir(parents=True, exist_ok=True)
    _mount(folder, f"size={size}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
