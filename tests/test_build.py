"""The real site, built with `mkdocs build --strict` into a temp dir; assertions on the HTML."""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import one_source, CONTENT, REPO, VALID, run_build, write_chapter, write_record
from handbuch.loader import load_handbook
from handbuch.model import measure_key

pytestmark = pytest.mark.slow


def text_of(html: str) -> str:
    article = html[html.index("<article"): html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


def test_every_record_has_its_page_and_the_overview_lists_all(real_build):
    handbook = load_handbook(CONTENT)
    overview = real_build.page("kommunen")
    for m in handbook.municipalities:
        page = real_build.page(f"kommunen/{m.slug}")
        assert f"<h1 id=\"{m.slug}\">" in page or m.record.name in text_of(page)
        assert f'href="{m.slug}/"' in overview, m.slug
    assert text_of(overview).count("Beispiel") >= sum(m.record.beispiel for m in handbook.municipalities)


def test_example_records_carry_a_prominent_notice(real_build):
    handbook = load_handbook(CONTENT)
    for m in handbook.municipalities:
        page = real_build.page(f"kommunen/{m.slug}")
        has_notice = 'class="admonition warning"' in page and "erfundener Beispiel-Datensatz" in page
        assert has_notice == m.record.beispiel, m.slug


def test_missing_values_read_keine_angabe_not_nein(real_build):
    essen = text_of(real_build.page("kommunen/essen"))
    assert "Teilnahme: keine Angabe" in essen  # in the programme timeline: unknown, not "nein"
    assert "Keine Angaben zu: Koordination, Steuerungsgruppe" in essen
    assert "Praxisentwicklungsprojekt „Monitoring“: ja" in essen
    assert " nein " not in f" {essen} "


def test_municipality_pages_stay_out_of_the_sidebar_but_keep_the_tab_active(real_build):
    page = real_build.page("kommunen/bergheim")
    nav = page[page.index('md-nav--primary'):]
    assert 'href="../essen/"' not in nav  # no sibling municipality in the sidebar
    tabs = page[page.index('<nav class="md-tabs"'): page.index("</nav>", page.index('<nav class="md-tabs"'))]
    active = re.search(r'md-tabs__item--active">\s*<a href="([^"]+)"', tabs)
    assert active and active.group(1) == "../"


def test_measures_have_stable_anchors_linked_from_the_overview(real_build):
    page = real_build.page("kommunen/beispielstadt")
    assert 'id="massnahme-willkommensbesuche-fuer-neugeborene"' in page
    overview = real_build.page("massnahmen")
    assert 'id="fruehe-hilfen"' in overview and "Frühe Hilfen" in overview
    # The overview's rows (drawn by its script, tests/test_filters.py) carry the record and the anchor.
    data = (real_build.site / "massnahmen" / "daten.js").read_text(encoding="utf-8")
    assert '["beispielstadt","Beispielstadt",1,' in data
    assert '"Willkommensbesuche für Neugeborene","massnahme-willkommensbesuche-fuer-neugeborene"' in data


def test_edit_button_opens_the_yaml_file(real_build):
    page = real_build.page("kommunen/nettetal")
    assert re.search(r'href="[^"]+/edit/main/content/municipalities/nettetal\.yml"', page)
    chapter = real_build.page("leitfaden/steuerung")
    assert re.search(r'href="[^"]+/edit/main/content/practice-guide/steuerung\.md"', chapter)
    # Generated overviews, the start page included, have no edit button: an editor changes what they
    # show through the records, and their templates are the maintainers' code.
    for overview in ("", "kommunen"):
        assert 'rel="edit"' not in real_build.page(overview), overview
    assert 'rel="edit"' in page


def test_chapters_appear_in_front_matter_order(real_build):
    handbook = load_handbook(CONTENT)
    nav = real_build.page("leitfaden")
    positions = [nav.index(f'href="../leitfaden/{c.slug}/"') if f'href="../leitfaden/{c.slug}/"' in nav
                 else nav.index(f'href="{c.slug}/"') for c in handbook.chapters]
    assert positions == sorted(positions)


def test_chapter_markers_are_expanded(real_build):
    html = real_build.page("leitfaden/monitoring-und-wirkung")
    assert "<!-- handbuch" not in html and "handbuch:" not in text_of(html)
    for slug in ("nettetal", "bergheim", "kerpen", "essen"):
        assert f'href="../../kommunen/{slug}/"' in html


def test_nothing_loads_from_a_third_party(real_build):
    for path in real_build.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            url = re.search(r'(?:src|href)="([^"]+)"', tag)
            if url and not re.search(r'rel="(?:canonical|alternate)"', tag):
                assert not re.match(r"(?:https?:)?//", url.group(1)), f"{path}: {tag}"


@pytest.fixture
def small(content):
    """Five records with hand-computed answers (see test_key_figures_match_hand_counts)."""
    base = 'name: {name}\nart: kreisfreie-stadt\nags: "0500000{n}"\n'

    def real(slug: str, text: str) -> None:
        write_record(content, slug, text + one_source(text))

    real("a", base.format(name="A", n=1) + "programme: [{programm: lvr-teilhabe, phase: staffel-1}]\n"
         + "netzwerk:\n  stufe: produktionsnetzwerk\nsteuerungsgruppe:\n  vorhanden: true\n")
    real("b", base.format(name="B", n=2) + "programme: [{programm: lvr-teilhabe, phase: staffel-2}]\n"
         + "netzwerk:\n  stufe: produktionsnetzwerk\nsteuerungsgruppe:\n  vorhanden: false\n")
    real("c", base.format(name="C", n=3) + "programme: [{programm: lvr-teilhabe, phase: staffel-3}]\n"
         + "netzwerk:\n  stufe: informationsnetzwerk\nsteuerungsgruppe:\n  vorhanden: true\n")
    real("d", base.format(name="D", n=4) + "netzwerk:\n  stufe: kooperationsnetzwerk\n")
    real("e", base.format(name="E", n=5))
    write_record(content, "f", base.format(name="F", n=6).replace("0500000", "9900000") + "beispiel: true\n"
                 + "netzwerk:\n  stufe: produktionsnetzwerk\n")  # examples never count
    write_chapter(content, "netzwerke", """\
        ---
        title: Netzwerke
        order: 1
        ---
        Einleitung.

        <!-- handbuch: kommunen netzwerkstufe=produktionsnetzwerk -->
        """)
    return content


def test_key_figures_match_hand_counts(small, tmp_path):
    build = run_build(tmp_path / "site", small)
    assert build.returncode == 0, build.output
    figures = text_of(build.page("kennzahlen"))
    # netzwerk.stufe: A, B production; C information; D cooperation; E no answer -> M = 4
    assert "Produktionsnetzwerk 2 von 4 Kommunen 50 %" in figures
    assert "Informationsnetzwerk 1 von 4 Kommunen 25 %" in figures
    assert "Fall-/projektbezogenes Netzwerk 1 von 4 Kommunen 25 %" in figures
    # steuerungsgruppe.vorhanden: A, C yes; B no; D, E no answer -> M = 3
    assert "ja 2 von 3 Kommunen 67 %" in figures and "nein 1 von 3 Kommunen 33 %" in figures
    # the same numbers as accessible bar charts (title, description) beside the tables
    page = build.page("kennzahlen")
    assert ('<title id="balken-erfasst-netzwerk-stufe-titel">Ausbaustufe des Präventionsnetzwerks – im Handbuch '
            'erfasst</title>') in page
    assert "Produktionsnetzwerk: 2 von 4 (50 %)" in page and 'role="img"' in page
    # cross-tab of network stage by cohort: A (1) and B (2) production, C (3) information; D has no Staffel
    assert "Produktionsnetzwerk 1 1 0 0" in figures and "Informationsnetzwerk 0 0 1 0" in figures
    assert "(im Handbuch erfasst: 3 Kommunen" in figures
    chapter = build.page("leitfaden/netzwerke")
    assert 'href="../../kommunen/a/"' in chapter and 'href="../../kommunen/b/"' in chapter
    assert 'href="../../kommunen/c/"' not in chapter


def test_content_is_text_never_markup(content, tmp_path):
    write_record(content, "teststadt", VALID.replace("name: Teststadt", 'name: "</title><script>alert(1)</script> | *fett*"')
                 + "    beschreibung: |\n      <img src=x onerror=alert(2)> **wichtig** {: onclick=alert(3) }\n")
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    for page in (build.page("kommunen/teststadt"), build.page("kommunen"), build.page("massnahmen")):
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert not re.search(r"<[a-z][^>]*\sonclick=", page)
        assert "</title><script>" not in page
    page = build.page("kommunen/teststadt")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; | *fett*" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page and "<strong>wichtig</strong>" in page
    overview = build.page("kommunen")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; | *fett*" in overview  # the pipe did not split the table
    # /massnahmen/ draws its rows from data: the name is a JSON string there, escaped by the script that draws it.
    data = (build.site / "massnahmen" / "daten.js").read_text(encoding="utf-8")
    assert '"</title><script>alert(1)</script> | *fett*"' in data


def test_invalid_record_stops_the_build_with_a_german_message(content, tmp_path):
    write_record(content, "teststadt", VALID.replace("fruehe-hilfen", "fruehe-hilfe"))
    build = run_build(tmp_path / "site", content)
    assert build.returncode != 0
    assert "teststadt.yml:9:20: Feld „massnahmen[1].handlungsfeld“: unbekannter Wert „fruehe-hilfe“" in build.output
    assert "Meinten Sie „fruehe-hilfen“?" in build.output
    assert "Traceback" not in build.output
    assert not (tmp_path / "site" / "index.html").exists()


def test_unknown_marker_fails_with_file_and_line(content, tmp_path):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "kapitel", """\
        ---
        title: Kapitel
        order: 1
        ---
        Text.

        <!-- handbuch: kommunen netzwerkstufe=produktionsnetz -->
        <!-- handbuch: gemeinden -->
        """)
    build = run_build(tmp_path / "site", content)
    assert build.returncode != 0 and "Traceback" not in build.output
    assert "kapitel.md:7:1: unbekannter Wert „produktionsnetz“ für Filter „netzwerkstufe“" in build.output
    assert "Meinten Sie „produktionsnetzwerk“?" in build.output
    assert "kapitel.md:8:1: unbekannter Block „gemeinden“" in build.output


