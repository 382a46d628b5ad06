data "aws_availability_zones" "available" {
  state = "available"
}

data "aws_caller_identity" "current" {}

locals {
  name = "${var.project}-${var.environment}"

  # Two availability zones: each gets one public and one private subnet.
  azs = slice(data.aws_availability_zones.available.names, 0, 2)

  # Every application. Each one gets the same set of resources (ECR repository, log group, task role, task
  # definition, ECS service, Cloud Map name, security group, auto-scaling): everything per service iterates over
  # this map. grpc_port = null: the service serves no gRPC. database = null: the service owns no schema.
  # cpu: the task's CPU units. memory: the service container's memory (MiB; the JVM heap is 75 % of what the container
  # gets); the task adds the ADOT collector's and rounds up to a Fargate size (ecs.tf task_memory).
  # db_pool_size: each task's connections to MySQL (Hikari's maximum-pool-size). All tasks at max_capacity, twice
  # over during a rolling deploy (deployment_maximum_percent 200), must fit var.db_max_connections with 10 to spare
  # for operators and migrations: 2 x (4x5 + 4x5 + 8x8 + 4x8 + 1x4) + 10 = 290 of 300 (delivery-checks' rule
  # db-connection-budget).
  services = {
    "gateway-service" = {
      port         = 8080
      grpc_port    = null
      database     = null
      uses_redis   = false
      public       = true
      cpu          = 1024
      memory       = 2048
      min_capacity = 2
      max_capacity = 6
      db_pool_size = null
    }
    "user-service" = {
      port         = 8081
      grpc_port    = 9091
      database     = "user_db"
      uses_redis   = false
      public       = false
      cpu          = 512
      memory       = 1024
      min_capacity = 2
      max_capacity = 4
      db_pool_size = 5
    }
    "store-service" = {
      port         = 8082
      grpc_port    = 9092
      database     = "store_db"
      uses_redis   = false
      public       = false
      cpu          = 512
      memory       = 1024
      min_capacity = 2
      max_capacity = 4
      db_pool_size = 5
    }
    "coupon-service" = {
      port         = 8083
      grpc_port    = 9093
      database     = "coupon_db"
      uses_redis   = true
      public       = false
      cpu          = 1024
      memory       = 2048
      min_capacity = 2
      max_capacity = 8
      db_pool_size = 8
    }
    # Every open alert stream holds about 21 KB of heap (docs/benchmarks.md): 2 GB (75 % heap) holds 50,000 per task.
    # One vCPU: a publish to 10,000 subscribers takes 0.6-0.8 s of one core in this service once warm, 1.0-1.2 s the
    # first after a start (docs/benchmarks.md, "A core of its own"), so half a vCPU could not alert them in a second.
    "notification-service" = {
      port         = 8084
      grpc_port    = null
      database     = "notification_db"
      uses_redis   = true
      public       = false
      cpu          = 1024
      memory       = 2048
      min_capacity = 2
      max_capacity = 4
      db_pool_size = 8
    }
    # One task: the usage-statistics job runs on a schedule inside the service.
    "batch-service" = {
      port         = 8085
      grpc_port    = null
      database     = "batch_db"
      uses_redis   = false
      public       = false
      cpu          = 512
      memory       = 1024
      min_capacity = 1
      max_capacity = 1
      db_pool_size = 4
    }
    "ai-service" = {
      port         = 8086
      grpc_port    = null
      database     = null
      uses_redis   = false
      public       = false
      cpu          = 512
      memory       = 1024
      min_capacity = 1
      max_capacity = 3
      db_pool_size = null
    }
  }

  db_services    = { for name, svc in local.services : name => svc if svc.database != null }
  redis_services = { for name, svc in local.services : name => svc if svc.uses_redis }

  # Who may open a gRPC connection to whom (target => callers).
  grpc_callers = {
    "user-service"   = ["coupon-service", "notification-service"]
    "store-service"  = ["coupon-service", "notification-service", "batch-service"]
    "coupon-service" = ["ai-service", "notification-service"]
  }

  # Every SQS queue gets "<name>-dlq" and a redrive policy. Producers may only send to, and the consumer may only
  # receive from, the queues listed here.
  queues = {
    "coupon-events-notification" = {
      producers = ["coupon-service"]
      consumer  = "notification-service"
    }
    "coupon-events-stats" = {
      producers = ["coupon-service"]
      consumer  = "batch-service"
    }
    "store-events-coupon" = {
      producers = ["store-service"]
      consumer  = "coupon-service"
    }
  }
  dlq_max_receive_count = 12

  # The services that publish events through service-kit's transactional outbox: the queues' producers.
  event_producers = toset(flatten([for queue in local.queues : queue.producers]))

  # Names in the Cloud Map private DNS namespace: <service>.<namespace>.
  dns          = { for name, svc in local.services : name => "${name}.${var.service_discovery_namespace}" }
  http_address = { for name, svc in local.services : name => "http://${local.dns[name]}:${svc.port}" }
  # dns:/// lists every task Cloud Map has under the name, and gRPC's round_robin (grpc-spring-boot-starter's
  # default) spreads the calls over them; the name is resolved again when a connection fails (a task replaced) and
  # when a server closes a connection at its max connection age (5 min, ecs.tf), which brings in tasks added since
  # (service-kit GrpcBalancingIT). static:// resolved once and stuck to one task.
  grpc_address = { for name, svc in local.services : name => "dns:///${local.dns[name]}:${svc.grpc_port}" if svc.grpc_port != null }
}
