"""Fasst zusammen, was ein Branch an den Inhalten ändert, in den Worten der Website (make aenderungen).

Aufruf: python scripts/aenderungen.py [--basis REF] [--ausgabe DATEI]   (oder: make aenderungen BASE=REF)
Compares the working tree's content/ with the merge base of HEAD and main (or --basis); the
Markdown goes to stdout or --ausgabe. Exit status 0 whenever a summary was written, also when a
side does not validate (the summary shows its messages); 2 when the comparison cannot start.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch.changes import ChangesError, compare, toplevel


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Änderungen an den Inhalten für Leserinnen und Leser zusammenfassen.")
    parser.add_argument("--basis", help="Vergleichsstand (Standard: gemeinsamer Vorgänger mit main)")
    parser.add_argument("--basis-name", default=os.environ.get("HANDBUCH_BASIS_NAME") or None,
                        help="so heißt die Basis in der Zusammenfassung (Standard: HANDBUCH_BASIS_NAME, sonst --basis)")
    parser.add_argument("--stand-name", default=os.environ.get("HANDBUCH_STAND_NAME") or None,
                        help="so heißt der geänderte Stand (Standard: HANDBUCH_STAND_NAME, sonst der aktuelle Branch)")
    parser.add_argument("--inhalt", default="content", help="Inhaltsordner im Repository (Standard: content)")
    parser.add_argument("--website", help="Adresse der veröffentlichten Website (Standard: HANDBUCH_SITE_URL)")
    parser.add_argument("--lauf", default=os.environ.get("HANDBUCH_LAUF") or None,
                        help="Adresse des Prüflaufs mit dem Artefakt „website“ (Standard: HANDBUCH_LAUF)")
    parser.add_argument("--ausgabe", type=Path, help="Datei für die Zusammenfassung (Standard: Ausgabe im Terminal)")
    args = parser.parse_args(argv)
    try:
        text = compare(toplevel(), args.basis, args.inhalt, args.website, args.lauf, args.basis_name, args.stand_name)
    except ChangesError as error:
        print(f"make aenderungen: {error}", file=sys.stderr)
        return 2
    if args.ausgabe:
        args.ausgabe.parent.mkdir(parents=True, exist_ok=True)
        args.ausgabe.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
