"""Source footnotes in the practice guide: `[^id]` in a chapter, its sources in the front matter.

The real site is built into a temp dir; every footnote of every chapter and tool must lead to a
source entry on the same page, every entry back to the text, and every source must name its
publisher and date. The loader tests feed the exact faulty input and expect file, line and wording.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from conftest import CONTENT
from handbuch.loader import load_handbook
from handbuch.problems import ContentError

# The chapters of issue 24: each answers an open question of the 2017 report from public guidance.
NEW_CHAPTERS = ["schnittstelle-gesundheit", "schnittstelle-schule", "jugendarbeit-jugendsozialarbeit-asd",
                "zusammenarbeit-in-der-verwaltung", "familien-beteiligen", "nach-der-foerderung",
                "wo-stehen-wir"]
DATE = re.compile(r"\b(\d{2}\.\d{2}\.\d{4}|\d{4})\b")


class _Links(HTMLParser):
    """Ids, footnote links, and the text of each source entry of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.footnotes: list[tuple[str, str]] = []  # (href, accessible text of the link)
        self.backlinks: list[str] = []
        self.entries: dict[str, str] = {}  # source id -> its text
        self._entry: str | None = None
        self._link: str | None = None
        self._link_text = ""
        self._in_sources = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "ol" and "handbuch-quellen" in (a.get("class") or ""):
            self._in_sources += 1
        if tag == "li" and self._in_sources and (a.get("id") or "").startswith("quelle-"):
            self._entry = a["id"]
            self.entries[self._entry] = ""
        if tag == "a":
            href = a.get("href") or ""
            if href.startswith("#quelle-"):
                self._link, self._link_text = href, ""
            elif href.startswith("#beleg-"):
                self.backlinks.append(href)

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            self.footnotes.append((self._link, " ".join(self._link_text.split())))
            self._link = None
        if tag == "li" and self._entry:
            self._entry = None
        if tag == "ol" and self._in_sources:
            self._in_sources -= 1

    def handle_data(self, data):
        if self._link:
            self._link_text += data
        if self._entry:
            self.entries[self._entry] += data


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def guide():
    return load_handbook(CONTENT)


def _pages(guide):
    yield from ((f"leitfaden/{c.slug}", c) for c in guide.chapters)
    yield from ((f"leitfaden/arbeitshilfen/{t.slug}", t) for t in guide.tools)


@pytest.mark.slow
def test_every_footnote_resolves_and_every_source_has_publisher_and_date(real_build, guide):
    checked = 0
    for url, chapter in _pages(guide):
        page = _parse(real_build.page(url))
        sources = chapter.meta.quellen
        assert len(page.entries) == len(sources), url  # every source listed, nothing else
        for href, name in page.footnotes:
            assert href[1:] in page.ids, f"{url}: {href} leads nowhere"
            assert re.fullmatch(r"Quelle \d+", name), f"{url}: footnote reads „{name}“, not „Quelle N“"
            checked += 1
        for href in page.backlinks:
            assert href[1:] in page.ids, f"{url}: {href} leads nowhere"
        cited = {href[1:] for href, _ in page.footnotes}
        for entry, text in page.entries.items():
            assert entry in cited, f"{url}: {entry} is never cited"
            source = next(s for s in sources if s.titel in text)
            assert source.herausgeber in text and DATE.search(text.split(source.herausgeber, 1)[1]), (url, text)
            assert source.url is None or f'href="{html.escape(source.url)}"' in real_build.page(url)
        assert len(page.backlinks) == len(page.footnotes), url  # each citation has its way back
    assert checked >= 7 * 3


def test_each_new_chapter_cites_at_least_three_distinct_sources(guide):
    slugs = {c.slug: c for c in guide.chapters}
    for slug in NEW_CHAPTERS:
        assert slug in slugs, slug
        chapter = slugs[slug]
        assert len({c.key for c in chapter.citations}) >= 3, slug
        assert len({s.herausgeber for s in chapter.meta.quellen}) >= 2, f"{slug}: sources from one publisher only"
    assert len(guide.chapters) >= 16


