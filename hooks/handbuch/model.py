"""Data model v3 of a municipality record (DESIGN.md), the public contract editors write.

v2 (2026-12) added fact-level sources: each entry of ``quellen`` names its publisher and date
and lists in ``belegt`` the fields it supports; in a real record every field with a value
must be supported by at least one source. v3 (2026-12) lets a record take part in any number
of programmes (``programme:``, a list); the programmes themselves are defined in
content/programme.yml, and a source supports a programme fact by the programme's short name,
e.g. ``programme.kinderstark.seit`` (docs/entwicklung/datenmodell.md).

One pydantic model serves validation, the JSON Schema for editors and the
contributor guide. Vocabulary-valued fields name their vocabulary; the allowed
values come from content/vocabularies.yml at validation time (passed in the
validation context), so extending a vocabulary needs no code change.

Strict mode on purpose: YAML already produced typed values, and coercing
``5362004`` into a string or ``"ja"`` into a bool would hide an editor's mistake.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Hashable
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .problems import allowed_list, did_you_mean
from .slugs import slugify
from .vocabularies import Vocabularies

VOCABULARY_KEY = "x-vokabular"
FIELD_PATH_KEY = "x-feldpfad"

Loc = tuple[Hashable, ...]


def vocabularies_from(info: ValidationInfo) -> Vocabularies:
    context = info.context or {}
    vocabularies = context.get("vocabularies") if isinstance(context, dict) else None
    if not isinstance(vocabularies, Vocabularies):
        raise RuntimeError("validation needs context={'vocabularies': Vocabularies}")
    return vocabularies


def _vocabulary_check(name: str):
    def check(value: Any, info: ValidationInfo) -> Any:
        allowed = vocabularies_from(info).values(name)
        if str(value) not in allowed:
            raise PydanticCustomError(
                "vokabular",
                "unbekannter Wert „{value}“; erlaubt: {allowed}.{hint}",
                {"value": value, "allowed": allowed_list(allowed), "hint": did_you_mean(str(value), allowed)},
            )
        return value

    return check


def Vocab(name: str) -> Any:
    """A slug from the vocabulary ``name``."""
    return Annotated[str, AfterValidator(_vocabulary_check(name)), Field(json_schema_extra={VOCABULARY_KEY: name})]


def _unique(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError("doppelt", "„{value}“ steht zweimal in der Liste; jeder Wert darf nur "
                                      "einmal vorkommen.", {"value": value})
        seen.add(value)
    return values


def VocabList(name: str) -> Any:
    """Slugs from the vocabulary ``name``, each at most once."""
    return Annotated[list[Vocab(name)], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})]


# Markdown fields may link to the web, nothing else. Written so that Python and the JSON
# Schema (ECMAScript regex) use the very same expressions: the validator reports the
# first offence, the schema rejects the same text.
# Blanks as every engine sees them: Python's \s also matches \x1c-\x1f and \x85, JavaScript's
# (the form editor, JSON Schema tools) also \ufeff; naming the union makes all of them agree.
_BLANK = "\\s\\x1c-\\x1f\\x85\\ufeff"
_BAD_INLINE = f"\\]\\([{_BLANK}]*<?(?!https?://|mailto:)[^){_BLANK}>]+"  # [text](target) with another scheme
_REFERENCE = r"(?:^|\n)[ \t>*+\-0-9.]*\[[^\]\n]+\]:"  # [name]: target, also in lists and quotes
_IMAGE = r"!\["  # images would load from a third party
_FORBIDDEN = {
    _BAD_INLINE: "der Link „{target}“ ist nicht erlaubt; Links müssen mit https://, http:// oder mailto: beginnen.",
    _REFERENCE: "Link-Definitionen („[name]: Adresse“) sind nicht erlaubt; bitte Links direkt schreiben: "
                "[Text](https://…).",
    _IMAGE: "Bilder sind in Beschreibungen nicht erlaubt (sie würden von fremden Servern geladen).",
}
_FORBIDDEN_PATTERNS = [(re.compile(pattern), message) for pattern, message in _FORBIDDEN.items()]
MARKDOWN_SCHEMA_PATTERN = f"^(?![\\s\\S]*(?:{'|'.join(_FORBIDDEN)}))"


def _check_markdown_links(value: str) -> str:
    for pattern, message in _FORBIDDEN_PATTERNS:
        bad = pattern.search(value)
        if bad:
            target = re.split(r"\]\(", bad.group(0), maxsplit=1)[-1].strip().lstrip("<")
            raise PydanticCustomError("link", message, {"target": target})
    return value


def _iso_date(value: Any) -> Any:
    """Dates arrive as text (YAML 1.2, as the editors' schema tools read them): JJJJ-MM-TT."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("datum", "„{value}“ ist kein gültiges Datum; erlaubt ist JJJJ-MM-TT, "
                                      "z. B. 2017-06-30.", {"value": value}) from None
    return value


