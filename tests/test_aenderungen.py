"""make aenderungen: a content change in readers' words, from a real git history in a temp dir."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CONTENT, REPO, SCHEMA_LINE
from handbuch.changes import ChangesError, compare

SITE = "https://handbuch.example.org/"

ALPHA = """\
    name: Alpha
    art: kreisfreie-stadt
    ags: "05000001"
    jugendamt: Jugendamt der Stadt Alpha
    quellen:
      - titel: Website der Stadt Alpha
        herausgeber: Stadt Alpha
        url: https://alpha.example.org/netzwerk
        abgerufen: 2026-11-02
        belegt: [art, ags, jugendamt, netzwerk.stufe, programme.lvr-teilhabe.teilnahme, programme.lvr-teilhabe.phase,
                 programme.lvr-teilhabe.seit, massnahmen.elterncafe, massnahmen.babybesuche]
    programme:
      - programm: lvr-teilhabe
        teilnahme: true
        phase: staffel-1
        seit: 2011
    netzwerk:
      stufe: informationsnetzwerk
    massnahmen:
      - titel: Elterncafé
        handlungsfeld: familienbildung
        lebensphasen: [kita]
      - titel: Babybesuche
        handlungsfeld: fruehe-hilfen
        lebensphasen: [rund-um-die-geburt]
        status: laufend
"""

MUSTER = """\
    name: Musterstadt
    art: kreisfreie-stadt
    ags: "99000001"
    beispiel: true
    netzwerk:
      stufe: produktionsnetzwerk
