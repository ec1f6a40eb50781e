"""Demo steps: a few hundred beneficiary households across the demo villages, the support
they received (with a few households supported twice), and a dossier for most projects, in
several states (just started, with warnings, nearly complete, settled and locked).

Everything is drawn from the seeded generator, so the demo is the same on every run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import struct
import zlib

from ctmtqg_desktop.domain.dossier_templates import TemplateSpec
from ctmtqg_desktop.domain.forms import check_form
from ctmtqg_desktop.domain.text import fold
from ctmtqg_desktop.services import attachments
from ctmtqg_desktop.services.demo import DemoContext, demo_step
from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.codec import canonical_json
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.dossiers import (
    Dossier,
    DossierDocument,
    DossierTemplate,
    Household,
    HouseholdSupport,
)

HOUSEHOLDS_FILE = "households-23524.json"
DOSSIERS_FILE = "dossiers-23524.json"


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


@demo_step(30)
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


@demo_step(35)
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
def _scan_png(seed: int) -> bytes:
    """A small grey "scanned page" (text lines drawn as bars), made without any image
    library so that the demo has images to show as thumbnails."""
    width, height = 120, 170
    rows = []
    for y in range(height):
        line = bytearray([0])  # filter: none
        for x in range(width):
            ink = 10 <= x < 110 and 20 <= y < 160 and (y // 6) % 2 == 0 and \
                (x + seed * 7 + y) % 97 > 8 and not (y // 6 == 3 and x > 70)
            line.append(70 if ink else 246)
        rows.append(bytes(line))

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (struct.pack(">I", len(payload)) + kind + payload
                + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _shipped_specs(context: DemoContext) -> dict[str, tuple[TemplateSpec, str]]:
    """The shipped templates, installed through the demo's own session (one transaction)."""
    specs = {}
    for path in sorted(dossier_templates.shipped_templates_dir().glob("*.yaml")):
        spec, text = dossier_templates.read_template_file(path)
        context.session.add(DossierTemplate(
            id=spec.key, code=spec.code, version=spec.version, province=spec.province,
            kind=spec.kind, title=spec.title, confidence=spec.confidence,
            source_name=path.name, origin="shipped", content=text,
            digest=hashlib.sha256(text.encode("utf-8")).hexdigest(), installed_at=utc_now()))
        specs[spec.kind] = (spec, spec.key)
    context.session.flush()
    return specs


class _DossierMaker:
    def __init__(self, context: DemoContext, specs) -> None:
        self.context = context
        self.specs = specs
        self.store = attachments.attachment_store(context.workspace)
        self.scans = 0

    def make(self, project_name: str, *, stage: str, started: dt.date,
             statuses: dict[str, str], forms: dict[str, dict] | None = None,
             locked_on: dt.date | None = None) -> Dossier:
        context = self.context
        project = context.shared["projects"][project_name]
        spec, template_id = self.specs[project.kind]
        dossier = Dossier(id=context.new_id(), project_id=project.id, template_id=template_id,
                          started_on=started, current_stage=stage, locked=locked_on is not None,
                          locked_on=locked_on, note="")
        context.session.add(dossier)
        context.session.flush()
        forms = forms or {}
        day = started
        for document in spec.documents:
            status = statuses.get(document.code, "missing")
            row = DossierDocument(id=context.new_id(), dossier_id=dossier.id,
                                  document_code=document.code, status=status)
            if status in ("signed", "scanned"):
                day = min(day + dt.timedelta(days=context.rng.randrange(3, 12)), context.today)
                row.document_date = day
                row.signed_on = day
                role = document.signed_by.split(";")[0].strip()
                row.signer = self.context.shared["people"]["chairman"] if "Chủ tịch" in role \
                    else role
            if document.code in forms and document.form is not None:
                values, problems = check_form(document.form, forms[document.code])
                if problems:  # the demo's own data must satisfy the template
                    raise ValueError(f"demo form {document.code}: {problems}")
                row.form_values = canonical_json(values)
            context.session.add(row)
            if status == "scanned":
                self._scan(row, document.name)
        return dossier

    def _scan(self, row: DossierDocument, name: str) -> None:
        self.scans += 1
        stored = self.store.add_bytes(_scan_png(self.scans), name=f"ban-quet-{self.scans:02d}.png")
        self.context.session.add(Attachment(
            id=self.context.new_id(), parent_table="dossier_document", parent_id=row.id,
            digest=stored.digest, original_name=stored.original_name,
            media_type=stored.media_type, size=stored.size, caption=name))


@demo_step(40)
def add_dossiers(context: DemoContext) -> None:
    """The dossiers of ``resources/demo/dossiers-23524.json``: one per kind of project, in
    several states (settled and locked, nearly complete, under way, with a gap, just
    started); the project "Hỗ trợ nhà ở … năm 2023" is left without one."""
    specs = _shipped_specs(context)
    make = _DossierMaker(context, specs).make
    supported = {f"@supported:{name}": [str(h.id) for h in chosen]
                 for name, chosen in context.shared["supported"].items()}
    data = json.loads(context.resource(DOSSIERS_FILE).read_text(encoding="utf-8"))
    for item in data["dossiers"]:
        forms = {code: {key: supported.get(value, value) if isinstance(value, str) else value
                        for key, value in values.items()}
                 for code, values in item.get("forms", {}).items()}
        make(item["project"], stage=item["stage"],
             started=dt.date.fromisoformat(item["started"]), statuses=item["statuses"],
             forms=forms, locked_on=dt.date.fromisoformat(item["locked_on"])
             if item.get("locked_on") else None)
