"""The controlled vocabularies and every label the site shows (content/vocabularies.yml)."""

from __future__ import annotations

from typing import Annotated

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

# Texts the templates use; a missing one is a content error, not a crash.
REQUIRED_TEXTS = (
    "keine_angabe", "entfaellt", "ja", "nein", "beispiel_hinweis", "beispiel_kurz", "keine_massnahmen", "bearbeiten",
    "stand", "zuletzt_geaendert", "ohne_versionsgeschichte", "beispiel_markierung", "kommune", "kommunen",
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

    @classmethod
    def from_file_data(cls, data: object) -> dict[str, object]:
        """Split the file's flat top level into value lists and the special sections."""
        if not isinstance(data, dict):
            return {"lists": data}
        result: dict[str, object] = {"lists": {k: v for k, v in data.items() if k not in SPECIAL_SECTIONS}}
        result.update({k: data[k] for k in SPECIAL_SECTIONS if k in data})
        return result

    def values(self, vocabulary: str) -> dict[str, Entry]:
        return self.lists.get(vocabulary, {})

    def label(self, vocabulary: str, slug: object) -> str:
        entry = self.lists.get(vocabulary, {}).get(str(slug))
        return entry.label if entry else str(slug)

    def field_label(self, path: str) -> str:
        entry = self.felder.get(path)
        return entry.label if entry else path

    def short_label(self, path: str) -> str:
        entry = self.felder.get(path)
        return (entry.kurz or entry.label) if entry else path

    def text(self, key: str) -> str:
        return self.texte[key]
