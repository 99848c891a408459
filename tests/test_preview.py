"""`make serve` (mkdocs serve --dirty): the preview rebuilds only what a save touches, and stays correct.

Correctness, not timing (scripts/bench.py measures the time): a real `mkdocs serve --dirty` on a copy
of the shipped content follows edits, broken saves, deletions and renames; and pages built through
a chain of preview rebuilds equal a clean build of the same content byte for byte, apart from the
provenance line of the footer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from browser import fetch, free_port
from conftest import CONTENT, REPO, run_build

pytestmark = pytest.mark.slow

RECORD = "kerpen"  # a real record the tests edit
OTHER = "bergheim"  # deleted in the serve test
MOVED = ("nettetal", "nettetal-vorschau")  # renamed in the serve test


@pytest.fixture
def copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_for(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def recorded(page: str) -> int:
    """'N der 39 Kommunen im Rheinland sind im Handbuch erfasst' on the LVR programme's page."""
    found = re.search(r"(\d+) der \d+ Kommunen im Rheinland sind im Handbuch erfasst", page)
    assert found, "programme figure missing"
    return int(found.group(1))


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


# An example record (beispiel: true) needs an AGS starting with 99; it stops counting as a programme municipality.
TO_EXAMPLE = [("beispiel: false", "beispiel: true"), ('ags: "05362032"', 'ags: "99362032"')]
TO_REAL = [(new, old) for old, new in TO_EXAMPLE]


def test_serve_follows_edits_errors_deletions_and_renames(copy, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "HANDBUCH_CONTENT": str(copy), "NO_MKDOCS_2_WARNING": "1", "HANDBUCH_PDF": "false",
           "HANDBUCH_SITE_URL": base}
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr",
                                   f"127.0.0.1:{port}"], cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    record = copy / "municipalities" / f"{RECORD}.yml"
    page = base + f"kommunen/{RECORD}/"
    try:
        assert wait_for(lambda: "<h1" in fetch(page), 120), log.read_text()
        before = recorded(fetch(base + "programme/lvr-teilhabe/"))

        # An edit reaches the record page, the overview and the key figures.
        edit(record, *TO_EXAMPLE)
        assert wait_for(lambda: "Kerpen (Beispiel)" in fetch(page)), log.read_text()
        overview = fetch(base + "kommunen/")
        assert re.search(r"Kerpen</a> \(erfundenes Beispiel\)", overview)
        assert recorded(fetch(base + "programme/lvr-teilhabe/")) == before - 1

        # A broken save: German file:line messages in the terminal and on every served page, which
        # keeps the last good state; the server survives.
        edit(record, ("\nname: Kerpen", "\nnahme: Kerpen"))
        assert wait_for(lambda: json.loads(fetch(base + "vorschau-status.json") or "{}").get("probleme")), \
            log.read_text()
        problems = json.loads(fetch(base + "vorschau-status.json"))["probleme"]
        assert any(f"municipalities/{RECORD}.yml:" in p and "nahme" in p for p in problems), problems
        assert re.search(rf"municipalities/{RECORD}\.yml:\d+:\d+: .*nahme", log.read_text())
        served = fetch(page)
        assert "Kerpen (Beispiel)" in served  # the last good state
        assert "vorschau-status.json" in served and "Vorschau nicht aktuell" in served  # the notice's script

        # The next good save recovers without a restart.
        edit(record, ("\nnahme: Kerpen", "\nname: Kerpen"), *TO_REAL)
        assert wait_for(lambda: "Kerpen (Beispiel)" not in fetch(page) and "<h1" in fetch(page)), log.read_text()
        assert json.loads(fetch(base + "vorschau-status.json")) == {"probleme": []}
        assert recorded(fetch(base + "programme/lvr-teilhabe/")) == before

        # A deleted record's page disappears; a renamed file moves its page.
        (copy / "municipalities" / f"{OTHER}.yml").unlink()
        old, new = MOVED
        (copy / "municipalities" / f"{old}.yml").rename(copy / "municipalities" / f"{new}.yml")
        assert wait_for(lambda: status(base + f"kommunen/{new}/") == 200), log.read_text()
        assert status(base + f"kommunen/{OTHER}/") == 404
        assert status(base + f"kommunen/{old}/") == 404
        overview = fetch(base + "kommunen/")
        assert f'href="{OTHER}/"' not in overview and f'href="{new}/"' in overview
        assert recorded(fetch(base + "programme/lvr-teilhabe/")) == before - 1
        # The preview's search index may lag in its hidden words, but holds each page once, and
        # no page that is gone.
        locations = [doc["location"] for doc in json.loads(fetch(base + "search/search_index.json"))["docs"]]
        assert sorted({loc for loc in locations if locations.count(loc) > 1}) == []
        assert not [loc for loc in locations if loc.startswith((f"kommunen/{OTHER}/", f"kommunen/{old}/"))]
        assert f"kommunen/{new}/" in locations
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


