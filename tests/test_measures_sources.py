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


# --- coverage, similar measures -------------------------------------------------------------------

def _measure(title: str, field: str, phases: str = "") -> str:
    return f"  - titel: {title}\n    handlungsfeld: {field}\n" + (f"    lebensphasen: [{phases}]\n" if phases else "")


def _real(content, slug: str, name: str, measures: list[str], extra: str = "") -> None:
    keys = [re.sub(r"[^a-z0-9]+", "-", m.split("\n")[0].split(": ", 1)[1].lower()).strip("-") for m in measures]
    belegt = ", ".join(["art", "ags", *(f"massnahmen.{k}" for k in keys)])
    ags = {"a": "05000001", "b": "05000002", "c": "05000003"}[slug]
    write_record(content, slug, f"name: {name}\nart: kreisfreie-stadt\nags: \"{ags}\"\n{extra}quellen:\n"
                 f"  - titel: Q\n    url: https://example.org/{slug}\n    belegt: [{belegt}]\nmassnahmen:\n"
                 + "".join(measures))


def _fixture(content) -> None:
    _real(content, "a", "Astadt", [_measure("Elterncafe", "familienbildung", "kita, grundschule"),
                                   _measure("Babylotse", "fruehe-hilfen", "rund-um-die-geburt")])
    _real(content, "b", "Bstadt", [_measure("Familienfruehstueck", "familienbildung", "kita"),
                                   _measure("Lernhilfe", "schule", "grundschule"),
                                   _measure("Willkommensbesuch", "fruehe-hilfen", "rund-um-die-geburt"),
                                   _measure("Ohne Phase", "fruehe-hilfen")])
    _real(content, "c", "Cstadt", [_measure("Elternkurs", "familienbildung", "kita, grundschule")])
    write_record(content, "beispiel", 'name: Beispiel\nart: kreisfreie-stadt\nags: "99000001"\nbeispiel: true\n'
                 "massnahmen:\n" + _measure("Erfundenes Elterncafe", "familienbildung", "kita"))


def test_coverage_counts_real_measures_by_field_and_phase(content):
    from handbuch import aggregates
    _fixture(content)
    c = aggregates.coverage(load_handbook(content))
    rows = {field: (counts, without, total) for field, _, counts, without, total in c.rows}
    # phases: geburt, krippe, kita, grundschule, sekundarstufe, uebergang-beruf (counted by hand)
    assert rows["familienbildung"] == ((0, 0, 3, 2, 0, 0), 0, 3)
    assert rows["fruehe-hilfen"] == ((2, 0, 0, 0, 0, 0), 1, 3)
    assert rows["schule"] == ((0, 0, 0, 1, 0, 0), 0, 1)
    assert (c.measures, c.records, c.without_phase, c.phase_totals) == (7, 3, 1, (2, 0, 3, 3, 0, 0))
    assert "Hilfen zur Erziehung" in c.empty_fields and c.empty_phases == ("Krippe (unter 3 Jahren)", "Sekundarstufe",
                                                                          "Übergang Schule–Beruf")


def test_similar_measures_share_field_and_phase_elsewhere(content):
    from handbuch.present import all_measures, similar_index, similar_measures
    _fixture(content)
    handbook = load_handbook(content)
    index = similar_index(all_measures(handbook))
    a = handbook.municipalities[0]
    assert a.slug == "a"
    found = similar_measures(index, a.record.massnahmen, {"a"})
    # Elternkurs shares two (field, phase) pairs with the Elterncafe, so it comes first; no example record.
    assert [(r.municipality.slug, r.measure.titel) for r in found] == [
        ("c", "Elternkurs"), ("b", "Familienfruehstueck"), ("b", "Willkommensbesuch")]


@pytest.mark.slow
def test_massnahmen_page_and_similar_on_built_pages(content, tmp_path):
    _fixture(content)
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    page = build.page("massnahmen")
    text = " ".join(re.sub(r"<[^>]+>", " ", page[page.index("<article"):]).split())
    assert "Im Handbuch stehen 7 Maßnahmen aus 3 echten Jugendämtern" in text
    assert "Familienbildung – – 3 2 – – – 3" in text and "Frühe Hilfen 2 – – – – – 1 3" in text
    assert "Zusammen 2 – 3 3 – – 1 7".replace("–", "0") in text.replace("–", "0")
    data = (build.site / "massnahmen" / "daten.js").read_text(encoding="utf-8")
    assert '"familienbildung","kita grundschule"' in data
    record = build.page("kommunen/a")
    section = record[record.index('id="aehnliche-massnahmen"'):]
    section = section[: section.index("</ul>")]
    assert re.findall(r'href="\.\./c/#(massnahme-[a-z-]+)"', section) == ["massnahme-elternkurs"]
    assert "Cstadt: Familienbildung; Kita (3 bis 6 Jahre), Grundschule" in " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Erfundenes" not in section


@pytest.mark.slow
def test_published_coverage_matches_the_shipped_records(real_build):
    """The counts on /massnahmen/ against a count of the record files themselves (not the aggregates)."""
    import yaml

    from conftest import CONTENT

    fields, phases = {}, {}
    for path in sorted((CONTENT / "municipalities").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("beispiel"):
            continue
        for m in data.get("massnahmen") or []:
            fields[m["handlungsfeld"]] = fields.get(m["handlungsfeld"], 0) + 1
            for phase in m.get("lebensphasen") or ["ohne"]:
                phases[phase] = phases.get(phase, 0) + 1
    vocab = yaml.safe_load((CONTENT / "vocabularies.yml").read_text(encoding="utf-8"))
    page = real_build.page("massnahmen")
    table = page[page.index('id="abdeckung"'):]
    table = table[table.index("<table"): table.index("</table>")]
    rows = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert [r[0] for r in body] == [e["label"] for e in vocab["handlungsfelder"].values()]
    for row, slug in zip(body, vocab["handlungsfelder"]):
        assert int(row[-1]) == fields.get(slug, 0), slug
    expected = [str(phases.get(slug, 0)) for slug in vocab["lebensphasen"]] + [str(phases.get("ohne", 0)),
                                                                             str(sum(fields.values()))]
    assert total[1:] == expected
    assert f"Im Handbuch stehen {sum(fields.values())} Maßnahmen" in re.sub(r"<[^>]+>", "", page)