def _publication_date(value: Any) -> Any:
    """A day (JJJJ-MM-TT) or, where no day is known, a year; one message for both."""
    value = _integral(_iso_date(value))
    if isinstance(value, dt.date) or isinstance(value, int) and not isinstance(value, bool) and 1950 <= value <= 2050:
        return value
    raise PydanticCustomError("datum", "„{value}“ ist kein Erscheinungsdatum; erlaubt ist JJJJ-MM-TT (z. B. "
                              "2011-09-13) oder nur das Jahr (z. B. 2017).", {"value": value})


def _integral(value: Any) -> Any:
    """2014.0 is an integer to JSON Schema; accept it here too, so both sides agree."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# One line of visible text: no control characters (C0, DEL, C1), no leading or trailing blanks
# (no stripping, so schema and validator agree; "Essen " would slip past the duplicate check).
_CONTROL = "\\x00-\\x1f\\x7f-\\x9f"
TEXT_PATTERN = f"^[^{_CONTROL}{_BLANK}](?:[^{_CONTROL}]*[^{_CONTROL}{_BLANK}])?$"
Text = Annotated[str, StringConstraints(max_length=300, pattern=TEXT_PATTERN)]
Markdown = Annotated[
    str, StringConstraints(min_length=1, max_length=20_000), AfterValidator(_check_markdown_links),
    Field(json_schema_extra={"pattern": MARKDOWN_SCHEMA_PATTERN}),
]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
PublicationDate = Annotated[dt.date | int, BeforeValidator(_publication_date), WithJsonSchema({"anyOf": [
    {"type": "string", "format": "date"}, {"type": "integer", "minimum": 1950, "maximum": 2050}]})]
# The BeforeValidator goes last: it wraps the constrained int (and the schema keeps minimum/maximum).
Year = Annotated[int, Field(ge=1950, le=2050), BeforeValidator(_integral)]
WEB_URL_PATTERN = f"""^https?://[^{_BLANK}<>"']+$"""
EMAIL_PATTERN = f"""^[^@{_BLANK}<>"']+@[^@{_BLANK}<>"']+\\.[a-zA-Z]{{2,}}$"""
PHONE_PATTERN = r"^\+?[0-9][0-9 ()/-]{3,29}$"
AGS_PATTERN = r"^(?:[0-9]{5}|[0-9]{8})$"
WebUrl = Annotated[str, StringConstraints(pattern=WEB_URL_PATTERN, max_length=2000)]
Email = Annotated[str, StringConstraints(pattern=EMAIL_PATTERN, max_length=254)]
Phone = Annotated[str, StringConstraints(pattern=PHONE_PATTERN)]
Ags = Annotated[str, StringConstraints(pattern=AGS_PATTERN)]


class Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# Fields a source can support: every field with a value of a real record must be named by one.
# Identity and bookkeeping need no source; each measure is supported as a whole (massnahmen.<kurzname>).
UNSOURCED = ("name", "beispiel", "stand", "quellen")


