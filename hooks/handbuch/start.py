"""What the generated start page needs from the data: guide chapters and sections to link to by
slug (titles and anchors come from the chapters, never retyped) and the most recently changed records.

A chapter or section the start page names but the guide lacks is left out (content roots of tests
and forks may hold other chapters); tests/test_start.py checks that the shipped guide has them all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

from .loader import Chapter, Handbook, Municipality

RECENT = 5  # records the start page lists as recently updated


@dataclass(frozen=True)
class Link:
    title: str
    target: str  # Markdown link target, relative to the start page
    description: str | None = None


class GuideLinks:
    """Chapters and their second-level sections, looked up by slug and by words of the heading."""

    def __init__(self, chapters: tuple[Chapter, ...] | list[Chapter]):
        self._chapters = {c.slug: c for c in chapters}

    def chapter(self, slug: str) -> Link | None:
        chapter = self._chapters.get(slug)
        return Link(chapter.meta.title, f"leitfaden/{slug}.md", chapter.meta.description) if chapter else None

    def section(self, slug: str, words: str) -> Link | None:
        """The first `## ` heading of the chapter containing ``words``; the anchor as the toc extension makes it."""
        chapter = self._chapters.get(slug)
        for heading in re.findall(r"^## +(.+?)\s*$", chapter.body if chapter else "", re.MULTILINE):
            if words.lower() in heading.lower():
                return Link(heading, f"leitfaden/{slug}.md#{slugify(heading, '-')}")
        return None


@dataclass(frozen=True)
class Recent:
    municipality: Municipality
    date: dt.date
    from_git: bool  # False: the record's own `stand`


def recently_changed(handbook: Handbook, changes: dict[Path, dt.date] | None, limit: int = RECENT) -> list[Recent]:
    """Newest records first, by last commit; without git history by the records' `stand` (records
    with neither are left out). Example records count too: they are what a new reader opens."""
    found = []
    for municipality in handbook.municipalities:
        date = changes.get(municipality.path.resolve()) if changes else None
        if date is not None:
            found.append(Recent(municipality, date, True))
        elif municipality.record.stand is not None:
            found.append(Recent(municipality, municipality.record.stand, False))
    found.sort(key=lambda r: (-r.date.toordinal(), r.municipality.record.beispiel, r.municipality.record.name))
    return found[:limit]
