"""mypy against a recorded baseline that can only go down.

``domain``, ``store`` and ``sync`` are checked strictly (pyproject.toml) and must have no
error at all; every other module may keep at most the errors recorded for it in
``scripts/mypy-baseline.json``. A module that gets better is reported, so that the baseline
is lowered with ``--update`` in the same commit.

    python scripts/check_mypy.py            # exit 1 when a count rose
    python scripts/check_mypy.py --update   # record today's counts (only ever lower)
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scripts" / "mypy-baseline.json"
STRICT = ("ctmtqg_desktop/domain/", "ctmtqg_desktop/store/", "ctmtqg_desktop/sync/")
ERROR = re.compile(r"^(?P<file>[^:]+\.py):\d+: error: ")


def counts() -> dict[str, int]:
    stdout, stderr, _status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    if stderr.strip():
        sys.exit(f"mypy could not run:\n{stderr}")
    found: collections.Counter[str] = collections.Counter()
    for line in stdout.splitlines():
        match = ERROR.match(line)
        if match:
            found[Path(match["file"]).as_posix()] += 1
    print(stdout.splitlines()[-1] if stdout.strip() else "mypy: no output")
    return dict(sorted(found.items()))


def main(argv: list[str]) -> int:
    now = counts()
    recorded: dict[str, int] = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if "--update" in argv:
        risen = {f: n for f, n in now.items() if n > recorded.get(f, 0)}
        if recorded and risen:
            print(f"The baseline only goes down; these rose: {risen}")
            return 1
        BASELINE.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
        print(f"Recorded {sum(now.values())} errors in {len(now)} files.")
        return 0
    worse = {f: (recorded.get(f, 0), n) for f, n in now.items() if n > recorded.get(f, 0)}
    strict = {f: n for f, n in now.items() if f.startswith(STRICT) and f not in recorded}
    better = {f: (n, now.get(f, 0)) for f, n in recorded.items() if now.get(f, 0) < n}
    for file, (before, after) in sorted(worse.items()):
        print(f"mypy: {file}: {after} errors, the baseline allows {before}")
    for file, count in sorted(strict.items()):
        print(f"mypy: {file}: {count} errors in a strictly checked package")
    if better:
        print("mypy: fewer errors than recorded in " + ", ".join(
            f"{f} ({b} -> {a})" for f, (b, a) in sorted(better.items()))
              + "; lower the baseline: python scripts/check_mypy.py --update")
    print(f"mypy: {sum(now.values())} errors (baseline {sum(recorded.values())})")
    return 1 if worse or strict else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
