"""Writes the files derived from model and vocabularies: the JSON Schema, CONTRIBUTING.md and the
form editor's configuration.

Run with `make schema` after changing the model or content/vocabularies.yml;
`make validate` and the tests fail while either file is stale.
"""

from __future__ import annotations

import sys

import _bootstrap

from handbuch.derived import derived_files
from handbuch.loader import REPOSITORY
from handbuch.problems import ContentError


def main() -> int:
    handbook = _bootstrap.load_or_exit()
    try:
        files = derived_files(handbook)
    except ContentError as error:  # e.g. a model field the form editor has no widget for
        print(error.report(), file=sys.stderr)
        return 1
    for name, text in files.items():
        (REPOSITORY / name).parent.mkdir(exist_ok=True)
        (REPOSITORY / name).write_text(text, encoding="utf-8")
        print(f"{name} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
