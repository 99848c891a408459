"""Style rules for the practice guide (content/practice-guide/*.md), checked on the sources and on the built site.

Every chapter: front matter with title, order and description; no empty sections; at least one
practice tip; relative links only to pages that exist; a closing "## Quellen" list. Every chapter
except the programme history (order 0): a "## Beispiele aus den Kommunen" section with a generated
block. On the built site no marker may survive unexpanded.

The checks are small functions so the tests at the bottom can show that each of them really fails.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import CONTENT, REPO

GUIDE = CONTENT / "practice-guide"
DOCS = REPO / "docs"
CHAPTERS = sorted(GUIDE.glob("*.md"))
# Hand-written pages checked here as well (the start page and the sources page).
OWN_PAGES = [p for p in (DOCS / "index.md", DOCS / "quellen.md") if p.is_file()]
# Pages the hooks generate; they exist on the site but not as files in docs/.
GENERATED = {"kommunen/index.md", "massnahmen/index.md", "kennzahlen/index.md", "leitfaden/index.md", "mitwirken.md",
             "leitfaden/arbeitshilfen/index.md", "programme/index.md"}
EXCLUDED_DOCS = ("entwicklung/", "overrides/")  # exclude_docs in mkdocs.yml: not published

BEISPIELE = "Beispiele aus den Kommunen"
MARKER = "<!-- handbuch:"
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+\S")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
ADMONITION = re.compile(r"^(!!!|\?\?\?\+?)\s+\w+")
PRAXISTIPP = '!!! tip "Praxistipp"'


# --- helpers -------------------------------------------------------------------------------------

def split_front_matter(text: str) -> tuple[dict[str, str] | None, str, int]:
    """(top-level ``key: value`` pairs, body, line number of the body's first line); None without front matter."""
    match = re.match(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", text, re.DOTALL)
    if not match:
        return None, text, 1
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key and not key[0].isspace() and not key.startswith("#"):
            meta[key.strip()] = value.strip().strip("\"'")
    return meta, text[match.end():], match.group(0).count("\n") + 1


def content_lines(body: str) -> list[tuple[int, str]]:
    """(index, line) of the lines outside fenced code blocks."""
    out, fenced = [], False
    for index, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append((index, line))
    return out


def headings(body: str) -> list[tuple[int, int, str]]:
    """(line index, level, text) of the Markdown headings outside code blocks."""
    return [(i, len(m.group(1)), m.group(2)) for i, line in content_lines(body) if (m := HEADING.match(line))]


def section(body: str, title: str, level: int = 2) -> str | None:
    """The text below the heading ``title`` up to the next heading of the same or a higher level."""
    lines = body.split("\n")
    found = headings(body)
    for n, (index, lvl, text) in enumerate(found):
        if lvl == level and text == title:
            end = next((i for i, lv, _ in found[n + 1:] if lv <= level), len(lines))
            return "\n".join(lines[index + 1: end])
    return None


def empty_sections(body: str) -> list[str]:
    """Headings directly followed (blank lines aside) by another heading or by the end of the file."""
    lines = [(i, line) for i, line in content_lines(body) if line.strip()]
    problems = []
    for n, (_, line) in enumerate(lines):
        if HEADING.match(line) and (n + 1 == len(lines) or HEADING.match(lines[n + 1][1])):
            problems.append(line.strip())
    return problems


def quellen_problems(body: str, footnoted: bool = False) -> list[str]:
    """A chapter ends with its sources: a hand-written "## Quellen" list, or (``footnoted``: sources in the
    front matter, cited as footnotes) none at all, because the template appends the numbered list."""
    found = headings(body)
    if footnoted:
        return ["„## Quellen“ steht doppelt: die Liste entsteht aus „quellen“ im Kopf"] \
            if any(text == "Quellen" for _, _, text in found) else []
    if not found or found[-1][1:] != (2, "Quellen"):
        return ["das Kapitel endet nicht mit dem Abschnitt „## Quellen“"]
    text = section(body, "Quellen") or ""
    if not any(LIST_ITEM.match(line) for line in text.split("\n")):
        return ["„## Quellen“ enthält keinen Listenpunkt"]
    return []


def beispiele_problems(body: str) -> list[str]:
    text = section(body, BEISPIELE)
    if text is None:
        return [f"Abschnitt „## {BEISPIELE}“ fehlt"]
    if not any(line.strip().startswith(MARKER) for line in text.split("\n")):
        return [f"„## {BEISPIELE}“ enthält keine Markierung {MARKER} … -->"]
    return []


def admonition_problems(body: str) -> list[str]:
    """An admonition whose next non-blank line is not indented renders as an empty box."""
    lines = body.split("\n")
    problems = []
    for i, line in content_lines(body):
        if ADMONITION.match(line):
            following = next((x for x in lines[i + 1:] if x.strip()), "")
            if not following.startswith("    "):
                problems.append(f"leerer Hinweiskasten: {line.strip()}")
    return problems


def site_path(page: str) -> str:
    """Where a source file lives in the site's docs tree (chapters are published under leitfaden/)."""
    return f"leitfaden/{page}" if "/" not in page else page


def page_exists(docs_path: str, hand_written: bool = False) -> bool:
    """Does a page with this docs-relative path exist, hand-written or generated?

    Hand-written pages are built with every content root (tests and other deployments set
    HANDBUCH_CONTENT), so they may link to the generated overviews but not to one chapter or record.
    """
    if docs_path in GENERATED:
        return True
    if hand_written and docs_path.startswith(("leitfaden/", "kommunen/")):
        return False
    if docs_path.startswith("leitfaden/"):
        return (GUIDE / docs_path.removeprefix("leitfaden/")).is_file()
    if docs_path.startswith("kommunen/"):
        return (CONTENT / "municipalities" / docs_path.removeprefix("kommunen/")).with_suffix(".yml").is_file()
    if docs_path.startswith(EXCLUDED_DOCS):
        return False
    return (DOCS / docs_path).is_file()


def broken_links(body: str, page: str, hand_written: bool = False) -> list[str]:
    """Relative links to .md files that would not resolve; ``page`` is the source's docs-relative path."""
    base = posixpath.dirname(page)
    problems = []
    for _, line in content_lines(body):
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
                continue  # absolute URLs, mailto:, in-page anchors (absolute paths are MkDocs' business)
            path = target.split("#", 1)[0].split("?", 1)[0]
            if not path.endswith(".md"):
                continue
            resolved = posixpath.normpath(posixpath.join(base, path))
            if resolved.startswith("../") or not page_exists(resolved, hand_written):
                problems.append(target)
    return problems


class VisibleText(HTMLParser):
    """The text a reader sees: everything outside <script>, <style> and comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return " ".join(" ".join(parser.parts).split())


# --- the practice guide's sources ----------------------------------------------------------------

def _chapter(path: Path) -> tuple[dict[str, str] | None, str]:
    meta, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    return meta, body


def test_there_are_chapters():
    assert CHAPTERS, f"keine Kapitel in {GUIDE}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_front_matter_with_title_order_description(path):
    meta, _ = _chapter(path)
    assert meta is not None, f"{path.name}: kein Kopf zwischen zwei Zeilen „---“"
    for key in ("title", "order", "description"):
        assert meta.get(key), f"{path.name}: „{key}“ fehlt oder ist leer"
    assert re.fullmatch(r"\d+", meta["order"]), f"{path.name}: order muss eine ganze Zahl sein, nicht {meta['order']!r}"


def test_chapter_orders_are_unique():
    orders = [(_chapter(p)[0] or {}).get("order") for p in CHAPTERS]
    duplicates = sorted({o for o in orders if orders.count(o) > 1})
    assert not duplicates, f"mehrere Kapitel mit order {duplicates}: die Reihenfolge wäre zufällig"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_opens_with_an_introduction(path):
    _, body = _chapter(path)
    first = next((line for _, line in content_lines(body) if line.strip()), "")
    assert first and not HEADING.match(first) and not first.startswith(("<!--", "!!!", "|", "-")), \
        f"{path.name}: das Kapitel beginnt nicht mit einem einleitenden Absatz"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_ends_with_sources(path):
    meta, body = _chapter(path)
    assert quellen_problems(body, footnoted="quellen" in (meta or {})) == [], path.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_no_empty_sections(path):
    _, body = _chapter(path)
    assert empty_sections(body) == [], path.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_has_a_practice_tip_and_no_empty_admonitions(path):
    _, body = _chapter(path)
    assert PRAXISTIPP in body, f"{path.name}: kein Hinweiskasten {PRAXISTIPP}"
    assert admonition_problems(body) == [], path.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_shows_examples_from_the_municipalities(path):
    meta, body = _chapter(path)
    if meta is not None and meta.get("order") == "0":
        pytest.skip("das Kapitel mit order 0 (Programmgeschichte) braucht keine Beispiele")
    assert beispiele_problems(body) == [], path.name


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_links_to_other_chapters(path):
    _, body = _chapter(path)
    others = {p.name for p in CHAPTERS} - {path.name}
    linked = {t.split("#", 1)[0] for _, line in content_lines(body) for t in LINK.findall(line)}
    assert linked & others, f"{path.name}: kein Verweis auf ein anderes Kapitel"


@pytest.mark.parametrize("path", CHAPTERS + OWN_PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_relative_links_point_to_existing_pages(path):
    _, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    hand_written = path.parent != GUIDE
    page = path.relative_to(DOCS).as_posix() if hand_written else site_path(path.name)
    assert broken_links(body, page, hand_written) == [], f"{path.name}: Verweise auf nicht vorhandene Seiten"


# --- the built site ------------------------------------------------------------------------------

@pytest.mark.slow
def test_no_unexpanded_marker_on_the_built_guide(real_build):
    pages = sorted(p.parent for p in (real_build.site / "leitfaden").rglob("index.html"))
    built = {p.relative_to(real_build.site / "leitfaden").as_posix() for p in pages}
    assert {p.stem for p in CHAPTERS} <= built, "nicht jedes Kapitel wurde gebaut"
    for page in pages:
        url = page.relative_to(real_build.site).as_posix()
        html = real_build.page(url)
        assert "<!-- handbuch" not in html, f"{url}: Markierung nicht ersetzt"
        assert "handbuch:" not in VisibleText.of(html), f"{url}: Markierung als sichtbarer Text"


# --- the checks themselves fail on bad input -----------------------------------------------------

def test_checks_catch_bad_chapters():
    bad = "Einleitung.\n\n## Leer\n\n## Beispiele aus den Kommunen\n\nnur Text\n\n## Quellen\n\nkein Listenpunkt\n"
    assert empty_sections(bad) == ["## Leer"]
    assert empty_sections("Text\n\n## Am Ende\n") == ["## Am Ende"]
    assert empty_sections("Text\n\n```\n# kein Titel\n```\n\n## A\n\nText\n") == []
    assert quellen_problems(bad) == ["„## Quellen“ enthält keinen Listenpunkt"]
    assert quellen_problems("## Quellen\n\n- LVR\n\n## Danach\n\nText\n")
    assert quellen_problems("## Quellen\n\n- LVR-Bericht (2017)\n") == []
    assert quellen_problems("Text.[^lvr]\n", footnoted=True) == []
    assert quellen_problems("Text.[^lvr]\n\n## Quellen\n\n- LVR\n", footnoted=True)
    assert beispiele_problems(bad) and beispiele_problems("## Anderes\n\nText\n")
    assert beispiele_problems(f"## {BEISPIELE}\n\n{MARKER} kommunen -->\n\n## Quellen\n\n- x\n") == []
    assert admonition_problems('!!! tip "Praxistipp"\nnicht eingerückt\n')
    assert admonition_problems('!!! tip "Praxistipp"\n    eingerückt\n') == []
    assert split_front_matter("# ohne Kopf\n")[0] is None
    assert split_front_matter("---\ntitle: T\norder: 3\n---\nText\n")[0] == {"title": "T", "order": "3"}


def test_link_check_knows_what_exists():
    chapter = site_path(CHAPTERS[0].name)
    good = ("[a](steuerung.md#kompetenzen-und-mandat) [b](../kommunen/index.md) [c](../kennzahlen/index.md#x) "
            "[d](../ueber.md) [e](https://example.org/x.md) [f](#anker) [g](../mitwirken.md) [h](../kommunen/essen.md)")
    assert broken_links(good, chapter) == []
    bad = "[a](gibt-es-nicht.md) [b](../kommunen/nirgendwo.md) [c](../../raus.md) [d](../entwicklung/README.md)"
    assert broken_links(bad, chapter) == ["gibt-es-nicht.md", "../kommunen/nirgendwo.md", "../../raus.md",
                                          "../entwicklung/README.md"]
    assert broken_links("[Leitfaden](leitfaden/index.md) [x](leitfaden/fehlt.md)", "index.md") == ["leitfaden/fehlt.md"]
    # A hand-written page is built with any content root: overviews yes, a single chapter or record no.
    assert broken_links(f"[L](leitfaden/index.md) [K](leitfaden/{CHAPTERS[0].name}) [E](kommunen/essen.md)", "quellen.md",
                        hand_written=True) == [f"leitfaden/{CHAPTERS[0].name}", "kommunen/essen.md"]


def test_visible_text_ignores_scripts_but_not_text():
    assert "handbuch:" not in VisibleText.of('<script>var x = "handbuch:"</script><p>Text</p>')
    assert "handbuch:" in VisibleText.of("<p>&lt;!-- handbuch: kommunen --&gt;</p>")
