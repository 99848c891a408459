"""Page generation as a plain library: no MkDocs involved."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CONTENT, REPO, VALID, load_problems, one_source, write_chapter, write_real, write_record
from handbuch import aggregates
from handbuch.loader import load_handbook
from handbuch.escaping import md, md_block
from handbuch.present import measure_anchors
from handbuch.render import generate
from handbuch.slugs import slugify


@pytest.mark.parametrize(("raw", "expected"), [
    ("Rhein-Erft-Kreis", "Rhein-Erft-Kreis"),
    ("a | b", "a \\| b"),
    ("*fett* _kursiv_ [link](x)", "\\*fett\\* \\_kursiv\\_ \\[link\\]\\(x\\)"),
    ("<b>&amp;", "&lt;b&gt;&amp;amp;"),
    ("Zeile\nzwei", "Zeile zwei"),
    ("{: .x }", "\\{: .x \\}"),
    ("1. Förderstaffel", "1\\. Förderstaffel"),
    ("30.06.2017", "30.06.2017"),
    ("- x", "\\- x"),
    ("---", "\\---"),
    ("Rhein-Erft", "Rhein-Erft"),
])
def test_md_escapes_inline_text(raw, expected):
    assert str(md(raw)) == expected


def test_md_block_keeps_markdown_but_not_html_or_attribute_lists():
    assert str(md_block("**fett**\n<script>x</script> {: onclick=y }")) == (
        "**fett**\n&lt;script>x&lt;/script> \\{: onclick=y }")


def test_slugs_and_anchors_are_stable_and_unique(content):
    assert slugify("Übergang Schule–Beruf: Ärger & Spaß") == "uebergang-schule-beruf-aerger-spass"
    write_record(content, "teststadt", VALID + "      - titel: Babybesuche im Stadtteil!\n        handlungsfeld: gesundheit\n")
    record = load_handbook(content).municipalities[0].record
    # the anchor is the measure's short name, the one its source names (massnahmen.<kurzname>);
    # two measures with the same short name are an error (tests/test_measures_sources.py)
    assert measure_anchors(record) == ["massnahme-babybesuche", "massnahme-babybesuche-im-stadtteil"]


def test_generate_returns_every_page_without_mkdocs():
    handbook = load_handbook(CONTENT)
    pages = {p.src_uri: p for p in generate(handbook)}
    assert {"kommunen/index.md", "massnahmen/index.md", "kennzahlen/index.md", "leitfaden/index.md"} <= set(pages)
    for m in handbook.municipalities:
        page = pages[f"kommunen/{m.slug}.md"]
        assert page.source == m.path and not page.in_nav
        suffix = " (Beispiel)" if m.record.beispiel else ""
        # Invented records rank lower in search (front matter), real ones start with their name.
        front = "---\nsearch:\n  boost: 0.5\n---\n\n" if m.record.beispiel else ""
        assert page.markdown.startswith(f"{front}# {md(m.record.name)}{suffix}\n\n")
    for c in handbook.chapters:
        assert pages[f"leitfaden/{c.slug}.md"].source == c.path
    assert not any(name.startswith("mkdocs") for name in _imports_of_library())


def _imports_of_library() -> set[str]:
    code = "import sys; sys.path.insert(0, 'hooks'); import handbuch.render, handbuch.loader; print(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_generate_script_writes_pages_into_a_folder(tmp_path, content):
    write_record(content, "teststadt", VALID)
    result = subprocess.run([sys.executable, "scripts/generate.py", str(tmp_path / "out")], cwd=REPO,
                            env={"HANDBUCH_CONTENT": str(content), "PATH": ""}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "\n# Teststadt (Beispiel)\n" in (tmp_path / "out" / "kommunen" / "teststadt.md").read_text(encoding="utf-8")
    assert "Babybesuche" in (tmp_path / "out" / "massnahmen" / "daten.js").read_text(encoding="utf-8")  # its rows
    assert 'data-daten="daten.js"' in (tmp_path / "out" / "massnahmen" / "index.md").read_text(encoding="utf-8")


def test_figures_count_only_answers(content):
    write_real(content, 1, "lvr_angebote: sehr-hilfreich\n")
    write_real(content, 2, "lvr_angebote: eher-hilfreich\n")
    write_real(content, 3, "lvr_angebote: sehr-hilfreich\n")
    write_real(content, 4)
    write_record(content, "e", 'name: E\nart: kreisfreie-stadt\nags: "99000005"\nbeispiel: true\n'
                 "lvr_angebote: nicht-hilfreich\n")  # an invented example never counts
    figure = aggregates.figure(load_handbook(content), "lvr_angebote")
    assert (figure.answered, figure.total) == (3, 4)
    assert [(r.value, r.count, r.percent) for r in figure.rows] == [
        ("sehr-hilfreich", 2, 67), ("eher-hilfreich", 1, 33), ("eher-nicht-hilfreich", 0, 0), ("nicht-hilfreich", 0, 0)]


def test_marker_filters_select_the_right_items(content):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "k", "---\ntitle: K\norder: 1\n---\n<!-- handbuch: massnahmen handlungsfeld=fruehe-hilfen -->\n"
                  "<!-- handbuch: massnahmen handlungsfeld=schule -->\n<!-- handbuch: kennzahl frage=netzwerk.stufe -->\n")
    pages = {p.src_uri: p.markdown for p in generate(load_handbook(content))}
    chapter = pages["leitfaden/k.md"]
    assert chapter.count("[Babybesuche](../kommunen/teststadt.md#massnahme-babybesuche)") == 1
    assert "Noch keine Maßnahme mit „Handlungsfeld: Schule“ erfasst. [Angaben beitragen](../mitwirken.md)" in chapter
    assert ("Zu „Ausbaustufe des Präventionsnetzwerks“ gibt es noch keine veröffentlichte Zahl und keine Angabe "
            "einer erfassten Kommune. [Angaben beitragen](../mitwirken.md)") in chapter
    assert "**Maßnahmen – Handlungsfeld: Frühe Hilfen**" in chapter


@pytest.mark.parametrize(("marker", "wording"), [
    ("<!-- handbuch: kommune -->", "unbekannter Block „kommune“; erlaubt: kommunen, massnahmen, kennzahl, abbildung, programm. "
     "Meinten Sie „kommunen“?"),
    ("<!-- handbuch: kommunen stufe=produktionsnetzwerk -->", "unbekannter Filter „stufe“ für Block „kommunen“"),
    ("<!-- handbuch: kennzahl -->", "braucht den Filter „frage=…“"),
    ("<!-- handbuch: kennzahl frage=netzwerk.stuffe -->", "Meinten Sie „netzwerk.stufe“?"),
    ("<!-- handbuch: kommunen monitoring -->", "ist kein Filter; Form: name=wert"),
    ("Text <!-- handbuch: kommunen --> Text", "allein auf einer Zeile"),
])
def test_bad_markers_name_file_and_line(content, marker, wording):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "k", f"---\ntitle: K\norder: 1\n---\nEinleitung\n\n{marker}\n")
    [problem] = load_problems(content)
    assert problem.file.endswith("k.md") and problem.line == 7 and wording in problem.message


def test_markers_in_code_are_shown_not_expanded(content):
    write_record(content, "teststadt", VALID)
    write_chapter(content, "k", "---\ntitle: K\norder: 1\n---\nSo sieht eine Markierung aus: "
                  "`<!-- handbuch: kommunen -->`\n\n```\n<!-- handbuch: kommunen -->\n```\n")
    chapter = {p.src_uri: p.markdown for p in generate(load_handbook(content))}["leitfaden/k.md"]
    assert chapter.count("<!-- handbuch: kommunen -->") == 2 and "Teststadt" not in chapter


def test_chapter_blocks_stay_short_and_link_to_the_overview(content):
    for n in range(14):
        write_record(content, f"stadt-{n}", VALID.replace("Teststadt", f"Stadt {n:02d}")
                     .replace("99000010", f"990001{n:02d}"))
    write_chapter(content, "k", "---\ntitle: K\norder: 1\n---\n<!-- handbuch: kommunen -->\n\n"
                  "<!-- handbuch: massnahmen handlungsfeld=fruehe-hilfen -->\n")
    chapter = {p.src_uri: p.markdown for p in generate(load_handbook(content))}["leitfaden/k.md"]
    assert chapter.count("](../kommunen/stadt-") == 10 + 10 * 2  # list links, and table rows link twice
    assert "… und 4 weitere: [alle in der Übersicht](../kommunen/index.md)." in chapter
    # After a blank line: a line right after the table would become one more table row.
    assert "|\n\n… und 4 weitere: [alle in der Übersicht](../massnahmen/index.md#fruehe-hilfen)." in chapter
    facet = {p.src_uri: p.markdown for p in generate(load_handbook(content))}["themen/handlungsfeld/fruehe-hilfen.md"]
    assert "14 erfasste Kommunen haben hier Maßnahmen:" in facet
    assert facet.count('<a href="../../../kommunen/stadt-') == 14  # every name (HTML: urls.py)
    assert "… und 4 weitere: [alle in der Übersicht](../../massnahmen/index.md#fruehe-hilfen)." in facet


def test_topic_pages_list_names_up_to_a_limit(content, monkeypatch):
    """Hundreds of names are no list a reader scans: a Handlungsfeld page names NAMES_LIMIT, real
    records first, and sends the reader to /massnahmen/ for the rest."""
    from handbuch import render

    monkeypatch.setattr(render, "NAMES_LIMIT", 3)
    for n in range(5):
        write_record(content, f"stadt-{n}", VALID.replace("Teststadt", f"Stadt {n:02d}")
                     .replace("99000010", f"990001{n:02d}"))
    write_record(content, "k9", 'name: K9\nart: kreisfreie-stadt\nags: "05000009"\n'
                 "massnahmen: [{titel: Lotsendienst, handlungsfeld: fruehe-hilfen}]\n"
                 "quellen: [{titel: Q, belegt: [art, ags, massnahmen.lotsendienst]}]\n")
    facet = {p.src_uri: p.markdown for p in generate(load_handbook(content))}["themen/handlungsfeld/fruehe-hilfen.md"]
    assert "6 erfasste Kommunen haben hier Maßnahmen, darunter:" in facet
    names = facet.split("darunter:", 1)[1].split("</p>", 1)[0]
    assert names.count("<a href=") == 3 and names.index(">K9</a>") < names.index(">Stadt 00</a>")  # real first
    assert "… und 3 weitere: alle mit ihren Maßnahmen in der [Übersicht der Maßnahmen]" \
           "(../../massnahmen/index.md#fruehe-hilfen)." in facet


def test_municipality_page_says_where_it_stands(content):
    write_real(content, 1, "netzwerk: {stufe: produktionsnetzwerk}\n")
    write_real(content, 2, "netzwerk: {stufe: produktionsnetzwerk}\n")
    write_real(content, 3, "netzwerk: {stufe: informationsnetzwerk}\n")
    write_real(content, 4)
    pages = {p.src_uri: p.markdown for p in generate(load_handbook(content))}
    assert "Ausbaustufe des Präventionsnetzwerks: **Produktionsnetzwerk** – wie 2 von 3 Kommunen mit Angabe" \
        in pages["kommunen/k1.md"]
    assert "Im Vergleich" not in pages["kommunen/k4.md"]


def test_prevention_chain_shows_coverage_and_gaps(content):
    write_record(content, "teststadt", VALID.replace("        handlungsfeld: fruehe-hilfen\n",
                 "        handlungsfeld: fruehe-hilfen\n        lebensphasen: [rund-um-die-geburt, krippe]\n")
                 + "      - titel: Sprachkita\n        handlungsfeld: fruehe-bildung\n        lebensphasen: [kita]\n"
                 + "      - titel: Ohne Phase\n        handlungsfeld: schule\n")
    write_real(content, 9)  # no measures: no chain
    pages = {p.src_uri: p.markdown for p in generate(load_handbook(content))}
    page = pages["kommunen/teststadt.md"]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert "<title id=\"kette-titel\">Präventionskette von Teststadt</title>" in page
    assert "3 Maßnahmen; 3 von 72 Feldern" in page and "1 Maßnahme ohne Angabe zur Lebensphase ist nicht eingezeichnet" in page
    assert page.count('fill="#303f9f"') == 3 and 'fill="url(#kette-raster)"' in page  # gaps: the dashed grid
    assert "| Frühe Hilfen | 1 | 1 | – | – | – | – |" in page  # the same data as a table
    assert "Präventionskette auf einen Blick" not in pages["kommunen/k9.md"]


@pytest.mark.parametrize(("value", "shown"), [(1.5, "1,5"), (2.0, "2,0"), (0.75, "0,75"), (0.004, "unter 0,01")])
def test_staff_figures_read_as_written(value, shown):
    from handbuch.present import Presenter

    presenter = Presenter(load_handbook(CONTENT).vocabularies)
    assert presenter.value("koordination.umfang_vzae", value) == shown


@pytest.mark.parametrize(("raw", "code"), [
    ("Feld `a<b` setzen", "<code>a&lt;b</code>"),
    ("``{x}`` bleibt", "<code>{x}</code>"),
])
def test_md_block_leaves_code_spans_as_written(raw, code):
    import markdown

    assert code in markdown.markdown(str(md_block(raw)), extensions=["attr_list"])


@pytest.mark.parametrize("raw", ["\\`<script>x</script>\\`", "```<script>x</script>``", "`offen <script>x</script>"])
def test_md_block_escapes_html_outside_real_code_spans(raw):
    import markdown

    assert "<script>" not in markdown.markdown(str(md_block(raw)), extensions=["attr_list"])


def test_a_measure_shows_what_is_known_and_names_the_rest_in_one_line(content):
    write_record(content, "teststadt", VALID)  # the measure has a title and a field of action only
    page = next(p for p in generate(load_handbook(content), changes=None) if p.src_uri == "kommunen/teststadt.md")
    measure = page.markdown[page.markdown.index("### Babybesuche"):]
    assert "Handlungsfeld { data-search-exclude }\n:   Frühe Hilfen" in measure  # the label is not indexed
    assert "Keine Angaben zu: Lebensphasen, Zielgruppen, Träger, Seit, Status." in measure
    assert ":   keine Angabe" not in measure


@pytest.mark.parametrize("label", ["KeKiz | 2013", "`KeKiz`", "[KeKiz](x)", 'KeKiz "2013" <b>', "KeKiz *2013*"])
def test_a_programme_name_reaches_the_table_cells_title_as_written(content, label):
    """The programme's name is the abbreviation's title in the table of /kommunen/ (written as HTML,
    which Markdown passes through): "|" must not split the row, quotes must not end the attribute,
    backticks, links and asterisks stay text."""
    import markdown
    from html.parser import HTMLParser

    programmes = content / "programme.yml"
    text = programmes.read_text(encoding="utf-8")
    assert "kurzname: „Kein Kind zurücklassen!“" in text
    programmes.write_text(text.replace("kurzname: „Kein Kind zurücklassen!“", f"kurzname: '{label}'"), encoding="utf-8")
    write_real(content, 1, "programme: [{programm: kekiz, teilnahme: true, seit: 2012}]\n")
    page = {p.src_uri: p.markdown for p in generate(load_handbook(content))}["kommunen/index.md"]
    html = markdown.markdown(page, extensions=["tables", "md_in_html", "attr_list"])
    row = next(r for r in html.split("<tr>") if "K1</a>" in r)

    class Cells(HTMLParser):
        titles: list[str] = []
        cells = 0

        def handle_starttag(self, tag, attrs):
            self.cells += tag == "td"
            if tag == "abbr":
                self.titles.append(dict(attrs)["title"])

    cells = Cells()
    cells.feed(row)
    # A split row would show the tag as text and push the following cells out of the table.
    assert "&lt;abbr" not in row and cells.cells == 7
    assert cells.titles == [f"{label}, seit 2012"]
    assert ">KeKiz 2012</abbr>" in row
    assert 'data-programme="kekiz"' in row


def test_the_preview_inserts_record_tables_after_markdown(content):
    """make serve defers the tables of /kommunen/ and the Kreis pages (Python-Markdown and the search
    index need not parse them after each save); the finished page gets the table a clean build writes."""
    from handbuch.render import Renderer

    def town(n: int, extra: str = "") -> None:
        text = f'name: K{n}\nart: kreisangehoerige-stadt\nkreis: Kreis Düren\nags: "05358{n:03d}"\n{extra}'
        write_record(content, f"k{n}", text + one_source(text))

    town(1)
    town(2)
    handbook = load_handbook(content)
    clean = {p.src_uri: p.markdown for p in Renderer(handbook).pages()}
    preview = Renderer(handbook, defer_tables=True)
    deferred = {p.src_uri: p.markdown for p in preview.pages()}
    for uri in ("kommunen/index.md", "themen/kreis/kreis-dueren.md"):
        assert "<table>" in clean[uri] and "<table>" not in deferred[uri]
        table = clean[uri][clean[uri].index('<div class="handbuch-sortierbar"'):clean[uri].index("</table>\n</div>") + len("</table>\n</div>")]
        placeholder = next(line for line in deferred[uri].splitlines() if "data-handbuch-tabelle" in line)
        assert preview.insert_tables(f"<main>{placeholder}</main>", uri) == f"<main>{table}</main>"
    # A changed row changes the placeholder, so the preview rebuilds the page.
    town(2, "netzwerk: {stufe: produktionsnetzwerk}\n")
    again = {p.src_uri: p.markdown for p in Renderer(load_handbook(content), defer_tables=True).pages()}
    assert again["kommunen/index.md"] != deferred["kommunen/index.md"]


def test_topics_without_a_municipality_are_named_not_linked(content):
    """/themen/ names the values no record has yet in one sentence, without a link to an empty page."""
    write_record(content, "teststadt", VALID)  # one measure: Frühe Hilfen
    index = {p.src_uri: p.markdown for p in generate(load_handbook(content))}["themen/index.md"]
    sentence = index[index.index("Noch ohne erfasste Kommune:"):].split("\n", 1)[0]
    assert "Hilfen zur Erziehung" in sentence and "Frühe Hilfen" not in sentence
    assert "(handlungsfeld/hilfen-zur-erziehung.md)" not in index
    assert "(handlungsfeld/fruehe-hilfen.md)" in index
