#!/usr/bin/env node
// Usage: node bin/check-consistency.mjs [repository root]
// Exits 1 when the code, docker-compose.yml and terraform/ disagree on ports, schemas, queues or environment keys.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { resolveCompose } from '../lib/compose.mjs';
import { checkConsistency } from '../lib/consistency.mjs';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
let violations;
try {
  violations = await checkConsistency({
    root,
    terraformDir: join(root, 'terraform'),
    compose: await resolveCompose(join(root, 'docker-compose.yml'),
      { projectDir: root, envExample: join(root, 'deploy/compose/env.example') }),
    mysqlInit: await readFile(join(root, 'deploy/compose/mysql-init/01-schemas.sh'), 'utf8'),
    elasticmqConf: await readFile(join(root, 'deploy/compose/elasticmq/elasticmq.conf'), 'utf8'),
    prometheus: parse(await readFile(join(root, 'deploy/compose/prometheus/prometheus.yml'), 'utf8')),
    devstackQueues: await readFile(join(root, 'devstack/src/main/java/dev/couponhub/devstack/SqsServer.java'), 'utf8'),
  });
} catch (error) {
  violations = [error.message];
}
if (violations.length > 0) {
  for (const violation of violations) console.error(`consistency check: ${violation}`);
  process.exit(1);
}
console.log('consistency check: code, docker-compose.yml and terraform/ agree (ports, schemas, database users, queues, environment keys, server versions (compose and AWS Elasticsearch), collation, structured logs)');
