"""Keyboard only: skip link, search and table links work with Tab and Enter."""

from __future__ import annotations

import pytest

from browser import browser_page, serve
from conftest import CONTENT
from handbuch.loader import load_handbook

pytestmark = pytest.mark.slow


def focused(page) -> dict:
    return page.evaluate("() => { const e = document.activeElement;"
                         " return {tag: e.tagName, text: (e.textContent || '').trim(), href: e.href || '',"
                         " cls: e.className || '', name: e.name || ''} }")


def test_skip_link_is_the_first_tab_stop_and_jumps_to_the_content(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        page = s.page
        page.goto(origin + "/kommunen/")
        page.keyboard.press("Tab")
        first = focused(page)
        assert "md-skip" in first["cls"] and first["text"] == "Zum Inhalt", first
        page.keyboard.press("Enter")
        page.wait_for_function("() => location.hash.length > 1")
        assert page.evaluate("() => !!document.querySelector(location.hash)")


def enter_opens(page, url: str, heading: str) -> None:
    """Enter on the focused element opens the page at `url` whose h1 begins with `heading`."""
    page.keyboard.press("Enter")
    page.wait_for_url(url)
    assert page.locator("h1").inner_text().startswith(heading)


def test_search_by_keyboard(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        page = s.page
        page.goto(origin + "/")
        page.keyboard.press("/")  # Material's shortcut focuses the search box
        assert focused(page)["name"] == "query"
        page.keyboard.type("Gesundheitslotsen", delay=30)
        page.wait_for_selector(".md-search-result__item")
        page.keyboard.press("ArrowDown")
        enter_opens(page, "**/kommunen/beispielstadt/**", "Beispielstadt")


def test_table_links_are_reachable_with_tab_and_open_with_enter(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        page = s.page
        page.goto(origin + "/kommunen/")
        for _ in range(400):  # the filters, the sortable heads, then row by row (about 100 records)
            page.keyboard.press("Tab")
            if focused(page)["text"] == "Nettetal":
                break
        else:
            pytest.fail("the Nettetal link in the table was never focused")
        enter_opens(page, "**/kommunen/nettetal/", "Nettetal")


def test_overview_table_sorts_with_the_keyboard_and_filters(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        page = s.page
        page.goto(origin + "/kommunen/")
        names = lambda: page.eval_on_selector_all(  # noqa: E731
            ".handbuch-sortierbar tbody tr:not([hidden]) td:first-child", "cells => cells.map(c => c.textContent.trim())")
        before = names()
        head = page.locator(".handbuch-sortierbar thead th").first
        head.focus()
        page.keyboard.press("Enter")
        first_sort = names()
        page.keyboard.press("Enter")
        second_sort = names()
        assert head.get_attribute("aria-sort") == "descending"
        assert sorted(before) == sorted(first_sort) == first_sort and second_sort == list(reversed(first_sort))
        page.get_by_label("Tabelle filtern:").fill("Rhein-Erft")
        page.get_by_label("Tabelle filtern:").dispatch_event("input")
        in_kreis = sorted(m.record.name for m in load_handbook(CONTENT).municipalities
                          if m.record.kreis == "Rhein-Erft-Kreis")
        assert len(in_kreis) >= 2 and {"Bergheim", "Kerpen"} <= set(in_kreis)
        assert sorted(names()) == in_kreis
        assert page.locator(".handbuch-filter__status").inner_text() == f"{len(in_kreis)} von {len(before)} Zeilen"
        assert s.outside_requests() == []
