"""Files in the repository derived from model and vocabularies, and their freshness check."""

from __future__ import annotations

from .cms import CMS_CONFIG_FILE, cms_config_text
from .guide import GUIDE_FILE
from .loader import REPOSITORY, Handbook
from .problems import Problem
from .render import contributor_guide_file
from .schema import SCHEMA_FILE, schema_text


def derived_files(handbook: Handbook) -> dict[str, str]:
    return {SCHEMA_FILE: schema_text(handbook.vocabularies), GUIDE_FILE: contributor_guide_file(handbook),
            CMS_CONFIG_FILE: cms_config_text(handbook.vocabularies)}


def stale_files(handbook: Handbook) -> list[Problem]:
    """Only the repository's own content root has committed derived files."""
    if handbook.root.resolve() != (REPOSITORY / "content").resolve():
        return []
    problems = []
    for name, text in derived_files(handbook).items():
        path = REPOSITORY / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            problems.append(Problem(name, 1, 1, None, "Die Datei passt nicht mehr zu Datenmodell und Vokabularen; "
                                    "bitte „make schema“ ausführen und die geänderte Datei mit einreichen."))
    return problems
