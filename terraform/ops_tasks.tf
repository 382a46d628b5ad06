# One-off ECS tasks, run by the deploy (cd.yml) or on demand (ops-task.yml), never as services. One image,
# <project>/ops-tasks (Maven module ops-tasks, built with Jib like the services), one task definition per command:
#  - db-bootstrap   before every deploy of the services: puts a random password into each empty secret it manages
#                   (the services' database passwords and the generated secrets below), creates each service's schema
#                   and MySQL user when missing, sets the user's password to its secret's current value and grants it
#                   its own schema only (coupon_svc also XA_RECOVER_ADMIN, docs/reliability.md). Exit code 0 or the
#                   deploy stops. The passwords are made inside AWS: none passes through Terraform or its state.
#  - search-reindex on demand (first deploy, an Elasticsearch index lost): POST /actuator/searchreindex on
#                   coupon-service, which queues every coupon for the search index (coupon-service/SEARCH.md).
# Terraform registers the task definitions (environment, secrets, roles) with var.image_tag; the workflows register a
# revision of the latest one with their commit's image before running it, as they do for the services.

locals {
  ops_tasks = {
    "db-bootstrap" = {
      cpu    = 512
      memory = 1024
    }
    "search-reindex" = {
      cpu    = 256
      memory = 512
    }
  }

  # Global privileges a service's MySQL user gets besides its own schema: coupon-service ends the XA branches a dead
  # task prepared (XA RECOVER, docs/reliability.md "The writer decides a batch's outcome").
  db_global_privileges = {
    "coupon-service" = ["XA_RECOVER_ADMIN"]
  }

  # Secrets db-bootstrap fills with a random password while they are empty, used by nothing in MySQL: the ADMIN
  # account's password (user-service) and the Elasticsearch user elastic's (elasticsearch.tf).
  generated_secret_arns = [aws_secretsmanager_secret.admin_password.arn, aws_secretsmanager_secret.elasticsearch_password.arn]

  # The secrets db-bootstrap reads and writes, and nothing else.
  db_bootstrap_secret_arns = concat([for secret in aws_secretsmanager_secret.db : secret.arn], local.generated_secret_arns)

  # COUPONHUB_OPS_DATABASES_<i>_*: one entry per service that owns a schema (the user is <svc>_svc, as in each
  # service's application.yml).
  ops_database_environment = merge([
    for index, name in keys(local.db_services) : merge(
      {
        "COUPONHUB_OPS_DATABASES_${index}_SCHEMA"             = local.db_services[name].database
        "COUPONHUB_OPS_DATABASES_${index}_USER"               = "${trimsuffix(name, "-service")}_svc"
        "COUPONHUB_OPS_DATABASES_${index}_PASSWORD_SECRET_ID" = aws_secretsmanager_secret.db[name].arn
      },
      contains(keys(local.db_global_privileges), name) ? {
        "COUPONHUB_OPS_DATABASES_${index}_GLOBAL_PRIVILEGES" = join(",", local.db_global_privileges[name])
      } : {}
    )
  ]...)

  ops_environment = {
    "db-bootstrap" = merge(local.common_environment, local.db_environment, local.ops_database_environment, {
      for index, arn in local.generated_secret_arns : "COUPONHUB_OPS_GENERATED_SECRETS_${index}" => arn
    })
    "search-reindex" = merge(local.common_environment, {
      COUPONHUB_OPS_COUPON_SERVICE_URL = local.http_address["coupon-service"]
    })
  }

  # the RDS master user (a JSON secret managed by RDS: username, password), for db-bootstrap only
  ops_secrets = {
    "db-bootstrap" = {
      DB_MASTER_USERNAME = "${aws_db_instance.main.master_user_secret[0].secret_arn}:username::"
      DB_MASTER_PASSWORD = "${aws_db_instance.main.master_user_secret[0].secret_arn}:password::"
    }
    "search-reindex" = {}
  }
}

