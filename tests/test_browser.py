"""The offline bundle from file:// and the normal build over http, in real headless chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import browser_page, search, serve

pytestmark = pytest.mark.slow


def test_bundle_layout(bundle):
    assert (bundle / "index.html").is_file() and (bundle / "LIESMICH.txt").is_file()
    assert (bundle / "search" / "search_index.js").is_file()
    assert not (bundle / "search" / "search_index.json").exists()
    assert (bundle / "assets" / "javascripts" / "iframe-worker" / "shim.js").is_file()
    assert (bundle / "downloads" / "praxisleitfaden.pdf").is_file()
    assert (bundle / "daten" / "kommunen.csv").is_file() and (bundle / "glossar.html").is_file()
    for html in bundle.rglob("*.html"):
        assert "unpkg.com" not in html.read_text(encoding="utf-8"), html
    footer = (bundle / "kommunen" / "essen.html").read_text(encoding="utf-8")
    assert 'href="../barrierefreiheit.html"' in footer and "gebaut am" in footer


def test_offline_bundle_navigation_and_search_from_file(bundle):
    with browser_page("file://") as s:
        page = s.page
        page.goto((bundle / "index.html").as_uri())
        assert "Handbuch Präventionsketten" in page.title()
        page.get_by_role("link", name="Kommunen", exact=True).first.click()
        page.wait_for_url("**/kommunen/index.html")
        page.get_by_role("link", name="Nettetal").first.click()
        page.wait_for_url("**/kommunen/nettetal.html")
        assert page.locator("h1").inner_text().startswith("Nettetal")

        results = search(page, "Gesundheitslotsen")
        assert any("kommunen/beispielstadt.html#massnahme-gesundheitslotsen-in-der-kinderarztpraxis" in r["href"]
                   for r in results), results
        page.locator(".md-search-result__item > a", has_text="Gesundheitslotsen").first.click()
        page.wait_for_url("**/kommunen/beispielstadt.html*")
        assert page.locator("h1").inner_text().startswith("Beispielstadt")

        results = search(page, "Zukunftswerkstätten")
        assert any("leitfaden/unterstuetzung-landesjugendamt.html" in r["href"] for r in results), results

        # Charts, the prevention chain and table sorting work from file:// as well.
        page.goto((bundle / "kennzahlen" / "index.html").as_uri())
        assert page.locator("figure.handbuch-balken svg").first.is_visible()
        page.goto((bundle / "kommunen" / "beispielstadt.html").as_uri())
        assert page.locator("figure.handbuch-kette svg").is_visible()
        page.goto((bundle / "kommunen" / "index.html").as_uri())
        head = page.locator(".handbuch-sortierbar thead th").first
        head.focus()
        page.keyboard.press("Enter")
        assert head.get_attribute("aria-sort") == "ascending"
        assert s.outside_requests() == []


def test_normal_build_over_http(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        page = s.page
        page.goto(origin + "/")
        page.get_by_role("link", name="Leitfaden", exact=True).first.click()
        page.wait_for_url("**/leitfaden/")
        results = search(page, "Zukunftswerkstätten")
        assert any(r["href"].endswith("/leitfaden/unterstuetzung-landesjugendamt/") or
                   "/leitfaden/unterstuetzung-landesjugendamt/#" in r["href"] for r in results), results
        results = search(page, "Gesundheitslotsen")
        hit = next(r for r in results if "/kommunen/beispielstadt/" in r["href"])
        page.goto(hit["href"])
        assert page.locator("h1").inner_text().startswith("Beispielstadt")
        chain = page.locator("figure.handbuch-kette svg")
        assert chain.is_visible() and chain.bounding_box()["width"] > 600  # not shrunk to fit-content
        page.goto(origin + "/kennzahlen/")
        assert page.locator("figure.handbuch-balken svg").first.bounding_box()["width"] > 600
        assert s.outside_requests() == []


def test_print_stylesheet_hides_navigation_and_prints_link_targets(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        page = s.page
        page.goto(origin + "/kommunen/beispielstadt/")
        page.emulate_media(media="print")
        hidden = page.evaluate("() => ['.md-header', '.md-sidebar--primary', '.md-footer', '.md-tabs']"
                               ".map(q => document.querySelector(q)).filter(Boolean)"
                               ".every(e => getComputedStyle(e).display === 'none')")
        assert hidden
        after = page.evaluate("() => getComputedStyle(document.querySelector("
                              "'.md-typeset a[href^=\"https://example.org/willkommensbesuche\"]'), '::after').content")
        assert "https://example.org/willkommensbesuche" in after
