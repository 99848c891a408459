"""`make validate`: all problems, German, non-zero exit, GitHub annotations in Actions."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO, VALID, write_record


def run(content, **env):
    return subprocess.run([sys.executable, "scripts/validate.py"], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "HANDBUCH_CONTENT": str(content), **env})


def test_valid_content_exits_zero(content):
    write_record(content, "teststadt", VALID)
    result = run(content, GITHUB_ACTIONS="false")
    assert result.returncode == 0 and "Inhalte in Ordnung: 1 Kommunen, 1 Maßnahmen" in result.stdout


def test_problems_exit_non_zero_with_annotations_in_github_actions(content):
    write_record(content, "teststadt", VALID.replace("kreis: Testkreis", "kreiss: Testkreis"))
    result = run(content, GITHUB_ACTIONS="true")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "teststadt.yml:4:1: Feld „kreiss“: unbekanntes Feld" in result.stderr
    assert "1 Problem gefunden; die Website wurde nicht gebaut." in result.stderr
    assert "::error file=" in result.stdout and ",line=4,col=1::" in result.stdout


def test_no_annotations_outside_github_actions(content):
    write_record(content, "teststadt", "name: [")
    result = run(content, GITHUB_ACTIONS="")
    assert result.returncode == 1 and "::error" not in result.stdout
