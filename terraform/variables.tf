variable "project" {
  description = "Name prefix of every resource; ECR repositories are <project>/<service>."
  type        = string
  default     = "couponhub"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.project))
    error_message = "project must be 2-20 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name (prod, staging, ...), part of every resource name."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lower-case letters or digits, starting with a letter."
  }
}

variable "aws_region" {
  description = "AWS region of everything (and of the SES SMTP endpoint the notification service uses)."
  type        = string
  default     = "ap-northeast-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like ap-northeast-2."
  }
}

variable "vpc_cidr" {
  description = "CIDR of the VPC (a /16 is split into /24 subnets: public 0-1, private 10-11)."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) <= 16, false)
    error_message = "vpc_cidr must be an IPv4 CIDR of /16 or larger."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both zones (cheaper, but a zone outage cuts the other zone's egress)."
  type        = bool
  default     = false
}

variable "certificate_arn" {
  description = "ARN of an issued ACM certificate (same region) for the API's host name, used by the HTTPS listener."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "public_base_url" {
  description = "The address users reach the suite at: https:// and the certificate's host name, pointed at the load balancer (DNS is outside this configuration). The deploy workflow's smoke check calls it."
  type        = string

  validation {
    condition     = can(regex("^https://[a-z0-9.-]+$", var.public_base_url))
    error_message = "public_base_url must be https:// and a host name, without a path or a trailing slash."
  }
}

variable "alb_deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
  default     = true
}

variable "image_tag" {
  description = "Image tag of the task definitions Terraform registers (the git commit of the first deploy); later deploys are cd.yml's, which replaces the image of the latest revision. ECR tags are immutable."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag)) && var.image_tag != "latest"
    error_message = "image_tag must be a valid Docker tag other than \"latest\"."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture of the Fargate tasks, matching the images (X86_64 or ARM64)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "container_insights" {
  description = "Enable CloudWatch Container Insights on the ECS cluster."
  type        = bool
  default     = true
}

variable "autoscaling_cpu_target" {
  description = "Average CPU (percent) each service's auto-scaling keeps its tasks at."
  type        = number
  default     = 60

  validation {
    condition     = var.autoscaling_cpu_target >= 10 && var.autoscaling_cpu_target <= 90
    error_message = "autoscaling_cpu_target must be between 10 and 90."
  }
}

variable "service_discovery_namespace" {
  description = "Cloud Map private DNS namespace; services are <service>.<namespace> (e.g. user-service.couponhub.local)."
  type        = string
  default     = "couponhub.local"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$", var.service_discovery_namespace))
    error_message = "service_discovery_namespace must be a DNS name such as couponhub.local."
  }
}

variable "db_engine_version" {
  description = "RDS MySQL engine version: 8.4 or one of its minor versions (the parameter group is for 8.4)."
  type        = string
  default     = "8.4"

  validation {
    condition     = can(regex("^8\\.4(\\.[0-9]+)?$", var.db_engine_version))
    error_message = "db_engine_version must be MySQL 8.4 (e.g. 8.4 or 8.4.6)."
  }
}

variable "db_max_connections" {
  description = "MySQL max_connections. Stay at or below the instance class's default, DBInstanceClassMemory/12582880 (about 340 for db.t4g.medium): the services' pools at maximum scale, doubled during a rolling deploy, are sized to fit it (local.services db_pool_size)."
  type        = number
  default     = 300

  validation {
    condition     = var.db_max_connections >= 100
    error_message = "db_max_connections must be at least 100."
  }
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"

  validation {
    condition     = startswith(var.db_instance_class, "db.")
    error_message = "db_instance_class must be an RDS class such as db.t4g.medium."
  }
}

variable "db_allocated_storage" {
  description = "Initial storage of the database in GiB."
  type        = number
  default     = 20

  validation {
    condition     = var.db_allocated_storage >= 20
    error_message = "db_allocated_storage must be at least 20 GiB."
  }
}

variable "db_max_allocated_storage" {
  description = "Upper bound of storage auto-scaling in GiB."
  type        = number
  default     = 200

  validation {
    condition     = var.db_max_allocated_storage >= 20
    error_message = "db_max_allocated_storage must be at least 20 GiB."
  }
}

variable "db_multi_az" {
  description = "Run the database Multi-AZ (a standby in the second zone). Switch off for cheap test environments."
  type        = bool
  default     = true
}

