// The structural rules over a parsed Terraform directory. Each rule is one function returning its violations
// (strings); an empty array means the rule holds.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blocksOf, declaredVariables, locals, references, resources, variableDefaults, walk } from './load.mjs';

const SERVICES_EXPRESSION = '${local.services}';
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);
const PUBLIC_PORTS = new Set([80, 443]);

const where = (block) => `${block.type}.${block.name} (${block.file})`;
const isExpression = (value) => typeof value === 'string' && value.includes('${');
const literalNumber = (value) => (typeof value === 'number' ? value : null);

// ---------------------------------------------------------------------------------------------------------------
// every file parses

export function everyFileParses(model) {
  const violations = model.files
    .filter((file) => file.error)
    .map((file) => `${file.name} is not valid HCL: ${file.error}`);
  if (!model.files.some((file) => file.kind === 'tf')) violations.push(`no .tf file in ${model.dir}`);
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// every file is laid out as `terraform fmt` lays it out

// An attribute whose whole value is one interpolation ("${var.x}"): terraform fmt unwraps it to the bare expression.
const INTERPOLATION_ONLY = /^\s*[A-Za-z_][\w-]*\s*=\s*"\$\{([^"{}]*)\}"\s*$/;

export function everyFileIsFormatted(model) {
  const violations = [];
  for (const file of model.files) {
    if (file.formatted === null) continue;
    if (file.formatted !== file.text) {
      const before = file.text.split('\n');
      const after = file.formatted.split('\n');
      const line = before.findIndex((text, i) => text !== after[i]);
      violations.push(`${file.name} is not in terraform fmt's layout, first at line ${line + 1}: `
        + `${JSON.stringify(before[line] ?? '')} should be ${JSON.stringify(after[line] ?? '')}`);
    }
    file.text.split('\n').forEach((text, i) => {
      const match = INTERPOLATION_ONLY.exec(text);
      if (match) violations.push(`${file.name} line ${i + 1}: "\${${match[1]}}" is written ${match[1]} by terraform fmt`);
    });
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// every service has a task definition, ECS service, log group, ECR repository and its own task role

const PER_SERVICE = [
  ['aws_ecs_task_definition', 'task definition'],
  ['aws_ecs_service', 'ECS service'],
  ['aws_cloudwatch_log_group', 'log group'],
  ['aws_ecr_repository', 'ECR repository'],
];

/** The services a resource exists for: all of them with for_each = local.services, or the one it is named for. */
function servicesCoveredBy(block, services) {
  if (block.body.for_each === SERVICES_EXPRESSION) return new Set(services);
  if (block.body.for_each !== undefined || block.body.count !== undefined) return new Set();
  const label = block.name.replaceAll('_', '-');
  const literalNames = Object.values(block.body).filter((value) => typeof value === 'string' && !isExpression(value));
  return new Set(services.filter((service) => label === service || label === service.replace(/-service$/, '')
    || literalNames.some((value) => value.split(/[/:]/).includes(service))));
}

function coverage(model, type, services) {
  const covered = new Map(services.map((service) => [service, []]));
  for (const block of resources(model).filter((candidate) => candidate.type === type)) {
    for (const service of servicesCoveredBy(block, services)) covered.get(service).push(block);
  }
  return covered;
}

export function serviceNames(model) {
  const services = locals(model).services;
  return services && typeof services === 'object' && !Array.isArray(services) ? Object.keys(services) : [];
}

export function everyServiceHasItsResources(model) {
  const services = serviceNames(model);
  if (services.length === 0) return ['locals must define the map "services" (one entry per application)'];
  const violations = [];
  for (const [type, what] of PER_SERVICE) {
    for (const [service, blocks] of coverage(model, type, services)) {
      if (blocks.length === 0) {
        violations.push(`service "${service}" has no ${what}: add a ${type} with for_each = local.services`);
      }
    }
  }
  violations.push(...everyServiceHasItsOwnTaskRole(model, services));
  return violations;
}

function everyServiceHasItsOwnTaskRole(model, services) {
  const roles = resources(model).filter((block) => block.type === 'aws_iam_role');
  const violations = [];
  for (const [service, taskDefinitions] of coverage(model, 'aws_ecs_task_definition', services)) {
    for (const taskDefinition of taskDefinitions) {
      const roleNames = references(taskDefinition.body.task_role_arn, 'aws_iam_role');
      const role = roles.find((candidate) => candidate.name === roleNames[0]);
      if (!role) {
        violations.push(`service "${service}": ${where(taskDefinition)} has no task_role_arn of an aws_iam_role`);
      } else if (!servicesCoveredBy(role, services).has(service)) {
        violations.push(`service "${service}" has no task role of its own: aws_iam_role.${role.name} is not `
          + 'per service (use for_each = local.services and task_role_arn = aws_iam_role.<name>[each.key].arn)');
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// every queue has a dead-letter queue

export function everyQueueHasADeadLetterQueue(model) {
  const queues = resources(model).filter((block) => block.type === 'aws_sqs_queue');
  const queueNames = new Set(queues.map((queue) => queue.name));
  const deadLetterTarget = new Map(); // queue resource name => dead-letter queue resource name
  const violations = [];

  const readRedrive = (owner, queueName, policy) => {
    if (policy === undefined) return;
    const text = typeof policy === 'string' ? policy : JSON.stringify(policy);
    const target = /deadLetterTargetArn/.test(text) ? references(text, 'aws_sqs_queue')[0] : undefined;
    if (!target) {
      violations.push(`${where(owner)}: redrive_policy names no aws_sqs_queue as deadLetterTargetArn`);
    } else if (!queueNames.has(target)) {
      violations.push(`${where(owner)}: dead-letter queue aws_sqs_queue.${target} does not exist`);
    } else if (!/maxReceiveCount/.test(text)) {
      violations.push(`${where(owner)}: redrive_policy has no maxReceiveCount`);
    } else {
      deadLetterTarget.set(queueName, target);
    }
  };

  for (const queue of queues) readRedrive(queue, queue.name, queue.body.redrive_policy);
  for (const redrive of resources(model).filter((block) => block.type === 'aws_sqs_queue_redrive_policy')) {
    const queueName = references(redrive.body.queue_url, 'aws_sqs_queue')[0];
    if (queueName) readRedrive(redrive, queueName, redrive.body.redrive_policy);
  }

  const deadLetterQueues = new Set(deadLetterTarget.values());
  for (const queue of queues) {
    const isDeadLetterQueue = deadLetterQueues.has(queue.name)
      || (typeof queue.body.name === 'string' && /-dlq(\.fifo)?$/.test(queue.body.name));
    if (isDeadLetterQueue || deadLetterTarget.has(queue.name)) continue;
    violations.push(`${where(queue)} has no dead-letter queue: give it a redrive_policy with deadLetterTargetArn `
      + 'and maxReceiveCount');
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// nothing is open to the internet except the load balancer on 80 and 443

function loadBalancerSecurityGroups(model) {
  const names = new Set();
  for (const block of resources(model).filter((candidate) => ['aws_lb', 'aws_alb'].includes(candidate.type))) {
    for (const group of [block.body.security_groups].flat()) {
      references(group, 'aws_security_group').forEach((name) => names.add(name));
    }
  }
  return names;
}

/** Every ingress rule with an open CIDR: {block, group, fromPort, toPort, protocol}. */
function openIngressRules(model) {
  const rules = [];
  const opens = (...cidrs) => cidrs.flat().some((cidr) => OPEN_CIDRS.has(cidr));
  for (const block of resources(model)) {
    const body = block.body;
    if (block.type === 'aws_security_group') {
      const inline = [body.ingress ?? []].flat();
      const dynamic = [body.dynamic?.ingress ?? []].flat().flatMap((entry) => [entry.content ?? []].flat());
      for (const rule of [...inline, ...dynamic]) {
        if (opens(rule.cidr_blocks ?? [], rule.ipv6_cidr_blocks ?? [])) {
          rules.push({ block, group: block.name, fromPort: rule.from_port, toPort: rule.to_port, protocol: rule.protocol });
        }
      }
    } else if (block.type === 'aws_security_group_rule' && body.type === 'ingress') {
      if (opens(body.cidr_blocks ?? [], body.ipv6_cidr_blocks ?? [])) {
        rules.push({ block, group: references(body.security_group_id, 'aws_security_group')[0],
          fromPort: body.from_port, toPort: body.to_port, protocol: body.protocol });
      }
    } else if (block.type === 'aws_vpc_security_group_ingress_rule') {
      if (opens([body.cidr_ipv4 ?? [], body.cidr_ipv6 ?? []])) {
        rules.push({ block, group: references(body.security_group_id, 'aws_security_group')[0],
          fromPort: body.from_port, toPort: body.to_port, protocol: body.ip_protocol });
      }
    }
  }
  return rules;
}

export function onlyTheLoadBalancerIsOpenToTheInternet(model) {
  const loadBalancerGroups = loadBalancerSecurityGroups(model);
  const violations = [];
  for (const rule of openIngressRules(model)) {
    const from = literalNumber(rule.fromPort);
    const to = literalNumber(rule.toPort);
    const ports = from === null || to === null ? 'unknown ports' : from === to ? `port ${from}` : `ports ${from}-${to}`;
    const tcp = ['tcp', '6'].includes(String(rule.protocol).toLowerCase());
    const allowed = loadBalancerGroups.has(rule.group) && tcp && from !== null && from === to && PUBLIC_PORTS.has(from);
    if (!allowed) {
      violations.push(`${where(rule.block)} opens ${ports} (protocol ${rule.protocol}) to the internet: only the load `
        + 'balancer\'s security group may accept 0.0.0.0/0 or ::/0, on TCP 80 and 443');
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// every var.x used is declared (and every variable set in a tfvars file)

export function everyVariableIsDeclared(model) {
  const declared = declaredVariables(model);
  const violations = new Set();
  walk(model, (key, value, file) => {
    for (const text of [key, value]) {
      if (!isExpression(text)) continue;
      for (const name of references(text, 'var')) {
        if (!declared.has(name)) violations.add(`${file.name}: var.${name} is used but no variable "${name}" is declared`);
      }
    }
  }, { kinds: ['tf'] });
  for (const file of model.files.filter((candidate) => candidate.kind === 'tfvars' && candidate.json)) {
    for (const name of Object.keys(file.json)) {
      if (!declared.has(name)) violations.add(`${file.name}: sets "${name}" but no variable "${name}" is declared`);
    }
  }
  return [...violations];
}

// ---------------------------------------------------------------------------------------------------------------
// no literal secrets, no static AWS keys, no secrets as variables

const SECRET_NAME = /(^|[_-])(password|passwd|pwd|secret|secret_string|secret_key|secret_access_key|private_key|access_key|access_key_id|api_key|token|auth_token|credentials?)$/i;
const AWS_ACCESS_KEY_ID = /\b(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{16}\b/;
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
// name = "literal" (or name: "literal") inside an expression such as jsonencode({ ... })
const ASSIGNMENT_IN_EXPRESSION = /["']?([A-Za-z_][\w-]*)["']?\s*[=:]\s*"([^"$]+)"/g;
// { name = "X_PASSWORD", value = "literal" } inside an expression (an ECS environment entry)
const NAMED_VALUE_IN_EXPRESSION = /name\s*[=:]\s*"([^"]+)"\s*,?\s*value\s*[=:]\s*"([^"$]+)"/g;

export function noLiteralSecrets(model) {
  const violations = new Set();

  for (const file of model.files) {
    if (AWS_ACCESS_KEY_ID.test(file.text)) violations.add(`${file.name}: contains an AWS access key id`);
    if (PRIVATE_KEY_PEM.test(file.text)) violations.add(`${file.name}: contains a PEM private key`);
  }

  walk(model, (key, value, file) => {
    if (file.kind === 'tfvars' && SECRET_NAME.test(key)) {
      violations.add(`${file.name}: sets "${key}": secrets belong in Secrets Manager, not in variable files`);
    } else if (typeof value === 'string' && value !== '' && !isExpression(value) && SECRET_NAME.test(key)) {
      violations.add(`${file.name}: "${key}" has a literal value: reference a Secrets Manager secret instead`);
    }
    if (isExpression(value)) {
      for (const [, name, literal] of value.matchAll(ASSIGNMENT_IN_EXPRESSION)) {
        if (SECRET_NAME.test(name) && literal !== '') violations.add(`${file.name}: "${name}" has a literal value in an expression`);
      }
      for (const [, name] of value.matchAll(NAMED_VALUE_IN_EXPRESSION)) {
        if (SECRET_NAME.test(name)) violations.add(`${file.name}: environment value "${name}" is a literal: inject it as an ECS secret`);
      }
    }
  });

  for (const file of model.files.filter((candidate) => candidate.kind === 'tf' && candidate.json)) {
    for (const name of Object.keys(file.json.variable ?? {})) {
      if (SECRET_NAME.test(name)) {
        violations.add(`${file.name}: variable "${name}" carries a secret: keep it in Secrets Manager and inject it as an ECS secret`);
      }
    }
    for (const [provider, bodies] of Object.entries(file.json.provider ?? {})) {
      for (const body of bodies) {
        for (const key of ['access_key', 'secret_key', 'token']) {
          if (key in body) violations.add(`${file.name}: provider "${provider}" sets ${key}: use the AWS credential chain (SSO, role), never static keys`);
        }
      }
    }
  }
  return [...violations];
}

// ---------------------------------------------------------------------------------------------------------------
// every container an ECS service runs has a health check: the services' images their own command
// (deploy/image/healthcheck), any other image (Elasticsearch) a command of its own. A one-off task (a task definition no
// ECS service runs, ops_tasks.tf) has none: it runs to its end and its exit code is the answer.

const HEALTH_CHECK = /healthCheck\s*=\s*\{[^}]*command\s*=\s*\[[^\]]*"\/opt\/couponhub\/bin\/healthcheck"/s;
const ANY_HEALTH_CHECK = /healthCheck\s*=\s*\{[^}]*command\s*=\s*\[/s;

export function everyContainerHasAHealthCheck(model) {
  const runByAService = new Set(resources(model).filter((block) => block.type === 'aws_ecs_service')
    .flatMap((block) => references(block.body.task_definition, 'aws_ecs_task_definition')));
  return resources(model)
    .filter((block) => block.type === 'aws_ecs_task_definition')
    .filter((block) => runByAService.has(block.name) || block.body.for_each === SERVICES_EXPRESSION)
    .filter((block) => {
      const definitions = block.body.container_definitions;
      const check = block.body.for_each === SERVICES_EXPRESSION ? HEALTH_CHECK : ANY_HEALTH_CHECK;
      return typeof definitions !== 'string' || !check.test(definitions);
    })
    .map((block) => (block.body.for_each === SERVICES_EXPRESSION
      ? `${where(block)} has no container healthCheck running /opt/couponhub/bin/healthcheck`
      : `${where(block)} runs in an ECS service but its container has no healthCheck command`));
}

// ---------------------------------------------------------------------------------------------------------------
// the gateway's metrics are not served to the internet: a listener that forwards to the services has a rule that
// answers /actuator/prometheus itself

const METRICS_PATH = /^\/actuator\/(prometheus|\*)/;

export function metricsAreNotPublic(model) {
  const listenerTypes = ['aws_lb_listener', 'aws_alb_listener'];
  const listeners = resources(model).filter((block) => listenerTypes.includes(block.type));
  const listenerRules = resources(model).filter((block) => ['aws_lb_listener_rule', 'aws_alb_listener_rule']
    .includes(block.type));
  const violations = [];
  for (const listener of listeners) {
    if (![listener.body.default_action ?? []].flat().some((action) => action.type === 'forward')) {
      continue;
    }
    const blocked = listenerRules.some((rule) => references(rule.body.listener_arn, listener.type)
      .includes(listener.name)
      && [rule.body.action ?? []].flat().every((action) => action.type === 'fixed-response')
      && [rule.body.condition ?? []].flat().some((condition) => [condition.path_pattern ?? []].flat()
        .some((pattern) => [pattern.values ?? []].flat().some((value) => METRICS_PATH.test(value)))));
    if (!blocked) {
      violations.push(`${where(listener)} forwards to the services, but no listener rule of it answers `
        + '/actuator/prometheus itself (a fixed-response): the metrics would be public');
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// the services' MySQL connections fit the database: every task at max_capacity, times the ECS services'
// deployment_maximum_percent (old and new tasks side by side during a rolling deploy), plus a reserve for operators
// and migrations, within the max_connections the RDS parameter group sets

const CONNECTION_RESERVE = 10;

export function connectionsFitTheDatabase(model) {
  const services = locals(model).services;
  if (!services || typeof services !== 'object') {
    return []; // service-resources reports it
  }
  const databaseServices = Object.entries(services).filter(([, svc]) => svc?.database);
  if (databaseServices.length === 0) {
    return [];
  }
  const violations = [];
  const parameters = resources(model).filter((block) => block.type === 'aws_db_parameter_group')
    .flatMap((block) => [block.body.parameter ?? []].flat());
  const maxConnectionsParameter = parameters.find((parameter) => parameter.name === 'max_connections');
  let maxConnections = literalNumber(Number(maxConnectionsParameter?.value));
  const variable = /^\$\{(?:tostring\()?var\.([\w-]+)\)?\}$/.exec(String(maxConnectionsParameter?.value ?? ''))?.[1];
  if (variable) {
    maxConnections = literalNumber(variableDefaults(model)[variable]);
  }
  if (!maxConnectionsParameter || !Number.isFinite(maxConnections)) {
    return ['the RDS parameter group sets no literal max_connections (or a variable with a numeric default): the '
      + 'services\' connection pools cannot be checked against it'];
  }
  const ecsServices = resources(model).filter((block) => block.type === 'aws_ecs_service');
  const surge = Math.max(100, ...ecsServices.map((block) => literalNumber(block.body.deployment_maximum_percent) ?? 200))
    / 100;
  let total = 0;
  const terms = [];
  for (const [name, svc] of databaseServices) {
    const pool = literalNumber(svc.db_pool_size);
    const tasks = literalNumber(svc.max_capacity);
    if (pool === null || tasks === null) {
      violations.push(`local.services["${name}"] owns a database but sets no literal db_pool_size and max_capacity`);
      continue;
    }
    total += pool * tasks;
    terms.push(`${tasks}x${pool}`);
  }
  const needed = total * surge + CONNECTION_RESERVE;
  if (needed > maxConnections) {
    violations.push(`the services may open ${needed} MySQL connections (${surge} x (${terms.join(' + ')}) + `
      + `${CONNECTION_RESERVE} spare) but max_connections is ${maxConnections}`);
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// gRPC clients balance over every task: addresses are dns:/// (all the tasks the name lists, resolved again when a
// connection ends), never static:// (resolved once: every call of a client goes to one task for good)

export function grpcAddressesBalance(model) {
  const violations = new Set();
  walk(model, (key, value, file) => {
    if (typeof value === 'string' && value.includes('static://')) {
      violations.add(`${key} (${file.name}) uses a static:// gRPC address: resolved once, each client sticks to one `
        + 'task; use dns:/// so that round_robin spreads the calls over every task');
    }
  });
  const grpcAddress = locals(model).grpc_address;
  if (grpcAddress !== undefined && !String(grpcAddress).includes('dns:///')) {
    violations.add(`local.grpc_address is not a dns:/// address: ${grpcAddress}`);
  }
  return [...violations];
}

// ---------------------------------------------------------------------------------------------------------------
// one owner for what runs. A service whose image the deploy puts in (its task definition's image is var.image_tag):
// Terraform registers task definitions but never moves the ECS service to a new revision (the deploy does), or an
// apply would roll every service back to var.image_tag. A service whose image Terraform pins (Elasticsearch): Terraform
// alone owns it, so it must not ignore its task definition, or a new image would never roll out.

export function deployOwnsTheRunningRevision(model) {
  const taskDefinitions = new Map(resources(model).filter((block) => block.type === 'aws_ecs_task_definition')
    .map((block) => [block.name, block]));
  const violations = [];
  for (const block of resources(model).filter((candidate) => candidate.type === 'aws_ecs_service')) {
    const ignoresTaskDefinition = [block.body.lifecycle ?? []].flat()
      .flatMap((lifecycle) => [lifecycle.ignore_changes ?? []].flat())
      .some((attribute) => String(attribute).replace(/^\$\{|\}$/g, '') === 'task_definition');
    const taskDefinition = taskDefinitions.get(references(block.body.task_definition, 'aws_ecs_task_definition')[0]);
    const deployedImage = taskDefinition === undefined
      || /var\.image_tag/.test(String(taskDefinition.body.container_definitions ?? ''));
    if (deployedImage && !ignoresTaskDefinition) {
      violations.push(`${where(block)} does not ignore changes of task_definition: a terraform apply would roll the `
        + 'service back to the image of var.image_tag (the deploy owns which revision runs)');
    } else if (!deployedImage && ignoresTaskDefinition) {
      violations.push(`${where(block)} ignores changes of task_definition, but no deploy replaces its image (not `
        + 'var.image_tag): a new image or configuration would never roll out');
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// the search coupon-service uses is provisioned here: its ELASTICSEARCH_URIS is the Cloud Map name of an ECS service
// of this configuration that runs Elasticsearch 8 (what the code's Elasticsearch 8 Java API client accepts; an
// OpenSearch, or an address in a variable, would be nobody's)

/** The text of an expression with every local.x it references replaced by that local's own text, a few levels deep. */
function expandLocals(expression, allLocals, depth = 4) {
  let text = typeof expression === 'string' ? expression : JSON.stringify(expression ?? '');
  for (let level = 0; level < depth; level++) {
    text = text.replace(/local\.(\w+)/g, (whole, name) => (name in allLocals
      ? `(${typeof allLocals[name] === 'string' ? allLocals[name] : JSON.stringify(allLocals[name])})` : whole));
  }
  return text;
}

export function searchIsProvisioned(model) {
  const allLocals = locals(model);
  const environment = allLocals.service_environment?.['coupon-service'];
  if (environment === undefined) {
    return [];
  }
  const assigned = /ELASTICSEARCH_URIS"?\s*[=:]\s*("[^"]*"|[^\s,}]+)/.exec(String(
    typeof environment === 'string' ? environment : JSON.stringify(environment)))?.[1];
  if (!assigned) {
    return ['coupon-service gets no ELASTICSEARCH_URIS: its search would look for Elasticsearch on localhost'];
  }
  const address = expandLocals(assigned, allLocals);
  const discovery = references(address, 'aws_service_discovery_service')[0];
  const ecsService = resources(model).find((block) => block.type === 'aws_ecs_service'
    && [block.body.service_registries ?? []].flat()
      .some((registry) => references(registry.registry_arn, 'aws_service_discovery_service').includes(discovery)));
  if (!discovery || !ecsService) {
    return [`coupon-service's ELASTICSEARCH_URIS (${assigned}) is not the Cloud Map name of an ECS service of this `
      + 'configuration: the search it needs is not provisioned here'];
  }
  const taskDefinition = resources(model).find((block) => block.type === 'aws_ecs_task_definition'
    && references(ecsService.body.task_definition, 'aws_ecs_task_definition').includes(block.name));
  // a local interpolated into a string ("...:${local.version}") becomes "...:${(8.19.21)}": back to its value
  const definitions = expandLocals(taskDefinition?.body.container_definitions, allLocals)
    .replace(/\$\{\(([^(){}]*)\)\}/g, '$1');
  if (!/docker\.elastic\.co\/elasticsearch\/elasticsearch:8\./.test(definitions)) {
    return [`${where(ecsService)} behind coupon-service's ELASTICSEARCH_URIS does not run Elasticsearch 8 `
      + '(docker.elastic.co/elasticsearch/elasticsearch:8.x): the Elasticsearch 8 Java API client refuses anything else'];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// no secret value in the state: Terraform creates the secrets, something inside AWS puts their values (the
// db-bootstrap task, the operator). Whatever a resource generates or is given as a value is stored in the state in
// plain text, and a pull request's plan role can read the state.

/** Resources whose whole point is a secret the state then holds. */
const SECRET_GENERATORS = ['random_password', 'random_string', 'random_bytes', 'tls_private_key', 'aws_iam_access_key',
  'aws_iam_user_login_profile'];
/** Attributes that put a secret value into the state (their write-only *_wo forms do not). */
const SECRET_VALUE_ATTRIBUTES = {
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary'],
  aws_db_instance: ['password'],
  aws_rds_cluster: ['master_password'],
  aws_docdb_cluster: ['master_password'],
  aws_elasticache_replication_group: ['auth_token'],
  aws_elasticache_user: ['passwords'],
};
/** Data sources that read a secret value into the state. */
const SECRET_DATA_SOURCES = ['aws_secretsmanager_secret_version', 'aws_secretsmanager_random_password', 'aws_kms_secrets'];

export function noSecretInTheState(model) {
  const violations = [];
  for (const block of resources(model)) {
    if (SECRET_GENERATORS.includes(block.type)) {
      violations.push(`${where(block)} generates a secret the state stores in plain text: create the secret empty and `
        + 'let something inside AWS put its value (the db-bootstrap task)');
    }
    for (const attribute of SECRET_VALUE_ATTRIBUTES[block.type] ?? []) {
      if (block.body[attribute] !== undefined) {
        violations.push(`${where(block)} sets ${attribute}: the value is stored in the state (leave the value to `
          + `Secrets Manager, or use the write-only ${attribute}_wo)`);
      }
    }
    if (block.type === 'aws_ssm_parameter' && block.body.type === 'SecureString' && block.body.value !== undefined) {
      violations.push(`${where(block)} sets the value of a SecureString parameter: the state stores it`);
    }
  }
  for (const block of blocksOf(model, 'data')) {
    const decrypts = block.type === 'aws_ssm_parameter' && block.body.with_decryption !== false;
    if (SECRET_DATA_SOURCES.includes(block.type) || decrypts) {
      violations.push(`data.${block.type}.${block.name} (${block.file}) reads a secret value into the state`);
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// a role that pull requests assume (terraform.yml's plan role) cannot read a secret: an explicit Deny of the actions
// that return secret values, which no Allow (ReadOnlyAccess, a policy attached later) overrides

const SECRET_READING_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'ssm:GetParameter',
  'ssm:GetParameters', 'ssm:GetParametersByPath', 'ssm:GetParameterHistory', 'kms:Decrypt'];
/** The one condition a Deny may carry: kms:Decrypt through S3 (the state bucket's key) stays allowed. */
const ALLOWED_DENY_CONDITION = { 'kms:Decrypt': 'kms:ViaService' };

const actionMatches = (pattern, action) => new RegExp(`^${String(pattern).replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  .replaceAll('*', '.*')}$`, 'i').test(action);

/** The data.aws_iam_policy_document a policy expression references: its name and the for_each key if any. */
function policyDocumentReference(expression) {
  const match = /data\.aws_iam_policy_document\.([\w-]+)(?:\["([^"]+)"\])?/.exec(String(expression ?? ''));
  return match ? { name: match[1], key: match[2] } : null;
}

export function planRoleReadsNoSecret(model) {
  const documents = new Map(blocksOf(model, 'data').filter((block) => block.type === 'aws_iam_policy_document')
    .map((block) => [block.name, block]));
  const trustedByPullRequests = (role) => {
    const trust = role.body.assume_role_policy;
    const reference = policyDocumentReference(trust);
    const document = reference && documents.get(reference.name);
    if (!document) return /pull_request/.test(JSON.stringify(trust ?? ''));
    const { for_each: forEach, ...body } = document.body;
    const instance = reference.key && forEach && typeof forEach === 'object' ? forEach[reference.key] : forEach;
    return /pull_request/.test(JSON.stringify(body) + JSON.stringify(instance ?? ''));
  };
  const policies = new Map(resources(model).filter((block) => block.type === 'aws_iam_policy')
    .map((block) => [block.name, block]));
  const violations = [];
  for (const role of resources(model).filter((block) => block.type === 'aws_iam_role' && trustedByPullRequests(block))) {
    const ofRole = (block) => references(block.body.role, 'aws_iam_role').includes(role.name);
    const policyExpressions = [
      ...resources(model).filter((block) => block.type === 'aws_iam_role_policy' && ofRole(block))
        .map((block) => block.body.policy),
      ...resources(model).filter((block) => block.type === 'aws_iam_role_policy_attachment' && ofRole(block))
        .flatMap((block) => references(block.body.policy_arn, 'aws_iam_policy'))
        .map((name) => policies.get(name)?.body.policy),
    ];
    const denials = policyExpressions.map(policyDocumentReference).filter(Boolean)
      .map((reference) => documents.get(reference.name)).filter(Boolean)
      .flatMap((document) => [document.body.statement ?? []].flat())
      .filter((statement) => statement.effect === 'Deny' && [statement.resources ?? []].flat().includes('*'));
    const denied = (action) => denials.some((statement) => [statement.actions ?? []].flat()
      .some((pattern) => actionMatches(pattern, action))
      && [statement.condition ?? []].flat().every((condition) => condition.variable === ALLOWED_DENY_CONDITION[action]));
    const missing = SECRET_READING_ACTIONS.filter((action) => !denied(action));
    if (missing.length > 0) {
      violations.push(`${where(role)} is assumed by pull requests but is not denied ${missing.join(', ')} on "*": a `
        + 'pull request could print secret values (add an explicit Deny statement in a policy document of the role)');
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// traces and metrics reach AWS: every service's task definition runs the ADOT collector beside the service, configured
// (AOT_CONFIG_CONTENT) from a template that receives Zipkin, exports to X-Ray, scrapes the service and remote-writes,
// signed, to the Amazon Managed Prometheus workspace of this configuration; and the service sends its spans to it

const COLLECTOR_IMAGE = /aws-observability\/aws-otel-collector:/;
const COLLECTOR_CONFIG_PARTS = [['zipkin receiver', /^\s*zipkin:/m], ['awsxray exporter', /^\s*awsxray:/m],
  ['prometheus receiver scraping /actuator/prometheus', /metrics_path:\s*\/actuator\/prometheus/],
  ['prometheusremotewrite exporter', /^\s*prometheusremotewrite:/m], ['sigv4auth authenticator', /authenticator:\s*sigv4auth/]];

export function telemetryReachesAws(model) {
  const allLocals = locals(model);
  const violations = [];
  for (const block of resources(model).filter((candidate) => candidate.type === 'aws_ecs_task_definition'
    && candidate.body.for_each === SERVICES_EXPRESSION)) {
    const definitions = expandLocals(block.body.container_definitions, allLocals);
    if (!COLLECTOR_IMAGE.test(definitions) || !/AOT_CONFIG_CONTENT/.test(definitions)) {
      violations.push(`${where(block)} runs no ADOT collector (aws-otel-collector with AOT_CONFIG_CONTENT) beside the `
        + 'service: its traces and metrics reach nobody on AWS');
      continue;
    }
    if (!/localhost:9411\/api\/v2\/spans/.test(definitions)) {
      violations.push(`${where(block)}: the service does not send its spans to the collector `
        + '(MANAGEMENT_ZIPKIN_TRACING_ENDPOINT = http://localhost:9411/api/v2/spans)');
    }
    const template = /templatefile\(\s*"(?:\$\{path\.module\}\/)?([^"]+)"\s*,\s*(\{[\s\S]*?\})\s*\)/.exec(definitions);
    if (!template) {
      violations.push(`${where(block)}: the collector's AOT_CONFIG_CONTENT is not rendered from a template file `
        + '(templatefile), so its configuration cannot be checked');
      continue;
    }
    let config;
    try {
      config = readFileSync(join(model.dir, template[1]), 'utf8');
    } catch {
      violations.push(`${where(block)}: the collector's configuration template ${template[1]} does not exist`);
      continue;
    }
    for (const [what, pattern] of COLLECTOR_CONFIG_PARTS) {
      if (!pattern.test(config)) violations.push(`${template[1]} has no ${what}`);
    }
    const endpoint = /prometheusremotewrite:\s*\n\s*endpoint:\s*\$\{(\w+)\}/.exec(config)?.[1];
    const value = endpoint && new RegExp(`\\b${endpoint}\\s*=\\s*([^\\n]+)`).exec(template[2])?.[1];
    if (!value || !/aws_prometheus_workspace\.\w+\.prometheus_endpoint/.test(value)) {
      violations.push(`${template[1]}: the prometheusremotewrite endpoint is not the remote write URL of an `
        + 'aws_prometheus_workspace of this configuration');
    }
  }
  return [...new Set(violations)];
}

// ---------------------------------------------------------------------------------------------------------------
// the services' task roles write metrics into this configuration's Amazon Managed Prometheus workspace, and only there

export function metricsWriteIsScoped(model) {
  const documents = blocksOf(model, 'data').filter((block) => block.type === 'aws_iam_policy_document');
  const violations = [];
  const granting = new Set();
  for (const document of documents) {
    for (const statement of [document.body.statement ?? []].flat()) {
      if (statement.effect === 'Deny') continue;
      if (![statement.actions ?? []].flat().some((pattern) => actionMatches(pattern, 'aps:RemoteWrite'))) continue;
      granting.add(document.name);
      const scoped = [statement.resources ?? []].flat();
      if (scoped.length === 0 || !scoped.every((resource) => /^\$\{aws_prometheus_workspace\.\w+\.arn\}$/.test(resource))) {
        violations.push(`data.aws_iam_policy_document.${document.name} (${document.file}) allows aps:RemoteWrite on `
          + `${JSON.stringify(scoped)}: only on this configuration's aws_prometheus_workspace`);
      }
    }
  }
  const services = serviceNames(model);
  if (services.length > 0 && resources(model).some((block) => block.type === 'aws_prometheus_workspace')) {
    const granted = resources(model).some((block) => block.type === 'aws_iam_role_policy'
      && block.body.for_each === SERVICES_EXPRESSION && /aws_iam_role\.task\[each\.key\]/.test(String(block.body.role))
      && granting.has(policyDocumentReference(block.body.policy)?.name));
    if (!granted) {
      violations.push('no aws_iam_role_policy with for_each = local.services gives each service\'s task role '
        + 'aps:RemoteWrite on the workspace: the collectors cannot write the metrics');
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// whatever may write a secret's value (db-bootstrap fills the empty ones) may do so on named secrets only, never "*"

const SECRET_WRITING_ACTIONS = ['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret',
  'secretsmanager:RestoreSecret', 'secretsmanager:DeleteSecret'];

export function secretWritesAreScoped(model) {
  const violations = [];
  for (const document of blocksOf(model, 'data').filter((block) => block.type === 'aws_iam_policy_document')) {
    for (const statement of [document.body.statement ?? []].flat()) {
      if (statement.effect === 'Deny') continue;
      const actions = [statement.actions ?? []].flat();
      const writes = SECRET_WRITING_ACTIONS.filter((action) => actions.some((pattern) => actionMatches(pattern, action)));
      if (writes.length > 0 && [statement.resources ?? []].flat().some((resource) => /^\*$|:\*$|secret:\*$/.test(resource))) {
        violations.push(`data.aws_iam_policy_document.${document.name} (${document.file}) allows ${writes.join(', ')} on `
          + 'every secret: name the secrets it fills');
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------------------------
// every service container may hold the sockets of 50,000 open streams

const LEAST_OPEN_FILES = 65536;
const NOFILE = /name\s*=\s*"nofile"\s*,\s*softLimit\s*=\s*([^,}\s]+)\s*,\s*hardLimit\s*=\s*([^,}\s]+)/;

/** A number, or a local naming one (directly or through further locals). */
function resolvedNumber(expression, allLocals) {
  const text = expandLocals(expression, allLocals).replace(/[()${}\s]/g, '');
  return /^\d+$/.test(text) ? Number(text) : null;
}

export function everyServiceMayHoldItsStreams(model) {
  const allLocals = locals(model);
  return resources(model)
    .filter((block) => block.type === 'aws_ecs_task_definition' && block.body.for_each === SERVICES_EXPRESSION)
    .flatMap((block) => {
      const definitions = typeof block.body.container_definitions === 'string' ? block.body.container_definitions : '';
      const match = NOFILE.exec(definitions);
      if (!match) {
        return [`${where(block)}: the service container sets no nofile ulimit (Fargate's default may be 1,024): `
          + `an instance holding 50,000 streams needs a socket each`];
      }
      const [soft, hard] = [resolvedNumber(match[1], allLocals), resolvedNumber(match[2], allLocals)];
      if (soft === null || hard === null || soft !== hard || soft < LEAST_OPEN_FILES) {
        return [`${where(block)}: nofile ulimit ${match[1]}/${match[2]} must be one number (soft = hard) of at least `
          + `${LEAST_OPEN_FILES}`];
      }
      return [];
    });
}

export const RULES = [
  ['parses', everyFileParses],
  ['formatted', everyFileIsFormatted],
  ['service-resources', everyServiceHasItsResources],
  ['queue-dlq', everyQueueHasADeadLetterQueue],
  ['public-ingress', onlyTheLoadBalancerIsOpenToTheInternet],
  ['declared-variables', everyVariableIsDeclared],
  ['literal-secrets', noLiteralSecrets],
  ['container-health-check', everyContainerHasAHealthCheck],
  ['open-files', everyServiceMayHoldItsStreams],
  ['metrics-not-public', metricsAreNotPublic],
  ['db-connection-budget', connectionsFitTheDatabase],
  ['grpc-balanced', grpcAddressesBalance],
  ['task-definition-owner', deployOwnsTheRunningRevision],
  ['secret-in-state', noSecretInTheState],
  ['plan-role-reads-secrets', planRoleReadsNoSecret],
  ['search-provisioned', searchIsProvisioned],
  ['telemetry-collector', telemetryReachesAws],
  ['metrics-write-scoped', metricsWriteIsScoped],
  ['secret-write-scoped', secretWritesAreScoped],
];
