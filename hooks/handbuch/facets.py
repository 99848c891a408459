"""Facet pages (/themen/…): every Handlungsfeld, Lebensphase, Netzwerkstufe and Kreis gets a
page listing its municipalities and measures, linked from each record page.

Matching reuses the marker filters (markers.py), so a facet page and a chapter block
with the same filter always list the same records.
"""

from __future__ import annotations

from dataclasses import dataclass

from .loader import Handbook, Municipality
from .markers import Marker
from .model import Kommune
from .slugs import slugify


@dataclass(frozen=True)
class Facet:
    kind: str  # URL part: themen/<kind>/<value>/
    field: str  # field path whose label names the facet
    vocabulary: str | None  # None: values are free text (Kreis)
    municipality_filter: str | None  # marker filter selecting municipalities
    measure_filter: str | None  # marker filter selecting measures


FACETS = (
    Facet("handlungsfeld", "massnahmen.handlungsfeld", "handlungsfelder", "handlungsfeld", "handlungsfeld"),
    Facet("lebensphase", "massnahmen.lebensphasen", "lebensphasen", None, "lebensphase"),
    Facet("netzwerkstufe", "netzwerk.stufe", "netzwerkstufen", "netzwerkstufe", None),
    Facet("kreis", "kreis", None, None, None),
)


@dataclass(frozen=True)
class FacetValue:
    facet: Facet
    value: str  # slug (vocabulary) or the Kreis as written
    slug: str
    label: str

    @property
    def src_uri(self) -> str:
        return f"themen/{self.facet.kind}/{self.slug}.md"

    def municipality_marker(self) -> Marker | None:
        name = self.facet.municipality_filter
        return Marker(0, 0, "kommunen", ((name, self.value),)) if name else None

    def measure_marker(self) -> Marker | None:
        name = self.facet.measure_filter
        return Marker(0, 0, "massnahmen", ((name, self.value),)) if name else None


def facet_values(handbook: Handbook) -> list[FacetValue]:
    values = []
    for facet in FACETS:
        if facet.vocabulary:
            entries = handbook.vocabularies.values(facet.vocabulary)
            values += [FacetValue(facet, slug, slug, entry.label) for slug, entry in entries.items()]
        else:
            # A Kreis record belongs on its own Kreis page, as on /massnahmen/ (kreis_of).
            kreise = sorted({kreis_of(m.record) for m in handbook.municipalities} - {""}, key=str.casefold)
            slugs: set[str] = set()
            for kreis in kreise:
                slug, n = slugify(kreis), 2
                while slug in slugs:  # "Kreis Köln" and "Kreis Koeln" must not share a page
                    slug, n = f"{slugify(kreis)}-{n}", n + 1
                slugs.add(slug)
                values.append(FacetValue(facet, kreis, slug, kreis))
    return values


def kreis_of(record: Kommune) -> str:
    """The Kreis a record belongs to: a town's Kreis, a Kreis itself; "" for a kreisfreie Stadt."""
    return record.kreis or (record.name if record.art == "kreis" else "")


def facets_of(municipality: Municipality, values: list[FacetValue]) -> list[FacetValue]:
    """The facet pages a record appears on, in FACETS order."""
    record = municipality.record
    found = []
    for value in values:
        if value.facet.kind == "kreis":
            if kreis_of(record) == value.value:
                found.append(value)
        elif (marker := value.municipality_marker()) is not None:
            if marker.matches(record):
                found.append(value)
        elif (marker := value.measure_marker()) is not None and any(marker.matches(m) for m in record.massnahmen):
            found.append(value)
    return found
