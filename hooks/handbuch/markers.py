"""Generated blocks inside practice-guide chapters.

Syntax (one line of its own, an HTML comment so other Markdown viewers hide it):

    <!-- handbuch: kommunen netzwerkstufe=produktionsnetzwerk -->
    <!-- handbuch: massnahmen handlungsfeld=fruehe-hilfen lebensphase=kita -->
    <!-- handbuch: kennzahl frage=netzwerk.stufe -->
    <!-- handbuch: abbildung name=planungszyklus -->
    <!-- handbuch: programm name=lvr-teilhabe -->

Filters combine with AND; `abbildung` draws an illustration of content/abbildungen.yml;
`programm` shows a programme at a glance (phases, years, Jugendämter recorded).
Every block, filter and value is checked when the content is loaded, so a typo fails
`make validate` with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .problems import Problem, allowed_list, did_you_mean

if TYPE_CHECKING:
    from .model import Kommune, Massnahme
    from .vocabularies import Vocabularies

MARKER = re.compile(r"^\s*<!--\s*handbuch:\s*(?P<args>.*?)\s*-->\s*$")
_LOOSE = re.compile(r"<!--\s*handbuch\b")  # a line that tries to be a marker
_CODE_SPAN = re.compile(r"`+[^`]*`+")  # quoting the syntax in `code` is fine
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
YES_NO = "ja-nein"  # pseudo vocabulary for yes/no filters
ILLUSTRATIONS = "abbildungen"  # pseudo vocabulary: the figure names of content/abbildungen.yml
PROGRAMMES = "programme"  # the programme short names of content/programme.yml
LVR = "lvr-teilhabe"
LVR_PHASES = "phasen:" + LVR  # pseudo vocabulary: the cohorts of the LVR programme


@dataclass(frozen=True)
class Filter:
    vocabulary: str  # vocabulary the value must come from; YES_NO; ILLUSTRATIONS; or "kennzahlen"
    field: str  # the record field it reads (its label captions the block)
    values: Callable[[Any], Iterable[object]]  # the item's values; the filter matches if one equals


def _one(value: object) -> tuple[object, ...]:
    return () if value is None else (str(value),)


def _yes_no(value: bool | None) -> tuple[str, ...]:
    return () if value is None else ("ja" if value else "nein",)


def _lvr(record: "Kommune", fact: str) -> object:
    entry = record.entry(LVR)
    return getattr(entry, fact) if entry is not None else None


MUNICIPALITY_FILTERS: dict[str, Filter] = {
    "netzwerkstufe": Filter("netzwerkstufen", "netzwerk.stufe", lambda k: _one(k.netzwerk and k.netzwerk.stufe)),
    "programm": Filter(PROGRAMMES, "programme", lambda k: {e.programm for e in k.programme or () if e.teilnahme}),
    "staffel": Filter(LVR_PHASES, f"programme.{LVR}.phase", lambda k: _one(_lvr(k, "phase"))),
    "art": Filter("arten", "art", lambda k: _one(k.art)),
    "verortung": Filter("verortungen", "koordination.verortung", lambda k: _one(k.koordination and k.koordination.verortung)),
    "ausbaustand": Filter("ausbaustaende", "praeventionskette.ausbaustand", lambda k: _one(k.praeventionskette and k.praeventionskette.ausbaustand)),
    "handlungsfeld": Filter("handlungsfelder", "massnahmen.handlungsfeld", lambda k: {m.handlungsfeld for m in k.massnahmen}),
    "monitoring": Filter(YES_NO, f"programme.{LVR}.monitoring_projekt", lambda k: _yes_no(_lvr(k, "monitoring_projekt"))),
    "steuerungsgruppe": Filter(YES_NO, "steuerungsgruppe.vorhanden", lambda k: _yes_no(k.steuerungsgruppe and k.steuerungsgruppe.vorhanden)),
}

MEASURE_FILTERS: dict[str, Filter] = {
    "handlungsfeld": Filter("handlungsfelder", "massnahmen.handlungsfeld", lambda m: _one(m.handlungsfeld)),
    "lebensphase": Filter("lebensphasen", "massnahmen.lebensphasen", lambda m: m.lebensphasen or ()),
    "status": Filter("massnahme_status", "massnahmen.status", lambda m: _one(m.status)),
}

BLOCKS: dict[str, tuple[dict[str, Filter], tuple[str, ...]]] = {
    # block -> (its filters, required filters)
    "kommunen": (MUNICIPALITY_FILTERS, ()),
    "massnahmen": (MEASURE_FILTERS, ()),
    "kennzahl": ({"frage": Filter("kennzahlen", "", lambda _: ())}, ("frage",)),
    "abbildung": ({"name": Filter(ILLUSTRATIONS, "", lambda _: ())}, ("name",)),
    "programm": ({"name": Filter(PROGRAMMES, "", lambda _: ())}, ("name",)),
}


@dataclass(frozen=True)
class Marker:
    line: int  # in the chapter file
    offset: int  # line index within the body
    block: str
    filters: tuple[tuple[str, str], ...]

    def matches(self, item: "Kommune | Massnahme") -> bool:
        specs = BLOCKS[self.block][0]
        return all(value in {str(v) for v in specs[name].values(item)} for name, value in self.filters)

    def option(self, name: str) -> str | None:
        return dict(self.filters).get(name)

    def caption(self, vocabularies: "Vocabularies") -> list[tuple[str, str]]:
        """(field label, value label) of each filter, so readers see what a block selects."""
        specs = BLOCKS[self.block][0]
        out = []
        for name, value in self.filters:
            spec = specs[name]
            if spec.vocabulary == YES_NO:
                shown = vocabularies.text(value)
            elif spec.vocabulary.startswith("phasen:"):
                shown = vocabularies.programme[spec.vocabulary.split(":", 1)[1]].phasen[value].label
            else:
                shown = vocabularies.label(spec.vocabulary, value)
            out.append((vocabularies.field_label(spec.field), shown))
        return out


def _allowed(vocabulary: str, vocabularies: "Vocabularies", illustrations: tuple[str, ...] | None) -> list[str] | None:
    """The values a filter takes; None: not known (the illustrations file is broken and reported)."""
    if vocabulary == YES_NO:
        return ["ja", "nein"]
    if vocabulary == ILLUSTRATIONS:
        return None if illustrations is None else list(illustrations)
    if vocabulary == "kennzahlen":
        return list(vocabularies.kennzahlen)
    if vocabulary.startswith("phasen:"):
        programme = vocabularies.programme.get(vocabulary.split(":", 1)[1])
        return list(programme.phasen) if programme else []
    return list(vocabularies.values(vocabulary))


def _unknown_value(name: str, value: str, vocabulary: str, allowed: list[str]) -> str:
    if vocabulary != ILLUSTRATIONS:
        return (f"unbekannter Wert „{value}“ für Filter „{name}“; "
                f"erlaubt: {allowed_list(allowed)}.{did_you_mean(value, allowed)}")
    if not allowed:
        return f"unbekannte Abbildung „{value}“: es gibt keine, content/abbildungen.yml fehlt oder ist leer."
    return (f"unbekannte Abbildung „{value}“; erlaubt (aus content/abbildungen.yml): "
            f"{allowed_list(allowed)}.{did_you_mean(value, allowed)}")


def _parse(args: str, line: int, file: str, vocabularies: "Vocabularies",
           illustrations: tuple[str, ...] | None) -> tuple[Marker | None, list[Problem]]:
    tokens = args.split()
    if not tokens:
        return None, [Problem(file, line, 1, None, f"Markierung ohne Block; erlaubt: {', '.join(BLOCKS)}.")]
    block, problems = tokens[0], []
    if block not in BLOCKS:
        return None, [Problem(file, line, 1, None, f"unbekannter Block „{block}“; erlaubt: "
                              f"{', '.join(BLOCKS)}.{did_you_mean(block, BLOCKS)}")]
    specs, required = BLOCKS[block]
    filters: list[tuple[str, str]] = []
    for token in tokens[1:]:
        name, sep, value = token.partition("=")
        if not sep or not value:
            problems.append(Problem(file, line, 1, None, f"„{token}“ ist kein Filter; Form: name=wert, "
                                    f"erlaubt für „{block}“: {', '.join(specs)}."))
            continue
        if name in dict(filters):
            problems.append(Problem(file, line, 1, None, f"der Filter „{name}“ steht doppelt; jeder Filter "
                                    "darf nur einmal vorkommen."))
            continue
        if name not in specs:
            problems.append(Problem(file, line, 1, None, f"unbekannter Filter „{name}“ für Block „{block}“; "
                                    f"erlaubt: {', '.join(specs)}.{did_you_mean(name, specs)}"))
            continue
        allowed = _allowed(specs[name].vocabulary, vocabularies, illustrations)
        if allowed is not None and value not in allowed:
            problems.append(Problem(file, line, 1, None, _unknown_value(name, value, specs[name].vocabulary, allowed)))
            continue
        filters.append((name, value))
    for name in required:
        if name not in dict(filters) and not problems:
            problems.append(Problem(file, line, 1, None, f"Block „{block}“ braucht den Filter „{name}=…“."))
    return (None if problems else Marker(line, 0, block, tuple(filters))), problems


def find_markers(body: str, first_line: int, file: str, vocabularies: "Vocabularies",
                 illustrations: tuple[str, ...] | None = ()) -> tuple[list[Marker], list[Problem]]:
    """The markers of a chapter body and their problems; ``illustrations`` are the names an
    `abbildung` marker may use (None: unknown, because content/abbildungen.yml is broken and reported)."""
    markers, problems = [], []
    fence = ""  # inside a fenced code block, markers are shown, not expanded
    for offset, text in enumerate(body.split("\n")):
        opening = _FENCE.match(text)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)
            continue
        if fence or not _LOOSE.search(_CODE_SPAN.sub("", text)):
            continue
        line = first_line + offset
        match = MARKER.match(text)
        if not match:
            problems.append(Problem(file, line, 1, None, "Markierung nicht erkannt: sie muss allein auf einer "
                                    "Zeile stehen und mit „-->“ enden, z. B. "
                                    "<!-- handbuch: kommunen netzwerkstufe=produktionsnetzwerk -->"))
            continue
        marker, found = _parse(match.group("args"), line, file, vocabularies, illustrations)
        problems.extend(found)
        if marker:
            markers.append(Marker(line, offset, marker.block, marker.filters))
    return markers, problems
