// Material's real search worker, run in node on a built site: its bundle, the site's lunr
// files (with our extension) and search index, answering queries as in the browser.
// Usage: node tests/search_worker.cjs SITE_DIR < {"queries": [...]}
// Prints {"query": {"pages": [locations of the result entries], "warnings": [...]}}.
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const site = process.argv[2];
const workers = path.join(site, "assets", "javascripts", "workers");
const bundle = fs.readdirSync(workers).find((file) => /^search\..*\.min\.js$/.test(file));
const posted = [];
const warnings = [];
let handler = null;
const context = {
  console: { log() {}, error: console.error, warn: (...args) => warnings.push(args.map(String).join(" ")) },
  addEventListener: (type, fn) => { handler = fn; },
  postMessage: (message) => posted.push(message),
  // Material loads lunr-languages relative to the worker ("../lunr/min/…").
  importScripts: (...urls) => {
    for (const url of urls) {
      const file = path.join(workers, url);
      vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
    }
  },
};
context.self = context;
vm.createContext(context);
vm.runInContext(fs.readFileSync(path.join(workers, bundle), "utf8"), context, { filename: bundle });

const index = JSON.parse(fs.readFileSync(path.join(site, "search", "search_index.json"), "utf8"));
index.options = { suggest: false };
const { queries } = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  await handler({ data: { type: 0, data: index } }); // SETUP
  const answers = {};
  for (const query of queries) {
    warnings.length = 0;
    await handler({ data: { type: 2, data: query } }); // QUERY
    const result = posted[posted.length - 1].data;
    answers[query] = { pages: result.items.map((group) => group[0].location), warnings: [...warnings] };
  }
  process.stdout.write(JSON.stringify(answers));
})();
