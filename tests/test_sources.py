"""Data model v2: every fact of a real record names its source, visibly, and mistakes are explained."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from conftest import CONTENT, load_problems, run_build, write_record
from handbuch.loader import load_handbook
from handbuch.model import sourced_fields
from handbuch.opendata import open_data

# A real record, line numbers as the file has them (line 1 is the schema comment).
REAL = """\
name: Teststadt
art: kreisfreie-stadt
ags: "05000001"
quellen:
  - titel: Pressemitteilung zum Förderprogramm
    herausgeber: LVR
    datum: 2011-09-13
    url: https://example.org/pm
    abgerufen: 2026-12-04
    belegt: [programm.teilnahme, programm.staffel]
  - titel: Gemeindeverzeichnis
    herausgeber: Statistisches Bundesamt
    datum: 2024
    belegt: [art, ags]
programm:
  teilnahme: true
  staffel: 1
"""


def only(root):
    found = load_problems(root)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def test_a_fully_sourced_real_record_is_valid(content):
    write_record(content, "teststadt", REAL)
    record = load_handbook(content).municipalities[0].record
    assert record.quellen[0].belegt == ["programm.teilnahme", "programm.staffel"]
    assert record.quellen[1].datum == 2024


def test_a_fact_without_a_source_names_the_field_and_how_to_fix_it(content):
    write_record(content, "teststadt", REAL + "  seit: 2011\n")
    p = only(content)
    assert (p.file.endswith("teststadt.yml"), p.line, p.field) == (True, 19, "programm.seit")
    assert p.message == ("keine Quelle belegt diese Angabe. Bitte bei der Quelle, aus der sie stammt, unter „belegt“ "
                         "ergänzen (z. B. belegt: [programm.seit]) oder die Angabe entfernen.")


def test_belegt_with_an_unknown_field_suggests_the_right_one(content):
    write_record(content, "teststadt", REAL.replace("programm.staffel]", "programm.stafel]"))
    found = load_problems(content)
    typo = next(p for p in found if p.field == "quellen[1].belegt[2]")
    assert typo.line == 11
    assert "„programm.stafel“ ist kein Feld, das eine Quelle belegen kann" in typo.message
    assert "Meinten Sie „programm.staffel“?" in typo.message


def test_belegt_naming_a_field_without_value(content):
    write_record(content, "teststadt", REAL.replace("belegt: [art, ags]", "belegt: [art, ags, jugendamt]"))
    p = only(content)
    assert (p.line, p.field) == (15, "quellen[2].belegt[3]")
    assert p.message.startswith("„jugendamt“ hat in diesem Datensatz keinen Wert")


def test_the_same_source_twice(content):
    twice = REAL.replace("""    belegt: [art, ags]
""", """    belegt: [art, ags]
  - titel: Noch einmal
    url: https://example.org/pm
""")
    write_record(content, "teststadt", twice)
    p = only(content)
    assert (p.line, p.field) == (16, "quellen[3]")
    assert p.message.startswith("diese Quelle steht schon als Nr. 1 in der Liste")


@pytest.mark.parametrize("url", ["ftp://example.org/x", "mailto:presse@example.org", "javascript:alert(1)"])
def test_a_source_url_must_be_http(content, url):
    write_record(content, "teststadt", REAL.replace("url: https://example.org/pm", f"url: {url}"))
    p = only(content)
    assert (p.line, p.field) == (9, "quellen[1].url")
    assert "erwartet: eine Adresse, die mit https:// oder http:// beginnt" in p.message


def test_a_bad_publication_date(content):
    write_record(content, "teststadt", REAL.replace("datum: 2011-09-13", "datum: 13.09.2011"))
    p = only(content)
    assert (p.line, p.field) == (8, "quellen[1].datum")


def test_example_records_need_no_sources(content):
    write_record(content, "beispiel", 'name: Beispiel\nart: kreisfreie-stadt\nags: "99000001"\nbeispiel: true\n'
                 "programm:\n  staffel: 2\n")
    assert load_handbook(content).municipalities[0].record.programm.staffel == 2


def test_every_real_shipped_fact_is_sourced_and_every_source_supports_something():
    for m in load_handbook(CONTENT).municipalities:
        if m.record.beispiel:
            continue
        assert all(q.belegt for q in m.record.quellen), m.slug
        supported = {path for q in m.record.quellen for path in q.belegt}
        assert supported <= set(sourced_fields())


def test_shipped_programme_data_has_at_least_25_municipalities_with_sourced_cohort_and_year():
    """Issue 12's bar for the shipped content: cohort and year, each backed by a web source."""
    dated = []
    for m in load_handbook(CONTENT).municipalities:
        programm = m.record.programm
        if m.record.beispiel or not (programm and programm.staffel and programm.seit):
            continue
        for field in ("programm.staffel", "programm.seit"):
            assert any(field in q.belegt and q.url for q in m.record.quellen), (m.slug, field)
        dated.append(m.slug)
    assert len(dated) >= 25, sorted(dated)


