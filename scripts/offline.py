"""Baut das Offline-Paket: dist/handbuch-offline-<datum>.zip (make offline).

The zip holds one folder with the whole site built for file:// (Material's
offline plugin, iframe-worker from npm for search), plus a short German note on
how to open it. Nothing in it loads from the internet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch import search
from handbuch.loader import REPOSITORY

README = """Handbuch Präventionsketten – Offline-Ausgabe vom {date}

So öffnen Sie das Handbuch:
1. Entpacken Sie diese ZIP-Datei vollständig (z. B. auf einen USB-Stick oder in „Dokumente“).
2. Öffnen Sie im entpackten Ordner die Datei „index.html“ mit einem Doppelklick.

Das Handbuch funktioniert ohne Internetverbindung, einschließlich der Suche.
Es lädt keine Inhalte aus dem Internet nach.
"""


def build(site: Path) -> None:
    env = {**os.environ, "HANDBUCH_OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                   cwd=REPOSITORY, env=env, check=True)
    # file:// search reads search_index.js, written compactly (handbuch/search.py); the JSON copy
    # would only double the size.
    if search.enabled():
        search.compact_offline_index(site / "search")
    (site / "search" / "search_index.json").unlink(missing_ok=True)


def pack(site: Path, target: Path, folder: str, date: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(f"{folder}/LIESMICH.txt", README.format(date=date))
        for path in sorted(site.rglob("*")):
            if path.is_file():
                archive.write(path, f"{folder}/{path.relative_to(site).as_posix()}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Offline-Paket bauen.")
    parser.add_argument("--build-dir", type=Path, default=REPOSITORY / "build" / "offline")
    parser.add_argument("--dist-dir", type=Path, default=REPOSITORY / "dist")
    args = parser.parse_args(argv)
    today = dt.date.today().isoformat()
    site = args.build_dir
    shutil.rmtree(site, ignore_errors=True)
    try:
        build(site)
    except subprocess.CalledProcessError:
        print("Das Offline-Paket wurde nicht gebaut (siehe Meldungen oben).", file=sys.stderr)
        return 1
    target = args.dist_dir / f"handbuch-offline-{today}.zip"
    pack(site, target, f"handbuch-praeventionsketten-{today}", today)
    print(f"Offline-Paket: {target} ({target.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
