"""Demo step: a dossier for most projects, in several states (just started, with warnings,
nearly complete, settled and locked), for the households the households area's demo
supported (``context.shared["supported"]``).

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
from ctmtqg_desktop.services import attachments
from ctmtqg_desktop.services.demo import DemoContext
from ctmtqg_desktop.services.dossiers import _templates as dossier_templates
from ctmtqg_desktop.store.base import utc_now
from ctmtqg_desktop.store.codec import canonical_json
from ctmtqg_desktop.store.models.attachments import Attachment
from ctmtqg_desktop.store.models.dossiers import Dossier, DossierDocument, DossierTemplate

DOSSIERS_FILE = "dossiers-23524.json"


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
