locals {
  db_environment = {
    DB_HOST = aws_db_instance.main.address
    DB_PORT = tostring(aws_db_instance.main.port)
  }

  redis_environment = {
    REDIS_HOST                    = aws_elasticache_replication_group.main.primary_endpoint_address
    REDIS_PORT                    = tostring(aws_elasticache_replication_group.main.port)
    SPRING_DATA_REDIS_SSL_ENABLED = "true"
  }

  common_environment = {
    AWS_REGION        = var.aws_region
    JAVA_TOOL_OPTIONS = "-XX:MaxRAMPercentage=75"
    # one JSON object a line (Elastic Common Schema: @timestamp, log.level, message, traceId, ...), which CloudWatch
    # Logs Insights reads field by field; the local profile (./couponhub) keeps plain text
    LOGGING_STRUCTURED_FORMAT_CONSOLE = "ecs"
  }

  queue_url = { for name, queue in aws_sqs_queue.main : name => queue.url }

  # What every container gets besides its service_environment: where its spans go (observability.tf); its connection pool, sized in local.services against
  # the database's connection budget; and, on a gRPC server, the end of each client connection after 5 minutes
  # (calls under way finish within 30 s) so that clients resolve the name again and find tasks added since
  # (locals.tf grpc_address). Not in application.yml: the tests' in-process servers have no connection age.
  container_environment = {
    for name, svc in local.services : name => merge(
      local.service_environment[name],
      local.tracing_environment,
      svc.db_pool_size == null ? {} : {
        SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE = tostring(svc.db_pool_size)
        SPRING_DATASOURCE_HIKARI_MINIMUMIDLE     = tostring(min(2, svc.db_pool_size))
      },
      svc.grpc_port == null ? {} : {
        GRPC_SERVER_MAXCONNECTIONAGE      = "5m"
        GRPC_SERVER_MAXCONNECTIONAGEGRACE = "30s"
      }
    )
  }

  vertex_ai_environment = {
    for key, value in {
      COUPONHUB_AI_MODEL                    = "vertexai"
      SPRING_AI_VERTEX_AI_GEMINI_PROJECT_ID = var.vertex_ai_project_id
      SPRING_AI_VERTEX_AI_GEMINI_LOCATION   = var.vertex_ai_location
      COUPONHUB_AI_GEMINI_MODEL             = var.vertex_ai_model
    } : key => value if var.vertex_ai_project_id != ""
  }

  # Plain (non-secret) environment of each container. SPRING_PROFILES_ACTIVE stays unset: the default profile.
  service_environment = {
    "gateway-service" = merge(local.common_environment, {
      COUPONHUB_GATEWAY_SERVICES_USER         = local.http_address["user-service"]
      COUPONHUB_GATEWAY_SERVICES_STORE        = local.http_address["store-service"]
      COUPONHUB_GATEWAY_SERVICES_COUPON       = local.http_address["coupon-service"]
      COUPONHUB_GATEWAY_SERVICES_NOTIFICATION = local.http_address["notification-service"]
      COUPONHUB_GATEWAY_SERVICES_BATCH        = local.http_address["batch-service"]
      COUPONHUB_GATEWAY_SERVICES_AI           = local.http_address["ai-service"]
      COUPONHUB_GATEWAY_JWT_JWKS_URI          = "${local.http_address["user-service"]}/.well-known/jwks.json"
      COUPONHUB_GATEWAY_CORS_ALLOWED_ORIGINS  = join(",", var.cors_allowed_origins)
      # Rate limits live in each task's memory; each task enforces 1/n of every limit (gateway README, step 5).
      # n = the minimum task count: exact at the usual size, looser (never tighter) while scaled out.
      COUPONHUB_GATEWAY_RATELIMIT_INSTANCES = tostring(local.services["gateway-service"].min_capacity)
      # The ALB appends the address it saw to X-Forwarded-For (alb.tf, "append"): that last entry is the client.
      # Without this every anonymous caller would share the ALB's bucket; entries a client sends itself are never read.
      COUPONHUB_GATEWAY_RATELIMIT_TRUSTEDPROXYHOPS = "1"
    })
    "user-service" = merge(local.common_environment, local.db_environment, {
      COUPONHUB_ADMIN_EMAIL = var.admin_email
      # public keys of earlier signing keys (couponhub.jwt.previous-public-keys): tokens they signed stay valid
      # after a rotation (README, "Rotate the JWT signing key"). Public keys, not secrets.
      COUPONHUB_JWT_PREVIOUSPUBLICKEYS = join(",", var.jwt_previous_public_keys)
    })
    "store-service" = merge(local.common_environment, local.db_environment, {
      COUPONHUB_STORE_EVENTS_QUEUE = local.queue_url["store-events-coupon"]
    })
    "coupon-service" = merge(local.common_environment, local.db_environment, local.redis_environment, {
      # the node of elasticsearch.tf; its password is a secret (service_secrets)
      ELASTICSEARCH_URIS             = local.elasticsearch_uri
      SPRING_ELASTICSEARCH_USERNAME  = "elastic"
      STORE_SERVICE_GRPC_ADDRESS     = local.grpc_address["store-service"]
      USER_SERVICE_GRPC_ADDRESS      = local.grpc_address["user-service"]
      COUPONHUB_COUPON_EVENTS_QUEUES = join(",", [local.queue_url["coupon-events-notification"], local.queue_url["coupon-events-stats"]])
      COUPONHUB_STORE_EVENTS_QUEUE   = local.queue_url["store-events-coupon"]
    })
    "notification-service" = merge(local.common_environment, local.db_environment, local.redis_environment, {
      STORE_SERVICE_GRPC_ADDRESS          = local.grpc_address["store-service"]
      USER_SERVICE_GRPC_ADDRESS           = local.grpc_address["user-service"]
      COUPON_SERVICE_GRPC_ADDRESS         = local.grpc_address["coupon-service"]
      COUPONHUB_NOTIFICATION_EVENTS_QUEUE = local.queue_url["coupon-events-notification"]
      # the threads of its blocking calls match its connection pool
      COUPONHUB_NOTIFICATION_JDBCTHREADS                 = tostring(local.services["notification-service"].db_pool_size)
      COUPONHUB_MAIL_FROM                                = var.mail_from
      SPRING_MAIL_HOST                                   = "email-smtp.${var.aws_region}.amazonaws.com"
      SPRING_MAIL_PORT                                   = "587"
      SPRING_MAIL_PROPERTIES_MAIL_SMTP_AUTH              = "true"
      SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_ENABLE   = "true"
      SPRING_MAIL_PROPERTIES_MAIL_SMTP_STARTTLS_REQUIRED = "true"
    })
    "batch-service" = merge(local.common_environment, local.db_environment, {
      STORE_SERVICE_GRPC_ADDRESS   = local.grpc_address["store-service"]
      COUPONHUB_STATS_EVENTS_QUEUE = local.queue_url["coupon-events-stats"]
      COUPONHUB_STATS_ZONE         = var.stats_zone
    })
    "ai-service" = merge(local.common_environment, local.vertex_ai_environment, {
      COUPON_SERVICE_GRPC_ADDRESS = local.grpc_address["coupon-service"]
    })
  }

  # Secrets of each container: environment name => Secrets Manager ARN (optionally ":<json-key>::"), resolved by
  # ECS when the task starts. No secret value is ever a plain environment value or a Terraform variable.
  service_secrets = {
    "gateway-service" = {}
    "user-service" = {
      SPRING_DATASOURCE_PASSWORD = aws_secretsmanager_secret.db["user-service"].arn
      COUPONHUB_JWT_PRIVATE_KEY  = aws_secretsmanager_secret.jwt_private_key.arn
      COUPONHUB_ADMIN_PASSWORD   = aws_secretsmanager_secret.admin_password.arn
    }
    "store-service" = {
      SPRING_DATASOURCE_PASSWORD = aws_secretsmanager_secret.db["store-service"].arn
    }
    "coupon-service" = {
      SPRING_DATASOURCE_PASSWORD    = aws_secretsmanager_secret.db["coupon-service"].arn
      SPRING_ELASTICSEARCH_PASSWORD = aws_secretsmanager_secret.elasticsearch_password.arn
    }
    "notification-service" = {
      SPRING_DATASOURCE_PASSWORD = aws_secretsmanager_secret.db["notification-service"].arn
      SPRING_MAIL_USERNAME       = "${aws_secretsmanager_secret.ses_smtp.arn}:username::"
      SPRING_MAIL_PASSWORD       = "${aws_secretsmanager_secret.ses_smtp.arn}:password::"
    }
    "batch-service" = {
      SPRING_DATASOURCE_PASSWORD = aws_secretsmanager_secret.db["batch-service"].arn
    }
    "ai-service" = {}
  }
}