resource "aws_ecr_repository" "ops_tasks" {
  name                 = "${var.project}/ops-tasks"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "ops_tasks" {
  repository = aws_ecr_repository.ops_tasks.name
  policy     = local.ecr_lifecycle_policy
}

resource "aws_cloudwatch_log_group" "ops_tasks" {
  name              = "/ecs/${local.name}/ops-tasks"
  retention_in_days = var.log_retention_days
}

# Their own execution role: the services' one never reads the RDS master secret.
resource "aws_iam_role" "ops_execution" {
  name               = "${local.name}-ops-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "ops_execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # this action has no resource-level permission
  }

  statement {
    sid       = "EcrPull"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.ops_tasks.arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.ops_tasks.arn}:*"]
  }

  # DB_MASTER_USERNAME / DB_MASTER_PASSWORD of db-bootstrap (encrypted with Secrets Manager's default key)
  statement {
    sid       = "MasterSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.main.master_user_secret[0].secret_arn]
  }
}

resource "aws_iam_role_policy" "ops_execution" {
  name   = "pull-log-master-secret"
  role   = aws_iam_role.ops_execution.id
  policy = data.aws_iam_policy_document.ops_execution.json
}

resource "aws_iam_role" "ops_task" {
  for_each = local.ops_tasks

  name               = "${local.name}-${each.key}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# db-bootstrap reads and fills exactly its secrets; search-reindex calls no AWS API and gets no permission.
data "aws_iam_policy_document" "db_bootstrap" {
  statement {
    sid       = "OwnSecrets"
    actions   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"]
    resources = local.db_bootstrap_secret_arns
  }
}

resource "aws_iam_role_policy" "db_bootstrap" {
  name   = "own-secrets"
  role   = aws_iam_role.ops_task["db-bootstrap"].id
  policy = data.aws_iam_policy_document.db_bootstrap.json
}

resource "aws_security_group" "ops_task" {
  for_each = local.ops_tasks

  name        = "${local.name}-${each.key}"
  description = "One-off task ${each.key}"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-${each.key}" }
}

# AWS APIs (Secrets Manager) through NAT, MySQL, coupon-service.
resource "aws_vpc_security_group_egress_rule" "ops_task_all" {
  for_each = local.ops_tasks

  security_group_id = aws_security_group.ops_task[each.key].id
  description       = "outbound"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "db_from_db_bootstrap" {
  security_group_id            = aws_security_group.db.id
  description                  = "MySQL from db-bootstrap"
  referenced_security_group_id = aws_security_group.ops_task["db-bootstrap"].id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

resource "aws_vpc_security_group_ingress_rule" "coupon_from_search_reindex" {
  security_group_id            = aws_security_group.service["coupon-service"].id
  description                  = "HTTP (actuator searchreindex) from search-reindex"
  referenced_security_group_id = aws_security_group.ops_task["search-reindex"].id
  ip_protocol                  = "tcp"
  from_port                    = local.services["coupon-service"].port
  to_port                      = local.services["coupon-service"].port
}

resource "aws_ecs_task_definition" "ops_task" {
  for_each = local.ops_tasks

  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.ops_execution.arn
  task_role_arn            = aws_iam_role.ops_task[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  # No health check: the task runs to its end, and its exit code is the answer (the workflows read it).
  container_definitions = jsonencode([
    {
      name      = "ops-tasks"
      image     = "${aws_ecr_repository.ops_tasks.repository_url}:${var.image_tag}"
      essential = true
      command   = [each.key]
      environment = [
        for key in sort(keys(local.ops_environment[each.key])) :
        { name = key, value = local.ops_environment[each.key][key] }
      ]
      secrets = [
        for key in sort(keys(local.ops_secrets[each.key])) :
        { name = key, valueFrom = local.ops_secrets[each.key][key] }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.ops_tasks.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = each.key
        }
      }
    }
  ])
}
