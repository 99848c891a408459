"""Model values as readers see them (labels from vocabularies.yml), and the measures of all records.

Shared by the pages (render.py) and the open data (opendata.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .loader import Handbook, Municipality
from .model import Kommune, Massnahme, Quelle, Teilnahme, field_info, measure_key, nested_model, programme_path
from .slugs import slugify
from .vocabularies import Vocabularies

# Fields the municipality page shows in sections of their own, not in the fact table.
_OWN_SECTIONS = {"name", "beispiel", "stand", "quellen", "kontakt", "beschreibung", "massnahmen", "programme"}


def measure_anchors(record: Kommune) -> list[str]:
    """Stable anchors for a record's measures: their short names, unique per record (the loader
    rejects two measures with the same one), the same a source names in `belegt`."""
    return ["massnahme-" + measure_key(measure) for measure in record.massnahmen]


@dataclass(frozen=True)
class FactSection:
    title: str  # "" for the general facts at the top
    rows: list[tuple[str, str, str]]  # (field label, display value, field path for its footnotes)
    empty: bool  # no answer at all: listed in one line instead of a block of "keine Angabe"


@dataclass(frozen=True)
class Citation:
    """A footnote at a fact: the number of its source in the record's list, and the id of the
    reference, which the source list links back to."""

    number: int
    anchor: str
    path: str


@dataclass(frozen=True)
class Footnotes:
    at: dict[str, list[Citation]]  # field path -> the footnotes shown at that fact
    back: list[list[Citation]]  # per source (in list order): the facts it supports, for the links back


def footnotes(record: Kommune) -> Footnotes:
    """Numbered footnotes of a record's sources (numbered as the sources are listed)."""
    at: dict[str, list[Citation]] = {}
    back: list[list[Citation]] = []
    for number, quelle in enumerate(record.quellen or (), start=1):
        back.append([])
        for path in quelle.belegt or ():
            citation = Citation(number, f"beleg-{number}-{slugify(path)}", path)
            at.setdefault(path, []).append(citation)
            back[-1].append(citation)
    return Footnotes(at, back)


@dataclass(frozen=True)
class OverviewRow:
    """A record as the overview tables show it: display values only, so a page drawn from rows
    renders again in the preview only when one of them changed (not after every edit of the record)."""

    slug: str
    name: str
    example: bool
    kreis: str
    programmes: str  # slugs of the programmes taken part in (the filter of /kommunen/)
    programme_labels: tuple[tuple[str, str], ...]  # (short, full) per programme, e.g. ("LVR 2013", "LVR-… seit 2013")
    stage: str
    steering: str
    chain: str
    measures: int


