"""Writes schemas/kommune.schema.json from the model and the vocabularies (make schema)."""

from __future__ import annotations

import sys

import _bootstrap  # noqa: F401

from handbuch.loader import REPOSITORY, content_root, load_vocabularies
from handbuch.problems import ContentError
from handbuch.schema import SCHEMA_FILE, schema_text


def main() -> int:
    problems: list = []
    vocabularies = load_vocabularies(content_root(), problems)
    if vocabularies is None:
        print(ContentError(problems).report(), file=sys.stderr)
        return 1
    target = REPOSITORY / SCHEMA_FILE
    target.parent.mkdir(exist_ok=True)
    target.write_text(schema_text(vocabularies), encoding="utf-8")
    print(f"{SCHEMA_FILE} geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
