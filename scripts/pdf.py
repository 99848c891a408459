"""Schreibt den Praxisleitfaden als PDF nach dist/ (make pdf).

The same PDF that every full build publishes under /downloads/praxisleitfaden.pdf.
"""

from __future__ import annotations

import datetime as dt
import sys

import _bootstrap

from handbuch.loader import REPOSITORY
from handbuch.pdf import guide_pdf
from handbuch.render import Renderer
from handbuch.provenance import build_info, last_changes
from handbuch.settings import site_url


def main() -> int:
    handbook = _bootstrap.load_or_exit()
    changes = last_changes(handbook.root)
    target = REPOSITORY / "dist" / f"praxisleitfaden-{dt.date.today().isoformat()}.pdf"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(guide_pdf(Renderer(handbook, changes), build_info(handbook.root, changes), site_url()))
    print(f"PDF: {target.relative_to(REPOSITORY)} ({target.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
