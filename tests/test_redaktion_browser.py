"""The form editor end to end: Chromium against the servers of `make redaktion` (decap-server
and the preview) in a temporary clone of this working tree.

Each test saves through the form and reads the commit the editor made in the clone: the diff
of an edit is exactly the edited line, a new record validates and gets its page, "keine
Angabe" removes a yes/no key, and no request leaves the computer.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

from browser import ARGS, CHROMIUM, fetch, free_port
from conftest import REPO
from test_accessibility import WCAG, serious

sys.path.insert(0, str(REPO / "scripts"))
import redaktion  # noqa: E402

pytestmark = pytest.mark.slow
LOOPBACK = ("http://127.0.0.1:", "data:", "blob:", "about:")
# What remains in Decap's own interface (docs/entwicklung/redaktion.md): icon buttons
# without a name in its top bar and list controls, which no configuration reaches.
DECAP_OWN = {"button-name", "aria-command-name"}


@dataclass
class Editor:
    clone: Path
    site: str
    page: Page
    requests: list[str] = field(default_factory=list)

    def git(self, *args: str) -> str:
        return subprocess.run(["git", "-C", str(self.clone), *args], capture_output=True, text=True,
                              check=True).stdout

    def open(self, fragment: str, name: str = "") -> None:
        """The form of a record (by its name) or a new one; loaded afresh, not from the last form."""
        for attempt in range(5):  # after saving a new record Decap still moves on to its form
            try:
                self.page.goto("about:blank")
                break
            except PlaywrightError:
                self.page.wait_for_timeout(500)
        self.page.goto(f"{self.site}/redaktion/#{fragment}")
        self.page.get_by_label(re.compile("^Name")).first.wait_for(timeout=60_000)
        expect(self.field("Name")).to_have_value(name, timeout=30_000)

    def field(self, label: str, nth: int = 0):
        """The input of the field whose label starts with `label` (Decap links label and input)."""
        target = self.page.locator("label").filter(has_text=re.compile("^" + re.escape(label))).nth(nth)
        return self.page.locator("#" + target.get_attribute("for"))

    def choose(self, label: str, option: str, nth: int = 0) -> None:
        """A select widget (react-select): open it, pick the option by its label."""
        self.field(label, nth).click()
        self.page.get_by_role("option", name=option, exact=True).click()

    def save(self) -> str:
        """Publish (simple mode: one commit in the clone); returns the new commit."""
        before = self.git("rev-parse", "HEAD").strip()
        self.page.get_by_role("button", name="Veröffentlichen").click()
        self.page.get_by_text("Jetzt veröffentlichen").click()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            head = self.git("rev-parse", "HEAD").strip()
            if head != before:
                return head
            time.sleep(0.3)
        raise AssertionError("Der Editor hat nichts gespeichert.")

    def show(self, path: str) -> str:
        return self.git("show", f"HEAD:{path}")


def _working_tree_repo(target: Path) -> None:
    """This working tree as it is (uncommitted changes included), as a fresh repository."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"],
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for name in redaktion.SHARED:  # node_modules and .venv are linked, as make redaktion does
        if (REPO / name).exists():
            (target / name).symlink_to((REPO / name).resolve())
    (target / ".gitignore").write_text((REPO / ".gitignore").read_text() + "node_modules\n.venv\n")
    for command in (["init", "--quiet", "--initial-branch", "main"], ["add", "."],
                    ["-c", "user.name=Test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "Stand"]):
        subprocess.run(["git", "-C", str(target), *command], check=True)


@pytest.fixture(scope="module")
def editor(tmp_path_factory) -> Iterator[Editor]:
    work = tmp_path_factory.mktemp("redaktion")
    (work / "repo").mkdir()
    _working_tree_repo(work / "repo")
    clone = work / "clone"
    redaktion.prepare_clone(work / "repo", clone)
    site_port, proxy_port = free_port(), free_port()
    processes = redaktion.start(clone, site_port, proxy_port, quiet=True)
    site = f"http://127.0.0.1:{site_port}"
    try:
        redaktion.wait_until_up(f"http://127.0.0.1:{proxy_port}/api/v1", processes)
        redaktion.wait_until_up(site + "/", processes)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
            session = Editor(clone, site, context.new_page())
            context.on("request", lambda request: session.requests.append(request.url))
            session.page.goto(site + "/redaktion/")
            session.page.get_by_role("button", name="Login").click()  # decap-server: no password
            session.page.get_by_text("Kommunen").first.wait_for(timeout=60_000)
            try:
                yield session
            finally:
                context.close()
                browser.close()
    finally:
        redaktion.stop(processes)


def test_editing_one_field_changes_exactly_that_line(editor):
    editor.open("/collections/kommunen/entries/bergheim", "Bergheim")
    editor.field("Jugendamt").fill("Jugendamt der Kreisstadt Bergheim (Rhein-Erft-Kreis)")
    commit = editor.save()
    diff = editor.git("diff", "--unified=0", f"{commit}~1", commit, "--", "content/municipalities/bergheim.yml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-jugendamt: Jugendamt der Kreisstadt Bergheim",
                       "+jugendamt: Jugendamt der Kreisstadt Bergheim (Rhein-Erft-Kreis)"], diff
    assert editor.git("show", "--stat", "--format=", commit).count("|") == 1


def test_keine_angabe_removes_a_yes_no_key(editor):
    editor.open("/collections/kommunen/entries/beispielstadt", "Beispielstadt")
    before = editor.show("content/municipalities/beispielstadt.yml")
    assert "    monitoring_projekt: false\n" in before  # in the programme entry (data model v3)
    editor.field("Praxisentwicklungsprojekt").select_option(label="keine Angabe")
    editor.save()
    after = editor.show("content/municipalities/beispielstadt.yml")
    assert "monitoring_projekt" not in after
    assert before.replace("    monitoring_projekt: false\n", "") == after


def test_new_record_with_two_measures_validates_and_gets_its_page(editor):
    editor.open("/collections/kommunen/new")
    editor.field("Name").fill("Musterdorf Süd")
    editor.choose("Art der Gebietskörperschaft", "Kreisangehörige Gemeinde")
    editor.field("Kreis").fill("Kreis Muster")
    editor.field("Amtlicher Gemeindeschlüssel").fill("99999001")
    editor.field("Beispiel-Datensatz").click()
    for number, (title, area) in enumerate([("Willkommensbesuche", "Frühe Hilfen"),
                                            ("Elterncafé: offen für alle", "Familienbildung")]):
        editor.page.get_by_role("button", name=re.compile("maßnahme hinzufügen", re.I)).click()
        editor.field("Titel", number).fill(title)
        editor.choose("Handlungsfeld", area, number)
    editor.save()
    path = "content/municipalities/musterdorf-sued.yml"
    text = editor.show(path)
    assert text.startswith("# yaml-language-server: $schema=../../schemas/kommune.schema.json\nname: Musterdorf Süd\n")
    assert 'ags: "99999001"' in text and "beispiel: true" in text
    assert "  - titel: Willkommensbesuche\n    handlungsfeld: fruehe-hilfen\n" in text
    assert '  - titel: "Elterncafé: offen für alle"\n    handlungsfeld: familienbildung\n' in text
    assert "_dateiname" not in text and ": null" not in text and '""' not in text
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=editor.clone, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # The preview rebuilds from the clone and shows the new page.
    deadline = time.monotonic() + 120
    while "Musterdorf Süd" not in fetch(f"{editor.site}/kommunen/musterdorf-sued/") and time.monotonic() < deadline:
        time.sleep(1)
    assert "Willkommensbesuche" in fetch(f"{editor.site}/kommunen/musterdorf-sued/")


def test_typed_texts_reach_file_readers_and_preview_as_typed(editor):
    # Values a YAML reader would misread unquoted, and a description with Markdown-like lines.
    jugendamt = "%-Anteil der Kinder: no #1"
    beschreibung = "# Überschrift\n- Punkt eins\n  eingerückt\n\n: Doppelpunkt\u00a0und Ende  "
    editor.open("/collections/kommunen/entries/beispielstadt", "Beispielstadt")
    editor.field("Jugendamt").fill(jugendamt)
    editor.field("Beschreibung").fill(beschreibung)
    editor.save()
    path = "content/municipalities/beispielstadt.yml"
    text = editor.show(path)
    assert '\njugendamt: "%-Anteil der Kinder: no #1"\n' in text, text
    assert ("\nbeschreibung: |-\n  # Überschrift\n  - Punkt eins\n    eingerückt\n\n"
            "  : Doppelpunkt\u00a0und Ende  \nmassnahmen:\n") in text, text
    from handbuch.yamlsafe import load_document

    for data in (load_document(text.encode("utf-8")).data, yaml.safe_load(text)):
        assert (data["jugendamt"], data["beschreibung"]) == (jugendamt, beschreibung)
    result = subprocess.run([sys.executable, "scripts/validate.py"], cwd=editor.clone, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    deadline = time.monotonic() + 120
    while jugendamt not in fetch(f"{editor.site}/kommunen/beispielstadt/") and time.monotonic() < deadline:
        time.sleep(1)
    page = fetch(f"{editor.site}/kommunen/beispielstadt/")
    assert jugendamt in page and "Punkt eins" in page and "Doppelpunkt" in page


def test_a_text_the_model_refuses_is_refused_at_the_field(editor):
    editor.open("/collections/kommunen/entries/beispielstadt", "Beispielstadt")
    before = editor.git("rev-parse", "HEAD")
    editor.field("Jugendamt").fill(" Jugendamt mit Leerzeichen vorn")
    editor.page.get_by_role("button", name="Veröffentlichen").click()
    editor.page.get_by_text("Jetzt veröffentlichen").click()
    message = editor.page.get_by_text(re.compile("ohne Leerzeichen am Anfang oder Ende"))
    expect(message.first).to_be_visible(timeout=10_000)
    editor.page.wait_for_timeout(1000)
    assert editor.git("rev-parse", "HEAD") == before  # nothing saved


def test_the_form_page_is_accessible_as_far_as_we_control_it(editor):
    editor.open("/collections/kommunen/entries/beispielstadt", "Beispielstadt")
    found = [line for line in serious(Axe().run(editor.page, options=WCAG))
             if line.split(" ", 1)[0] not in DECAP_OWN]
    assert found == [], "\n".join(found)


def test_no_request_leaves_loopback(editor):
    # Runs last: every page the tests above opened is in the record.
    assert editor.requests
    assert [url for url in editor.requests if not url.startswith(LOOPBACK)] == []


def test_make_redaktion_prints_both_addresses_and_stops_both_on_ctrl_c(tmp_path):
    site_port, proxy_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "scripts/redaktion.py", "--clone", str(tmp_path / "clone"), "--port", str(site_port),
         "--proxy-port", str(proxy_port)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "Strg+C" in line:
                break
        output = "".join(lines)
        assert f"http://127.0.0.1:{site_port}/redaktion/" in output, output
        assert f"http://127.0.0.1:{proxy_port}/api/v1" in output
        assert fetch(f"http://127.0.0.1:{site_port}/redaktion/").startswith("<!doctype html>")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert "beendet" in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
    assert fetch(f"http://127.0.0.1:{site_port}/") == ""  # both servers are gone
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", proxy_port), timeout=2).close()
    # the user's working tree is not the one decap-server works in
    assert (tmp_path / "clone" / ".git").is_dir()
