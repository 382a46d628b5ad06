// The compose check must pass on the repository's docker-compose.yml and fail on a copy broken in each way it
// guards against: a schema error, an unknown key, an undefined dependency, a secret missing from env.example, a
// published internal port, a service without the image's health check, a dependency not waited for, a service
// Prometheus does not scrape, and a container without a restart policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkCompose } from '../lib/compose.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const realCompose = join(root, 'docker-compose.yml');
const context = {
  projectDir: root,
  envExample: join(root, 'deploy/compose/env.example'),
  prometheusConfig: join(root, 'deploy/compose/prometheus/prometheus.yml'),
};

/** Writes an edited copy of a file into a temporary directory and returns its path. */
async function editedCopy(t, source, edit) {
  const dir = await mkdtemp(join(tmpdir(), 'compose-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const before = await readFile(source, 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, 'the edit changed nothing');
  const file = join(dir, source.endsWith('prometheus.yml') ? 'prometheus.yml' : 'docker-compose.yml');
  await writeFile(file, after);
  return file;
}

async function assertViolation(file, pattern, overrides = {}) {
  const violations = await checkCompose(file, { ...context, ...overrides });
  assert.ok(violations.some((violation) => pattern.test(violation)),
    `expected a violation matching ${pattern}, got ${JSON.stringify(violations, null, 2)}`);
}

test('the repository docker-compose.yml passes', async () => {
  assert.deepEqual(await checkCompose(realCompose, context), []);
});

test('a container without a restart policy fails', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace(
    /(  elasticmq:\n(?:.*\n)*?)    restart: unless-stopped\n/, '$1'));
  await assertViolation(file, /service "elasticmq" does not come back after a crash or a reboot/);
});

test('a misspelt depends_on condition fails the schema', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace('condition: service_healthy', 'condition: service_heathy'));
  await assertViolation(file, /docker-compose config rejects .*service_heathy/s);
});

test('an unknown key fails the schema', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace('    image: redis:7.1-alpine', '    imagee: redis:7.1-alpine'));
  await assertViolation(file, /Unsupported config option for services\.redis: 'imagee'/);
});

test('a dependency on an undefined service fails', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace(/(  ai-service:\n(?:.*\n)*?    depends_on:\n)/,
    '$1      recommendations-cache:\n        condition: service_started\n'));
  await assertViolation(file, /depends on service 'recommendations-cache' which is undefined/);
});

test('a required variable missing from env.example fails', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace('GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD:?set it in .env}',
    'GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ROOT_PASSWORD:?set it in .env}'));
  await assertViolation(file, /docker-compose config rejects .*set it in \.env/s);
});

test('publishing an internal port fails', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace('    image: redis:7.1-alpine\n',
    '    image: redis:7.1-alpine\n    ports:\n      - "6379:6379"\n'));
  await assertViolation(file, /service "redis" publishes ports on the host/);
});

test('a service without the image health check fails', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace(
    '"/opt/couponhub/bin/healthcheck", "8083"', '"bash", "-c", "true"'));
  await assertViolation(file, /service "coupon-service" has no healthcheck running \/opt\/couponhub\/bin\/healthcheck on port 8083/);
});

test('starting before a dependency is healthy fails', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace(/(  user-service:\n(?:.*\n)*?    depends_on:\n      mysql:\n        condition: )service_healthy/,
    '$1service_started'));
  await assertViolation(file, /service "user-service" starts before "mysql" is healthy/);
});

test('a service Prometheus does not scrape fails', async (t) => {
  const prometheus = await editedCopy(t, context.prometheusConfig, (text) => text.replace('          - batch-service:8085\n', ''));
  await assertViolation(realCompose, /Prometheus does not scrape batch-service:8085/, { prometheusConfig: prometheus });
});

test('the command line exits 1 with the violation on a broken file', async (t) => {
  const file = await editedCopy(t, realCompose, (text) => text.replace('    image: redis:7.1-alpine', '    imagee: redis:7.1-alpine'));
  const cli = join(here, '..', 'bin', 'check-compose.mjs');
  await assert.rejects(promisify(execFile)('node', [cli, file]),
    (error) => error.code === 1 && /imagee/.test(error.stderr));
  const { stdout } = await promisify(execFile)('node', [cli]);
  assert.match(stdout, /OK/);
});
