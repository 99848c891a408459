"""Data models v2 and v3: every fact of a real record names its source, visibly, and mistakes are explained."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from conftest import CONTENT, load_problems, run_build, write_record
from handbuch.loader import load_handbook
from handbuch.model import fact_paths
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
    belegt: [programme.lvr-teilhabe.teilnahme, programme.lvr-teilhabe.phase]
  - titel: Gemeindeverzeichnis
    herausgeber: Statistisches Bundesamt
    datum: 2024
    belegt: [art, ags]
programme:
  - programm: lvr-teilhabe
    teilnahme: true
    phase: staffel-1
"""


def only(root):
    found = load_problems(root)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def test_a_fully_sourced_real_record_is_valid(content):
    write_record(content, "teststadt", REAL)
    record = load_handbook(content).municipalities[0].record
    assert record.quellen[0].belegt == ["programme.lvr-teilhabe.teilnahme", "programme.lvr-teilhabe.phase"]
    assert record.quellen[1].datum == 2024


def test_a_fact_without_a_source_names_the_field_and_how_to_fix_it(content):
    write_record(content, "teststadt", REAL + "    seit: 2011\n")
    p = only(content)
    assert (p.file.endswith("teststadt.yml"), p.line, p.field) == (True, 20, "programme[1].seit")
    assert p.message == ("keine Quelle belegt diese Angabe. Bitte bei der Quelle, aus der sie stammt, unter „belegt“ "
                         "ergänzen (z. B. belegt: [programme.lvr-teilhabe.seit]) oder die Angabe entfernen.")


def test_belegt_with_an_unknown_field_suggests_the_right_one(content):
    write_record(content, "teststadt", REAL.replace("belegt: [art, ags]", "belegt: [art, agd]"))
    found = load_problems(content)
    typo = next(p for p in found if p.field == "quellen[2].belegt[2]")
    assert typo.line == 15
    assert "„agd“ ist kein Feld, das eine Quelle belegen kann" in typo.message
    assert "Meinten Sie „ags“?" in typo.message


def test_belegt_with_a_misspelt_programme_fact_suggests_the_right_one(content):
    write_record(content, "teststadt", REAL.replace("programme.lvr-teilhabe.phase]", "programme.lvr-teilhabe.phse]"))
    typo = next(p for p in load_problems(content) if p.field == "quellen[1].belegt[2]")
    assert typo.line == 11
    assert typo.message == ("„programme.lvr-teilhabe.phse“ ist keine Programmangabe; erlaubt sind "
                            "programme.<programm>.<angabe> mit den Angaben teilnahme, phase, seit, bis, verbund, "
                            "monitoring_projekt. Meinten Sie „phase“?")


def test_belegt_with_a_v2_path_names_the_v3_path(content):
    write_record(content, "teststadt", REAL.replace("programme.lvr-teilhabe.phase]", "programm.staffel]"))
    old = next(p for p in load_problems(content) if p.field == "quellen[1].belegt[2]")
    assert old.message == ("„programm.staffel“ gibt es seit Datenmodell 3 nicht mehr: Programmangaben werden mit dem "
                           "Kurznamen des Programms belegt, z. B. programme.lvr-teilhabe.phase.")


def test_a_programme_fact_of_a_programme_the_record_does_not_name(content):
    write_record(content, "teststadt", REAL.replace("programme.lvr-teilhabe.phase]",
                                                    "programme.lvr-teilhabe.phase, programme.kekiz.seit]"))
    p = only(content)
    assert (p.line, p.field) == (11, "quellen[1].belegt[3]")
    assert p.message.startswith("„programme.kekiz.seit“ hat in diesem Datensatz keinen Wert")


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
                 "programme:\n  - programm: lvr-teilhabe\n    phase: staffel-2\n")
    assert load_handbook(content).municipalities[0].record.entry("lvr-teilhabe").phase == "staffel-2"


