// The save format of the form editor: reads a record as YAML and writes it back the way a
// careful editor would have written it, so a reviewer sees only the lines that changed.
// - the leading comment block stays as read (first line: the schema for editors' tools);
// - empty values (null, "", [], {}) are left out: a missing key means "keine Angabe";
// - keys follow the order of the form (config.yml), recursively; unknown keys stay, last;
//   keys already in the file keep their order there, new ones join after their predecessor;
// - multi-line text as `|` block, lists of values as flow lists [a, b], no line folding;
// - an unchanged value keeps its text as written (quotes, `1.0`, `2017`).
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
    emitMap(clean(data, fields), fields, "", "", lines, written, parse);
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
// "day or year" field becomes a number again.
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

function emitMap(map, fields, indent, prefix, lines, written, parse) {
  for (const key of ordered(map, fields, written.get(prefix))) {
    const value = map[key];
    const field = fieldNamed(fields, key);
    const path = prefix + key;
    const head = `${indent}${key}:`;
    if (Array.isArray(value) && value.some((item) => item && typeof item === "object")) {
      lines.push(head);
      value.forEach((item, index) => {
        const inner = [];
        emitMap(item, field && field.fields, indent + "    ", `${path}.${index}.`, inner, written, parse);
        if (inner.length) inner[0] = `${indent}  - ${inner[0].slice(indent.length + 4)}`;
        lines.push(...inner);
      });
    } else if (Array.isArray(value)) {
      const items = value.map((item, index) => scalar(item, `${path}.${index}`, written, parse, true));
      lines.push(`${head} [${items.join(", ")}]`);
    } else if (value && typeof value === "object") {
      lines.push(head);
      emitMap(value, field && field.fields, indent + "  ", path + ".", lines, written, parse);
    } else if (typeof value === "string" && value.includes("\n") && !/^[ \t]/.test(value)) {
      const chomp = value.endsWith("\n\n") ? "+" : value.endsWith("\n") ? "" : "-";
      lines.push(`${head} |${chomp}`);
      const body = value.endsWith("\n") ? value.slice(0, -1) : value;
      for (const line of body.split("\n")) lines.push(line ? `${indent}  ${line}` : "");
    } else {
      lines.push(`${head} ${scalar(value, path, written, parse, false)}`);
    }
  }
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// One value on one line: as written where unchanged, otherwise plain where YAML reads it
// back as the same value, else double-quoted.
function scalar(value, path, written, parse, inFlow) {
  const before = written.get(path);
  if (before && same(before.value, value)) return before.text;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const text = String(value);
  if (before && before.text.startsWith('"')) return JSON.stringify(text);  // quoted before: stays quoted
  let plain = false;
  try {
    plain = !/^\s|\s$/.test(text) &&
      (inFlow ? same(parse(`[${text}]`), [text]) : same(parse(`k: ${text}`), { k: text }));
  } catch {
    plain = false;
  }
  return plain ? text : JSON.stringify(text);
}