def test_broken_link_in_a_chapter_fails_the_strict_build(content, tmp_path):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "kapitel", "---\ntitle: Kapitel\norder: 1\n---\n[kaputt](gibt-es-nicht.md)\n")
    build = run_build(tmp_path / "site", content)
    assert build.returncode != 0 and "gibt-es-nicht.md" in build.output


def test_no_script_fetches_repository_facts_and_maintainer_notes_stay_private(real_build):
    page = real_build.page("")
    assert 'class="md-source"' in page and 'data-md-component="source"' not in page
    assert not (real_build.site / "overrides").exists() and not (real_build.site / "entwicklung").exists()


def test_german_search_index_is_built(real_build):
    import json

    index = json.loads((real_build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"]
    locations = {doc["location"] for doc in index["docs"]}
    assert "kommunen/beispielstadt/#massnahme-willkommensbesuche-fuer-neugeborene" in locations
    assert (real_build.site / "assets" / "javascripts" / "lunr" / "min" / "lunr.de.min.js").exists()


def test_footer_tells_content_date_commit_and_build_date(real_build):
    import datetime as dt
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    footer = real_build.page("kommunen/essen")
    footer = footer[footer.index('class="md-copyright"'):]
    today = dt.date.today().strftime("%d.%m.%Y")
    assert "Inhalte vom " in footer and f"gebaut am {today}" in footer
    assert f"Version {commit}" in footer
    assert 'href="../../barrierefreiheit/"' in footer and 'href="../../leichte-sprache/"' in footer
    assert "Made with" not in footer


def test_legal_pages_exist(real_build):
    assert "Barrieren melden" in real_build.page("barrierefreiheit")
    assert "Präventions-Kette" in real_build.page("leichte-sprache")


def test_no_way_to_smuggle_links_or_scripts(content, tmp_path):
    """Reproducers from a review: each must end as text or as a German error, never as markup."""
    write_record(content, "teststadt", VALID + '    quellen: [{titel: Q, url: "https://a.example/)[X](javascript:alert(4)"}]\n'
                 '    kontakt: {email: "a)[X](javascript:alert(5)//@b.de"}\n')
    vocabularies = content / "vocabularies.yml"
    vocabularies.write_text(vocabularies.read_text(encoding="utf-8").replace(
        "beispiel_markierung: erfundenes Beispiel", 'beispiel_markierung: "[T](javascript:alert(11))"'),
        encoding="utf-8")
    write_chapter(content, "k", '---\ntitle: K\norder: 1\ndescription: "D\\"><script>alert(16)</script>"\n---\n'
                  "Text\n\n<!-- handbuch: kommunen -->\n")
    build = run_build(tmp_path / "site", content)
    assert build.returncode == 0, build.output
    for path in build.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'(?:href|src)="javascript:', html), path
        assert "<script>alert" not in html, path


@pytest.mark.parametrize("beschreibung", [
    "[x][r]\\n\\n[r]:\\n    javascript:alert(7)",
    "- [x]: javascript:alert(21)",
    "> [z]: javascript:alert(22)",
    "![bild](https://example.org/x.png)",
])
def test_markdown_fields_allow_only_direct_web_links(content, beschreibung):
    from conftest import write_record as write
    from handbuch.loader import load_handbook
    from handbuch.problems import ContentError

    write(content, "teststadt", VALID + f'    beschreibung: "{beschreibung}"\n')
    with pytest.raises(ContentError) as caught:
        load_handbook(content)
    assert caught.value.problems[0].field == "beschreibung"


@pytest.mark.parametrize(("body", "wording"), [
    ('<a href="javascript:alert(1)">x</a>', "unzulässiges HTML"),
    ("![Bild](https://example.org/x.png)", "fremden Servern"),
])
def test_unsafe_chapter_markup_stops_the_build(content, tmp_path, body, wording):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "k", f"---\ntitle: K\norder: 1\n---\n{body}\n")
    build = run_build(tmp_path / "site", content)
    assert build.returncode != 0 and wording in build.output and "Traceback" not in build.output


