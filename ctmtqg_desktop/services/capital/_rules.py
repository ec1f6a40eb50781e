"""The capital area's reference data, read from ``resources/capital`` and checked.

* ``counterpart-rules.json``: default counterpart ratios (tỷ lệ vốn đối ứng) per programme
  and capital kind, each with its legal basis, validity, confidence and source. They apply
  until a parent unit sends its own rules (``services/counterpart.py``).
* ``scoring.json``: the criteria of feasibility, effectiveness and ability to disburse, their
  points, and the default weights of the priority rank.
* ``rules.json``: which capital kinds follow the investment deadline, and the overlap
  review's name-similarity threshold and filler phrases.

A bad file is refused with its name and the reason (:class:`CatalogInvalid`), never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from ctmtqg_desktop.domain.errors import CatalogInvalid
from ctmtqg_desktop.domain.scoring import DIMENSIONS, Criterion
from ctmtqg_desktop.domain.text import normalize
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.resource_paths import resource_path

CONFIDENCE = ("confirmed", "partial", "unverified")
#: criteria computed from the records (implemented in ``services/portfolio.py``)
AUTO_CRITERIA = ("approved", "funding_secured", "beneficiaries", "disadvantaged_village",
                 "on_track", "progress_ahead", "recent_payment")


def _folder() -> Path:
    return resource_path("capital")


def _read(name: str, folder: Path | None = None) -> dict:
    path = (folder or _folder()) / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogInvalid(file=name, line=0, reason=_("the file is missing")) from None
    except json.JSONDecodeError as error:
        raise CatalogInvalid(file=name, line=error.lineno, reason=error.msg) from None


def _fail(name: str, reason: str):
    raise CatalogInvalid(file=name, line=0, reason=reason)


# ---------------------------------------------------------------------------- counterpart
@dataclass(frozen=True)
class DefaultCounterpartRule:
    program_id: str
    capital_kind: str
    ratio_bp: int
    legal_basis: str
    valid_from: dt.date
    valid_to: dt.date | None
    confidence: str
    source: str


def ratio_to_bp(value, *, file: str = "") -> int:
    """``10`` or ``"12,5"`` (percent) → basis points (1000, 1250)."""
    try:
        percent = Decimal(str(value).replace(",", ".").strip().rstrip("%"))
    except InvalidOperation:
        _fail(file, _("“{value}” is not a percentage").format(value=value))
    bp = percent * 100
    if bp != bp.to_integral_value() or not 0 <= bp <= 10000:
        _fail(file, _("“{value}” is not a percentage between 0 and 100 with at most two "
                      "decimals").format(value=value))
    return int(bp)


def read_counterpart_defaults(folder: Path | None = None) -> list[DefaultCounterpartRule]:
    name = "counterpart-rules.json"
    document = _read(name, folder)
    rules = []
    for item in document.get("rules", []):
        for key in ("program", "capital_kind", "ratio_percent", "legal_basis", "valid_from",
                    "confidence"):
            if key not in item:
                _fail(name, _("a rule lacks “{key}”").format(key=key))
        if item["confidence"] not in CONFIDENCE:
            _fail(name, _("unknown confidence “{value}”").format(value=item["confidence"]))
        try:
            valid_from = dt.date.fromisoformat(item["valid_from"])
            valid_to = dt.date.fromisoformat(item["valid_to"]) if item.get("valid_to") else None
        except ValueError:
            _fail(name, _("a validity date is not YYYY-MM-DD"))
        rules.append(DefaultCounterpartRule(
            item["program"], item["capital_kind"], ratio_to_bp(item["ratio_percent"], file=name),
            normalize(item["legal_basis"]), valid_from, valid_to, item["confidence"],
            normalize(item.get("source", ""))))
    return rules


@cache
def counterpart_defaults() -> tuple[DefaultCounterpartRule, ...]:
    return tuple(read_counterpart_defaults())


# ---------------------------------------------------------------------------- scoring
@dataclass(frozen=True)
class ScoringDimension:
    code: str
    name: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Scoring:
    dimensions: tuple[ScoringDimension, ...]
    default_weights: dict
    #: optional parameters of automatic criteria (``target``), by criterion code
    targets: dict
    note: str
    confidence: str

    def criterion(self, code: str) -> Criterion | None:
        return next((c for d in self.dimensions for c in d.criteria if c.code == code), None)


def read_scoring(folder: Path | None = None) -> Scoring:
    name = "scoring.json"
    document = _read(name, folder)
    dimensions, targets, seen = [], {}, set()
    for dim in document.get("dimensions", []):
        if dim.get("code") not in DIMENSIONS:
            _fail(name, _("unknown scoring dimension “{code}”").format(code=dim.get("code")))
        criteria = []
        for item in dim.get("criteria", []):
            code = item.get("code")
            if not code or code in seen:
                _fail(name, _("criterion codes must be present and unique (“{code}”)").format(
                    code=code))
            seen.add(code)
            auto = item.get("auto", "")
            if auto and auto not in AUTO_CRITERIA:
                _fail(name, _("unknown automatic criterion “{auto}”").format(auto=auto))
            points = item.get("points")
            if not isinstance(points, int) or points <= 0:
                _fail(name, _("criterion {code} needs whole points above 0").format(code=code))
            if "target" in item:
                targets[code] = int(item["target"])
            criteria.append(Criterion(code, dim["code"], normalize(item["name"]), points, auto,
                                      normalize(item.get("help", ""))))
        dimensions.append(ScoringDimension(dim["code"], normalize(dim["name"]), tuple(criteria)))
    if {d.code for d in dimensions} != set(DIMENSIONS):
        _fail(name, _("the three dimensions must each be present"))
    weights = document.get("default_weights", {})
    if set(weights) != set(DIMENSIONS) or not all(isinstance(w, int) and w >= 0
                                                  for w in weights.values()):
        _fail(name, _("default_weights needs a whole number for each dimension"))
    return Scoring(tuple(dimensions), dict(weights), targets, document.get("note", ""),
                   document.get("confidence", "unverified"))


@cache
def scoring() -> Scoring:
    return read_scoring()


# ---------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class CapitalRules:
    investment_kinds: frozenset[str]
    recurrent_kinds: frozenset[str]
    #: short names of capital kinds for lists and messages ("vốn ĐTPT")
    kind_short_names: dict
    similarity_threshold: float
    stop_phrases: tuple[str, ...]
    #: short names of capital sources for the plan's table ("NS tỉnh")
    source_short_names: dict[str, str] = field(default_factory=dict)


def read_rules(folder: Path | None = None) -> CapitalRules:
    name = "rules.json"
    document = _read(name, folder)
    groups = document.get("capital_kind_groups", {})
    investment = frozenset(groups.get("investment", []))
    recurrent = frozenset(groups.get("recurrent", []))
    if not investment or investment & recurrent:
        _fail(name, _("capital_kind_groups must name the investment kinds, each kind once"))
    overlap = document.get("overlap", {})
    threshold = overlap.get("name_similarity_threshold")
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        _fail(name, _("name_similarity_threshold must be a number above 0 and at most 1"))
    short_names = {code: normalize(text) for code, text in groups.get("short_names", {}).items()}
    source_names = {code: normalize(text) for code, text in
                    document.get("capital_source_short_names", {}).items() if code != "note"}
    return CapitalRules(investment, recurrent, short_names, float(threshold),
                        tuple(normalize(p) for p in overlap.get("stop_phrases", [])),
                        source_names)


@cache
def rules() -> CapitalRules:
    return read_rules()
