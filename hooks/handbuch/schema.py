"""The JSON Schema editors' tools use (autocompletion, errors while typing).

Generated from the model and the vocabularies, never edited by hand:
`make schema` writes schemas/kommune.schema.json, and a test fails when the
committed copy is stale.
"""

from __future__ import annotations

import json
from typing import Any

from .model import CROSS_FIELD_SCHEMA, FIELD_PATH_KEY, MEASURE_PATH_PATTERN, VOCABULARY_KEY, Kommune, field_paths, owner_model, source_paths
from .vocabularies import Vocabularies

SCHEMA_FILE = "schemas/kommune.schema.json"


def _apply_vocabularies(node: Any, vocabularies: Vocabularies) -> None:
    if isinstance(node, dict):
        if node.pop(FIELD_PATH_KEY, None):  # an entry of `belegt`: a field path of the record
            paths = source_paths(vocabularies)
            node.pop("type", None)
            node["anyOf"] = [
                {"type": "string", "enum": paths, "enumDescriptions": [vocabularies.field_label(p) for p in paths]},
                {"type": "string", "pattern": MEASURE_PATH_PATTERN,
                 "description": "eine Maßnahme: massnahmen.<Kurzname ihres Titels>, z. B. massnahmen.elterncafe"}]
        name = node.pop(VOCABULARY_KEY, None)
        if name is not None:
            entries = vocabularies.values(name)
            integer = node.get("type") == "integer"
            node["enum"] = [int(slug) if integer else slug for slug in entries]
            node["enumDescriptions"] = [entry.label for entry in entries.values()]
            node["description"] = "Erlaubte Werte: " + "; ".join(
                f"{slug} = {entry.label}" for slug, entry in entries.items())
        for value in node.values():
            _apply_vocabularies(value, vocabularies)
    elif isinstance(node, list):
        for value in node:
            _apply_vocabularies(value, vocabularies)


def _apply_labels(schema: dict[str, Any], vocabularies: Vocabularies) -> None:
    """Field titles and descriptions from `felder` in vocabularies.yml (German, like the site)."""
    for path in field_paths():
        owner = owner_model(path)
        assert owner is not None
        target = schema if owner is Kommune else schema["$defs"][owner.__name__]
        prop = target["properties"][path.rsplit(".", 1)[-1]]
        entry = vocabularies.felder.get(path)
        if entry is None:
            continue
        prop["title"] = entry.label
        if entry.beschreibung:
            prop["description"] = entry.beschreibung + (f" {prop['description']}" if "description" in prop else "")


def _apply_phases(schema: dict[str, Any], vocabularies: Vocabularies) -> None:
    """A programme entry's phase: one of the phases content/programme.yml defines (the loader checks
    that it belongs to the entry's programme; the schema can only offer them all)."""
    phases = [(slug, f"{p.kurz}: {phase.label}") for p in vocabularies.programme.values()
              for slug, phase in p.phasen.items()]
    prop = schema["$defs"]["Teilnahme"]["properties"]["phase"]
    prop["anyOf"] = [{"type": "string", "enum": [slug for slug, _ in phases],
                      "enumDescriptions": [label for _, label in phases]}, {"type": "null"}]


def build_schema(vocabularies: Vocabularies) -> dict[str, Any]:
    schema = Kommune.model_json_schema()
    _apply_phases(schema, vocabularies)
    _apply_vocabularies(schema, vocabularies)
    _apply_labels(schema, vocabularies)
    schema["allOf"] = CROSS_FIELD_SCHEMA
    schema["title"] = "Kommune im Handbuch Präventionsketten"
    schema["description"] = ("Eine Datei content/municipalities/<kurzname>.yml. Fehlende Angaben weglassen: "
                             "die Website zeigt dann „keine Angabe“.")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text(vocabularies: Vocabularies) -> str:
    return json.dumps(build_schema(vocabularies), ensure_ascii=False, indent=2) + "\n"
