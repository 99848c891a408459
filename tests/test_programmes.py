"""Data model v3 (issue 21): programmes defined once in content, any number per record, each fact
sourced; the migration of every shipped v2 record; the programme figures and pages."""

from __future__ import annotations

import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from conftest import CONTENT, REPO, load_problems, run_build, write_real, write_record
from handbuch import aggregates
from handbuch.loader import load_handbook, load_vocabularies, parse_record
from handbuch.migrate import MigrationError, migrate_text
from handbuch.slugs import slugify
from handbuch.yamlsafe import load_document

V2_FIXTURES = sorted((REPO / "tests" / "fixtures" / "v2").glob("*.yml"))

# A real record whose programme entries start at line 11 (line 1 is the schema comment).
RECORD = """\
name: Teststadt
art: kreisfreie-stadt
ags: "05000001"
quellen:
  - titel: Pressemitteilung
    herausgeber: Land
    url: https://example.org/pm
    belegt: [art, ags]
programme:
"""


def entries(text: str) -> str:
    """The record with these programme entries (their facts need no source for the checks below)."""
    return RECORD + text


def problems_of(content, text: str) -> list:
    write_record(content, "teststadt", text)
    # Unsourced facts are reported too; the checks here are about the programme rules.
    return [p for p in load_problems(content) if "keine Quelle belegt" not in p.message]


def only(content, text: str):
    found = problems_of(content, text)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


# --- bad input: each a German message with file, line and field ----------------------------------

def test_an_unknown_programme_suggests_the_right_one(content):
    p = only(content, entries("  - programm: kinderstrak\n    teilnahme: true\n"))
    assert (p.file.endswith("teststadt.yml"), p.line, p.field) == (True, 11, "programme[1].programm")
    assert p.message == ("unbekannter Wert „kinderstrak“; erlaubt: lvr-teilhabe, kekiz, kinderstark. "
                         "Meinten Sie „kinderstark“?")


def test_a_year_before_the_programme_began(content):
    p = only(content, entries("  - programm: kinderstark\n    teilnahme: true\n    seit: 2017\n"))
    assert (p.line, p.field) == (13, "programme[1].seit")
    assert p.message == ("2017 liegt vor dem Beginn des Programms „kinderstark – NRW schafft Chancen“ (2020); "
                         "erlaubt: seit 2020.")


def test_a_year_after_the_programme_ended(content):
    p = only(content, entries("  - programm: lvr-teilhabe\n    teilnahme: true\n    seit: 2015\n"))
    assert (p.line, p.field) == (13, "programme[1].seit")
    assert p.message == ("2015 liegt nach dem Ende des Programms LVR-Programm „Teilhabe ermöglichen“ (2014); "
                         "erlaubt: 2011–2014.")


def test_a_phase_the_programme_does_not_have(content):
    p = only(content, entries("  - programm: lvr-teilhabe\n    teilnahme: true\n    phase: modellphase\n"))
    assert (p.line, p.field) == (13, "programme[1].phase")
    assert p.message == ("unbekannte Förderstaffel „modellphase“ im LVR-Programm „Teilhabe ermöglichen“; "
                         "erlaubt: staffel-1, staffel-2, staffel-3, staffel-4.")


def test_a_misspelt_phase_gets_a_suggestion(content):
    p = only(content, entries("  - programm: kekiz\n    teilnahme: true\n    phase: ausbauu\n"))
    assert (p.line, p.field) == (13, "programme[1].phase")
    assert p.message.endswith("erlaubt: modellphase, ausbau. Meinten Sie „ausbau“?")


def test_a_phase_for_a_programme_without_phases(content):
    p = only(content, entries("  - programm: kinderstark\n    teilnahme: true\n    phase: ausbau\n"))
    assert (p.line, p.field) == (13, "programme[1].phase")
    assert p.message == ("das Programm „kinderstark – NRW schafft Chancen“ hat keine Phasen oder Staffeln; "
                         "bitte „phase“ entfernen.")


def test_a_year_that_contradicts_the_phase(content):
    p = only(content, entries("  - programm: kekiz\n    teilnahme: true\n    phase: ausbau\n    seit: 2012\n"))
    assert (p.line, p.field) == (14, "programme[1].seit")
    assert p.message == ("2012 passt nicht zur Phase „Ausbau (ab 2017)“, die 2017 begann; bitte Jahr oder Phase "
                         "prüfen.")


def test_the_same_programme_twice(content):
    p = only(content, entries("  - programm: kekiz\n    teilnahme: true\n  - programm: kekiz\n    seit: 2017\n"))
    assert (p.line, p.field) == (13, "programme[2].programm")
    assert p.message == ("„kekiz“ steht schon als Eintrag 1 unter „programme“; jedes Programm darf nur einmal "
                         "vorkommen. Bitte beide Einträge zusammenführen.")


