"""The JSON Schema for editors: generated, current, and in agreement with the validator."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTENT, REPO, SCHEMA_LINE
from handbuch.loader import load_vocabularies, parse_record
from handbuch.model import Kommune
from handbuch.schema import SCHEMA_FILE, build_schema, schema_text
from handbuch.yamlsafe import load_document

VOCABULARIES = load_vocabularies(CONTENT, [])
SCHEMA = build_schema(VOCABULARIES)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_committed_schema_is_current():
    committed = (REPO / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(VOCABULARIES), "schemas/kommune.schema.json is stale: run `make schema`"


def test_schema_is_valid_and_carries_vocabulary_labels():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    handlungsfeld = SCHEMA["$defs"]["Massnahme"]["properties"]["handlungsfeld"]
    assert handlungsfeld["enum"][0] == "fruehe-hilfen" and handlungsfeld["enumDescriptions"][0] == "Frühe Hilfen"
    assert "fruehe-hilfen = Frühe Hilfen" in handlungsfeld["description"]
    assert SCHEMA["properties"]["ags"]["title"] == "Amtlicher Gemeindeschlüssel (AGS)"


def test_every_shipped_record_passes_the_schema():
    for path in sorted((CONTENT / "municipalities").glob("*.yml")):
        assert path.read_text(encoding="utf-8").startswith(SCHEMA_LINE), path
        VALIDATOR.validate(_as_json(load_document(path.read_bytes()).data))


def test_validate_reports_a_stale_schema(tmp_path):
    path = REPO / SCHEMA_FILE
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("Frühe Hilfen", "Fruehe Hilfen", 1), encoding="utf-8")
        result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=REPO, capture_output=True, text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1 and "make schema" in result.stderr


def _as_json(value):
    """What a YAML 1.2 editor plugin hands to the schema: dates are strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value


def _vocab(name):
    return st.sampled_from(list(VOCABULARIES.values(name)) + ["unbekannt"])


_text = st.one_of(st.just("Text"), st.just(" "), st.just(""), st.text(max_size=5), st.integers(0, 99999999))
_bool = st.one_of(st.booleans(), st.none(), st.just("ja"))
_year = st.one_of(st.integers(1900, 2100), st.none())
records = st.fixed_dictionaries(
    {"name": _text, "art": _vocab("arten"),
     "ags": st.sampled_from(["99000001", "99001", "05362008", "05362", "17000001", "0536200X", 5362008])},
    optional={
        "kreis": st.one_of(st.none(), _text),
        "beispiel": _bool,
        "stand": st.one_of(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)), st.just("2017-06-30"), st.just("2016-13-45"), st.none()),
        # Rules across entries or fields (a source listed twice, `belegt` of an empty field, a real
        # fact without a source) are the validator's alone; JSON Schema cannot say them.
        "quellen": st.one_of(st.none(), st.lists(st.fixed_dictionaries(
            {"titel": _text}, optional={"url": st.sampled_from(["https://x.de", "ftp://x", "mailto:a@b.de"]),
                                        "datum": st.sampled_from([2017, "2011-09-13", "2011-13-01", "13.09.2011"])}),
            max_size=2, unique_by=(lambda q: str(q["titel"]).casefold(), lambda q: q.get("url", object())))),
        "programm": st.fixed_dictionaries({}, optional={
            "teilnahme": _bool, "staffel": st.one_of(st.integers(0, 4), st.none()), "seit": _year,
            "monitoring_projekt": _bool}),
        "koordination": st.fixed_dictionaries({}, optional={
            "verortung": _vocab("verortungen"), "stellenbeschreibung": _bool,
            "umfang_vzae": st.one_of(st.floats(-1, 30, allow_nan=False), st.just(float("inf")), st.integers(0, 3))}),
        "steuerungsgruppe": st.fixed_dictionaries({}, optional={
            "vorhanden": _bool, "bewertung": st.one_of(_vocab("bewertungen_erfolg"), st.none()),
            "aufgaben": st.lists(_vocab("steuerungsgruppe_aufgaben"), max_size=2)}),
        "praeventionskette": st.fixed_dictionaries({}, optional={
            "schnittstellen": st.dictionaries(_vocab("schnittstellen"), _vocab("schnittstellen_status"), max_size=2)}),
        "kontakt": st.fixed_dictionaries({}, optional={
            "email": st.sampled_from(["a@b.de", "keine", "a@b"]), "telefon": st.sampled_from(["+49 221 1", "0221", "abc"]),
            "web": st.sampled_from(["https://x.de", "javascript:x", "http://a b"])}),
        "beschreibung": st.sampled_from(["Text", "[a](https://x.de)", "[a](javascript:x)", "x\n[r]: ftp://y", "", "<b>"]),
        "massnahmen": st.lists(st.fixed_dictionaries(
            {"titel": _text, "handlungsfeld": _vocab("handlungsfelder")},
            optional={"lebensphasen": st.lists(_vocab("lebensphasen"), max_size=2), "seit": _year,
                      "status": _vocab("massnahme_status"), "link": st.sampled_from(["https://x.de", "file:///x"])}),
            max_size=2),
        "unbekannt": st.just(1),
    },
)


@st.composite
def near_valid(draw):
    """A valid record, then up to two of its fields replaced by arbitrary (often wrong) values."""
    art = draw(st.sampled_from(list(VOCABULARIES.values("arten"))))
    record = {"name": "Teststadt", "art": art, "ags": "99001" if art == "kreis" else "99000001", "beispiel": True}
    if art not in ("kreis", "kreisfreie-stadt"):
        record["kreis"] = "Testkreis"
    wild = draw(records)
    for key in draw(st.lists(st.sampled_from(sorted(wild)), max_size=2, unique=True)):
        record[key] = wild[key]
    return record


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_valid())
def test_schema_and_validator_agree(record):
    raw = (SCHEMA_LINE + yaml.safe_dump(record, allow_unicode=True, sort_keys=False)).encode("utf-8")
    data = load_document(raw).data
    problems: list = []
    validator_accepts = parse_record(raw, "x.yml", VOCABULARIES, problems) is not None
    schema_errors = [e.message for e in VALIDATOR.iter_errors(_as_json(data))]
    assert validator_accepts == (not schema_errors), (record, [p.format() for p in problems], schema_errors)


def test_schema_uses_only_json_schema_keywords_for_bounds():
    text = json.dumps(SCHEMA)
    for internal in ('"ge":', '"le":', '"gt":', '"lt":'):
        assert internal not in text
    assert SCHEMA["$defs"]["Massnahme"]["properties"]["seit"]["anyOf"][0]["minimum"] == 1950
