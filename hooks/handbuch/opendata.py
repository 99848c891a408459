"""Open data under /daten/: the validated records as JSON and CSV, the key figures as JSON.

JSON keeps the model's keys and slugs (for programs; reading it back validates
against the model). CSV is for people with a spreadsheet: German column headers
and labels, semicolon-separated, UTF-8 with byte-order mark and CRLF line ends,
which is what Excel in German settings opens correctly.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from . import aggregates
from .loader import Handbook, Municipality
from .model import PARTICIPATION_EXTRAS, PROGRAMME_FACTS, Kommune, Massnahme, Quelle, field_paths, value_at
from .provenance import BuildInfo
from .present import Presenter

FILES = {
    "kommunen.json": "application/json",
    "kommunen.csv": "text/csv",
    "massnahmen.csv": "text/csv",
    "kennzahlen.json": "application/json",
}
LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)"
_RECORD_COLUMNS = [p for p in field_paths() if not p.startswith(("massnahmen", "quellen", "programme")) and p not in (
    "koordination", "steuerungsgruppe", "netzwerk", "praeventionskette", "kontakt")]
_MEASURE_COLUMNS = [f"massnahmen.{name}" for name in Massnahme.model_fields]


def _meta(info: BuildInfo | None) -> dict[str, Any]:
    return {"lizenz": LICENCE,
            "stand": info.content_date.isoformat() if info and info.content_date else None,
            "version": info.commit if info else None}


PerRecord = Callable[[str, Municipality, Callable[[], Any]], Any]


def _each(name: str, municipality: Municipality, compute: Callable[[], Any]) -> Any:
    return compute()


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def records_json(handbook: Handbook, info: BuildInfo | None, per_record: PerRecord = _each) -> bytes:
    # Joined from one JSON text per record (the same bytes as dumping the whole), so that the
    # preview can keep the texts of unchanged records.
    records = [per_record("json", m, lambda m=m: _dumps({"kurzname": m.slug, **m.record.model_dump(mode="json")}))
               for m in handbook.municipalities]
    return (_dumps(_meta(info))[:-1] + ',"kommunen":[' + ",".join(records) + "]}").encode("utf-8")


def _published(handbook: Handbook, key: str) -> list[dict[str, Any]]:
    """The figures a source states for one question, as written in content/ergebnisse.yml."""
    return [{"bezeichnung": r.label, **r.finding.model_dump(mode="json", exclude_none=True),
             "quelle": {"kurzname": r.finding.quelle, **r.source.model_dump(mode="json", exclude_none=True)}}
            for r in handbook.published.for_question(key)]


def figures_json(handbook: Handbook, info: BuildInfo | None) -> bytes:
    figures = [{"frage": f.key, "bezeichnung": f.label,
                "veroeffentlicht": _published(handbook, f.key),
                "kommunen_mit_angabe": f.answered, "kommunen_gesamt": f.total,
                "antworten": [{"wert": r.value, "bezeichnung": r.label, "anzahl": r.count, "anteil_prozent": r.percent}
                              for r in f.rows],
                "zusammenfassungen": [{"bezeichnung": z.label, "anzahl": z.count, "anteil_prozent": z.percent}
                                      for z in f.summaries]}
               for f in aggregates.figures(handbook)]
    programmes = [{"programm": o.slug, **o.programme.model_dump(mode="json"),
                   "im_handbuch_erfasst": o.counted, "jugendaemter_erfasst": o.recorded,
                   "nach_jahr": [{"jahr": year, "anzahl": count} for year, count in o.years],
                   "nach_phase": [{"phase": key, "anzahl": count} for key, _, count in o.phases]}
                  for o in aggregates.programmes(handbook)]
    data = {**_meta(info),
            "hinweis": "„veroeffentlicht“: Zahlen, wie die genannte Quelle sie nennt (ISS-Befragung 2016 u. a.). "
                       "Alle übrigen Zahlen sind aus den Datensätzen gezählt: nur echte Kommunen; erfundene "
                       "Beispiel-Datensätze zählen nicht mit.",
            "programme": programmes,
            "kennzahlen": figures}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def programme_columns(handbook: Handbook) -> list[str]:
    """One column per programme and fact it can have: programme.kinderstark.seit, ..."""
    return [f"programme.{slug}.{fact}" for slug, programme in handbook.vocabularies.programme.items()
            for fact in PROGRAMME_FACTS
            if (fact not in PARTICIPATION_EXTRAS or fact in programme.zusatzfelder)
            and (fact != "phase" or programme.phasen)]


def records_csv(handbook: Handbook, per_record: PerRecord = _each) -> bytes:
    present = Presenter(handbook.vocabularies)
    v = handbook.vocabularies
    columns = [*_RECORD_COLUMNS, *programme_columns(handbook)]
    header = ["Kurzname", *[v.field_label(p) for p in columns], v.field_label("quellen"),
              v.field_label("massnahmen")]

    def row(m: Municipality) -> list[str]:
        record: Kommune = m.record
        values = [present.kreis(record) if p == "kreis" else _plain(present.value(p, value_at(record, p)))
                  for p in columns]
        sources = " | ".join(_source(present, q) for q in record.quellen or [])
        return [m.slug, *values, sources, str(len(record.massnahmen))]

    return _csv(header, [per_record("csv", m, lambda m=m: row(m)) for m in handbook.municipalities])


def _source(present: Presenter, quelle: Quelle) -> str:
    """One source in one cell: title, publisher and date, address, and the fields it supports."""
    line = present.source_line(quelle)
    text = quelle.titel + (f" ({line})" if line else "") + (f" <{quelle.url}>" if quelle.url else "")
    return text + (f" [belegt: {', '.join(quelle.belegt)}]" if quelle.belegt else "")


def measures_csv(handbook: Handbook, per_record: PerRecord = _each) -> bytes:
    present = Presenter(handbook.vocabularies)
    v = handbook.vocabularies
    header = [v.field_label("name"), v.field_label("ags"), *[v.field_label(p) for p in _MEASURE_COLUMNS]]

    def rows(m: Municipality) -> list[list[str]]:
        return [[m.record.name, m.record.ags,
                 *[_plain(present.value(p, getattr(measure, p.split(".")[1]))) for p in _MEASURE_COLUMNS]]
                for measure in m.record.massnahmen]

    return _csv(header, [row for m in handbook.municipalities
                         for row in per_record("massnahmen-csv", m, lambda m=m: rows(m))])


def _plain(text: str) -> str:
    """Spreadsheets would run a leading = + - @ as a formula (CSV injection): prefix a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# The files open_data makes, known before they are made (parallel.py makes them in a second process).
NAMES = ("kommunen.json", "kommunen.csv", "massnahmen.csv", "kennzahlen.json")


def open_data(handbook: Handbook, info: BuildInfo | None, per_record: PerRecord = _each) -> dict[str, bytes]:
    """File name -> content for /daten/; ``per_record`` lets the preview keep what unchanged records yield."""
    return dict(zip(NAMES, (records_json(handbook, info, per_record), records_csv(handbook, per_record),
                            measures_csv(handbook, per_record), figures_json(handbook, info)), strict=True))
