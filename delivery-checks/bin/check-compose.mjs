#!/usr/bin/env node
// Usage: node bin/check-compose.mjs [docker-compose.yml]   (default: the repository's)
// Exits 1 with the violations when docker-compose rejects the file or a rule of lib/compose.mjs fails.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCompose } from '../lib/compose.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = resolve(process.argv[2] ?? join(root, 'docker-compose.yml'));
const violations = await checkCompose(file, {
  projectDir: root,
  envExample: join(root, 'deploy/compose/env.example'),
  prometheusConfig: join(root, 'deploy/compose/prometheus/prometheus.yml'),
});
if (violations.length > 0) {
  for (const violation of violations) console.error(`compose check: ${violation}`);
  process.exit(1);
}
console.log(`compose check: ${file} OK (docker-compose config, published ports, health checks, depends_on, Prometheus targets, restart policies)`);
