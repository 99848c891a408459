"""German messages for pydantic's validation errors, with file, line and field."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from .model import TEXT_PATTERN, V2_RENAMED, Loc, model_at
from .problems import Problem, allowed_list, did_you_mean
from .slugs import dotted_path
from .yamlsafe import TYPE_NAMES, Document

_EXPECTED = {
    "string_type": "Text",
    "bool_type": "true oder false",
    "int_type": "eine ganze Zahl",
    "float_type": "eine Zahl (z. B. 1.0)",
    "date_type": "ein Datum JJJJ-MM-TT (z. B. 2017-06-30)",
    "list_type": "eine Liste (Zeilen mit „- “ oder [a, b])",
    "dict_type": "eine Zuordnung (eingerückte Unterfelder „schlüssel: wert“)",
    "model_type": "eine Zuordnung (eingerückte Unterfelder „schlüssel: wert“)",
    "model_attributes_type": "eine Zuordnung (eingerückte Unterfelder „schlüssel: wert“)",
}

# What an editor should know about a field beyond its type.
_PATTERN_HELP = {
    "ags": "8 Ziffern (5 bei Kreisen) in Anführungszeichen, z. B. ags: \"05362008\"",
    "email": "eine E-Mail-Adresse wie name@example.org",
    "telefon": "eine Telefonnummer aus Ziffern, Leerzeichen, +, /, - und Klammern, in Anführungszeichen",
    "web": "eine Adresse, die mit https:// oder http:// beginnt",
    "url": "eine Adresse, die mit https:// oder http:// beginnt",
    "link": "eine Adresse, die mit https:// oder http:// beginnt (die eigene Seite der Maßnahme)",
}


def _message(error: dict[str, Any], model: type[BaseModel], source: str | None) -> str:
    kind, loc, ctx = error["type"], error["loc"], error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "Pflichtfeld fehlt."
    if kind == "extra_forbidden":
        renamed = V2_RENAMED.get(tuple(p for p in loc if not isinstance(p, int)))
        if renamed and model.__name__ == "Kommune":
            return renamed
        owner = model_at(model, loc[:-1])
        allowed = list(owner.model_fields) if owner else []
        return (f"unbekanntes Feld; erlaubt sind hier: {allowed_list(allowed, 20)}."
                f"{did_you_mean(str(loc[-1]), allowed)}")
    if kind in _EXPECTED:
        found = TYPE_NAMES.get(type(value), type(value).__name__)
        written = f" „{source}“" if source is not None else ""
        message = f"erwartet {_EXPECTED[kind]}, gefunden {found}{written}."
        if kind == "string_type" and isinstance(value, (int, float, bool)) or value is None and kind == "string_type":
            message += " Werte aus Ziffern, ja/nein o. Ä. bitte in Anführungszeichen setzen, z. B. \"05362008\"."
        if kind == "bool_type" and isinstance(value, str):
            message += " Bitte true (ja) oder false (nein) schreiben, ohne Anführungszeichen."
        return message
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == TEXT_PATTERN:
            if not str(value).strip():
                return "darf nicht leer sein."
            return (f"„{value}“ ist so nicht erlaubt: Text in einer Zeile, ohne Leerzeichen am Anfang oder Ende "
                    "und ohne unsichtbare Steuerzeichen.")
        help_text = _PATTERN_HELP.get(str(loc[-1]), f"ein Wert nach dem Muster {ctx.get('pattern')}")
        return f"„{value}“ hat nicht die erwartete Form; erwartet: {help_text}."
    if kind == "string_too_short":
        return "darf nicht leer sein."
    if kind == "string_too_long":
        return f"ist zu lang (höchstens {ctx.get('max_length')} Zeichen)."
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bounds = {"greater_than": "größer als", "greater_than_equal": "mindestens",
                  "less_than": "kleiner als", "less_than_equal": "höchstens"}
        limit = next(iter(ctx.values()))
        return f"der Wert {value} ist nicht erlaubt; er muss {bounds[kind]} {limit} sein."
    if kind == "finite_number":
        return f"der Wert {value} ist nicht erlaubt; erwartet eine endliche Zahl."
    if kind in ("too_short", "too_long"):
        return f"falsche Anzahl von Einträgen ({ctx})."
    # Our own PydanticCustomErrors are German already.
    return str(error["msg"])


def problems_from_validation(
    error: ValidationError, document: Document, file: str, model: type[BaseModel]
) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item["loc"])
        # For dict keys pydantic appends "[key]"; the key itself is what was written.
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("[") and p.endswith("]")))
        at_key = item["type"] in ("missing", "extra_forbidden")
        position = document.position(loc) if at_key else document.value_position(loc)
        problems.append(Problem(file, position.line, position.column, dotted_path(loc),
                                _message(item, model, position.source)))
    return problems


def problems_at(document: Document, file: str, located: list[tuple[Loc, str]]) -> list[Problem]:
    """Problems for (loc, message) pairs, positioned through the document."""
    out = []
    for loc, message in located:
        position = document.position(loc)
        out.append(Problem(file, position.line, position.column, dotted_path(loc), message))
    return out
