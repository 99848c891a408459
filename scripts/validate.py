"""Prüft alle Inhalte (Kommunen, Vokabulare, Leitfaden) und meldet jedes Problem mit Datei und Zeile.

Aufruf: python scripts/validate.py   (oder: make validate)
Inside GitHub Actions each problem is also printed as a workflow annotation,
so it shows on the changed line of the pull request.
"""

from __future__ import annotations

import os
import sys

import _bootstrap  # noqa: F401

from handbuch.loader import REPOSITORY, content_root, load_handbook
from handbuch.problems import ContentError, Problem
from handbuch.schema import SCHEMA_FILE, schema_text


def _stale_schema(handbook) -> Problem | None:
    """Extending a vocabulary changes the schema editors use; it must be regenerated with it."""
    if handbook.root != (REPOSITORY / "content").resolve():
        return None
    path = REPOSITORY / SCHEMA_FILE
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if current == schema_text(handbook.vocabularies):
        return None
    return Problem(SCHEMA_FILE, 1, 1, None, "Das Schema passt nicht mehr zu Datenmodell und Vokabularen; "
                   "bitte „make schema“ ausführen und die geänderte Datei mit einreichen.")


def main() -> int:
    try:
        handbook = load_handbook()
        stale = _stale_schema(handbook)
        if stale:
            raise ContentError([stale])
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for problem in error.problems:
                print(problem.github_annotation())
        return 1
    print(f"Inhalte in Ordnung: {len(handbook.municipalities)} Kommunen, "
          f"{sum(len(m.record.massnahmen) for m in handbook.municipalities)} Maßnahmen, "
          f"{len(handbook.chapters)} Kapitel.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