def test_generated_lists_stay_out_of_the_search_index(real_build):
    import json

    index = json.loads((real_build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = {doc["location"]: doc["text"] for doc in index["docs"]}
    assert "Nettetal" not in texts["kommunen/"] and "Willkommensbesuche" not in " ".join(
        t for loc, t in texts.items() if loc.startswith("massnahmen/"))
    chapter = " ".join(t for loc, t in texts.items() if loc.startswith("leitfaden/monitoring-und-wirkung/"))
    assert "Monitoring" in chapter and "Kerpen (Rhein-Erft-Kreis)" not in chapter
    assert "Nettetal" in texts["kommunen/nettetal/"]


def test_abbreviations_are_explained_everywhere_and_listed(real_build):
    chapter = real_build.page("leitfaden/unterstuetzung-landesjugendamt")
    assert '<abbr title="Landschaftsverband Rheinland">LVR</abbr>' in chapter
    glossary = real_build.page("glossar")
    assert "Allgemeiner Sozialer Dienst" in glossary and "Vollzeitäquivalente" in glossary


def test_facet_pages_list_records_and_are_linked_from_them(real_build):
    index = real_build.page("themen")
    assert 'href="netzwerkstufe/produktionsnetzwerk/"' in index and 'href="kreis/rhein-erft-kreis/"' in index
    kreis = text_of(real_build.page("themen/kreis/rhein-erft-kreis"))
    assert "Bergheim" in kreis and "Kerpen" in kreis and "Nettetal" not in kreis
    phase = real_build.page("themen/lebensphase/uebergang-beruf")
    # The measures block lists real records first: the first real measure of that phase is linked.
    slug, measure = next((m.slug, x) for m in load_handbook().municipalities if not m.record.beispiel
                         for x in m.record.massnahmen if "uebergang-beruf" in (x.lebensphasen or []))
    assert f'href="../../../kommunen/{slug}/#massnahme-{measure_key(measure)}"' in phase
    record = real_build.page("kommunen/beispielstadt")
    assert 'href="../../themen/netzwerkstufe/produktionsnetzwerk/"' in record
    tabs = phase[phase.index('<nav class="md-tabs"'):]
    assert re.search(r'md-tabs__item--active">\s*<a href="../../../kommunen/"', tabs)  # "Kommunen" tab stays active
