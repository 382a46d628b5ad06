// Checks docker-compose.yml offline: Debian's docker-compose 1.29 validates it against the compose schema and
// resolves it (interpolation from an env file, depends_on targets) without a Docker engine; our rules then check
// the resolved file against the system the code describes.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);

/** The Couponhub services, their HTTP ports (as in the launcher, application.yml and terraform/). */
export const SERVICES = {
  'gateway-service': 8080, 'user-service': 8081, 'store-service': 8082, 'coupon-service': 8083,
  'notification-service': 8084, 'batch-service': 8085, 'ai-service': 8086,
};
/** The only containers with ports on the host. */
const PUBLISHED = new Set(['gateway-service', 'grafana', 'mailpit', 'zipkin']);
const HEALTHCHECK = '/opt/couponhub/bin/healthcheck';

let installed;

/** docker-compose is looked for (and installed) once per process, however many files are checked. */
function dockerCompose() {
  installed ??= findOrInstallDockerCompose();
  return installed;
}

async function findOrInstallDockerCompose() {
  try {
    await run('docker-compose', ['version']);
    return;
  } catch {
    // not installed: Debian's package works without a Docker engine
  }
  if (process.getuid?.() !== 0) {
    throw new Error('docker-compose not found: install Debian\'s docker-compose package (apt-get install docker-compose)');
  }
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'docker-compose'],
    { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 16 * 1024 * 1024 });
}

/** An env file with every key of the example, empty values filled with a placeholder (never a real secret). */
async function placeholderEnv(exampleFile, dir) {
  const lines = (await readFile(exampleFile, 'utf8')).split('\n')
    .map((line) => line.replace(/^([A-Z0-9_]+)=$/, '$1=placeholder-for-the-check'));
  const file = join(dir, 'check.env');
  await writeFile(file, lines.join('\n'));
  return file;
}

/**
 * The compose file as docker-compose resolves it (schema-checked, interpolated with placeholders for the values of
 * env.example). Throws with docker-compose's message when it rejects the file.
 */
export async function resolveCompose(composeFile, { projectDir, envExample }) {
  await dockerCompose();
  const dir = await mkdtemp(join(tmpdir(), 'compose-check-'));
  try {
    const envFile = await placeholderEnv(envExample, dir);
    const { stdout } = await run('docker-compose',
      ['--project-directory', projectDir, '--env-file', envFile, '-f', composeFile, 'config'],
      { maxBuffer: 16 * 1024 * 1024 });
    return parse(stdout);
  } catch (error) {
    throw new Error(`docker-compose config rejects ${composeFile}: ${(error.stderr || error.message).trim()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * @param {string} composeFile the compose file to check
 * @param {{projectDir: string, envExample: string, prometheusConfig: string}} context
 * @returns {Promise<string[]>} the violations; empty when the file is valid
 */
export async function checkCompose(composeFile, { projectDir, envExample, prometheusConfig }) {
  let resolved;
  try {
    resolved = await resolveCompose(composeFile, { projectDir, envExample });
  } catch (error) {
    return [error.message];
  }

  const violations = [];
  const services = resolved.services ?? {};
  for (const [name, service] of Object.entries(services)) {
    if (service.ports?.length && !PUBLISHED.has(name)) {
      violations.push(`service "${name}" publishes ports on the host: only ${[...PUBLISHED].join(', ')} may`);
    }
    if (!['unless-stopped', 'always'].includes(service.restart)) {
      violations.push(`service "${name}" does not come back after a crash or a reboot (restart: unless-stopped)`);
    }
  }
  for (const [name, port] of Object.entries(SERVICES)) {
    const service = services[name];
    if (!service) {
      violations.push(`service "${name}" is missing`);
      continue;
    }
    const test = [].concat(service.healthcheck?.test ?? []).join(' ');
    if (!test.includes(HEALTHCHECK) || !test.includes(String(port))) {
      violations.push(`service "${name}" has no healthcheck running ${HEALTHCHECK} on port ${port}`);
    }
    const dependencies = service.depends_on ?? {};
    for (const [dependency, condition] of Object.entries(dependencies)) {
      if (services[dependency]?.healthcheck && condition?.condition !== 'service_healthy') {
        violations.push(`service "${name}" starts before "${dependency}" is healthy (condition: service_healthy)`);
      }
    }
  }

  const prometheus = parse(await readFile(prometheusConfig, 'utf8'));
  const targets = new Set((prometheus.scrape_configs ?? [])
    .flatMap((job) => (job.static_configs ?? []).flatMap((config) => config.targets ?? [])));
  for (const [name, port] of Object.entries(SERVICES)) {
    if (!targets.has(`${name}:${port}`)) violations.push(`Prometheus does not scrape ${name}:${port}`);
  }
  return violations;
}
