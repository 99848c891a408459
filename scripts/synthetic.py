"""Erzeugt synthetische Inhalte für Lasttests: N Kommunen mit je M Maßnahmen (nie nach content/).

Usage: python scripts/synthetic.py ZIEL --kommunen 600 --massnahmen 25 [--seed 1]

Deterministic for a seed. Every record is an invented example (beispiel: true,
AGS 99…), with German names and texts and field distributions loosely following
the ISS survey of 2016. Vocabularies, practice-guide chapters and their figures are copied from
the real content, so the result is a complete content root for HANDBUCH_CONTENT.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch.loader import REPOSITORY, SCHEMA_COMMENT, load_vocabularies
from handbuch.escaping import yaml_scalar
from handbuch.slugs import slugify

PREFIXES = ["Alt", "Neu", "Ober", "Nieder", "Groß", "Klein", "Bad", "Sankt", "Hohen", "Wester", "Oster", "Mittel"]
STEMS = ["berg", "feld", "bach", "hausen", "dorf", "heim", "stein", "brück", "au", "kirchen", "rath", "bruch",
         "hof", "tal", "wald", "hagen", "scheid", "büttel", "weiler", "born"]
ROOTS = ["Linden", "Eichen", "Buchen", "Erlen", "Rosen", "Sonnen", "Mühl", "Wasser", "Stein", "Kirch", "Hassel",
         "Ahorn", "Birken", "Weiden", "Tannen", "Falken", "Wolfs", "Hirsch", "Kranich", "Reiher"]
RIVERS = ["am Rhein", "an der Ruhr", "an der Erft", "an der Sieg", "an der Wupper", "an der Lippe", "im Tal", ""]
MEASURES = {
    "fruehe-hilfen": ["Willkommensbesuche für Neugeborene", "Familienhebammen im Stadtteil", "Babylotsen in der Geburtsklinik"],
    "fruehe-bildung": ["Sprachförderung in der Kita", "Kita-Einstieg für Familien mit Fluchtgeschichte", "Bewegungskita"],
    "familienbildung": ["Elterncafé", "Familienzentrum am Markt", "Elternkurs „Starke Eltern“"],
    "hilfen-zur-erziehung": ["Aufsuchende Familienberatung", "Erziehungsberatung im Familienzentrum"],
    "schulbezogene-soziale-arbeit": ["Schulsozialarbeit an Grundschulen", "Übergangsbegleitung Kita–Grundschule"],
    "jugendarbeit": ["Offener Jugendtreff", "Ferienfreizeit für alle"],
    "jugendsozialarbeit": ["Jugendberufshilfe", "Streetwork in der Innenstadt"],
    "allgemeiner-sozialer-dienst": ["Sozialraumteam des ASD", "Frühwarnsystem im ASD"],
    "gesundheit": ["Gesundheitslotsen in der Kinderarztpraxis", "Zahngesundheit in der Kita"],
    "schule": ["Lernförderung am Nachmittag", "Schulstarterpaket"],
    "arbeitsmarktfoerderung": ["Teilzeitausbildung für Alleinerziehende", "Elternbegleitung im Jobcenter"],
    "integration": ["Sprachmittlung für Familien", "Mehrsprachige Elternabende"],
}
SENTENCES = [
    "Das Angebot richtet sich an Familien im Stadtteil und ist kostenfrei.",
    "Fachkräfte aus Jugendhilfe, Gesundheit und Schule arbeiten dabei eng zusammen.",
    "Die Teilnahme ist freiwillig; Termine werden flexibel vereinbart.",
    "Ein Netzwerk aus freien Trägern und Verwaltung begleitet die Umsetzung.",
    "Die Erfahrungen fließen regelmäßig in die Steuerungsgruppe zurück.",
    "Besonders Familien in schwierigen Lebenslagen sollen erreicht werden.",
]


def _weighted(rng: random.Random, options: dict[str, int]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]


def _maybe(rng: random.Random, share: float, value: object) -> object:
    return value if rng.random() < share else None


def _record(rng: random.Random, index: int, name: str, kreis: str, v, measures: int) -> str:
    art = "kreisangehoerige-stadt" if rng.random() < 0.8 else "kreisangehoerige-gemeinde"
    lines = [SCHEMA_COMMENT, f"# Synthetischer Datensatz {index} für Lasttests.", f"name: {yaml_scalar(name)}",
             f"art: {art}", f"kreis: {yaml_scalar(kreis)}", f'ags: "99{index:06d}"', "beispiel: true",
             f"stand: 20{rng.randint(16, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
             "quellen:", "  - titel: Synthetische Testdaten"]
    staffel = rng.choice([1, 2, 3])
    lines += ["programme:", "  - programm: lvr-teilhabe", "    teilnahme: true", f"    phase: staffel-{staffel}",
              f"    seit: {2010 + staffel}", f"    monitoring_projekt: {'true' if rng.random() < 0.1 else 'false'}"]
    if rng.random() < 0.5:
        lines += ["  - programm: kinderstark", "    teilnahme: true", f"    seit: {rng.randint(2020, 2025)}"]
    lines += ["koordination:", f"  verortung: {_weighted(rng, {'leitungsebene': 8, 'stabsstelle': 10, 'planungsebene': 9, 'fachabteilung': 7, 'sonstige': 3})}",
              f"  stellenbeschreibung: {'true' if rng.random() < 0.15 else 'false'}",
              f"  umfang_vzae: {rng.choice([0.5, 0.75, 1.0, 1.5, 2.0])}"]
    has_group = rng.random() < 29 / 37
    lines += ["steuerungsgruppe:", f"  vorhanden: {'true' if has_group else 'false'}"]
    if has_group:
        lines += [f"  zusammensetzung: [{', '.join(rng.sample(list(v.values('steuerungsgruppe_zusammensetzung')), 3))}]",
                  f"  aufgaben: [{', '.join(rng.sample(list(v.values('steuerungsgruppe_aufgaben')), 2))}]",
                  f"  bewertung: {_weighted(rng, {'sehr-erfolgreich': 8, 'eher-erfolgreich': 14, 'eher-nicht-erfolgreich': 5, 'nicht-erfolgreich': 2})}"]
    lines += ["netzwerk:", f"  stufe: {_weighted(rng, {'informationsnetzwerk': 7, 'kooperationsnetzwerk': 12, 'produktionsnetzwerk': 12})}",
              f"  merkmale: [{', '.join(rng.sample(list(v.values('netzwerkmerkmale')), 2))}]"]
    lines += ["praeventionskette:", f"  ausbaustand: {_weighted(rng, {'sehr-ausgepraegt': 6, 'eher-ausgepraegt': 20, 'eher-wenig-ausgepraegt': 9, 'wenig-ausgepraegt': 2})}",
              "  schnittstellen:", f"    gesundheit: {rng.choice(['offen', 'im-aufbau', 'etabliert'])}",
              f"    schule: {rng.choice(['offen', 'im-aufbau', 'etabliert'])}"]
    lines += [f"lvr_angebote: {_weighted(rng, {'sehr-hilfreich': 20, 'eher-hilfreich': 14, 'eher-nicht-hilfreich': 2, 'nicht-hilfreich': 1})}",
              "kontakt:", "  stelle: Koordination Präventionskette", f"  email: koordination{index}@example.org",
              "beschreibung: |", f"  {name} ist ein synthetischer Datensatz. {rng.choice(SENTENCES)}", "massnahmen:"]
    fields = list(MEASURES)
    phases = list(v.values("lebensphasen"))
    groups = list(v.values("zielgruppen"))
    used: set[str] = set()
    for number in range(measures):
        field = rng.choice(fields)
        title = f"{rng.choice(MEASURES[field])} {number + 1}"
        used.add(title)
        start = rng.randrange(len(phases) - 1)
        lines += [f"  - titel: {yaml_scalar(title)}", f"    handlungsfeld: {field}",
                  f"    lebensphasen: [{', '.join(phases[start:start + rng.randint(1, 2)])}]",
                  f"    zielgruppen: [{', '.join(rng.sample(groups, 2))}]", "    traeger: Jugendamt",
                  f"    seit: {rng.randint(2008, 2025)}", f"    status: {_weighted(rng, {'laufend': 8, 'geplant': 2, 'beendet': 1})}",
                  f"    beschreibung: {yaml_scalar(' '.join(rng.sample(SENTENCES, 2)))}"]
    return "\n".join(lines) + "\n"


def write_content(target: Path, municipalities: int, measures: int, seed: int = 1) -> Path:
    """A complete synthetic content root in ``target`` (which must not be the real content/)."""
    target = target.resolve()
    if target == (REPOSITORY / "content").resolve() or (REPOSITORY / "content").resolve() in target.parents:
        raise SystemExit("Synthetische Inhalte nie nach content/ schreiben.")
    shutil.rmtree(target, ignore_errors=True)
    (target / "municipalities").mkdir(parents=True)
    shutil.copy(REPOSITORY / "content" / "vocabularies.yml", target / "vocabularies.yml")
    shutil.copy(REPOSITORY / "content" / "programme.yml", target / "programme.yml")  # records name programmes
    shutil.copytree(REPOSITORY / "content" / "practice-guide", target / "practice-guide")
    shutil.copy(REPOSITORY / "content" / "abbildungen.yml", target / "abbildungen.yml")  # the chapters draw them
    vocabularies = load_vocabularies(target, [])
    assert vocabularies is not None
    rng = random.Random(seed)
    kreise = [f"Kreis {rng.choice(ROOTS)}{rng.choice(STEMS)}" for _ in range(max(1, municipalities // 12))]
    names: set[str] = set()
    for index in range(1, municipalities + 1):
        while True:
            name = f"{rng.choice(PREFIXES)} {rng.choice(ROOTS)}{rng.choice(STEMS)} {rng.choice(RIVERS)}".strip()
            if name not in names:
                break
        names.add(name)
        text = _record(rng, index, name, rng.choice(kreise), vocabularies, measures)
        (target / "municipalities" / f"{slugify(name)}.yml").write_text(text, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Synthetische Inhalte für Lasttests erzeugen.")
    parser.add_argument("ziel", type=Path)
    parser.add_argument("--kommunen", type=int, default=600)
    parser.add_argument("--massnahmen", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    root = write_content(args.ziel, args.kommunen, args.massnahmen, args.seed)
    print(f"{args.kommunen} Kommunen mit je {args.massnahmen} Maßnahmen in {root} (HANDBUCH_CONTENT={root}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
