"""Rebuild a folder as a power cut would have left it, from the log of ``fsync_log.c``.

The model (the one CrashMonkey and SQLite's crash tests use, made strict):

* a file's data reaches the disk when the file is fsync'ed (``fsync`` or ``fdatasync``);
  every write, truncation or extension since its last sync may be lost;
* a directory entry (a file created, renamed, removed; a folder made) reaches the disk
  when the *directory* is fsync'ed; until then the name may point where it did before;
* the folder as it was before the workload started is on the disk.

``crash_state(index)`` is the folder after a power cut that struck just before event
``index`` (so events ``0 … index-1`` had happened). In ``drop`` mode everything not synced
is lost. In ``torn`` mode (SQLite's own crash tests do this) each unsynced write survives
or not at random, independently, and each directory keeps a random prefix of its unsynced
entry changes (file systems journal metadata in order).

The replayer also checks the log against its own model (a file the log says existed must
exist in the model, and so on), so that a gap in the shim shows up as an error here
instead of as a state no disk could have had.
"""

from __future__ import annotations

import random
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HEADER = struct.Struct("<IiqqIIQ")

OPEN, WRITE, FTRUNCATE, FSYNC, FDATASYNC, RENAME, UNLINK, MKDIR, RMDIR, CLOSE, MARK, \
    EXTEND, TRUNCATE, DUP, UNSUPPORTED = range(1, 16)
NAMES = {OPEN: "open", WRITE: "write", FTRUNCATE: "ftruncate", FSYNC: "fsync",
         FDATASYNC: "fdatasync", RENAME: "rename", UNLINK: "unlink", MKDIR: "mkdir",
         RMDIR: "rmdir", CLOSE: "close", MARK: "mark", EXTEND: "extend",
         TRUNCATE: "truncate", DUP: "dup", UNSUPPORTED: "unsupported"}
O_CREAT, O_TRUNC = 0o100, 0o1000
SYNCS = (FSYNC, FDATASYNC)


class ModelError(AssertionError):
    """The log does not fit the model (a call the shim missed, or one it cannot model)."""


@dataclass(frozen=True)
class Event:
    index: int
    kind: int
    fd: int
    a: int
    b: int
    path: str
    path2: str
    data: bytes

    def __str__(self) -> str:
        where = self.path or (f"fd {self.fd}" if self.fd >= 0 else "")
        return f"#{self.index} {NAMES.get(self.kind, self.kind)} {where}".rstrip()


def read_log(path: Path) -> list[Event]:
    raw = path.read_bytes()
    events, position = [], 0
    while position < len(raw):
        kind, fd, a, b, path_length, path2_length, data_length = HEADER.unpack_from(
            raw, position)
        position += HEADER.size
        name = raw[position:position + path_length].decode("utf-8", "surrogateescape")
        position += path_length
        name2 = raw[position:position + path2_length].decode("utf-8", "surrogateescape")
        position += path2_length
        data = raw[position:position + data_length]
        position += data_length
        events.append(Event(len(events), kind, fd, a, b, name, name2, data))
    return events


# ----------------------------------------------------------------------------- the model
@dataclass
class _File:
    durable: bytearray
    #: ("write", offset, data) | ("size", length) | ("extend", length) since the last sync
    pending: list[tuple] = field(default_factory=list)
    #: the content as the process sees it (to check the log against the model)
    visible: bytearray = field(default_factory=bytearray)


@dataclass
class _Folder:
    durable: dict[str, int]
    visible: dict[str, int]
    #: ("add", name, inode) | ("remove", name) | ("rename", old, new, inode) since the last sync
    pending: list[tuple] = field(default_factory=list)


def _apply_file(content: bytearray, op: tuple) -> None:
    if op[0] == "write":
        _kind, offset, data = op
        if len(content) < offset:
            content.extend(b"\0" * (offset - len(content)))
        content[offset:offset + len(data)] = data
    elif op[0] == "size":
        length = op[1]
        if length < len(content):
            del content[length:]
        else:
            content.extend(b"\0" * (length - len(content)))
    elif op[0] == "extend":
        if op[1] > len(content):
            content.extend(b"\0" * (op[1] - len(content)))


