"""Legt einen neuen Kommunen-Datensatz an (make new NAME="Stadt Beispiel" [KREIS="…"]).

The skeleton is valid at once: it is marked as an example (AGS 99…) until the
editor enters the real AGS and a source, so nothing unchecked is ever shown as
fact. All optional fields are listed as comments with their allowed values,
generated from the model and the vocabularies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import _bootstrap

from handbuch.loader import content_root, load_handbook
from handbuch.problems import ContentError
from handbuch.model import Kommune, base_type, field_info, nested_model
from handbuch.render import environment
from handbuch.slugs import slugify

_EXAMPLES = {bool: "true", float: "1.0", int: "2014", dt.date: "2017-06-30"}
_NAMED_EXAMPLES = {"email": "name@example.org", "telefon": '"+49 221 000000"', "web": "https://…"}
# Programme entries: examples that read as one consistent entry of the LVR programme.
_PROGRAMME_EXAMPLES = {"programme.seit": "2011", "programme.bis": "2014", "programme.verbund": "Kommunen im Kreis Beispiel"}
_SKIP = {"name", "art", "kreis", "ags", "beispiel", "stand", "quellen", "massnahmen"}


def _sections(handbook) -> list[dict]:
    v = handbook.vocabularies
    sections = []
    for name, info in Kommune.model_fields.items():
        if name in _SKIP:
            continue
        inner = nested_model(info.annotation)
        fields = []
        for sub in (inner.model_fields if inner else {}):
            annotation, vocabularies = field_info(f"{name}.{sub}") or (None, [])
            allowed = " | ".join(v.values(vocabularies[0])) if vocabularies else ""
            kind = base_type(annotation)
            example = _NAMED_EXAMPLES.get(sub) or _EXAMPLES.get(kind, "…")
            if vocabularies:
                example = next(iter(v.values(vocabularies[0])))
                if kind is list:
                    example = f"[{example}]"
                elif kind is dict:
                    example = f"{{{example}: {next(iter(v.values(vocabularies[1])))}}}"
            if f"{name}.{sub}" == "programme.phase":  # the phases of every programme (content/programme.yml)
                phases = [slug for programme in v.programme.values() for slug in programme.phasen]
                example, allowed = (phases[0] if phases else "…"), " | ".join(phases)
            fields.append({"name": sub, "example": _PROGRAMME_EXAMPLES.get(f"{name}.{sub}", example),
                           "allowed": allowed})
        if not inner:  # a plain top-level field such as lvr_angebote or beschreibung
            vocabularies = (field_info(name) or (None, []))[1]
            allowed = " | ".join(v.values(vocabularies[0])) if vocabularies else ""
            sections.append({"name": name, "label": v.field_label(name), "plain": True,
                             "example": next(iter(v.values(vocabularies[0]))) if vocabularies else "…",
                             "allowed": allowed, "fields": []})
            continue
        sections.append({"name": name, "label": v.field_label(name), "plain": False, "fields": fields,
                         "list": base_type(info.annotation) is list})
    return sections


def _free_example_ags(handbook, kreis: bool) -> str:
    used = {m.record.ags for m in handbook.municipalities}
    for number in range(1, 1000):
        ags = f"99{number:03d}" if kreis else f"9900{number:04d}"
        if ags not in used:
            return ags
    raise SystemExit("Keine freie Beispiel-AGS mehr.")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Neuen Kommunen-Datensatz anlegen.")
    parser.add_argument("name", help="Name der Kommune, z. B. \"Stadt Beispiel\"")
    parser.add_argument("--kreis", default="", help="Kreis (nur für kreisangehörige Städte und Gemeinden)")
    parser.add_argument("--art", default="", help="Art (Standard: kreisangehoerige-stadt mit Kreis, sonst kreisfreie-stadt)")
    args = parser.parse_args(argv)
    name = " ".join(args.name.split())
    if not name:
        print("Bitte einen Namen angeben: make new NAME=\"Stadt Beispiel\"", file=sys.stderr)
        return 2
    handbook = _bootstrap.load_or_exit()
    art = args.art or ("kreisangehoerige-stadt" if args.kreis else "kreisfreie-stadt")
    if art not in handbook.vocabularies.values("arten"):
        print(f"Unbekannte Art „{art}“; erlaubt: {', '.join(handbook.vocabularies.values('arten'))}.", file=sys.stderr)
        return 2
    path = content_root() / "municipalities" / f"{slugify(name)}.yml"
    if path.exists():
        print(f"{path} gibt es schon; bitte diese Datei bearbeiten.", file=sys.stderr)
        return 1
    today = dt.date.today()
    text = environment().get_template("new_record.yml.j2").render(
        name=name, art=art, kreis=args.kreis.strip() or None, ags=_free_example_ags(handbook, art == "kreis"),
        v=handbook.vocabularies, sections=_sections(handbook), today=today.isoformat(), year=today.year)
    path.write_text(text, encoding="utf-8")
    try:
        load_handbook()
    except ContentError as error:  # never leave an invalid skeleton behind
        path.unlink()
        print(error.report(), file=sys.stderr)
        return 1
    print(f"Angelegt: {path}\nBitte die Hinweise am Anfang der Datei befolgen und danach „make validate“ ausführen.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
