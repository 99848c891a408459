"""Data model v2 -> v3: the single `programm:` block becomes one entry of `programme:`, and a
source that supported "the measures" as a list names each measure (massnahmen.<kurzname>).

Text in, text out, so that everything else in a record stays byte for byte as its editor wrote
it (comments, quoting, line breaks): only the `programm:` block and the paths in `belegt` change.
The old block was always the LVR programme "Teilhabe ermöglichen"; a source that supported the
list supported each of its measures, so it names all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .slugs import slugify
from .yamlsafe import YamlProblem, load_document

LVR = "lvr-teilhabe"
# v2 field -> v3 field of the programme entry
FIELDS = {"teilnahme": "teilnahme", "staffel": "phase", "seit": "seit", "monitoring_projekt": "monitoring_projekt"}
_BLOCK = re.compile(r"^programm:[ \t]*(?:#.*)?\r?\n(?:(?:[ \t]+.*|[ \t]*)\r?\n|[ \t]+.*$)*", re.MULTILINE)
_PATH = re.compile(r"(?<![\w.-])programm\.(teilnahme|staffel|seit|monitoring_projekt)\b")
_BELEGT_LINE = re.compile(r"^[ \t]*(?:belegt:.*|-[ \t]+programm\.\w+[ \t]*(?:#.*)?)$", re.MULTILINE)
_LIST_IN_FLOW = re.compile(r"(?<![\w.-])massnahmen(?![\w.-])")
_LIST_AS_ITEM = re.compile(r"^([ \t]*-[ \t]+)massnahmen([ \t]*(?:#.*)?)$", re.MULTILINE)


class MigrationError(Exception):
    """A record that cannot be moved to v3 without a decision of its editor (German message)."""


@dataclass(frozen=True)
class Migrated:
    text: str
    changed: bool


def _entry(old: dict) -> list[str]:
    unknown = sorted(set(old) - set(FIELDS))
    if unknown:
        raise MigrationError(f"unbekannte Felder im Block „programm“: {', '.join(unknown)}; bitte von Hand umstellen.")
    if all(old.get(f) is None for f in FIELDS):
        return []  # an empty block said nothing
    lines = [f"  - programm: {LVR}"]
    for v2, v3 in FIELDS.items():
        value = old.get(v2)
        if value is None:
            continue
        if v2 == "staffel":
            value = f"staffel-{value}"
        elif isinstance(value, bool):
            value = "true" if value else "false"
        lines.append(f"    {v3}: {value}")
    return lines


def _each_measure(text: str, data: dict) -> str:
    """`belegt: [massnahmen]` -> one path per measure of the record."""
    measures = data.get("massnahmen") or []
    paths = [f"massnahmen.{slugify(str(m.get('titel', '')))}" for m in measures if isinstance(m, dict)]
    if not any("massnahmen" in (q.get("belegt") or []) for q in data.get("quellen") or [] if isinstance(q, dict)):
        return text
    if not paths:
        raise MigrationError("eine Quelle belegt „massnahmen“, aber der Datensatz hat keine Maßnahmen; bitte "
                             "„massnahmen“ aus „belegt“ entfernen.")
    text = _LIST_AS_ITEM.sub(lambda m: "\n".join(f"{m.group(1)}{p}{m.group(2)}" for p in paths), text)
    return re.sub(r"^[ \t]*belegt:.*$", lambda m: _LIST_IN_FLOW.sub(", ".join(paths), m.group(0)), text,
                  flags=re.MULTILINE)


def migrate_text(text: str) -> Migrated:
    """The v3 text of a v2 record; unchanged (changed=False) when there is nothing to migrate."""
    original = text
    try:
        data = load_document(text.encode("utf-8")).data
    except YamlProblem as error:
        raise MigrationError(f"Zeile {error.line}: {error.message}") from None
    if not isinstance(data, dict):
        return Migrated(text, False)
    text = _each_measure(text, data)
    if "programm" not in data:
        belegt_only = _BELEGT_LINE.sub(lambda m: _PATH.sub(_rename, m.group(0)), text)
        return Migrated(belegt_only, belegt_only != original)
    if "programme" in data:
        raise MigrationError("der Datensatz hat schon „programme“ und noch „programm“; bitte von Hand zusammenführen.")
    old = data["programm"]
    if old is not None and not isinstance(old, dict):
        raise MigrationError("„programm“ ist keine Zuordnung; bitte von Hand umstellen.")
    block = _BLOCK.search(text)
    if block is None:
        raise MigrationError("der Block „programm:“ steht nicht in der üblichen Form (eingerückte Zeilen darunter); "
                             "bitte von Hand umstellen.")
    newline = "\r\n" if "\r\n" in block.group(0) else "\n"
    entry = _entry(old or {})
    replacement = newline.join(["programme:", *entry]) + newline if entry else ""
    migrated = text[: block.start()] + replacement + text[block.end():]
    migrated = _BELEGT_LINE.sub(lambda m: _PATH.sub(_rename, m.group(0)), migrated)
    return Migrated(migrated, migrated != original)


def _rename(match: re.Match[str]) -> str:
    return f"programme.{LVR}.{FIELDS[match.group(1)]}"
