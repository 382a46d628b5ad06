// The workflow lint passes the project's workflows and fails on a broken one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { lintWorkflows } from '../lib/workflows.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const realWorkflows = join(here, '..', '..', '.github', 'workflows');
const cli = join(here, '..', 'bin', 'check-workflows.mjs');

async function withFixture(t, fixture) {
  const dir = await mkdtemp(join(tmpdir(), 'wf-check-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(realWorkflows, dir, { recursive: true });
  await cp(join(here, 'workflow-fixtures', fixture), join(dir, fixture));
  return dir;
}

test('the project workflows pass', async () => {
  assert.deepEqual(await lintWorkflows(realWorkflows), []);
});

test('an untrusted expression in a run script fails', async (t) => {
  const findings = await lintWorkflows(await withFixture(t, 'untrusted.yml'));
  assert.ok(findings.some((f) => f.kind === 'expression' && f.file.endsWith('untrusted.yml')), JSON.stringify(findings));
});

test('an undefined matrix key fails', async (t) => {
  const findings = await lintWorkflows(await withFixture(t, 'matrix.yml'));
  assert.ok(findings.some((f) => f.kind === 'expression' && /servce/.test(f.message)), JSON.stringify(findings));
});

test('the command line exits 1 on a broken workflow and 0 on the project', async (t) => {
  const run = promisify(execFile);
  await run(process.execPath, [cli, realWorkflows]);
  await assert.rejects(run(process.execPath, [cli, await withFixture(t, 'matrix.yml')]), (e) => e.code === 1);
});
