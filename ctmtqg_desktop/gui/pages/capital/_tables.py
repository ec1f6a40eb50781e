"""Table helpers shared by the capital and projects pages: small fixed tables filled from
plain rows (with the late / due-soon colours), and the lazy sources of the growing lists."""

from __future__ import annotations

from ctmtqg_desktop.domain.formats import format_date
from ctmtqg_desktop.gui.lazy_table import LazyColumn
from ctmtqg_desktop.gui.tables import CENTER, RIGHT, money, rate, short_program
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital


# ---------------------------------------------------------------------------- lazy sources
class LineSource:
    """The capital plan lines for :class:`LazyTableModel`: ids filtered and sorted in SQL."""

    def __init__(self, page) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        def state(line: capital.LineInfo) -> str:
            return line.state

        def tip(line: capital.LineInfo) -> str:
            f = line.figures
            return "\n".join((line.label, _("Assigned") + ": " + money(f.assigned),
                              _("Allocated in detail") + ": " + money(f.allocated),
                              _("Not allocated") + ": " + money(f.unallocated),
                              _("Disbursed") + ": " + money(f.disbursed)))

        self.columns = [
            LazyColumn(_("Programme, kind"), lambda r: short_program(r.program_label) + " · "
                       + capital.short_kind(r.capital_kind, r.kind_name).removeprefix("vốn "),
                       "program", state=state, tooltip=tip),
            LazyColumn(_("Capital source"),
                       lambda r: capital.short_source(r.source, r.source_name), "source",
                       state=state, tooltip=tip),
            LazyColumn(_("Assigned"), lambda r: money(r.figures.assigned), "assigned", RIGHT,
                       state=state, tooltip=tip),
            LazyColumn(_("Not allocated"), lambda r: money(r.figures.unallocated),
                       "unallocated", RIGHT, state=state, tooltip=tip),
            LazyColumn(_("Disbursed"), lambda r: money(r.figures.disbursed), "disbursed",
                       RIGHT, state=state, tooltip=tip),
            LazyColumn(_("Rate"), lambda r: rate(r.figures.rate), "rate", RIGHT, state=state,
                       tooltip=tip),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        return capital.line_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        return capital.lines_by_id(self.page.workspace, ids)


class PaymentSource:
    """Payments of the selected line (or allocation), newest first, for a lazy table."""

    def __init__(self, page) -> None:
        self.page = page
        self.columns: list[LazyColumn] = []
        self.retranslate()

    def retranslate(self) -> None:
        self.columns = [
            LazyColumn(_("Date"), lambda r: format_date(r.paid_on), "paid_on", CENTER),
            LazyColumn(_("Project"), lambda r: r.project_name, "project",
                       tooltip=lambda r: r.project_name),
            LazyColumn(_("Amount (đồng)"), lambda r: money(r.amount), "amount", RIGHT),
            LazyColumn(_("Voucher"), lambda r: r.voucher, "voucher"),
        ]

    def ids(self, query: dict, sort_key: str | None, descending: bool) -> list:
        if not query.get("line_id") and not query.get("project_id"):
            return []
        return capital.payment_ids(self.page.workspace, query, sort_key, descending)

    def rows(self, ids: list) -> dict:
        return capital.payments_by_id(self.page.workspace, ids)