@functools.lru_cache(maxsize=1)
def sourced_fields() -> tuple[str, ...]:
    """Every fixed path a source's ``belegt`` may name, in model order (leaf fields).

    Programme facts are named by programme (``programme.kinderstark.seit``), measures by the short
    name of their title (``massnahmen.elterncafe``): see fact_paths."""
    found = []
    for path in field_paths():
        top = path.split(".", 1)[0]
        if top in UNSOURCED or path.startswith(("massnahmen", "programme")):
            continue
        info = Kommune.model_fields.get(path)
        if info is not None and nested_model(info.annotation) is not None:
            continue  # a group (koordination, kontakt, ...): its fields are named one by one
        found.append(path)
    return tuple(found)


# The facts of a programme entry a source supports; the programme's short name is the entry's key.
PROGRAMME_FACTS = ("teilnahme", "phase", "seit", "bis", "verbund", "monitoring_projekt")
_PROGRAMME_PATH = re.compile(r"^programme\.([a-z0-9]+(?:-[a-z0-9]+)*)\.([a-z_]+)$")
MEASURE_PATH_PATTERN = r"^massnahmen\.([a-z0-9]+(?:-[a-z0-9]+)*)$"
_MEASURE_PATH = re.compile(MEASURE_PATH_PATTERN)


def measure_key(measure: "Massnahme") -> str:
    """A measure's short name, from its title: what a source names in `belegt` (massnahmen.<key>)."""
    return slugify(measure.titel)
# v2 paths and keys, and what they are called now (messages name the new key).
V2_RENAMED = {
    ("programm",): "unbekanntes Feld: seit Datenmodell 3 heißt es „programme“, eine Liste mit einem Eintrag je "
                   "Programm („- programm: lvr-teilhabe“, darunter teilnahme, phase, seit). „make migrate“ stellt "
                   "alte Datensätze um; siehe docs/entwicklung/datenmodell.md.",
    ("programme", "staffel"): "unbekanntes Feld: seit Datenmodell 3 heißt es „phase“, z. B. „phase: staffel-2“ "
                              "im Eintrag „programm: lvr-teilhabe“.",
}


def programme_path(path: str) -> tuple[str, str] | None:
    """(programme, fact) of a path like programme.kinderstark.seit; None for any other path."""
    match = _PROGRAMME_PATH.match(path)
    return (match.group(1), match.group(2)) if match and match.group(2) in PROGRAMME_FACTS else None


def static_path(path: str) -> str:
    """The model's own path of a fact: programme.kinderstark.seit -> programme.seit."""
    found = programme_path(path)
    return f"programme.{found[1]}" if found else path


def source_paths(vocabularies: Vocabularies) -> list[str]:
    """Every path a source may support in some record: the fixed ones and each programme's facts
    (for the editors' JSON Schema and the form editor's choice list)."""
    return [*sourced_fields(), *(f"programme.{slug}.{fact}" for slug in vocabularies.programme
                                 for fact in PROGRAMME_FACTS)]


def fact_paths(record: "Kommune") -> list[str]:
    """The paths a source of this record may support: the fixed ones, and one per programme fact."""
    paths = list(sourced_fields())
    for entry in record.programme or ():
        paths.extend(f"programme.{entry.programm}.{fact}" for fact in PROGRAMME_FACTS)
    paths.extend(f"massnahmen.{measure_key(measure)}" for measure in record.massnahmen)
    return paths


