"""Loader and model: every problem found at once, in German, with file, line and field."""

from __future__ import annotations

import os

import pytest

from conftest import CONTENT, VALID, load_problems, write_chapter, write_record
from handbuch.loader import CONTENT_ENV, content_root, load_handbook
from handbuch.problems import Problem


def problems(root) -> list[Problem]:
    return load_problems(root)


def only(root) -> Problem:
    found = problems(root)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def test_shipped_content_is_valid():
    handbook = load_handbook(CONTENT)
    assert len(handbook.municipalities) >= 4
    assert {m.slug for m in handbook.municipalities} >= {"nettetal", "bergheim", "kerpen", "essen"}
    assert [c.meta.order for c in handbook.chapters] == sorted(c.meta.order for c in handbook.chapters)


def test_real_records_state_only_sourced_facts():
    handbook = load_handbook(CONTENT)
    for m in handbook.municipalities:
        if not m.record.beispiel:
            assert m.record.quellen, m.slug
            assert not m.record.ags.startswith("99")
        else:
            assert m.record.ags.startswith("99")


def test_valid_record(content):
    write_record(content, "teststadt", VALID)
    handbook = load_handbook(content)
    record = handbook.municipalities[0].record
    assert record.name == "Teststadt" and record.massnahmen[0].handlungsfeld == "fruehe-hilfen"
    assert record.netzwerk is None  # missing stays "keine Angabe", never False


def test_content_root_override(content, monkeypatch):
    monkeypatch.setenv(CONTENT_ENV, str(content))
    assert content_root() == content.resolve()
    monkeypatch.delenv(CONTENT_ENV)
    assert content_root() == CONTENT


def test_message_format_names_file_line_column_and_field(content):
    write_record(content, "teststadt", VALID.replace("handlungsfeld: fruehe-hilfen", "handlungsfeld: fruehe-hilfe"))
    p = only(content)
    assert p.file.endswith("teststadt.yml") and p.line == 9 and p.field == "massnahmen[1].handlungsfeld"
    assert p.format() == (f"{p.file}:9:20: Feld „massnahmen[1].handlungsfeld“: unbekannter Wert „fruehe-hilfe“; "
                          f"erlaubt: {p.message.split('erlaubt: ')[1]}")
    assert "Meinten Sie „fruehe-hilfen“?" in p.message


def test_unknown_key_suggests_the_right_one(content):
    write_record(content, "teststadt", VALID + "    jugendampt: Jugendamt Teststadt\n")
    p = only(content)
    assert (p.line, p.field) == (10, "jugendampt")
    assert "unbekanntes Feld" in p.message and "Meinten Sie „jugendamt“?" in p.message


def test_unknown_nested_key(content):
    write_record(content, "teststadt", VALID + "    koordination:\n      verortng: stabsstelle\n")
    p = only(content)
    assert (p.line, p.field) == (11, "koordination.verortng") and "Meinten Sie „verortung“?" in p.message


def test_unquoted_ags_asks_for_quotes(content):
    write_record(content, "teststadt", VALID.replace('ags: "99000010"', "ags: 05362008"))
    p = only(content)
    assert (p.line, p.field) == (5, "ags")
    assert "gefunden Zahl „05362008“" in p.message and "Anführungszeichen" in p.message


def test_missing_required_fields(content):
    write_record(content, "teststadt", "name: Teststadt\nbeispiel: true\n")
    found = problems(content)
    assert {(p.field, p.message) for p in found} == {("art", "Pflichtfeld fehlt."), ("ags", "Pflichtfeld fehlt.")}


def test_kreis_required_for_kreisangehoerige(content):
    write_record(content, "teststadt", VALID.replace("    kreis: Testkreis\n", ""))
    p = only(content)
    assert p.field == "kreis" and "Pflichtfeld fehlt" in p.message


@pytest.mark.parametrize(("addition", "field", "wording"), [
    ("    programme:\n      - programm: kekiz\n        seit: -2014\n", "programme[1].seit", "mindestens 1950"),
    ("    programme:\n      - programm: kekiz\n        seit: 20140\n", "programme[1].seit", "höchstens 2050"),
    ("    koordination:\n      umfang_vzae: .inf\n", "koordination.umfang_vzae", "endliche Zahl"),
    ("    koordination:\n      umfang_vzae: 400.0\n", "koordination.umfang_vzae", "höchstens 20"),
    ("    koordination:\n      umfang_vzae: -1.0\n", "koordination.umfang_vzae", "größer als 0"),
    ("    koordination:\n      umfang_vzae: .nan\n", "koordination.umfang_vzae", "endliche Zahl"),
    ("    stand: 2016-13-45\n", "stand", "JJJJ-MM-TT"),
    ("    programme:\n      - programm: kekiz\n        teilnahme: ja\n", "programme[1].teilnahme",
     "true (ja) oder false (nein)"),
    ("    programme:\n      - programm: lvr-teilhabe\n        phase: staffel-5\n", "programme[1].phase",
     "erlaubt: staffel-1, staffel-2, staffel-3, staffel-4"),
    ("    netzwerk: produktionsnetzwerk\n", "netzwerk", "eine Zuordnung"),
    ("    quellen: Bericht\n", "quellen", "eine Liste"),
    ("    kontakt:\n      web: javascript:alert(1)\n", "kontakt.web", "https://"),
    ("    kontakt:\n      email: keine-adresse\n", "kontakt.email", "E-Mail-Adresse"),
    ("    beschreibung: '[klick](javascript:alert(1))'\n", "beschreibung", "https://, http:// oder mailto:"),
    ("    netzwerk:\n      merkmale: [vertrauenskultur, vertrauenskultur]\n", "netzwerk.merkmale",
     "„vertrauenskultur“ steht zweimal"),
])
def test_wrong_values_are_explained(content, addition, field, wording):
    write_record(content, "teststadt", VALID + addition)
    p = only(content)
    assert p.field == field and wording in p.message, p.format()
    assert p.line >= 10


