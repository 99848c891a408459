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


def _pages(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): PROVENANCE.sub(b"", path.read_bytes())
            for path in sorted(site.rglob("*.html"))}


def test_a_chain_of_preview_rebuilds_equals_a_clean_build(copy, tmp_path):
    """Edits of several kinds, each followed by a preview rebuild (mkdocs serve --dirty's builder)."""
    site, clean = tmp_path / "preview", tmp_path / "clean"
    url = "http://127.0.0.1:8765/"
    script = tmp_path / "chain.py"
    municipalities = copy / "municipalities"
    # Each step: (file, old, new) edits, a deletion (None as new text) or a rename ("->name").
    steps = [
        [],  # the first build
        [(f"{RECORD}.yml", old, new) for old, new in TO_EXAMPLE],  # overview, key figures, chapters
        [(f"{RECORD}.yml", "\nname: Kerpen", "\nnahme: Kerpen")],  # broken: the last good state stays
        [(f"{RECORD}.yml", "\nnahme: Kerpen", "\nname: Kerpen Vorschau")],  # fixed, renamed municipality
        # a measure renamed, and its source's path with it: measures overview, similar measures elsewhere
        [("emmerich-am-rhein.yml", "titel: Familienfrühstück", "titel: Familienbrunch"),
         ("emmerich-am-rhein.yml", "massnahmen.familienfruehstueck-im", "massnahmen.familienbrunch-im")],
        [(f"{OTHER}.yml", None, None)],  # deleted
        [(f"{MOVED[0]}.yml", "->", f"{MOVED[1]}.yml")],  # renamed file
    ]
    script.write_text(f"""
import json, os, pathlib, sys
sys.path.insert(0, {str(REPO / "hooks")!r})
from mkdocs.config import load_config
from mkdocs.commands.build import build
steps = json.loads({json.dumps(json.dumps(steps))})
folder = pathlib.Path({str(municipalities)!r})
def config():
    c = load_config({str(REPO / "mkdocs.yml")!r}, site_dir={str(site)!r})
    c.site_url = {url!r}
    return c
first = config()
first.plugins.on_startup(command="serve", dirty=True)
for number, step in enumerate(steps):
    for name, old, new in step:
        path = folder / name
        if old is None:
            path.unlink()
        elif old == "->":
            path.rename(folder / new)
        else:
            path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    build(first if number == 0 else config(), serve_url={url!r}, dirty=True)
    print("built", number, flush=True)
""", encoding="utf-8")
    env = {**os.environ, "HANDBUCH_CONTENT": str(copy), "NO_MKDOCS_2_WARNING": "1", "HANDBUCH_PDF": "false",
           "HANDBUCH_SITE_URL": url}
    chain = subprocess.run([sys.executable, str(script)], cwd=REPO, env=env, capture_output=True, text=True,
                           timeout=600)
    assert chain.returncode == 0, chain.stdout + chain.stderr
    assert "nahme" in chain.stderr  # the broken step was reported
    result = run_build(clean, copy, env={"HANDBUCH_SITE_URL": url})
    assert result.returncode == 0, result.output
    preview, built = _pages(site), _pages(clean)
    assert sorted(preview) == sorted(built)
    assert f"kommunen/{OTHER}/index.html" not in preview and f"kommunen/{MOVED[1]}/index.html" in preview
    assert "Familienbrunch".encode() in built["massnahmen/index.html"]
    assert "Kerpen Vorschau".encode() in built["kommunen/index.html"]
    differing = [name for name in built if preview[name] != built[name]]
    assert not differing, differing


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
