"""Printed forms read back from the PDF; the dossier report read back from xlsx and PDF; the
dossier commands on the demo."""

import re
import subprocess

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ctmtqg_desktop.cli import main
from ctmtqg_desktop.domain.money import amount_in_words
from ctmtqg_desktop.services import dossiers, households
from ctmtqg_desktop.services.dossiers import _print as dossier_print
from ctmtqg_desktop.services.dossiers import _records as dossiers_records


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def dossier_named(workspace, fragment):
    return next(s for s in dossiers.list_dossiers(workspace) if fragment in s.project_name)


def document(workspace, fragment, code):
    detail = dossiers.get_dossier(workspace, dossier_named(workspace, fragment).id)
    return next(line for line in detail.documents if line.code == code)


def test_a_filled_form_prints_header_values_amounts_in_words_and_signers(demo_workspace,
                                                                          tmp_path):
    line = document(demo_workspace, "nuôi bò", "approval_decision")
    dossiers.update_document(demo_workspace, line.id, status="signed",
                             document_date=demo_workspace.today().replace(month=6, day=5))
    out = dossier_print.print_form(demo_workspace, line.id, tmp_path / "qd.pdf")
    text = flat(pdf_text(out))
    for expected in ("ỦY BAN NHÂN DÂN HUYỆN ĐẮK HÀ", "UBND XÃ ĐẮK LA",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Đắk La, ngày 05 tháng 6 năm 2023",
                     "QUYẾT ĐỊNH", "Phê duyệt dự án hỗ trợ phát triển sản xuất cộng đồng",
                     "QĐ-UBND", "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐẮK LA",
                     "Tổ hợp tác chăn nuôi bò làng Đăk Lấp", "Tổng kinh phí: 475.000.000 đồng",
                     "Bằng chữ: Bốn trăm bảy mươi lăm triệu đồng",
                     "Bằng chữ: Bốn trăm mười hai triệu năm trăm nghìn đồng",
                     "Thời gian kết thúc: 30/06/2025", "Nguyễn Văn Hải"):
        assert expected in text, expected
    assert amount_in_words(62_500_000) in text
    # Nghị định 30: the chairman signs his own decision "CHỦ TỊCH" (no "TM.", no hint),
    # with "Nơi nhận" beside it; each ground on its own line, ";" then "." at the last
    assert "TM. ỦY BAN NHÂN DÂN" not in text and "(Ký, ghi rõ họ tên)" not in text
    assert "Nơi nhận: - UBND huyện Đắk Hà (b/c); - Lưu: VT. CHỦ TỊCH Nguyễn Văn Hải" in text
    lines = [line.strip() for line in pdf_text(out).splitlines()]
    assert "Căn cứ Luật Tổ chức chính quyền địa phương;" in lines
    assert any(line.startswith("Căn cứ Nghị định số 27/2022/NĐ-CP") for line in lines)
    assert "Xét đề nghị của tổ nhóm và kết quả thẩm định." in lines


def test_a_blank_record_leaves_time_place_chair_secretary_participants_to_fill(
        demo_workspace, tmp_path):
    out = dossier_print.print_blank_form(demo_workspace, "production_support.62@2",
                                         "handover_materials", tmp_path / "bb.pdf")
    text = flat(pdf_text(out))
    for label in ("Hôm nay, vào lúc ….. giờ ….. phút, ngày ..... tháng ..... năm .......",
                  "Thành phần tham dự:", "- Chủ trì: …", "- Thư ký: …", "- Người tham dự: …",
                  "Biên bản kết thúc vào lúc ….. giờ ….. phút", "BÊN GIAO",
                  "(Ký, ghi rõ họ tên)"):
        assert label in text, label
    assert text.index("Hôm nay") < text.index("Thành phần tham dự:") < text.index(
        "Nội dung:") < text.index("Biên bản kết thúc")


MINUTES = {"meeting_date": "14/03/2023", "start_time": "8h30", "end_time": "10:15",
           "place": "Nhà rông làng Kon Mong Tu", "chair": "A Thuận",
           "chair_position": "Trưởng thôn Kon Mong Tu", "secretary": "Y Hoa",
           "secretary_position": "Bí thư Chi đoàn thôn",
           "participants": "Nguyễn Văn Hải, Chủ tịch UBND xã Đắk La\n"
                           "A Nhâm, Trưởng ban giám sát đầu tư của cộng đồng\n"
                           "Đại diện 42 hộ dân trong thôn",
           "attendees": "42", "agreed": "40", "labour_days": "120",
           "signers": {"Thư ký": "", "Chủ trì cuộc họp": ""}}