def test_measure_link_must_be_a_web_page(content):
    write_record(content, "teststadt", VALID + "        link: file:///etc/passwd\n")
    p = only(content)
    assert p.field == "massnahmen[1].link" and "https:// oder http://" in p.message


def test_real_records_need_sources_and_a_real_land(content):
    write_record(content, "teststadt", VALID.replace("beispiel: true", "beispiel: false"))
    found = problems(content)
    assert {p.field for p in found} == {"ags", "quellen", "art", "kreis", "massnahmen[1]"}
    assert all("keine Quelle belegt" in p.message for p in found if p.field not in ("ags", "quellen"))


def test_duplicate_ags_and_name_across_records(content):
    write_record(content, "teststadt", VALID)
    write_record(content, "teststadt-zwei", VALID)
    found = problems(content)
    assert {p.field for p in found} == {"ags", "name"}
    assert all(p.file.endswith("teststadt.yml") or p.file.endswith("teststadt-zwei.yml") for p in found)
    assert any("steht schon in" in p.message for p in found)


def test_file_names_must_be_slugs(content):
    write_record(content, "Köln Stadt", VALID)
    p = only(content)
    assert "kein gültiger Kurzname" in p.message and "Meinten Sie „koeln-stadt.yml“?" in p.message


def test_list_instead_of_mapping(content):
    write_record(content, "teststadt", "- name: Teststadt\n")
    assert "keine Liste" in only(content).message


def test_all_problems_in_all_files_at_once(content):
    write_record(content, "eins", VALID.replace("art: kreisangehoerige-stadt", "art: stadt"))
    write_record(content, "zwei", "name: [\n")
    (content / "municipalities" / "drei.yml").write_bytes(b"name: K\xf6ln\n")
    found = problems(content)
    assert {p.file.rsplit("/", 1)[-1] for p in found} == {"eins.yml", "zwei.yml", "drei.yml"}


def test_vocabulary_errors_are_reported_against_vocabularies_yml(content):
    path = content / "vocabularies.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("handlungsfelder:", "handlungsfelder_alt:"),
                    encoding="utf-8")
    found = problems(content)
    assert any(p.file.endswith("vocabularies.yml") and "handlungsfelder" in p.message for p in found)


def test_chapter_front_matter_is_validated(content):
    write_chapter(content, "kapitel", "---\ntitle: Kapitel\nreihenfolge: 1\n---\nText\n")
    found = problems(content)
    assert {(p.line, p.field) for p in found} == {(2, "order"), (3, "reihenfolge")}


def test_no_traceback_for_unreadable_content_root(tmp_path):
    p = only(tmp_path / "fehlt")
    assert "municipalities" in p.message
    assert os.path.basename(p.file) == "fehlt"


def test_records_must_start_with_the_schema_line(content):
    write_record(content, "teststadt", VALID, schema_line=False)
    p = only(content)
    assert p.line == 1 and "# yaml-language-server: $schema=../../schemas/kommune.schema.json" in p.message


TRAPS = [
    # (file content after the schema line, line, wording)
    ("", 1, "Die Datei ist leer."),
    ("name: Teststadt\nname: Zweitstadt\n", 3, "Der Schlüssel „name“ steht doppelt (Zeile 2 und Zeile 3)"),
    ("name: Teststadt\nprogramm:\n\tstaffel: 1\n", 4, "Tabulator zum Einrücken"),
    ('name: "Teststadt\nart: kreis\n', 2, "schließendes Anführungszeichen"),
    ('name: Teststadt\nart: kreisfreie-stadt\nags: "99000010"\nbeispiel: true\nstand: 2016-13-45\n', 6,
     "„2016-13-45“ ist kein gültiges Datum; erlaubt ist JJJJ-MM-TT"),
    ("name: !!python/object/apply:os.system ['true']\n", 2, "„!!python/object/apply:os.system“ ist nicht erlaubt"),
    ("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", 2, "Anker und Verweise"),
    ("- name: Teststadt\n", 1, "keine Liste"),
]


@pytest.mark.parametrize(("body", "line", "wording"), TRAPS)
def test_yaml_traps_name_file_line_and_wording(content, body, line, wording):
    write_record(content, "teststadt", body)
    p = only(content)
    assert p.file.endswith("municipalities/teststadt.yml") and p.line == line and wording in p.message, p.format()


