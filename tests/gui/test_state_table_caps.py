"""StateTable.fill(caps=...): the columns capped before the rows are wrapped, once, at the
final widths; the same table as fill() then cap_columns(), which wraps the rows twice (the
projects page's overlap review: 1,133 pairs, issue 17)."""

from ctmtqg_desktop.gui.tables import Cell, StateTable


class CountingTable(StateTable):
    def __init__(self) -> None:
        super().__init__(stretch=2)
        self.setWordWrap(True)
        self.wraps = 0
        self.resize(900, 400)

    def resizeRowsToContents(self) -> None:  # noqa: N802 (Qt API)
        self.wraps += 1
        super().resizeRowsToContents()


ROWS = [[Cell("Bê tông hóa đường giao thông nội làng Kon Mong Tu " * (1 + i % 3)),
         Cell("CTMTQG NTM"), Cell("Số hộ được hỗ trợ cùng nội dung ở cả hai dự án " * (i % 4))]
        for i in range(40)]


def test_caps_wrap_the_rows_once_at_the_final_widths(qtbot):
    once, twice = CountingTable(), CountingTable()
    for table in (once, twice):
        qtbot.addWidget(table)
        table.show()
    once.fill(["Dự án", "Chương trình", "Lý do"], ROWS, caps={0: 230, 1: 60})
    twice.fill(["Dự án", "Chương trình", "Lý do"], ROWS)
    twice.cap_columns({0: 230, 1: 60})
    assert once.wraps == 1 and twice.wraps == 2
    header_once, header_twice = once.horizontalHeader(), twice.horizontalHeader()
    assert [header_once.sectionSize(c) for c in range(3)] == \
        [header_twice.sectionSize(c) for c in range(3)]
    assert header_once.sectionSize(0) == 230
    heights = [once.rowHeight(r) for r in range(len(ROWS))]
    assert heights == [twice.rowHeight(r) for r in range(len(ROWS))]
    assert max(heights) > min(heights)  # the long names did wrap
