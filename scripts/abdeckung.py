"""Schreibt docs/entwicklung/massnahmen.md: echte Maßnahmen je Handlungsfeld und Lebensphase (Schnappschuss).

Aufruf: python scripts/abdeckung.py   (oder: make abdeckung)
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import _bootstrap

from handbuch import aggregates
from handbuch.loader import REPOSITORY
from handbuch.render import Renderer

TARGET = REPOSITORY / "docs" / "entwicklung" / "massnahmen.md"


def main() -> int:
    handbook = _bootstrap.load_or_exit()
    commit = subprocess.run(["git", "-C", str(REPOSITORY), "rev-parse", "--short=10", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip() or "ohne Git"
    real = aggregates.real_municipalities(handbook)
    text = Renderer(handbook).render_page(
        "abdeckung.md.j2", coverage=aggregates.coverage(handbook), real=len(real), commit=commit,
        date=dt.date.today().strftime("%d.%m.%Y"),
        without_measures=[m.record.name for m in real if not m.record.massnahmen])
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.relative_to(REPOSITORY)} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
