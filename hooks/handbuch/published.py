"""Published figures (content/ergebnisse.yml): what a source states, never computed here.

The ISS survey 2016 as the LVR report quotes it (the programmes' own figures, such as how many
Jugendämter took part, are in content/programme.yml). Each figure keeps its wording and where it
stands in the source, so a
reader can find it there. Checked on loading: the model (strict), then the rules that need the
vocabularies (question keys, answers, summaries, sources), each with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .messages import problems_at, problems_from_validation
from .model import TEXT_PATTERN, Loc, answer_options
from .problems import Problem, allowed_list, did_you_mean, display_path
from .slugs import SLUG_PATTERN
from .vocabularies import Vocabularies
from .yamlsafe import load_document, read_document

FILE = "ergebnisse.yml"

_Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=300)]
_Long = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=1000)]
_Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
_Url = Annotated[str, StringConstraints(pattern=r"""^https?://[^\s<>"']+$""", max_length=2000)]
_Count = Annotated[int, Field(ge=0, le=100_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Source(_Strict):
    titel: _Text
    herausgeber: _Text
    datum: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}(?:-[0-9]{2}-[0-9]{2})?$")]  # year or full date
    url: _Url | None = None
    kurz: Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=60)]  # "ISS 2016", after a figure
    basis_bezeichnung: Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=60)] = "Kommunen"


class Finding(_Strict):
    """One published result: a count (of a base), a percentage, or a statement without a number."""

    antwort: _Slug | None = None
    zusammenfassung: _Slug | None = None
    anzahl: _Count | None = None
    basis: _Count | None = None
    prozent: Annotated[float, Field(ge=0, le=100)] | None = None
    genauigkeit: Literal["genau", "mehr-als", "mindestens"] = "genau"
    basis_hinweis: _Long | None = None
    wortlaut: _Long
    fundstelle: _Text
    quelle: _Slug

    @model_validator(mode="after")
    def _numbers_agree(self) -> "Finding":
        if self.antwort and self.zusammenfassung:
            raise PydanticCustomError("befund", "„antwort“ und „zusammenfassung“ schließen sich aus; bitte nur "
                                      "eines von beiden angeben.")
        if (self.anzahl is not None or self.prozent is not None) and not (self.antwort or self.zusammenfassung):
            raise PydanticCustomError("befund", "eine Zahl braucht „antwort“ oder „zusammenfassung“, damit klar ist, "
                                      "wofür sie steht.")
        if self.anzahl is None and self.prozent is None and self.basis is not None:
            raise PydanticCustomError("befund", "„basis“ ohne „anzahl“ oder „prozent“; bitte die Zahl ergänzen "
                                      "oder die Basis weglassen.")
        if self.anzahl is not None and self.basis is not None:
            if self.basis < self.anzahl:
                raise PydanticCustomError("befund", "die Basis ({basis}) ist kleiner als die Anzahl ({anzahl}); "
                                          "„{anzahl} von {basis}“ ist nicht möglich. Bitte beide Zahlen in der "
                                          "Quelle prüfen.", {"basis": self.basis, "anzahl": self.anzahl})
            if self.prozent is not None and self.basis and not self._percent_fits():
                share = f"{100 * self.anzahl / self.basis:.1f}".replace(".", ",")
                stated = f"{self.prozent:g}".replace(".", ",")
                relation = {"genau": "", "mehr-als": "mehr als ", "mindestens": "mindestens "}[self.genauigkeit]
                raise PydanticCustomError("befund", "{relation}{stated} % passt nicht zu {anzahl} von {basis} "
                                          "(das sind {share} %). Bitte Anzahl, Basis und Prozentwert in der Quelle "
                                          "prüfen.", {"relation": relation, "stated": stated, "anzahl": self.anzahl,
                                                      "basis": self.basis, "share": share})
        return self

    def _percent_fits(self) -> bool:
        assert self.anzahl is not None and self.basis and self.prozent is not None
        share = 100 * self.anzahl / self.basis
        if self.genauigkeit == "mehr-als":
            return share > self.prozent
        if self.genauigkeit == "mindestens":
            return share >= self.prozent
        return abs(share - self.prozent) <= 0.5  # a percentage rounded to whole numbers


class PublishedFile(_Strict):
    quellen: Annotated[dict[_Slug, Source], Field(min_length=1)]
    ergebnisse: dict[str, list[Finding]] = Field(default_factory=dict)


# --- what the templates read --------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """A finding with its labels resolved: "(eher) erfolgreich: 22 von 29 befragten Kommunen, ISS 2016"."""

    finding: Finding
    label: str | None  # the answer's or summary's label; None for a statement without a number
    source: Source

    @property
    def fraction(self) -> float | None:
        """How long its bar is; None without a number to draw."""
        f = self.finding
        if f.anzahl is not None and f.basis:
            return f.anzahl / f.basis
        if f.prozent is not None:
            return f.prozent / 100
        return None

    @property
    def figure_text(self) -> str | None:
        """The number as the source states it, German style; None for a statement."""
        f = self.finding
        if f.anzahl is not None and f.basis is not None:
            text = f"{f.anzahl} von {f.basis} {self.source.basis_bezeichnung}"
        elif f.anzahl is not None:
            text = f"{f.anzahl} Kommunen"
        elif f.prozent is not None:
            prefix = {"genau": "", "mehr-als": "über ", "mindestens": "mindestens "}[f.genauigkeit]
            text = f"{prefix}{f.prozent:g} % der {self.source.basis_bezeichnung}".replace(".", ",")
        else:
            return None
        return text


