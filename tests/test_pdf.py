"""`make pdf`/every build: the whole practice guide as one PDF, linked on the site and in the bundle."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import CONTENT, run_build
from handbuch.loader import load_handbook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf_pages(real_build) -> list[str]:
    path = real_build.site / "downloads" / "praxisleitfaden.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def test_title_page_and_contents_with_page_numbers(pdf_pages):
    assert "Praxisleitfaden" in pdf_pages[0] and "Version" in pdf_pages[0]
    chapters = load_handbook(CONTENT).chapters
    toc = pdf_pages[1]
    for number, chapter in enumerate(chapters, start=1):
        line = re.search(rf"{number}\. {re.escape(chapter.meta.title)}[ .]+(\d+)", toc)
        assert line, chapter.meta.title
        page = int(line.group(1))
        assert f"{number}. {chapter.meta.title}" in pdf_pages[page - 1]  # the chapter starts on that page


def test_running_headers_and_page_numbers(pdf_pages):
    total = len([p for p in pdf_pages if p.strip()])
    body = pdf_pages[3]
    assert f"Seite 4 von {total}" in body
    header = body.strip().splitlines()[0]
    assert re.match(r"\s*\d\. \S", header) and "Handbuch Präventionsketten" in header


def test_pdf_is_linked_from_the_guide(real_build):
    assert 'href="../downloads/praxisleitfaden.pdf"' in real_build.page("leitfaden")


@pytest.mark.parametrize("switch", ["0", "Nein"])
def test_the_pdf_can_be_switched_off(tmp_path, switch):
    # `make serve` switches it off; the usual spellings of "no" do the same.
    build = run_build(tmp_path / "site", env={"HANDBUCH_PDF": switch})
    assert build.returncode == 0, build.output
    assert not (build.site / "downloads" / "praxisleitfaden.pdf").exists()
    assert "praxisleitfaden.pdf" not in build.page("leitfaden")


@pytest.fixture(scope="module")
def pdf_reader(real_build):
    from pypdf import PdfReader

    return PdfReader(real_build.site / "downloads" / "praxisleitfaden.pdf")


def _structure(element, found: dict[str, list]) -> dict[str, list]:
    """Every structure element below ``element``, by its type (/H1, /Figure, /TH, ...)."""
    element = element.get_object()
    if not hasattr(element, "get"):
        return found
    if "/S" in element:
        found.setdefault(element["/S"], []).append(element)
    kids = element.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if hasattr(kid, "get_object"):
            _structure(kid, found)
    return found


def _outline_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles += _outline_titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def test_pdf_is_tagged_in_german_with_title_and_a_bookmark_per_chapter(pdf_reader):
    catalog = pdf_reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"
    assert pdf_reader.metadata.title == "Praxisleitfaden – Handbuch Präventionsketten"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])  # viewers show the title, not the file name
    bookmarks = _outline_titles(pdf_reader.outline)
    for number, chapter in enumerate(load_handbook(CONTENT).chapters, start=1):
        assert f"{number}. {chapter.meta.title}" in bookmarks, chapter.meta.title
    assert "Quellen" in bookmarks  # sections too, below their chapter
    for number, tool in enumerate(load_handbook(CONTENT).tools, start=1):
        assert f"A{number}. {tool.meta.title}" in bookmarks, tool.meta.title


def test_pdf_structure_has_headings_table_headers_and_figures_with_alternative_text(pdf_reader):
    found = _structure(pdf_reader.trailer["/Root"]["/StructTreeRoot"], {})
    handbook = load_handbook(CONTENT)
    # the title page's, each chapter's, the appendix's and each tool's
    assert len(found["/H1"]) == 1 + len(handbook.chapters) + (1 + len(handbook.tools) if handbook.tools else 0)
    assert found["/H2"] and found["/TH"] and found["/Table"]
    assert found["/Figure"] and all(str(f.get("/Alt", "")).strip() for f in found["/Figure"])
    assert any("erfasste Jugendämter nach Jahr des Einstiegs" in str(f["/Alt"]) for f in found["/Figure"])


def test_pdf_renders_without_complaints_from_weasyprint(caplog):
    # PDF/UA checks: every figure has alternative text, every internal link an anchor, no id twice.
    import logging

    from handbuch.pdf import guide_pdf
    from handbuch.provenance import build_info
    from handbuch.render import Renderer

    handbook = load_handbook(CONTENT)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        guide_pdf(Renderer(handbook, None), build_info(handbook.root, None), "https://example.org/")
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