def test_every_real_shipped_fact_is_sourced_and_every_source_supports_something():
    for m in load_handbook(CONTENT).municipalities:
        if m.record.beispiel:
            continue
        assert all(q.belegt for q in m.record.quellen), m.slug
        supported = {path for q in m.record.quellen for path in q.belegt}
        assert supported <= set(fact_paths(m.record))


def test_shipped_lvr_cohorts_and_years_are_backed_by_web_sources():
    """Issue 12's rule for the shipped content: a cohort and a year, each backed by a web source."""
    dated = []
    for m in load_handbook(CONTENT).municipalities:
        entry = m.record.entry("lvr-teilhabe")
        if m.record.beispiel or not (entry and entry.phase and entry.seit):
            continue
        for field in ("programme.lvr-teilhabe.phase", "programme.lvr-teilhabe.seit"):
            assert any(field in q.belegt and q.url for q in m.record.quellen), (m.slug, field)
        dated.append(m.slug)
    # 25 until issue 21's check of the records against their sources took the cohort of Pulheim,
    # Brühl and Leverkusen (no source decides it); see docs/entwicklung/datenmodell.md.
    assert len(dated) >= 22, sorted(dated)


def test_a_derived_cohort_names_the_source_of_the_municipality_and_of_the_cohorts():
    """datenmodell.md: a cohort no source names is recorded only with the entry source and the cohort
    sources, and the description says how it follows."""
    derived = [m for m in load_handbook(CONTENT).municipalities
               if m.record.beschreibung and "Die Förderstaffel ergibt sich" in m.record.beschreibung]
    assert derived
    for m in derived:
        assert m.record.entry("lvr-teilhabe").phase is not None, m.slug
        assert sum("programme.lvr-teilhabe.phase" in q.belegt for q in m.record.quellen) >= 2, m.slug


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
    # The programme timeline first (Teilnahme, Förderstaffel: 1), then Art and AGS (2), in page order.
    assert [(href, number) for href, _, number in notes] == [
        ("#quelle-1", "1"), ("#quelle-1", "1"), ("#quelle-2", "2"), ("#quelle-2", "2")]
    for href, anchor, _ in notes:
        assert f'id="{href[1:]}"' in html  # the source exists ...
        assert f'href="#{anchor}"' in html  # ... and links back to this fact
    staffel = re.search(r"Förderstaffel: 1\. Förderstaffel \(2011\)(.*?)(?:;|</li>)", html, re.S).group(1)
    assert 'href="#quelle-1"' in staffel
    sources = html[html.index('<ol class="handbuch-quellen">'):]
    sources = " ".join(unescape(re.sub(r"<[^>]+>", " ", sources[: sources.index("</ol>")])).split())
    assert ("Pressemitteilung zum Förderprogramm . LVR, 13.09.2011, abgerufen am 04.12.2026. "
            "Belegt: LVR-Programm „Teilhabe ermöglichen“: Teilnahme , "
            "LVR-Programm „Teilhabe ermöglichen“: Förderstaffel") in sources
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
        "belegt": ["programme.lvr-teilhabe.teilnahme", "programme.lvr-teilhabe.phase"]}
    assert record["quellen"][1]["datum"] == 2024
    header, row = list(csv.reader(io.StringIO(files["kommunen.csv"].decode("utf-8-sig")), delimiter=";"))
    cell = dict(zip(header, row))["Quellen"]
    assert cell == ("Pressemitteilung zum Förderprogramm (LVR, 13.09.2011, abgerufen am 04.12.2026) "
                    "<https://example.org/pm> [belegt: programme.lvr-teilhabe.teilnahme, programme.lvr-teilhabe.phase] | "
                    "Gemeindeverzeichnis (Statistisches Bundesamt, 2024) [belegt: art, ags]")
    assert not any(h.startswith(("Titel der Quelle", "Adresse der Quelle")) for h in header)
