"""Overview tables fit: no horizontal scrolling at 1280 px, cards on phones (390 px), and
sorting and filtering keep working at both widths (Chromium)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser import browser_page, serve
from test_accessibility import WCAG, serious

pytestmark = pytest.mark.slow

TABLE = ".handbuch-sortierbar table"
# The box the table would scroll in (Material wraps tables), compared with the table itself.
FITS = """() => Array.from(document.querySelectorAll('article table')).map(t => {
    const wrap = t.closest('.md-typeset__scrollwrap') || t.parentElement;
    return {scroll: wrap.scrollWidth, client: wrap.clientWidth, table: t.getBoundingClientRect().width}; })"""


def first_names(page) -> list[str]:
    return page.eval_on_selector_all(f"{TABLE} tbody tr:not([hidden]) td:first-child a",
                                     "links => links.map(a => a.textContent.trim())")


@pytest.mark.parametrize("path", ["/kommunen/", "/massnahmen/", "/kennzahlen/", "/leitfaden/programm/"])
def test_overview_tables_fit_1280_px_without_scrolling(real_build, path):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.set_viewport_size({"width": 1280, "height": 900})
        s.page.goto(origin + path)
        if path == "/massnahmen/":  # its rows are drawn from massnahmen/daten.js
            s.page.wait_for_selector(f"{TABLE} tbody tr")
        tables = s.page.evaluate(FITS)
        assert tables, path
        assert all(t["scroll"] <= t["client"] for t in tables), tables
        assert s.page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_kommunen_table_shows_all_columns_with_full_labels_at_1280_px(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.set_viewport_size({"width": 1280, "height": 900})
        s.page.goto(origin + "/kommunen/")
        heads = s.page.locator(f"{TABLE} thead th")
        assert heads.count() == 7
        box = s.page.locator(TABLE).bounding_box()
        last = heads.nth(6).bounding_box()
        assert last["x"] + last["width"] <= box["x"] + box["width"] + 1  # the last column is in view
        # short heads name their full label as an abbreviation
        assert s.page.locator(f"{TABLE} thead th").nth(2).inner_text().strip() == "Programme"
        # sorting by a head, and filtering, still work
        heads.nth(0).click()
        names = first_names(s.page)
        heads.nth(0).click()
        assert first_names(s.page) == list(reversed(names))
        s.page.fill("#tabellenfilter-0", "Viersen")
        assert 0 < len(first_names(s.page)) < len(names)
        # at full width every cell shows, "keine Angabe" included
        assert s.page.locator(f"{TABLE} tbody tr:not([hidden]) td.handbuch-leer").first.is_visible()


def test_kommunen_table_becomes_cards_at_390_px_with_working_sort_buttons(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.set_viewport_size({"width": 390, "height": 844})
        s.page.goto(origin + "/kommunen/")
        assert s.page.evaluate("document.documentElement.scrollWidth") <= 390
        first = s.page.locator(f"{TABLE} tbody tr td:first-child").first
        assert first.is_visible()
        cell = first.bounding_box()
        assert cell["x"] >= 0 and cell["x"] + cell["width"] <= 390  # the name column is in view, not scrolled off
        # every other cell names its column; a card leaves out what is not known
        assert s.page.locator(f"{TABLE} tbody tr").first.locator("td[data-label='Kreis']").is_visible()
        empty = s.page.locator(f"{TABLE} tbody td.handbuch-leer")
        assert empty.count() > 0 and not empty.first.is_visible()
        assert empty.first.text_content().strip() == "keine Angabe"
        heads = s.page.locator(f"{TABLE} thead th")
        for i in range(heads.count()):
            head = heads.nth(i).bounding_box()
            assert heads.nth(i).is_visible() and head["x"] + head["width"] <= 390
        names = first_names(s.page)
        heads.nth(0).click()
        assert heads.nth(0).get_attribute("aria-sort") in ("ascending", "descending")
        sorted_once = first_names(s.page)
        heads.nth(0).click()
        assert first_names(s.page) == list(reversed(sorted_once)) and sorted(names) == sorted(sorted_once)
        # keyboard: Enter on a focused head sorts as well
        heads.nth(1).focus()
        s.page.keyboard.press("Enter")
        assert heads.nth(1).get_attribute("aria-sort") in ("ascending", "descending")


@pytest.mark.parametrize("path", ["/", "/kommunen/", "/massnahmen/", "/themen/", "/kennzahlen/"])
def test_phone_layout_has_no_serious_axe_violations(real_build, path):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.set_viewport_size({"width": 390, "height": 844})
        s.page.goto(origin + path)
        found = serious(Axe().run(s.page, options=WCAG))
        assert found == [], "\n".join(found)