def test_a_derived_cohort_names_the_source_of_the_municipality_and_of_the_cohorts():
    """datenmodell.md: a cohort no source names is recorded only with the entry source and the cohort
    sources, and the description says how it follows."""
    derived = [m for m in load_handbook(CONTENT).municipalities
               if m.record.beschreibung and "Die Förderstaffel ergibt sich" in m.record.beschreibung]
    assert len(derived) >= 4
    for m in derived:
        assert m.record.programm.staffel is not None, m.slug
        assert sum("programm.staffel" in q.belegt for q in m.record.quellen) >= 2, m.slug


def _footnotes(html: str) -> list[tuple[str, str, str]]:
    """(href, id, visible text) of every footnote reference."""
    return re.findall(r'<sup class="handbuch-beleg"[^>]*><a href="(#quelle-\d+)" id="([^"]+)">'
                      r'<span class="handbuch-unsichtbar">Quelle </span>(\d+)</a></sup>', html)


def test_record_page_links_each_fact_to_its_numbered_source_and_back(content, tmp_path):
    write_record(content, "teststadt", REAL)
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    html = build.page("kommunen/teststadt")
    notes = _footnotes(html)
    # Art (2), AGS (2), Teilnahme (1), Förderstaffel (1), in page order.
    assert [(href, number) for href, _, number in notes] == [
        ("#quelle-2", "2"), ("#quelle-2", "2"), ("#quelle-1", "1"), ("#quelle-1", "1")]
    for href, anchor, _ in notes:
        assert f'id="{href[1:]}"' in html  # the source exists ...
        assert f'href="#{anchor}"' in html  # ... and links back to this fact
    staffel = re.search(r"Förderstaffel</dt>\s*<dd>(.*?)</dd>", html, re.S).group(1)
    assert "1. Förderstaffel (2011)" in staffel and 'href="#quelle-1"' in staffel
    sources = html[html.index('<ol class="handbuch-quellen">'):]
    sources = " ".join(unescape(re.sub(r"<[^>]+>", " ", sources[: sources.index("</ol>")])).split())
    assert ("Pressemitteilung zum Förderprogramm . LVR, 13.09.2011, abgerufen am 04.12.2026. "
            "Belegt: Teilnahme am Förderprogramm , Förderstaffel") in sources
    assert "Gemeindeverzeichnis. Statistisches Bundesamt, 2024. Belegt: Art der Gebietskörperschaft , " in sources
    assert '<a href="https://example.org/pm">Pressemitteilung zum Förderprogramm</a>' in html


def test_source_titles_are_text_not_markup(content, tmp_path):
    write_record(content, "teststadt", REAL.replace("titel: Gemeindeverzeichnis",
                                                    'titel: "<img src=x onerror=alert(1)>"'))
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    html = build.page("kommunen/teststadt")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_open_data_carries_the_sources_and_what_they_support(content):
    write_record(content, "teststadt", REAL)
    files = open_data(load_handbook(content), None)
    [record] = json.loads(files["kommunen.json"])["kommunen"]
    assert record["quellen"][0] == {
        "titel": "Pressemitteilung zum Förderprogramm", "herausgeber": "LVR", "datum": "2011-09-13",
        "url": "https://example.org/pm", "abgerufen": "2026-12-04",
        "belegt": ["programm.teilnahme", "programm.staffel"]}
    assert record["quellen"][1]["datum"] == 2024
    header, row = list(csv.reader(io.StringIO(files["kommunen.csv"].decode("utf-8-sig")), delimiter=";"))
    cell = dict(zip(header, row))["Quellen"]
    assert cell == ("Pressemitteilung zum Förderprogramm (LVR, 13.09.2011, abgerufen am 04.12.2026) "
                    "<https://example.org/pm> [belegt: programm.teilnahme, programm.staffel] | "
                    "Gemeindeverzeichnis (Statistisches Bundesamt, 2024) [belegt: art, ags]")
    assert not any(h.startswith(("Titel der Quelle", "Adresse der Quelle")) for h in header)
