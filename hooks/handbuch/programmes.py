"""The prevention programmes (content/programme.yml): defined once in content, never in code.

A programme has a name, who funds and who supports it, its years, its phases or cohorts and its
sourced figures ("141 von 186 Jugendämtern"). Records take part in any number of them
(`programme:` in a record, data model v3); the rules that tie a record's entry to its programme
(a phase the programme has, a year within its years, its own extra fields) live here, next to
the definitions they read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .messages import problems_at, problems_from_validation
from .model import TEXT_PATTERN, Loc, PARTICIPATION_EXTRAS, Markdown, PublicationDate, WebUrl, Year
from .problems import Problem, allowed_list, did_you_mean, display_path
from .slugs import SLUG_PATTERN
from .yamlsafe import read_document

if TYPE_CHECKING:
    from .model import Kommune

FILE = "programme.yml"

_Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=300)]
_Short = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=40)]
_Long = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=1000)]
_Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]

# Facts of a programme a source must support (like the fields of a real record).
SOURCED = ("name", "foerderer", "begleitung", "beginn", "ende", "beschreibung")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class ProgrammeSource(_Strict):
    titel: _Text
    herausgeber: _Text
    datum: PublicationDate | None = None  # omitted where the page shows no date
    url: WebUrl | None = None
    abgerufen: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | None = None
    belegt: list[Literal[SOURCED]] = Field(default_factory=list)  # type: ignore[valid-type]


class Phase(_Strict):
    """A cohort (LVR: Förderstaffel) or phase (KeKiz: Modellphase, Ausbau) of a programme."""

    label: _Text
    kurz: _Short  # in tables: "1 (2011)"
    jahr: Year  # the year it began
    beschreibung: _Long | None = None
    quellen: Annotated[list[_Slug], Field(min_length=1)]


class ProgrammeFigure(_Strict):
    """A figure as a source states it: "141 von 186 Jugendämtern", never computed here."""

    wert: Annotated[int, Field(ge=1, le=100_000)]
    basis: Annotated[int, Field(ge=1, le=100_000)] | None = None
    einheit: _Text  # "Jugendämter", "Modellkommunen"
    stand: PublicationDate  # when the figure held
    wortlaut: _Long  # the source's own sentence (a quote)
    fundstelle: _Text | None = None
    quelle: _Slug
    gesamt: bool = False  # the figure "N der M … erfasst" compares the records with


class Programme(_Strict):
    name: _Text
    kurzname: _Text  # in running text and lists: "Kein Kind zurücklassen!"
    kurz: _Short  # in table cells and chart labels: "KeKiz"
    foerderer: list[_Text] = Field(default_factory=list)
    begleitung: list[_Text] = Field(default_factory=list)
    beginn: Year
    ende: Year | None = None  # None: still running
    beschreibung: Markdown
    phasen_bezeichnung: _Short | None = None  # "Förderstaffel", "Phase"
    phasen: dict[_Slug, Phase] = Field(default_factory=dict)
    zusatzfelder: list[Literal[PARTICIPATION_EXTRAS]] = Field(default_factory=list)  # type: ignore[valid-type]
    kennzahlen: list[ProgrammeFigure] = Field(default_factory=list)
    quellen: Annotated[dict[_Slug, ProgrammeSource], Field(min_length=1)]

    @property
    def total(self) -> ProgrammeFigure | None:
        """The sourced figure the records are counted against."""
        return next((f for f in self.kennzahlen if f.gesamt), None)

    @property
    def years(self) -> str:
        return f"seit {self.beginn}" if self.ende is None else f"{self.beginn}–{self.ende}"


class ProgrammeFile(_Strict):
    programme: dict[_Slug, Programme]


def _definition_problems(slug: str, programme: Programme) -> list[tuple[Loc, str]]:
    located: list[tuple[Loc, str]] = []
    names = list(programme.quellen)

    def check(loc: Loc, name: str) -> None:
        if name not in programme.quellen:
            located.append((loc, f"unbekannte Quelle „{name}“; erlaubt (unter „quellen“ dieses Programms): "
                                 f"{allowed_list(names)}.{did_you_mean(name, names)}"))

    for phase_slug, phase in programme.phasen.items():
        for index, name in enumerate(phase.quellen):
            check((slug, "phasen", phase_slug, "quellen", index), name)
        if phase.jahr < programme.beginn or programme.ende is not None and phase.jahr > programme.ende:
            located.append(((slug, "phasen", phase_slug, "jahr"),
                            f"{phase.jahr} liegt außerhalb der Laufzeit des Programms ({programme.years})."))
    for index, figure in enumerate(programme.kennzahlen):
        check((slug, "kennzahlen", index, "quelle"), figure.quelle)
        source = programme.quellen.get(figure.quelle)
        if source is not None and (source.datum is None or source.url is None):
            located.append(((slug, "kennzahlen", index, "quelle"), "eine Kennzahl braucht eine Quelle mit Datum und "
                                                                     "Adresse, damit Leserinnen sie prüfen können."))
        if figure.basis is not None and figure.basis < figure.wert:
            located.append(((slug, "kennzahlen", index, "basis"),
                            f"die Basis ({figure.basis}) ist kleiner als der Wert ({figure.wert})."))
    if sum(f.gesamt for f in programme.kennzahlen) > 1:
        located.append(((slug, "kennzahlen"), "höchstens eine Kennzahl darf „gesamt: true“ tragen (die Zahl, "
                                               "mit der die erfassten Jugendämter verglichen werden)."))
    supported = {path for source in programme.quellen.values() for path in source.belegt}
    for field in SOURCED:
        value = getattr(programme, field)
        if value not in (None, []) and field not in supported:
            located.append(((slug, field), f"keine Quelle belegt diese Angabe; bitte bei der Quelle unter "
                                           f"„belegt“ ergänzen (z. B. belegt: [{field}])."))
    return located


def load_programmes(root: Path, problems: list[Problem]) -> dict[str, Programme]:
    """content/programme.yml (optional: a content folder without it knows no programmes)."""
    path = root / FILE
    if not path.exists():
        return {}
    file = display_path(path)
    document = read_document(path, problems)
    if document is None:
        return {}
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 1, 1, None, f"{FILE} muss eine Zuordnung „kurzname: {{name: …}}“ enthalten."))
        return {}
    try:
        data = ProgrammeFile.model_validate({"programme": document.data})
    except ValidationError as error:
        for problem in problems_from_validation(error, document, file, ProgrammeFile):
            field = (problem.field or "").removeprefix("programme").removeprefix(".")
            position = document.position(tuple(field.split("."))) if field else None
            problems.append(Problem(file, position.line if position else problem.line,
                                    position.column if position else problem.column, field or None, problem.message))
        return {}
    located = [item for slug, programme in data.programme.items() for item in _definition_problems(slug, programme)]
    if located:
        problems.extend(problems_at(document, file, located))
        return {}
    return dict(data.programme)


def participation_problems(record: "Kommune", programmes: dict[str, Programme]) -> list[tuple[Loc, str]]:
    """A record's programme entries against the definitions: phase, years, the programme's own fields."""
    found: list[tuple[Loc, str]] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(record.programme or ()):
        loc: Loc = ("programme", index)
        if entry.programm in seen:
            found.append(((*loc, "programm"), f"„{entry.programm}“ steht schon als Eintrag {seen[entry.programm] + 1} "
                                               "unter „programme“; jedes Programm darf nur einmal vorkommen. Bitte "
                                               "beide Einträge zusammenführen."))
            continue
        seen[entry.programm] = index
        programme = programmes.get(entry.programm)
        if programme is None:  # unknown programmes are reported by the vocabulary check
            continue
        if entry.phase is not None:
            if not programme.phasen:
                found.append(((*loc, "phase"), f"das Programm {programme.kurzname} hat keine Phasen oder "
                                               "Staffeln; bitte „phase“ entfernen."))
            elif entry.phase not in programme.phasen:
                allowed = list(programme.phasen)
                found.append(((*loc, "phase"), f"unbekannte {programme.phasen_bezeichnung or 'Phase'} „{entry.phase}“ "
                                               f"im {programme.kurzname}; erlaubt: {allowed_list(allowed)}."
                                               f"{did_you_mean(entry.phase, allowed)}"))
        for field in ("seit", "bis"):
            year = getattr(entry, field)
            if year is None:
                continue
            if year < programme.beginn:
                found.append(((*loc, field), f"{year} liegt vor dem Beginn des Programms {programme.kurzname} "
                                             f"({programme.beginn}); erlaubt: {programme.years}."))
            elif programme.ende is not None and year > programme.ende:
                found.append(((*loc, field), f"{year} liegt nach dem Ende des Programms {programme.kurzname} "
                                             f"({programme.ende}); erlaubt: {programme.years}."))
        if entry.seit is not None and entry.bis is not None and entry.bis < entry.seit:
            found.append(((*loc, "bis"), f"„bis“ ({entry.bis}) liegt vor „seit“ ({entry.seit})."))
        phase = programme.phasen.get(entry.phase or "")
        if phase is not None and entry.seit is not None and entry.seit != phase.jahr:
            found.append(((*loc, "seit"), f"{entry.seit} passt nicht zur {programme.phasen_bezeichnung or 'Phase'} "
                                          f"„{phase.label}“, die {phase.jahr} begann; bitte Jahr oder "
                                          f"{programme.phasen_bezeichnung or 'Phase'} prüfen."))
        for field in PARTICIPATION_EXTRAS:
            if getattr(entry, field) is not None and field not in programme.zusatzfelder:
                found.append(((*loc, field), f"dieses Feld gibt es nur bei Programmen, die es vorsehen; "
                                             f"{programme.kurzname} sieht es nicht vor."))
    return found


def phase_label(programmes: dict[str, Programme], programme: str, phase: Any) -> str | None:
    definition = programmes.get(programme)
    entry = definition.phasen.get(str(phase)) if definition else None
    return entry.label if entry else None
