"""Figures of the practice guide: content/abbildungen.yml, drawn as inline SVG where a chapter
says <!-- handbuch: abbildung name=… -->; checked on the built site, in the PDF and at load time."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess

import pytest

from conftest import CONTENT, VALID, load_problems, run_build, write_chapter, write_record
from handbuch.loader import Illustration, IllustrationElement, load_handbook
from handbuch.drawing import cycle_drawing, row_drawing

STEPS = ["Bestand und Bedarf erheben", "Ziele vereinbaren", "Maßnahmen planen", "Umsetzen und begleiten",
         "Auswerten", "Anpassen"]
CHAPTER = "---\ntitle: K\norder: 1\n---\nEinleitung\n\n{marker}\n"  # the marker is on line 7


def figure_html(page: str, name: str) -> str:
    match = re.search(r'<figure class="handbuch-abbildung"[^>]*>.*?</figure>', page, re.DOTALL)
    assert match, f"keine Abbildung „{name}“"
    return match.group(0)


def assert_accessible_svg(figure: str, name: str) -> None:
    """role="img", named by its <title> and described by its <desc>, both present and not empty."""
    svg = re.search(r"<svg\b[^>]*>", figure).group(0)
    assert 'role="img"' in svg and 'width="100%"' in svg and "viewBox=" in svg
    labelled = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert labelled == [f"abbildung-{name}-titel", f"abbildung-{name}-beschreibung"]
    assert re.search(rf'<title id="{labelled[0]}">[^<]+</title>', figure)
    assert re.search(rf'<desc id="{labelled[1]}">[^<]+</desc>', figure)
    assert "data-search-exclude" in figure  # the SVG's words would only repeat the text around it


def shipped_figure(build, page: str, heading_id: str, name: str) -> tuple[str, str]:
    """(section, figure) of a figure in a chapter of the real build, checked for accessibility."""
    section = section_of(build.page(page), heading_id)
    figure = figure_html(section, name)
    assert_accessible_svg(figure, name)
    return section, figure


def section_of(page: str, heading_id: str) -> str:
    """The HTML from the h2 with this id up to the next h2."""
    start = page.index(f'<h2 id="{heading_id}"')
    end = page.find("<h2 ", start + 1)
    return page[start:end if end > 0 else None]


# --- the shipped chapters ----------------------------------------------------------------------

@pytest.mark.slow
def test_planning_cycle_in_its_section_with_an_honest_caption(real_build):
    section, figure = shipped_figure(real_build, "leitfaden/strategiezyklus",
                                     "allgemeine-praxishinweise-ein-planungszyklus-fur-die-netzwerkarbeit",
                                     "planungszyklus")
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.DOTALL).group(1)
    assert "Eigene Darstellung des allgemeinen Planungszyklus dieses Handbuchs" in caption
    assert "nicht die LVR-Abbildung „Strategiezyklus Netzwerkarbeit“" in caption
    # Every step as a numbered box (a wrapped label spreads over several <text> lines) ...
    drawn = " ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", figure))
    for number, step in enumerate(STEPS, start=1):
        assert f"{number}. {step}" in drawn, step
    assert figure.count("<polygon") == len(STEPS)  # one arrow per step, the last one closes the loop
    # ... and once more, explained, in the list below: from the same entries, in the same order.
    items = re.findall(r"<li><strong>([^<]+):</strong>", section)
    assert items == STEPS


@pytest.mark.slow
def test_monitoring_figure_shows_only_what_the_report_states(real_build):
    section, figure = shipped_figure(real_build, "leitfaden/monitoring-und-wirkung",
                                     "das-modell-monitoring-von-kommunalen-praventionsketten", "monitoring-modell")
    drawn = " ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", figure))
    for words in ("Infrastruktur", "Qualität und", "Netzwerke,", "Steuerungsgruppe,", "Präventionskette",
                  "Wirkungen bei den", "Lebenslagen und", "Weitere Ebenen der", "nicht wiedergegeben"):
        assert words in drawn, words
    assert figure.count('stroke-dasharray="6 4"') == 1  # the part left out is marked as such
    assert "<polygon" not in figure  # no arrows: the report says nothing about how the levels connect
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.DOTALL).group(1)
    assert "Vereinfachte Darstellung nach" in caption
    assert "Grafik: Gilles, LVR 2017; nur die im Bericht lesbaren Teile" in caption
    assert "Abbildung oben" in real_build.page("leitfaden/monitoring-und-wirkung")  # the text leads to the figure


@pytest.mark.slow
def test_figures_are_in_the_pdf_and_the_step_list_is_searchable(real_build):
    pdf = real_build.site / "downloads" / "praxisleitfaden.pdf"
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Eigene Darstellung des allgemeinen Planungszyklus" in text
    assert "Vereinfachte Darstellung nach" in text and "Infrastruktur" in text
    assert "1. Bestand und" in text  # drawn text of the SVG, not only the list
    docs = json.loads((real_build.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    chapter = " ".join(d["text"] for d in docs if d["location"].startswith("leitfaden/strategiezyklus/"))
    assert all(step in chapter for step in STEPS)
    assert not any("Pfeil zurück zum ersten" in d["text"] for d in docs)  # the SVG's description is not indexed


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/leitfaden/strategiezyklus/", "/leitfaden/monitoring-und-wirkung/"])
def test_chapters_with_figures_have_no_serious_axe_violations(real_build, path):
    from axe_playwright_python.sync_playwright import Axe

    from browser import browser_page, serve
    from test_accessibility import WCAG, serious

    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.goto(origin + path)
        s.page.locator("figure.handbuch-abbildung svg").wait_for()
        found = serious(Axe().run(s.page, options=WCAG))
        assert found == [], "\n".join(found)
        assert s.outside_requests() == []


# --- markers and the figures file --------------------------------------------------------------

def with_figures(content, text: str | None = None):
    target = content / "abbildungen.yml"
    if text is None:
        shutil.copy(CONTENT / "abbildungen.yml", target)
    else:
        target.write_text(text, encoding="utf-8")
    write_record(content, "teststadt", VALID)


def test_unknown_figure_fails_the_build_with_file_line_and_names(content, tmp_path):
    with_figures(content)
    write_chapter(content, "kapitel", CHAPTER.format(marker="<!-- handbuch: abbildung name=planungszyklen -->"))
    build = run_build(tmp_path / "site", content)
    assert build.returncode != 0 and "Traceback" not in build.output
    names = ", ".join(load_handbook(CONTENT).illustrations)
    assert (f"kapitel.md:7:1: unbekannte Abbildung „planungszyklen“; erlaubt (aus content/abbildungen.yml): "
            f"{names}. Meinten Sie „planungszyklus“?") in build.output
    assert not (tmp_path / "site" / "index.html").exists()


@pytest.mark.parametrize(("marker", "wording"), [
    ("<!-- handbuch: abbildung -->", "Block „abbildung“ braucht den Filter „name=…“."),
    ("<!-- handbuch: abbildung titel=planungszyklus -->", "unbekannter Filter „titel“ für Block „abbildung“; "
                                                         "erlaubt: name."),
    ("<!-- handbuch: abbildungen name=planungszyklus -->", "Meinten Sie „abbildung“?"),
])
def test_bad_figure_markers_name_file_and_line(content, marker, wording):
    with_figures(content)
    write_chapter(content, "k", CHAPTER.format(marker=marker))
    [problem] = load_problems(content)
    assert problem.file.endswith("k.md") and problem.line == 7 and wording in problem.message


def test_figure_marker_without_a_figures_file(content):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "k", CHAPTER.format(marker="<!-- handbuch: abbildung name=planungszyklus -->"))
    [problem] = load_problems(content)
    assert problem.line == 7 and "es gibt keine, content/abbildungen.yml fehlt oder ist leer" in problem.message


BAD_FIGURES = """\
zyklus:
  form: kreislaufen
  titel: T
  bildunterschrift: B
  elemente: [{titel: A}, {titel: B}, {titel: C}]
