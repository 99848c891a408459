"""Writes the generated Markdown pages into a folder, without MkDocs.

Usage: python scripts/generate.py OUTPUT_DIR
The same pages the MkDocs hook adds to the site; another static-site generator
can take them from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import _bootstrap

from handbuch.render import generate, write_pages


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("Aufruf: python scripts/generate.py ZIELORDNER", file=sys.stderr)
        return 2
    handbook = _bootstrap.load_or_exit()
    written = write_pages(generate(handbook, data=True), Path(argv[0]))
    print(f"{len(written)} Dateien (Seiten und ihre Daten) nach {argv[0]} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
