"""Numbered source footnotes in practice-guide chapters.

A chapter lists its sources in its front matter and cites them in the text with ``[^key]``:

    ---
    title: Schnittstelle Gesundheit
    order: 10
    quellen:
      - id: bzga-kindesalter
        titel: Gesundheitsförderung im Kindesalter
        herausgeber: Bundeszentrale für gesundheitliche Aufklärung (BZgA)
        datum: 2023-11-24
        url: https://www.leitbegriffe.bzga.de/…
        abgerufen: 2026-12-06
    ---
    Die Gesundheit von Kindern hängt stark von der sozialen Lage ihrer Familie ab.[^bzga-kindesalter]

Each citation becomes a superscript link "Quelle N" (the word is hidden, as on the record pages)
to the numbered source list the chapter template appends; each entry links back to the sections
that cite it. Sources are numbered in the order of their first citation. Every source needs a
publisher and a publication date (and an address where it is public); an unknown key, a source that is never cited and a
key defined twice are problems with file and line (`make validate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from .model import Date, PublicationDate, Text, WebUrl
from .problems import Problem, did_you_mean

KEY = r"[a-z0-9][a-z0-9-]{0,59}"
CITE = re.compile(rf"\[\^({KEY})\]")
_LOOSE = re.compile(r"\[\^[^\]]*\]")  # anything that looks like a footnote reference
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*(?:\{[^}]*\})?\s*$")


class ChapterSource(BaseModel):
    """One source of a chapter: everything the numbered source list shows."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    id: Annotated[str, StringConstraints(pattern=rf"^{KEY}$")]
    titel: Text
    herausgeber: Text
    datum: PublicationDate
    url: WebUrl | None = None  # where the source is public; the 2017 report has no public address
    abgerufen: Date | None = None  # when the page was looked up (with url)


@dataclass(frozen=True)
class Citation:
    offset: int  # line index within the body
    key: str
    section: str  # the heading (## or ###) above it; "" before the first heading


def find_citations(body: str, first_line: int, file: str,
                   sources: list[ChapterSource]) -> tuple[list[Citation], list[Problem]]:
    """The citations of a chapter body, checked against its sources."""
    known = {s.id for s in sources}
    citations: list[Citation] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            problems.append(Problem(file, 1, 1, "quellen", f"die Quelle „{source.id}“ steht doppelt; jede id "
                                    "darf nur einmal vorkommen."))
        seen.add(source.id)
    fence, section = "", ""
    for offset, text in enumerate(body.split("\n")):
        opening = _FENCE.match(text)
        if opening and (not fence or opening.group(1).startswith(fence)):
            fence = "" if fence else opening.group(1)
            continue
        if fence:
            continue
        heading = _HEADING.match(text)
        if heading:
            section = heading.group(2)
        spans = [m.span() for m in _CODE_SPAN.finditer(text)]  # quoting the syntax in `code` is fine
        for match in _LOOSE.finditer(text):
            if any(a <= match.start() < b for a, b in spans):
                continue
            key = CITE.fullmatch(match.group(0))
            line = first_line + offset
            if not key:
                problems.append(Problem(file, line, match.start() + 1, None, f"„{match.group(0)}“ ist kein "
                                        "Quellenverweis; Form: [^id] mit Kleinbuchstaben, Ziffern und Bindestrichen."))
            elif key.group(1) not in known:
                problems.append(Problem(file, line, match.start() + 1, None, f"unbekannte Quelle „{key.group(1)}“; "
                                        f"sie fehlt unter „quellen“ im Kopf des Kapitels."
                                        f"{did_you_mean(key.group(1), sorted(known))}"))
            else:
                citations.append(Citation(offset, key.group(1), section))
    cited = {c.key for c in citations}
    for source in sources:
        if source.id not in cited:
            problems.append(Problem(file, 1, 1, "quellen", f"die Quelle „{source.id}“ wird im Text nirgends "
                                    "zitiert; zitieren Sie sie mit [^" + source.id + "] oder entfernen Sie sie."))
    return citations, problems


@dataclass(frozen=True)
class Backlink:
    anchor: str  # id of the citation in the text
    label: str  # the section it stands in, numbered when a source is cited there more than once
    section: str


@dataclass(frozen=True)
class NumberedSource:
    number: int
    source: ChapterSource
    backlinks: tuple[Backlink, ...]


def numbered(sources: list[ChapterSource] | tuple[ChapterSource, ...],
             citations: tuple[Citation, ...] | list[Citation]) -> tuple[dict[str, int], list[NumberedSource], list[str]]:
    """Numbers by first citation; the anchor of each citation (in text order) and the source list."""
    numbers: dict[str, int] = {}
    for c in citations:
        numbers.setdefault(c.key, len(numbers) + 1)
    by_key = {s.id: s for s in sources}
    anchors: list[str] = []
    back: dict[str, list[Backlink]] = {}
    count: dict[str, int] = {}
    for c in citations:
        count[c.key] = count.get(c.key, 0) + 1
        anchor = f"beleg-{numbers[c.key]}-{count[c.key]}"
        anchors.append(anchor)
        section = c.section or "Einleitung"
        same = sum(1 for b in back.get(c.key, []) if b.section == section)
        label = section if not same else f"{section} ({same + 1})"
        back.setdefault(c.key, []).append(Backlink(anchor, label, section))
    listed = [NumberedSource(n, by_key[key], tuple(back[key])) for key, n in sorted(numbers.items(), key=lambda i: i[1])]
    return numbers, listed, anchors


def footnote(number: int, anchor: str) -> str:
    """The superscript link at a citation, as on the record pages ("Quelle 2" for screen readers)."""
    return (f'<sup class="handbuch-beleg" data-search-exclude><a href="#quelle-{number}" id="{anchor}">'
            f'<span class="handbuch-unsichtbar">Quelle </span>{number}</a></sup>')


def replace_citations(lines: list[str], citations: tuple[Citation, ...] | list[Citation],
                      numbers: dict[str, int], anchors: list[str]) -> list[str]:
    """``lines`` with every citation turned into its footnote link (in place of ``[^key]``)."""
    out = list(lines)
    by_line: dict[int, list[str]] = {}
    for c, anchor in zip(citations, anchors):
        by_line.setdefault(c.offset, []).append(anchor)
    for offset, line_anchors in by_line.items():
        queue = iter(line_anchors)
        spans = [m.span() for m in _CODE_SPAN.finditer(out[offset])]

        def swap(match: re.Match[str]) -> str:
            if any(a <= match.start() < b for a, b in spans):
                return match.group(0)
            return footnote(numbers[match.group(1)], next(queue))
        out[offset] = CITE.sub(swap, out[offset])
    return out
