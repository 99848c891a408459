"""The form editor (/redaktion/): configuration from the model, its save format, the page in
the site (noindex, not in the offline bundle) and the link from every record page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import CONTENT, REPO
from handbuch import cms, derived
from handbuch.cms import CMS_CONFIG_FILE, build_cms_config, cms_config_text
from handbuch.loader import load_handbook, load_vocabularies
from handbuch.model import Kommune, Record, Teilnahme, source_paths
from handbuch.problems import ContentError
from handbuch.slugs import slugify

VOCABULARIES = load_vocabularies(CONTENT, [])
CONFIG = build_cms_config(VOCABULARIES)
FIELDS = {field["name"]: field for field in CONFIG["collections"][0]["fields"]}


def test_committed_config_is_current():
    committed = (REPO / CMS_CONFIG_FILE).read_text(encoding="utf-8")
    assert committed == cms_config_text(VOCABULARIES), f"{CMS_CONFIG_FILE} is stale: run `make schema`"
    assert yaml.safe_load(committed) == CONFIG


def test_a_stale_config_fails_validation(tmp_path, monkeypatch):
    # A repository whose content is ours but whose committed editor configuration is old.
    (tmp_path / "content").symlink_to(CONTENT)
    for name in derived.derived_files(load_handbook()):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    stale = tmp_path / CMS_CONFIG_FILE
    stale.write_text(stale.read_text(encoding="utf-8").replace("Frühe Hilfen", "Fruehe Hilfen"), encoding="utf-8")
    monkeypatch.setattr(derived, "REPOSITORY", tmp_path)
    [problem] = derived.stale_files(load_handbook())
    assert problem.file == CMS_CONFIG_FILE and "make schema" in problem.message


def test_config_follows_model_and_vocabularies():
    assert list(FIELDS) == list(Kommune.model_fields)
    assert FIELDS["name"]["label"] == "Name" and FIELDS["name"]["required"] is True
    assert FIELDS["kreis"]["required"] is False
    assert FIELDS["ags"]["pattern"][0] == "^(?:[0-9]{5}|[0-9]{8})$"
    art = FIELDS["art"]
    assert art["widget"] == "select" and {"label": "Kreisfreie Stadt", "value": "kreisfreie-stadt"} in art["options"]
    programme = FIELDS["programme"]
    entry = {f["name"]: f for f in programme["fields"]}
    assert programme["widget"] == "list" and list(entry) == list(Teilnahme.model_fields)
    assert programme["summary"] == "{{fields.programm}}"  # a collapsed entry shows its programme
    assert [o["value"] for o in entry["programm"]["options"]] == ["lvr-teilhabe", "kekiz", "kinderstark"]
    assert entry["teilnahme"]["widget"] == "janein"  # optional yes/no: ja / nein / keine Angabe
    phases = [o["value"] for o in entry["phase"]["options"]]
    assert phases == ["staffel-1", "staffel-2", "staffel-3", "staffel-4", "modellphase", "ausbau"]
    assert {"label": "LVR: 2. Förderstaffel (2012)", "value": "staffel-2"} in entry["phase"]["options"]
    assert entry["seit"] == {**entry["seit"], "widget": "number", "value_type": "int", "min": 1950, "max": 2050}
    massnahmen = FIELDS["massnahmen"]
    assert massnahmen["widget"] == "list" and [f["name"] for f in massnahmen["fields"]][:2] == ["titel", "handlungsfeld"]
    lebensphasen = next(f for f in massnahmen["fields"] if f["name"] == "lebensphasen")
    assert lebensphasen["multiple"] is True and lebensphasen["options"][0]["label"] == "Rund um die Geburt"
    beschreibung = next(f for f in massnahmen["fields"] if f["name"] == "beschreibung")
    assert beschreibung["widget"] == "text"  # Markdown edited as text, never rewritten by a rich-text editor
    belegt = next(f for f in FIELDS["quellen"]["fields"] if f["name"] == "belegt")
    assert [o["value"] for o in belegt["options"]] == source_paths(VOCABULARIES)
    assert "programme.kinderstark.seit" in [o["value"] for o in belegt["options"]]
    schnittstellen = {f["name"]: f for f in FIELDS["praeventionskette"]["fields"]}["schnittstellen"]
    assert [f["name"] for f in schnittstellen["fields"]] == list(VOCABULARIES.values("schnittstellen"))
    hint = VOCABULARIES.felder["stand"].beschreibung
    assert FIELDS["stand"]["hint"] == hint and FIELDS["stand"]["format"] == "YYYY-MM-DD"
    assert CONFIG["locale"] == "de" and CONFIG["publish_mode"] == "editorial_workflow"


def test_a_field_type_without_widget_is_a_clear_error():
    class Neu(Record):  # a model extended with a type the editor does not know yet
        kennzahlen: set[int] | None = None

    with pytest.raises(ContentError) as caught:
        cms.form_fields(Neu, "neu.", VOCABULARIES)
    report = caught.value.report()
    assert "Feld „neu.kennzahlen“" in report and "kein Formularfeld" in report and "hooks/handbuch/cms.py" in report


def test_a_pattern_without_form_message_is_a_clear_error():
    from typing import Annotated

    from pydantic import StringConstraints

    class Neu(Record):  # a model extended with a pattern the form has no German message for
        kennung: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None

    with pytest.raises(ContentError) as caught:
        cms.form_fields(Neu, "neu.", VOCABULARIES)
    report = caught.value.report()
    assert "Feld „neu.kennung“" in report and "_PATTERN_MESSAGES" in report


def test_form_patterns_are_the_models_with_its_length_limit():
    titel = next(f for f in FIELDS["massnahmen"]["fields"] if f["name"] == "titel")
    pattern = re.compile(titel["pattern"][0])
    assert titel["pattern"][1].startswith("Eine Zeile Text") and "höchstens 300 Zeichen" in titel["pattern"][1]
    assert pattern.match("x" * 300) and not pattern.match("x" * 301)
    assert not pattern.match(" vorn") and not pattern.match("hinten\x85") and not pattern.match("C1\x9fmitten")
    beschreibung = FIELDS["beschreibung"]
    assert beschreibung["widget"] == "text" and "Bilder" in beschreibung["pattern"][1]
    assert not re.match(beschreibung["pattern"][0], "![Bild](https://example.org/a.png)")
    assert re.match(beschreibung["pattern"][0], "[Text](https://example.org)\n- Punkt")


def test_save_format_round_trips_every_record_and_keeps_edits_to_their_lines():
    result = subprocess.run(["node", "--no-warnings", "tests/cms_format.mjs"], cwd=REPO, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok")


def test_save_format_properties_every_text_reads_back_as_typed():
    # fast-check: thousands of generated values per kind of field (tests/cms_format_properties.mjs),
    # each read back by the handbook's loader, PyYAML and the format itself.
    result = subprocess.run(["node", "--no-warnings", "tests/cms_format_properties.mjs", sys.executable], cwd=REPO,
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok")


_SAVE_SCRIPT = """
import YAML from "yaml";
import { readFileSync } from "node:fs";
import { createFormat } from "./hooks/handbuch/static/redaktion/format.js";
const fields = YAML.parse(readFileSync("hooks/handbuch/static/redaktion/config.yml", "utf8")).collections[0].fields;
const format = createFormat(YAML, fields, "# yaml-language-server: $schema=../../schemas/kommune.schema.json\\n");
const [record, edits] = JSON.parse(readFileSync(0, "utf8"));
console.log(JSON.stringify(edits.map(([field, value]) => {
  const data = structuredClone(format.fromFile(record));
  data[field] = value;
  return format.toFile(data);
})));
"""
RECORD = "name: Musterdorf\nart: kreis\nags: \"99001\"\nbeispiel: true\n"


def _saved(edits: tuple[tuple[str, str], ...]) -> list[str]:
    """The small record RECORD with each value typed into a top-level field, saved by format.js."""
    result = subprocess.run(["node", "--no-warnings", "--input-type=module", "-e", _SAVE_SCRIPT], cwd=REPO,
                            input=json.dumps([RECORD, edits]), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _read_back(text: str, field: str) -> tuple[object, object]:
    """The field as the handbook's loader (YAML 1.2) and as PyYAML (YAML 1.1) read it."""
    from handbuch.yamlsafe import load_document

    return load_document(text.encode("utf-8")).data[field], yaml.safe_load(text)[field]


