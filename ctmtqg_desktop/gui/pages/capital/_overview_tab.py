"""The capital page's overview tab: the year's figures by programme and source, the pace chart and
the warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ctmtqg_desktop.domain import capital as rules
from ctmtqg_desktop.domain.formats import format_date, format_percent
from ctmtqg_desktop.gui.lazy_table import DUE_SOON_COLOR, LATE_COLOR
from ctmtqg_desktop.gui.pages.capital._figures import FigureBox
from ctmtqg_desktop.gui.pages.capital._widgets import DisbursementChart, RateBar
from ctmtqg_desktop.gui.tables import (
    CENTER,
    RIGHT,
    Cell,
    StateTable,
    money,
    rate,
)
from ctmtqg_desktop.i18n import _
from ctmtqg_desktop.services import capital

if TYPE_CHECKING:
    from ctmtqg_desktop.gui.pages.capital._page import CapitalPage


def _build_overview(page: CapitalPage) -> QWidget:
    tab = QWidget()
    outer = QVBoxLayout(tab)
    outer.setContentsMargins(8, 8, 8, 8)
    bar = QHBoxLayout()
    page.overview_year_label = QLabel()
    page.overview_year = QComboBox()
    page.overview_year_label.setBuddy(page.overview_year)
    page.overview_program_label = QLabel()
    page.overview_program = QComboBox()
    page.overview_program_label.setBuddy(page.overview_program)
    page.overview_method = QLabel(objectName="muted", wordWrap=True)
    for widget in (page.overview_year_label, page.overview_year,
                   page.overview_program_label, page.overview_program):
        bar.addWidget(widget)
    bar.addWidget(page.overview_method, 1)
    page.overview_export = QPushButton()
    page.overview_export.clicked.connect(
        lambda: page._export_clicked(page.overview_year.currentData()))
    bar.addWidget(page.overview_export)
    outer.addLayout(bar)
    page.overview_year.currentIndexChanged.connect(page.load_overview)
    page.overview_program.currentIndexChanged.connect(page.load_overview)
    scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.NoFrame)
    host = QWidget()
    page.overview_host = host
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    figures = QHBoxLayout()
    page.overview_figures = [FigureBox() for _ in range(5)]
    for box in page.overview_figures:
        figures.addWidget(box, 1)
    layout.addLayout(figures)
    middle = QHBoxLayout()
    bars = QVBoxLayout()
    page.program_bars_box = QGroupBox()
    page.program_bars = QVBoxLayout(page.program_bars_box)
    page.source_bars_box = QGroupBox()
    page.source_bars = QVBoxLayout(page.source_bars_box)
    bars.addWidget(page.program_bars_box)
    bars.addWidget(page.source_bars_box)
    bars.addStretch(1)
    middle.addLayout(bars, 2)
    page.chart = DisbursementChart()
    page.chart.setMinimumHeight(300)
    # top-aligned and at most 400 px: the long list of sources beside it must not stretch the
    # chart below the fold, where its month labels were cut off at 1366x768
    page.chart.setMaximumHeight(400)
    middle.addWidget(page.chart, 3, Qt.AlignmentFlag.AlignTop)
    layout.addLayout(middle)
    lower = QHBoxLayout()
    page.project_box = QGroupBox()
    project_layout = QVBoxLayout(page.project_box)
    page.project_rates = StateTable(stretch=0)
    page.project_rates.setMinimumHeight(220)
    project_layout.addWidget(page.project_rates)
    page.alert_box = QGroupBox()
    alert_layout = QVBoxLayout(page.alert_box)
    page.alert_list = QListWidget()
    page.alert_list.setWordWrap(True)
    page.alert_list.setMinimumHeight(220)
    alert_layout.addWidget(page.alert_list)
    lower.addWidget(page.project_box, 3)
    lower.addWidget(page.alert_box, 2)
    layout.addLayout(lower)
    scroll.setWidget(host)
    outer.addWidget(scroll, 1)
    return tab


# -- disbursement overview ----------------------------------------------------------
def load_overview(page: CapitalPage, *_args) -> None:
    if not page.loaded:
        return
    workspace = page.workspace
    year = page.overview_year.currentData()
    program_id = page.overview_program.currentData()
    page.loading = True

    def load():
        return (capital.year_summary(workspace, year, program_id=program_id),
                capital.alerts(workspace))

    page.context.runner.run(load, on_done=page._overview_loaded, on_error=page._failed)


def _overview_loaded(page: CapitalPage, result) -> None:
    summary, alerts = result
    total = summary.total
    pace = rules.pace_state(total.rate, summary.on_track) if summary.today.year <= \
        summary.year else rules.NORMAL
    unallocated_state = rules.worst(*(line.unallocated_state for line in summary.lines
                                      if line.figures.unallocated > 0))
    boxes = [
        (_("Assigned (đồng)"), money(total.assigned), "normal"),
        (_("Allocated in detail (đồng)"), money(total.allocated), "normal"),
        (_("Not allocated (đồng)"), money(total.unallocated), unallocated_state),
        (_("Disbursed, on-track line {track}").format(
            track=format_percent(summary.on_track)), rate(total.rate) or "0,0%", pace),
        (_("Forecast by 31/12"), rate(summary.forecast.rate) or "0,0%", pace),
    ]
    for box, (caption, value, state) in zip(page.overview_figures, boxes):
        box.show_figure(caption, value, state)
    for layout, groups in ((page.program_bars, summary.by_program),
                           (page.source_bars, summary.by_source)):
        while layout.count():
            item = layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for group in groups:
            bar = RateBar()
            detail = _("{disbursed} of {assigned} đồng; forecast {forecast}").format(
                disbursed=money(group.figures.disbursed),
                assigned=money(group.figures.assigned),
                forecast=rate(group.forecast.rate) or "0,0%")
            bar.set_values(group.label, group.figures.rate, summary.on_track,
                           group.rate_state, detail)
            layout.addWidget(bar)
        if not groups:
            layout.addWidget(QLabel(_("No capital plan line in this year yet."),
                                    objectName="muted"))
        layout.activate()
    # the new bars change the host's minimum height: lay it out now, not at the next
    # event, so that a bar is never drawn over another
    page.overview_host.layout().activate()
    page.overview_host.updateGeometry()
    today_fraction = summary.on_track if summary.today.year == summary.year else (
        1.0 if summary.today.year > summary.year else 0.0)
    page.chart.set_data(year=summary.year, assigned=total.assigned,
                        monthly=list(summary.monthly), today_fraction=today_fraction,
                        forecast_rate=summary.forecast.rate)
    projects = list(summary.by_project)
    page.project_rates.fill(
        [_("Project, work"), _("Programme"), _("Allocated"), _("Disbursed"), _("Rate"),
         _("Last payment")],
        [[Cell(p.name), Cell(p.program_label), Cell(money(p.allocated), RIGHT),
          Cell(money(p.disbursed), RIGHT), Cell(rate(p.rate), RIGHT),
          Cell(format_date(p.last_payment), CENTER)] for p in projects],
        keys=[p.project_id for p in projects], states=[p.state for p in projects])
    # one programme for every project (from 2026 there is one): its column says nothing the
    # filter above does not, and its width goes to the projects' names
    page.project_rates.setColumnHidden(1, len({p.program_label for p in projects}) <= 1)
    page.alert_list.clear()
    for alert in alerts:
        item = QListWidgetItem(alert.text)
        item.setForeground(LATE_COLOR if alert.state == rules.LATE else DUE_SOON_COLOR)
        item.setData(Qt.UserRole, alert.line_id)
        page.alert_list.addItem(item)
    if not alerts:
        page.alert_list.addItem(_("No warnings."))
    page.loading = False