PROVENANCE = re.compile(rb"\s*Inhalte vom .*?gebaut am [^<]*", re.DOTALL)
# What `mkdocs serve` adds to each page it serves: its reload script and the preview's status script
# (Preview.inject_status), plain <script> elements right before </body>; built pages have none there.
INJECTED = re.compile(rb"(?:<script>(?:(?!<script).)*</script>)+(?=</body>\s*</html>\s*$)", re.DOTALL)
GENERATED_DATA = ["massnahmen/daten.js"]  # generated files besides pages that the tests compare too


def _pages(site: Path) -> dict[str, bytes]:
    pages = {path.relative_to(site).as_posix(): PROVENANCE.sub(b"", path.read_bytes())
             for path in sorted(site.rglob("*.html"))}
    return {**pages, **{name: (site / name).read_bytes() for name in GENERATED_DATA if (site / name).is_file()}}


def _served(base: str, name: str) -> bytes | None:
    """A file as `mkdocs serve` delivers it, without what the server injects; None when it is missing."""
    try:
        with urllib.request.urlopen(base + name, timeout=30) as response:
            return PROVENANCE.sub(b"", INJECTED.sub(b"", response.read()))
    except urllib.error.HTTPError as error:
        assert error.code == 404, (name, error.code)
        return None


def _epoch(base: str, after: int = 0) -> int:
    """MkDocs' build epoch: answers at once when it is newer than ``after``, else when the next build ends."""
    with urllib.request.urlopen(f"{base}livereload/{after}/1", timeout=120) as response:
        return int(response.read())


KERPEN_SOURCE = "belegt: [massnahmen.lernfoerderung-fuer-grundschueler, "
NEW_MEASURE = "  - titel: Ferienprogramm Vorschau\n    handlungsfeld: schule\n    lebensphasen: [grundschule]\n"
NEW_RECORD = "neustadt-vorschau"
SWIMMING = ("  - titel: Schwimmkurse\n    handlungsfeld: gesundheit\n"
            "    beschreibung: Den Transport ins Hallenbad organisiert die Koordinierungsstelle mit.\n")


