"""Stellt Kommunen-Datensätze von Datenmodell 2 auf 3 um (Block „programm“ -> Liste „programme“).

Aufruf: python scripts/migrate.py [DATEI ...]   (oder: make migrate)
Ohne Dateien: alle content/municipalities/*.yml. Dateien ohne alten Block bleiben unverändert.
Mit --pruefen wird nichts geschrieben; der Exit-Status ist 1, wenn eine Datei umzustellen wäre.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch.loader import content_root
from handbuch.migrate import MigrationError, migrate_text
from handbuch.problems import display_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Datensätze auf Datenmodell 3 umstellen.")
    parser.add_argument("dateien", nargs="*", type=Path)
    parser.add_argument("--pruefen", action="store_true", help="nichts schreiben, nur melden")
    args = parser.parse_args(argv)
    files = args.dateien or sorted((content_root() / "municipalities").glob("*.yml"))
    failed = pending = 0
    for path in files:
        raw = path.read_bytes()
        try:
            result = migrate_text(raw.decode("utf-8"))
        except (MigrationError, UnicodeDecodeError) as error:
            print(f"{display_path(path)}: nicht umgestellt: {error}", file=sys.stderr)
            failed += 1
            continue
        if not result.changed:
            continue
        pending += 1
        if args.pruefen:
            print(f"{display_path(path)}: wäre umzustellen")
        else:
            path.write_bytes(result.text.encode("utf-8"))
            print(f"{display_path(path)}: umgestellt")
    if not args.pruefen:
        print(f"{pending} Datei(en) umgestellt, {failed} mit Problemen.")
    return 1 if failed or (args.pruefen and pending) else 0


if __name__ == "__main__":
    sys.exit(main())