# Values from issue 23 and the line the format writes: quoted where a reader would misread them.
ONE_LINE = {
    "%-Anteil der Kinder in Kitas": '"%-Anteil der Kinder in Kitas"',
    ", beginnt mit einem Komma": '", beginnt mit einem Komma"',
    "no": '"no"', "Yes": '"Yes"', "on": '"on"', "OFF": '"OFF"', "y": '"y"', "~": '"~"', "null": '"null"',
    "1:30": '"1:30"', "2020-01-01": '"2020-01-01"', "0x1F": '"0x1F"', "1_000": '"1_000"', "1e3": '"1e3"',
    ".inf": '".inf"', "<<": '"<<"', "=": '"="', "- Punkt": '"- Punkt"', "# Kein Kommentar": '"# Kein Kommentar"',
    "Ziel: mehr Teilhabe": '"Ziel: mehr Teilhabe"', "Kita #3": '"Kita #3"', "Ziel:": '"Ziel:"',
    "Kita 3: Eltern-Café": '"Kita 3: Eltern-Café"', "@Jugendamt": '"@Jugendamt"', "`Code`": '"`Code`"',
    "'zitiert'": "\"'zitiert'\"", '"Zitat"': '"\\"Zitat\\""', " Leerzeichen vorn": '" Leerzeichen vorn"',
    "Steuer\u0085zeichen": '"Steuer\\x85zeichen"', "Zeilen\u2028trenner": '"Zeilen\\u2028trenner"',
    "Tab\tmitten": '"Tab\\tmitten"', "\ufeffBOM": '"\\uFEFFBOM"',
    # safely plain: stays plain, so a one-field edit is a one-line diff
    "Frühe Hilfen": "Frühe Hilfen", "12:30 Uhr": "12:30 Uhr", "3 Kitas": "3 Kitas", "2. Staffel": "2. Staffel",
    "Jugendamt (Kreis)": "Jugendamt (Kreis)", "C#-Kurs": "C#-Kurs", "Kinder\u00a0und Jugend": "Kinder\u00a0und Jugend",
    "https://example.org/a?b=c#d": "https://example.org/a?b=c#d",
}