def pdftotext(path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True)
    return [" ".join(line.split()) for line in done.stdout.splitlines() if line.strip()]


def test_a_filled_record_prints_time_place_chair_secretary_and_participants_once(
        demo_workspace, tmp_path):
    """Nghị định 30/2020/NĐ-CP, mẫu biên bản: the opening with the time and the place, those
    present (chair and secretary with their positions, each participant on a line), the
    closing time, the secretary's and the chair's signatures; read back with pdftotext."""
    summary = dossier_named(demo_workspace, "Kon Mong Tu")
    detail = dossiers.get_dossier(demo_workspace, summary.id)
    assert detail.summary.template_id == "construction_special.62@2"
    line = next(d for d in detail.documents if d.code == "village_minutes")
    stored = dossiers.save_form(demo_workspace, line.id, MINUTES)
    assert (stored["start_time"], stored["end_time"]) == ("08:30", "10:15")
    out = dossier_print.print_form(demo_workspace, line.id, tmp_path / "bien-ban.pdf")
    lines = pdftotext(out)
    text = " ".join(lines)
    assert ("Hôm nay, vào lúc 08 giờ 30 phút, ngày 14 tháng 3 năm 2023, tại Nhà rông làng "
            "Kon Mong Tu.") in text
    assert "Thành phần tham dự:" in lines
    assert "- Chủ trì: A Thuận, Trưởng thôn Kon Mong Tu;" in lines
    assert "- Thư ký: Y Hoa, Bí thư Chi đoàn thôn;" in lines
    assert "+ Nguyễn Văn Hải, Chủ tịch UBND xã Đắk La;" in lines
    assert "+ Đại diện 42 hộ dân trong thôn;" in lines
    assert "Biên bản kết thúc vào lúc 10 giờ 15 phút cùng ngày" in text
    # printed once: the body does not repeat the chair, the secretary or the opening
    assert text.count("Chủ trì:") == 1 and text.count("Thư ký:") == 1
    assert text.count("Hôm nay") == 1 and text.count("Biên bản kết thúc") == 1
    assert "Số hộ dự họp: 42" in text
    # the secretary and the chair sign, their names taken from the fields
    signatures = next(i for i, row in enumerate(lines) if "THƯ KÝ" in row)
    assert "CHỦ TRÌ CUỘC HỌP" in lines[signatures]
    assert any("Y Hoa" in row and "A Thuận" in row for row in lines[signatures:])
    png = tmp_path / "bien-ban"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(png)],
                   check=True)
    assert (tmp_path / "bien-ban-1.png").stat().st_size > 10_000


@pytest.mark.parametrize(("start", "end", "field", "sentence"), [
    ("8.30", "10:15", "start_time", "“Giờ bắt đầu”: “8.30” không phải là giờ trong ngày"),
    ("25:00", "10:15", "start_time", "không phải là giờ trong ngày (viết giờ:phút"),
    ("10:15", "08:30", "end_time", "Giờ kết thúc phải sau giờ bắt đầu."),
    ("10:15", "10:15", "end_time", "Giờ kết thúc phải sau giờ bắt đầu."),
])
def test_a_record_with_a_bad_time_is_refused_in_vietnamese(demo_workspace, start, end, field,
                                                             sentence):
    detail = dossiers.get_dossier(demo_workspace, dossier_named(demo_workspace, "nuôi bò").id)
    assert detail.summary.template_id == "production_support.62@2"
    line = next(d for d in detail.documents if d.code == "village_minutes")
    before = dossiers.form_values(demo_workspace, line.id)
    values = dict(MINUTES, start_time=start, end_time=end, conclusion="Thống nhất đề xuất.")
    with pytest.raises(dossiers_records.FormInvalid) as caught:
        dossiers.save_form(demo_workspace, line.id, values)
    assert sentence in caught.value.problems[field]
    assert dossiers.form_values(demo_workspace, line.id) == before


def test_an_old_record_keeps_its_template_and_prints_chair_and_secretary_once(
        demo_workspace, tmp_path):
    """A record made with version 1 (no time fields) still prints, from version 1, with its
    own "Hôm nay, ngày …" line and without the chair and the secretary twice."""
    out = dossier_print.print_blank_form(demo_workspace, "construction_special.62@1",
                                         "village_minutes", tmp_path / "v1.pdf")
    text = flat(pdf_text(out))
    assert text.count("Hôm nay") == 1 and text.count("Chủ trì:") == 1
    assert text.count("Thư ký:") == 1 and "vào lúc" not in text
    assert text.index("Hôm nay") < text.index("Thành phần tham dự:") < text.index("THÀNH PHẦN")


