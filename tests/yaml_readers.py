"""Reads record files for the property tests of the form editor's save format
(tests/cms_format_properties.mjs): one JSON request per line on stdin, one answer per line.

Request: {"text": "<the saved file>", "path": ["massnahmen", 0, "titel"]}
Answer:  {"alles": <the whole record, handbook's loader (YAML 1.2)>,
          "handbuch": <value at path, handbook's loader>,
          "pyyaml": <value at path, PyYAML's SafeLoader (YAML 1.1, pure Python)>,
          "pyyaml_c": <value at path, PyYAML's CSafeLoader (libyaml)>,
          "probleme": [<what the model (make validate) says about the value of this field>]}
The model's rules for the field alone are checked (type, pattern, length, links, vocabulary),
not rules between fields: those depend on the record, not on how the value was written.
A reader that fails answers {"fehler": "<message>"} in place of the value; PyYAML's dates
come as {"datum": "JJJJ-MM-TT"} so they never equal a text.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import ConfigDict, TypeAdapter, ValidationError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbuch.loader import content_root, load_vocabularies  # noqa: E402
from handbuch.model import owner_model  # noqa: E402
from handbuch.yamlsafe import YamlProblem, load_document  # noqa: E402

VOCABULARIES = load_vocabularies(content_root(), [])
_ADAPTERS: dict[str, TypeAdapter] = {}


def _field_problems(path: list[str | int], value: Any) -> list[str]:
    """The model's verdict on one field's value, as the record's model would give it."""
    dotted = ".".join(part for part in path if isinstance(part, str))
    if dotted not in _ADAPTERS:
        owner = owner_model(dotted)
        assert owner is not None, dotted
        info = owner.model_fields[dotted.rsplit(".", 1)[-1]]
        annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        _ADAPTERS[dotted] = TypeAdapter(annotation, config=ConfigDict(strict=True))
    try:
        _ADAPTERS[dotted].validate_python(value, context={"vocabularies": VOCABULARIES})
    except ValidationError as error:
        return [f"{dotted}: {e['msg']}" for e in error.errors()]
    return []


def _at(data: Any, path: list[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return {"datum": value.isoformat()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def answer(text: str, path: list[str | int]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    try:
        result["alles"] = _plain(load_document(text.encode("utf-8")).data)
    except YamlProblem as problem:
        result["alles"] = {"fehler": f"{problem.line}:{problem.column}: {problem.message}"}
    for name, read in (("handbuch", lambda: result["alles"]), ("pyyaml", lambda: yaml.load(text, yaml.SafeLoader)),
                       ("pyyaml_c", lambda: yaml.load(text, yaml.CSafeLoader))):
        try:
            result[name] = _plain(_at(read(), path))
        except Exception as error:  # any failure of a reader is a finding, reported as such
            result[name] = {"fehler": f"{type(error).__name__}: {error}"}
    value = result["handbuch"]
    if path and not (isinstance(value, dict) and "fehler" in value):  # a field, read without error
        result["probleme"] = _field_problems(path, value)
    return result


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps(answer(request["text"], request["path"]), ensure_ascii=True), flush=True)


if __name__ == "__main__":
    main()