def test_serve_equals_a_clean_build_after_every_kind_of_edit(copy, tmp_path):
    """A real `mkdocs serve --dirty` (make serve) after edits of every kind an editor makes, each followed
    by the rebuild it triggers: every page and data file it serves equals a clean build of the same
    content byte for byte, apart from the provenance line of the footer and the scripts it injects."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "HANDBUCH_CONTENT": str(copy), "NO_MKDOCS_2_WARNING": "1", "HANDBUCH_PDF": "false",
           "HANDBUCH_SITE_URL": base}
    folder = copy / "municipalities"
    record = (folder / f"{RECORD}.yml").read_text(encoding="utf-8")
    new_record = record.replace("\nname: Kerpen", "\nname: Neustadt Vorschau").replace('ags: "05362032"', 'ags: "05362099"')
    # Each step: (file, old, new) edits, a deletion (None as old), a rename ("->" and the new name), a new
    # file ("+" and its text).
    steps = [
        [(f"{RECORD}.yml", "\nbeschreibung: |\n", "\nbeschreibung: |\n  Neu in der Vorschau.\n")],  # description
        [(f"{RECORD}.yml", KERPEN_SOURCE, KERPEN_SOURCE + "netzwerk.stufe, "),  # a field of the key figures
         (f"{RECORD}.yml", "\nmassnahmen:\n", "\nnetzwerk:\n  stufe: produktionsnetzwerk\nmassnahmen:\n")],
        [(f"{RECORD}.yml", *pair) for pair in TO_EXAMPLE],  # overview, key figures, chapters
        [(f"{RECORD}.yml", "\nname: Kerpen", "\nnahme: Kerpen")],  # broken: the last good state stays
        [(f"{RECORD}.yml", "\nnahme: Kerpen", "\nname: Kerpen Vorschau")],  # fixed, renamed municipality
        [(f"{RECORD}.yml", *pair) for pair in TO_REAL],
        [("emmerich-am-rhein.yml", old, new) for old, new in [  # a measure's title, and its source's reference
            ("massnahmen.familienfruehstueck-im", "massnahmen.familienbrunch-im"),
            ("titel: Familienfrühstück", "titel: Familienbrunch")]],
        [(f"{RECORD}.yml", KERPEN_SOURCE, KERPEN_SOURCE + "massnahmen.ferienprogramm-vorschau, "),  # added measure
         (f"{RECORD}.yml", "\nmassnahmen:\n", "\nmassnahmen:\n" + NEW_MEASURE)],
        [(f"{RECORD}.yml", "massnahmen.schwimmkurse, ", ""),  # removed measure (others show it as similar)
         (f"{RECORD}.yml", SWIMMING, "")],
        [(f"{NEW_RECORD}.yml", "+", new_record)],  # a new record
        [(f"{OTHER}.yml", None, None)],  # deleted
        [(f"{MOVED[0]}.yml", "->", f"{MOVED[1]}.yml")],  # renamed file
    ]
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr",
                                   f"127.0.0.1:{port}"], cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        assert wait_for(lambda: "<h1" in fetch(base + f"kommunen/{RECORD}/"), 120), log.read_text()
        epoch = _epoch(base)
        for step in steps:
            for name, old, new in step:
                path = folder / name
                if old is None:
                    path.unlink()
                elif old == "->":
                    path.rename(folder / new)
                elif old == "+":
                    path.write_text(new, encoding="utf-8")
                else:
                    edit(path, (old, new))
            epoch = _epoch(base, epoch)
        assert "nahme" in log.read_text()  # the broken step was reported
        result = run_build(tmp_path / "clean", copy, env={"HANDBUCH_SITE_URL": base})
        assert result.returncode == 0, result.output
        built = _pages(result.site)
        served = {name: _served(base, name) for name in built}
        assert f"kommunen/{OTHER}/index.html" not in built and f"kommunen/{MOVED[1]}/index.html" in built
        assert _served(base, f"kommunen/{OTHER}/") is None and _served(base, f"kommunen/{MOVED[0]}/") is None
        data = built["massnahmen/daten.js"].decode()
        assert "Familienbrunch" in data and "Ferienprogramm Vorschau" in data and "Neustadt Vorschau" in data
        assert "Kerpen Vorschau".encode() in built["kommunen/index.html"]
        differing = [name for name in built if served[name] != built[name]]
        assert not differing, differing
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pages_rendered_in_a_second_process_equal_those_of_one(tmp_path):
    """From parallel.MIN_RECORDS records on, `mkdocs build` renders the generated pages in a forked child."""
    from synthetic import write_content

    content = write_content(tmp_path / "content", 110, 3)
    serial = run_build(tmp_path / "serial", content, pdf=True, env={"HANDBUCH_PARALLEL": "false"})
    forked = run_build(tmp_path / "forked", content, "--verbose", pdf=True)
    assert serial.returncode == 0 and forked.returncode == 0, serial.output + forked.output
    assert "erzeugte Seiten entstehen in einem zweiten Prozess" in forked.output
    assert "Der Suchindex entsteht in einem zweiten Prozess" in forked.output
    one, two = _pages(serial.site), _pages(forked.site)
    assert len(one) > 110 and sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    # The child also makes the open data and the PDF (after the pages); a second one the search index.
    others = ["daten/kommunen.json", "daten/kommunen.csv", "daten/massnahmen.csv", "daten/kennzahlen.json",
              "downloads/praxisleitfaden.pdf", "search/search_index.json"]
    assert [name for name in others if (serial.site / name).read_bytes() != (forked.site / name).read_bytes()] == []