def test_non_utf8_and_bom_and_oversized_files(content):
    folder = content / "municipalities"
    schema = b"# yaml-language-server: $schema=../../schemas/kommune.schema.json\n"
    (folder / "latin.yml").write_bytes(schema + b"name: K\xf6ln\n")
    (folder / "bom.yml").write_bytes(b"\xef\xbb\xbf" + schema + b"name: X\n")
    (folder / "gross.yml").write_bytes(schema + b"beschreibung: " + b"x" * 300_000 + b"\n")
    found = {p.file.rsplit("/", 1)[-1]: p for p in problems(content)}
    assert found["latin.yml"].line == 2 and "nicht UTF-8-kodiert (ungültiges Byte 0xF6)" in found["latin.yml"].message
    assert found["bom.yml"].line == 1 and "Byte-Order-Markierung (BOM)" in found["bom.yml"].message
    assert "zu groß" in found["gross.yml"].message


def test_index_is_a_reserved_file_name(content):
    write_record(content, "index", VALID)
    assert "reserviert" in only(content).message


def test_odd_chapter_files(content):
    (content / "practice-guide" / "ordner.md").mkdir()
    write_chapter(content, "crlf", "---\r\ntitle: Fenster\r\norder: 1\r\n---\r\nText\r\n")
    write_chapter(content, "offen", "---\ntitle: Offen\norder: 2\nText ohne Ende des Kopfes\n")
    write_chapter(content, "ende", "---\ntitle: Ende\norder: 3\n---")
    found = {p.file.rsplit("/", 1)[-1]: p.message for p in problems(content)}
    assert set(found) == {"ordner.md", "offen.md"}
    assert "kein Ordner" in found["ordner.md"] and "nicht geschlossen" in found["offen.md"]


def _vocabulary_with(content, old: str, new: str) -> None:
    path = content / "vocabularies.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_programmes_are_not_a_vocabulary(content):
    _vocabulary_with(content, "arten:\n", "programme:\n  kekiz:\n    label: KeKiz\narten:\n")
    p = only(content)
    assert p.field == "programme" and "content/programme.yml" in p.message


def test_key_figures_only_for_single_valued_fields(content):
    _vocabulary_with(content, "kennzahlen:\n", "kennzahlen:\n  steuerungsgruppe.zusammensetzung: {label: Z}\n")
    p = only(content)
    assert p.field == "kennzahlen.steuerungsgruppe.zusammensetzung" and "genau einem Wert" in p.message


def test_text_fields_reject_blanks_and_control_characters(content):
    write_record(content, "teststadt", VALID.replace("name: Teststadt", 'name: "Teststadt "'))
    assert "ohne Leerzeichen am Anfang oder Ende" in only(content).message
    write_record(content, "teststadt", VALID.replace("name: Teststadt", 'name: "Test\\u0002stadt"'))
    assert "Steuerzeichen" in only(content).message


def test_integral_floats_count_as_years(content):
    write_record(content, "teststadt", VALID + "    programme: [{programm: kekiz, seit: 2014.0}]\n")
    record = load_handbook(content).municipalities[0].record
    assert record.entry("kekiz").seit == 2014 and isinstance(record.entry("kekiz").seit, int)


def test_glossary_is_validated(content):
    (content / "glossar.yml").write_text("ASD:\n  langform: Allgemeiner Sozialer Dienst\nLVR:\n  lang: X\n",
                                         encoding="utf-8")
    found = problems(content)
    assert any(p.file.endswith("glossar.yml") and p.line == 4 and "Meinten Sie „langform“?" in p.message
               for p in found), [p.format() for p in found]


def test_synonyms_are_loaded(content):
    (content / "synonyme.yml").write_text("Koordinationsfachkraft:\n  - Koordinator\n  - Koordinatorin\n",
                                          encoding="utf-8")
    assert load_handbook(content).synonyms == {"Koordinationsfachkraft": ("Koordinator", "Koordinatorin")}


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("Kita:\n  - Kindergarten\n  - ''\n", 3, "leerer Eintrag"),
    ("Kita: []\n", 1, "leerer Eintrag"),
    ("Kita:\n", 1, "leerer Eintrag"),
    ("Kita:\n  - Kindergarten\nQuartier:\n  - kindergarten\n", 4, "„kindergarten“ steht doppelt (schon unter „Kita“)"),
    ("Kita:\n  - Kindergarten\nKita:\n  - Hort\n", 3, "steht doppelt"),
    ("Kita:\n  - Kindergarten\n  - KITA\n", 3, "ist der Begriff selbst"),
    ("- Kita\n", 1, "Zuordnung"),
])
def test_synonym_mistakes_are_german_errors_with_line(content, text, line, expected):
    (content / "synonyme.yml").write_text(text, encoding="utf-8")
    found = [p for p in problems(content) if p.file.endswith("synonyme.yml")]
    assert [p.line for p in found] == [line] and expected in found[0].message, [p.format() for p in found]
