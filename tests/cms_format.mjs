// Unit test of the form editor's save format (hooks/handbuch/static/redaktion/format.js),
// run by tests/test_redaktion.py under node. Prints "ok" and exits 0, or names the failure.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { createFormat, ORIGINAL, FILE_NAME } from "../hooks/handbuch/static/redaktion/format.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = YAML.parse(readFileSync(join(root, "hooks/handbuch/static/redaktion/config.yml"), "utf8"));
const HEADER = "# yaml-language-server: $schema=../../schemas/kommune.schema.json\n";
const format = createFormat(YAML, config.collections[0].fields, HEADER);
const folder = process.argv[2] || join(root, "content/municipalities");

const edit = (text, change) => {
  const data = structuredClone(format.fromFile(text));
  change(data);
  return format.toFile(data);
};
const changedLines = (before, after) => {
  const a = before.split("\n"), b = after.split("\n");
  return b.filter((line, i) => a[i] !== line);
};

// 1. Every shipped record opened and saved is byte-identical.
let records = 0;
for (const name of readdirSync(folder).filter((n) => n.endsWith(".yml")).sort()) {
  const text = readFileSync(join(folder, name), "utf8");
  assert.equal(format.toFile(format.fromFile(text)), text, `${name}: Öffnen und Speichern ändert die Datei (make format schreibt sie im Speicherformat)`);
  records++;
}
assert.ok(records > 0, "keine Datensätze gefunden");

const sample = `# yaml-language-server: $schema=../../schemas/kommune.schema.json
# Zweite Kommentarzeile bleibt.
name: Musterdorf
art: kreisangehoerige-gemeinde
kreis: Kreis Muster
ags: "05999001"
beispiel: true
stand: 2017-06-30
programm:
  teilnahme: true
  seit: 2014
koordination:
  umfang_vzae: 1.0
kontakt:
  telefon: "+49 2271 000000"
beschreibung: |
  Erste Zeile mit einem sehr langen Satz, der weit über achtzig Zeichen hinausgeht und nicht gefaltet werden darf.

  - Punkt eins
  - Punkt zwei
massnahmen:
  - titel: Willkommensbesuche
    handlungsfeld: fruehe-hilfen
    lebensphasen: [rund-um-die-geburt, krippe]
    seit: 2013
`;
assert.equal(format.toFile(format.fromFile(sample)), sample);

// 2. Cleared fields vanish (strings, numbers, dates as "", selects as null), and so do
//    groups left empty; one edit changes one line.
let out = edit(sample, (d) => { d.kreis = ""; d.stand = ""; d.programm.seit = ""; d.koordination.umfang_vzae = null; });
assert.ok(!/^kreis:|^stand:|seit: 2014|umfang_vzae|^koordination:/m.test(out), out);
assert.ok(!/""|null/.test(out), out);
out = edit(sample, (d) => { d.name = "Musterdorf Süd"; });
assert.deepEqual(changedLines(sample, out), ["name: Musterdorf Süd"]);

// 3. Booleans: toggled on/off stays a real answer; "keine Angabe" (null) removes the key.
out = edit(sample, (d) => { d.programm.teilnahme = false; });
assert.deepEqual(changedLines(sample, out), ["  teilnahme: false"]);
out = edit(sample, (d) => { d.programm.teilnahme = null; });
assert.ok(!out.includes("teilnahme"), out);
assert.ok(out.includes("programm:\n  seit: 2014\n"), out);

// 4. A measure with all nine keys, given in another order, comes out in the model's order.
out = edit(sample, (d) => {
  d.massnahmen.push({ link: "https://example.org/a", beschreibung: "Text", status: "laufend", seit: 2015,
    traeger: "Jugendamt", zielgruppen: ["eltern"], lebensphasen: ["kita", "grundschule"],
    handlungsfeld: "familienbildung", titel: "Elterncafé: offen für alle" });
});
assert.ok(out.endsWith(`  - titel: "Elterncafé: offen für alle"
    handlungsfeld: familienbildung
    lebensphasen: [kita, grundschule]
    zielgruppen: [eltern]
    traeger: Jugendamt
    seit: 2015
    status: laufend
    beschreibung: Text
    link: https://example.org/a
`), out);
assert.equal(YAML.parse(out).massnahmen[1].titel, "Elterncafé: offen für alle");

// 5. Unknown keys are kept, after the known ones, also inside groups; nothing moves to line 1.
out = edit(sample, (d) => { d.zusatz = "bleibt"; d.programm.notiz = "auch"; d.name = "Musterdorf"; });
assert.ok(out.startsWith("# yaml-language-server"), out);
assert.ok(out.includes("  seit: 2014\n  notiz: auch\n"), out);
assert.ok(out.endsWith("    seit: 2013\nzusatz: bleibt\n"), out);

// 6. Style: values that YAML would misread are quoted, numbers as written, no folding.
out = edit(sample, (d) => { d.ags = "05999002"; d.kontakt.telefon = "+49 2271 000001"; d.programm.seit = 2015; });
assert.deepEqual(changedLines(sample, out), ['ags: "05999002"', "  seit: 2015", '  telefon: "+49 2271 000001"']);
assert.ok(out.includes("umfang_vzae: 1.0"), out);
out = edit(sample, (d) => { d.beschreibung = d.beschreibung.replace("Punkt zwei", "Punkt drei"); });
assert.deepEqual(changedLines(sample, out), ["  - Punkt drei"]);
// A source's year typed into the form is a number again; a day stays plain text.
out = edit(sample, (d) => { d.quellen = [{ titel: "Bericht", datum: "2017", belegt: ["kreis", "programm.seit"] },
  { titel: "Meldung", datum: "2014-09-03" }]; });
assert.ok(out.includes("    datum: 2017\n    belegt: [kreis, programm.seit]\n"), out);
assert.ok(out.includes("    datum: 2014-09-03\n"), out);
assert.ok(/^stand: 2017-06-30\nquellen:\n  - titel: Bericht$/m.test(out), out);

// 7. A new record: the standard first line, no private keys, file name not written.
const fresh = format.toFile({ name: "Musterdorf Süd", [FILE_NAME]: "musterdorf-sued", art: "kreis", ags: "05999" });
assert.equal(fresh, HEADER + 'name: Musterdorf Süd\nart: kreis\nags: "05999"\n');
assert.ok(!format.toFile(format.fromFile(sample)).includes(ORIGINAL));

console.log(`ok: ${records} Datensätze unverändert`);