def test_one_line_text_is_quoted_exactly_where_a_reader_would_misread_it():
    for (typed, line), saved in zip(ONE_LINE.items(), _saved(tuple(("jugendamt", t) for t in ONE_LINE))):
        assert f"\njugendamt: {line}\n" in saved, (typed, saved)
        assert _read_back(saved, "jugendamt") == (typed, typed), saved


# Multi-line texts as an editor types or pastes them; the text area has made CRLF into LF,
# the format does so too (docs/entwicklung/redaktion.md).
MULTI_LINE = {
    "# Überschrift\n- Punkt eins\n- Punkt zwei\n": "beschreibung: |\n  # Überschrift\n  - Punkt eins\n  - Punkt zwei\n",
    ": Doppelpunkt vorn\n\nnach Leerzeile": "beschreibung: |-\n  : Doppelpunkt vorn\n\n  nach Leerzeile\n",
    "  eingerückt\nnicht": "beschreibung: |2-\n    eingerückt\n  nicht\n",
    "Ende mit Leerzeichen  \nTab\tmitten\n\n": "beschreibung: |+\n  Ende mit Leerzeichen  \n  Tab\tmitten\n\n",
    "Aus Word:\r\nZeile\u00a0zwei\r\n": "beschreibung: |\n  Aus Word:\n  Zeile\u00a0zwei\n",
    "\tTab vorn\nzweite": 'beschreibung: "\\tTab vorn\\nzweite"\n',
    "Trenner\u2028\nzweite": 'beschreibung: "Trenner\\u2028\\nzweite"\n',
    "a\n   ": 'beschreibung: "a\\n   "\n',
}


