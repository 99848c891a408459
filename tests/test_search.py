"""German search: the query set through the real search box, the canonical word forms of
the shipped worker files, and the hidden index field (hooks/handbuch/search.py)."""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import browser_page, fetch, serve
from conftest import REPO, run_build
from handbuch import search
from handbuch.loader import load_handbook
from search_check import load_queries, location, open_search, rank, result_groups, run_queries

NODE_MODULES = REPO / "node_modules"


def _words(site: Path, index: list[str] = (), query: list[str] = ()) -> dict:
    result = subprocess.run(["node", str(REPO / "tests" / "search_words.cjs"), str(site)],
                            input=json.dumps({"index": list(index), "query": list(query)}),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def _worker(site: Path, queries: list[str]) -> dict:
    result = subprocess.run(["node", str(REPO / "tests" / "search_worker.cjs"), str(site)],
                            input=json.dumps({"queries": queries}), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def _index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


# --- the query set ------------------------------------------------------------------------

def test_query_set_covers_what_coordinators_type():
    queries = load_queries()
    assert len(queries) >= 40
    kinds = Counter(q.kind for q in queries)
    for kind in ("Thema", "Kommune", "Kreis", "Maßnahme", "Handlungsfeld", "Abkürzung", "Schreibweise",
                 "Wortteil", "Beugung"):
        assert kinds[kind] >= 2, kind
    assert kinds["Alltagssprache"] >= 30
    assert len({q.text.lower() for q in queries}) == len(queries), "eine Anfrage steht doppelt"  # ß ≠ ss here


def test_every_expected_page_and_section_exists(real_build):
    # A renamed heading must fail here with its name, not as a vague miss in the browser.
    for query in load_queries():
        if "*" in query.expected:  # a pattern: some real record has such a measure
            path, _, anchor = query.expected.partition("#")
            found = [p for p in real_build.site.glob(path + "index.html")
                     if fnmatch.filter(re.findall(r'id="([^"]+)"', p.read_text(encoding="utf-8")), anchor or "*")]
            assert found, f"{query.text}: keine Seite passt zu {query.expected}"
            continue
        path, _, anchor = query.expected.partition("#")
        page = real_build.site / path / "index.html"
        assert page.is_file(), f"{query.text}: Seite {path} fehlt"
        if anchor:
            assert f'id="{anchor}"' in page.read_text(encoding="utf-8"), f"{query.text}: #{anchor} fehlt in {path}"


def _misses(outcome) -> list[str]:
    return [f"{q.text!r}: erwartet {q.expected}, Rang {r}, Treffer {top}" for q, r, top in outcome
            if r is None or r > 5]


@pytest.mark.slow
def test_every_query_finds_its_page_in_the_top_five_over_http(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as session:
        outcome = run_queries(session.page, origin + "/", load_queries())
        assert session.outside_requests() == []
    assert _misses(outcome) == []


@pytest.mark.slow
def test_every_query_finds_its_page_in_the_top_five_in_the_offline_bundle(bundle):
    with browser_page("file://") as session:
        outcome = run_queries(session.page, bundle.as_uri() + "/", load_queries())
        assert session.outside_requests() == []
    assert _misses(outcome) == []


@pytest.mark.slow
def test_results_name_their_page_and_hide_the_extra_field(real_build):
    docs = {doc["location"]: doc for doc in _index(real_build.site)["docs"]}
    with serve(real_build.site) as origin, browser_page(origin) as session:
        page = session.page
        open_search(page, origin + "/")
        groups = result_groups(page, "Gesundheitslotsen", origin + "/")
        first = groups[0]
        measure = next(location for location in first if "#massnahme-" in location)
        entry = page.locator(".md-search-result__item").first
        # The entry is headed by its municipality; the section is the measure.
        assert entry.locator("h1").inner_text() == docs[first[0].split("#")[0]]["title"]
        assert docs[measure]["title"] in entry.locator("h2").all_inner_texts()
        extra = docs[measure][search.EXTRA_FIELD]
        assert "lotsen" in extra.split()  # the compound's part, in the hidden field only
        assert extra not in entry.inner_text()

        # The snippet of a measure is its description, not its list of facts.
        groups = result_groups(page, "Willkommensbesuche", origin + "/")
        measure = next(location for location in groups[0] if "#massnahme-" in location)
        entry = page.locator(".md-search-result__item").first
        snippet = entry.locator("article", has_text=docs[measure]["title"]).locator("p").first.inner_text()
        description = " ".join(unescape(re.sub(r"<[^>]+>", " ", docs[measure]["text"])).split())
        assert " ".join(snippet.split())[:40] in description and not snippet.startswith("Handlungsfeld")

        groups = result_groups(page, "Stabsstelle", origin + "/")
        entry = page.locator(".md-search-result__item").first
        assert entry.locator("h1").inner_text() == "Koordination verankern"  # the chapter

        # Links (?h= highlights on the target page) and "Es fehlt" speak the reader's words,
        # not the index's forms ("steurungsgrupp").
        result_groups(page, "Steuerungsgruppen", origin + "/")
        page.wait_for_selector("a.md-search-result__link[data-h]")
        assert "h=Steuerungsgruppen" in page.locator("a.md-search-result__link").first.get_attribute("href")
        result_groups(page, "Kinderarztpraxis Steuerungsgruppe", origin + "/")
        page.wait_for_selector(".md-search-result__terms del[data-h]")
        missing = set(page.eval_on_selector_all(".md-search-result__terms del", "els => els.map(e => e.textContent)"))
        assert missing and missing <= {"Kinderarztpraxis", "Steuerungsgruppe"}, missing


@pytest.mark.slow
def test_everyday_words_typos_and_compounds_show_only_the_readers_and_the_handbooks_words(real_build):
    texts = " ".join(f"{d['title']} {d['text']}" for d in _index(real_build.site)["docs"]).lower()
    # Everyday words the handbook never writes itself: only the hidden field has them.
    synonyms = {word for words in load_handbook().synonyms.values() for word in words
                if not re.search(rf"\b{re.escape(word.lower())}\b", texts)}
    # Everyday words still hidden. Real records quote their sources and may come to use one (Brühl's
    # council decision says "Lenkungsgruppe"): then pick another here, deliberately.
    queries = ["Präventionskoordinatorin", "Bestandserhebung", "Familienarmut", "Armutsbericht", "Kontaktperson",
               "Netzwerkerin"]
    assert set(queries) <= synonyms, set(queries) - synonyms
    with serve(real_build.site) as origin, browser_page(origin) as session:
        page = session.page
        open_search(page, origin + "/")
        for query in queries:
            groups = result_groups(page, query, origin + "/")
            assert groups, query
            # What the results say, without "Es fehlt: <the reader's own word>".
            shown = page.eval_on_selector(".md-search-result__list", "l => { const c = l.cloneNode(true);"
                                          " c.querySelectorAll('.md-search-result__terms').forEach(t => t.remove());"
                                          " return c.textContent }")
            hrefs = " ".join(page.eval_on_selector_all("a.md-search-result__link", "links => links.map(a => a.href)"))
            for word in synonyms:  # the hidden field never shows, nor its words
                assert not re.search(rf"\b{re.escape(word)}\b", shown, re.IGNORECASE), (query, word)
            assert "\u2063" not in hrefs
            # The pages found do not say the everyday word either (the editors' guide shows an example).
            for group in groups[:5]:
                path = group[0].split("#")[0]
                if path != "mitwirken/":
                    assert query.lower() not in fetch(origin + "/" + path).lower(), (query, path)

        # One letter off: the word searched instead is named, in the reader's spelling.
        groups = result_groups(page, "Steurungsgruppe", origin + "/")
        assert rank(groups, "leitfaden/steuerung/") is not None
        meta = page.locator(".md-search-result__meta")
        expect(meta).to_contain_text("Ergebnisse für „Steuerungsgruppe“")
        shown = page.locator(".md-search-result__list").inner_text()
        assert not re.search(r"\bsteu?rungsgrupp\b", shown), shown[:300]
        link = page.locator("a.md-search-result__link").first.get_attribute("href")
        assert "h=Steuerungsgruppe" in link and "%E2%81%A3" not in link, link
        # The next query without a typo says nothing of the kind.
        result_groups(page, "Steuerungsgruppe", origin + "/")
        expect(meta).not_to_contain_text("Ergebnisse für")

        # A compound typed whole finds the pages with its parts.
        groups = result_groups(page, "Armutsprävention", origin + "/")
        assert groups and "armutsprav" not in page.locator(".md-search-result__list").inner_text().lower()

        # Odd input never freezes the page: the box keeps answering.
        for odd in ("!!!", "😀", "§ 8a", "x" * 500, "Kita " * 100):
            result_groups(page, odd, origin + "/")
        assert result_groups(page, "Kita", origin + "/")


def test_compounds_typed_whole_and_typos_find_pages_in_the_worker(real_build):
    answers = _worker(real_build.site, ["Armutsprävention", "Steurungsgruppe", "Steuerungsgruppe"])
    assert answers["Armutsprävention"]["pages"], "whole compound finds its parts"
    assert answers["Steurungsgruppe"]["pages"][:10] == answers["Steuerungsgruppe"]["pages"][:10]


# --- canonical forms, as the worker computes them ------------------------------------------

def test_spellings_and_forms_meet_in_one_index_term(real_build):
    same = [("Maßnahmen", "Massnahme", "maßnahme"), ("Prävention", "Praevention", "PRÄVENTION"),
            ("Frühe", "fruehe", "Fruehe"), ("Steuerungsgruppe", "Steuerungsgruppen"),
            ("armutssensibel", "armutssensible", "armutssensiblen"), ("Familienzentrum", "Familienzentren"),
            ("Gremium", "Gremien"), ("Elterncafé", "Elterncafe"), ("Jugendämter", "Jugendaemter", "Jugendamt"),
            ("neue", "neuen"), ("Frau", "Frauen")]
    found = _words(real_build.site, index=[w for group in same for w in group])["index"]
    for group in same:
        assert len({tuple(found[w]) for w in group}) == 1, {w: found[w] for w in group}
    assert found["Maßnahmen"] == ["massnahm"]
    apart = _words(real_build.site, index=["neuen", "neun", "Regel", "regelmäßig", "Mittel", "Mittelpunkt"])["index"]
    assert apart["neuen"] != apart["neun"]
    # A word's form stays a prefix of its compounds, so "Regel*" still finds "regelmäßig".
    assert apart["regelmäßig"][0].startswith(apart["Regel"][0])
    assert apart["Mittelpunkt"][0].startswith(apart["Mittel"][0])


def test_odd_queries_never_fail_in_materials_worker(real_build):
    odd = ["– Kita", "§ 8a SGB VIII", "/ Kita", "👍 Kita", "?", "€", '"Frühe Hilfen"', "+Kita -Schule",
           "title:Kita", "*nahme", "2017", "05362008", "Kita", "zur", "x" * 2000, "!!!", "😀", "x" * 500,
           "Armutsprävention " * 100, "Steurungsgruppe " * 50]
    answers = _worker(real_build.site, odd)
    assert {query: a["warnings"] for query, a in answers.items() if a["warnings"]} == {}
    # The punctuation changes nothing but, at most, the order of equally scored results.
    assert set(answers["– Kita"]["pages"]) == set(answers["/ Kita"]["pages"]) == set(answers["Kita"]["pages"]) != set()
    assert "kommunen/bergheim/#steckbrief" in answers["05362008"]["pages"]  # AGS
    assert answers['"Frühe Hilfen"']["pages"]


def test_wildcard_queries_get_the_index_form(real_build):
    # Material appends * to every term; lunr then skips its pipeline, we do not.
    words = _words(real_build.site, index=["Steuerungsgruppe", "Neugeborene", "(ASD),"],
                   query=["Steuerungsgruppen*", "neugeborenen*", "asd*", "Kooperationsvereinb*"])
    assert words["query"]["Steuerungsgruppen*"] == words["index"]["Steuerungsgruppe"][0] + "*"
    assert words["query"]["neugeborenen*"] == words["index"]["Neugeborene"][0] + "*"
    assert words["index"]["(ASD),"] == ["asd"] and words["query"]["asd*"] == "asd*"
    assert words["query"]["Kooperationsvereinb*"].startswith("kooperationsvereinb")  # partial words stay prefixes


def test_stop_words_are_not_indexed(real_build):
    assert _words(real_build.site, index=["und", "der"])["index"] == {"und": [], "der": []}


# --- the hidden field, computed at build time ----------------------------------------------

def test_compounds_split_against_the_handbooks_own_words():
    d = search.Decompounder(["Prävention", "Maßnahmen", "Netzwerk", "Koordination", "Kinder", "Armut",
                             "Gesundheit", "Jugend", "Hilfe", "Planung", "Beispiel", "Spiel", "ISS", "unten",
                             "Wissen", "aktiv"],
                            stop=frozenset({"bei"}))
    assert d.parts("präventionsmaßnahmen") == ("prävention", "maßnahmen")
    assert d.parts("netzwerkkoordination") == ("netzwerk", "koordination")
    assert d.parts("kinderarmutsfolgen") == ("kinder", "armut", "folgen")
    assert d.parts("jugendhilfeplanung") == ("jugend", "hilfe", "planung")
    assert d.parts("gesundheitslotsen") == ("gesundheit", "lotsen")  # a head never used alone
    assert d.parts("beispiel") == ()  # "bei" is a particle, not a word
    assert d.parts("jugendliche") == ()  # "-liche" is a suffix, not a word
    assert d.parts("ergebnisse") == ()  # "ISS" is an abbreviation, not a part
    assert d.parts("kinder") == ()
    # No new head that begins like no German word does, or inside a suffix.
    assert d.parts("unterstützung") == ()  # not "unte|rstützung"
    assert d.parts("wissenschaftlich") == ()  # not "wissens|chaftlich"
    assert d.parts("aktivierung") == ()  # not "aktiv|ierung"


def test_a_part_that_is_a_word_of_its_own_stays_whole_beside_its_parts():
    d = search.Decompounder(["Prävention", "Netzwerken", "Netz", "Werken", "Jugend", "Hilfe", "Planung"])
    assert d.parts("präventionsnetzwerken") == ("prävention", "netzwerken", "netz", "werken")
    assert d.parts("jugendhilfeplanung") == ("jugend", "hilfe", "planung")  # "Jugendhilfe" is no word here


def test_stop_words_are_no_parts_of_compounds():
    d = search.Decompounder(["sicher", "erstellen", "stellen"], stop=frozenset({"sich"}))
    assert not d.known("sich")  # although "sicher" is "sich" + "er"
    assert d.parts("sicherstellen") == ("sicher", "stellen")  # not "sich|erstellen"


def test_glossary_terms_work_both_ways():
    glossary = {"ASD": "Allgemeiner Sozialer Dienst", "HzE": "Hilfen zur Erziehung"}
    index = {"docs": [
        {"location": "a/", "title": "A", "text": "<p>Der <code>ASD</code> berät.</p>"},
        {"location": "b/", "title": "B", "text": "<p>Hilfen zur Erziehung &amp; mehr</p>"},
        {"location": "c/", "title": "C", "text": "<p>Nichts davon.</p>"},
    ]}
    index["docs"].append({"location": "d/", "title": "D", "text": "<p>Das Landesjugendamt berät.</p>"})
    search.enrich_index(index, {**glossary, "JA": "Jugendamt"})
    a, b, c, d = index["docs"]
    assert "extra" not in d  # "Jugendamt" inside another word is not the long form
    assert {"allgemeiner", "sozialer", "dienst"} <= set(a[search.EXTRA_FIELD].split())
    assert "hze" in b[search.EXTRA_FIELD].split()
    assert search.EXTRA_FIELD not in c


def test_synonyms_reach_pages_with_the_term_also_inflected_and_in_phrases():
    synonyms = {"Koordinationsfachkraft": ["Koordinatorin", "Koordinator"],
                "Schulbezogene soziale Arbeit": ["Schulsozialarbeit"], "Quartier": ["Sozialraum"]}
    index = {"docs": [
        {"location": "a/", "title": "A", "text": "<p>Die Koordinationsfachkräfte beraten.</p>"},
        {"location": "b/", "title": "Schulbezogene soziale Arbeit", "text": ""},
        {"location": "c/", "title": "C", "text": "<p>Soziale Arbeit an Schulen, im Quartiersbüro.</p>"},
        {"location": "d/", "title": "D", "text": "<p>Im Quartier.</p>"},
    ]}
    search.enrich_index(index, {}, synonyms=synonyms)
    a, b, c, d = (set(doc.get(search.EXTRA_FIELD, "").split()) for doc in index["docs"])
    assert {"koordinatorin", "koordinator"} <= a
    assert "schulsozialarbeit" in b and "schulsozialarbeit" not in c
    assert "sozialraum" in d and "sozialraum" not in c


def test_stop_words_come_from_lunr_languages():
    stop = search.stop_words(NODE_MODULES)
    assert {"und", "der", "bei", "mit", "habe"} <= stop and len(stop) > 200


def test_words_of_index_text():
    assert search.words("<p>Kita&nbsp;&amp; Schule, <code>x_y</code> 2017</p>") == ["Kita", "Schule", "x", "y"]


# --- the build -----------------------------------------------------------------------------

def test_build_ships_the_extension_and_fills_the_hidden_field(real_build):
    index = _index(real_build.site)
    assert index["config"]["pipeline"] == search.PIPELINE
    assert search.EXTRA_FIELD in index["config"]["fields"]
    german = (real_build.site / search.LUNR_MIN / "lunr.de.min.js").read_text(encoding="utf-8")
    assert german.startswith((NODE_MODULES / "lunr-languages" / "min" / "lunr.de.min.js").read_text(encoding="utf-8"))
    assert search.EXTENSION.read_text(encoding="utf-8") in german
    docs = {doc["location"]: doc for doc in index["docs"]}
    extra = docs["leitfaden/netzwerke-aufbauen/#drei-ausbaustufen-von-praventionsnetzwerken"][search.EXTRA_FIELD].split()
    assert "netzwerk" in extra or "netzwerken" in extra


@pytest.mark.slow
def test_stock_mode_leaves_materials_search_alone(tmp_path):
    build = run_build(tmp_path / "site", None, env={search.MODE_VARIABLE: "stock"})
    assert build.returncode == 0, build.output
    index = _index(build.site)
    assert search.EXTRA_FIELD not in index["config"]["fields"]
    assert all(search.EXTRA_FIELD not in doc for doc in index["docs"])
    assert "handbuchIndex" not in (build.site / search.LUNR_MIN / "lunr.de.min.js").read_text(encoding="utf-8")


def test_location_of_result_links():
    assert location("http://h:1/leitfaden/steuerung/?h=x#a", "http://h:1/") == "leitfaden/steuerung/#a"
    assert location("file:///s/leitfaden/steuerung.html?h=x#a", "file:///s/") == "leitfaden/steuerung/#a"
    assert location("file:///s/index.html#zum-drucken", "file:///s/") == "#zum-drucken"
    assert location("file:///s/leitfaden/index.html", "file:///s/") == "leitfaden/"


def test_index_skips_placeholders_names_kreis_members_and_ranks_examples_lower(real_build):
    docs = {doc["location"]: doc for doc in _index(real_build.site)["docs"]}
    texts = " ".join(doc["text"] for doc in docs.values())
    # "nothing recorded" sections would fill the first screen of results
    without = next(m.slug for m in load_handbook().municipalities if not m.record.beispiel and not m.record.massnahmen)
    assert docs[f"kommunen/{without}/"] and not any(location.startswith(f"kommunen/{without}/#ma") for location in docs)
    assert "keine Maßnahmen erfasst" not in texts and "noch von keiner erfassten Kommune" not in texts
    assert "Nettetal" in docs["themen/kreis/kreis-viersen/"]["text"]  # a search for the Kreis shows its members
    assert docs["kommunen/beispielstadt/"]["boost"] == 0.5 and "boost" not in docs["kommunen/bergheim/"]
    assert docs["mitwirken/"]["boost"] == 0.5
    assert docs["leitfaden/koordination-verankern/"]["boost"] == 3  # chapters first (suche.md)
    assert "boost" not in docs["themen/kreis/kreis-viersen/"]  # topic pages weigh like real records


def test_compact_offline_index_restores_materials_index(tmp_path):
    index = {"config": {"lang": ["de"], "separator": "[\\s\\-]+"}, "docs": [
        {"location": "a/", "title": "A", "text": "<p>x</p>"},
        {"location": "a/#b", "title": "B", "text": "", "boost": 0.5, "extra": "teil"},
        {"location": "c/", "title": "C", "text": "y", "tags": ["t"]},
    ]}
    (tmp_path / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    (tmp_path / "search_index.js").write_text("var __index = {}", encoding="utf-8")
    search.compact_offline_index(tmp_path)
    script = (tmp_path / "search_index.js").read_text(encoding="utf-8")
    assert script.count("a/") == 1  # the page's address once, not per section
    restored = subprocess.run(["node", "-e", "const vm = require('vm'); const c = {}; vm.createContext(c);"
                               "vm.runInContext(require('fs').readFileSync(0, 'utf8') + ';this.out = __index', c);"
                               "process.stdout.write(JSON.stringify(c.out))"],
                              input=script, capture_output=True, text=True, check=True).stdout
    assert json.loads(restored) == index
