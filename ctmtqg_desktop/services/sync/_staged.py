"""Files an import writes, staged before its commit and published after it (issue 12).

An import that brings a catalog update (a copy kept to pass further down) or handbook pages
writes files as well as rows. Written after the commit, a failed write (a full disk, a
read-only folder) reported an error for a package that was applied; written before, a
rolled-back import would leave files of a package that was not. So each file is written
in full, fsynced, under a hidden staging name beside its target before the transaction;
after the commit each is renamed into place (a rename allocates nothing); whatever
happens, staged files left over are removed.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from pathlib import Path

from ctmtqg_desktop.store.atomic_files import make_dirs, publish, write_text_atomic


class StagedFiles:
    def __init__(self) -> None:
        self.token = uuid.uuid4().hex[:12]
        self.files: list[tuple[Path, Path]] = []

    def add(self, files: Iterable[tuple[Path, str]]) -> None:
        """Write each ``(target, text)`` now, under its staging name."""
        for target, text in files:
            make_dirs(target.parent)
            staged = target.with_name(f".{target.name}.{self.token}.staged")
            write_text_atomic(staged, text)
            self.files.append((staged, target))

    def publish(self) -> None:
        """Give every staged file its final name, in the order they were added."""
        for staged, target in self.files:
            publish(staged, target)
        self.files = []

    def discard(self) -> None:
        for staged, _target in self.files:
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
        self.files = []
