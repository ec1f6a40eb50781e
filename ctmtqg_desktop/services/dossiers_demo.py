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
from ctmtqg_desktop.services import attachments, dossier_templates
from ctmtqg_desktop.services.demo import DemoContext, demo_step
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
    specs = _shipped_specs(context)
    make = _DossierMaker(context, specs).make
    supported = context.shared["supported"]
    ids = {name: [str(h.id) for h in chosen] for name, chosen in supported.items()}

    # Settled and locked: last year's training class, every document signed or scanned.
    training = specs["training"][0]
    make("Tập huấn nâng cao năng lực cho cán bộ thôn, làng và cộng đồng triển khai Chương trình",
         stage="settlement", started=dt.date(2023, 3, 1),
         statuses={d.code: ("scanned" if d.code in ("attendance", "settlement_report")
                            else "signed") for d in training.documents if d.required},
         forms={"plan": {"topic": "Quy trình lập hồ sơ dự án hỗ trợ phát triển sản xuất cộng đồng",
                         "participants": "60", "place": "Hội trường UBND xã Đắk La",
                         "start_date": "12/04/2023", "end_date": "13/04/2023",
                         "budget": "38.400.000",
                         "signers": {"TM. Ủy ban nhân dân - Chủ tịch": "Nguyễn Văn Hải"}},
                "result_report": {"attended": "58", "women": "21", "minority": "37",
                                  "spent": "37.950.000",
                                  "assessment": "Học viên nắm được trình tự lập hồ sơ; cần tập "
                                                "huấn thêm về quyết toán.",
                                  "signers": {"TM. Ủy ban nhân dân - Chủ tịch": "Nguyễn Văn Hải"}}},
         locked_on=dt.date(2023, 6, 30))

    # Nearly complete: the cultural house, being accepted.
    make("Nhà văn hóa thôn 7", stage="acceptance", started=dt.date(2023, 2, 10),
         statuses={**{code: "signed" for code in (
             "village_minutes", "appraisal_report", "approval_decision", "assignment_contract",
             "supervision_board", "supervision_diary")}, "simplified_dossier": "scanned",
             "completion_acceptance": "drafting"},
         forms={"approval_decision": {
             "work_name": "Nhà văn hóa thôn 7", "location": "Thôn 7, xã Đắk La",
             "scale": "Nhà cấp IV, diện tích 120 m², theo thiết kế mẫu của tỉnh",
             "total_investment": "1.150.000.000", "state_budget": "1.050.000.000",
             "community": "100.000.000", "start_date": "20/03/2023", "end_date": "31/08/2023",
             "signers": {"TM. Ủy ban nhân dân - Chủ tịch": "Nguyễn Văn Hải"}},
             "completion_acceptance": {
                 "acceptance_date": "12/10/2023", "volume": "Hoàn thành 100% khối lượng theo "
                 "hồ sơ được duyệt.", "value": "1.142.500.000", "quality": "Đạt yêu cầu"}})

    # Under way, in order: the concrete road from thôn 4 to thôn 5.
    make("Bê tông hóa đường giao thông nông thôn từ thôn 4 đi thôn 5", stage="implementation",
         started=dt.date(2023, 3, 1),
         statuses={"village_minutes": "signed", "simplified_dossier": "scanned",
                   "appraisal_report": "signed", "approval_decision": "scanned",
                   "assignment_contract": "signed", "supervision_board": "signed",
                   "supervision_diary": "drafting"},
         forms={"village_minutes": {
             "meeting_date": "02/03/2023", "chair": "Lê Văn Thắng", "secretary": "Phạm Thị Mai",
             "attendees": "148", "agreed": "141", "labour_days": "720", "cash": "45.000.000",
             "land": "1.350", "signers": {"Thư ký": "Phạm Thị Mai",
                                          "Chủ trì cuộc họp": "Lê Văn Thắng"}}})

    # Under way with a gap: the contract is signed but the appraisal report is missing.
    make("Đường giao thông nội làng Kon Mong Tu", stage="implementation",
         started=dt.date(2023, 4, 3),
         statuses={"village_minutes": "signed", "simplified_dossier": "signed",
                   "approval_decision": "signed", "assignment_contract": "signed"})

    # Just started: the irrigation canal of thôn 2.
    make("Kiên cố hóa kênh mương nội đồng thôn 2", stage="preparation",
         started=dt.date(2023, 10, 2), statuses={"village_minutes": "drafting"},
         forms={"village_minutes": {"meeting_date": "09/10/2023", "chair": "Trần Văn Lâm",
                                    "secretary": "Đỗ Thị Hằng", "attendees": "92",
                                    "agreed": "90", "labour_days": "400"}})

    # Cattle for Đăk Lấp: forms filled, households listed, materials handed over.
    cattle = "Dự án hỗ trợ phát triển sản xuất cộng đồng: nuôi bò sinh sản làng Đăk Lấp"
    make(cattle, stage="implementation", started=dt.date(2023, 5, 8),
         statuses={"proposal": "signed", "village_minutes": "scanned",
                   "household_list": "signed", "status_proof": "scanned",
                   "project_plan": "signed", "appraisal": "signed",
                   "approval_decision": "signed", "contract": "signed",
                   "handover_materials": "drafting"},
         forms={"proposal": {
             "group_name": "Tổ hợp tác chăn nuôi bò làng Đăk Lấp", "representative": "A Blứt",
             "members": "25", "activity": "Chăn nuôi bò sinh sản",
             "total_amount": "475.000.000", "state_support": "412.500.000",
             "household_share": "62.500.000",
             "signers": {"Đại diện tổ nhóm": "A Blứt", "Xác nhận của UBND xã": "Nguyễn Văn Hải"}},
             "household_list": {"households": ids[cattle],
                                "signers": {"Người lập": "Y Thị Hoa", "Trưởng thôn": "A Dơn"}},
             "project_plan": {
                 "objective": "Tăng thu nhập cho 25 hộ nghèo, cận nghèo người Ba Na (Rơ Ngao) "
                              "bằng chăn nuôi bò sinh sản; quay vòng bê con cho hộ khác.",
                 "scale": "25 con bò cái sinh sản giống lai Sind", "total_amount": "475.000.000",
                 "state_support": "412.500.000", "household_share": "62.500.000",
                 "start_date": "01/07/2023", "end_date": "30/06/2025", "revolving": "Có"},
             "approval_decision": {
                 "project_name": "Hỗ trợ phát triển sản xuất cộng đồng: nuôi bò sinh sản làng "
                                 "Đăk Lấp", "group_name": "Tổ hợp tác chăn nuôi bò làng Đăk Lấp",
                 "households": "25", "total_amount": "475.000.000",
                 "state_support": "412.500.000", "household_share": "62.500.000",
                 "start_date": "01/07/2023", "end_date": "30/06/2025",
                 "signers": {"TM. Ủy ban nhân dân - Chủ tịch": "Nguyễn Văn Hải"}},
             "handover_materials": {"handover_date": "10/08/2023",
                                    "items": "25 con bò cái giống lai Sind, 12-15 tháng tuổi",
                                    "value": "412.500.000", "households": ids[cattle]}})

    # Coffee for thôn 6: only the proposal so far.
    make("Dự án hỗ trợ phát triển sản xuất: trồng cà phê xen cây ăn quả thôn 6",
         stage="preparation", started=dt.date(2023, 9, 18),
         statuses={"proposal": "drafting", "village_minutes": "signed"},
         forms={"proposal": {"group_name": "Nhóm hộ trồng cà phê thôn 6",
                             "representative": "Nguyễn Văn Bình", "members": "18",
                             "activity": "Trồng cà phê", "total_amount": "198.000.000",
                             "state_support": "165.600.000"}})

    # Housing for Kon Gung: approved, houses being built.
    housing = "Hỗ trợ nhà ở cho hộ nghèo đồng bào dân tộc thiểu số làng Kon Gung"
    make(housing, stage="implementation", started=dt.date(2023, 4, 17),
         statuses={"application": "scanned", "review_minutes": "signed",
                   "commune_list": "signed", "approval_decision": "scanned",
                   "commitment": "drafting"},
         forms={"review_minutes": {"meeting_date": "20/04/2023", "attendees": "71",
                                   "households": ids[housing],
                                   "signers": {"Thư ký": "Y Nhẻo", "Chủ trì cuộc họp": "A Thiết"}},
                "commune_list": {"households": ids[housing], "total_amount": "480.000.000",
                                 "signers": {"Người lập": "Y Thị Hoa",
                                             "TM. Ủy ban nhân dân - Chủ tịch": "Nguyễn Văn Hải"}}})

    # Communication: the plan is signed, the campaign runs, the approval is missing.
    make("Truyền thông về giảm nghèo đa chiều năm 2023", stage="implementation",
         started=dt.date(2023, 6, 1), statuses={"plan": "signed", "cost_estimate": "signed",
                                                "participants": "drafting"},
         forms={"plan": {"theme": "Giảm nghèo đa chiều và chính sách hỗ trợ hộ nghèo năm 2023",
                         "channel": "Hội nghị tại thôn", "audience": "850",
                         "budget": "24.000.000", "start_date": "15/06/2023",
                         "end_date": "30/11/2023",
                         "signers": {"TM. Ủy ban nhân dân - Chủ tịch": "Nguyễn Văn Hải"}}})
    # "Hỗ trợ nhà ở cho hộ nghèo, hộ cận nghèo năm 2023" has no dossier yet: the page offers it.