def _known_field(path: str) -> str:
    allowed = sourced_fields()
    if path in allowed or programme_path(path) or _MEASURE_PATH.match(path):
        return path
    if path == "massnahmen":
        raise PydanticCustomError("feld", "seit Datenmodell 3 belegt eine Quelle jede Maßnahme einzeln: "
                                  "massnahmen.<Kurzname des Titels>, z. B. massnahmen.willkommensbesuche für eine "
                                  "Maßnahme „Willkommensbesuche“ (Kleinbuchstaben, ä → ae, Leerzeichen → -).", {})
    if path.startswith("programm.") or path.startswith("programme.") and path.count(".") != 2:
        fact = path.rsplit(".", 1)[-1].replace("staffel", "phase")
        raise PydanticCustomError("feld", "„{path}“ gibt es seit Datenmodell 3 nicht mehr: Programmangaben werden "
                                  "mit dem Kurznamen des Programms belegt, z. B. programme.lvr-teilhabe.{fact}.",
                                  {"path": path, "fact": fact if fact in PROGRAMME_FACTS else "seit"})
    if path.startswith("programme."):
        raise PydanticCustomError("feld", "„{path}“ ist keine Programmangabe; erlaubt sind programme.<programm>."
                                  "<angabe> mit den Angaben {facts}.{hint}",
                                  {"path": path, "facts": ", ".join(PROGRAMME_FACTS),
                                   "hint": did_you_mean(path.rsplit(".", 1)[-1], PROGRAMME_FACTS)})
    raise PydanticCustomError("feld", "„{path}“ ist kein Feld, das eine Quelle belegen kann; erlaubt sind "
                              "Feldpfade wie programme.kinderstark.seit, jugendamt oder massnahmen.{hint}",
                              {"path": path, "hint": did_you_mean(path, allowed)})


FieldPath = Annotated[str, AfterValidator(_known_field), Field(json_schema_extra={FIELD_PATH_KEY: True})]


class Quelle(Record):
    titel: Text
    herausgeber: Text | None = None
    datum: PublicationDate | None = None
    url: WebUrl | None = None
    abgerufen: Date | None = None  # when the page was last looked up
    belegt: Annotated[list[FieldPath], AfterValidator(_unique), Field(json_schema_extra={"uniqueItems": True})] | None = None


# Fields of a programme entry that only some programmes have (content/programme.yml, `zusatzfelder`).
PARTICIPATION_EXTRAS = ("monitoring_projekt",)


class Teilnahme(Record):
    """One programme a record takes part in (or, with ``teilnahme: false``, did not)."""

    programm: Vocab("programme")  # type: ignore[valid-type]
    teilnahme: bool | None = None  # None: not known (e.g. a record of the LVR Monitoring project only)
    phase: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] | None = None
    seit: Year | None = None
    bis: Year | None = None
    verbund: Text | None = None  # the group a programme counts as one participant ("Kommunen im Kreis Unna")
    monitoring_projekt: bool | None = None  # LVR "Teilhabe ermöglichen": practice project "Monitoring"


class Koordination(Record):
    verortung: Vocab("verortungen") | None = None  # type: ignore[valid-type]
    stellenbeschreibung: bool | None = None
    umfang_vzae: Annotated[float, Field(gt=0, le=20, allow_inf_nan=False)] | None = None


class Steuerungsgruppe(Record):
    vorhanden: bool | None = None
    zusammensetzung: VocabList("steuerungsgruppe_zusammensetzung") | None = None
    aufgaben: VocabList("steuerungsgruppe_aufgaben") | None = None
    bewertung: Vocab("bewertungen_erfolg") | None = None  # type: ignore[valid-type]


class Netzwerk(Record):
    stufe: Vocab("netzwerkstufen") | None = None  # type: ignore[valid-type]
    merkmale: VocabList("netzwerkmerkmale") | None = None


class Praeventionskette(Record):
    ausbaustand: Vocab("ausbaustaende") | None = None  # type: ignore[valid-type]
    schnittstellen: dict[Vocab("schnittstellen"), Vocab("schnittstellen_status")] | None = None  # type: ignore[valid-type]


class Kontakt(Record):
    stelle: Text | None = None
    email: Email | None = None
    telefon: Phone | None = None
    web: WebUrl | None = None


class Massnahme(Record):
    titel: Text
    handlungsfeld: Vocab("handlungsfelder")  # type: ignore[valid-type]
    lebensphasen: VocabList("lebensphasen") | None = None
    zielgruppen: VocabList("zielgruppen") | None = None
    traeger: Text | None = None
    seit: Year | None = None
    status: Vocab("massnahme_status") | None = None  # type: ignore[valid-type]
    beschreibung: Markdown | None = None
    link: WebUrl | None = None  # the measure's own page (a mail address is no page)


