"""The handbook: pages are data, checked with their line; search ignores diacritics; the
parent unit's newer page replaces the shipped one."""

import pytest

from ctmtqg_desktop.services.handbook import _pages as handbook


def test_every_shipped_page_is_valid_and_the_four_kinds_have_one():
    pages = handbook.load_pages()
    assert pages[0].code == "general"
    for kind in ("production_support", "construction_special", "housing_support", "training",
                 "communication"):
        page = handbook.page_for_kind(pages, kind)
        assert page is not None and len(page.steps) >= 3 and page.legal_references
        assert page.template
    assert all(r.confidence in ("confirmed", "partial", "unverified")
               for p in pages for r in p.legal_references)


def test_search_ignores_diacritics_and_names_the_matching_steps():
    pages = handbook.load_pages()
    hits = handbook.search(pages, "nen cung mai cung")
    assert [hit.page.code for hit in hits] == ["housing_support"]
    assert hits[0].steps == (3,)
    assert {h.page.code for h in handbook.search(pages, "Ban giám sát đầu tư")} >= {
        "construction_special", "production_support"}
    assert handbook.search(pages, "khong co trang nao noi ve dieu nay") == []
    assert len(handbook.search(pages, "")) == len(pages)


def test_pages_are_found_by_programme_component():
    pages = handbook.load_pages()
    codes = [p.code for p in handbook.pages_for_component(pages, "2021-2025/GNBV/DA5")]
    assert codes == ["general", "housing_support"]


def test_a_newer_page_from_the_parent_replaces_the_shipped_one(new_workspace):
    workspace = new_workspace()
    shipped = {p.code: p for p in handbook.load_pages(workspace)}["training"]
    assert shipped.version == 1 and shipped.origin == "shipped"
    text = (shipped_text := (handbook.resource_path("handbook", "training.yaml")
                             .read_text(encoding="utf-8")))
    newer = text.replace("version: 1", "version: 2").replace(
        "title: Đào tạo, tập huấn", "title: Đào tạo, bồi dưỡng, tập huấn")
    page = handbook.install_page(workspace, newer, name="training.yaml")
    assert page.version == 2
    current = {p.code: p for p in handbook.load_pages(workspace)}["training"]
    assert current.version == 2 and current.origin == "package"
    assert current.title.startswith("Đào tạo, bồi dưỡng, tập huấn")
    with pytest.raises(handbook.HandbookVersionConflict):
        handbook.install_page(workspace, shipped_text, name="old.yaml")


def test_a_bad_page_is_refused_with_its_line(new_workspace):
    text = "code: x\nversion: 1\ntitle: Trang thử\nconfidence: sure\nsteps:\n  - title: A\n"
    with pytest.raises(handbook.HandbookPageInvalid) as caught:
        handbook.install_page(new_workspace(), text, name="x.yaml")
    assert caught.value.data["line"] == 4
    assert "không hợp lệ ở dòng 4" in str(caught.value)
