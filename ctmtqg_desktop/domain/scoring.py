"""Xếp thứ tự ưu tiên dự án: scores for feasibility, effectiveness and ability to disburse.

The seed directive (UBND tỉnh Kon Tum, 2023) asks every district to "rà soát danh mục các dự
án đầu tư ..., sắp xếp theo thứ tự ưu tiên về tính khả thi, hiệu quả, khả năng giải ngân" and
to propose capital adjustments. No legal text fixes the scoring, so the criteria are data
(``resources/capital/scoring.json``); here is only the arithmetic:

* a dimension's score is the points earned over the points possible, 0-100;
* the priority is the weighted mean of the dimension scores with the user's weights;
* the rank orders projects by priority (highest first); equal priorities share a rank
  ("1, 2, 2, 4"), and are listed by name.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

DIMENSIONS = ("feasibility", "effectiveness", "disbursement")


@dataclass(frozen=True)
class Criterion:
    code: str
    dimension: str
    name: str
    #: the most points the criterion gives
    points: int
    #: how the points are decided: "" (the officer scores it) or the name of a rule computed
    #: from the records (see ``services/portfolio.py``)
    auto: str = ""
    help: str = ""


def dimension_score(earned: Mapping[str, int], criteria: Iterable[Criterion]) -> float:
    """Points earned on ``criteria`` (missing = 0, capped at each maximum), as 0-100."""
    possible = 0
    got = 0
    for criterion in criteria:
        possible += criterion.points
        got += max(0, min(criterion.points, earned.get(criterion.code, 0)))
    return 100.0 * got / possible if possible else 0.0


def priority(scores: Mapping[str, float], weights: Mapping[str, int]) -> float:
    """Weighted mean of the dimension scores (weights are whole numbers, any scale)."""
    weight_sum = sum(max(0, weights.get(d, 0)) for d in scores)
    if weight_sum == 0:
        return 0.0
    return sum(score * max(0, weights.get(d, 0)) for d, score in scores.items()) / weight_sum


def rank(priorities: Mapping[Hashable, float], names: Mapping[Hashable, str]
         ) -> list[tuple[Hashable, int]]:
    """``[(id, rank)]`` best first; equal priorities (to 0,01 point) share the rank."""
    ordered = sorted(priorities, key=lambda k: (-round(priorities[k], 2), names.get(k, "")))
    result: list[tuple[Hashable, int]] = []
    previous: float | None = None
    current = 0
    for position, key in enumerate(ordered, 1):
        value = round(priorities[key], 2)
        if value != previous:
            current = position
            previous = value
        result.append((key, current))
    return result