# The rules of `Kommune.consistency_problems`, for the JSON Schema editors get:
# keep the two in step (tests/test_schema.py checks that they agree).
CROSS_FIELD_SCHEMA: list[dict[str, Any]] = [
    {"if": {"properties": {"art": {"enum": ["kreisfreie-stadt", "kreis"]}}, "required": ["art"]},
     "then": {"properties": {"kreis": {"type": "null"}}},
     "else": {"required": ["kreis"], "properties": {"kreis": {"type": "string"}}}},
    {"if": {"properties": {"art": {"const": "kreis"}}, "required": ["art"]},
     "then": {"properties": {"ags": {"pattern": "^[0-9]{5}$"}}},
     "else": {"properties": {"ags": {"pattern": "^[0-9]{8}$"}}}},
    {"if": {"properties": {"beispiel": {"const": True}}, "required": ["beispiel"]},
     "then": {"properties": {"ags": {"pattern": "^99"}}},
     "else": {"required": ["quellen"],
              "properties": {"ags": {"pattern": "^(?:0[1-9]|1[0-6])"}, "quellen": {"type": "array", "minItems": 1}}}},
    {"properties": {"steuerungsgruppe": {
        "if": {"type": "object", "properties": {"vorhanden": {"const": False}}, "required": ["vorhanden"]},
        "then": {"properties": {"bewertung": {"type": "null"}}}}}},
    {"properties": {"programme": {"items": {
        "if": {"type": "object", "properties": {"teilnahme": {"const": False}}, "required": ["teilnahme"]},
        "then": {"properties": {"phase": {"type": "null"}, "seit": {"type": "null"}}}}}}},
]


