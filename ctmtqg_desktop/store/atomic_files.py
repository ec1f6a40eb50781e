"""Write a file so that a crash, a power cut or a full disk never leaves half of it.

The content goes to a temporary name in the same folder, is flushed and fsync'ed, then
renamed over the target (atomic on POSIX and on Windows' ``os.replace``), and the folder is
fsync'ed where the OS allows it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    """Make the entries of ``folder`` (files created, renamed or removed in it) durable."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(folder: Path) -> None:
    """``folder.mkdir(parents=True, exist_ok=True)``, with each folder it creates made
    durable in its parent (a new folder's name is an entry of the folder above it)."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for made in reversed(missing):
        made.mkdir(exist_ok=True)
        fsync_dir(made.parent)


@contextlib.contextmanager
def atomic_write(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """``with atomic_write(path) as handle: handle.write(...)``; nothing appears on error."""
    target = Path(target)
    make_dirs(target.parent)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_write(target) as handle:
        handle.write(data)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def publish(temporary: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Give a complete, fsync'ed temporary file its final name (for writers that must check
    the file, or record it, between writing and publishing it)."""
    os.replace(temporary, target)
    fsync_dir(Path(target).parent)
