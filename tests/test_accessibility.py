"""BITV 2.0 / WCAG 2.1 AA: axe-core finds no serious or critical violation; keyboard use works."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser import browser_page, serve

pytestmark = pytest.mark.slow

PAGES = ["/", "/kommunen/", "/kommunen/beispielstadt/", "/kommunen/essen/", "/massnahmen/", "/kennzahlen/",
         "/programme/", "/programme/kekiz/", "/programme/lvr-teilhabe/",
         "/leitfaden/netzwerke-aufbauen/", "/mitwirken/", "/leitfaden/programm/", "/leitfaden/steuerung/",
         # footnoted chapter and a printable tool with its tick-box table
         "/leitfaden/schnittstelle-gesundheit/", "/leitfaden/arbeitshilfen/", "/leitfaden/arbeitshilfen/selbsteinschaetzung/"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        "resultTypes": ["violations"]}


def serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_axe_violations(real_build, path):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.goto(origin + path)
        if path == "/massnahmen/":  # its rows are drawn from massnahmen/daten.js: check them as well
            s.page.wait_for_selector(".handbuch-sortierbar tbody tr")
        # The search dialog is part of every page: check it opened, too.
        s.page.locator("input.md-search__input").click()
        # Let the dialog finish fading in: axe measures colours as drawn at that moment.
        s.page.wait_for_function("() => getComputedStyle(document.querySelector('.md-search__output')).opacity === '1'")
        s.page.wait_for_timeout(400)
        found = serious(Axe().run(s.page, options=WCAG))
        assert found == [], "\n".join(found)


def test_search_results_have_no_serious_axe_violations(real_build):
    # The result list with a section snippet, a "Es fehlt" line and rewritten links.
    from search_check import open_search, result_groups

    with serve(real_build.site) as origin, browser_page(origin) as s:
        open_search(s.page, origin + "/")
        result_groups(s.page, "Kinderarztpraxis Steuerungsgruppe", origin + "/")
        s.page.wait_for_selector(".md-search-result__terms del[data-h]")
        s.page.wait_for_timeout(400)
        found = serious(Axe().run(s.page, options=WCAG))
        assert found == [], "\n".join(found)
