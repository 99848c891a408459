"""Whatever an editor types, the loader answers with a record or a clear German problem."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTENT, SCHEMA_LINE
from pathlib import Path

from handbuch.loader import Handbook, Municipality, load_vocabularies, parse_record
from handbuch.model import Kommune
from handbuch.problems import Problem
from handbuch.render import generate

VOCABULARIES = load_vocabularies(CONTENT, [])
KEYS = list(Kommune.model_fields) + ["staffel", "stufe", "titel", "handlungsfeld", "vorhanden", "ags"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1)), st.sampled_from(["05362008", "no", "2016-13-45", "fruehe-hilfen"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), inner, max_size=6)),
    max_leaves=25,
)


def check(raw: bytes) -> None:
    raw = SCHEMA_LINE.encode() + raw
    problems: list[Problem] = []
    result = parse_record(raw, "x.yml", VOCABULARIES, problems)
    if result is None:
        assert problems, "a rejected record must say why"
        for problem in problems:
            assert problem.line >= 1 and problem.column >= 1 and problem.message.strip()
            assert problem.format().startswith("x.yml:")
    else:
        assert not problems and isinstance(result[0], Kommune)
        # A valid record always renders.
        handbook = Handbook(CONTENT, VOCABULARIES, (Municipality("x", Path("x.yml"), result[0]),), ())
        assert any(page.src_uri == "kommunen/x.md" for page in generate(handbook))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text(text):
    check(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes(raw):
    check(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_arbitrary_yaml(data):
    check(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(list(Kommune.model_fields)), scalars, max_size=8))
def test_near_valid_records(extra):
    base = {"name": "Teststadt", "art": "kreisfreie-stadt", "ags": "99000001", "beispiel": True}
    check(yaml.safe_dump({**base, **extra}, allow_unicode=True).encode("utf-8"))
