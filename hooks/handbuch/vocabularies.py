"""The controlled vocabularies and every label the site shows (content/vocabularies.yml)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .slugs import SLUG_PATTERN

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class EntrySource(BaseModel):
    """Where a vocabulary entry's fact comes from (e.g. the year of a Förderstaffel)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    titel: Label
    herausgeber: Label
    datum: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(?:-[0-9]{2}-[0-9]{2})?$")]  # JJJJ or JJJJ-MM-TT
    url: Annotated[str, StringConstraints(pattern=r"""^https?://[^\s<>"']+$""", max_length=2000)] | None = None


class Entry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    label: Label
    kurz: Label | None = None  # short label for table headers
    beschreibung: Label | None = None
    jahr: Annotated[int, Field(ge=1950, le=2050)] | None = None  # e.g. the year a Förderstaffel started
    quellen: list[EntrySource] | None = None


class Summary(BaseModel):
    """Answers a report counts together, e.g. "(eher) erfolgreich" = sehr + eher erfolgreich."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    label: Label
    antworten: Annotated[list[Annotated[str, Field(pattern=SLUG_PATTERN)]], Field(min_length=2)]


class Question(Entry):
    """A question of the key figures page; its summaries are checked against its answers on loading."""

    zusammenfassungen: dict[Annotated[str, Field(pattern=SLUG_PATTERN)], Summary] = Field(default_factory=dict)


# Sections of vocabularies.yml that are not value lists.
SPECIAL_SECTIONS = ("felder", "texte", "kennzahlen")
PROGRAMMES = "programme"  # the value list of programme short names, made from content/programme.yml

# Texts the templates use; a missing one is a content error, not a crash.
REQUIRED_TEXTS = (
    "keine_angabe", "entfaellt", "ja", "nein", "beispiel_hinweis", "beispiel_kurz", "keine_massnahmen", "bearbeiten",
    "stand", "zuletzt_geaendert", "ohne_versionsgeschichte", "beispiel_markierung", "kommune", "kommunen", "massnahme",
    "leere_abschnitte",
)


class Vocabularies(BaseModel):
    """All labels of the site. Value lists keep the file's order (it is the display order)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    lists: dict[Annotated[str, Field(pattern=r"^[a-z_]+$")],
                dict[Annotated[str, Field(pattern=SLUG_PATTERN)], Entry]]
    felder: dict[str, Entry]
    texte: dict[str, Label]
    kennzahlen: dict[str, Question]
    # The programme definitions of content/programme.yml (slug -> programmes.Programme), loaded with
    # the vocabularies because a record is checked against both; `lists["programme"]` holds their labels.
    programme: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_file_data(cls, data: object) -> dict[str, object]:
        """Split the file's flat top level into value lists and the special sections."""
        if not isinstance(data, dict):
            return {"lists": data}
        result: dict[str, object] = {"lists": {k: v for k, v in data.items() if k not in SPECIAL_SECTIONS}}
        result.update({k: data[k] for k in SPECIAL_SECTIONS if k in data})
        return result

    def with_programmes(self, programmes: dict[str, Any]) -> "Vocabularies":
        """These vocabularies plus the programmes, as definitions and as the value list `programme`."""
        labels = {slug: Entry(label=p.kurzname, kurz=p.kurz, beschreibung=p.name) for slug, p in programmes.items()}
        return self.model_copy(update={"lists": {**self.lists, PROGRAMMES: labels}, "programme": dict(programmes)})

    def values(self, vocabulary: str) -> dict[str, Entry]:
        return self.lists.get(vocabulary, {})

    def label(self, vocabulary: str, slug: object) -> str:
        entry = self.lists.get(vocabulary, {}).get(str(slug))
        return entry.label if entry else str(slug)

    def field_label(self, path: str) -> str:
        entry = self.felder.get(path)
        if entry is None and self._programme_fact(path):
            programme, fact = self._programme_fact(path)  # type: ignore[misc]
            named = programme.phasen_bezeichnung if fact == "phase" and programme.phasen_bezeichnung else None
            return f"{programme.kurzname}: {named or self.field_label('programme.' + fact)}"
        return entry.label if entry else path

    def short_label(self, path: str) -> str:
        entry = self.felder.get(path)
        if entry is None and self._programme_fact(path):
            programme, fact = self._programme_fact(path)  # type: ignore[misc]
            return f"{programme.kurz}: {self.short_label('programme.' + fact)}"
        return (entry.kurz or entry.label) if entry else path

    def _programme_fact(self, path: str) -> tuple[Any, str] | None:
        """(programme, fact) of a path like programme.kinderstark.seit (labels name the programme)."""
        parts = path.split(".")
        if len(parts) == 3 and parts[0] == PROGRAMMES and parts[1] in self.programme:
            return self.programme[parts[1]], parts[2]
        return None

    def text(self, key: str) -> str:
        return self.texte[key]
