"""/daten/: JSON that reads back into the model, CSV that Excel opens with umlauts intact."""

from __future__ import annotations

import csv
import io
import json

from conftest import CONTENT, VALID, write_record
from handbuch import aggregates
from handbuch.loader import load_handbook, load_vocabularies
from handbuch.model import Kommune
from handbuch.opendata import open_data


def test_kommunen_json_round_trips_through_the_model():
    handbook = load_handbook(CONTENT)
    data = json.loads(open_data(handbook, None)["kommunen.json"])
    vocabularies = load_vocabularies(CONTENT, [])
    assert data["lizenz"].startswith("Datenlizenz Deutschland")
    records = data["kommunen"]
    assert [r["kurzname"] for r in records] == [m.slug for m in handbook.municipalities]
    for raw, municipality in zip(records, handbook.municipalities):
        raw.pop("kurzname")
        again = Kommune.model_validate_json(json.dumps(raw), context={"vocabularies": vocabularies}, strict=False)
        assert again == municipality.record


def test_csv_opens_in_excel_with_umlauts(content):
    write_record(content, "teststadt", VALID.replace("Teststadt", "Übach-Palenberg; „Test“")
                 + '    jugendamt: "=HYPERLINK(1)"\n')
    files = open_data(load_handbook(content), None)
    for name in ("kommunen.csv", "massnahmen.csv"):
        raw = files[name]
        assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
        text = raw.decode("utf-8-sig")
        assert "\r\n" in text
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert len({len(row) for row in rows}) == 1
        assert any("Übach-Palenberg; „Test“" in cell for row in rows for cell in row)
    header, row = list(csv.reader(io.StringIO(files["kommunen.csv"].decode("utf-8-sig")), delimiter=";"))
    assert header[0] == "Kurzname" and "Amtlicher Gemeindeschlüssel (AGS)" in header
    values = dict(zip(header, row))
    assert values["Jugendamt"] == "'=HYPERLINK(1)"  # no formula injection
    assert values["Art der Gebietskörperschaft"] == "Kreisangehörige Stadt"
    measures = list(csv.reader(io.StringIO(files["massnahmen.csv"].decode("utf-8-sig")), delimiter=";"))
    assert measures[1][:3] == ["Übach-Palenberg; „Test“", "99000010", "Babybesuche"]


def test_kennzahlen_json_matches_the_page():
    handbook = load_handbook(CONTENT)
    data = json.loads(open_data(handbook, None)["kennzahlen.json"])
    expected = aggregates.figures(handbook)
    assert [f["frage"] for f in data["kennzahlen"]] == [f.key for f in expected]
    for got, figure in zip(data["kennzahlen"], expected):
        assert got["kommunen_mit_angabe"] == figure.answered
        assert [a["anzahl"] for a in got["antworten"]] == [r.count for r in figure.rows]
    # the published figures travel with their source and place in it
    by_key = {f["frage"]: f for f in data["kennzahlen"]}
    [rating] = by_key["steuerungsgruppe.bewertung"]["veroeffentlicht"]
    assert (rating["zusammenfassung"], rating["anzahl"], rating["basis"]) == ("erfolgreich", 22, 29)
    assert rating["quelle"]["kurz"] == "ISS 2016" and rating["fundstelle"].startswith("Abschnitt 1")
    programmes = {p["programm"]: p for p in data["programme"]}
    assert list(programmes) == ["lvr-teilhabe", "kekiz", "kinderstark"]
    overviews = {o.slug: o for o in aggregates.programmes(handbook)}
    for slug, got in programmes.items():
        assert got["im_handbuch_erfasst"] == overviews[slug].counted
        assert got["nach_jahr"] == [{"jahr": y, "anzahl": n} for y, n in overviews[slug].years]
    assert [(k["wert"], k["basis"]) for k in programmes["kinderstark"]["kennzahlen"]] == [(141, 186)]


def test_data_page_and_files_are_published(real_build):
    page = real_build.page("daten")
    for name in ("kommunen.json", "kommunen.csv", "massnahmen.csv", "kennzahlen.json"):
        assert f'href="{name}"' in page
        assert (real_build.site / "daten" / name).stat().st_size > 0
    assert "Lizenz" in page
