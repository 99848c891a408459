// The German search extension exactly as shipped: loads a built site's lunr-languages
// files (with lunr.handbuch.js appended) into lunr, the way Material's worker does.
// Usage: node tests/search_words.cjs SITE_DIR < {"index": [words], "query": [terms]}
// Prints {"index": {word: [index tokens]}, "query": {term: parsed query term}}.
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const lunr = require("lunr");

globalThis.lunr = lunr;
globalThis.self = globalThis;
const folder = path.join(process.argv[2], "assets", "javascripts", "lunr", "min");
for (const file of ["lunr.stemmer.support.min.js", "lunr.de.min.js"])
  vm.runInThisContext(fs.readFileSync(path.join(folder, file), "utf8"), { filename: file });

// Material: use the language, then remove what its pipeline setting leaves out (all three).
// Query terms are parsed as in Material's own analysis of a query (parseSearchQuery);
// tests/search_worker.cjs runs whole searches through Material's worker.
const builder = new lunr.Builder();
builder.use(lunr.de);
for (const fn of [lunr.de.trimmer, lunr.de.stopWordFilter, lunr.de.stemmer]) {
  builder.pipeline.remove(fn);
  builder.searchPipeline.remove(fn);
}

const input = JSON.parse(fs.readFileSync(0, "utf8"));
const index = {};
for (const word of input.index || [])
  index[word] = builder.pipeline.run([new lunr.Token(word.toLowerCase())]).map(String);
const query = {};
for (const term of input.query || []) {
  const parsed = new lunr.Query(["text"]);
  new lunr.QueryParser(term, parsed).parse();
  query[term] = parsed.clauses.map((clause) => clause.term).join(" ");
}
process.stdout.write(JSON.stringify({ index, query }));
