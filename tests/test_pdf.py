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