class Presenter:
    """Turns model values into the labels readers see (all texts from vocabularies.yml)."""

    def __init__(self, vocabularies: Vocabularies):
        self.v = vocabularies

    def value(self, path: str, value: Any) -> str:
        if value is None:
            return self.v.text("keine_angabe")
        info = field_info(path)
        vocabs = info[1] if info else []
        if isinstance(value, bool):
            return self.v.text("ja") if value else self.v.text("nein")
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        if isinstance(value, float):
            if 0 < value < 0.005:  # would round to "0,0", which reads as "none"
                return "unter 0,01"
            text = f"{value:.2f}".rstrip("0")
            return (text + "0" if text.endswith(".") else text).replace(".", ",")
        if isinstance(value, dict):
            return "; ".join(f"{self.v.label(vocabs[0], k)}: {self.v.label(vocabs[1], s)}" for k, s in value.items())
        if isinstance(value, list):
            if not value:
                return self.v.text("keine_angabe")
            return ", ".join(self.v.label(vocabs[0], item) if vocabs else str(item) for item in value)
        if vocabs:
            return self.v.label(vocabs[0], value)
        return str(value)

    def fact_label(self, record: Kommune, path: str) -> str:
        """What a source supports, as readers call it: a field's label, or "Maßnahme „Elterncafé“"."""
        if path.startswith("massnahmen."):
            measure = record.measure(path.split(".", 1)[1])
            # Quotes inside the quotes become single ones: „Kinderferienprogramm ‚Wernutopia‘“.
            inner = measure.titel.replace("„", "‚").replace("“", "‘") if measure else ""
            return f"{self.v.text('massnahme')} „{inner}“" if measure else path
        return self.v.field_label(path)

    def fact_value(self, path: str, value: Any) -> str:
        """A fact as the record page shows it: a programme's phase by its label ("1. Förderstaffel")."""
        found = programme_path(path)
        if found is not None and found[1] == "phase" and value is not None:
            programme = self.v.programme.get(found[0])
            if programme is not None and value in programme.phasen:
                return programme.phasen[value].label
        return self.value(path, value)

    def kreis(self, record: Kommune) -> str:
        return self.value("kreis", record.kreis) if record.needs_kreis else self.v.text("entfaellt")

    def overview_row(self, slug: str, record: Kommune) -> OverviewRow:
        """A record as the overview tables show it (/kommunen/, topic pages)."""
        taking_part = [e for e in record.programme or () if e.teilnahme]
        programmes = []
        for entry in taking_part:
            programme = self.v.programme.get(entry.programm)
            if programme is None:
                programmes.append((entry.programm, entry.programm))
                continue
            since = f" {entry.seit}" if entry.seit is not None else ""
            programmes.append((programme.kurz + since,
                               programme.kurzname + (f", seit {entry.seit}" if entry.seit is not None else "")))
        return OverviewRow(
            slug, record.name, record.beispiel, self.kreis(record), " ".join(e.programm for e in taking_part),
            tuple(programmes),
            self.value("netzwerk.stufe", record.netzwerk and record.netzwerk.stufe),
            self.value("steuerungsgruppe.vorhanden", record.steuerungsgruppe and record.steuerungsgruppe.vorhanden),
            self.value("praeventionskette.ausbaustand",
                       record.praeventionskette and record.praeventionskette.ausbaustand),
            len(record.massnahmen))

    def sections(self, record: Kommune) -> list[FactSection]:
        """Every fact of a record, grouped as in the model; sections without any answer are marked empty."""
        general: list[tuple[str, str, str]] = []
        sections: list[FactSection] = [FactSection("", general, False)]
        for name, info in Kommune.model_fields.items():
            if name in _OWN_SECTIONS:
                continue
            inner = nested_model(info.annotation)
            if name == "kreis":
                general.append((self.v.field_label(name), self.kreis(record), name))
                continue
            if inner is None:
                general.append((self.v.field_label(name), self.value(name, getattr(record, name)), name))
                continue
            sub = getattr(record, name)
            rows = [(self.v.field_label(f"{name}.{field}"),
                     self.value(f"{name}.{field}", getattr(sub, field) if sub else None), f"{name}.{field}")
                    for field in inner.model_fields]
            empty = all(value == self.v.text("keine_angabe") for _, value, _ in rows)
            sections.append(FactSection(self.v.field_label(name), rows, empty))
        return sections

    def timeline(self, record: Kommune) -> list[tuple[Teilnahme, Any, list[tuple[str, str, str]]]]:
        """The record's programmes, oldest entry first (unknown years last): (entry, its programme,
        its facts as (label, value, path for footnotes))."""
        rows = []
        for entry in sorted(record.programme or (), key=lambda e: (e.seit is None, e.seit or 0, e.programm)):
            programme = self.v.programme.get(entry.programm)
            facts = []
            for fact in ("teilnahme", "phase", "seit", "bis", "verbund", "monitoring_projekt"):
                value = getattr(entry, fact)
                if value is None and fact != "teilnahme":  # participation is always stated, if only as unknown
                    continue
                path = f"programme.{entry.programm}.{fact}"
                label = (programme.phasen_bezeichnung or self.v.field_label("programme.phase")) \
                    if fact == "phase" and programme else self.v.field_label(f"programme.{fact}")
                facts.append((label, self.fact_value(path, value), path))
            rows.append((entry, programme, facts))
        return rows

    def measure_rows(self, measure: Massnahme) -> list[tuple[str, str, str]]:
        # Each measure is supported as a whole (footnote at its heading), not field by field.
        return [(self.v.field_label(f"massnahmen.{f}"), self.value(f"massnahmen.{f}", getattr(measure, f)), "")
                for f in Massnahme.model_fields if f not in ("titel", "beschreibung", "link")]

    def source_line(self, quelle: Quelle) -> str:
        """Publisher, date and when it was looked up: the part of a source entry after its title."""
        parts = [part for part in (quelle.herausgeber, self.value("quellen.datum", quelle.datum)
                                   if quelle.datum is not None else None) if part]
        if quelle.abgerufen:
            parts.append(f"abgerufen am {self.value('quellen.abgerufen', quelle.abgerufen)}")
        return ", ".join(parts)


# --- selection shared by overview pages and chapter markers ------------------


@dataclass(frozen=True)
class MeasureRef:
    municipality: Municipality
    measure: Massnahme
    anchor: str


def all_measures(handbook: Handbook) -> list[MeasureRef]:
    return [ref for municipality in handbook.municipalities for ref in measures_of(municipality)]


def measures_of(municipality: Municipality) -> list[MeasureRef]:
    return [MeasureRef(municipality, measure, anchor)
            for measure, anchor in zip(municipality.record.massnahmen, measure_anchors(municipality.record))]


def similar_index(refs: list[MeasureRef]) -> dict[tuple[str, str], list[MeasureRef]]:
    """Real measures by (Handlungsfeld, Lebensphase): built once per build for "Ähnliche Maßnahmen anderswo"."""
    index: dict[tuple[str, str], list[MeasureRef]] = {}
    for ref in refs:
        if ref.municipality.record.beispiel:
            continue  # invented examples are no practice "elsewhere"
        for phase in ref.measure.lebensphasen or ():
            index.setdefault((ref.measure.handlungsfeld, phase), []).append(ref)
    return index


def similar_measures(index: dict[tuple[str, str], list[MeasureRef]], measures: Iterable[Massnahme],
                     exclude: set[str], limit: int = 8) -> list[MeasureRef]:
    """Measures in other Jugendämter with the same Handlungsfeld and a common Lebensphase as any of
    ``measures``: the most shared (field, phase) pairs first, then by place and title."""
    keys = {(m.handlungsfeld, phase) for m in measures for phase in m.lebensphasen or ()}
    score: dict[tuple[str, str], tuple[int, MeasureRef]] = {}
    for key in keys:
        for ref in index.get(key, ()):
            if ref.municipality.slug in exclude:
                continue
            ident = (ref.municipality.slug, ref.anchor)
            score[ident] = (score.get(ident, (0, ref))[0] + 1, ref)
    ranked = sorted(score.values(), key=lambda item: (-item[0], item[1].municipality.record.name.casefold(),
                                                      item[1].measure.titel.casefold()))
    return [ref for _, ref in ranked[:limit]]