def test_a_field_only_another_programme_has(content):
    p = only(content, entries("  - programm: kekiz\n    teilnahme: true\n    monitoring_projekt: true\n"))
    assert (p.line, p.field) == (13, "programme[1].monitoring_projekt")
    assert p.message == ("dieses Feld gibt es nur bei Programmen, die es vorsehen; „Kein Kind zurücklassen!“ sieht es "
                         "nicht vor.")


def test_no_phase_without_participation(content):
    p = only(content, entries("  - programm: lvr-teilhabe\n    teilnahme: false\n    phase: staffel-1\n"))
    assert (p.line, p.field) == (13, "programme[1].phase")
    assert p.message == "„phase“ passt nicht zu „teilnahme: false“."


def test_a_v2_programm_block_names_the_new_key(content):
    v2 = RECORD.replace("programme:\n", "programm:\n  teilnahme: true\n  staffel: 1\n")
    p = only(content, v2)
    assert (p.line, p.field) == (10, "programm")
    assert p.message == ("unbekanntes Feld: seit Datenmodell 3 heißt es „programme“, eine Liste mit einem Eintrag je "
                         "Programm („- programm: lvr-teilhabe“, darunter teilnahme, phase, seit). „make migrate“ "
                         "stellt alte Datensätze um; siehe docs/entwicklung/datenmodell.md.")


def test_a_v2_staffel_in_a_programme_entry_names_phase(content):
    p = only(content, entries("  - programm: lvr-teilhabe\n    teilnahme: true\n    staffel: 1\n"))
    assert (p.line, p.field) == (13, "programme[1].staffel")
    assert p.message == ("unbekanntes Feld: seit Datenmodell 3 heißt es „phase“, z. B. „phase: staffel-2“ im Eintrag "
                         "„programm: lvr-teilhabe“.")


def test_every_programme_fact_of_a_real_record_needs_a_source(content):
    write_record(content, "teststadt", entries("  - programm: kinderstark\n    teilnahme: true\n    seit: 2021\n"))
    found = sorted((p.line, p.field, p.message) for p in load_problems(content))
    assert found == [
        (12, "programme[1].teilnahme", "keine Quelle belegt diese Angabe. Bitte bei der Quelle, aus der sie stammt, "
         "unter „belegt“ ergänzen (z. B. belegt: [programme.kinderstark.teilnahme]) oder die Angabe entfernen."),
        (13, "programme[1].seit", "keine Quelle belegt diese Angabe. Bitte bei der Quelle, aus der sie stammt, "
         "unter „belegt“ ergänzen (z. B. belegt: [programme.kinderstark.seit]) oder die Angabe entfernen."),
    ]


def test_a_record_in_several_programmes_is_valid(content):
    text = RECORD.replace("belegt: [art, ags]", "belegt: [art, ags, programme.kekiz.teilnahme, programme.kekiz.phase, "
                          "programme.kekiz.seit, programme.kinderstark.teilnahme, programme.kinderstark.seit]")
    write_record(content, "teststadt", text + "  - programm: kekiz\n    teilnahme: true\n    phase: ausbau\n"
                 "    seit: 2017\n  - programm: kinderstark\n    teilnahme: true\n    seit: 2021\n")
    record = load_handbook(content).municipalities[0].record
    assert [(e.programm, e.seit) for e in record.programme] == [("kekiz", 2017), ("kinderstark", 2021)]


# --- the programme definitions (content/programme.yml) ----------------------------------------------

def _programmes_with(content, old: str, new: str) -> None:
    path = content / "programme.yml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_programme_figure_with_an_unknown_source(content):
    _programmes_with(content, "      quelle: lvr-pm-2015\n", "      quelle: lvr-pm-2051\n")
    [p] = load_problems(content)
    assert p.file.endswith("programme.yml") and p.field == "lvr-teilhabe.kennzahlen[1].quelle"
    assert "unbekannte Quelle „lvr-pm-2051“" in p.message and "Meinten Sie „lvr-pm-2015“?" in p.message


def test_a_programme_fact_without_a_source(content):
    _programmes_with(content, "      belegt: [ende, beschreibung]\n", "      belegt: [beschreibung]\n")
    [p] = load_problems(content)
    assert (p.field, p.message) == ("lvr-teilhabe.ende", "keine Quelle belegt diese Angabe; bitte bei der Quelle "
                                                         "unter „belegt“ ergänzen (z. B. belegt: [ende]).")
    lines = (content / "programme.yml").read_text(encoding="utf-8").split("\n")
    assert lines[p.line - 1].strip() == "ende: 2014"


