# Elasticsearch for coupon search: one Elasticsearch 8 node on ECS Fargate, its data on EFS. coupon-service talks to it
# with the Elasticsearch 8 Java API client (co.elastic.clients:elasticsearch-java), which refuses servers that do not
# identify as Elasticsearch: Amazon OpenSearch Service would not do. The index can be rebuilt from MySQL at any time
# (the one-off task search-reindex), so one node, without replicas, is enough: when it is replaced, search answers 503
# for the minute or two the new one takes (coupon-service's short timeouts), and nothing is lost but that minute.
#  - the image's version is the devstack's and compose's (pom.xml elasticsearch-server.version; delivery-checks'
#    consistency check compares them); it is pinned by tag, no digest (the registry could not be asked from where this
#    was written)
#  - reached only by coupon-service, at elasticsearch.<namespace>:9200 (Cloud Map), over plain HTTP inside the VPC
#  - security on: user elastic, whose password (a secret filled by db-bootstrap, never in the state) ECS injects into
#    both the node (ELASTIC_PASSWORD, the bootstrap password) and coupon-service (SPRING_ELASTICSEARCH_PASSWORD)
#  - Fargate cannot raise vm.max_map_count: node.store.allow_mmap=false (NIO instead of mmap); single-node discovery
#    skips the bootstrap checks; the heap is half the task's memory, the rest is the file system cache

locals {
  elasticsearch_version = "8.19.21"
  elasticsearch_image   = "docker.elastic.co/elasticsearch/elasticsearch:${local.elasticsearch_version}"
  elasticsearch_port    = 9200
  elasticsearch_heap_mb = floor(var.elasticsearch_memory / 2)
  # coupon-service's ELASTICSEARCH_URIS: the Cloud Map name of the node below (delivery-checks' rule search-provisioned)
  elasticsearch_uri = "http://${aws_service_discovery_service.elasticsearch.name}.${var.service_discovery_namespace}:${local.elasticsearch_port}"
}

resource "aws_secretsmanager_secret" "elasticsearch_password" {
  name                    = "${local.name}/elasticsearch/elastic-password"
  description             = "Password of the Elasticsearch user elastic (coupon-service's search); value put by the db-bootstrap task"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_cloudwatch_log_group" "elasticsearch" {
  name              = "/ecs/${local.name}/elasticsearch"
  retention_in_days = var.log_retention_days
}

resource "aws_security_group" "elasticsearch" {
  name        = "${local.name}-elasticsearch"
  description = "Elasticsearch node"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-elasticsearch" }
}

# the image pull, the secret and the logs go through the task's network interface; and NFS to EFS
resource "aws_vpc_security_group_egress_rule" "elasticsearch_all" {
  security_group_id = aws_security_group.elasticsearch.id
  description       = "outbound"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "elasticsearch_from_coupon" {
  security_group_id            = aws_security_group.elasticsearch.id
  description                  = "HTTP from coupon-service"
  referenced_security_group_id = aws_security_group.service["coupon-service"].id
  ip_protocol                  = "tcp"
  from_port                    = local.elasticsearch_port
  to_port                      = local.elasticsearch_port
}

# ---------------------------------------------------------------------------------------------------------------
# data: EFS, encrypted at rest and in transit, mounted through an access point as uid/gid 1000 (the image's user)

resource "aws_efs_file_system" "elasticsearch" {
  creation_token   = "${local.name}-elasticsearch"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  tags = { Name = "${local.name}-elasticsearch" }
}

resource "aws_security_group" "efs" {
  name        = "${local.name}-efs"
  description = "EFS of Elasticsearch"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-efs" }
}

resource "aws_vpc_security_group_ingress_rule" "efs_from_elasticsearch" {
  security_group_id            = aws_security_group.efs.id
  description                  = "NFS from the Elasticsearch node"
  referenced_security_group_id = aws_security_group.elasticsearch.id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
}

resource "aws_efs_mount_target" "elasticsearch" {
  for_each = aws_subnet.private

  file_system_id  = aws_efs_file_system.elasticsearch.id
  subnet_id       = each.value.id
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_access_point" "elasticsearch" {
  file_system_id = aws_efs_file_system.elasticsearch.id

  posix_user {
    uid = 1000
    gid = 1000
  }

  root_directory {
    path = "/elasticsearch"

    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0750"
    }
  }

  tags = { Name = "${local.name}-elasticsearch" }
}

