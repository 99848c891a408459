"""What the walk through the built site (docs/entwicklung/rundgang.md) found and fixed."""

from __future__ import annotations

import re

import pytest

from browser import browser_page, serve
from handbuch.facets import facet_values, facets_of
from handbuch.loader import load_handbook


def test_themen_links_no_empty_topic_page(real_build):
    html = real_build.page("themen")
    assert not re.search(r"</a>\s*\(0\)", html)  # no link to a page without municipalities
    # Which topics have no municipality yet depends on the content (once "Hilfen zur Erziehung");
    # test_render covers the sentence with a small content root.
    handbook = load_handbook()
    values = facet_values(handbook)
    counts = {value.src_uri: 0 for value in values}
    for municipality in handbook.municipalities:
        for value in facets_of(municipality, values):
            counts[value.src_uri] += 1
    unrecorded = [value.label for value in values if not counts[value.src_uri]]
    empty = re.search(r'<p class="handbuch-fehlt"[^>]*>Noch ohne erfasste Kommune: (.*?)\.', html)
    assert (empty is not None) == bool(unrecorded)
    assert all(label in empty.group(1) for label in unrecorded) if empty else True


def test_real_records_without_stand_do_not_say_keine_angabe(real_build):
    html = real_build.page("kommunen/essen")
    line = re.search(r'<p class="handbuch-provenienz"[^>]*>(.*?)</p>', html, re.DOTALL).group(1)
    assert "keine Angabe" not in line and re.search(r"Quellen abgerufen bis \d\d\.\d\d\.\d{4}", line)


@pytest.mark.slow
def test_chart_labels_are_not_cut_off(real_build):
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.goto(origin + "/kennzahlen/")
        cut = s.page.evaluate("""() => Array.from(document.querySelectorAll('figure.handbuch-balken svg')).flatMap(svg =>
            Array.from(svg.querySelectorAll('text')).filter(t => t.getBBox().x < 0).map(t => t.textContent))""")
        assert s.page.locator("figure.handbuch-balken svg").count() > 5
        assert cut == []


def test_contributor_rules_render_as_a_list(real_build):
    html = real_build.page("mitwirken")
    rules = html[html.index('id="regeln-fur-angaben"'):]
    rules = rules[: rules.index("<h2")]
    assert "\n- <strong>" not in rules  # a rule glued to the paragraph before it
    items = re.findall(r"<li>\s*(?:<p>)?<strong>([^<]+)</strong>", rules)
    assert "Jede Angabe mit Quelle." in items and "Fehlende Angaben weglassen." in items and len(items) >= 6


@pytest.mark.slow
def test_bar_charts_stay_readable_on_phones(real_build):
    heights = """sel => Array.from(document.querySelectorAll(sel)).filter(svg => svg.getBoundingClientRect().width > 0)
        .flatMap(svg => Array.from(svg.querySelectorAll('text')).map(t => t.getBoundingClientRect().height))"""
    with serve(real_build.site) as origin, browser_page(origin) as s:
        s.page.set_viewport_size({"width": 390, "height": 844})
        s.page.goto(origin + "/kennzahlen/")
        wide = s.page.evaluate(f"({heights})('figure.handbuch-balken svg:not(.handbuch-balken__schmal)')")
        narrow = s.page.evaluate(f"({heights})('figure.handbuch-balken svg.handbuch-balken__schmal')")
        assert wide == [] and narrow and min(narrow) >= 11  # the wide drawing shrank its text to about 5 px
        s.page.set_viewport_size({"width": 1280, "height": 900})
        assert s.page.evaluate(f"({heights})('figure.handbuch-balken svg.handbuch-balken__schmal')") == []