variable "db_master_username" {
  description = "Master user of the RDS instance (its password is generated and kept in Secrets Manager by RDS)."
  type        = string
  default     = "couponhub_admin"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9_]{0,15}$", var.db_master_username)) && lower(var.db_master_username) != "admin"
    error_message = "db_master_username must be 1-16 letters, digits or underscores, start with a letter, and not be \"admin\"."
  }
}

variable "db_backup_retention_days" {
  description = "Days of automated database backups."
  type        = number
  default     = 7

  validation {
    condition     = var.db_backup_retention_days >= 1 && var.db_backup_retention_days <= 35
    error_message = "db_backup_retention_days must be between 1 and 35."
  }
}

variable "db_deletion_protection" {
  description = "Protect the database from deletion."
  type        = bool
  default     = true
}

variable "redis_engine_version" {
  description = "ElastiCache Redis engine version."
  type        = string
  default     = "7.1"

  validation {
    condition     = can(regex("^7\\.", var.redis_engine_version))
    error_message = "redis_engine_version must be a Redis 7 version (the parameter group is default.redis7)."
  }
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"

  validation {
    condition     = startswith(var.redis_node_type, "cache.")
    error_message = "redis_node_type must be an ElastiCache node type such as cache.t4g.small."
  }
}

variable "redis_num_cache_clusters" {
  description = "Redis nodes (1 = no replica; 2 or more = a replica in the other zone with automatic failover)."
  type        = number
  default     = 2

  validation {
    condition     = var.redis_num_cache_clusters >= 1 && var.redis_num_cache_clusters <= 6
    error_message = "redis_num_cache_clusters must be between 1 and 6."
  }
}

variable "elasticsearch_cpu" {
  description = "CPU units of the Elasticsearch node's task (elasticsearch.tf)."
  type        = number
  default     = 1024

  validation {
    condition     = contains([1024, 2048, 4096], var.elasticsearch_cpu)
    error_message = "elasticsearch_cpu must be 1024, 2048 or 4096."
  }
}

variable "elasticsearch_memory" {
  description = "Memory (MiB) of the Elasticsearch node's task; half of it is the heap, the rest the file system cache. Must be a Fargate size for elasticsearch_cpu."
  type        = number
  default     = 4096

  validation {
    condition     = var.elasticsearch_memory >= 2048 && var.elasticsearch_memory <= 30720 && var.elasticsearch_memory % 1024 == 0
    error_message = "elasticsearch_memory must be 2048 to 30720 MiB in steps of 1024."
  }
}

variable "tracing_sampling_probability" {
  description = "Share of requests whose traces the services record and send to X-Ray (MANAGEMENT_TRACING_SAMPLING_PROBABILITY), 0 to 1."
  type        = number
  default     = 0.1

  validation {
    condition     = var.tracing_sampling_probability >= 0 && var.tracing_sampling_probability <= 1
    error_message = "tracing_sampling_probability must be between 0 and 1."
  }
}

variable "cors_allowed_origins" {
  description = "Browser origins allowed to call the API (COUPONHUB_GATEWAY_CORS_ALLOWED_ORIGINS)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for origin in var.cors_allowed_origins : can(regex("^https?://[^/]+$", origin))])
    error_message = "Each CORS origin must be scheme://host[:port] without a path."
  }
}

variable "admin_email" {
  description = "E-mail of the ADMIN account user-service creates at start-up (its password is generated in Secrets Manager)."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.admin_email))
    error_message = "admin_email must be an e-mail address."
  }
}

variable "mail_from" {
  description = "Sender of alert e-mails (COUPONHUB_MAIL_FROM); its domain must be verified in SES."
  type        = string

  validation {
    condition     = can(regex("@", var.mail_from))
    error_message = "mail_from must contain an e-mail address, e.g. Couponhub <no-reply@example.com>."
  }
}

variable "stats_zone" {
  description = "Time zone whose calendar days the usage statistics count (COUPONHUB_STATS_ZONE)."
  type        = string
  default     = "Asia/Seoul"

  validation {
    condition     = can(regex("^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$", var.stats_zone))
    error_message = "stats_zone must be an IANA zone id such as Asia/Seoul."
  }
}

