"""The configuration of the form editor (Decap CMS at /redaktion/), from model and vocabularies.

Like the JSON Schema it is derived, never edited by hand: `make schema` writes
hooks/handbuch/static/redaktion/config.yml, and `make validate` and the tests fail while the
committed copy is stale. The backend (GitHub, or decap-server locally) is set by the page
that starts the editor (templates/redaktion.html.j2), so this file depends on nothing but
the model and content/vocabularies.yml.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any

import yaml
from pydantic import BaseModel

from .model import (AGS_PATTERN, EMAIL_PATTERN, MARKDOWN_SCHEMA_PATTERN, PHONE_PATTERN, TEXT_PATTERN, WEB_URL_PATTERN,
                    Kommune, base_type, field_info, nested_model, source_paths)
from .problems import ContentError, Problem
from .vocabularies import Vocabularies

CMS_CONFIG_FILE = "hooks/handbuch/static/redaktion/config.yml"
EDITOR_DIR = "redaktion"  # the editor's folder in the site
COLLECTION = "kommunen"
FOLDER = "content/municipalities"
# The custom save format and the yes/no/"keine Angabe" widget, both in static/redaktion/.
FORMAT = "handbuch-yaml"
TRISTATE = "janein"
FILE_NAME_KEY = "_dateiname"  # FILE_NAME in static/redaktion/format.js

# Messages the form shows beside a field whose text does not match its pattern. The form
# checks the model's own pattern (and its length limit), so what it lets through, make
# validate accepts; the save format writes every such text faithfully (format.js).
_PATTERN_MESSAGES = {
    TEXT_PATTERN: "Eine Zeile Text ohne Leerzeichen am Anfang oder Ende und ohne Steuerzeichen",
    AGS_PATTERN: "Der Gemeindeschlüssel hat 8 Ziffern (für einen Kreis 5), z. B. 05362008",
    WEB_URL_PATTERN: "Eine Webadresse, die mit https:// oder http:// beginnt, ohne Leerzeichen",
    EMAIL_PATTERN: "Eine E-Mail-Adresse, z. B. praevention@example.org",
    PHONE_PATTERN: "Eine Telefonnummer aus Ziffern, z. B. +49 2271 000000",
    MARKDOWN_SCHEMA_PATTERN: "Links müssen mit https://, http:// oder mailto: beginnen; Bilder und "
                             "Link-Definitionen („[name]: Adresse“) sind nicht erlaubt",
}
_PUBLICATION_PATTERN = [r"^[0-9]{4}(?:-[0-9]{2}-[0-9]{2})?$",
                        "Ein Tag (JJJJ-MM-TT, z. B. 2011-09-13) oder nur das Jahr (z. B. 2017)."]
_HEADER = ("# Konfiguration des Formular-Editors (/redaktion/), erzeugt aus hooks/handbuch/model.py und\n"
           "# content/vocabularies.yml mit „make schema“. Bitte nicht von Hand bearbeiten.\n")


class UnsupportedField(Exception):
    """A model field whose type the form editor has no widget for."""


def _constraint(annotation: Any, name: str) -> Any:
    """A constraint (pattern, ge, le, ...) from the metadata of an Annotated type, however deep."""
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found = getattr(meta, name, None)
        if found is None:
            for inner in getattr(meta, "metadata", ()) or ():  # pydantic's FieldInfo keeps them here
                found = getattr(inner, name, None) if found is None else found
        if found is not None:
            return found
    for arg in typing.get_args(annotation):
        found = _constraint(arg, name)
        if found is not None:
            return found
    return None


def _options(vocabularies: Vocabularies, name: str, integer: bool = False) -> list[dict[str, Any]]:
    return [{"label": entry.label, "value": int(slug) if integer else slug}
            for slug, entry in vocabularies.values(name).items()]


def _is_publication_date(annotation: Any) -> bool:
    return any(a is int for a in _flat_args(annotation)) and any(a is dt.date for a in _flat_args(annotation))


def _flat_args(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _flat_args(args[0])
    if not args:
        return [annotation]
    return [flat for arg in args for flat in _flat_args(arg)]


def _widget(path: str, annotation: Any, vocabularies: Vocabularies) -> dict[str, Any]:
    """The Decap widget (and its options) for one field of the model."""
    info = field_info(path)
    vocabs = info[1] if info else ()
    kind = base_type(annotation)
    inner = nested_model(annotation)
    if inner is not None:
        fields = form_fields(inner, path + ".", vocabularies)
        if kind is list:  # quellen, massnahmen, programme: each entry is summarised by its first field
            # Programmes are few and short: open; sources and measures are many: collapsed.
            return {"widget": "list", "fields": fields, "collapsed": path != "programme",
                    "summary": "{{fields.%s}}" % next(iter(inner.model_fields)),
                    "label_singular": vocabularies.field_label(path).removesuffix("n")}  # "Maßnahme hinzufügen"
        return {"widget": "object", "fields": fields}  # groups stay open: all questions in view
    if kind is dict and len(vocabs) == 2:  # schnittstellen: one select per entry of the key vocabulary
        keys, values = vocabs
        return {"widget": "object", "fields": [
            {"name": slug, "label": entry.label, "required": False, "widget": "select",
             "options": _options(vocabularies, values)} for slug, entry in vocabularies.values(keys).items()]}
    if vocabs:
        return {"widget": "select", "options": _options(vocabularies, vocabs[0], integer=kind is int),
                **({"multiple": True} if kind is list else {})}
    if path.endswith(".belegt"):  # the fields a source supports: paths of the record
        return {"widget": "select", "multiple": True,
                "options": [{"label": f"{vocabularies.field_label(p)} ({p})", "value": p}
                            for p in source_paths(vocabularies)]}
    if path == "programme.phase":  # the phases of every programme; the loader checks they match the entry's
        return {"widget": "select", "options": [
            {"label": f"{programme.kurz}: {phase.label}", "value": slug}
            for programme in vocabularies.programme.values() for slug, phase in programme.phasen.items()]}
    if _is_publication_date(annotation):
        # A day or only a year: text, written back as a number when it is a year (format.js).
        return {"widget": "string", "pattern": _PUBLICATION_PATTERN, "jahr_als_zahl": True}
    if kind is bool:
        return {"widget": TRISTATE}
    if kind is dt.date:
        return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD.MM.YYYY", "time_format": False,
                "picker_utc": True}
    if kind in (int, float):
        widget: dict[str, Any] = {"widget": "number", "value_type": "int" if kind is int else "float"}
        for key, name in (("min", "ge"), ("max", "le"), ("min", "gt")):
            bound = _constraint(annotation, name)
            if bound is not None and key not in widget:
                widget[key] = bound
        if kind is float:
            widget["step"] = 0.1
        return widget
    if kind is str:
        longest = _constraint(annotation, "max_length")
        markdown = longest == 20_000
        pattern = MARKDOWN_SCHEMA_PATTERN if markdown else _constraint(annotation, "pattern")
        return {"widget": "text" if markdown else "string", **_form_pattern(path, pattern, longest)}
    raise UnsupportedField(f"der Typ „{annotation}“ hat kein Formularfeld im Formular-Editor; bitte in "
                           f"hooks/handbuch/cms.py (_widget) ein passendes Decap-Widget ergänzen.")


def _form_pattern(path: str, pattern: str | None, longest: int | None) -> dict[str, Any]:
    """Decap's `pattern` for a text field: the model's pattern and length limit, with a German
    message. The length counts UTF-16 units in the browser, never fewer than Python's
    characters, so the form is never more lenient than the model."""
    if pattern is None and longest is None:
        return {}
    if pattern is not None and pattern not in _PATTERN_MESSAGES:
        raise ContentError([Problem("hooks/handbuch/model.py", 1, 1, path, f"das Muster „{pattern}“ hat keine "
                                    "Meldung für den Formular-Editor; bitte in hooks/handbuch/cms.py "
                                    "(_PATTERN_MESSAGES) ergänzen.")])
    message = _PATTERN_MESSAGES.get(pattern, "Ein Text")
    if longest is None:
        return {"pattern": [pattern, message + "."]}
    # Both parts anchor at the start: the length as a lookahead, then the model's own pattern.
    combined = f"^(?=[\\s\\S]{{0,{longest}}}$)" + (pattern or "^").removeprefix("^")
    count = f"{longest:_}".replace("_", ".")  # 20.000, as German writes it
    return {"pattern": [combined, f"{message}; höchstens {count} Zeichen."]}


def form_fields(model: type[BaseModel], prefix: str, vocabularies: Vocabularies) -> list[dict[str, Any]]:
    fields = []
    for name, info in model.model_fields.items():
        path = prefix + name
        entry = vocabularies.felder.get(path)
        # pydantic moves the constraints of a required field out of its annotation
        annotation = typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        try:
            widget = _widget(path, annotation, vocabularies)
        except UnsupportedField as error:
            raise ContentError([Problem("hooks/handbuch/model.py", 1, 1, path, str(error))]) from None
        field: dict[str, Any] = {"name": name, "label": entry.label if entry else name}
        if entry and entry.beschreibung:
            field["hint"] = entry.beschreibung
        field["required"] = info.is_required()
        if name == "beispiel":  # a plain yes/no with a default, not "keine Angabe"
            widget = {"widget": "boolean", "default": False}
        field.update(widget)
        fields.append(field)
    return fields


def build_cms_config(vocabularies: Vocabularies) -> dict[str, Any]:
    return {
        "locale": "de",
        # Every save becomes a branch and a pull request (GitHub); decap-server does the same locally.
        "publish_mode": "editorial_workflow",
        "media_folder": "docs/assets/redaktion",  # required by Decap; records have no media fields
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [{
            "name": COLLECTION,
            "label": vocabularies.text("kommunen"),
            "label_singular": vocabularies.text("kommune"),
            "folder": FOLDER,
            "extension": "yml",
            "format": FORMAT,
            "create": True,
            # New file names follow hooks/handbuch/slugs.py (ä -> ae); set before saving (redaktion.js).
            "slug": "{{" + FILE_NAME_KEY + "}}",
            "identifier_field": "name",
            "summary": "{{name}}",
            "editor": {"preview": False},
            "fields": form_fields(Kommune, "", vocabularies),
        }],
    }


def form_link(slug: str) -> str:
    """The editor's form for one record, relative to the site root."""
    return f"{EDITOR_DIR}/index.html#/collections/{COLLECTION}/entries/{slug}"


def cms_config_text(vocabularies: Vocabularies) -> str:
    return _HEADER + yaml.safe_dump(build_cms_config(vocabularies), allow_unicode=True, sort_keys=False,
                                    width=10_000, default_flow_style=False)
