"""Demo steps: a few hundred beneficiary households across the demo villages and the support
they received (with a few households supported twice).

Everything is drawn from the seeded generator, so the demo is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import json

from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.store.models.dossiers import Household, HouseholdSupport

HOUSEHOLDS_FILE = "households-23524.json"


def _weighted(rng, weights: dict[str, int]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ethnicities(village) -> list[str]:
    groups = []
    for part in village.ethnic_groups.split(","):
        part = part.strip()
        groups.append("Ba Na" if part.startswith("Ba Na") else part)
    return [g for g in groups if g] or ["Kinh"]


def _name(rng, names: dict, ethnicity: str, female: bool) -> str:
    if ethnicity in ("Xơ Đăng", "Ba Na"):
        table = names[ethnicity]
        return f"{table['female_prefix' if female else 'male_prefix']} {rng.choice(table['given'])}"
    table = names["Kinh"]
    middle = rng.choice(table["female_middle" if female else "male_middle"])
    given = rng.choice(table["female_given" if female else "male_given"])
    return f"{rng.choice(table['family'])} {middle} {given}"


def _id_number(rng, female: bool, birth_year: int, used: set[str]) -> str:
    """A made-up 12-digit number in the CCCD shape: province 062, sex and century, year."""
    while True:
        century = 0 if birth_year < 2000 else 2
        number = f"062{century + female}{birth_year % 100:02d}{rng.randrange(10**6):06d}"
        if number not in used:
            used.add(number)
            return number


def add_households(context: DemoContext) -> None:
    data = json.loads(context.resource(HOUSEHOLDS_FILE).read_text(encoding="utf-8"))
    rng = context.rng
    villages = {v.name: v for v in context.shared["villages"]}
    context.shared["people"] = data["people"]
    used: set[str] = set()
    by_village: dict[str, list[Household]] = {}
    for village_name, count in data["beneficiaries_per_village"].items():
        village = villages[village_name]
        choices = _ethnicities(village)
        for _index in range(count):
            ethnicity = rng.choice(choices)
            minority = ethnicity != "Kinh"
            female = rng.random() < 0.3
            birth_year = rng.randrange(1952, 2001)
            head = _name(rng, data["names"], ethnicity, female)
            status = _weighted(rng, data["status_weights"]["minority" if minority else "kinh"])
            household = Household(
                id=context.new_id(), head_name=head, head_name_folded=fold(head),
                id_number=_id_number(rng, female, birth_year, used), birth_year=birth_year,
                village_id=village.id, ethnicity=ethnicity, poverty_status=status,
                ethnic_minority=minority, members=rng.randrange(2, 9), note="")
            context.session.add(household)
            by_village.setdefault(village_name, []).append(household)
    context.shared["households"] = by_village


def _pick(rng, households: list[Household], count: int, *statuses: str) -> list[Household]:
    pool = [h for h in households if h.poverty_status in statuses] or households
    return rng.sample(pool, min(count, len(pool)))


def add_supports(context: DemoContext) -> None:
    """What the 2023 projects gave to whom; two households of Kon Gung also got housing from
    the poverty programme (the duplicate the commune must explain)."""
    rng = context.rng
    projects = context.shared["projects"]
    households = context.shared["households"]
    plan = {}

    def give(project_name: str, chosen: list[Household], content: str, amount: int,
             day: dt.date) -> None:
        project = projects[project_name]
        for household in chosen:
            context.session.add(HouseholdSupport(
                id=context.new_id(), household_id=household.id, project_id=project.id,
                content=content, amount=amount, received_on=day, note=""))
        plan[project_name] = chosen

    kon_gung = _pick(rng, households["Làng Kon Gung"], 12, "poor")
    give("Hỗ trợ nhà ở cho hộ nghèo đồng bào dân tộc thiểu số làng Kon Gung", kon_gung,
         "housing_new", 40_000_000, dt.date(2023, 7, 20))
    cattle = _pick(rng, households["Làng Đăk Lấp"], 25, "poor", "near_poor")
    give("Dự án hỗ trợ phát triển sản xuất cộng đồng: nuôi bò sinh sản làng Đăk Lấp", cattle,
         "livestock", 16_500_000, dt.date(2023, 8, 10))
    coffee = _pick(rng, households["Thôn 6"], 18, "poor", "near_poor", "recently_out")
    give("Dự án hỗ trợ phát triển sản xuất: trồng cà phê xen cây ăn quả thôn 6", coffee,
         "seedlings", 9_200_000, dt.date(2023, 9, 5))
    others = [h for name in ("Thôn 2", "Thôn 7", "Làng Kon Mong Tu") for h in households[name]]
    poverty_housing = _pick(rng, others, 4, "poor", "near_poor") + kon_gung[:2]
    give("Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023", poverty_housing, "housing_repair",
         20_000_000, dt.date(2023, 10, 2))
    context.shared["supported"] = plan


# ---------------------------------------------------------------------------- dossiers
