"""The overview's capital section: what money is unspent or unallocated, how the year's
disbursement compares with the on-track line, and what needs attention now."""

from __future__ import annotations

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_number, format_percent
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services.capital import _records as capital
from ctmtqg_desktop.services.capital import _status as capital_status
from ctmtqg_desktop.services.overview import Figure, Section
from ctmtqg_desktop.store.workspace import Workspace

MAX_LINES = 4


def _millions(amount: int) -> str:
    return format_number(amount / 1_000_000)


def _one_of_each_kind(found: list[capital_status.Alert]) -> list[capital_status.Alert]:
    """The most urgent alert of each kind first (a deadline, a shortfall, the pace…), then
    the rest, so that a few lines show the variety of what needs doing."""
    first, rest, kinds = [], [], set()
    for alert in found:
        if alert.kind in kinds or alert.kind == "unallocated":
            rest.append(alert)
        else:
            kinds.add(alert.kind)
            first.append(alert)
    return first + rest


def capital_section(workspace: Workspace) -> Section | None:
    lines = capital.list_lines(workspace)
    if not lines:
        return None
    today = workspace.today()
    year = today.year
    summary = capital_status.year_summary(workspace, year)
    total = summary.total
    unallocated = [line for line in lines if line.figures.unallocated > 0]
    unallocated_state = rules.worst(*(line.unallocated_state for line in unallocated))
    oldest = min((line.unallocated_since for line in unallocated), default=None)
    rate_state = rules.pace_state(total.rate, summary.on_track)
    figures = (
        Figure(_("Assigned in {year} (million đồng)").format(year=str(year)),
               _millions(total.assigned)),
        Figure(_("Allocated in detail (million đồng)"), _millions(total.allocated)),
        Figure(_("Disbursed in {year}; on-track line {track}").format(
            year=str(year), track=format_percent(summary.on_track)),
            format_percent(total.rate or 0), rate_state),
        Figure(_("Forecast by 31/12 at the recent pace"),
               format_percent(summary.forecast.rate or 0), rate_state),
        Figure(_("Not allocated, all years (million đồng)"),
               _millions(sum(line.figures.unallocated for line in unallocated)),
               unallocated_state),
    )
    found = capital_status.alerts(workspace, lines=lines, summary=summary)
    shown = [(a.text, a.state) for a in _one_of_each_kind(found)[:MAX_LINES]]
    if oldest is not None:
        shown.insert(0, (_("Capital has been waiting to be allocated in detail since "
                           "{date}.").format(date=format_date(oldest)),
                         unallocated_state))
        shown = shown[:MAX_LINES]
    if len(found) > len(shown):
        shown.append((_("… and {count} more warnings on the capital page.").format(
            count=format_number(len(found) - len(shown))), rules.NORMAL))
    return Section(_("Capital plans"), "capital", figures, tuple(shown), order=20)
