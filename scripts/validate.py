"""Prüft alle Inhalte (Kommunen, Vokabulare, Leitfaden) und meldet jedes Problem mit Datei und Zeile.

Aufruf: python scripts/validate.py   (oder: make validate)
Inside GitHub Actions each problem is also printed as a workflow annotation,
so it shows on the changed line of the pull request.
"""

from __future__ import annotations

import os
import sys

import _bootstrap  # noqa: F401

from handbuch.derived import stale_files
from handbuch.loader import load_handbook
from handbuch.problems import ContentError


def main() -> int:
    try:
        handbook = load_handbook()
        stale = stale_files(handbook)
        if stale:
            raise ContentError(stale)
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
