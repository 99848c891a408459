// The save format of the form editor: reads a record as YAML and writes it back the way a
// careful editor would have written it, so a reviewer sees only the lines that changed.
// - the leading comment block stays as read (first line: the schema for editors' tools);
// - empty values (null, "", [], {}) are left out: a missing key means "keine Angabe";
// - keys follow the order of the form (config.yml), recursively; unknown keys stay, last;
//   keys already in the file keep their order there, new ones join after their predecessor;
// - multi-line text as `|` block, lists of values as flow lists [a, b], no line folding;
// - an unchanged value keeps its text as written (quotes, `1.0`, `2017`);
// - every other text is written so that YAML 1.2 (the handbook) and YAML 1.1 readers (PyYAML)
//   both read back exactly the text typed: plain where that is safe, else in double quotes
//   (rules in "Writing text" below); multi-line text has its line endings made `\n`.
// The YAML library is passed in: the browser loads its ES module build, node the package
// (tests/cms_format.mjs), so both run this very file.

// Entry data the format keeps for itself: the text as read (for comments and values as
// written) and the file name of a new record (set by redaktion.js before saving).
export const ORIGINAL = "_handbuch_original";
export const FILE_NAME = "_dateiname";
const PRIVATE = new Set([ORIGINAL, FILE_NAME]);

export function createFormat(YAML, fields, defaultHeader) {
  const parse = (text) => YAML.parse(text, { version: "1.2", schema: "core", prettyErrors: true });

  function fromFile(content) {
    const data = parse(content) ?? {};
    return { ...data, [ORIGINAL]: content };
  }

  function toFile(data) {
    const original = data[ORIGINAL];
    const written = original ? scalarsAsWritten(YAML, original) : new Map();
    const header = original ? leadingComments(original) : defaultHeader;
    const lines = [];
    emitMap(clean(data, fields), fields, "", "", lines, written);
    return header + lines.join("\n") + "\n";
  }

  return { fromFile, toFile };
}

// Comment and blank lines before the first key, exactly as read.
function leadingComments(text) {
  const out = [];
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || (line.trim() === "" && out.length)) out.push(line + "\n");
    else break;
  }
  while (out.length && out[out.length - 1].trim() === "") out.pop();
  return out.join("");
}

// path ("quellen.0.titel") -> {text, value} of every one-line scalar in the file, and
// "path." -> {keys} of every mapping (the order of its keys as written).
function scalarsAsWritten(YAML, text) {
  const found = new Map();
  let doc;
  try {
    doc = YAML.parseDocument(text, { version: "1.2", schema: "core" });
  } catch {
    return found;
  }
  const walk = (node, path) => {
    if (!node) return;
    if (node.items) {
      if (node.type === "MAP" || node.type === "FLOW_MAP") {
        found.set(path.map((p) => p + ".").join(""), { keys: node.items.map((item) => String(item.key && item.key.value)) });
      }
      node.items.forEach((item, index) => {
        if (item && item.type === "PAIR") walk(item.value, path.concat(String(item.key && item.key.value)));
        else walk(item, path.concat(String(index)));
      });
    } else if (node.range && ["PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE"].includes(node.type)) {
      const source = text.slice(node.range[0], node.range[1]);
      if (!source.includes("\n")) found.set(path.join("."), { text: source, value: node.toJSON() });
    }
  };
  walk(doc.contents, []);
  return found;
}

function isEmpty(value) {
  return value === null || value === undefined || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
}

function fieldNamed(fields, name) {
  return (fields || []).find((field) => field.name === name);
}

// Drops empty values (recursively) and the format's private keys; a year typed into a
// "day or year" field becomes a number again; multi-line text gets LF line endings.
function clean(value, fields, field) {
  if (Array.isArray(value)) {
    const items = value.map((item) => clean(item, fields, field)).filter((item) => !isEmpty(item));
    return items;
  }
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, inner] of Object.entries(value)) {
      if (PRIVATE.has(key)) continue;
      const sub = fieldNamed(fields, key);
      const cleaned = clean(inner, sub ? sub.fields : undefined, sub);
      if (!isEmpty(cleaned)) out[key] = cleaned;
    }
    return out;
  }
  if (typeof value === "string" && field && field.jahr_als_zahl && /^[0-9]{4}$/.test(value)) return Number(value);
  // Text pasted from a word processor or another system: CRLF and CR become LF, as the
  // browser's text area already does (docs/entwicklung/redaktion.md).
  if (typeof value === "string" && field && field.widget === "text") return value.replace(/\r\n?/g, "\n");
  return value;
}

function ordered(map, fields, before) {
  const config = (fields || []).map((field) => field.name);
  const known = config.filter((name) => name in map);
  const unknown = Object.keys(map).filter((name) => !known.includes(name));
  if (!before) return known.concat(unknown);
  const result = before.keys.filter((name) => name in map);
  for (const name of known.filter((n) => !result.includes(n))) {
    const predecessors = config.slice(0, config.indexOf(name));
    const at = Math.max(-1, ...predecessors.map((p) => result.indexOf(p)));
    result.splice(at + 1, 0, name);
  }
  return result.concat(unknown.filter((n) => !result.includes(n)));
}

