"""The YAML traps of DESIGN.md, each fed as exact bad input."""

from __future__ import annotations

import time

import pytest

from handbuch.yamlsafe import MAX_BYTES, YamlProblem, load_document


def problem(raw: bytes) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load_document(raw)
    return caught.value


def test_values_keep_their_yaml_1_2_types_and_positions():
    doc = load_document(b"name: Bergheim\nags: '05362008'\nantwort: no\nja: true\nstand: 2017-06-30\nvzae: 0.5\n")
    assert doc.data == {"name": "Bergheim", "ags": "05362008", "antwort": "no", "ja": True,
                        "stand": "2017-06-30", "vzae": 0.5}
    assert doc.position(("stand",)).line == 5
    assert doc.value_position(("stand",)).column == 8 and doc.value_position(("ags",)).source == "05362008"
    assert doc.position(("stand", "missing", 3)).line == 5


def test_unquoted_ags_is_a_number_not_a_silently_changed_string():
    doc = load_document(b"ags: 05362008\n")
    assert doc.data["ags"] == 5362008
    assert doc.position(("ags",)).line == 1 and doc.value_position(("ags",)).source == "05362008"


def test_duplicate_keys_name_both_lines():
    error = problem(b"name: A\nart: kreis\nname: B\n")
    assert (error.line, error.field) == (3, "name")
    assert "Zeile 1 und Zeile 3" in error.message


def test_tab_indentation():
    error = problem(b"programm:\n\tstaffel: 1\n")
    assert error.line == 2 and "Tabulator" in error.message


def test_dates_are_text_as_in_yaml_1_2():
    # YAML 1.1 would make a date (and PyYAML raise a bare ValueError for 2016-13-45);
    # the model checks the text (tests/test_loader.py).
    assert load_document(b"stand: 2016-13-45\n").data == {"stand": "2016-13-45"}


def test_explicit_tags_cannot_widen_values():
    assert "ganze Zahl" in problem(b"v: !!int 1_0\n").message
    assert "leerer Wert" in problem(b"v: !!null Jugendamt X\n").message
    assert load_document(b"v: !!str 05362008\n").data == {"v": "05362008"}


def test_nesting_deep_enough_to_crash_libyaml_is_a_clear_error():
    error = problem(b"name: " + b"[" * 100_000 + b"]" * 100_000)
    assert "verschachtelt" in error.message


def test_python_tags_are_rejected_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    error = problem(f"a: !!python/object/apply:os.system ['touch {marker}']\n".encode())
    assert "!!python/object/apply:os.system" in error.message and "nicht erlaubt" in error.message
    assert not marker.exists()


def test_alias_bomb_is_rejected_fast():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    start = time.perf_counter()
    error = problem("\n".join(lines).encode())
    assert time.perf_counter() - start < 1.0
    assert "Anker und Verweise" in error.message


def test_empty_file():
    assert "leer" in problem(b"").message
    assert "leer" in problem(b"# nur ein Kommentar\n").message


def test_non_utf8_bytes_name_the_line():
    error = problem(b"name: Test\nkreis: K\xf6ln\n")
    assert error.line == 2 and "UTF-8" in error.message and "0xF6" in error.message


def test_byte_order_mark():
    assert "BOM" in problem(b"\xef\xbb\xbfname: X\n").message


def test_oversized_file():
    error = problem(b"a: " + b"x" * (MAX_BYTES + 1))
    assert "zu groß" in error.message


def test_syntax_error_names_the_line_where_the_problem_starts():
    error = problem(b'name: "Bergheim\nart: kreis\nags: 1\n')
    assert error.line == 1
    assert "Anführungszeichen" in error.message


def test_colon_in_value_explains_quoting():
    error = problem(b"name: Kreis: Viersen\n")
    assert error.line == 1 and "Anführungszeichen" in error.message


def test_deep_nesting_is_rejected():
    error = problem(b"a: " + b"[" * 200 + b"]" * 200)
    assert "verschachtelt" in error.message


def test_two_documents():
    assert "nur ein YAML-Dokument" in problem(b"a: 1\n---\nb: 2\n").message


def test_infinity_and_explicit_int_tags():
    assert load_document(b"v: .inf\n").data["v"] == float("inf")
    error = problem(b"v: !!int zwei\n")
    assert "ganze Zahl" in error.message
