"""Problems found in content: one type, one format, used by every step.

Editors read these messages, so they are German and always name the file, the
line and (where known) the field. The format follows compilers
(``datei:zeile:spalte: ...``) so editors and CI can jump to the spot.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    field: str | None
    message: str

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        if self.field:
            return f"{where}: Feld „{self.field}“: {self.message}"
        return f"{where}: {self.message}"

    def github_annotation(self) -> str:
        """A GitHub Actions workflow command, shown on the diff line of a pull request."""
        text = self.format().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        file = (self.file.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                .replace(":", "%3A").replace(",", "%2C"))
        return f"::error file={file},line={self.line},col={self.column}::{text}"

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.field or "", self.message)


class ContentError(Exception):
    """Raised when content cannot be published; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        noun = "Problem" if count == 1 else "Probleme"
        lines = [p.format() for p in self.problems]
        lines.append(f"{count} {noun} gefunden; die Website wurde nicht gebaut.")
        return "\n".join(lines)


def display_path(path: Path) -> str:
    """The path as the editor knows it: relative to the working directory when possible."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def did_you_mean(value: object, allowed: Iterable[str]) -> str:
    """' Meinten Sie „x“?' when a close match exists, else ''."""
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value.lower(), list(allowed), n=1, cutoff=0.6)
    return f" Meinten Sie „{matches[0]}“?" if matches else ""


def allowed_list(allowed: Iterable[str], limit: int = 12) -> str:
    items = list(allowed)
    shown = ", ".join(items[:limit])
    return shown + (f" (und {len(items) - limit} weitere)" if len(items) > limit else "")
