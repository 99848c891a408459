"""Issue 22: each real measure shows its source; bad measures get German messages with file, line, field."""

from __future__ import annotations

import re

import pytest

from conftest import load_problems, run_build, write_record
from handbuch.loader import load_handbook

# A real record with two measures and one source for each (line 1 is the schema comment).
RECORD = """\
name: Teststadt
art: kreisfreie-stadt
ags: "05000001"
quellen:
  - titel: Amtsblatt
    herausgeber: Stadt Teststadt
    url: https://example.org/a
    belegt: [art, ags, massnahmen.elterncafe]
  - titel: Pressemitteilung Familienbüro
    herausgeber: Stadt Teststadt
    url: https://example.org/b
    belegt: [massnahmen.familienbuero-im-rathaus]
massnahmen:
  - titel: Elterncafé
    handlungsfeld: familienbildung
    zielgruppen: [eltern]
  - titel: Familienbüro im Rathaus
    handlungsfeld: familienbildung
    lebensphasen: [rund-um-die-geburt]
"""


def only(content, text: str):
    write_record(content, "teststadt", text)
    found = load_problems(content)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def test_each_measure_named_by_its_source_is_valid(content):
    write_record(content, "teststadt", RECORD)
    record = load_handbook(content).municipalities[0].record
    assert [m.titel for m in record.massnahmen] == ["Elterncafé", "Familienbüro im Rathaus"]


def test_a_real_measure_no_source_supports(content):
    p = only(content, RECORD.replace("    belegt: [massnahmen.familienbuero-im-rathaus]\n", ""))
    assert (p.file.endswith("teststadt.yml"), p.line, p.field) == (True, 17, "massnahmen[2]")
    assert p.message == ("keine Quelle belegt diese Angabe. Bitte bei der Quelle, aus der sie stammt, unter „belegt“ "
                         "ergänzen (z. B. belegt: [massnahmen.familienbuero-im-rathaus]) oder die Angabe entfernen.")


def test_a_source_naming_a_measure_that_is_not_there(content):
    p = only(content, RECORD.replace("belegt: [massnahmen.familienbuero-im-rathaus]",
                                     "belegt: [massnahmen.familienbuero-im-rathaus, massnahmen.elterncafee]"))
    assert (p.line, p.field) == (13, "quellen[2].belegt[2]")
    assert p.message == ("„massnahmen.elterncafee“: keine Maßnahme dieses Datensatzes hat diesen Kurznamen (er wird aus "
                         "dem Titel gebildet); vorhanden: massnahmen.elterncafe, massnahmen.familienbuero-im-rathaus. "
                         "Meinten Sie „massnahmen.elterncafe“?")


def test_the_whole_list_is_no_longer_a_source_path(content):
    p = only(content, RECORD.replace("belegt: [art, ags, massnahmen.elterncafe]", "belegt: [art, ags, massnahmen]"))
    assert (p.line, p.field) == (9, "quellen[1].belegt[3]")
    assert p.message.startswith("seit Datenmodell 3 belegt eine Quelle jede Maßnahme einzeln: massnahmen.<Kurzname")


def test_a_measure_without_handlungsfeld(content):
    p = only(content, RECORD.replace("  - titel: Elterncafé\n    handlungsfeld: familienbildung\n", "  - titel: Elterncafé\n"))
    assert (p.line, p.field, p.message) == (15, "massnahmen[1].handlungsfeld", "Pflichtfeld fehlt.")


@pytest.mark.parametrize(("old", "new", "field", "line", "hint"), [
    ("zielgruppen: [eltern]", "zielgruppen: [elten]", "massnahmen[1].zielgruppen[1]", 17, "Meinten Sie „eltern“?"),
    ("lebensphasen: [rund-um-die-geburt]", "lebensphasen: [rund-um-die-gebut]", "massnahmen[2].lebensphasen[1]", 20,
     "Meinten Sie „rund-um-die-geburt“?"),
])
def test_unknown_zielgruppe_or_lebensphase(content, old, new, field, line, hint):
    p = only(content, RECORD.replace(old, new))
    assert (p.line, p.field) == (line, field)
    assert p.message.startswith("unbekannter Wert") and p.message.endswith(hint)


@pytest.mark.parametrize("link", ["mailto:familienbuero@example.org", "javascript:alert(1)", "ftp://example.org/x"])
def test_a_measure_link_must_be_a_web_page(content, link):
    p = only(content, RECORD + f"    link: {link}\n")
    assert (p.line, p.field) == (21, "massnahmen[2].link")
    assert "erwartet: eine Adresse, die mit https:// oder http:// beginnt" in p.message


def test_the_same_measure_twice(content):
    p = only(content, RECORD + "  - titel: Elterncafe\n    handlungsfeld: familienbildung\n")
    assert (p.line, p.field) == (21, "massnahmen[3].titel")
    assert p.message == ("die Maßnahme „Elterncafe“ steht schon als Nr. 1 in der Liste (gleicher Titel); jede Maßnahme "
                         "nur einmal, bitte zusammenführen oder anders benennen.")


@pytest.mark.slow
def test_the_record_page_shows_which_source_supports_which_measure(content, tmp_path):
    write_record(content, "teststadt", RECORD)
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    html = build.page("kommunen/teststadt")
    for title, number in (("Elterncafé", 1), ("Familienbüro im Rathaus", 2)):
        section = html[html.index(f">{title}<"):]
        belege = re.search(r'<p class="handbuch-belege"[^>]*>(.*?)</p>', section, re.S).group(1)
        assert re.findall(r'href="#quelle-(\d)"', belege) == [str(number)], title
    sources = html[html.index('<ol class="handbuch-quellen">'):]
    assert "Maßnahme „Familienbüro im Rathaus“</a>" in sources
