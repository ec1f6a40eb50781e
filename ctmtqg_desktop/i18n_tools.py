"""Developer tool for the gettext catalogs (not used at run time).

    python -m ctmtqg_desktop.i18n_tools missing            # msgids without a translation
    python -m ctmtqg_desktop.i18n_tools update --catalog tasks   # append them to tasks.po
    python -m ctmtqg_desktop.i18n_tools fill --catalog tasks --json vi.json  # set msgstrs
    python -m ctmtqg_desktop.i18n_tools compile            # every .po → .mo (the generator)

``fill`` takes a JSON object ``{"msgid": "bản dịch"}`` (a context as ``"context|msgid"``) and
writes those translations into the catalog, adding entries that are not there yet.

Catalogs: ``resources/locale/vi/LC_MESSAGES/<area>.po``; one per product area so that areas
are edited side by side. The ``.mo`` files are generated: never edit them, run ``compile``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from ctmtqg_desktop.i18n import DOMAIN_DIR
from ctmtqg_desktop.resource_paths import resource_path

PACKAGE_DIR = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[rsd]|%[sdr]")


@dataclass(frozen=True)
class Message:
    msgid: str | tuple[str, str]
    context: str | None
    locations: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str | None]:
        singular = self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid
        return singular, self.context


def catalog_dir() -> Path:
    return resource_path(*DOMAIN_DIR)


def extract_messages(source_dir: Path = PACKAGE_DIR) -> dict[tuple[str, str | None], Message]:
    found: dict[tuple[str, str | None], Message] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(source_dir), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=(), strip_comment_tags=True):
        if "gui/forms/ui_" in filename.replace("\\", "/"):
            continue
        msg = Message(message, context, (f"{filename}:{lineno}",))
        previous = found.get(msg.key)
        if previous:
            msg = Message(message, context, previous.locations + msg.locations)
        found[msg.key] = msg
    return found


def load_catalogs() -> dict[str, Catalog]:
    catalogs = {}
    for po in sorted(catalog_dir().glob("*.po")):
        with po.open("rb") as handle:
            catalogs[po.stem] = read_po(handle, locale="vi")
    return catalogs


@dataclass
class Problem:
    msgid: str
    reason: str
    where: str
    context: str | None = None


def problems(messages=None, catalogs=None) -> list[Problem]:
    """Every message in the code that lacks a usable Vietnamese translation."""
    messages = messages if messages is not None else extract_messages()
    catalogs = catalogs if catalogs is not None else load_catalogs()
    index = {}
    for name, cat in catalogs.items():
        for entry in cat:
            if not entry.id:
                continue
            singular = entry.id[0] if isinstance(entry.id, tuple) else entry.id
            index.setdefault((singular, entry.context), (name, entry))
    result = []
    for key, message in sorted(messages.items(), key=lambda kv: kv[0][0]):
        where = message.locations[0]
        if key not in index:
            result.append(Problem(key[0], "untranslated (missing)", where, key[1]))
            continue
        _name, entry = index[key]
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            result.append(Problem(key[0], "untranslated (empty)", where))
        elif entry.fuzzy:
            result.append(Problem(key[0], "fuzzy", where))
        elif sorted(_PLACEHOLDER.findall(key[0])) != sorted(_PLACEHOLDER.findall(strings[0])):
            result.append(Problem(key[0], "placeholders differ", where))
    return result


def compile_all(check_only: bool = False) -> list[Path]:
    """Write each ``.mo`` from its ``.po``; with ``check_only``, list the stale ones."""
    stale = []
    for name, cat in load_catalogs().items():
        buffer = io.BytesIO()
        write_mo(buffer, cat, use_fuzzy=False)
        target = catalog_dir() / f"{name}.mo"
        if not target.exists() or target.read_bytes() != buffer.getvalue():
            stale.append(target)
            if not check_only:
                target.write_bytes(buffer.getvalue())
    return stale


def update(catalog_name: str) -> int:
    """Append every missing msgid to ``<catalog_name>.po`` with an empty translation."""
    missing = [p for p in problems() if p.reason == "untranslated (missing)"]
    messages = extract_messages()
    path = catalog_dir() / f"{catalog_name}.po"
    if path.exists():
        with path.open("rb") as handle:
            cat = read_po(handle, locale="vi")
    else:
        cat = Catalog(locale="vi", project="CTMTQG Desktop", charset="utf-8")
    for problem in missing:
        message = messages[(problem.msgid, problem.context)]
        cat.add(message.msgid, string=("", "") if isinstance(message.msgid, tuple) else "",
                locations=[(loc.rsplit(":", 1)[0], int(loc.rsplit(":", 1)[1]))
                           for loc in message.locations[:1]],
                context=message.context)
    with path.open("wb") as handle:
        write_po(handle, cat, width=100, omit_header=False, sort_output=False)
    return len(missing)


def fill(catalog_name: str, translations: dict[str, str]) -> int:
    path = catalog_dir() / f"{catalog_name}.po"
    if path.exists():
        with path.open("rb") as handle:
            cat = read_po(handle, locale="vi")
    else:
        cat = Catalog(locale="vi", project="CTMTQG Desktop", charset="utf-8")
    for key, text in translations.items():
        context, _sep, msgid = key.rpartition("|") if "|" in key else (None, "", key)
        context = context or None
        entry = cat.get(msgid, context=context)
        if entry is None:
            cat.add(msgid, string=text, context=context)
        else:
            entry.string = text
            entry.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, cat, width=100, omit_header=False, sort_output=False)
    return len(translations)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ctmtqg_desktop.i18n_tools")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("missing")
    updater = sub.add_parser("update")
    updater.add_argument("--catalog", required=True)
    filler = sub.add_parser("fill")
    filler.add_argument("--catalog", required=True)
    filler.add_argument("--json", required=True, type=Path)
    compiler = sub.add_parser("compile")
    compiler.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.action == "missing":
        found = problems()
        for problem in found:
            print(f"{problem.where}: {problem.reason}: {problem.msgid!r}")
        return 1 if found else 0
    if args.action == "update":
        print(f"{update(args.catalog)} message(s) added to {args.catalog}.po")
        return 0
    if args.action == "fill":
        import json

        count = fill(args.catalog, json.loads(args.json.read_text(encoding="utf-8")))
        print(f"{count} translation(s) written to {args.catalog}.po")
        return 0
    stale = compile_all(check_only=args.check)
    for path in stale:
        print(("stale: " if args.check else "wrote: ") + str(path))
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
