"""Short names (slugs) for file names, URLs and anchors: lowercase a-z, 0-9 and hyphens."""

from __future__ import annotations

import re
import unicodedata

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def slugify(text: str) -> str:
    """German-friendly: ä -> ae, ß -> ss, other accents dropped, everything else becomes '-'."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "eintrag"


def dotted_path(path: tuple[object, ...]) -> str | None:
    """A data path as editors read it: massnahmen[2].handlungsfeld (list positions from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out or None
