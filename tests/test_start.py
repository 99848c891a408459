"""The generated start page: ways in by task, the programmes at a glance, recent records, downloads."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

from conftest import CONTENT, run_build, write_real
from handbuch import aggregates
from handbuch.loader import load_handbook
from handbuch.start import recently_changed

WAYS_IN = ("Die Idee verstehen", "Koordination aufbauen", "Eine Sitzung der Steuerungsgruppe vorbereiten",
           "Beispiele finden", "Ohne Internet nutzen")


def text_of(html: str) -> str:
    article = html[html.index("<article"): html.index("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


def cards(html: str) -> dict[str, str]:
    """Each way-in card's HTML by its title."""
    grid = html[html.index('class="grid cards handbuch-wege"'):]
    grid = grid[: grid.index("</div>")]
    parts = re.split(r"<li>\s*<p><strong>(.*?)</strong></p>", grid)
    return {unescape(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def resolves(site: Path, href: str) -> bool:
    """A link of the start page points at a file of the site (and its anchor at an id there)."""
    path, _, anchor = urljoin("/", href).lstrip("/").partition("#")
    target = site / path / "index.html" if path == "" or path.endswith("/") else site / path
    if not target.is_file():
        return False
    return not anchor or f'id="{anchor}"' in target.read_text(encoding="utf-8", errors="replace")


def test_start_page_offers_the_ways_in_with_chapter_titles_from_the_guide(real_build):
    html = real_build.page("")
    found = cards(html)
    assert all(way in found for way in WAYS_IN), list(found)
    chapters = {c.slug: c.meta.title for c in load_handbook(CONTENT).chapters}
    idea, coordination, meeting = found[WAYS_IN[0]], found[WAYS_IN[1]], found[WAYS_IN[2]]
    assert f'href="leitfaden/kinderarmut-und-praeventionsketten/">{chapters["kinderarmut-und-praeventionsketten"]}' \
        in idea
    assert f'href="leitfaden/koordination-verankern/">{chapters["koordination-verankern"]}' in coordination
    # the meeting card jumps to the section on preparing a meeting, anchor and heading from the chapter
    assert re.search(r'href="leitfaden/steuerung/#vorbereitung-einer-steuerungsgruppensitzung">'
                     r'Vorbereitung einer Steuerungsgruppensitzung<', meeting)
    assert 'href="kommunen/"' in found["Beispiele finden"] and 'href="massnahmen/#finden"' in found["Beispiele finden"]
    assert 'href="programme/"' in found["Beispiele finden"]
    for href in re.findall(r'href="([^"]+)"', "".join(found.values())):
        assert resolves(real_build.site, href), href
    # each card lists at least two links: a renamed chapter would leave one empty
    assert all(len(re.findall(r"<li>", card)) >= 2 for card in found.values()), found


def test_start_page_shows_every_programme_at_a_glance(real_build):
    html = real_build.page("")
    text = text_of(html).replace("LVR -Programm", "LVR-Programm")  # the glossary's <abbr> around "LVR"
    handbook = load_handbook(CONTENT)
    for slug, programme in handbook.vocabularies.programme.items():
        assert f'href="programme/{slug}/"' in html
        counted = aggregates.programme(handbook, slug).counted
        total = programme.total
        assert re.search(rf"{re.escape(programme.kurzname)} {re.escape(programme.years)} {total.wert}\b[^|]*?\) {counted}\b",
                         text), slug


def test_start_page_lists_recently_updated_records_and_the_pdf(real_build):
    html = real_build.page("")
    handbook = load_handbook(CONTENT)
    section = html[html.index('id="zuletzt-aktualisiert"'):]
    section = section[: section.index("</ul>")]
    links = re.findall(r'href="kommunen/([^/"]+)/"', section)
    assert 1 <= len(links) <= 5 and set(links) <= {m.slug for m in handbook.municipalities}
    assert re.search(r"\d\d\.\d\d\.20\d\d", section)
    pdf = re.search(r'href="([^"]+\.pdf)"', found := cards(html)["Ohne Internet nutzen"])
    assert pdf and resolves(real_build.site, pdf.group(1)), found
    # without a bundle handed in there is no link to a zip, only where to get one
    assert ".zip" not in html and "herausgebende Stelle" in text_of(html)


def test_recent_records_without_git_fall_back_to_their_stand(content):
    write_real(content, 1, "stand: 2025-03-01\n")
    write_real(content, 2)
    write_real(content, 3, "stand: 2026-01-15\n")
    recent = recently_changed(load_handbook(content), None)
    assert [r.municipality.slug for r in recent] == ["k3", "k1"] and not recent[0].from_git
    changes = {(content / "municipalities" / "k2.yml").resolve(): dt.date(2026, 2, 1)}
    assert recently_changed(load_handbook(content), changes)[0].municipality.slug == "k2"


def test_offline_bundle_handed_in_is_linked_and_shipped(content, tmp_path):
    bundle = tmp_path / "handbuch-offline-2026-01-01.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("h/index.html", "<p>offline</p>")
    write_real(content, 1)
    build = run_build(tmp_path / "site", content, env={"HANDBUCH_OFFLINE_PAKET": str(bundle)})
    assert build.returncode == 0, build.output
    html = build.page("")
    link = re.search(r'href="([^"]+\.zip)"', html)
    assert link and resolves(build.site, link.group(1))
    assert (build.site / link.group(1)).read_bytes() == bundle.read_bytes()
    missing = run_build(tmp_path / "site2", content, env={"HANDBUCH_OFFLINE_PAKET": str(tmp_path / "nope.zip")})
    assert missing.returncode != 0 and "HANDBUCH_OFFLINE_PAKET" in missing.output and "Traceback" not in missing.output


def test_offline_bundle_start_page_says_it_is_offline(bundle):
    html = (bundle / "index.html").read_text(encoding="utf-8")
    assert "Sie nutzen gerade die Offline-Ausgabe" in text_of(html) and ".zip" not in html
    pdf = re.search(r'href="([^"]+\.pdf)"', html)
    assert pdf and (bundle / pdf.group(1)).is_file()
    for href in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', html[html.index("<article"):html.index("</article>")]):
        assert (bundle / href).is_file(), href  # .html addresses of the bundle