class Kommune(Record):
    """One file content/municipalities/<slug>.yml."""

    name: Text
    art: Vocab("arten")  # type: ignore[valid-type]
    kreis: Text | None = None
    ags: Ags
    jugendamt: Text | None = None
    beispiel: bool = False
    stand: Date | None = None
    quellen: list[Quelle] | None = None
    programme: list[Teilnahme] | None = None
    koordination: Koordination | None = None
    steuerungsgruppe: Steuerungsgruppe | None = None
    netzwerk: Netzwerk | None = None
    praeventionskette: Praeventionskette | None = None
    lvr_angebote: Vocab("bewertungen_hilfe") | None = None  # type: ignore[valid-type]
    kontakt: Kontakt | None = None
    beschreibung: Markdown | None = None
    massnahmen: list[Massnahme] = Field(default_factory=list)

    @property
    def needs_kreis(self) -> bool:
        """Only municipalities that belong to a Kreis name one."""
        return self.art not in ("kreisfreie-stadt", "kreis")

    def consistency_problems(self) -> list[tuple[Loc, str]]:
        """Rules that tie fields of one record together (CROSS_FIELD_SCHEMA says the same for editors)."""
        found: list[tuple[Loc, str]] = []
        if self.kreis is None and self.needs_kreis:
            found.append((("kreis",), "Pflichtfeld fehlt: kreisangehörige Städte und Gemeinden nennen ihren Kreis."))
        if self.kreis is not None and not self.needs_kreis:
            found.append((("kreis",), "nur für kreisangehörige Städte und Gemeinden; bitte entfernen."))
        digits = 5 if self.art == "kreis" else 8
        if len(self.ags) != digits:
            found.append((("ags",), f"muss für diese Art genau {digits} Ziffern haben, hat {len(self.ags)}."))
        if self.beispiel and not self.ags.startswith("99"):
            found.append((("ags",), "Beispiel-Datensätze verwenden einen AGS, der mit 99 beginnt "
                                    "(den es nicht gibt), damit keine echte Kommune gemeint sein kann."))
        if not self.beispiel:
            if not 1 <= int(self.ags[:2]) <= 16:
                found.append((("ags",), "die ersten beiden Ziffern müssen ein Bundesland sein (01 bis 16)."))
            if not self.quellen:
                found.append((("quellen",), "Pflichtfeld für echte Kommunen: jede Angabe braucht eine Quelle "
                                            "(oder „beispiel: true“ für einen erfundenen Datensatz)."))
        if self.steuerungsgruppe and self.steuerungsgruppe.vorhanden is False and self.steuerungsgruppe.bewertung:
            found.append((("steuerungsgruppe", "bewertung"),
                           "eine Bewertung passt nicht zu „vorhanden: false“."))
        first: dict[str, int] = {}
        for index, measure in enumerate(self.massnahmen):
            key = measure_key(measure)
            if key in first:
                found.append((("massnahmen", index, "titel"),
                               f"die Maßnahme „{measure.titel}“ steht schon als Nr. {first[key] + 1} in der Liste "
                               "(gleicher Titel); jede Maßnahme nur einmal, bitte zusammenführen oder anders benennen."))
            else:
                first[key] = index
        for index, entry in enumerate(self.programme or ()):
            for field in ("phase", "seit"):
                if entry.teilnahme is False and getattr(entry, field) is not None:
                    found.append((("programme", index, field), f"„{field}“ passt nicht zu „teilnahme: false“."))
        return found + self.source_problems()

    def loc_of(self, path: str) -> Loc:
        """Where a fact path is written: programme.kekiz.seit -> ("programme", <its index>, "seit")."""
        measure = _MEASURE_PATH.match(path)
        if measure:
            keys = [measure_key(m) for m in self.massnahmen]
            return ("massnahmen", keys.index(measure.group(1))) if measure.group(1) in keys else ("massnahmen",)
        found = programme_path(path)
        if found:
            for index, entry in enumerate(self.programme or ()):
                if entry.programm == found[0]:
                    return ("programme", index, found[1])
            return ("programme",)
        return tuple(path.split("."))

    def measure(self, key: str) -> "Massnahme | None":
        return next((m for m in self.massnahmen if measure_key(m) == key), None)

    def entry(self, programme: str) -> "Teilnahme | None":
        return next((e for e in self.programme or () if e.programm == programme), None)

    def source_problems(self) -> list[tuple[Loc, str]]:
        """Fact-level sources: no source twice, no source for an empty field, no real fact without a source."""
        found: list[tuple[Loc, str]] = []
        seen: dict[str, int] = {}
        for index, quelle in enumerate(self.quellen or ()):
            key = quelle.url or quelle.titel.casefold()
            if key in seen:
                found.append((("quellen", index), f"diese Quelle steht schon als Nr. {seen[key] + 1} in der Liste; "
                                                  "bitte beide Einträge zusammenführen (belegt: [...] vereinen)."))
            else:
                seen[key] = index
            for position, path in enumerate(quelle.belegt or ()):
                measure = _MEASURE_PATH.match(path)
                if measure and self.measure(measure.group(1)) is None:
                    keys = [f"massnahmen.{measure_key(m)}" for m in self.massnahmen]
                    found.append((("quellen", index, "belegt", position),
                                  f"„{path}“: keine Maßnahme dieses Datensatzes hat diesen Kurznamen (er wird aus dem "
                                  f"Titel gebildet); vorhanden: {allowed_list(keys) or 'keine'}.{did_you_mean(path, keys)}"))
                elif not has_value(value_at(self, path)):
                    found.append((("quellen", index, "belegt", position),
                                  f"„{path}“ hat in diesem Datensatz keinen Wert; eine Quelle kann nur Angaben "
                                  "belegen, die im Datensatz stehen. Bitte aus „belegt“ entfernen."))
        if self.beispiel:
            return found
        supported = {path for quelle in self.quellen or () for path in quelle.belegt or ()}
        for path in fact_paths(self):
            if path not in supported and has_value(value_at(self, path)):
                found.append((self.loc_of(path),
                               f"keine Quelle belegt diese Angabe. Bitte bei der Quelle, aus der sie stammt, unter "
                               f"„belegt“ ergänzen (z. B. belegt: [{path}]) oder die Angabe entfernen."))
        return found