def _apply_folder(entries: dict[str, int], op: tuple) -> None:
    if op[0] == "add":
        entries[op[1]] = op[2]
    elif op[0] == "remove":
        entries.pop(op[1], None)
    elif op[0] == "rename":
        entries.pop(op[1], None)
        entries[op[2]] = op[3]


class Replay:
    """The log of one workload over ``initial`` (a copy of the folder before it ran)."""

    def __init__(self, initial: Path, root: str, events: list[Event]) -> None:
        self.root = root.rstrip("/")
        self.events = events
        self.inodes: dict[int, _File | _Folder] = {}
        self.fds: dict[int, int] = {}
        self._next = 0
        self.root_inode = self._load(initial)
        self.marks = [(e.index, e.data) for e in events if e.kind == MARK]
        unsupported = [str(e) + " " + e.data.decode() for e in events
                       if e.kind == UNSUPPORTED]
        if unsupported:
            raise ModelError("calls the model cannot replay: " + "; ".join(unsupported))
        self._position = 0

    # -- building ------------------------------------------------------------------------
    def _new(self, node: _File | _Folder) -> int:
        self._next += 1
        self.inodes[self._next] = node
        return self._next

    def _load(self, folder: Path) -> int:
        entries = {}
        for child in sorted(folder.iterdir()):
            if child.is_symlink():
                raise ModelError(f"{child}: links are not modelled")
            if child.is_dir():
                entries[child.name] = self._load(child)
            else:
                data = child.read_bytes()
                entries[child.name] = self._new(_File(bytearray(data),
                                                      visible=bytearray(data)))
        return self._new(_Folder(dict(entries), dict(entries)))

    def _parts(self, path: str, event: Event) -> list[str]:
        if path == self.root:
            return []
        if not path.startswith(self.root + "/"):
            raise ModelError(f"{event}: outside the folder")
        return path[len(self.root) + 1:].split("/")

    def _lookup(self, path: str, event: Event) -> int | None:
        inode = self.root_inode
        for part in self._parts(path, event):
            folder = self.inodes[inode]
            if not isinstance(folder, _Folder) or part not in folder.visible:
                return None
            inode = folder.visible[part]
        return inode

    def _parent(self, path: str, event: Event) -> tuple[_Folder, str]:
        parts = self._parts(path, event)
        if not parts:
            raise ModelError(f"{event}: the folder itself")
        parent = self._lookup(self.root + "".join("/" + p for p in parts[:-1]), event)
        folder = self.inodes.get(parent) if parent is not None else None
        if not isinstance(folder, _Folder):
            raise ModelError(f"{event}: no parent folder in the model")
        return folder, parts[-1]

    def _file(self, fd: int, event: Event) -> tuple[int, _File | _Folder]:
        if fd not in self.fds:
            raise ModelError(f"{event}: a descriptor the model did not see opened")
        inode = self.fds[fd]
        return inode, self.inodes[inode]

    def _step(self, event: Event) -> None:
        kind = event.kind
        if kind == OPEN:
            inode = self._lookup(event.path, event)
            existed, is_dir = bool(event.b & 1), bool(event.b & 2)
            if (inode is not None) != existed:
                raise ModelError(f"{event}: the model says it {'' if inode else 'did not '}"
                                 "exist")
            if inode is None:
                if not event.a & O_CREAT:
                    raise ModelError(f"{event}: created without O_CREAT")
                folder, name = self._parent(event.path, event)
                inode = self._new(_File(bytearray()))
                folder.visible[name] = inode
                folder.pending.append(("add", name, inode))
            node = self.inodes[inode]
            if isinstance(node, _Folder) != is_dir:
                raise ModelError(f"{event}: file or folder differs from the model")
            if event.a & O_TRUNC and isinstance(node, _File):
                node.pending.append(("size", 0))
                _apply_file(node.visible, ("size", 0))
            self.fds[event.fd] = inode
        elif kind == CLOSE:
            self.fds.pop(event.fd, None)
        elif kind == DUP:
            self.fds[event.fd] = self._file(event.a, event)[0]
        elif kind in (WRITE, FTRUNCATE, EXTEND, TRUNCATE):
            if kind == TRUNCATE:
                inode = self._lookup(event.path, event)
                if inode is None:
                    raise ModelError(f"{event}: no such file in the model")
                node = self.inodes[inode]
            else:
                _inode, node = self._file(event.fd, event)
            if not isinstance(node, _File):
                raise ModelError(f"{event}: not a file")
            op = {WRITE: ("write", event.a, event.data), FTRUNCATE: ("size", event.a),
                  TRUNCATE: ("size", event.a), EXTEND: ("extend", event.a + event.b)}[kind]
            node.pending.append(op)
            _apply_file(node.visible, op)
        elif kind in SYNCS:
            _inode, node = self._file(event.fd, event)
            if isinstance(node, _File):
                for op in node.pending:
                    _apply_file(node.durable, op)
            else:
                for op in node.pending:
                    _apply_folder(node.durable, op)
            node.pending = []
        elif kind in (UNLINK, RMDIR):
            folder, name = self._parent(event.path, event)
            if name not in folder.visible:
                raise ModelError(f"{event}: no such entry in the model")
            del folder.visible[name]
            folder.pending.append(("remove", name))
        elif kind == MKDIR:
            folder, name = self._parent(event.path, event)
            if name in folder.visible:
                raise ModelError(f"{event}: already exists in the model")
            inode = self._new(_Folder({}, {}))
            folder.visible[name] = inode
            folder.pending.append(("add", name, inode))
        elif kind == RENAME:
            source, old = self._parent(event.path, event)
            target, new = self._parent(event.path2, event)
            if old not in source.visible:
                raise ModelError(f"{event}: no such entry in the model")
            inode = source.visible.pop(old)
            target.visible[new] = inode
            if source is target:
                source.pending.append(("rename", old, new, inode))
            else:
                source.pending.append(("remove", old))
                target.pending.append(("add", new, inode))
        elif kind == MARK:
            pass
        else:
            raise ModelError(f"{event}: unknown event")

    def advance(self, index: int) -> None:
        """Replay events up to (not including) ``index``; only ever forwards."""
        if index < self._position:
            raise ValueError("a Replay only moves forwards")
        while self._position < index:
            self._step(self.events[self._position])
            self._position += 1

    # -- the state after a crash ---------------------------------------------------------
    def crash_state(self, index: int, target: Path, *, mode: str = "drop",
                    rng: random.Random | None = None) -> Path:
        """Write the folder a power cut just before event ``index`` leaves into ``target``."""
        self.advance(index)
        if mode not in ("drop", "torn"):
            raise ValueError(mode)
        rng = rng or random.Random(index)
        shutil.rmtree(target, ignore_errors=True)
        self._write_folder(self.root_inode, target, mode, rng)
        return target

    def _write_folder(self, inode: int, target: Path, mode: str, rng: random.Random) -> None:
        folder = self.inodes[inode]
        assert isinstance(folder, _Folder)
        target.mkdir(parents=True, exist_ok=True)
        entries = dict(folder.durable)
        if mode == "torn" and folder.pending:
            for op in folder.pending[:rng.randint(0, len(folder.pending))]:
                _apply_folder(entries, op)
        for name, child in sorted(entries.items()):
            node = self.inodes[child]
            if isinstance(node, _Folder):
                self._write_folder(child, target / name, mode, rng)
                continue
            content = bytearray(node.durable)
            if mode == "torn":
                for op in node.pending:
                    if rng.random() < 0.5:
                        _apply_file(content, op)
            (target / name).write_bytes(bytes(content))

    def durable_epochs(self) -> Iterator[tuple[int, int]]:
        """``(first, last)`` event indices between two syncs: in ``drop`` mode a crash
        anywhere in ``first … last`` leaves the same folder (nothing reaches the disk
        between two syncs), so checking ``last`` covers the whole range."""
        first = 0
        for event in self.events:
            if event.kind in SYNCS:
                yield first, event.index
                first = event.index + 1
        yield first, len(self.events)
