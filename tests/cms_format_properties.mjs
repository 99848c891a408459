// Property tests of the form editor's save format (hooks/handbuch/static/redaktion/format.js),
// run by tests/test_redaktion.py: node tests/cms_format_properties.mjs <python> [runs per kind].
//
// For every kind of field the form offers (taken from config.yml, never from field names):
// open the example record, set a generated value, save, and read the file back with the
// handbook's loader (YAML 1.2), with PyYAML (YAML 1.1; its Python and its libyaml parser) and
// with the format itself. All give the typed value, nothing else in the record changes, only
// the field's lines differ, and the model accepts the value whenever the form's pattern does.
// To keep thousands of cases per kind fast, the record opened is the example cut down to its
// name and the group (or the first entry of the list) that holds the field, saved by the
// format itself.
// Prints "ok: …" and exits 0, or the smallest counterexample fast-check found (with its seed).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import YAML from "yaml";
import { createFormat, ORIGINAL } from "../hooks/handbuch/static/redaktion/format.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = YAML.parse(readFileSync(join(root, "hooks/handbuch/static/redaktion/config.yml"), "utf8"));
const fields = config.collections[0].fields;
const format = createFormat(YAML, fields, "# yaml-language-server: $schema=../../schemas/kommune.schema.json\n");
const RECORD = "content/municipalities/beispielstadt.yml";  // the example that shows every field
const base = readFileSync(join(root, RECORD), "utf8");
const python = process.argv[2] || "python3";
const runs = Number(process.argv[3] || process.env.HANDBUCH_PROPERTY_RUNS || 2000);

// ---- The readers: one Python process answers every request (tests/yaml_readers.py) ----
const reader = spawn(python, [join(root, "tests/yaml_readers.py")], { stdio: ["pipe", "pipe", "inherit"] });
const waiting = [];
createInterface({ input: reader.stdout }).on("line", (line) => waiting.shift()(JSON.parse(line)));
const read = (text, path) => new Promise((resolve) => {
  waiting.push(resolve);
  reader.stdin.write(JSON.stringify({ text, path }) + "\n");
});

// ---- Field kinds, from the form's configuration ----
// Each leaf field with its path in the data (entries of lists: the first entry).
function leaves(list, path = []) {
  return list.flatMap((field) => {
    const here = [...path, field.name];
    if (field.fields) return leaves(field.fields, field.widget === "list" ? [...here, 0] : here);
    return [{ field, path: here }];
  });
}
const all = leaves(fields);
// Decap checks a pattern as RegExp(pattern) (no flags); so do we.
const patternOf = (field) => (field.pattern ? new RegExp(field.pattern[0]) : null);
const isDate = (field) => field.widget === "datetime" || field.jahr_als_zahl;

// Text built from what trips YAML readers up, mixed with any Unicode character.
const TRAPS = ["yes", "No", "on", "OFF", "y", "n", "~", "null", "true", "<<", "=", "0", "07", "0x1F", "0o17",
  "0b1", "1_000", "1:30", "1e3", ".5", "-.inf", ".NaN", "2020-01-01", "2001-12-14t21:59:43.10-05:00", ": ", " #",
  "#", "-", "- ", "? ", ":", ",", "[", "]", "{", "}", "&a", "*a", "!", "!!str", "|", ">", "'", '"', "%", "@", "`",
  "\\", "\\n", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00a0", "\u0085", "\u2028", "\u2029", "\ufeff", "\u0000",
  "\u001b", "\u007f", "\u009f", "\ufffe", "---", "...", "\u{1F600}", "Ä", "ß", "€", "Frühe Hilfen", "%-Anteil",
  "](", "](https://example.org)", "](mailto:a@b.de)", "![", "[a]: ", "[Text](javascript:x)"];
const unit = fc.oneof(
  { arbitrary: fc.constantFrom(...TRAPS), weight: 4 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: fc.constantFrom(..."abcxyz ABC äöü.-:/#"), weight: 4 },
);
const anyText = fc.oneof(fc.constantFrom(...TRAPS), fc.string({ unit, maxLength: 40 }));  // a trap alone, too
const lines = fc.array(fc.oneof(anyText, fc.constantFrom("", " ", "# Überschrift", "- Punkt", ":", "  eingerückt",
  "\ttab", "Zeile mit Leerzeichen am Ende  ")), { minLength: 1, maxLength: 6 });
const multiLine = fc.tuple(lines, fc.constantFrom("\n", "\r\n", "\r"), fc.constantFrom("", "\n", "\n\n", "\r\n"))
  .map(([parts, eol, end]) => parts.join(eol) + end);

// Text the pattern allows: generated from the pattern, with a trap put in where the pattern
// still allows it. fast-check cannot generate from a lookahead: the form's length limit
// (cms.py puts it first) is checked after generating.
function matching(pattern) {
  const source = new RegExp(pattern.source.replace(/^\^\(\?=\[\\s\\S\]\{0,[0-9]+\}\$\)/, "^"));
  return fc.tuple(fc.stringMatching(source), anyText, fc.nat()).map(([text, trap, at]) => {
    const cut = at % (text.length + 1);
    const mixed = text.slice(0, cut) + trap + text.slice(cut);
    return pattern.test(mixed) ? mixed : text;
  }).filter((text) => pattern.test(text));
}
const normalised = (text) => text.replace(/\r\n?/g, "\n");  // what format.js does to multi-line text