def test_a_value_never_doubles_the_words_before_it():
    shown = {"project": "Dự án hỗ trợ nuôi bò", "village": "Làng Đăk Lấp"}
    assert dossier_print._format("thuộc dự án {project} tại {village}.", shown) == \
        "thuộc dự án hỗ trợ nuôi bò tại Làng Đăk Lấp."
    assert dossier_print._format("thuộc {project}", shown) == "thuộc Dự án hỗ trợ nuôi bò"


def test_a_citizens_form_has_the_motto_but_no_issuing_body(demo_workspace, tmp_path):
    line = document(demo_workspace, "cà phê", "proposal")  # drafting: not dated yet
    text = flat(pdf_text(dossier_print.print_form(demo_workspace, line.id, tmp_path / "d.pdf")))
    assert text.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < text.index("ĐƠN ĐỀ NGHỊ")
    assert "UBND XÃ ĐẮK LA" not in text and "Số:" not in text
    assert "Kính gửi: Ủy ban nhân dân xã Đắk La." in text
    assert "Đắk La, ngày ..... tháng ..... năm" in text  # not signed yet: no date printed
    assert "Nhóm hộ trồng cà phê thôn 6" in text and "Thôn 6" in text
    assert "ĐẠI DIỆN TỔ NHÓM" in text and "XÁC NHẬN CỦA UBND XÃ" in text


def test_household_tables_mask_id_numbers_unless_asked(demo_workspace, tmp_path):
    line = document(demo_workspace, "nuôi bò", "household_list")
    chosen = dossiers.form_values(demo_workspace, line.id)["households"]
    assert len(chosen) == 25
    rows = households.household_rows(demo_workspace, [__import__("uuid").UUID(chosen[0])],
                                     reveal=True)
    full = next(iter(rows.values())).id_number
    masked = pdf_text(dossier_print.print_form(demo_workspace, line.id, tmp_path / "m.pdf"))
    assert full not in masked and "*********" + full[-3:] in masked
    shown = pdf_text(dossier_print.print_form(demo_workspace, line.id, tmp_path / "s.pdf",
                                              reveal_ids=True))
    assert full in shown
    assert "Làng Đăk Lấp" in shown and "Ba Na" in shown


def test_a_blank_form_leaves_lines_to_fill(demo_workspace, tmp_path):
    out = dossier_print.print_blank_form(demo_workspace, "housing_support.62@1",
                                         "completion_acceptance", tmp_path / "trang.pdf")
    text = flat(pdf_text(out))
    assert "BIÊN BẢN" in text and "Nghiệm thu hoàn thành nhà ở" in text
    assert "Số tiền hỗ trợ: …" in text and "Bằng chữ: …" in text
    assert "Đắk La, ngày ..... tháng ..... năm" in text
    assert "CHỦ HỘ" in text and "TRƯỞNG THÔN" in text
    with pytest.raises(Exception) as caught:
        dossier_print.print_blank_form(demo_workspace, "housing_support.62@1", "photos",
                                       tmp_path / "x.pdf")
    assert "không có biểu mẫu" in str(caught.value)


