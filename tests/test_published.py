"""Published figures (content/ergebnisse.yml): loading, its German errors, the summaries of rating
scales against hand-computed numbers, and what /kennzahlen/ and the chapters show."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from conftest import CONTENT, load_problems, write_real
from handbuch import aggregates
from handbuch.loader import load_handbook
from handbuch.render import generate

HEAD = """\
quellen:
  iss-2016:
    titel: Bericht
    herausgeber: LVR-Landesjugendamt Rheinland
    datum: "2017"
    kurz: ISS 2016
    basis_bezeichnung: befragten Kommunen
ergebnisse:
"""


def write_results(root: Path, body: str) -> Path:
    path = root / "ergebnisse.yml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def only_problem(root: Path):
    [problem] = load_problems(root)
    return problem


def test_the_shipped_figures_load_with_their_labels():
    published = load_handbook().published
    [vorhanden] = published.for_question("steuerungsgruppe.vorhanden")
    assert (vorhanden.finding.anzahl, vorhanden.finding.basis) == (29, 37)
    assert vorhanden.figure_text == "29 von 37 befragten Kommunen"
    [rating] = published.for_question("steuerungsgruppe.bewertung")
    assert (rating.label, rating.figure_text) == ("(eher) erfolgreich", "22 von 29 befragten Kommunen")
    assert [r.finding.anzahl for r in published.for_question("netzwerk.stufe")] == [7, 12, 12]
    [offers] = published.for_question("lvr_angebote")
    assert offers.figure_text == "über 90 % der befragten Kommunen"
    [cohort] = published.for_question("programme.lvr-teilhabe.phase")
    assert (cohort.label, cohort.finding.anzahl) == ("4. Förderstaffel (2014)", 12)


def test_base_smaller_than_count_is_an_error_with_file_and_line(content):
    write_results(content, """\
  steuerungsgruppe.vorhanden:
    - antwort: ja
      anzahl: 29
      basis: 27
      wortlaut: 29 Kommunen haben eine eigene Steuerungsgruppe eingerichtet.
      fundstelle: Abschnitt 1
      quelle: iss-2016
""")
    problem = only_problem(content)
    assert problem.file.endswith("ergebnisse.yml") and problem.line == 10
    assert problem.field == "ergebnisse.steuerungsgruppe.vorhanden[1]"
    assert problem.message == ("die Basis (27) ist kleiner als die Anzahl (29); „29 von 27“ ist nicht möglich. "
                               "Bitte beide Zahlen in der Quelle prüfen.")


def test_percentage_not_matching_count_and_base_is_an_error(content):
    write_results(content, """\
  steuerungsgruppe.bewertung:
    - zusammenfassung: erfolgreich
      anzahl: 22
      basis: 29
      prozent: 80
      wortlaut: in 22 Fällen
      fundstelle: Abschnitt 1
      quelle: iss-2016
""")
    problem = only_problem(content)
    assert (problem.line, problem.field) == (10, "ergebnisse.steuerungsgruppe.bewertung[1]")
    assert problem.message == ("80 % passt nicht zu 22 von 29 (das sind 75,9 %). Bitte Anzahl, Basis und "
                               "Prozentwert in der Quelle prüfen.")


def test_rounded_and_lower_bound_percentages_are_accepted(content):
    write_results(content, """\
  steuerungsgruppe.bewertung:
    - zusammenfassung: erfolgreich
      anzahl: 22
      basis: 29
      prozent: 76
      wortlaut: in 22 Fällen
      fundstelle: Abschnitt 1
      quelle: iss-2016
  lvr_angebote:
    - zusammenfassung: hilfreich
      anzahl: 34
      basis: 37
      prozent: 90
      genauigkeit: mehr-als
      wortlaut: Über 90 Prozent
      fundstelle: Abschnitt 1
      quelle: iss-2016
""")
    assert load_handbook(content).published.for_question("lvr_angebote")[0].finding.anzahl == 34


def test_unknown_question_key_suggests_the_closest(content):
    write_results(content, """\
  netzwerk.stuffe:
    - antwort: produktionsnetzwerk
      anzahl: 12
      basis: 37
      wortlaut: Produktionsnetzwerken (12 Kommunen)
      fundstelle: Abschnitt 1
      quelle: iss-2016
