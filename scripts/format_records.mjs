// Schreibt Datensätze im Speicherformat des Formular-Editors (make format): so, wie „Öffnen und
// Speichern“ in /redaktion/ sie schreiben würde (hooks/handbuch/static/redaktion/format.js). Von Hand oder
// von Helfern geschriebene Dateien (etwa gefaltete `>-`-Texte) werden dadurch zu Dateien, die der Editor
// Byte für Byte erhält; tests/cms_format.mjs prüft genau das für jeden Datensatz.
// Usage: node scripts/format_records.mjs [DATEI.yml ...]   (ohne Angabe: content/municipalities/*.yml)
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { createFormat } from "../hooks/handbuch/static/redaktion/format.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = YAML.parse(readFileSync(join(root, "hooks/handbuch/static/redaktion/config.yml"), "utf8"));
const HEADER = "# yaml-language-server: $schema=../../schemas/kommune.schema.json\n";
const format = createFormat(YAML, config.collections[0].fields, HEADER);
const folder = join(root, "content/municipalities");
const files = process.argv.length > 2 ? process.argv.slice(2)
  : readdirSync(folder).filter((name) => name.endsWith(".yml")).sort().map((name) => join(folder, name));

let changed = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  const formatted = format.toFile(format.fromFile(text));
  if (formatted !== text) {
    writeFileSync(file, formatted);
    console.log(`umgestellt: ${file}`);
    changed++;
  }
}
console.log(`${changed} von ${files.length} Datensätzen umgestellt.`);
