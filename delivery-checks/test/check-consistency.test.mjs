// The consistency check passes on the repository and fails when one of the code, docker-compose.yml or terraform/
// drifts: a port, a schema, a queue, the dead-letter receive count, or an environment key nobody reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { resolveCompose, SERVICES } from '../lib/compose.mjs';
import { checkConsistency } from '../lib/consistency.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (path) => readFile(join(root, path), 'utf8');

async function sources() {
  return {
    root,
    terraformDir: join(root, 'terraform'),
    compose: await resolveCompose(join(root, 'docker-compose.yml'),
      { projectDir: root, envExample: join(root, 'deploy/compose/env.example') }),
    mysqlInit: await read('deploy/compose/mysql-init/01-schemas.sh'),
    elasticmqConf: await read('deploy/compose/elasticmq/elasticmq.conf'),
    prometheus: parse(await read('deploy/compose/prometheus/prometheus.yml')),
    devstackQueues: await read('devstack/src/main/java/dev/couponhub/devstack/SqsServer.java'),
  };
}

/** A temporary copy of terraform/ with one file edited. */
async function terraformWith(t, file, edit) {
  const dir = await mkdtemp(join(tmpdir(), 'consistency-tf-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(join(root, 'terraform'), dir, { recursive: true });
  const before = await readFile(join(dir, file), 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  await writeFile(join(dir, file), after);
  return dir;
}

async function assertViolation(overrides, pattern) {
  const violations = await checkConsistency({ ...(await sources()), ...overrides });
  assert.ok(violations.some((violation) => pattern.test(violation)),
    `expected a violation matching ${pattern}, got ${JSON.stringify(violations, null, 2)}`);
}

test('the repository is consistent', async () => {
  assert.deepEqual(await checkConsistency(await sources()), []);
});

test('a terraform port that differs from application.yml fails', async (t) => {
  const terraformDir = await terraformWith(t, 'locals.tf', (text) => text.replace('port         = 8085', 'port         = 8095'));
  await assertViolation({ terraformDir }, /batch-service: application\.yml server\.port 8085, terraform port 8095/);
});

test('a terraform environment key the service does not read fails', async (t) => {
  const terraformDir = await terraformWith(t, 'ecs.tf', (text) => text.replace('COUPONHUB_STATS_ZONE ', 'COUPONHUB_STATS_TZ   '));
  await assertViolation({ terraformDir }, /batch-service: terraform sets COUPONHUB_STATS_TZ, which the service does not read/);
});

test('a compose environment key the service does not read fails', async () => {
  const compose = (await sources()).compose;
  compose.services['ai-service'].environment.DB_HOST = 'mysql';
  await assertViolation({ compose }, /ai-service: docker-compose\.yml sets DB_HOST, which the service does not read/);
});

test('compose servers of other versions than the devstack or production, or another collation than RDS, fail',
  async (t) => {
    const compose = (await sources()).compose;
    compose.services.elasticsearch.image = 'docker.elastic.co/elasticsearch/elasticsearch:8.19.2';
    compose.services.elasticmq.image = 'softwaremill/elasticmq-native:1.6.11';
    compose.services.redis.image = 'redis:7.4-alpine';
    compose.services.zipkin.image = 'openzipkin/zipkin:3.4.0';
    compose.services.mysql.command = ['--innodb-buffer-pool-size=512M', '--character-set-server=utf8mb4'];
    const violations = await checkConsistency({ ...(await sources()), compose });
    for (const pattern of [/compose elasticsearch runs 8\.19\.2, pom\.xml elasticsearch-server\.version is 8\.19\.21/,
      /compose elasticmq runs 1\.6\.11, pom\.xml elasticmq\.version is 1\.7\.1/,
      /compose redis runs 7\.4-alpine, terraform var\.redis_engine_version is 7\.1/,
      /compose zipkin runs 3\.4\.0, pom\.xml zipkin-server\.version is 3\.5\.1/,
      /compose mysql does not run with --collation-server=utf8mb4_0900_ai_ci/]) {
      assert.ok(violations.some((violation) => pattern.test(violation)), `${pattern}: ${JSON.stringify(violations)}`);
    }
    // RDS moving to another MySQL than compose runs
    const terraformDir = await terraformWith(t, 'variables.tf', (text) => text.replace('default     = "8.4"',
      'default     = "8.4.6"'));
    await assertViolation({ terraformDir }, /compose mysql runs 8\.4, terraform var\.db_engine_version is 8\.4\.6/);
  });

test('an Elasticsearch node on AWS of another version than the devstack fails', async (t) => {
  const terraformDir = await terraformWith(t, 'elasticsearch.tf', (text) => text.replace(
    'elasticsearch_version = "8.19.21"', 'elasticsearch_version = "8.18.0"'));
  await assertViolation({ terraformDir }, /terraform's Elasticsearch node runs 8\.18\.0, pom\.xml elasticsearch-server\.version is 8\.19\.21/);
});

test('a bucket or a CDN that no workflow uploads to fails', async (t) => {
  const terraformDir = await terraformWith(t, 'outputs.tf', (text) => `${text}
resource "aws_s3_bucket" "static" {
  bucket = "assets"
}
`);
  await assertViolation({ terraformDir }, /aws_s3_bucket\.static \(outputs\.tf\) serves nothing: no workflow uploads to S3/);
});

test('plain-text logs on AWS or in compose fail', async (t) => {
  const compose = (await sources()).compose;
  delete compose.services['batch-service'].environment.LOGGING_STRUCTURED_FORMAT_CONSOLE;
  await assertViolation({ compose }, /batch-service: docker-compose\.yml does not set LOGGING_STRUCTURED_FORMAT_CONSOLE/);
  const terraformDir = await terraformWith(t, 'ecs.tf', (text) => text.replace(
    'LOGGING_STRUCTURED_FORMAT_CONSOLE = "ecs"', 'LOGGING_STRUCTURED_FORMAT_CONSOLE = "plain"'));
  await assertViolation({ terraformDir }, /common_environment sets LOGGING_STRUCTURED_FORMAT_CONSOLE to plain/);
});

test('a queue only terraform knows fails', async (t) => {
  const terraformDir = await terraformWith(t, 'locals.tf', (text) => text.replace('  queues = {\n',
    '  queues = {\n    "coupon-events-audit" = {\n      producers = ["coupon-service"]\n      consumer  = "batch-service"\n    }\n'));
  await assertViolation({ terraformDir }, /terraform queues \(.*coupon-events-audit.*\) differ from devstack's/);
});

test('an ElasticMQ queue without its dead-letter queue fails', async () => {
  const elasticmqConf = (await sources()).elasticmqConf.replace('  coupon-events-stats-dlq {}\n', '');
  await assertViolation({ elasticmqConf }, /ElasticMQ has no coupon-events-stats-dlq/);
});

test('a different dead-letter receive count fails', async () => {
  const elasticmqConf = (await sources()).elasticmqConf.replace(/maxReceiveCount = \d+/, 'maxReceiveCount = 3');
  await assertViolation({ elasticmqConf }, /maxReceiveCount differs/);
});

test('a schema the MySQL init script does not create fails', async () => {
  const mysqlInit = (await sources()).mysqlInit.replace('for svc in user store coupon notification batch;',
    'for svc in user store coupon notification;');
  await assertViolation({ mysqlInit }, /the compose MySQL init script creates .* the services use .*batch_db/);
});

test('a database user db-bootstrap does not create fails', async (t) => {
  const terraformDir = await terraformWith(t, 'ops_tasks.tf', (text) => text.replace(
    '"${trimsuffix(name, "-service")}_svc"', '"${trimsuffix(name, "-service")}_user"'));
  await assertViolation({ terraformDir }, /ops_database_environment does not name each database user/);
  const copy = await mkdtemp(join(tmpdir(), 'consistency-user-'));
  t.after(() => rm(copy, { recursive: true, force: true }));
  for (const service of Object.keys(SERVICES)) {
    await cp(join(root, service, 'src/main'), join(copy, service, 'src/main'), { recursive: true });
  }
  await cp(join(root, 'pom.xml'), join(copy, 'pom.xml'));
  const yml = join(copy, 'store-service/src/main/resources/application.yml');
  await writeFile(yml, (await readFile(yml, 'utf8')).replace('username: store_svc', 'username: store_app'));
  await assertViolation({ root: copy }, /store-service: application\.yml logs in as store_app, db-bootstrap creates store_svc/);
});

test('a service whose code changes its schema fails', async (t) => {
  const copy = await mkdtemp(join(tmpdir(), 'consistency-code-'));
  t.after(() => rm(copy, { recursive: true, force: true }));
  for (const service of Object.keys(SERVICES)) {
    await cp(join(root, service, 'src/main'), join(copy, service, 'src/main'), { recursive: true });
  }
  await cp(join(root, 'pom.xml'), join(copy, 'pom.xml'));
  const yml = join(copy, 'user-service/src/main/resources/application.yml');
  await writeFile(yml, (await readFile(yml, 'utf8')).replace('/user_db', '/users_db'));
  await assertViolation({ root: copy }, /user-service: application\.yml uses schema users_db, terraform database user_db/);
});
