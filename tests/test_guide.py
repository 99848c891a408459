"""The contributor guide is generated from model and vocabularies and published as /mitwirken/."""

from __future__ import annotations

import re

from conftest import CONTENT, REPO
from handbuch.derived import derived_files
from handbuch.guide import GUIDE_FILE
from handbuch.loader import load_handbook
from handbuch.model import field_paths


def test_committed_contributing_md_is_current():
    expected = derived_files(load_handbook(CONTENT))[GUIDE_FILE]
    assert (REPO / GUIDE_FILE).read_text(encoding="utf-8") == expected, "CONTRIBUTING.md is stale: run `make schema`"


def test_guide_page_lists_every_field_and_a_real_error(real_build):
    page = real_build.page("mitwirken")
    for path in field_paths():
        assert f"<code>{path}</code>" in page, path
    assert re.search(r"content/municipalities/beispielstadt\.yml:\d+:\d+: Feld „massnahmen\[1\]\.handlungsfeld“: "
                     r"unbekannter Wert „fruehe-hilfe“", page)
    assert "Meinten Sie „fruehe-hilfen“?" in page
    assert "Im Browser bearbeiten" in page and "Eine Fehlermeldung lesen" in page


def test_guide_is_in_the_navigation(real_build):
    assert 'href="mitwirken/"' in real_build.page("")