kurz:
  form: kreislauf
  titel: T
  bildunterschrift: B
  elemente: [{titel: A}, {titel: B}]
tippfehler:
  form: ebenen
  titel: T
  bildunterschrift: B
  elemente:
    - titel: A
      erklärung: x
    - titel: Ein Titel, der viel zu lang für einen Kasten ist
Gross: {form: ebenen}
"""


def test_figures_file_problems_name_line_and_field(content):
    with_figures(content, BAD_FIGURES)
    # The marker names a figure the file defines, broken or not: no second, misleading problem.
    write_chapter(content, "k", CHAPTER.format(marker="<!-- handbuch: abbildung name=tippfehler -->"))
    reported = load_problems(content)
    found = {(p.line, p.field): p.message for p in reported}
    assert all(p.file.endswith("abbildungen.yml") for p in reported)
    assert found[(2, "zyklus")] == ("unbekannte Form „kreislaufen“; erlaubt: kreislauf, ebenen. "
                                    "Meinten Sie „kreislauf“?")
    assert found[(7, "kurz")] == "die Form „kreislauf“ braucht 3 bis 6 Elemente, hier sind es 2."
    assert "Meinten Sie „erklaerung“?" in found[(17, "tippfehler.elemente[1].erklärung")]
    assert "zu lang (höchstens 40 Zeichen)" in found[(18, "tippfehler.elemente[2].titel")]
    assert "kein gültiger Name" in found[(19, "Gross")]
    assert len(found) == 5


MALICIOUS = """\
boese:
  form: kreislauf
  titel: "<script>alert(1)</script>"
  bildunterschrift: "</figcaption><script>alert(2)</script> *fett*"
  elemente:
    - titel: "<img src=x onerror=alert(3)>"
      erklaerung: "[Klick](javascript:alert(4)) *fett* <b>roh</b> {: onclick=alert(5)}"
    - titel: "**fett** & `code`"
      erklaerung: "1. keine Liste"
    - titel: "-->"
      erklaerung: "<!-- handbuch: kommunen -->"