"""

# Quoted from a record into the comment: must arrive as text (no HTML, link, emphasis or mention).
BETA = """\
    name: Beta
    art: kreisangehoerige-stadt
    kreis: Kreis Test
    ags: "05000002"
    jugendamt: Jugendamt <b>Beta</b> *fett* [Link](https://evil.example) @team
    quellen:
      - titel: Beta tritt kinderstark bei
        herausgeber: Kreis Test
        datum: 2021
        url: https://beta.example.org/kinderstark
        belegt: [art, kreis, ags, jugendamt, programme.kinderstark.teilnahme, programme.kinderstark.seit,
                 massnahmen.lotsendienst]
    programme:
      - programm: kinderstark
        teilnahme: true
        seit: 2021
    massnahmen:
      - titel: Lotsendienst
        handlungsfeld: gesundheit
        lebensphasen: [rund-um-die-geburt, krippe]
"""


def _git(repo: Path, *args: str) -> str:
    date = "2026-12-01T12:00:00+01:00"  # fixed dates and names: the same commits on every run
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": "Redaktion",
           "GIT_AUTHOR_EMAIL": "redaktion@example.org", "GIT_COMMITTER_NAME": "Redaktion",
           "GIT_COMMITTER_EMAIL": "redaktion@example.org", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


class Repo:
    """A repository with the real vocabularies and programmes, and records written by the test."""

    def __init__(self, path: Path):
        self.path = path
        self.content = path / "content"
        (self.content / "municipalities").mkdir(parents=True)
        (self.content / "practice-guide").mkdir()
        for name in ("vocabularies.yml", "programme.yml"):
            shutil.copy(CONTENT / name, self.content / name)
        _git(path, "init", "-q", "-b", "main")

    def write(self, slug: str, text: str) -> None:
        (self.content / "municipalities" / f"{slug}.yml").write_text(SCHEMA_LINE + textwrap.dedent(text),
                                                                     encoding="utf-8")

    def edit(self, slug: str, old: str, new: str) -> None:
        path = self.content / "municipalities" / f"{slug}.yml"
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str) -> str:
        _git(self.path, "add", "-A")
        _git(self.path, "commit", "-qm", message)
        return _git(self.path, "rev-parse", "--short=7", "HEAD")


@pytest.fixture
def repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.write("alpha", ALPHA)
    repo.write("musterstadt", MUSTER)
    repo.commit("Alpha and an example")
    return repo


def change_everything(repo: Repo) -> None:
    """A branch that adds a record, changes a field, adds a source, removes a measure and moves figures."""
    _git(repo.path, "checkout", "-qb", "neue-kommune")
    repo.write("beta", BETA)
    repo.commit("Add Beta")
    repo.edit("alpha", "stufe: informationsnetzwerk", "stufe: produktionsnetzwerk")
    repo.commit("Alpha: network stage")
    repo.edit("alpha", "netzwerk.stufe, programme", "programme")  # the website no longer supports it ...
    repo.edit("alpha", "\nprogramme:\n", "\n  - titel: Ratsvorlage 12/2026\n    herausgeber: Stadt Alpha\n"
              "    abgerufen: 2026-12-01\n    belegt: [netzwerk.stufe]\nprogramme:\n")  # ... a paper without address does
    repo.commit("Alpha: council paper")
    repo.edit("alpha", ", massnahmen.babybesuche]", "]")
    repo.edit("alpha", "  - titel: Babybesuche\n    handlungsfeld: fruehe-hilfen\n    lebensphasen: [rund-um-die-geburt]\n"
              "    status: laufend\n", "")
    repo.edit("alpha", "    lebensphasen: [kita]\n", "    lebensphasen: [kita]\n    status: geplant\n")
    repo.commit("Alpha: Babybesuche ended")


EXPECTED = r"""## Änderungen für Leserinnen und Leser

Verglichen wird **neue-kommune** (Commit `<stand>`) mit der Basis **main** (Commit `<basis>`).

### Bitte prüfen

- **Alpha:** Die Angabe „Ausbaustufe des Netzwerks“ hat eine Quelle verloren: „Website der Stadt Alpha“ belegt sie nicht mehr.
- **Alpha:** Die Angabe „Ausbaustufe des Netzwerks“ ist neu oder geändert und stützt sich nur auf Quellen ohne Adresse („Ratsvorlage 12/2026“); Leserinnen können sie nicht nachprüfen.
- **Beta:** Die neue Quelle „Beta tritt kinderstark bei“ nennt nicht, wann sie abgerufen wurde (Feld „abgerufen“).

### Kommunen

#### Geändert: Alpha

Angaben:

- Ausbaustufe des Netzwerks: Informationsnetzwerk → Produktionsnetzwerk

Quellen:

- geändert: „Website der Stadt Alpha“, Stadt Alpha, abgerufen am 02.11.2026, [https://alpha.example.org/netzwerk](https://alpha.example.org/netzwerk); belegt nicht mehr: Ausbaustufe des Netzwerks, Maßnahme „Babybesuche“
- neu: „Ratsvorlage 12/2026“, Stadt Alpha, abgerufen am 01.12.2026; belegt: Ausbaustufe des Netzwerks

Maßnahmen:

- geändert: „Elterncafé“ (Status: keine Angabe → geplant)
- entfernt: „Babybesuche“

#### Neu: Beta

Angaben:

- Name: Beta
- Beispiel-Datensatz: nein
- Art der Gebietskörperschaft: Kreisangehörige Stadt
- Kreis: Kreis Test
- Amtlicher Gemeindeschlüssel \(AGS\): 05000002
- Jugendamt: Jugendamt &lt;b&gt;Beta&lt;/b&gt; \*fett\* \[Link\]\(https://evil.example\) @​team
- „kinderstark – NRW schafft Chancen“: Teilnahme: ja
- „kinderstark – NRW schafft Chancen“: Im Programm seit: 2021

Quellen:

- neu: „Beta tritt kinderstark bei“, Kreis Test, 2021, [https://beta.example.org/kinderstark](https://beta.example.org/kinderstark); belegt: Art der Gebietskörperschaft, Kreis, Amtlicher Gemeindeschlüssel \(AGS\), Jugendamt, „kinderstark – NRW schafft Chancen“: Teilnahme, „kinderstark – NRW schafft Chancen“: Im Programm seit, Maßnahme „Lotsendienst“

Maßnahmen:

- neu: „Lotsendienst“ (Handlungsfeld: Gesundheit; Lebensphasen: Rund um die Geburt, Krippe \(unter 3 Jahren\))

### Kennzahlen und Programme

Dieselben Zahlen wie auf den Seiten „Kennzahlen“, „Programme“ und „Maßnahmen“ (gezählt werden nur echte Kommunen); genannt sind die Zeilen, die sich ändern.

**Datensätze**

- echte Kommunen \(nur sie zählen in den Zahlen\): 1 → 2

**Kennzahl: Ausbaustufe des Präventionsnetzwerks**

- Informationsnetzwerk: 1 von 1 (100 %) → 0 von 1 (0 %)
- Produktionsnetzwerk: 0 von 1 (0 %) → 1 von 1 (100 %)

**Programm: „kinderstark – NRW schafft Chancen“**

- erfasste Jugendämter: 0 → 1
- als Teilnehmer gezählt \(ein Verbund einmal\): 0 → 1
- Einstieg 2021: – → 1

**Maßnahmen nach Handlungsfeld und Lebensphase**

- echte Kommunen mit Maßnahmen: 1 → 2
- Handlungsfeld: Frühe Hilfen: 1 → 0
- Handlungsfeld: Gesundheit: 0 → 1
- Lebensphasen: Krippe \(unter 3 Jahren\): 0 → 1

### Seiten, die sich ändern

Die Links führen auf die veröffentlichte Website; bis zur Übernahme zeigt sie den bisherigen Stand.

- [Alpha](https://handbuch.example.org/kommunen/alpha/)
- [Beta](https://handbuch.example.org/kommunen/beta/) (neu)
- [Handbuch Präventionsketten](https://handbuch.example.org/)
- [Kommunen](https://handbuch.example.org/kommunen/)
- [Maßnahmen](https://handbuch.example.org/massnahmen/)
- [Kennzahlen](https://handbuch.example.org/kennzahlen/)
- [Programme](https://handbuch.example.org/programme/)
- [Musterstadt (Beispiel)](https://handbuch.example.org/kommunen/musterstadt/)
- [„kinderstark – NRW schafft Chancen“](https://handbuch.example.org/programme/kinderstark/)
- [Themen](https://handbuch.example.org/themen/)
- [Handlungsfeld: Frühe Hilfen](https://handbuch.example.org/themen/handlungsfeld/fruehe-hilfen/)
- [Handlungsfeld: Familienbildung](https://handbuch.example.org/themen/handlungsfeld/familienbildung/)
- [Handlungsfeld: Gesundheit](https://handbuch.example.org/themen/handlungsfeld/gesundheit/)
- [Lebensphasen: Rund um die Geburt](https://handbuch.example.org/themen/lebensphase/rund-um-die-geburt/)
- [Lebensphasen: Krippe \(unter 3 Jahren\)](https://handbuch.example.org/themen/lebensphase/krippe/)
- [Lebensphasen: Kita \(3 bis 6 Jahre\)](https://handbuch.example.org/themen/lebensphase/kita/)
- [Ausbaustufe des Netzwerks: Informationsnetzwerk](https://handbuch.example.org/themen/netzwerkstufe/informationsnetzwerk/)
- [Ausbaustufe des Netzwerks: Produktionsnetzwerk](https://handbuch.example.org/themen/netzwerkstufe/produktionsnetzwerk/)
- [Kreis: Kreis Test](https://handbuch.example.org/themen/kreis/kreis-test/) (neu)
"""


def commits(repo: Repo, base: str = "main") -> dict[str, str]:
    return {"<basis>": _git(repo.path, "rev-parse", "--short=7", base),
            "<stand>": _git(repo.path, "rev-parse", "--short=7", "HEAD")}


def filled(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def test_a_branch_in_readers_words(repo):
    change_everything(repo)
    assert compare(repo.path, site=SITE) == filled(EXPECTED, commits(repo))


def test_quoted_record_values_cannot_become_markup(repo):
    change_everything(repo)
    text = compare(repo.path, site=SITE)
    assert "<b>" not in text and "](https://evil" not in text and "*fett*" not in text
    assert "@team" not in text  # would notify a team on the code host
    assert "Jugendamt &lt;b&gt;Beta&lt;/b&gt; \\*fett\\* \\[Link\\]\\(https://evil.example\\) @\u200bteam" in text


def test_the_script_writes_the_summary_from_the_current_branch(repo, tmp_path):
    change_everything(repo)
    target = tmp_path / "out" / "zusammenfassung.md"
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "aenderungen.py"), "--ausgabe", str(target),
                             "--website", SITE, "--lauf", "https://ci.example.org/runs/7"],
                            cwd=repo.content / "municipalities", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = filled(EXPECTED, commits(repo)).splitlines(keepends=True)
    lines[3:3] = ["Die gebaute Website dieses Stands liegt als Artefakt „website“ beim "
                  "[Lauf der Prüfung](https://ci.example.org/runs/7).\n"]
    assert target.read_text(encoding="utf-8") == "".join(lines)


def test_no_visible_change(repo):
    _git(repo.path, "checkout", "-qb", "nur-kommentar")
    repo.edit("alpha", "name: Alpha\n", "# Ein Kommentar ändert nichts, was Leser sehen.\nname: Alpha\n")
    repo.commit("comment")
    assert compare(repo.path, site=SITE).endswith(
        "\n\nKeine Änderung, die Leserinnen und Leser sehen: Datensätze, Kennzahlen und Seiten sind gleich.\n")


def test_uncommitted_changes_count_and_are_named(repo):
    _git(repo.path, "checkout", "-qb", "arbeit")
    repo.edit("alpha", "jugendamt: Jugendamt der Stadt Alpha", "jugendamt: Jugendamt Alpha")
    text = compare(repo.path, site=SITE)
    assert "**arbeit \\(mit nicht eingecheckten Änderungen\\)**" in text
    assert "- Jugendamt: Jugendamt der Stadt Alpha → Jugendamt Alpha\n" in text


INVALID = r"""## Änderungen für Leserinnen und Leser

Verglichen wird **kaputt** (Commit `<stand>`) mit der Basis **main** (Commit `<basis>`).

### Inhalte fehlerhaft

Der geänderte Stand **kaputt** (Commit `<stand>`) lässt sich nicht laden. Die Prüfung meldet:

````text
content/municipalities/alpha.yml:19:10: Feld „netzwerk.stufe“: unbekannter Wert „```x“; erlaubt: informationsnetzwerk, kooperationsnetzwerk, produktionsnetzwerk.
content/municipalities/musterstadt.yml:3:6: Feld „art“: unbekannter Wert „stadt“; erlaubt: kreisfreie-stadt, kreis, kreisangehoerige-stadt, kreisangehoerige-gemeinde.
````

Solange eine Seite nicht gültig ist, zeigt dieser Vergleich nichts weiter; nach der Korrektur erscheint er hier.
"""


def test_an_invalid_branch_shows_the_validators_messages(repo):
    _git(repo.path, "checkout", "-qb", "kaputt")
    repo.edit("alpha", "stufe: informationsnetzwerk", 'stufe: "```x"')  # would close a ``` block
    repo.edit("musterstadt", "art: kreisfreie-stadt", "art: stadt")
    repo.commit("broken")
    assert compare(repo.path, site=SITE) == filled(INVALID, commits(repo))


def test_an_invalid_base_is_named_with_the_repositorys_paths(repo):
    repo.edit("alpha", "ags: \"05000001\"", "ags: 5000001")
    broken = repo.commit("broken on main")
    _git(repo.path, "checkout", "-qb", "reparatur")
    repo.edit("alpha", "ags: 5000001", "ags: \"05000001\"")
    repo.commit("fixed")
    text = compare(repo.path, site=SITE)
    assert f"Die Basis **main** (Commit `{broken}`) lässt sich nicht laden. Die Prüfung meldet:\n\n```text\n" \
           "content/municipalities/alpha.yml:4:6: Feld „ags“: " in text
    assert "/tmp" not in text and "handbuch-basis-" not in text


def test_warnings_for_example_turned_real_and_a_derived_cohort(repo):
    _git(repo.path, "checkout", "-qb", "echt")
    repo.write("musterstadt", """\
        name: Musterstadt
        art: kreisfreie-stadt
        ags: "05000003"
        beschreibung: Die Förderstaffel ergibt sich aus dem belegten Einstiegsjahr 2011.
        quellen:
          - titel: Ratsbeschluss
            url: https://muster.example.org/rat
            abgerufen: 2026-12-01
            belegt: [art, ags, beschreibung, programme.lvr-teilhabe.teilnahme, programme.lvr-teilhabe.phase]
        programme:
          - programm: lvr-teilhabe
            teilnahme: true
            phase: staffel-1
    """)
    repo.commit("Musterstadt is real")
    text = compare(repo.path, site=SITE)
    warnings = text.split("### Bitte prüfen\n\n", 1)[1].split("\n\n", 1)[0]
    assert warnings == (
        "- **Musterstadt:** War ein Beispiel-Datensatz und ist jetzt eine echte Kommune: zählt in allen Kennzahlen "
        "mit, jede Angabe braucht eine Quelle.\n"
        "- **Musterstadt:** Die Förderstaffel ist abgeleitet („Die Förderstaffel ergibt sich …“ in der Beschreibung). "
        "Bitte prüfen, ob die belegten Angaben nur diese Staffel zulassen (Regel „Förderstaffel nur mit Beleg“ in "
        "CONTRIBUTING.md).")
    assert "- Beispiel-Datensatz: ja → nein\n" in text
    assert "- LVR-Programm „Teilhabe ermöglichen“: Förderstaffel: keine Angabe → 1\\. Förderstaffel \\(2011\\)\n" in text
    assert "- Beispiel-Datensätze: 1 → 0\n" in text


def test_an_unknown_base_says_how_to_fetch_it(repo):
    with pytest.raises(ChangesError, match="git fetch --no-tags --depth=1 origin 0123abc"):
        compare(repo.path, "0123abc", site=SITE)
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "aenderungen.py"), "--basis", "nirgends"],
                            cwd=repo.path, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("make aenderungen: Die Basis „nirgends“ gibt es in dieser Arbeitskopie nicht.")


def test_a_shallow_checkout_works_once_the_base_is_fetched(repo, tmp_path):
    change_everything(repo)
    base = _git(repo.path, "rev-parse", "main")
    clone = tmp_path / "flach"
    _git(tmp_path, "clone", "-q", "--depth=1", "--branch", "neue-kommune", f"file://{repo.path}", str(clone))
    with pytest.raises(ChangesError, match="flachen Kopie"):
        compare(clone, base, site=SITE)
    _git(clone, "fetch", "-q", "--no-tags", "--depth=1", "origin", base)
    values = {**commits(repo), "**main**": f"**{base}**"}
    assert compare(clone, base, site=SITE, head_name="neue-kommune") == filled(EXPECTED, values)


FORM_EDIT = {
    "set": {"netzwerk.stufe": "kooperationsnetzwerk", "koordination.verortung": "stabsstelle"},
    "push": {
        "quellen": {"titel": "Jahresbericht Präventionsnetzwerk 2025", "herausgeber": "Stadt Alpha", "datum": 2025,
                    "url": "https://alpha.example.org/jahresbericht-2025",
                    "belegt": ["netzwerk.stufe", "koordination.verortung", "massnahmen.familienbuero"]},
        "massnahmen": {"titel": "Familienbüro", "handlungsfeld": "familienbildung",
                       "lebensphasen": ["rund-um-die-geburt", "krippe"], "status": "laufend"},
    },
}
DOC = REPO / "docs" / "entwicklung" / "redaktion.md"
DOC_COMMITS = {"<basis>": "7b0d4f1", "<stand>": "e3a91c2"}  # the example's hashes as the page shows them


def form_editor_summary(repo: Repo) -> str:
    """What a reviewer sees for one save in the form editor (editorial workflow: branch cms/kommunen/alpha)."""
    _git(repo.path, "checkout", "-qb", "cms/kommunen/alpha")
    record = repo.content / "municipalities" / "alpha.yml"
    result = subprocess.run(["node", "--no-warnings", str(REPO / "tests" / "cms_edit.mjs"), str(record),
                             json.dumps(FORM_EDIT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    repo.commit("Update Kommunen “alpha”")  # Decap's commit message
    text = compare(repo.path, site=SITE)
    for placeholder, value in commits(repo).items():
        text = text.replace(value, DOC_COMMITS[placeholder])
    return text


def test_the_form_editor_example_in_the_docs_is_what_the_tool_says(repo):
    text = form_editor_summary(repo)
    shown = DOC.read_text(encoding="utf-8").split("<!-- beispiel-aenderungen -->\n", 1)[1]
    shown = shown.split("<!-- /beispiel-aenderungen -->", 1)[0]
    assert shown == f"````markdown\n{text}````\n", text


def test_a_measure_spelt_anew_is_changed_not_removed_and_added(repo):
    _git(repo.path, "checkout", "-qb", "schreibweise")
    repo.edit("alpha", "  - titel: Babybesuche\n", "  - titel: BabyBesuche\n")
    repo.commit("spelling")
    text = compare(repo.path, site=SITE)
    assert "Maßnahmen:\n\n- geändert: „BabyBesuche“ (Titel: Babybesuche → BabyBesuche)\n" in text
    assert "entfernt" not in text and "- neu:" not in text