variable "vertex_ai_project_id" {
  description = "Google Cloud project for Vertex AI Gemini recommendations; empty (default) leaves COUPONHUB_AI_MODEL unset, so ai-service answers with its fallback ranking."
  type        = string
  default     = ""

  validation {
    condition     = var.vertex_ai_project_id == "" || can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.vertex_ai_project_id))
    error_message = "vertex_ai_project_id must be empty or a Google Cloud project id."
  }
}

variable "vertex_ai_location" {
  description = "Vertex AI location (used only with vertex_ai_project_id)."
  type        = string
  default     = "us-central1"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.vertex_ai_location))
    error_message = "vertex_ai_location must be a Google Cloud region such as us-central1."
  }
}

variable "vertex_ai_model" {
  description = "Gemini model (used only with vertex_ai_project_id)."
  type        = string
  default     = "gemini-2.0-flash"

  validation {
    condition     = length(var.vertex_ai_model) > 0
    error_message = "vertex_ai_model must not be empty."
  }
}

variable "ecr_keep_images" {
  description = "Images kept per ECR repository; older ones expire."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 5
    error_message = "ecr_keep_images must be at least 5 (room to roll back)."
  }
}

variable "ecr_untagged_expiry_days" {
  description = "Days after which untagged images expire."
  type        = number
  default     = 7

  validation {
    condition     = var.ecr_untagged_expiry_days >= 1
    error_message = "ecr_untagged_expiry_days must be at least 1."
  }
}

variable "cloudfront_price_class" {
  description = "CloudFront price class of the static assets distribution."
  type        = string
  default     = "PriceClass_200"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)
    error_message = "cloudfront_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "log_retention_days" {
  description = "Days the services' CloudWatch logs are kept."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs supports (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarm_email" {
  description = "E-mail subscribed to the alarms topic; empty for none."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address."
  }
}

variable "alb_5xx_threshold" {
  description = "5xx answers a minute above which the 5xx alarms fire."
  type        = number
  default     = 10

  validation {
    condition     = var.alb_5xx_threshold >= 0
    error_message = "alb_5xx_threshold must not be negative."
  }
}

variable "cpu_alarm_threshold" {
  description = "Average CPU (percent) of a service above which its CPU alarm fires."
  type        = number
  default     = 85

  validation {
    condition     = var.cpu_alarm_threshold > 0 && var.cpu_alarm_threshold <= 100
    error_message = "cpu_alarm_threshold must be between 1 and 100."
  }
}

variable "secret_recovery_window_days" {
  description = "Days a deleted secret can still be restored (0 deletes at once; only for throw-away environments)."
  type        = number
  default     = 30

  validation {
    condition     = var.secret_recovery_window_days == 0 || (var.secret_recovery_window_days >= 7 && var.secret_recovery_window_days <= 30)
    error_message = "secret_recovery_window_days must be 0 or between 7 and 30."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the deploy role (cd.yml, environment \"production\") and the plan role (terraform.yml, pull requests)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider. An account has at most one per URL: set false when it already exists."
  type        = bool
  default     = true
}

variable "terraform_state_bucket" {
  description = "Name of the S3 bucket holding the Terraform state (README, \"Remote state\"); the plan role may read it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.terraform_state_bucket))
    error_message = "terraform_state_bucket must be a valid S3 bucket name."
  }
}

variable "terraform_state_key" {
  description = "Key of the Terraform state in the state bucket (backend.hcl's key); the plan workflow inits with it."
  type        = string
  default     = "couponhub/prod/terraform.tfstate"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+\\.tfstate$", var.terraform_state_key))
    error_message = "terraform_state_key must be an S3 key ending in .tfstate."
  }
}

variable "terraform_lock_table" {
  description = "Name of the DynamoDB table locking the Terraform state; the plan role takes and releases the lock."
  type        = string
  default     = "couponhub-tfstate-lock"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.terraform_lock_table))
    error_message = "terraform_lock_table must be a valid DynamoDB table name."
  }
}

variable "jwt_previous_public_keys" {
  description = "PEM public keys (\"-----BEGIN PUBLIC KEY-----\") of earlier JWT signing keys, still accepted after a rotation until the access tokens they signed have expired (15 minutes). Public keys only."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for pem in var.jwt_previous_public_keys : startswith(trimspace(pem), "-----BEGIN PUBLIC KEY-----")])
    error_message = "jwt_previous_public_keys takes PEM public keys only (never a private key)."
  }
}