def test_multi_line_text_comes_back_as_typed():
    for (typed, written), saved in zip(MULTI_LINE.items(), _saved(tuple(("beschreibung", t) for t in MULTI_LINE))):
        assert saved.endswith("beispiel: true\n" + written), (typed, saved)
        expected = typed.replace("\r\n", "\n")
        assert _read_back(saved, "beschreibung") == (expected, expected), saved


def test_new_file_names_follow_the_project_rule():
    names = ["Musterdorf Süd", "Mülheim an der Ruhr", "Groß-Gerau", "  Öhringen (Kreis)  ", "Ærø", "!!!"]
    script = ("import { slugify } from './hooks/handbuch/static/redaktion/slugs.js';"
              f"console.log(JSON.stringify({json.dumps(names)}.map(slugify)));")
    result = subprocess.run(["node", "--no-warnings", "--input-type=module", "-e", script], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [slugify(name) for name in names]


@pytest.mark.slow
def test_editor_page_is_in_the_site_and_not_indexed(real_build):
    page = (real_build.site / "redaktion" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page and '<html lang="de">' in page
    assert 'src="decap/decap-cms.js"' in page
    assert [url for url in re.findall(r'(?:src|href)="([^"]*)"', page) if ":" in url] == ["data:,"]  # own files
    settings = json.loads(page.split('id="redaktion-einstellungen">', 1)[1].split("</script>", 1)[0])
    assert settings["config"]["backend"]["name"] == "github"
    assert settings["config"]["local_backend"]["url"].startswith("http://127.0.0.1:")
    for name in ("decap/decap-cms.js", "config.yml", "format.js", "redaktion.js", "yaml/index.js"):
        assert (real_build.site / "redaktion" / name).is_file(), name
    assert list((real_build.site / "redaktion" / "decap").glob("*.wasm"))
    assert "redaktion" not in (real_build.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "redaktion" not in (real_build.site / "search" / "search_index.json").read_text(encoding="utf-8")


@pytest.mark.slow
def test_record_pages_link_to_their_form_beside_the_yaml_file(real_build):
    page = real_build.page("kommunen/bergheim")
    assert '<a href="../../redaktion/#/collections/kommunen/entries/bergheim">Diesen Eintrag bearbeiten</a>' in page
    assert "content/municipalities/bergheim.yml" in page  # the edit button to the YAML file stays


@pytest.mark.slow
def test_offline_bundle_has_no_editor(bundle):
    assert not (bundle / "redaktion").exists()
    page = (bundle / "kommunen" / "bergheim.html").read_text(encoding="utf-8")  # file:// URLs
    assert "Diesen Eintrag bearbeiten" not in page and "redaktion" not in page


@pytest.mark.slow
def test_an_editor_without_login_service_explains_and_starts_nothing(real_build):
    # Built without HANDBUCH_REDAKTION_AUTH and outside make redaktion: Decap's GitHub backend
    # would log in through Netlify, so the page explains instead and Decap never starts.
    from browser import browser_page, serve

    page = (real_build.site / "redaktion" / "index.html").read_text(encoding="utf-8")
    settings = json.loads(page.split('id="redaktion-einstellungen">', 1)[1].split("</script>", 1)[0])
    assert settings["bereit"] is False
    with serve(real_build.site) as origin, browser_page(origin) as s:
        requests: list[str] = []
        s.page.on("request", lambda request: requests.append(request.url))
        s.page.goto(origin + "/redaktion/")
        notice = s.page.locator("#nicht-eingerichtet")
        notice.wait_for(state="visible")
        assert "noch nicht eingerichtet" in notice.inner_text()
        s.page.wait_for_timeout(500)
        assert s.page.locator("#nc-root, [class*='AppHeader']").count() == 0  # Decap drew nothing
    assert [url for url in requests if not url.startswith((origin, "data:"))] == []


def test_editor_settings_cannot_end_their_script_element(monkeypatch):
    from handbuch import editor

    vocabularies = load_vocabularies(CONTENT, [])
    monkeypatch.setitem(vocabularies.texte, "ja", "</script><!--<script>alert(1)</script>")
    page = editor.start_page(vocabularies, "https://github.com/o/r", None, "Handbuch")
    script = page.split('id="redaktion-einstellungen">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    assert json.loads(script)["texte"]["ja"] == "</script><!--<script>alert(1)</script>"
