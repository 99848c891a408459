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
    box = page.locator("div.handbuch-filter:has(#filter-programm)")
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


def _narrow_measures(page) -> None:
    from handbuch.facets import kreis_of
    from handbuch.slugs import slugify

    handbook = load_handbook(CONTENT)
    refs = [(m.record, x) for m in handbook.municipalities for x in m.record.massnahmen]
    visible = ".handbuch-sortierbar tbody tr:not([hidden])"
    # The rows come from massnahmen/daten.js, which the page's script loads and draws.
    page.wait_for_selector(visible)
    assert page.locator(visible).count() == len(refs)
    output = page.locator(".handbuch-filterbereich output")

    def expect(count: int) -> None:
        assert page.locator(visible).count() == count
        assert output.inner_text() == f"{count} von {len(refs)} Maßnahmen"

    page.select_option("#filter-handlungsfeld", "fruehe-hilfen")
    expect(sum(1 for _, x in refs if x.handlungsfeld == "fruehe-hilfen"))
    # groups of other fields are hidden with their heading
    assert page.locator("h2#schule").is_hidden() and page.locator("h2#fruehe-hilfen").is_visible()
    page.select_option("#filter-lebensphasen", "rund-um-die-geburt")
    expect(sum(1 for _, x in refs if x.handlungsfeld == "fruehe-hilfen" and "rund-um-die-geburt" in (x.lebensphasen or ())))
    page.select_option("#filter-handlungsfeld", "")
    page.select_option("#filter-lebensphasen", "")
    kreis = "Kreis Unna"
    page.select_option("#filter-kreis", slugify(kreis))
    expect(sum(1 for r, _ in refs if kreis_of(r) == kreis))
    page.select_option("#filter-kreis", "")
    page.select_option("#filter-programme", "kinderstark")
    in_kinderstark = [(r, x) for r, x in refs if (e := r.entry("kinderstark")) is not None and e.teilnahme]
    expect(len(in_kinderstark))
    page.select_option("#filter-zielgruppen", "eltern")
    expect(sum(1 for _, x in in_kinderstark if "eltern" in (x.zielgruppen or ())))
    page.select_option("#filter-zielgruppen", "")
    page.select_option("#filter-programme", "")
    page.fill("#filter-text", "familienbüro")
    expect(sum(1 for r, x in refs if "familienbüro" in f"{x.titel} {r.name}".lower()))
    page.fill("#filter-text", "")
    assert page.locator(visible).count() == len(refs) and output.inner_text() == ""
    # Every measure links to its place in its record's page (drawn from the data file).
    first = page.locator(f"{visible} td:first-child a").first
    record, measure = handbook.municipalities[0], handbook.municipalities[0].record.massnahmen[0]
    link = page.locator(f"{visible} td:first-child a", has_text=measure.titel).first
    assert first.count() == 1 and link.get_attribute("href").startswith(f"../kommunen/{record.slug}")
    link.click()
    page.wait_for_function("slug => location.pathname.includes('/kommunen/' + slug) && location.hash.startsWith("
                           "'#massnahme-')", arg=record.slug)
    assert page.locator("h1").inner_text().startswith(record.record.name)


def test_massnahmen_narrow_by_field_phase_group_kreis_and_programme_over_http(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.goto(origin + "/massnahmen/")
        _narrow_measures(s.page)
        assert s.outside_requests() == []


def test_massnahmen_narrow_offline(bundle):
    with browser_page("file://") as s:
        s.page.goto((bundle / "massnahmen" / "index.html").as_uri())
        _narrow_measures(s.page)
        assert s.outside_requests() == []