"""


@pytest.mark.slow
def test_figure_texts_are_escaped(content, tmp_path):
    with_figures(content, MALICIOUS)
    write_chapter(content, "k", CHAPTER.format(marker="<!-- handbuch: abbildung name=boese -->")
                  + "\n## Quellen\n\n- Test\n")
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output  # the hook's final check found no active markup either
    page = build.page("leitfaden/k")
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>roh" not in page
    assert 'href="javascript' not in page and "onclick=alert" not in page.replace("{: onclick=alert(5)}", "")
    assert "<title id=\"abbildung-boese-titel\">&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "&lt;/figcaption&gt;&lt;script&gt;alert(2)&lt;/script&gt; *fett*</figcaption>" in page
    assert "&lt;img src=x onerror=alert(3)&gt;" in page
    assert "<em>" not in figure_html(page, "boese") and "*fett* &lt;b&gt;roh&lt;/b&gt;" in page
    assert "<strong>**fett** &amp; `code`:</strong>" in page  # Markdown in a label stays text
    assert "1. keine Liste" in page and "&lt;!-- handbuch: kommunen --&gt;" in page


# --- geometry ----------------------------------------------------------------------------------

def overlap(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


@pytest.mark.parametrize(("form", "count"), [("kreislauf", n) for n in range(3, 7)]
                         + [("ebenen", n) for n in range(2, 5)])
def test_every_allowed_size_fits_without_overlaps(form, count):
    """The longest titles (and, for ebenen, the most lines) in every allowed number of boxes."""
    extra = {"zeilen": ["eine Zeile, die im Kasten umbrochen wird"] * 3, "herkunft": "nach dem Bericht"}
    elements = [IllustrationElement(titel=f"Ein recht langer Schritt im Zyklus Nr. {n}",  # 40 characters
                                    **(extra if form == "ebenen" else {})) for n in range(count)]
    illustration = Illustration(form=form, titel="T", bildunterschrift="B", elemente=elements)
    drawing = (cycle_drawing if form == "kreislauf" else row_drawing)(illustration)
    for box in drawing.boxes:
        assert 0 <= box.x and box.x + box.width <= drawing.width
        assert 0 <= box.y and box.y + box.height <= drawing.height
        assert all(box.y < line.y < box.y + box.height for line in box.lines)
    assert not any(overlap(a, b) for a, b in itertools.combinations(drawing.boxes, 2))
    assert len(drawing.arrows) == (count if form == "kreislauf" else 0)
    for arrow in drawing.arrows:  # long enough to be seen as an arrow between two boxes
        (x1, y1), (x2, y2) = (map(float, arrow.points.split()[0].split(",")),
                              map(float, arrow.head.split()[0].split(",")))
        assert ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 >= 30
    assert len(drawing.links) == (0 if form == "kreislauf" else count - 1)