def test_shipped_programmes_cite_dated_sources_for_every_figure():
    for slug, programme in load_vocabularies(CONTENT, []).programme.items():
        assert programme.total is not None, slug
        for figure in programme.kennzahlen:
            source = programme.quellen[figure.quelle]
            assert source.url and source.datum and source.herausgeber, (slug, figure.wert)


# --- the migration v2 -> v3 ----------------------------------------------------------------------

@pytest.mark.parametrize("path", V2_FIXTURES, ids=lambda p: p.stem)
def test_every_shipped_v2_record_migrates_to_a_valid_v3_record_with_the_same_facts(path):
    """tests/fixtures/v2 holds every record as shipped before v3 (commit be18e39)."""
    text = path.read_text(encoding="utf-8")
    old = load_document(text.encode("utf-8")).data
    migrated = migrate_text(text)
    vocabularies = load_vocabularies(CONTENT, [])
    problems: list = []
    parsed = parse_record(migrated.text.encode("utf-8"), path.name, vocabularies, problems)
    assert parsed is not None, [p.format() for p in problems]
    record = parsed[0]
    block = old.get("programm") or {}
    entry = record.entry("lvr-teilhabe")
    if not any(v is not None for v in block.values()):
        assert entry is None
    else:
        assert (entry.teilnahme, entry.seit, entry.monitoring_projekt) == (
            block.get("teilnahme"), block.get("seit"), block.get("monitoring_projekt"))
        assert entry.phase == (f"staffel-{block['staffel']}" if block.get("staffel") is not None else None)
    # every other fact and every source stays as it was
    new = load_document(migrated.text.encode("utf-8")).data
    for key in set(old) - {"programm", "quellen"}:
        assert new[key] == old[key], key
    renamed = {"programm.staffel": "programme.lvr-teilhabe.phase"}
    each_measure = [f"massnahmen.{slugify(m['titel'])}" for m in old.get("massnahmen") or []]
    for before, after in zip(old.get("quellen") or [], new.get("quellen") or [], strict=True):
        expected = []
        for p in before.get("belegt", []):
            expected += each_measure if p == "massnahmen" else [
                renamed.get(p, p.replace("programm.", "programme.lvr-teilhabe."))]
        assert after == {**before, **({"belegt": expected} if "belegt" in before else {})}
    # a second run changes nothing
    assert migrate_text(migrated.text) == type(migrated)(migrated.text, False)


def test_migration_keeps_everything_else_byte_for_byte():
    text = ("# yaml-language-server: $schema=../../schemas/kommune.schema.json\r\nname: X  # Kommentar\r\n"
            "quellen:\r\n  - titel: T\r\n    belegt: [programm.seit, beschreibung]\r\nprogramm:\r\n  teilnahme: true\r\n"
            "  seit: 2012\r\nbeschreibung: |\r\n  programm.seit im Text bleibt\r\n")
    assert migrate_text(text).text == (
        "# yaml-language-server: $schema=../../schemas/kommune.schema.json\r\nname: X  # Kommentar\r\n"
        "quellen:\r\n  - titel: T\r\n    belegt: [programme.lvr-teilhabe.seit, beschreibung]\r\nprogramme:\r\n"
        "  - programm: lvr-teilhabe\r\n    teilnahme: true\r\n    seit: 2012\r\nbeschreibung: |\r\n"
        "  programm.seit im Text bleibt\r\n")


def test_migration_refuses_what_it_cannot_decide():
    with pytest.raises(MigrationError, match="unbekannte Felder im Block „programm“: stufe"):
        migrate_text("name: X\nprogramm:\n  stufe: 2\n")
    with pytest.raises(MigrationError, match="schon „programme“ und noch „programm“"):
        migrate_text("name: X\nprogramm:\n  seit: 2012\nprogramme: []\n")