resource "aws_ecs_cluster" "main" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

# Private DNS names for gRPC and the gateway's backends: <service>.couponhub.local
resource "aws_service_discovery_private_dns_namespace" "main" {
  name        = var.service_discovery_namespace
  description = "Couponhub service names"
  vpc         = aws_vpc.main.id
}

resource "aws_service_discovery_service" "service" {
  for_each = local.services

  name = each.key

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

# Each task: the service's container and the ADOT collector's (observability.tf). The task's memory is the next Fargate
# size (whole GiB) that fits the service's memory (local.services) plus the collector's; the service's container gets
# all of it but the collector's share, its heap 75 % of that. The collector is not essential: if it stops, the service
# keeps serving (without traces and metrics) and ECS restarts nothing.
locals {
  task_memory = { for name, svc in local.services : name => ceil((svc.memory + local.otel_collector_memory) / 1024) * 1024 }

  # Every open stream is a socket where the client's HTTP/1.1 connection ends: the gateway holds one per subscriber
  # (the ALB speaks HTTP/1.1 to it) and shares them towards notification-service (h2c, 100 streams per connection),
  # which holds up to 50,000 streams on 500 or more sockets, more if clients connect to it otherwise. Set, not left
  # to Fargate's default (which has been 1,024 soft in some platform versions); at most 1,048,576 on Fargate.
  # delivery-checks' rule open-files.
  max_open_files = 131072
}

resource "aws_ecs_task_definition" "service" {
  for_each = local.services

  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = local.task_memory[each.key]
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task[each.key].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([
    {
      name      = each.key
      image     = "${aws_ecr_repository.service[each.key].repository_url}:${var.image_tag}"
      essential = true
      memory    = local.task_memory[each.key] - local.otel_collector_memory
      dependsOn = [{ containerName = "otel-collector", condition = "START" }]
      portMappings = concat(
        [{ name = "http", containerPort = each.value.port, protocol = "tcp" }],
        each.value.grpc_port == null ? [] : [{ name = "grpc", containerPort = each.value.grpc_port, protocol = "tcp" }]
      )
      environment = [
        for key in sort(keys(local.container_environment[each.key])) :
        { name = key, value = local.container_environment[each.key][key] }
      ]
      secrets = [
        for key in sort(keys(local.service_secrets[each.key])) :
        { name = key, valueFrom = local.service_secrets[each.key][key] }
      ]
      # the image's own check (deploy/image/healthcheck): liveness only, so that a dependency outage never
      # makes ECS replace healthy tasks; the ALB checks the gateway's readiness
      healthCheck = {
        command     = ["CMD", "/opt/couponhub/bin/healthcheck", tostring(each.value.port), "/actuator/health/liveness"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 120
      }
      ulimits = [{ name = "nofile", softLimit = local.max_open_files, hardLimit = local.max_open_files }]
      # the services shut down gracefully within 20 s (spring.lifecycle.timeout-per-shutdown-phase)
      stopTimeout = 30
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "ecs"
        }
      }
    },
    {
      name        = "otel-collector"
      image       = local.otel_collector_image
      essential   = false
      cpu         = local.otel_collector_cpu
      memory      = local.otel_collector_memory
      environment = [{ name = "AOT_CONFIG_CONTENT", value = local.otel_collector_config[each.key] }]
      # the image's own check of the health_check extension (localhost:13133)
      healthCheck = {
        command     = ["/healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 10
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.service[each.key].name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "otel"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "service" {
  for_each = local.services

  name                               = each.key
  cluster                            = aws_ecs_cluster.main.id
  task_definition                    = aws_ecs_task_definition.service[each.key].arn
  desired_count                      = each.value.min_capacity
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  health_check_grace_period_seconds  = each.value.public ? 120 : null
  propagate_tags                     = "SERVICE"

  network_configuration {
    subnets          = [for subnet in aws_subnet.private : subnet.id]
    security_groups  = [aws_security_group.service[each.key].id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.service[each.key].arn
  }

  # Only the gateway is behind the load balancer.
  dynamic "load_balancer" {
    for_each = each.value.public ? [each.value.port] : []
    content {
      target_group_arn = aws_lb_target_group.gateway.arn
      container_name   = each.key
      container_port   = load_balancer.value
    }
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # Auto-scaling owns the running count after creation, and the deploy (cd.yml) owns which task definition revision
  # runs: Terraform registers a new revision when the configuration changes (environment, secrets, sizes) but never
  # rolls the service to it, or a terraform apply would put every service back on var.image_tag. cd.yml deploys the
  # latest revision with its commit's image, so a configuration change goes out with the next deploy, or at once by
  # re-running the last deploy (docs/operations.md, "Roll out a configuration change").
  lifecycle {
    ignore_changes = [desired_count, task_definition]
  }

  depends_on = [aws_lb_listener.https, aws_iam_role_policy.execution]
}

resource "aws_appautoscaling_target" "service" {
  for_each = local.services

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.service[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = each.value.min_capacity
  max_capacity       = each.value.max_capacity
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each = local.services

  name               = "${local.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.service[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.service[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.autoscaling_cpu_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}
