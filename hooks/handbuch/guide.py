"""The contributor guide (/mitwirken/ and CONTRIBUTING.md), generated so it cannot drift.

The field table comes from the model and the vocabularies; the sample error
message is produced by the real validator.
"""

from __future__ import annotations

from typing import Any

from .loader import SCHEMA_COMMENT, Handbook, parse_record
from .model import field_info, field_paths, owner_model
from .problems import Problem
from .vocabularies import Vocabularies

GUIDE_FILE = "CONTRIBUTING.md"
_CONDITIONAL = {"kreis": "bei kreisangehörigen Städten und Gemeinden", "quellen": "bei echten Kommunen"}
_SAMPLE_FILE = "content/municipalities/beispielstadt.yml"


def _required(path: str) -> str:
    owner = owner_model(path)
    if owner is not None and owner.model_fields[path.rsplit(".", 1)[-1]].is_required():
        return "ja" if "." not in path else "ja (je Eintrag)"
    return _CONDITIONAL.get(path, "")


def _allowed(path: str, vocabularies: Vocabularies) -> str:
    info = field_info(path)
    names = info[1] if info else []
    return "; ".join(", ".join(vocabularies.values(name)) for name in names)


def fields(vocabularies: Vocabularies) -> list[dict[str, str]]:
    rows = []
    for path in field_paths():
        entry = vocabularies.felder.get(path)
        rows.append({"path": path, "label": entry.label if entry else path,
                     "beschreibung": (entry.beschreibung or "") if entry else "",
                     "required": _required(path), "allowed": _allowed(path, vocabularies)})
    return rows


def sample_error(vocabularies: Vocabularies) -> dict[str, Any]:
    """A real message of the validator: a typo in the first Handlungsfeld of the vocabulary."""
    fields = list(vocabularies.values("handlungsfelder"))
    arten = list(vocabularies.values("arten"))
    right = fields[0]
    wrong = right[:-1] if right[:-1] not in fields else right + "x"
    art = next((a for a in arten if a == "kreisfreie-stadt"), arten[0])
    kreis = "" if art == "kreisfreie-stadt" else "kreis: Beispielkreis\n"
    text = (f"{SCHEMA_COMMENT}\nname: Beispielstadt\nart: {art}\n{kreis}ags: \"99000001\"\n"
            f"beispiel: true\nmassnahmen:\n  - titel: Willkommensbesuche\n    handlungsfeld: {wrong}\n")
    problems: list[Problem] = []
    parse_record(text.encode("utf-8"), _SAMPLE_FILE, vocabularies, problems)
    problem = next((p for p in problems if p.field == "massnahmen[1].handlungsfeld"), None)
    line = text.count("\n")
    message = problem.format() if problem else f"{_SAMPLE_FILE}:{line}:20: Feld „massnahmen[1].handlungsfeld“: …"
    return {"wrong": wrong, "right": right, "message": message, "file": _SAMPLE_FILE, "line": line}


def guide_context(handbook: Handbook) -> dict[str, Any]:
    v = handbook.vocabularies
    used_by: dict[str, list[str]] = {}
    for path in field_paths():
        for name in (field_info(path) or (None, []))[1]:
            used_by.setdefault(name, []).append(path)
    return {"fields": fields(v), "example": sample_error(v),
            "vocabularies": [(name, used_by.get(name, []), entries) for name, entries in v.lists.items()],
            "synonyms": handbook.synonyms}