""")
    problem = only_problem(content)
    assert (problem.line, problem.column, problem.field) == (9, 3, "ergebnisse.netzwerk.stuffe")
    assert problem.message.startswith("unbekannte Frage „netzwerk.stuffe“; erlaubt sind die Schlüssel unter "
                                      "„kennzahlen“ in vocabularies.yml: steuerungsgruppe.vorhanden, ")
    assert problem.message.endswith(" Meinten Sie „netzwerk.stufe“?")


@pytest.mark.parametrize(("line", "wrong", "field", "wording"), [
    ("    - antwort: produktionsnetzwerck\n", 10, "ergebnisse.netzwerk.stufe[1].antwort",
     "unbekannte Antwort „produktionsnetzwerck“ für die Frage „netzwerk.stufe“; erlaubt: informationsnetzwerk, "
     "kooperationsnetzwerk, produktionsnetzwerk. Meinten Sie „produktionsnetzwerk“?"),
    ("    - zusammenfassung: erfolgreich\n", 10, "ergebnisse.netzwerk.stufe[1].zusammenfassung",
     "unbekannte Zusammenfassung „erfolgreich“ für die Frage „netzwerk.stufe“; diese Frage hat keine; sie stehen "
     "in vocabularies.yml unter kennzahlen → netzwerk.stufe → zusammenfassungen."),
])
def test_unknown_answer_or_summary(content, line, wrong, field, wording):
    write_results(content, "  netzwerk.stufe:\n" + line + """\
      anzahl: 12
      basis: 37
      wortlaut: Produktionsnetzwerken (12 Kommunen)
      fundstelle: Abschnitt 1
      quelle: iss-2016
""")
    problem = only_problem(content)
    assert (problem.line, problem.field, problem.message) == (wrong, field, wording)


def test_unknown_source_is_named(content):
    write_results(content, """\
  koordination.verortung:
    - wortlaut: mehrheitlich auf einer höheren Hierarchieebene
      fundstelle: Abschnitt 1
      quelle: iss-2061