def test_the_cli_lists_prints_and_reports_the_dossiers(demo_workspace, tmp_path, capsys):
    folder = ["--workspace", str(demo_workspace.folder)]
    assert main(["dossier", "list", *folder]) == 0
    listing = capsys.readouterr().out.splitlines()
    cattle = next(line for line in listing if "nuôi bò sinh sản làng Đăk Lấp" in line)
    ident = cattle.split()[0]
    assert "production_support" in cattle and "66% (8/12)" in cattle
    assert len([line for line in listing[2:] if line.strip()]) == len(dossiers.list_dossiers(
        demo_workspace))
    out = tmp_path / "ho-so.pdf"
    assert main(["dossier", "print", ident, "--out", str(out), *folder]) == 0
    reader = PdfReader(str(out))
    text = flat(pdf_text(out))
    assert len(reader.pages) >= 5
    for title in ("ĐƠN ĐỀ NGHỊ", "BIÊN BẢN", "DANH SÁCH", "DỰ ÁN", "QUYẾT ĐỊNH"):
        assert title in text
    assert main(["dossier", "print", "zzzzzz", "--out", str(out), *folder]) == 2
    assert "Không có hồ sơ nào" in capsys.readouterr().err
    assert main(["dossier", "show", ident, *folder]) == 0
    assert "CHUẨN BỊ (5/5)" in capsys.readouterr().out
    for fmt in ("xlsx", "pdf"):
        target = tmp_path / f"bc.{fmt}"
        assert main(["report", "dossiers", "--format", fmt, "--out", str(target), *folder]) == 0
    sheet = load_workbook(tmp_path / "bc.xlsx").active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert values[header][1] == "Dự án, công trình"
    cattle_row = next(row for row in values if row[1] and "nuôi bò" in str(row[1]))
    assert cattle_row[5:8] == [8, 12, pytest.approx(8 / 12)]
    assert sheet.cell(row=values.index(cattle_row) + 1, column=8).number_format == "0.0%"
    assert any(row[4] == "Chưa lập hồ sơ" for row in values)
    report = flat(pdf_text(tmp_path / "bc.pdf"))
    assert "BÁO CÁO" in report and "Tình hình hoàn thiện hồ sơ" in report
    assert "Đường giao thông nội làng Kon Mong Tu" in report and "Đã khóa" in report


def test_the_households_cli_masks_unless_asked(demo_workspace, tmp_path, capsys):
    folder = ["--workspace", str(demo_workspace.folder)]
    assert main(["households", "list", "--search", "y blut", *folder]) == 0
    out = capsys.readouterr().out
    assert "Y Blứt" in out and "*********" in out
    assert main(["households", "list", "--search", "y blut", "--show-ids", *folder]) == 0
    assert "*********" not in capsys.readouterr().out
    assert main(["households", "duplicates", *folder]) == 0
    assert "Hỗ trợ xây mới nhà ở; Hỗ trợ sửa chữa nhà ở" in capsys.readouterr().out
    assert main(["handbook", "search", "nghiem", "thu", *folder]) == 0
    assert "housing_support" in capsys.readouterr().out


def page_numbers(path) -> list[str]:
    """What is printed in each page's top margin (where the page number goes), "" if none."""
    numbers = []
    for page in PdfReader(str(path)).pages:
        top = float(page.mediabox.height) - 15 * 2.83465  # above the body's 20 mm margin
        found: list[str] = []

        def visit(text, _cm, tm, _font, _size, found=found, top=top):
            if tm[5] > top and text.strip():
                found.append(text.strip())

        page.extract_text(visitor_text=visit)
        numbers.append(" ".join(found))
    return numbers


def test_each_bound_document_numbers_its_own_pages_from_the_second(tmp_path):
    """Nghị định 30/2020: the page number from a document's second page; in a dossier bound
    as one PDF each form counts its own pages."""
    from reportlab.platypus import PageBreak

    from ctmtqg_desktop.reports.letterhead import DocumentInfo, Letterhead, Signature
    from ctmtqg_desktop.reports.pdf_document import OfficialPdf

    def long_document(title: str) -> OfficialPdf:
        info = DocumentInfo(letterhead=Letterhead(issuing_body="UBND xã Đắk La",
                                                  parent_body="UBND huyện Đắk Hà",
                                                  number_symbol="     /BB-UBND",
                                                  place="Đắk La"),
                            doc_type="Biên bản", subject=title, date=None,
                            signature=Signature(authority="", title="CHỦ TỊCH",
                                                signer_name=""))
        pdf = OfficialPdf(info, with_signature=False)
        for index in range(70):
            pdf.paragraph(f"Đoạn {index + 1} của {title.lower()}: nội dung nghiệm thu.")
        return pdf

    bound = long_document("Nghiệm thu giai đoạn một")
    second = long_document("Nghiệm thu giai đoạn hai")
    bound.story.append(PageBreak())
    bound.story.extend(second.story)
    out = tmp_path / "ho-so.pdf"
    bound.write(out)
    numbers = page_numbers(out)
    text = pdf_text(out)
    assert "GIAI ĐOẠN HAI" in text.upper()
    second_start = next(i for i, page in enumerate(PdfReader(str(out)).pages)
                        if "giai đoạn hai" in page.extract_text().lower()
                        and "BIÊN BẢN" in page.extract_text())
    assert second_start >= 2  # the first document spans several pages
    first_part, second_part = numbers[:second_start], numbers[second_start:]
    assert first_part == [""] + [str(n) for n in range(2, len(first_part) + 1)]
    assert second_part == [""] + [str(n) for n in range(2, len(second_part) + 1)]
