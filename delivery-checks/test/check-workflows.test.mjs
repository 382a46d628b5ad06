// The workflow lint passes the project's workflows and fails on a broken one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkDependencyUpdates, lintWorkflows } from '../lib/workflows.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const realGithub = join(here, '..', '..', '.github');
const realWorkflows = join(realGithub, 'workflows');
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
  assert.deepEqual(await checkDependencyUpdates(realGithub), []);
});

test('an action named by a tag fails', async (t) => {
  const findings = await lintWorkflows(await withFixture(t, 'unpinned.yml'));
  assert.deepEqual(findings.filter((f) => f.kind === 'unpinned-action').map((f) => [f.file.split('/').pop(), f.line]),
    [['unpinned.yml', 9]]);
});

test('a workflow that deploys on a push, or after a CI run that may have failed, fails', async (t) => {
  for (const fixture of ['deploy-on-push.yml', 'deploy-after-any-ci.yml']) {
    const findings = await lintWorkflows(await withFixture(t, fixture));
    assert.deepEqual(findings.filter((f) => f.kind === 'deploy-without-ci').map((f) => f.file.split('/').pop()),
      [fixture], JSON.stringify(findings));
  }
});

test('a deploy that does not run db-bootstrap first, or ignores its exit code, fails', async (t) => {
  const cases = [['deploy-without-bootstrap.yml', /job deploy deploys the services but needs no job that runs the db-bootstrap/],
    ['bootstrap-exit-ignored.yml', /nothing waits for the task .* and fails on its exitCode/]];
  for (const [fixture, message] of cases) {
    const findings = (await lintWorkflows(await withFixture(t, fixture))).filter((f) => f.kind === 'bootstrap-before-deploy');
    assert.deepEqual(findings.map((f) => f.file.split('/').pop()), [fixture], JSON.stringify(findings));
    assert.match(findings[0].message, message);
  }
});

test('the real cd.yml without its exit code check, or deploying before db-bootstrap, fails', async (t) => {
  const cd = await readFile(join(realWorkflows, 'cd.yml'), 'utf8');
  for (const [edit, message] of [
    [(text) => text.replace(/          if \[ "\$exit_code" != "0" \]; then[\s\S]*?\n          fi\n/, ''), /fails on its exitCode/],
    [(text) => text.replace('    needs: db-bootstrap\n', ''), /needs no job that runs the db-bootstrap task/]]) {
    const dir = await mkdtemp(join(tmpdir(), 'wf-cd-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const edited = edit(cd);
    assert.notEqual(edited, cd);
    await writeFile(join(dir, 'cd.yml'), edited);
    const findings = (await lintWorkflows(dir)).filter((f) => f.kind === 'bootstrap-before-deploy');
    assert.equal(findings.length, 1, JSON.stringify(findings));
    assert.match(findings[0].message, message);
  }
});

test('a terraform apply without environment production, a concurrency group or a saved plan fails', async (t) => {
  const findings = (await lintWorkflows(await withFixture(t, 'apply-unguarded.yml')))
    .filter((f) => f.file.endsWith('apply-unguarded.yml') && f.kind.startsWith('apply-'));
  assert.deepEqual(findings.map((f) => f.kind).sort(), ['apply-concurrency', 'apply-environment', 'apply-saved-plan'],
    JSON.stringify(findings));
});

test('the real apply workflow with each guard removed fails', async (t) => {
  const apply = await readFile(join(realWorkflows, 'terraform-apply.yml'), 'utf8');
  for (const [edit, kind] of [
    [(text) => text.replace('    environment: production\n', ''), 'apply-environment'],
    [(text) => text.replace('concurrency:\n  group: terraform-apply\n  cancel-in-progress: false\n', ''), 'apply-concurrency'],
    [(text) => text.replace('cancel-in-progress: false', 'cancel-in-progress: true'), 'apply-concurrency'],
    [(text) => text.replace('terraform apply -input=false -lock-timeout=5m tfplan',
      'terraform apply -input=false -lock-timeout=5m -auto-approve'), 'apply-saved-plan'],
    [(text) => text.replace('-out=tfplan', ''), 'apply-saved-plan']]) {
    const dir = await mkdtemp(join(tmpdir(), 'wf-apply-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const edited = edit(apply);
    assert.notEqual(edited, apply);
    await writeFile(join(dir, 'terraform-apply.yml'), edited);
    const findings = (await lintWorkflows(dir)).filter((f) => f.kind.startsWith('apply-'));
    assert.deepEqual(findings.map((f) => f.kind), [kind], JSON.stringify(findings));
  }
});

test('pull-requests: write that nothing uses, and a terraform init without the state key, fail', async (t) => {
  const findings = await lintWorkflows(await withFixture(t, 'plan-without-comment.yml'));
  const ours = findings.filter((f) => f.file.endsWith('plan-without-comment.yml')).map((f) => f.kind).sort();
  assert.deepEqual(ours, ['backend-key', 'unused-permission'], JSON.stringify(findings));
});

test('no Dependabot configuration, or one that leaves npm out, fails', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wf-deps-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.deepEqual((await checkDependencyUpdates(dir)).map((f) => f.kind), ['dependency-updates']);
  await writeFile(join(dir, 'dependabot.yml'), 'version: 2\nupdates:\n'
    + '  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n'
    + '  - package-ecosystem: maven\n    directory: /\n    schedule: {interval: weekly}\n');
  assert.deepEqual((await checkDependencyUpdates(dir)).map((f) => f.message),
    ['Dependabot does not update the npm dependencies']);
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
