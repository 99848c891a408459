"""Narrowing overview tables in the browser, over http and from the offline bundle (file://)."""

from __future__ import annotations

import pytest

from browser import browser_page, serve
from conftest import CONTENT
from handbuch.loader import load_handbook

pytestmark = pytest.mark.slow


def _visible_rows(page) -> list[str]:
    return page.eval_on_selector_all(".handbuch-sortierbar tbody tr:not([hidden]) td:first-child",
                                     "cells => cells.map(c => c.textContent.trim())")


def _narrow_by_programme(page) -> None:
    handbook = load_handbook(CONTENT)
    everyone = len(handbook.municipalities)
    assert len(_visible_rows(page)) == everyone
    box = page.locator("div.handbuch-filter[data-filter=programme]")
    assert box.is_visible()  # shown only with script
    for slug in handbook.vocabularies.programme:
        expected = sorted(m.record.name for m in handbook.municipalities
                          if (e := m.record.entry(slug)) is not None and e.teilnahme)
        page.select_option("#filter-programm", slug)
        shown = _visible_rows(page)
        assert sorted(name.removesuffix(" (erfundenes Beispiel)") for name in shown) == expected, slug
        assert box.locator("output").inner_text() == f"{len(expected)} von {everyone} Zeilen"
    # combined with the text box: KeKiz participants whose row mentions "Kreis Unna"
    page.select_option("#filter-programm", "kekiz")
    page.fill(".handbuch-filter input[type=search]", "Kreis Unna")
    shown = _visible_rows(page)
    assert shown and all(n in {"Kreis Unna", "Bergkamen", "Kamen", "Lünen", "Selm", "Unna", "Werne"} for n in shown)
    page.fill(".handbuch-filter input[type=search]", "")
    page.select_option("#filter-programm", "")
    assert len(_visible_rows(page)) == everyone


def test_kommunen_narrow_by_programme_over_http(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.goto(origin + "/kommunen/")
        _narrow_by_programme(s.page)
        assert s.outside_requests() == []


def test_kommunen_narrow_by_programme_offline(bundle):
    with browser_page("file://") as s:
        s.page.goto((bundle / "kommunen" / "index.html").as_uri())
        _narrow_by_programme(s.page)
        assert s.outside_requests() == []