""")
    problem = only_problem(content)
    assert (problem.line, problem.field) == (12, "ergebnisse.koordination.verortung[1].quelle")
    assert problem.message == "unbekannte Quelle „iss-2061“; erlaubt (unter „quellen“): iss-2016. Meinten Sie „iss-2016“?"


def test_a_summary_naming_an_unknown_answer_is_an_error_in_vocabularies(content):
    path = content / "vocabularies.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("antworten: [sehr-erfolgreich, eher-erfolgreich]",
                                 "antworten: [sehr-erfolgreich, eher-erfolgrech]"), encoding="utf-8")
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "eher-erfolgrech" in t)
    problem = only_problem(content)
    assert problem.file.endswith("vocabularies.yml") and problem.line == line
    assert problem.field == "kennzahlen.steuerungsgruppe.bewertung.zusammenfassungen.erfolgreich.antworten[2]"
    assert problem.message.endswith("Meinten Sie „eher-erfolgreich“?")


def test_summaries_of_rating_scales_match_hand_counts(content):
    # bewertung: sehr, eher, eher, eher-nicht, nicht -> (eher) erfolgreich 3 of 5 = 60 %; K6 has no answer
    for n, answer in enumerate(["sehr-erfolgreich", "eher-erfolgreich", "eher-erfolgreich", "eher-nicht-erfolgreich",
                                "nicht-erfolgreich"], 1):
        write_real(content, n, f"steuerungsgruppe:\n  vorhanden: true\n  bewertung: {answer}\n"
                               f"lvr_angebote: {'sehr-hilfreich' if n < 3 else 'nicht-hilfreich'}\n")
    write_real(content, 6)
    handbook = load_handbook(content)
    rating = aggregates.figure(handbook, "steuerungsgruppe.bewertung")
    assert (rating.answered, rating.total) == (5, 6)
    assert [(s.label, s.count, s.percent) for s in rating.summaries] == [("(eher) erfolgreich", 3, 60)]
    offers = aggregates.figure(handbook, "lvr_angebote")  # 2 of 5 = 40 %
    assert [(s.label, s.count, s.percent) for s in offers.summaries] == [("(eher) hilfreich", 2, 40)]
    assert aggregates.figure(handbook, "netzwerk.stufe").summaries == ()  # no summary in the vocabulary
    kennzahlen = {p.src_uri: p.markdown for p in generate(handbook, None)}["kennzahlen/index.md"]
    assert "**Im Handbuch erfasst: 5 von 6 Kommunen" in kennzahlen
    assert "(eher) erfolgreich: 3 von 5." in kennzahlen.replace("\\(", "(").replace("\\)", ")")


def test_programme_overview_counts_phases_years_and_takes_the_total_from_content(content):
    write_real(content, 1, "programme: [{programm: lvr-teilhabe, teilnahme: true, phase: staffel-1, seit: 2011}]\n")
    write_real(content, 2, "programme: [{programm: lvr-teilhabe, teilnahme: true, phase: staffel-4, seit: 2014}]\n")
    write_real(content, 3, "programme: [{programm: lvr-teilhabe, teilnahme: true, phase: staffel-4, seit: 2014}]\n")
    write_real(content, 4, "programme: [{programm: lvr-teilhabe, teilnahme: true}]\n")
    write_real(content, 5, "programme: [{programm: lvr-teilhabe, teilnahme: false}]\n")  # not in the programme
    write_real(content, 6)  # no programme at all
    overview = aggregates.programme(load_handbook(content), "lvr-teilhabe")
    assert [(value, count) for value, _, count in overview.phases] == [
        ("staffel-1", 1), ("staffel-2", 0), ("staffel-3", 0), ("staffel-4", 2)]
    assert overview.years == ((2011, 1), (2014, 2)) and overview.without_year == 1
    assert (overview.recorded, overview.counted, overview.programme.total.wert) == (4, 4, 39)


# --- the built site -------------------------------------------------------------------------------

pytest_slow = pytest.mark.slow


def text_of(html: str) -> str:
    article = html[html.index("<article"): html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


@pytest_slow
def test_kennzahlen_shows_published_results_beside_the_records(real_build):
    page = real_build.page("kennzahlen")
    text = text_of(page)
    assert "Veröffentlichtes Ergebnis, ISS 2016: Eigene Steuerungsgruppe eingerichtet: 29 von 37 befragten Kommunen." in text
    assert "(eher) erfolgreich: 22 von 29 befragten Kommunen" in text
    assert ("Informationsnetzwerk: 7 von 37 befragten Kommunen; Fall-/projektbezogenes Netzwerk: 12 von 37 befragten "
            "Kommunen; Produktionsnetzwerk: 12 von 37 befragten Kommunen.") in text
    assert "(eher) ausgeprägt: 26 von 37 befragten Kommunen" in text and "über 90 % der befragten Kommunen" in text
    # wording and place in the source
    assert "„29 Kommunen haben eine eigene Steuerungsgruppe eingerichtet.“" in text
    assert "Abschnitt 1 „Ein kurzer Rückblick“" in text
    # the records' count, labelled apart, with its date
    assert re.search(r"Im Handbuch erfasst: \d+ von \d+ Kommunen, Stand \d\d\.\d\d\.\d{4}", text)
    # the programmes at a glance: the sourced totals from content/programme.yml, with their sources
    assert re.search(r"LVR -Programm „Teilhabe ermöglichen“ 2011–2014 39 Kommunen im Rheinland \( Landschaftsverband "
                     r"Rheinland, 30\.09\.2015 \) \d+", text)
    assert "141 der 186 Jugendämter in NRW" in text
    assert 'href="https://www.lvr.de/de/nav_main/derlvr/presse_1/pressemeldungen/press_report_archiv_28097.jsp"' in page
    # published and recorded bars are distinct charts with their own names
    assert 'id="balken-veroeffentlicht-netzwerk-stufe-titel"' in page


@pytest_slow
def test_chapters_take_the_published_figures_from_the_data(real_build):
    text = text_of(real_build.page("leitfaden/steuerung"))
    assert "Veröffentlichtes Ergebnis, ISS 2016: (eher) erfolgreich: 22 von 29 befragten Kommunen." in text
    programme = text_of(real_build.page("leitfaden/programm"))
    assert re.search(r"\d+ der 39 Kommunen im Rheinland sind im Handbuch erfasst", programme)
    assert "4. Förderstaffel (2014)" in programme and 'id="balken-programm-lvr-teilhabe-titel"' in \
        real_build.page("leitfaden/programm")
    assert "Produktionsnetzwerk: 12 von 37 befragten Kommunen" in programme


OLD_EMPTY_NOTICES = ("liegt noch von keiner erfassten Kommune", "Im Handbuch ist derzeit keine passende",
                     "Noch keine erfasste Kommune hat Angaben")


def nav_pages(site: Path) -> list[str]:
    """Every page the navigation links to (the start page's sidebar holds the whole nav), the start page too."""
    start = (site / "index.html").read_text(encoding="utf-8")
    nav = start[start.index('<nav class="md-nav md-nav--primary'):]
    links = re.findall(r'<a href="([^"#]*)" class="md-nav__link', nav)
    return sorted({"" if link == "." else link for link in links if not link.startswith(("http", "#"))})


@pytest_slow
def test_no_page_in_the_navigation_shows_an_empty_notice(real_build):
    pages = nav_pages(real_build.site)
    assert "leitfaden/steuerung/" in pages and "kennzahlen/" in pages, pages
    for link in pages:
        html = (real_build.site / link / "index.html").read_text(encoding="utf-8")
        for notice in OLD_EMPTY_NOTICES:
            assert notice not in html, (link, notice)
        missing = re.findall(r'<p class="handbuch-fehlt"[^>]*>(.*?)</p>', html, re.DOTALL)
        assert len(missing) == len(set(missing)), (link, missing)  # never the same sentence twice
        assert all("mitwirken/" in sentence for sentence in missing), (link, missing)


@pytest_slow
def test_an_empty_notice_appears_once_per_chapter(content, tmp_path):
    from conftest import run_build, write_chapter

    write_chapter(content, "k", """\
        ---
        title: K
        order: 1
        ---
        Text.

        <!-- handbuch: kommunen netzwerkstufe=produktionsnetzwerk -->

        Mehr Text.

        <!-- handbuch: kommunen netzwerkstufe=produktionsnetzwerk -->

        <!-- handbuch: kennzahl frage=netzwerk.stufe -->
        """)
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    html = build.page("leitfaden/k")
    assert html.count("Noch keine Kommune mit „Ausbaustufe des Netzwerks: Produktionsnetzwerk“ erfasst.") == 1
    assert html.count('class="handbuch-fehlt') == 2  # the list once, the question once
