"""`make new NAME=…` writes a valid skeleton whose commented fields are valid too."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import REPO
from handbuch.loader import load_handbook


def make_new(content, *args):
    return subprocess.run(["make", "--no-print-directory", "new", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "HANDBUCH_CONTENT": str(content)})


def uncomment(text: str) -> str:
    return "\n".join(re.sub(r"^# (?=( *)([a-z_]+:|- ))", "", line) for line in text.splitlines()) + "\n"


def test_skeleton_is_valid_and_marked_as_example(content):
    result = make_new(content, "NAME=Stadt Beispiel", "KREIS=Kreis Beispiel")
    assert result.returncode == 0, result.stderr
    path = content / "municipalities" / "stadt-beispiel.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/kommune.schema.json\n")
    assert "So wird daraus ein echter Datensatz" in text and "# erlaubt: informationsnetzwerk | " in text
    record = load_handbook(content).municipalities[0].record
    assert (record.name, record.kreis, record.art, record.beispiel) == (
        "Stadt Beispiel", "Kreis Beispiel", "kreisangehoerige-stadt", True)
    assert record.ags.startswith("99")


def test_every_commented_field_is_valid_once_enabled(content):
    assert make_new(content, "NAME=Stadt Beispiel").returncode == 0
    path = content / "municipalities" / "stadt-beispiel.yml"
    path.write_text(uncomment(path.read_text(encoding="utf-8")), encoding="utf-8")
    record = load_handbook(content).municipalities[0].record
    assert record.programme and record.koordination and record.kontakt and record.massnahmen
    assert record.kontakt.email == "name@example.org"


def test_second_record_gets_a_fresh_example_ags_and_existing_files_are_kept(content):
    assert make_new(content, "NAME=Stadt Beispiel").returncode == 0
    assert make_new(content, "NAME=Zweite Stadt").returncode == 0
    again = make_new(content, "NAME=Stadt Beispiel")
    assert again.returncode != 0 and "gibt es schon" in again.stderr
    assert len({m.record.ags for m in load_handbook(content).municipalities}) == 2


def test_without_name_explains_the_call(content):
    result = make_new(content)
    assert result.returncode != 0 and 'make new NAME="Stadt Beispiel"' in result.stdout
