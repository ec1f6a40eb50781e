"""The areas of the application, in one list: ``AREAS``.

Adding an area is adding its package (``services/<area>/`` with its ``AREA``) and one line
here; its pages and commands are listed by the GUI (``gui/pages/__init__.py``) and the CLI
(``cli/__init__.py``), which this layer cannot import. The order is the order of the report
list and breaks ties between overview cards of the same ``order``.

Read it through :func:`ctmtqg_desktop.services.area.installed` (and the walks beside it).
"""

from ctmtqg_desktop.services import (
    activities,
    archive,
    capital,
    catalog,
    difficulties,
    dossiers,
    handbook,
    history,
    households,
    parent,
    projects,
    report_forms,
    sync,
    tasks,
    villages,
    workspaces,
)
from ctmtqg_desktop.services.area import Area

AREAS: tuple[Area, ...] = (
    workspaces.AREA,
    catalog.AREA,
    villages.AREA,
    tasks.AREA,
    difficulties.AREA,
    dossiers.AREA,
    households.AREA,
    capital.AREA,
    projects.AREA,
    activities.AREA,
    handbook.AREA,
    sync.AREA,
    parent.AREA,
    report_forms.AREA,
    archive.AREA,
    history.AREA,
)
