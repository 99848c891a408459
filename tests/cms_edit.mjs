// Saves an edit the way the form editor does (hooks/handbuch/static/redaktion/format.js):
// node tests/cms_edit.mjs FILE EDIT_JSON. EDIT_JSON: {"set": {"netzwerk.stufe": "…"}, "push": {"quellen": {…}}}.
// Used by tests/test_aenderungen.py for the form-editor example in docs/entwicklung/redaktion.md.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { createFormat } from "../hooks/handbuch/static/redaktion/format.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const config = YAML.parse(readFileSync(join(root, "hooks/handbuch/static/redaktion/config.yml"), "utf8"));
const HEADER = "# yaml-language-server: $schema=../../schemas/kommune.schema.json\n";
const format = createFormat(YAML, config.collections[0].fields, HEADER);
const [file, edit] = process.argv.slice(2);
const data = structuredClone(format.fromFile(readFileSync(file, "utf8")));
const { set = {}, push = {} } = JSON.parse(edit);
const parent = (path) => path.split(".").slice(0, -1).reduce((node, key) => (node[key] ??= {}), data);
for (const [path, value] of Object.entries(set)) parent(path)[path.split(".").at(-1)] = value;
for (const [path, value] of Object.entries(push)) (parent(path)[path.split(".").at(-1)] ??= []).push(value);
writeFileSync(file, format.toFile(data));
