// The code, docker-compose.yml and terraform/ must describe the same system. The code is the reference: each
// service's application.yml (ports, schema, the environment placeholders it reads) and @ConfigurationProperties,
// and devstack's queues. Compared with terraform/ (local.services, local.queues, the containers' environment and
// secrets) and the compose side (health check ports, Prometheus targets, the MySQL init script, ElasticMQ queues).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadDirectory, locals, resources, variableDefaults } from './load.mjs';
import { SERVICES } from './compose.mjs';

/** Environment keys any service may get whatever its application.yml says: Spring Boot's own and the JVM's. */
const PLATFORM_KEYS = [/^SPRING_/, /^MANAGEMENT_/, /^SERVER_/, /^LOGGING_/, /^GRPC_SERVER_/, /^JAVA_TOOL_OPTIONS$/,
  /^AWS_REGION$/];

const envForm = (property) => property.toUpperCase().replaceAll('-', '').replaceAll('.', '_');

async function javaFiles(dir) {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.java')) files.push(join(entry.parentPath ?? entry.path, entry.name));
  }
  return files;
}

/** What one service's code says about itself. */
async function serviceFacts(root, service) {
  const base = join(root, service, 'src/main');
  const ymlText = await readFile(join(base, 'resources/application.yml'), 'utf8');
  const yml = parse(ymlText);
  const schema = /jdbc:mysql:\/\/[^/]+\/(\w+)/.exec(yml?.spring?.datasource?.url ?? '')?.[1] ?? null;
  const placeholders = new Set([...ymlText.matchAll(/\$\{([A-Z][A-Z0-9_]*)[:}]/g)].map((match) => match[1]));
  // environment forms of the @ConfigurationProperties properties: PREFIX_COMPONENT (nested ones and list indexes
  // continue with "_")
  const properties = new Set();
  for (const file of await javaFiles(join(base, 'java'))) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/@ConfigurationProperties\(\s*(?:prefix\s*=\s*|value\s*=\s*)?"([^"]+)"/g)) {
      for (const name of propertyNames(text.slice(match.index))) {
        // Spring binds both forms of a dashed name: dashes removed (JWKSURI) and, the legacy one, "_" (JWKS_URI)
        const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        properties.add(`${envForm(match[1])}_${envForm(kebab)}`);
        properties.add(`${envForm(match[1])}_${kebab.toUpperCase().replaceAll('-', '_')}`);
      }
    }
  }
  return { port: yml?.server?.port ?? null, grpcPort: yml?.grpc?.server?.port ?? null, schema,
    user: yml?.spring?.datasource?.username ?? null, placeholders, properties };
}

/** The components of the record (or the fields of the class) that follows a @ConfigurationProperties. */
function propertyNames(source) {
  const record = /^[^{]*?\brecord\s+\w+\s*\(/s.exec(source);
  if (record) {
    let depth = 1;
    let i = record[0].length;
    let current = '';
    const parameters = [];
    for (; i < source.length && depth > 0; i++) {
      const c = source[i];
      if (c === '(' || c === '<') depth++;
      if (c === ')' || c === '>') depth--;
      if ((c === ',' && depth === 1) || depth === 0) {
        parameters.push(current);
        current = '';
      } else {
        current += c;
      }
    }
    return parameters.map((parameter) => /(\w+)\s*$/.exec(parameter.trim())?.[1]).filter(Boolean);
  }
  const body = source.slice(0, source.indexOf('\n}') + 1);
  return [...body.matchAll(/private\s+(?!static)[\w<>, ?.]+\s+(\w+)\s*[;=]/g)].map((match) => match[1]);
}

function knownKey(key, facts) {
  return facts.placeholders.has(key) || PLATFORM_KEYS.some((pattern) => pattern.test(key))
    || [...facts.properties].some((property) => key === property || key.startsWith(`${property}_`));
}

/** Keys of a Terraform map expression, following references to other local.*_environment maps. */
function mapKeys(value, allLocals, seen = new Set()) {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.keys(value);
  const text = String(value ?? '');
  const keys = new Set([...text.matchAll(/\b([A-Z][A-Z0-9_]+)\s*=/g)].map((match) => match[1]));
  for (const [, name] of text.matchAll(/local\.(\w+_environment)\b/g)) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const key of mapKeys(allLocals[name], allLocals, seen)) keys.add(key);
  }
  return [...keys];
}

/**
 * @param {{root: string, terraformDir: string, compose: object, mysqlInit: string, elasticmqConf: string,
 *          prometheus: object, devstackQueues: string}} sources
 * @returns {Promise<string[]>} the violations
 */
