"""The GUI fixtures of ``tests/gui`` and the parent's ``network``, for the archive area."""

from tests.gui.conftest import (  # noqa: F401  (fixtures)
    fresh_gui_settings,
    qapp_cls,
    styled_app,
    window,
)
from tests.parent.conftest import network  # noqa: F401  (fixture)


def two_communes(net, seed: str):
    """The district of Đắk Hà on 10/07/2023 with two enrolled communes (A and B), each with
    its own demo-like records (``seed`` keeps their ids apart between tests)."""
    import datetime as dt

    from tests.parent.conftest import fill, set_today
    from tests.sync.conftest import COMMUNE_A, COMMUNE_B, PARENT

    parent = net.parent(PARENT, "Phòng Tài chính - Kế hoạch huyện Đắk Hà")
    set_today(parent, dt.date(2023, 7, 10))
    a = net.enroll(parent, COMMUNE_A, "Y Thị Hoa", sqlite=True)
    b = net.enroll(parent, COMMUNE_B, "A Tuấn", sqlite=True)
    for part, commune in (("a", a), ("b", b)):
        set_today(commune, dt.date(2023, 7, 10))
        fill(commune, f"{seed}-{part}")
    return parent, a, b
