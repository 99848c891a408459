"""'Stand der Daten' from the record, 'zuletzt geändert' from git: one call, or a clear note."""

from __future__ import annotations

import os
import subprocess

from conftest import VALID, one_source, write_record
from handbuch import provenance
from handbuch.loader import load_handbook
from handbuch.render import generate


def git(root, *args, date="2020-05-04T12:00:00"):
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def page(handbook, uri):
    return next(p.markdown for p in generate(handbook) if p.src_uri == uri)


def test_dates_come_from_one_git_call(content, monkeypatch):
    write_record(content, "eins", VALID + "    stand: 2017-06-30\n")
    write_record(content, "zwei", VALID.replace("Teststadt", "Zweistadt").replace("99000010", "99000011"))
    git(content, "init", "-q")
    git(content, "add", ".")
    git(content, "commit", "-qm", "eins", date="2020-05-04T12:00:00")
    (content / "municipalities" / "zwei.yml").write_text(
        (content / "municipalities" / "zwei.yml").read_text(encoding="utf-8") + "jugendamt: JA\n", encoding="utf-8")
    git(content, "commit", "-qam", "zwei", date="2021-07-08T12:00:00")

    calls = []
    real_run = subprocess.run
    monkeypatch.setattr(provenance.subprocess, "run", lambda *a, **k: calls.append(a) or real_run(*a, **k))
    handbook = load_handbook(content)
    eins = page(handbook, "kommunen/eins.md")
    assert len([c for c in calls if c[0][0] == "git"]) == 1
    assert "Stand der Daten: 30.06.2017 · zuletzt geändert: 04.05.2020" in eins
    assert "Zuletzt geändert: 08.07.2021" in page(handbook, "kommunen/zwei.md")


def test_without_git_history_the_page_says_so(content, monkeypatch):
    write_record(content, "eins", VALID)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(content.parent))  # no repository above the temp dir
    assert provenance.last_changes(content) is None
    text = page(load_handbook(content), "kommunen/eins.md")
    # no `stand` and no source lookup date: no "Stand der Daten: keine Angabe", which read as "outdated"
    assert "Stand der Daten" not in text
    assert "Zuletzt geändert: nicht bekannt \\(keine Versionsgeschichte verfügbar\\)" in text


def test_without_stand_the_newest_source_lookup_dates_the_record(content):
    text = 'name: K1\nart: kreisfreie-stadt\nags: "05000001"\n'
    write_record(content, "k1", text + one_source(text).replace("titel: Test,", "titel: Test, abgerufen: 2026-03-02,"))
    page_text = page(load_handbook(content), "kommunen/k1.md")
    assert "Quellen abgerufen bis 02.03.2026 · zuletzt geändert:" in page_text
    assert "Stand der Daten" not in page_text


def test_without_git_program(content, monkeypatch):
    write_record(content, "eins", VALID)
    monkeypatch.setenv("PATH", "")
    assert provenance.last_changes(content) is None
    assert "keine Versionsgeschichte" in page(load_handbook(content), "kommunen/eins.md")
