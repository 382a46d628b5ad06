// Each rule of the checker is proven by a fixture that breaks it: the fixture directory's files replace those of
// test/fixtures/valid (a small configuration that satisfies every rule), and the checker must then fail with
// exactly that rule. The real terraform/ must pass, and the command line must exit non-zero on a violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkTerraform } from '../lib/check.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const realTerraform = join(here, '..', '..', 'terraform');
const cli = join(here, '..', 'bin', 'check-terraform.mjs');

/** A temporary copy of the valid fixture with the given fixture's files (and any extra files) laid over it. */
async function configuration(t, fixture, extraFiles = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'tf-check-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(join(fixtures, 'valid'), dir, { recursive: true });
  if (fixture) await cp(join(fixtures, fixture), dir, { recursive: true });
  for (const [name, text] of Object.entries(extraFiles)) await writeFile(join(dir, name), text);
  return dir;
}

/** A temporary copy of the real terraform/ with one file edited. */
async function realConfigurationWith(t, file, edit) {
  const dir = await mkdtemp(join(tmpdir(), 'tf-real-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(realTerraform, dir, { recursive: true });
  const before = await readFile(join(dir, file), 'utf8');
  const after = edit(before);
  assert.notEqual(after, before, `the edit of ${file} changed nothing`);
  await writeFile(join(dir, file), after);
  return dir;
}

const failedRules = (result) => [...new Set(result.violations.map((violation) => violation.rule))].sort();

async function assertFailsWith(dir, rules, messagePattern) {
  const result = await checkTerraform(dir);
  assert.deepEqual(failedRules(result), [...rules].sort(), JSON.stringify(result.violations, null, 2));
  assert.ok(result.violations.some((violation) => messagePattern.test(violation.message)),
    `no message matches ${messagePattern}: ${JSON.stringify(result.violations, null, 2)}`);
}

test('the valid fixture passes every rule', async (t) => {
  const result = await checkTerraform(await configuration(t, null));
  assert.deepEqual(result.violations, []);
});

test('the real terraform directory passes every rule', async () => {
  const result = await checkTerraform(realTerraform);
  assert.deepEqual(result.violations, []);
  assert.ok(result.files.includes('variables.tf') && result.files.includes('terraform.tfvars.example'));
});

test('a service without a log group fails', async (t) => {
  await assertFailsWith(await configuration(t, 'missing-log-group'), ['service-resources'],
    /service "user-service" has no log group/);
});

test('task definitions sharing one role instead of a task role per service fail', async (t) => {
  await assertFailsWith(await configuration(t, 'shared-task-role'), ['service-resources'],
    /service "gateway-service" has no task role of its own/);
});

test('a task definition whose container has no health check fails', async (t) => {
  await assertFailsWith(await configuration(t, 'missing-health-check'), ['container-health-check'],
    /aws_ecs_task_definition\.service .* has no container healthCheck/);
});

test('a one-off task definition needs no health check, one an ECS service runs does', async (t) => {
  const oneOff = `resource "aws_ecs_task_definition" "db_bootstrap" {
  family                = "db-bootstrap"
  container_definitions = jsonencode([{ name = "ops-tasks", image = "ops-tasks:1", command = ["db-bootstrap"] }])
}
`;
  const oneOffOnly = await configuration(t, null, { 'ops.tf': oneOff });
  assert.deepEqual((await checkTerraform(oneOffOnly)).violations, []);
  const runAsService = await configuration(t, null, { 'ops.tf': `${oneOff}
resource "aws_ecs_service" "db_bootstrap" {
  name            = "db-bootstrap"
  task_definition = aws_ecs_task_definition.db_bootstrap.arn
}
` });
  await assertFailsWith(runAsService, ['container-health-check'],
    /aws_ecs_task_definition\.db_bootstrap \(ops\.tf\) runs in an ECS service but its container has no healthCheck/);
});

test('an HTTPS listener that forwards /actuator/prometheus to the gateway fails', async (t) => {
  await assertFailsWith(await configuration(t, 'prometheus-public'), ['metrics-not-public'],
    /aws_lb_listener\.https .* no listener rule of it answers \/actuator\/prometheus/);
});

test('the real terraform without its actuator rule fails', async (t) => {
  const dir = await realConfigurationWith(t, 'alb.tf', (text) => text.replace('"/actuator/prometheus*", ', ''));
  await assertFailsWith(dir, ['metrics-not-public'], /aws_lb_listener\.https \(alb\.tf\)/);
});

test('connection pools that do not fit max_connections during a rolling deploy fail', async (t) => {
  const grown = await realConfigurationWith(t, 'locals.tf', (text) => text.replace(
    /("coupon-service" = \{[^}]*db_pool_size = )8/, '$120'));
  await assertFailsWith(grown, ['db-connection-budget'],
    /may open 482 MySQL connections \(2 x \(1x4 \+ 8x20 \+ 4x8 \+ 4x5 \+ 4x5\) \+ 10 spare\) but max_connections is 300/);
  const unbounded = await realConfigurationWith(t, 'rds.tf', (text) => text.replace(
    /\n  # the budget the services' pools are sized against[^\n]*\n  parameter \{\n    name  = "max_connections"\n[^}]*\}\n/, '\n'));
  await assertFailsWith(unbounded, ['db-connection-budget'], /sets no literal max_connections/);
});

test('a gRPC address resolved once (static://) fails', async (t) => {
  const dir = await realConfigurationWith(t, 'locals.tf', (text) => text.replace('"dns:///${local.dns[name]}',
    '"static://${local.dns[name]}'));
  await assertFailsWith(dir, ['grpc-balanced'], /grpc_address \(locals\.tf\) uses a static:\/\/ gRPC address/);
});

test('an ECS service that Terraform would move to its new task definition revision fails', async (t) => {
  const dir = await realConfigurationWith(t, 'ecs.tf', (text) => text.replace(
    'ignore_changes = [desired_count, task_definition]', 'ignore_changes = [desired_count]'));
  await assertFailsWith(dir, ['task-definition-owner'], /aws_ecs_service\.service \(ecs\.tf\) does not ignore changes/);
});

test('coupon-service searching an address this configuration does not provision, or not Elasticsearch 8, fails',
  async (t) => {
    const external = await realConfigurationWith(t, 'ecs.tf', (text) => text.replace(
      'ELASTICSEARCH_URIS             = local.elasticsearch_uri',
      'ELASTICSEARCH_URIS             = "https://search.internal.example.com:9200"'));
    await assertFailsWith(external, ['search-provisioned'],
      /coupon-service's ELASTICSEARCH_URIS \("https:\/\/search\.internal\.example\.com:9200"\) is not the Cloud Map name/);
    const openSearch = await realConfigurationWith(t, 'elasticsearch.tf', (text) => text.replace(
      '"docker.elastic.co/elasticsearch/elasticsearch:${local.elasticsearch_version}"', '"opensearchproject/opensearch:2.19.0"'));
    await assertFailsWith(openSearch, ['search-provisioned'],
      /aws_ecs_service\.elasticsearch \(elasticsearch\.tf\) .* does not run Elasticsearch 8/);
  });

test('the Elasticsearch node without its health check, or ignoring its own task definition, fails', async (t) => {
  const unchecked = await realConfigurationWith(t, 'elasticsearch.tf',
    (text) => text.replace(/      healthCheck = \{[^}]*\}\n/s, ''));
  await assertFailsWith(unchecked, ['container-health-check'],
    /aws_ecs_task_definition\.elasticsearch \(elasticsearch\.tf\) runs in an ECS service but its container has no healthCheck/);
  const frozen = await realConfigurationWith(t, 'elasticsearch.tf', (text) => text.replace(
    '  depends_on = [aws_efs_mount_target.elasticsearch',
    '  lifecycle {\n    ignore_changes = [task_definition]\n  }\n\n  depends_on = [aws_efs_mount_target.elasticsearch'));
  await assertFailsWith(frozen, ['task-definition-owner'],
    /aws_ecs_service\.elasticsearch \(elasticsearch\.tf\) ignores changes of task_definition, but no deploy replaces its image/);
});

test('service tasks without the ADOT collector fail', async (t) => {
  await assertFailsWith(await configuration(t, 'missing-collector'), ['telemetry-collector'],
    /aws_ecs_task_definition\.service \(ecs\.tf\) runs no ADOT collector/);
});

test('the real collector without X-Ray, writing elsewhere than the workspace, or the service not sending spans, fails',
  async (t) => {
    const noCollector = await realConfigurationWith(t, 'ecs.tf', (text) => text.replace(
      /    \{\n      name        = "otel-collector"[\s\S]*?\n    \}\n  \]\)/, '  ])').replace('},\n  ])', '}\n  ])'));
    await assertFailsWith(noCollector, ['telemetry-collector'], /aws_ecs_task_definition\.service \(ecs\.tf\) runs no ADOT collector/);
    const elsewhere = await realConfigurationWith(t, 'observability.tf', (text) => text.replace(
      'remote_write_endpoint = local.prometheus_remote_write_endpoint',
      'remote_write_endpoint = "https://prometheus.example.com/api/v1/write"'));
    await assertFailsWith(elsewhere, ['telemetry-collector'],
      /otel-collector\.yaml\.tftpl: the prometheusremotewrite endpoint is not the remote write URL of an aws_prometheus_workspace/);
    const noXray = await realConfigurationWith(t, 'otel-collector.yaml.tftpl', (text) => text.replace(
      '  awsxray:\n    region: ${region}\n', '  debug: {}\n'));
    await assertFailsWith(noXray, ['telemetry-collector'], /otel-collector\.yaml\.tftpl has no awsxray exporter/);
    const noSpans = await realConfigurationWith(t, 'observability.tf', (text) => text.replace(
      '"http://localhost:9411/api/v2/spans"', '"http://zipkin.example.com:9411/api/v2/spans"'));
    await assertFailsWith(noSpans, ['telemetry-collector'], /the service does not send its spans to the collector/);
  });

test('task roles that may write metrics anywhere, or not at all, fail', async (t) => {
  const anywhere = await realConfigurationWith(t, 'observability.tf', (text) => text.replace(
    'resources = [aws_prometheus_workspace.main.arn]', 'resources = ["*"]'));
  await assertFailsWith(anywhere, ['metrics-write-scoped'],
    /data\.aws_iam_policy_document\.task_telemetry \(observability\.tf\) allows aps:RemoteWrite on \["\*"\]/);
  const nowhere = await realConfigurationWith(t, 'observability.tf', (text) => text.replace(
    /resource "aws_iam_role_policy" "task_telemetry" \{[\s\S]*?\n\}\n/, ''));
  await assertFailsWith(nowhere, ['metrics-write-scoped'], /gives each service's task role aps:RemoteWrite/);
});

test('db-bootstrap allowed to write every secret instead of the ones it fills fails', async (t) => {
  const dir = await realConfigurationWith(t, 'ops_tasks.tf', (text) => text.replace(
    'resources = local.db_bootstrap_secret_arns', 'resources = ["*"]'));
  await assertFailsWith(dir, ['secret-write-scoped'],
    /data\.aws_iam_policy_document\.db_bootstrap \(ops_tasks\.tf\) allows secretsmanager:PutSecretValue on every secret/);
});

test('a queue without a dead-letter queue fails', async (t) => {
  await assertFailsWith(await configuration(t, 'queue-without-dlq'), ['queue-dlq'],
    /aws_sqs_queue\.audit .* has no dead-letter queue/);
});

test('ingress from 0.0.0.0/0 on port 22 fails', async (t) => {
  await assertFailsWith(await configuration(t, 'ssh-open-to-internet'), ['public-ingress'],
    /aws_security_group_rule\.ssh .* opens port 22/);
});

test('an undeclared var.x fails', async (t) => {
  await assertFailsWith(await configuration(t, 'undeclared-variable'), ['declared-variables'],
    /var\.x is used but no variable "x" is declared/);
});

test('a literal password fails (and puts it into the state)', async (t) => {
  await assertFailsWith(await configuration(t, 'literal-password'), ['literal-secrets', 'secret-in-state'],
    /"secret_string" has a literal value/);
});

test('a password Terraform generates and writes as a secret version fails: the state holds it', async (t) => {
  await assertFailsWith(await configuration(t, 'secret-in-state'), ['secret-in-state'],
    /random_password\.db \(secrets\.tf\) generates a secret the state stores/);
  const result = await checkTerraform(await configuration(t, 'secret-in-state'));
  assert.ok(result.violations.some((v) => /aws_secretsmanager_secret_version\.db .* sets secret_string/.test(v.message)));
});

test('the real terraform generating the database passwords again fails', async (t) => {
  const dir = await realConfigurationWith(t, 'secrets.tf', (text) => `${text}
resource "random_password" "db" {
  for_each = local.db_services
  length   = 32
}

resource "aws_secretsmanager_secret_version" "db" {
  for_each      = local.db_services
  secret_id     = aws_secretsmanager_secret.db[each.key].id
  secret_string = random_password.db[each.key].result
}
`);
  await assertFailsWith(dir, ['secret-in-state'], /aws_secretsmanager_secret_version\.db \(secrets\.tf\) sets secret_string/);
  const reading = await realConfigurationWith(t, 'secrets.tf', (text) => `${text}
data "aws_secretsmanager_secret_version" "admin" {
  secret_id = aws_secretsmanager_secret.admin_password.id
}
`);
  await assertFailsWith(reading, ['secret-in-state'], /data\.aws_secretsmanager_secret_version\.admin .* reads a secret value/);
});

test('a role pull requests assume that is not denied reading secret values fails', async (t) => {
  await assertFailsWith(await configuration(t, 'plan-role-reads-secrets'), ['plan-role-reads-secrets'],
    /aws_iam_role\.plan \(github\.tf\) is assumed by pull requests but is not denied secretsmanager:GetSecretValue/);
});

test('the real plan role without its Deny of secret values fails', async (t) => {
  const dir = await realConfigurationWith(t, 'github_oidc.tf', (text) => text.replace(
    /\n  statement \{\n    sid    = "NoSecretValues"[\s\S]*?\n  \}\n/, '\n'));
  await assertFailsWith(dir, ['plan-role-reads-secrets'],
    /aws_iam_role\.github_plan \(github_oidc\.tf\) .* not denied secretsmanager:GetSecretValue, secretsmanager:BatchGetSecretValue, ssm:GetParameter,/);
  // a Decrypt denial that lets everything but S3 through instead of the reverse
  const loose = await realConfigurationWith(t, 'github_oidc.tf', (text) => text.replace(
    'variable = "kms:ViaService"', 'variable = "aws:SourceVpc"'));
  await assertFailsWith(loose, ['plan-role-reads-secrets'], /not denied kms:Decrypt on/);
});

test('a literal password in a container environment fails', async (t) => {
  await assertFailsWith(await configuration(t, 'literal-environment-secret'), ['literal-secrets'],
    /environment value "SPRING_DATASOURCE_PASSWORD" is a literal/);
});

test('a secret passed as a Terraform variable fails', async (t) => {
  await assertFailsWith(await configuration(t, 'secret-variable'), ['literal-secrets'],
    /variable "db_password" carries a secret/);
});

test('a secret in the example variables file fails', async (t) => {
  await assertFailsWith(await configuration(t, 'tfvars-secret'), ['declared-variables', 'literal-secrets'],
    /sets "jwt_private_key": secrets belong in Secrets Manager/);
});

// The key-like strings are assembled here so that no file of the repository holds one.
test('a static AWS access key fails', async (t) => {
  const keyId = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
  const dir = await configuration(t, null, {
    'provider.tf': `provider "aws" {\n  alias      = "static"\n  access_key = "${keyId}"\n}\n`,
  });
  await assertFailsWith(dir, ['literal-secrets'], /contains an AWS access key id/);
});

test('a PEM private key fails', async (t) => {
  const begin = ['-----BEGIN', 'PRIVATE', 'KEY-----'].join(' ');
  const dir = await configuration(t, null, {
    'key.tf': `locals {\n  signing_key = <<-EOT\n    ${begin}\n    MIIEvQ\n  EOT\n}\n`,
  });
  await assertFailsWith(dir, ['literal-secrets'], /contains a PEM private key/);
});

test('unparsable HCL fails', async (t) => {
  await assertFailsWith(await configuration(t, 'unparsable-hcl'), ['parses'], /logs\.tf is not valid HCL/);
});

test('a file not in terraform fmt\'s layout fails (an attribute not aligned with its neighbour)', async (t) => {
  await assertFailsWith(await configuration(t, 'unformatted'), ['formatted'],
    /logs\.tf is not in terraform fmt's layout, first at line 3: "  name = .*" should be "  name     = .*"/);
});

test('the real terraform with a misaligned attribute or an interpolation-only string fails', async (t) => {
  // the ECR lifecycle rule's nested object is where fmt's alignment was once broken: a multi-line value is not aligned
  await assertFailsWith(await realConfigurationWith(t, 'ecr.tf',
    (text) => text.replace('        selection = {', '        selection    = {')), ['formatted'], /ecr\.tf .* line \d+/);
  await assertFailsWith(await realConfigurationWith(t, 'ecr.tf',
    (text) => text.replace('  policy     = local.ecr_lifecycle_policy', '  policy     = "${local.ecr_lifecycle_policy}"')),
  ['formatted'], /ecr\.tf line \d+: "\$\{local\.ecr_lifecycle_policy\}" is written local\.ecr_lifecycle_policy/);
});

test('the real terraform whose service containers may not hold 50,000 sockets fails', async (t) => {
  const ulimits = '      ulimits = [{ name = "nofile", softLimit = local.max_open_files, hardLimit = local.max_open_files }]\n';
  await assertFailsWith(await realConfigurationWith(t, 'ecs.tf', (text) => text.replace(ulimits, '')),
    ['open-files'], /aws_ecs_task_definition\.service \(ecs\.tf\): the service container sets no nofile ulimit/);
  await assertFailsWith(await realConfigurationWith(t, 'ecs.tf',
    (text) => text.replace('max_open_files = 131072', 'max_open_files = 4096')),
  ['open-files'], /nofile ulimit local\.max_open_files\/local\.max_open_files must be .* at least 65536/);
  await assertFailsWith(await realConfigurationWith(t, 'ecs.tf',
    (text) => text.replace('softLimit = local.max_open_files', 'softLimit = 1024')),
  ['open-files'], /soft = hard/);
});

test('every bad fixture directory is exercised by a test', async () => {
  const tested = ['valid', 'missing-log-group', 'shared-task-role', 'queue-without-dlq', 'ssh-open-to-internet',
    'undeclared-variable', 'literal-password', 'literal-environment-secret', 'secret-variable', 'tfvars-secret',
    'unparsable-hcl', 'missing-health-check', 'prometheus-public', 'secret-in-state', 'plan-role-reads-secrets', 'missing-collector', 'unformatted'];
  assert.deepEqual((await readdir(fixtures)).sort(), tested.sort());
});

test('the real terraform without the log groups fails', async (t) => {
  const dir = await realConfigurationWith(t, 'logs.tf',
    (text) => text.replace(/resource "aws_cloudwatch_log_group" "service" \{[\s\S]*?\n\}\n/, ''));
  // the ECS task definitions and the execution role still reference the removed log groups: that is the point
  const result = await checkTerraform(dir);
  assert.ok(result.violations.some((v) => /service "ai-service" has no log group/.test(v.message)));
});

test('the real terraform without the container health check fails', async (t) => {
  const dir = await realConfigurationWith(t, 'ecs.tf',
    (text) => text.replace(/      healthCheck = \{[^}]*\}\n/s, ''));
  await assertFailsWith(dir, ['container-health-check'], /has no container healthCheck/);
});

test('the real terraform with a queue lacking its redrive policy fails', async (t) => {
  const dir = await realConfigurationWith(t, 'sqs.tf',
    (text) => text.replace(/\n  redrive_policy = jsonencode\(\{[\s\S]*?\}\)\n/, '\n'));
  await assertFailsWith(dir, ['queue-dlq'], /aws_sqs_queue\.main .* has no dead-letter queue/);
});

test('the real terraform with a task security group open to the internet fails', async (t) => {
  const dir = await realConfigurationWith(t, 'sg.tf', (text) => `${text}
resource "aws_vpc_security_group_ingress_rule" "debug" {
  security_group_id = aws_security_group.service["user-service"].id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 8081
  to_port           = 8081
}
`);
  await assertFailsWith(dir, ['public-ingress'], /aws_vpc_security_group_ingress_rule\.debug .* opens port 8081/);
});

test('the command line exits 0 on the real terraform and 1 with the violation on a bad one', async (t) => {
  const run = promisify(execFile);
  const ok = await run(process.execPath, [cli, realTerraform]);
  assert.match(ok.stdout, /files OK/);

  const bad = await configuration(t, 'ssh-open-to-internet');
  await assert.rejects(run(process.execPath, [cli, bad]), (error) => {
    assert.equal(error.code, 1);
    assert.match(error.stderr, /FAIL \[public-ingress\] aws_security_group_rule\.ssh/);
    return true;
  });
});
