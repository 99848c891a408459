"""The printable tools (/leitfaden/arbeitshilfen/): each prints on exactly one A4 page.

Debian's chromium prints every tool page of the real site (Playwright `page.pdf`, format A4, print
media, as a reader's Ctrl+P would); pypdf counts the pages. The tools also ship in the guide's PDF
and in the offline bundle. A deliberately long tool shows that the check can fail.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from browser import browser_page, serve
from conftest import CONTENT, run_build
from handbuch.loader import load_handbook

pytestmark = pytest.mark.slow
A4 = (595.3, 841.9)  # points; Chromium rounds to whole CSS pixels, so allow 1.5 pt


def _printed_pages(site, slugs: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Each tool page printed to PDF: the size of every page, in points."""
    out = {}
    with serve(site) as origin, browser_page(origin) as session:
        for slug in slugs:
            response = session.page.goto(f"{origin}/leitfaden/arbeitshilfen/{slug}/")
            assert response and response.ok, slug
            reader = PdfReader(io.BytesIO(session.page.pdf(format="A4")))
            out[slug] = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
        assert not session.outside_requests(), session.outside_requests()
    return out


@pytest.fixture(scope="module")
def tools():
    found = load_handbook(CONTENT).tools
    assert len(found) >= 5, [t.slug for t in found]
    return found


def test_each_tool_prints_on_exactly_one_a4_page(real_build, tools):
    printed = _printed_pages(real_build.site, [t.slug for t in tools])
    for slug, pages in printed.items():
        assert len(pages) == 1, f"{slug}: {len(pages)} Seiten"
        width, height = pages[0]
        assert abs(width - A4[0]) < 1.5 and abs(height - A4[1]) < 1.5, f"{slug}: {pages[0]} ist nicht A4"


def test_tools_have_an_overview_in_the_guide_navigation(real_build, tools):
    overview = real_build.page("leitfaden/arbeitshilfen")
    for tool in tools:
        assert f'href="{tool.slug}/"' in overview, tool.slug
    # every chapter page lists the tools in the sidebar, under "Arbeitshilfen"
    chapter = real_build.page("leitfaden/steuerung")
    assert "Arbeitshilfen" in chapter and 'href="../arbeitshilfen/auftrag-steuerungsgruppe/"' in chapter


def test_tools_are_in_the_guide_pdf_as_an_appendix_one_page_each(real_build, tools):
    path = real_build.site / "downloads" / "praxisleitfaden.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert "Anhang: Arbeitshilfen" in text
    contents = " ".join(" ".join(pages[:3]).split())  # the table of contents, whitespace folded
    starts = []
    for number, tool in enumerate(tools, start=1):
        found = re.search(rf"A{number}\. {re.escape(tool.meta.title)}[ .]+(\d+)", contents)
        assert found, tool.meta.title
        starts.append(int(found.group(1)))
        assert f"A{number}. {tool.meta.title}" in " ".join(pages[starts[-1] - 1].split())  # it starts there
    # each tool starts a page and ends before the next one: one page each, the last one is the PDF's last
    assert starts == list(range(starts[0], starts[0] + len(tools))) and starts[-1] == len(pages), starts


def test_tools_are_in_the_offline_bundle(bundle, tools):
    for tool in tools:
        page = bundle / "leitfaden" / "arbeitshilfen" / f"{tool.slug}.html"
        assert page.is_file(), page
        assert "handbuch-arbeitshilfe" in page.read_text(encoding="utf-8")


def test_a_tool_too_long_for_one_page_is_caught(tmp_path):
    """The same check on a tool with 60 table rows: it must report more than one page."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    rows = "\n".join(f"| Zeile {n} | ein Eintrag, der Platz braucht | |" for n in range(60))
    (content / "practice-guide" / "arbeitshilfen" / "zu-lang.md").write_text(
        f"---\ntitle: Zu lang\norder: 99\n---\n\nEine Vorlage mit zu vielen Zeilen.\n\n| A | B | C |\n| --- | --- | --- |\n{rows}\n",
        encoding="utf-8")
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    assert len(_printed_pages(build.site, ["zu-lang"])["zu-lang"]) > 1