function emitMap(map, fields, indent, prefix, lines, written) {
  for (const key of ordered(map, fields, written.get(prefix))) {
    const value = map[key];
    const field = fieldNamed(fields, key);
    const path = prefix + key;
    const head = `${indent}${key}:`;
    const block = typeof value === "string" ? literalBlock(value) : null;
    if (Array.isArray(value) && value.some((item) => item && typeof item === "object")) {
      lines.push(head);
      value.forEach((item, index) => {
        const inner = [];
        emitMap(item, field && field.fields, indent + "    ", `${path}.${index}.`, inner, written);
        if (inner.length) inner[0] = `${indent}  - ${inner[0].slice(indent.length + 4)}`;
        lines.push(...inner);
      });
    } else if (Array.isArray(value)) {
      const items = value.map((item, index) => scalar(item, `${path}.${index}`, written, field, true));
      lines.push(`${head} [${items.join(", ")}]`);
    } else if (value && typeof value === "object") {
      lines.push(head);
      emitMap(value, field && field.fields, indent + "  ", path + ".", lines, written);
    } else if (block) {
      lines.push(`${head} ${block.header}`);
      for (const line of block.body) lines.push(line ? `${indent}  ${line}` : "");
    } else {
      lines.push(`${head} ${scalar(value, path, written, field, false)}`);
    }
  }
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// One value on one line: as written where unchanged, otherwise plain where every reader
// takes it as this very text, else double-quoted.
function scalar(value, path, written, field, inFlow) {
  const before = written.get(path);
  if (before && same(before.value, value)) return before.text;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  if (isDateField(field) && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) return text;  // a date, meant as one
  if (before && before.text.startsWith('"')) return quoted(text);  // quoted before: stays quoted
  return plainIsSafe(text, inFlow) ? text : quoted(text);
}

function isDateField(field) {
  return Boolean(field && (field.widget === "datetime" || field.jahr_als_zahl));
}

// ---- Writing text ----------------------------------------------------------------------
// The handbook reads YAML 1.2 (hooks/handbuch/yamlsafe.py); PyYAML, many linters and
// converters read YAML 1.1. Both must read back the text as typed, so the rules below are
// the union of both versions' traps, written out rather than asked of one parser.

// Characters every reader takes as they are: printable in YAML 1.1 and 1.2, not a line
// break in YAML 1.1 (U+0085, U+2028, U+2029), not a byte order mark. All others are
// written as escapes in double quotes.
function verbatim(codePoint) {
  return (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xd7ff && codePoint !== 0x2028 && codePoint !== 0x2029) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd && codePoint !== 0xfeff) || codePoint >= 0x10000;
}

function allVerbatim(text, alsoAllowed = "") {
  for (const char of text) if (!alsoAllowed.includes(char) && !verbatim(char.codePointAt(0))) return false;
  return true;
}

// Plain text that a reader of either version takes as something else: booleans of YAML 1.1
// (y, no, On, ...) and 1.2, null, merge and value keys; numbers in any notation (1_000,
// 0x1F, 0o17, 0b101, 1e3, .inf, sexagesimal 1:30); dates and timestamps (2020-01-01).
// Deliberately wider than the exact rules: quoting a text that needed none costs nothing.
const NOT_TEXT = [
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|<<|=)$/,
  /^[-+]?(?:[0-9_.:]+(?:[eE][-+]?[0-9]+)?|\.(?:inf|Inf|INF|nan|NaN|NAN)|0[xob][0-9a-fA-F_]+)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/,
];
// A plain value may not start with an indicator, nor contain ": " or " #" (a key, a
// comment), nor end with ":"; in a flow list [a, b] also not contain , ? : # [ ] { }.
const INDICATOR_FIRST = /^[-?:,[\]{}#&*!|>'"%@`]/;
const BREAKS_PLAIN = /: | #|:$/;
const BREAKS_FLOW = /[,?:#[\]{}]/;

export function plainIsSafe(text, inFlow = false) {
  return text !== "" && allVerbatim(text) && !/^\s|\s$/.test(text) && !INDICATOR_FIRST.test(text) &&
    !BREAKS_PLAIN.test(text) && !(inFlow && BREAKS_FLOW.test(text)) && !NOT_TEXT.some((re) => re.test(text));
}

const ESCAPES = { "\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r" };

// Any text in double quotes, on one line; what is not verbatim becomes an escape both YAML
// versions know (\t, \n, \r, \xXX, \uXXXX, \UXXXXXXXX).
export function quoted(text) {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0);
    if (ESCAPES[char]) out += ESCAPES[char];
    else if (verbatim(code)) out += char;
    else if (code <= 0xff) out += "\\x" + code.toString(16).toUpperCase().padStart(2, "0");
    else if (code <= 0xffff) out += "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
    else out += "\\U" + code.toString(16).toUpperCase().padStart(8, "0");
  }
  return `"${out}"`;
}

// Multi-line text as a literal block (`|`): {header, body lines without indentation}, or
// null where a block would not read back as the same text in every reader:
// - characters that need escapes (and CR, which YAML turns into a line break);
// - a tab in the leading white space of a line (the handbook refuses tabs there, as
//   indentation; a tab later in the line is fine);
// - text without a visible character (only blanks and line breaks), or whose last line
//   holds only spaces (the form's YAML library drops such a line when it reads the block).
// A first visible line that starts with a blank gets an explicit indentation (`|2`); the
// chomping indicator keeps the final line breaks exactly: none (-), one (), more (+).
export function literalBlock(text) {
  if (!text.includes("\n") || !allVerbatim(text, "\n\t") || !/[^\s]/.test(text)) return null;
  const body = (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  if (body.some((line) => /^[ \t]*\t/.test(line)) || /^ +$/.test(body[body.length - 1])) return null;
  const indentation = /^[ \n]*/.exec(text)[0].includes(" ") ? "2" : "";
  const chomp = text.endsWith("\n\n") ? "+" : text.endsWith("\n") ? "" : "-";
  return { header: `|${indentation}${chomp}`, body };
}