@dataclass(frozen=True)
class Published:
    sources: dict[str, Source]
    results: dict[str, tuple[Result, ...]]  # question key -> its published results, in file order
    path: Path | None = None

    def for_question(self, key: str) -> tuple[Result, ...]:
        return self.results.get(key, ())


# --- loading --------------------------------------------------------------------------------------


def answers_of(key: str, vocabularies: Vocabularies) -> dict[str, str]:
    """Slug as editors write it -> the answer key aggregates use ('ja' -> 'true' for yes/no questions)."""
    options = answer_options(key, vocabularies) or []
    if [value for value, _ in options] == ["true", "false"]:
        return {"ja": "true", "nein": "false"}
    return {value: value for value, _ in options}


def summary_problems(vocabularies: Vocabularies, root: Path) -> list[Problem]:
    """Summaries in vocabularies.yml may only name answers of their own question."""
    located: list[tuple[Loc, str]] = []
    for key, question in vocabularies.kennzahlen.items():
        allowed = list(answers_of(key, vocabularies))
        for name, summary in question.zusammenfassungen.items():
            for index, answer in enumerate(summary.antworten):
                if answer not in allowed:
                    located.append((("kennzahlen", key, "zusammenfassungen", name, "antworten", index),
                                    f"unbekannte Antwort „{answer}“ für die Frage „{key}“; erlaubt: "
                                    f"{allowed_list(allowed)}.{did_you_mean(answer, allowed)}"))
    if not located:
        return []
    path = root / "vocabularies.yml"  # read again only to place the messages
    return problems_at(load_document(path.read_bytes()), display_path(path), located)


def _cross_problems(data: PublishedFile, vocabularies: Vocabularies) -> list[tuple[Loc, str]]:
    located: list[tuple[Loc, str]] = []
    sources = list(data.quellen)

    def check_source(loc: Loc, name: str) -> None:
        if name not in data.quellen:
            located.append((loc, f"unbekannte Quelle „{name}“; erlaubt (unter „quellen“): "
                                 f"{allowed_list(sources)}.{did_you_mean(name, sources)}"))

    questions = list(vocabularies.kennzahlen)
    for key, findings in data.ergebnisse.items():
        if key not in vocabularies.kennzahlen:
            located.append((("ergebnisse", key), f"unbekannte Frage „{key}“; erlaubt sind die Schlüssel unter "
                            f"„kennzahlen“ in vocabularies.yml: {allowed_list(questions)}.{did_you_mean(key, questions)}"))
            continue
        answers = list(answers_of(key, vocabularies))
        summaries = list(vocabularies.kennzahlen[key].zusammenfassungen)
        for index, finding in enumerate(findings):
            loc: Loc = ("ergebnisse", key, index)
            if finding.antwort is not None and finding.antwort not in answers:
                located.append(((*loc, "antwort"), f"unbekannte Antwort „{finding.antwort}“ für die Frage „{key}“; "
                                f"erlaubt: {allowed_list(answers)}.{did_you_mean(finding.antwort, answers)}"))
            if finding.zusammenfassung is not None and finding.zusammenfassung not in summaries:
                located.append(((*loc, "zusammenfassung"),
                                f"unbekannte Zusammenfassung „{finding.zusammenfassung}“ für die Frage „{key}“; "
                                + (f"erlaubt: {allowed_list(summaries)}.{did_you_mean(finding.zusammenfassung, summaries)}"
                                   if summaries else "diese Frage hat keine; sie stehen in vocabularies.yml unter "
                                   f"kennzahlen → {key} → zusammenfassungen.")))
            check_source((*loc, "quelle"), finding.quelle)
    return located


def _resolve(data: PublishedFile, vocabularies: Vocabularies) -> dict[str, tuple[Result, ...]]:
    results = {}
    for key, findings in data.ergebnisse.items():
        question = vocabularies.kennzahlen[key]
        labels = dict(answer_options(key, vocabularies) or [])
        yes_no = list(labels) == ["true", "false"]
        out = []
        for finding in findings:
            if finding.zusammenfassung:
                label: str | None = question.zusammenfassungen[finding.zusammenfassung].label
            elif finding.antwort and not yes_no:
                label = labels.get(finding.antwort, finding.antwort)
            elif finding.antwort == "ja":  # "Eigene Steuerungsgruppe eingerichtet: 29 von 37"
                label = question.label
            elif finding.antwort:
                label = f"{question.label}: {vocabularies.text(finding.antwort)}"
            else:
                label = None
            out.append(Result(finding, label, data.quellen[finding.quelle]))
        results[key] = tuple(out)
    return results


def load_published(root: Path, vocabularies: Vocabularies, problems: list[Problem]) -> Published | None:
    """content/ergebnisse.yml (optional) and the summaries it relies on; None if anything is wrong."""
    found = summary_problems(vocabularies, root)
    problems.extend(found)
    path = root / FILE
    if not path.exists():
        return None
    file = display_path(path)
    document = read_document(path, problems)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 1, 1, None, f"{FILE} muss eine Zuordnung mit „quellen“ und "
                                "„ergebnisse“ enthalten."))
        return None
    try:
        data = PublishedFile.model_validate(document.data)
    except ValidationError as error:
        problems.extend(problems_from_validation(error, document, file, PublishedFile))
        return None
    located = _cross_problems(data, vocabularies)
    if located:
        problems.extend(problems_at(document, file, located))
        return None
    if found:
        return None
    return Published(dict(data.quellen), _resolve(data, vocabularies), path)


EMPTY = Published({}, {})  # a content folder without ergebnisse.yml

