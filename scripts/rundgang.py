"""Bildschirmfotos für einen Rundgang durch die gebaute Website (docs/entwicklung/rundgang.md).

Aufruf: .venv/bin/python scripts/rundgang.py SITE ZIELORDNER [--seiten "/,kommunen/,..."]
SITE ist ein gebauter Ordner (mkdocs build oder das entpackte Offline-Paket mit .html-Adressen:
dann --offline). Jede Seite wird bei 1280 und 390 Pixel Breite ganz fotografiert; gemeldet wird,
ob die Seite breiter als das Fenster ist (waagrechtes Scrollen).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch.loader import REPOSITORY

sys.path.insert(0, str(REPOSITORY / "tests"))
from browser import browser_page, serve  # noqa: E402  (the tests' browser and http helpers)

PAGES = "/,leitfaden/,leitfaden/steuerung/,kommunen/,kommunen/essen/,kommunen/beispielstadt/,massnahmen/,themen/," \
        "kennzahlen/,daten/,mitwirken/"
WIDTHS = (1280, 390)


def shoot(page, url: str, target: Path) -> int:
    page.goto(url)
    page.wait_for_timeout(300)  # let handbuch.js prepare tables
    page.screenshot(path=str(target), full_page=True)
    return page.evaluate("document.documentElement.scrollWidth")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Bildschirmfotos für einen Rundgang.")
    parser.add_argument("site", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--seiten", default=PAGES)
    parser.add_argument("--offline", action="store_true", help="Offline-Paket über file:// öffnen")
    args = parser.parse_args(argv)
    args.target.mkdir(parents=True, exist_ok=True)
    pages = [p.strip("/") for p in args.seiten.split(",")]
    too_wide = 0
    with (serve(args.site) if not args.offline else contextlib.nullcontext()) as origin, \
            browser_page(origin or "file://") as session:
        for width in WIDTHS:
            session.page.set_viewport_size({"width": width, "height": 900})
            for page in pages:
                if args.offline:  # .html addresses: a section's index, else the page's own file
                    folder = args.site / page / "index.html"
                    url = (folder if folder.is_file() else args.site / f"{page}.html").as_uri()
                else:
                    url = f"{origin}/{page + '/' if page else ''}"
                name = f"{page.replace('/', '_') or 'start'}_{width}.png"
                scroll = shoot(session.page, url, args.target / name)
                if scroll > width:
                    too_wide += 1
                print(f"{name}: {'zu breit (' + str(scroll) + ' px)' if scroll > width else 'passt'}")
        if session.outside_requests():
            print("Anfragen nach außen:", session.outside_requests())
    return 1 if too_wide else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