@pytest.mark.slow
def test_the_pdf_keeps_each_chapters_footnotes_apart(real_build):
    """Every chapter numbers its sources from 1: in the one PDF document their ids get the chapter's prefix."""
    import subprocess
    path = real_build.site / "downloads" / "praxisleitfaden.pdf"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Zitiert in:" in text


def _chapter(root, name: str, front: str, body: str) -> None:
    (root / "practice-guide" / f"{name}.md").write_text(f"---\ntitle: T\norder: 1\n{front}---\n{body}", encoding="utf-8")


SOURCE = ("quellen:\n  - id: bzga\n    titel: Leitbegriff\n    herausgeber: BZgA\n    datum: 2023-03-12\n"
          "    url: https://example.org/a\n    abgerufen: 2026-12-06\n")


def _problems(root) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_handbook(root)
    return [p.format() for p in caught.value.problems]


def test_an_unknown_source_is_reported_with_line_and_suggestion(content):
    _chapter(content, "k", SOURCE, "\nText.[^bzga]\n\nMehr.[^bzgx]\n")
    [problem] = _problems(content)
    assert problem.endswith("/practice-guide/k.md:15:6: unbekannte Quelle „bzgx“; sie fehlt unter „quellen“ im "
                            "Kopf des Kapitels. Meinten Sie „bzga“?"), problem


def test_a_source_never_cited_and_a_malformed_reference_are_reported(content):
    _chapter(content, "k", SOURCE, "\nText ohne Beleg.[^Bad key] Aber `[^so]` in Code ist erlaubt.\n")
    problems = _problems(content)
    assert any("„[^Bad key]“ ist kein Quellenverweis" in p and "k.md:13:17:" in p for p in problems), problems
    assert any("die Quelle „bzga“ wird im Text nirgends zitiert" in p for p in problems), problems
    assert len(problems) == 2


@pytest.mark.parametrize("field", ["herausgeber", "datum"])
def test_a_source_without_publisher_or_date_is_refused(content, field):
    front = "\n".join(line for line in SOURCE.split("\n") if not line.strip().startswith(f"{field}:")) + "\n"
    _chapter(content, "k", front, "\nText.[^bzga]\n")
    problems = _problems(content)
    assert len(problems) == 1 and "k.md" in problems[0] and field in problems[0], problems


def test_footnotes_render_as_on_record_pages(content):
    _chapter(content, "k", SOURCE.replace("quellen:\n", "quellen:\n  - id: zwei\n    titel: Zweite\n    herausgeber: "
                                          "LVR\n    datum: 2017\n    url: https://example.org/b\n    abgerufen: 2026-12-06\n"),
             "\nErst.[^zwei]\n\n## Teil\n\nDann.[^bzga] Wieder.[^zwei]\n")
    from handbuch.render import Renderer
    page = Renderer(load_handbook(content), changes={}).chapter(load_handbook(content).chapters[0])
    # numbered by first citation: "zwei" is 1
    assert ('Erst.<sup class="handbuch-beleg" data-search-exclude><a href="#quelle-1" id="beleg-1-1">'
            '<span class="handbuch-unsichtbar">Quelle </span>1</a></sup>') in page
    assert '<a href="#quelle-2" id="beleg-2-1">' in page and '<a href="#quelle-1" id="beleg-1-2">' in page
    assert ('<li id="quelle-1"><a href="https://example.org/b">Zweite</a>. LVR, 2017, abgerufen am 06.12.2026.'
            in page)
    assert ('Zitiert in: <a href="#beleg-1-1" title="zurück zur Textstelle">Einleitung</a>, '
            '<a href="#beleg-1-2" title="zurück zur Textstelle">Teil</a>') in page