def test_the_migration_script_rewrites_files_and_checks(tmp_path):
    target = tmp_path / "a.yml"
    target.write_text((V2_FIXTURES[0]).read_text(encoding="utf-8"), encoding="utf-8")
    script = [sys.executable, str(REPO / "scripts" / "migrate.py")]
    check = subprocess.run([*script, "--pruefen", str(target)], capture_output=True, text=True, cwd=REPO)
    assert check.returncode == 1 and "wäre umzustellen" in check.stdout
    done = subprocess.run([*script, str(target)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "umgestellt" in done.stdout and "programme:" in target.read_text(encoding="utf-8")
    again = subprocess.run([*script, "--pruefen", str(target)], capture_output=True, text=True, cwd=REPO)
    assert again.returncode == 0


def test_no_shipped_record_still_needs_the_migration():
    for path in sorted((CONTENT / "municipalities").glob("*.yml")):
        assert not migrate_text(path.read_text(encoding="utf-8")).changed, path.name


# --- figures and pages ---------------------------------------------------------------------------

def _fixture(content) -> None:
    """Hand-counted: KeKiz has 5 real participants (two in one Verbund) -> 4 counted; 2012: 2, 2017: 2,
    one without year; an example record and a record with teilnahme: false count nowhere."""
    def kekiz(n: int, extra: str) -> None:
        write_real(content, n, f"programme: [{{programm: kekiz, teilnahme: true, {extra}}}]\n")

    kekiz(1, "phase: modellphase, seit: 2012")
    kekiz(2, "phase: modellphase, seit: 2012, verbund: Kommunen im Kreis K")
    kekiz(3, "phase: modellphase, verbund: Kommunen im Kreis K")
    kekiz(4, "phase: ausbau, seit: 2017")
    kekiz(5, "seit: 2017")
    write_real(content, 6, "programme: [{programm: kekiz, teilnahme: false}]\n")
    write_record(content, "beispiel", 'name: Beispiel\nart: kreisfreie-stadt\nags: "99000001"\nbeispiel: true\n'
                 "programme: [{programm: kekiz, teilnahme: true, seit: 2012}]\n")


def test_programme_figures_against_hand_counted_fixture(content):
    _fixture(content)
    o = aggregates.programme(load_handbook(content), "kekiz")
    assert (o.recorded, o.counted, o.without_year) == (5, 4, 1)
    assert o.years == ((2012, 2), (2017, 2))
    assert [(key, count) for key, _, count in o.phases] == [("modellphase", 3), ("ausbau", 1)]
    assert [p.municipality.slug for p in o.participants] == ["k1", "k2", "k3", "k4", "k5"]
    assert aggregates.programme(load_handbook(content), "kinderstark").recorded == 0


def _text(html: str) -> str:
    article = html[html.index("<article"): html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


@pytest.mark.slow
def test_programme_page_chart_table_and_record_timeline(content, tmp_path):
    _fixture(content)
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    page = build.page("programme/kekiz")
    text = _text(page)
    assert "4 der 40 Kommunen sind im Handbuch erfasst" in text
    assert "Ein Verbund mehrerer Jugendämter zählt dabei einmal, wie im Programm; erfasst sind 5 Jugendämter." in text
    # the chart and the table carry the same numbers
    assert 'id="balken-programm-kekiz-titel"' in page
    desc = re.search(r'<desc id="balken-programm-kekiz-beschreibung">(.*?)</desc>', page).group(1)
    assert desc == "2012: 2 erfasst; 2017: 2 erfasst"
    assert "Im Programm seit Im Handbuch erfasst 2012 2 2017 2 ohne belegtes Jahr 1 Zusammen 5" in text
    assert "Modellphase (ab 2012) 3" in text and "Ausbau (ab 2017) 1" in text
    # the sourced figures with publisher and date, and every participant linked
    assert "40 Kommunen (Stand 2017)" in text and "18 Modellkommunen (Stand 15.09.2014)" in text
    for n in range(1, 6):
        assert f'href="../../kommunen/k{n}/"' in page
    assert "k6" not in page and "Beispiel" not in text
    # the record page: the programme as a timeline entry, every fact with its footnote
    record = build.page("kommunen/k1")
    timeline = record[record.index('id="programme"'):]
    timeline = timeline[: timeline.index("</ul>")]
    assert 'href="../../programme/kekiz/"' in timeline
    assert re.search(r"Teilnahme: ja<sup class=\"handbuch-beleg\"", timeline)
    assert re.search(r"Phase: Modellphase \(ab 2012\)<sup class=\"handbuch-beleg\"", timeline)
    # /kommunen/ narrows by programme: the choice and the programmes of each row
    overview = build.page("kommunen")
    assert '<option value="kekiz">' in overview and 'data-programme="kekiz"' in overview
    assert 'data-programme=""' in overview  # the example record's row: no confirmed programme


def test_the_shipped_handbook_names_all_40_kekiz_participants_with_their_year():
    """Issue 21: all 40 KeKiz municipalities (a Verbund counts once), each with its year."""
    o = aggregates.programme(load_handbook(CONTENT), "kekiz")
    assert o.counted == 40
    groups: dict[str, list] = {}
    for p in o.participants:
        groups.setdefault(p.entry.verbund or p.municipality.slug, []).append(p.entry.seit)
    assert all(any(year is not None for year in years) for years in groups.values()), groups
    real = [m for m in load_handbook(CONTENT).municipalities if not m.record.beispiel]
    assert len(real) >= 90
