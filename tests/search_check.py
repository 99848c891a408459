"""The search query set (search_queries.yml) typed into the real search box in Chromium.

Shared by tests/test_search.py (every query in the top five) and scripts/search_eval.py
(recall@1 and recall@5, Material's stock search beside ours).

A hit is one entry of Material's result list: a page with its matching sections. Its rank
is its position in that list; a query that names a section (#anchor) counts the entry of
that page only if the section is among the entry's links.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.sync_api import Page

QUERIES = Path(__file__).with_name("search_queries.yml")
PLACEHOLDER = "Suchbegriff eingeben"  # Material's German text for an empty search box


@dataclass(frozen=True)
class Query:
    text: str
    # site-relative location: "leitfaden/steuerung/" or "kommunen/essen/#steckbrief"; with * a pattern,
    # e.g. "kommunen/*/#massnahme-*familienbuero*": any real record's measure (examples never count)
    expected: str
    kind: str


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query(item["anfrage"], item["erwartet"], item["art"])
            for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def location(href: str, base: str) -> str:
    """A result link as a site-relative location in directory-URL form, Material's ?h= dropped.

    The offline bundle links to "leitfaden/steuerung.html"; the site to "leitfaden/steuerung/".
    """
    path, _, anchor = href.removeprefix(base).partition("#")
    path = path.split("?", 1)[0]
    path = re.sub(r"(^|/)index\.html$", r"\1", path)
    path = re.sub(r"\.html$", "/", path)
    return path + ("#" + anchor if anchor else "")


def open_search(page: Page, url: str) -> None:
    """Load a page and wait until Material's search worker has built its index."""
    page.goto(url)
    page.locator("input.md-search__input").click()
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/initialisiert/i.test(m.textContent) }", timeout=120000)


def result_groups(page: Page, query: str, base: str) -> list[list[str]]:
    """Enter a query (Material searches on key release) and read the result list, entry by entry."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("Backspace")
    page.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent"
                           f".includes({PLACEHOLDER!r})", timeout=10000)
    box.fill(query)
    box.press("End")  # the key release makes Material search, also after a last "Ä"
    page.wait_for_function(f"() => !document.querySelector('.md-search-result__meta').textContent"
                           f".includes({PLACEHOLDER!r})", timeout=10000)
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > li.md-search-result__item",
        "items => items.map(li => [...li.querySelectorAll('a.md-search-result__link')]"
        ".map(a => a.href))")
    return [[location(href, base) for href in group] for group in hrefs]


def rank(groups: list[list[str]], expected: str, examples: frozenset[str] = frozenset()) -> int | None:
    """1-based position of the entry holding the expected page (and section), or None.

    A pattern (with *) matches any page and section it fits, except the pages in ``examples``
    (invented records: a reader asking for practice must find a real one)."""
    page_part = expected.split("#", 1)[0]
    for position, group in enumerate(groups, start=1):
        if not group:
            continue
        page = group[0].split("#", 1)[0]
        if "*" in expected:
            if page not in examples and fnmatch.fnmatchcase(page, page_part) and (
                    "#" not in expected or any(fnmatch.fnmatchcase(link, expected) for link in group)):
                return position
        elif page == page_part and ("#" not in expected or expected in group):
            return position
    return None


def example_pages() -> frozenset[str]:
    """Locations of the invented example records, which a pattern never accepts."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))
    from handbuch.loader import load_handbook

    return frozenset(f"kommunen/{m.slug}/" for m in load_handbook().municipalities if m.record.beispiel)


def run_queries(page: Page, base: str, queries: list[Query]) -> list[tuple[Query, int | None, list[str]]]:
    """Every query through the search box of the site at `base` (ending in "/")."""
    open_search(page, base + ("index.html" if base.startswith("file:") else ""))
    examples = example_pages()
    outcome = []
    for query in queries:
        groups = result_groups(page, query.text, base)
        outcome.append((query, rank(groups, query.expected, examples), [group[0] for group in groups[:5]]))
    return outcome


def recall(ranks: list[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0