def has_value(value: Any) -> bool:
    """Whether a field says something (None and empty lists or maps mean "keine Angabe")."""
    return value is not None and value != [] and value != {}


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The nested model class that the path ``loc`` points into (for "did you mean")."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        if info is None:
            return current
        current = nested_model(info.annotation)
    return current


def nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = nested_model(arg)
        if found:
            return found
    return None


def owner_model(path: str) -> type[BaseModel] | None:
    """The model class that declares the last field of a dotted path (Kommune, Programm, Massnahme, ...)."""
    owner: type[BaseModel] | None = Kommune
    *parents, name = path.split(".")
    for part in parents:
        if owner is None or part not in owner.model_fields:
            return None
        owner = nested_model(owner.model_fields[part].annotation)
    return owner if owner is not None and name in owner.model_fields else None


@functools.lru_cache(maxsize=None)  # a pure function of the path, asked for every value shown
def field_info(path: str) -> tuple[Any, tuple[str, ...]] | None:
    """(annotation, vocabularies it uses, in order) of a dotted field path of a record."""
    path = static_path(path)
    owner = owner_model(path)
    if owner is None:
        return None
    info = owner.model_fields[path.rsplit(".", 1)[-1]]
    found = _vocabularies_of(info.annotation)
    if not found and isinstance(info.json_schema_extra, dict) and VOCABULARY_KEY in info.json_schema_extra:
        found = [str(info.json_schema_extra[VOCABULARY_KEY])]  # pydantic unwraps Annotated on required fields
    return info.annotation, tuple(found)


def answer_options(path: str, vocabularies: Vocabularies) -> list[tuple[str, str]] | None:
    """(answer key, label) pairs a question can take, in display order; None if it is no question.

    Vocabulary fields take their vocabulary, yes/no fields "true"/"false", and a programme's
    phase the phases of that programme (content/programme.yml)."""
    found = programme_path(path)
    if found is not None and found[1] == "phase":
        programme = vocabularies.programme.get(found[0])
        return [(slug, phase.label) for slug, phase in programme.phasen.items()] if programme else None
    info = field_info(path)
    if info is None:
        return None
    if info[1]:
        return [(slug, entry.label) for slug, entry in vocabularies.values(info[1][0]).items()]
    if base_type(info[0]) is bool:
        return [("true", vocabularies.text("ja")), ("false", vocabularies.text("nein"))]
    return None


def _vocabularies_of(annotation: Any) -> list[str]:
    found = []
    for meta in getattr(annotation, "__metadata__", ()) or ():
        extra = getattr(meta, "json_schema_extra", None)
        if isinstance(extra, dict) and VOCABULARY_KEY in extra:
            found.append(str(extra[VOCABULARY_KEY]))
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_vocabularies_of(arg))
    return found


def value_at(record: BaseModel, path: str) -> Any:
    """The value at a dotted path; None where any step is missing (programme facts by programme)."""
    found = programme_path(path)
    if found is not None:
        entry = record.entry(found[0]) if isinstance(record, Kommune) else None
        return getattr(entry, found[1]) if entry is not None else None
    measure = _MEASURE_PATH.match(path)
    if measure is not None:
        return record.measure(measure.group(1)) if isinstance(record, Kommune) else None
    value: Any = record
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def field_paths(model: type[BaseModel] | None = None, prefix: str = "") -> list[str]:
    """Every dotted field path of a record, in model order (massnahmen.* included)."""
    paths = []
    for name, info in (model or Kommune).model_fields.items():
        paths.append(prefix + name)
        inner = nested_model(info.annotation)
        if inner is not None:
            paths.extend(field_paths(inner, prefix + name + "."))
    return paths


def base_type(annotation: Any) -> Any:
    """The plain type behind Optional[...] and Annotated[...] (list and dict stay as their origin)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return base_type(next(a for a in typing.get_args(annotation) if a is not type(None)))
    return origin or annotation