const kinds = [];
const groups = new Map();
for (const leaf of all) {
  const { field } = leaf;
  let kind;
  if (field.widget === "string" && !isDate(field)) {
    kind = `Textzeile: ${field.pattern ? field.pattern[1] : "ohne Muster"}`;
  } else if (field.widget === "text") {
    kind = "mehrzeiliger Text";
  } else if (field.widget === "select" && field.multiple) {
    kind = "Werteliste";
  } else {
    continue;
  }
  if (!groups.has(kind)) groups.set(kind, []);
  groups.get(kind).push(leaf);
}
for (const [name, members] of groups) {
  const leaf = fc.constantFrom(...members);
  if (name === "Werteliste") {
    // The form offers the options; which of them fit together is a rule between fields
    // (make validate), not a matter of the format. Any text in the same place: readers only.
    kinds.push({ name, case: leaf.chain((l) => fc.tuple(fc.constant(l),
      fc.uniqueArray(fc.constantFrom(...l.field.options.map((o) => o.value)), { minLength: 1 }))), validate: false });
    kinds.push({ name: "Werteliste mit beliebigem Text", case: fc.tuple(leaf, fc.array(anyText, { minLength: 1 })
      .filter((items) => items.every((item) => item !== ""))), validate: false });
  } else if (name === "mehrzeiliger Text") {
    // The form checks the text area's value, whose line breaks the browser has made LF already.
    const allowed = (l) => (text) => normalised(text) !== "" &&
      (!patternOf(l.field) || patternOf(l.field).test(normalised(text)));
    kinds.push({ name, case: leaf.chain((l) => fc.tuple(fc.constant(l), multiLine.filter(allowed(l)))), validate: true });
    kinds.push({ name: "mehrzeiliger Text, beliebig", case: fc.tuple(leaf, multiLine.filter((t) => normalised(t) !== "")),
      validate: false });
  } else {
    kinds.push({ name, case: leaf.chain((l) => fc.tuple(fc.constant(l), l.field.pattern ? matching(patternOf(l.field))
      : anyText.filter((t) => t !== ""))), validate: true });
  }
}
// Any text at all in a one-line field: the form's pattern refuses most of it, but the
// format must still write it faithfully (it also writes keys the form does not know).
const oneLine = all.filter(({ field }) => field.widget === "string" && !isDate(field));
kinds.push({ name: "Textzeile, beliebig", case: fc.tuple(fc.constantFrom(...oneLine), anyText.filter((t) => t !== "")),
  validate: false });

// ---- The property ----
const example = format.fromFile(base);
const opened = new Map();  // top-level key -> {text, data}: the cut-down record and how the handbook reads it
async function recordWith(top) {
  if (!opened.has(top)) {
    const part = Array.isArray(example[top]) ? example[top].slice(0, 1) : example[top];  // a list: its first entry
    const text = format.toFile({ name: example.name, [top]: part, [ORIGINAL]: base });
    opened.set(top, { text, data: (await read(text, [])).alles });
  }
  return opened.get(top);
}
const setIn = (data, path, value) => {
  const parent = path.slice(0, -1).reduce((node, part) => {
    assert.ok(node[part] !== undefined, `${RECORD} hat kein Feld ${path.join(".")}; es soll jedes Feld zeigen`);
    return node[part];
  }, data);
  parent[path[path.length - 1]] = value;
};
// Lines a value takes: one, or a block header and its lines; none where it was missing.
const lineCount = (value) => (value === undefined ? 0 : typeof value === "string" && value.includes("\n")
  ? value.replace(/\n$/, "").split("\n").length + 1 : 1);

async function check([{ field, path }, typed], validate) {
  const expected = field.widget === "text" ? normalised(typed) : typed;
  const before = await recordWith(path[0]);
  const data = structuredClone(format.fromFile(before.text));
  const old = path.reduce((node, part) => node && node[part], data);
  setIn(data, path, typed);
  const saved = format.toFile(data);
  const back = await read(saved, path);
  const context = `\nGespeichert:\n${saved}\nGelesen: ${JSON.stringify(back)}`;
  assert.deepEqual(back.handbuch, expected, "Handbuch (YAML 1.2) liest etwas anderes" + context);
  assert.deepEqual(back.pyyaml, expected, "PyYAML (YAML 1.1) liest etwas anderes" + context);
  assert.deepEqual(back.pyyaml_c, expected, "PyYAML mit libyaml (YAML 1.1) liest etwas anderes" + context);
  const own = path.reduce((node, part) => node[part], format.fromFile(saved));
  assert.deepEqual(own, expected, "das Formular liest seine eigene Datei anders" + context);
  if (validate) assert.deepEqual(back.probleme, [], "make validate lehnt ab, was das Formular speichert" + context);
  // Nothing else changed: the whole record reads as before, apart from this field ...
  const wanted = structuredClone(before.data);
  setIn(wanted, path, expected);
  assert.deepEqual(back.alles, wanted, "andere Felder haben sich verändert" + context);
  // ... and only the field's own lines differ.
  const a = before.text.split("\n"), b = saved.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  assert.ok(b.length - start - end <= lineCount(expected) && a.length - start - end <= lineCount(old),
    `mehr Zeilen geändert als das Feld hat (${a.length - start - end} → ${b.length - start - end})` + context);
}

const report = [];
for (const kind of kinds) {
  const started = Date.now();
  await fc.assert(fc.asyncProperty(kind.case, (example) => check(example, kind.validate)), { numRuns: runs });
  report.push(`${kind.name}: ${runs} Fälle, ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
reader.stdin.end();
console.log(`ok: ${kinds.length} Feldarten\n${report.join("\n")}`);