# Only through TLS, and only with IAM authorization (the node's task role, below).
data "aws_iam_policy_document" "efs_elasticsearch" {
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["*"]
    resources = [aws_efs_file_system.elasticsearch.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "TheNodeThroughItsAccessPoint"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.elasticsearch.arn]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.elasticsearch.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [aws_efs_access_point.elasticsearch.arn]
    }
  }
}

resource "aws_efs_file_system_policy" "elasticsearch" {
  file_system_id = aws_efs_file_system.elasticsearch.id
  policy         = data.aws_iam_policy_document.efs_elasticsearch.json
}

resource "aws_iam_role" "elasticsearch" {
  name               = "${local.name}-elasticsearch-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "elasticsearch" {
  statement {
    sid       = "MountData"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [aws_efs_file_system.elasticsearch.arn]

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [aws_efs_access_point.elasticsearch.arn]
    }
  }
}

resource "aws_iam_role_policy" "elasticsearch" {
  name   = "mount-data"
  role   = aws_iam_role.elasticsearch.id
  policy = data.aws_iam_policy_document.elasticsearch.json
}

# ---------------------------------------------------------------------------------------------------------------
# the node: Terraform owns its task definition and rolls it out (the deploy never touches it)

resource "aws_ecs_task_definition" "elasticsearch" {
  family                   = "${local.name}-elasticsearch"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.elasticsearch_cpu
  memory                   = var.elasticsearch_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.elasticsearch.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "data"

    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.elasticsearch.id
      transit_encryption = "ENABLED"

      authorization_config {
        access_point_id = aws_efs_access_point.elasticsearch.id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name         = "elasticsearch"
      image        = local.elasticsearch_image
      essential    = true
      portMappings = [{ name = "http", containerPort = local.elasticsearch_port, protocol = "tcp" }]
      environment = [
        { name = "cluster.name", value = local.name },
        { name = "discovery.type", value = "single-node" },
        { name = "node.store.allow_mmap", value = "false" },
        { name = "xpack.security.enabled", value = "true" },
        { name = "xpack.security.http.ssl.enabled", value = "false" },
        { name = "xpack.security.transport.ssl.enabled", value = "false" },
        { name = "xpack.ml.enabled", value = "false" },
        { name = "ES_JAVA_OPTS", value = "-Xms${local.elasticsearch_heap_mb}m -Xmx${local.elasticsearch_heap_mb}m" },
      ]
      # the bootstrap password of user elastic, as long as nobody changed it through the API
      secrets     = [{ name = "ELASTIC_PASSWORD", valueFrom = aws_secretsmanager_secret.elasticsearch_password.arn }]
      mountPoints = [{ sourceVolume = "data", containerPath = "/usr/share/elasticsearch/data", readOnly = false }]
      ulimits     = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]
      healthCheck = {
        command     = ["CMD-SHELL", "curl -fs -u \"elastic:$ELASTIC_PASSWORD\" http://127.0.0.1:9200/_cluster/health | grep -vq '\"status\":\"red\"'"]
        interval    = 15
        timeout     = 5
        retries     = 5
        startPeriod = 180
      }
      stopTimeout = 60
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.elasticsearch.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "ecs"
        }
      }
    }
  ])
}

resource "aws_service_discovery_service" "elasticsearch" {
  name = "elasticsearch"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.main.id
    routing_policy = "MULTIVALUE"

    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_service" "elasticsearch" {
  name            = "elasticsearch"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.elasticsearch.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  # never two nodes on one data directory: the old task stops before the new one starts
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  propagate_tags                     = "SERVICE"

  network_configuration {
    subnets          = [for subnet in aws_subnet.private : subnet.id]
    security_groups  = [aws_security_group.elasticsearch.id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.elasticsearch.arn
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  depends_on = [aws_efs_mount_target.elasticsearch, aws_iam_role_policy.execution]
}