export async function checkConsistency({ root, terraformDir, compose, mysqlInit, elasticmqConf, prometheus, devstackQueues }) {
  const violations = [];
  const model = await loadDirectory(terraformDir);
  const tf = locals(model);
  const tfServices = tf.services ?? {};
  const facts = {};
  for (const service of Object.keys(SERVICES)) facts[service] = await serviceFacts(root, service);

  // services and ports
  const names = (set) => [...set].sort().join(', ');
  if (names(Object.keys(tfServices)) !== names(Object.keys(SERVICES))) {
    violations.push(`terraform local.services (${names(Object.keys(tfServices))}) differs from the services (${names(Object.keys(SERVICES))})`);
  }
  const targets = new Set((prometheus.scrape_configs ?? [])
    .flatMap((job) => (job.static_configs ?? []).flatMap((config) => config.targets ?? [])));
  for (const [service, fact] of Object.entries(facts)) {
    const tfService = tfServices[service] ?? {};
    if (fact.port !== tfService.port) {
      violations.push(`${service}: application.yml server.port ${fact.port}, terraform port ${tfService.port}`);
    }
    if ((fact.grpcPort ?? null) !== (tfService.grpc_port ?? null)) {
      violations.push(`${service}: application.yml grpc.server.port ${fact.grpcPort}, terraform grpc_port ${tfService.grpc_port ?? null}`);
    }
    const health = [].concat(compose.services?.[service]?.healthcheck?.test ?? []);
    if (!health.includes(String(fact.port))) {
      violations.push(`${service}: the compose health check does not ask port ${fact.port}`);
    }
    if (!targets.has(`${service}:${fact.port}`)) {
      violations.push(`${service}: Prometheus does not scrape ${service}:${fact.port}`);
    }
    // schemas
    if ((fact.schema ?? null) !== (tfService.database ?? null)) {
      violations.push(`${service}: application.yml uses schema ${fact.schema}, terraform database ${tfService.database ?? null}`);
    }
  }
  // database users: the one-off task db-bootstrap (terraform/ops_tasks.tf) creates "<service without -service>_svc"
  // for each service with a schema; the service must log in as that user
  const bootstrapUsers = String(tf.ops_database_environment ?? '');
  const namesUsers = /_USER"\s*=\s*"\$\{trimsuffix\(name,\s*"-service"\)\}_svc"/.test(bootstrapUsers);
  if (!namesUsers) {
    violations.push('terraform local.ops_database_environment does not name each database user '
      + '"${trimsuffix(name, "-service")}_svc": db-bootstrap would create users the services do not log in as');
  }
  for (const [service, fact] of Object.entries(facts)) {
    const expectedUser = `${service.replace(/-service$/, '')}_svc`;
    if (fact.schema && fact.user !== expectedUser) {
      violations.push(`${service}: application.yml logs in as ${fact.user}, db-bootstrap creates ${expectedUser}`);
    }
  }
  const initSchemas = new Set((/for svc in ([\w ]+);/.exec(mysqlInit)?.[1] ?? '').trim().split(/\s+/).map((svc) => `${svc}_db`));
  const codeSchemas = new Set(Object.values(facts).map((fact) => fact.schema).filter(Boolean));
  if (names(initSchemas) !== names(codeSchemas)) {
    violations.push(`the compose MySQL init script creates ${names(initSchemas)}, the services use ${names(codeSchemas)}`);
  }

  // queues
  const devstack = new Set([...(/QUEUES\s*=\s*List\.of\(([^)]*)\)/s.exec(devstackQueues)?.[1] ?? '').matchAll(/"([^"]+)"/g)]
    .map((match) => match[1]));
  const tfQueues = new Set(Object.keys(tf.queues ?? {}));
  const elasticmq = new Set([...elasticmqConf.matchAll(/^\s{2}([a-z0-9-]+)\s*\{/gm)].map((match) => match[1])
    .filter((name) => !name.endsWith('-dlq')));
  if (names(tfQueues) !== names(devstack)) violations.push(`terraform queues (${names(tfQueues)}) differ from devstack's (${names(devstack)})`);
  if (names(elasticmq) !== names(devstack)) violations.push(`ElasticMQ queues (${names(elasticmq)}) differ from devstack's (${names(devstack)})`);
  for (const queue of devstack) {
    if (!new RegExp(`^\\s{2}${queue}-dlq\\s*\\{`, 'm').test(elasticmqConf)) violations.push(`ElasticMQ has no ${queue}-dlq`);
  }
  const devstackReceives = Number(/MAX_RECEIVE_COUNT\s*=\s*(\d+)/.exec(devstackQueues)?.[1]);
  const composeReceives = new Set([...elasticmqConf.matchAll(/maxReceiveCount\s*=\s*(\d+)/g)].map((match) => Number(match[1])));
  if (tf.dlq_max_receive_count !== devstackReceives || composeReceives.size !== 1 || !composeReceives.has(devstackReceives)) {
    violations.push(`maxReceiveCount differs: devstack ${devstackReceives}, terraform ${tf.dlq_max_receive_count}, ElasticMQ ${[...composeReceives]}`);
  }

  // servers: compose runs the devstack's versions where the devstack runs the same server (Elasticsearch, ElasticMQ,
  // Zipkin),
  // and production's where it cannot (MySQL, Redis: the devstack has MariaDB and an embedded Redis), with the
  // character set and collation of RDS's parameter group
  const pom = await readFile(join(root, 'pom.xml'), 'utf8');
  const pomVersion = (property) => new RegExp(`<${property}>([^<]+)</${property}>`).exec(pom)?.[1];
  const imageTag = (service) => /:([^:/]+)$/.exec(compose.services?.[service]?.image ?? '')?.[1] ?? '';
  const variableDefault = (name) => variableDefaults(model)[name];
  const expected = [
    ['elasticsearch', pomVersion('elasticsearch-server.version'), 'pom.xml elasticsearch-server.version'],
    ['elasticmq', pomVersion('elasticmq.version'), 'pom.xml elasticmq.version'],
    ['zipkin', pomVersion('zipkin-server.version'), 'pom.xml zipkin-server.version'],
    ['mysql', variableDefault('db_engine_version'), 'terraform var.db_engine_version'],
    ['redis', variableDefault('redis_engine_version'), 'terraform var.redis_engine_version'],
  ];
  for (const [service, version, source] of expected) {
    const tag = imageTag(service);
    if (!version || !(tag === version || tag.startsWith(`${version}-`))) {
      violations.push(`compose ${service} runs ${tag || 'no image'}, ${source} is ${version}`);
    }
  }
  // production's Elasticsearch node (terraform/elasticsearch.tf) runs the devstack's version too
  if (tf.elasticsearch_version !== pomVersion('elasticsearch-server.version')) {
    violations.push(`terraform's Elasticsearch node runs ${tf.elasticsearch_version ?? 'no local.elasticsearch_version'}, `
      + `pom.xml elasticsearch-server.version is ${pomVersion('elasticsearch-server.version')}`);
  }
  const rdsParameters = Object.fromEntries(resources(model).filter((block) => block.type === 'aws_db_parameter_group')
    .flatMap((block) => [block.body.parameter ?? []].flat()).map((parameter) => [parameter.name, parameter.value]));
  const mysqlCommand = [].concat(compose.services?.mysql?.command ?? []).join(' ');
  for (const [parameter, flag] of [['character_set_server', 'character-set-server'], ['collation_server', 'collation-server']]) {
    const value = rdsParameters[parameter];
    if (!value || !mysqlCommand.includes(`--${flag}=${value}`)) {
      violations.push(`compose mysql does not run with --${flag}=${value}, the ${parameter} of RDS's parameter group`);
    }
  }

  // storage something uses: an S3 bucket or a CloudFront distribution is there only if a workflow uploads to it
  const workflowsDir = join(root, '.github', 'workflows');
  let workflows = '';
  try {
    for (const name of (await readdir(workflowsDir)).filter((file) => /\.ya?ml$/.test(file))) {
      workflows += await readFile(join(workflowsDir, name), 'utf8');
    }
  } catch {
    // no workflows: nothing uploads
  }
  const uploads = /aws s3 (sync|cp)\b/.test(workflows);
  for (const block of resources(model).filter((candidate) => ['aws_s3_bucket', 'aws_cloudfront_distribution']
    .includes(candidate.type))) {
    if (!uploads) {
      violations.push(`${block.type}.${block.name} (${block.file}) serves nothing: no workflow uploads to S3`);
    }
  }

  // logs: outside the local profile every service writes one JSON object a line (Spring Boot's structured logging)
  const STRUCTURED = new Set(['ecs', 'logstash', 'gelf']);
  for (const service of Object.keys(SERVICES)) {
    const composeFormat = compose.services?.[service]?.environment?.LOGGING_STRUCTURED_FORMAT_CONSOLE;
    if (!STRUCTURED.has(composeFormat)) {
      violations.push(`${service}: docker-compose.yml does not set LOGGING_STRUCTURED_FORMAT_CONSOLE (ecs): plain-text logs`);
    }
    if (!mapKeys(tf.service_environment?.[service], tf).includes('LOGGING_STRUCTURED_FORMAT_CONSOLE')) {
      violations.push(`${service}: terraform does not set LOGGING_STRUCTURED_FORMAT_CONSOLE (ecs): plain-text logs`);
    }
  }
  if (!STRUCTURED.has(tf.common_environment?.LOGGING_STRUCTURED_FORMAT_CONSOLE)) {
    violations.push(`terraform local.common_environment sets LOGGING_STRUCTURED_FORMAT_CONSOLE to `
      + `${tf.common_environment?.LOGGING_STRUCTURED_FORMAT_CONSOLE}, not a structured format (ecs)`);
  }

  // environment keys: every key a deployment sets must be read by the service
  for (const service of Object.keys(SERVICES)) {
    const tfKeys = [...mapKeys(tf.service_environment?.[service], tf), ...mapKeys(tf.service_secrets?.[service], tf)];
    for (const key of tfKeys.filter((candidate) => !knownKey(candidate, facts[service]))) {
      violations.push(`${service}: terraform sets ${key}, which the service does not read`);
    }
    const composeKeys = Object.keys(compose.services?.[service]?.environment ?? {});
    for (const key of composeKeys.filter((candidate) => !knownKey(candidate, facts[service]))) {
      violations.push(`${service}: docker-compose.yml sets ${key}, which the service does not read`);
    }
  }
  return violations;
}
