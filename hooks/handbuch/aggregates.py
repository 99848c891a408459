"""Key figures computed once per build from the records ("N von M Kommunen")."""

from __future__ import annotations

from dataclasses import dataclass

from .loader import Handbook, Municipality
from .model import Teilnahme, answer_options, value_at
from .programmes import Programme


@dataclass(frozen=True)
class Row:
    value: str
    label: str
    count: int
    percent: int  # of the municipalities with an answer, rounded


@dataclass(frozen=True)
class Summary:
    """Answers counted together as the ISS report did, e.g. "(eher) erfolgreich: 22 von 29"."""

    label: str
    count: int  # of Figure.answered
    percent: int  # rounded, as the rows


@dataclass(frozen=True)
class Figure:
    key: str  # dotted field path, e.g. "netzwerk.stufe"
    label: str
    answered: int  # M: real municipalities with an answer
    total: int  # all real municipalities
    rows: tuple[Row, ...]
    summaries: tuple[Summary, ...] = ()  # which answers form one: vocabularies.yml, kennzahlen


def options(handbook: Handbook, path: str) -> list[tuple[str, str]]:
    """(value, label) pairs a survey question can take, in display order."""
    found = answer_options(path, handbook.vocabularies)
    if found is None:
        raise KeyError(path)
    return found


def answer_key(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def real_municipalities(handbook: Handbook) -> list:
    """Invented example records never count: figures describe real municipalities only."""
    return [m for m in handbook.municipalities if not m.record.beispiel]


def figure(handbook: Handbook, path: str) -> Figure:
    real = real_municipalities(handbook)
    answers = [a for a in (value_at(m.record, path) for m in real) if a is not None]
    answered = len(answers)
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer_key(answer)] = counts.get(answer_key(answer), 0) + 1
    rows = tuple(
        Row(value, label, counts.get(value, 0), round(100 * counts.get(value, 0) / answered) if answered else 0)
        for value, label in options(handbook, path)
    )
    question = handbook.vocabularies.kennzahlen[path]
    summaries = []
    for summary in question.zusammenfassungen.values():
        count = sum(counts.get(answer_key(a), 0) for a in summary.antworten)
        summaries.append(Summary(summary.label, count, round(100 * count / answered) if answered else 0))
    return Figure(path, question.label, answered, len(real), rows, tuple(summaries))


def figures(handbook: Handbook) -> tuple[Figure, ...]:
    return tuple(figure(handbook, path) for path in handbook.vocabularies.kennzahlen)


@dataclass(frozen=True)
class CrossTab:
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (row label, count per column)
    columns: tuple[str, ...]  # column labels
    answered: int  # real municipalities with an answer to both questions


def crosstab(handbook: Handbook, row_path: str, column_path: str) -> CrossTab:
    """Counts of real municipalities by two questions, e.g. network stage by cohort."""
    row_options, column_options = options(handbook, row_path), options(handbook, column_path)
    counts: dict[tuple[str, str], int] = {}
    answered = 0
    for municipality in real_municipalities(handbook):
        row, column = value_at(municipality.record, row_path), value_at(municipality.record, column_path)
        if row is None or column is None:
            continue
        answered += 1
        key = (answer_key(row), answer_key(column))
        counts[key] = counts.get(key, 0) + 1
    return CrossTab(tuple((label, tuple(counts.get((value, c), 0) for c, _ in column_options))
                          for value, label in row_options),
                    tuple(label for _, label in column_options), answered)


@dataclass(frozen=True)
class Participant:
    municipality: Municipality
    entry: Teilnahme


@dataclass(frozen=True)
class ProgrammeOverview:
    """One programme at a glance: who takes part as the records say, by phase and by year of entry."""

    slug: str
    programme: Programme
    participants: tuple[Participant, ...]  # real records with teilnahme: true, by name
    phases: tuple[tuple[str, str, int], ...]  # (phase, label, participants recorded with it)
    years: tuple[tuple[int, int], ...]  # (year of entry, participants), ascending
    counted: int  # participants as the programme counts them: a Verbund once
    without_year: int

    @property
    def recorded(self) -> int:
        return len(self.participants)


def programme(handbook: Handbook, slug: str) -> ProgrammeOverview:
    definition = handbook.vocabularies.programme[slug]
    participants = tuple(Participant(m, entry) for m in real_municipalities(handbook)
                         if (entry := m.record.entry(slug)) is not None and entry.teilnahme)
    phases = tuple((key, phase.label, sum(1 for p in participants if p.entry.phase == key))
                   for key, phase in definition.phasen.items())
    years: dict[int, int] = {}
    for p in participants:
        if p.entry.seit is not None:
            years[p.entry.seit] = years.get(p.entry.seit, 0) + 1
    counted = len({p.entry.verbund or p.municipality.slug for p in participants})
    without_year = sum(1 for p in participants if p.entry.seit is None)
    return ProgrammeOverview(slug, definition, participants, phases, tuple(sorted(years.items())), counted,
                             without_year)


def programmes(handbook: Handbook) -> tuple[ProgrammeOverview, ...]:
    """Every programme of content/programme.yml, in file order."""
    return tuple(programme(handbook, slug) for slug in handbook.vocabularies.programme)


@dataclass(frozen=True)
class Coverage:
    """Real measures by Handlungsfeld (rows) and Lebensphase (columns): where practice is recorded
    and where it is thin. A zero means "none recorded", never "no offer"."""

    phases: tuple[tuple[str, str], ...]  # (slug, label) of the Lebensphasen, in vocabulary order
    rows: tuple[tuple[str, str, tuple[int, ...], int, int], ...]  # (field, label, per phase, without phase, total)
    phase_totals: tuple[int, ...]  # measures per Lebensphase (a measure counts in each of its phases)
    without_phase: int
    measures: int  # real measures
    records: int  # real records with at least one measure
    empty_fields: tuple[str, ...]  # labels of Handlungsfelder without any real measure
    empty_phases: tuple[str, ...]  # labels of Lebensphasen without any real measure


def coverage(handbook: Handbook) -> Coverage:
    v = handbook.vocabularies
    phases = tuple((slug, entry.label) for slug, entry in v.values("lebensphasen").items())
    measures = [measure for m in real_municipalities(handbook) for measure in m.record.massnahmen]
    rows = []
    for field, entry in v.values("handlungsfelder").items():
        mine = [m for m in measures if m.handlungsfeld == field]
        per_phase = tuple(sum(1 for m in mine if slug in (m.lebensphasen or ())) for slug, _ in phases)
        rows.append((field, entry.label, per_phase, sum(1 for m in mine if not m.lebensphasen), len(mine)))
    phase_totals = tuple(sum(1 for m in measures if slug in (m.lebensphasen or ())) for slug, _ in phases)
    return Coverage(
        phases, tuple(rows), phase_totals, sum(1 for m in measures if not m.lebensphasen), len(measures),
        sum(1 for m in real_municipalities(handbook) if m.record.massnahmen),
        tuple(label for _, label, _, _, total in rows if not total),
        tuple(label for (_, label), total in zip(phases, phase_totals) if not total))
