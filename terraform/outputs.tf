output "alb_dns_name" {
  description = "DNS name of the load balancer: point the API host name (the certificate's name) at it."
  value       = aws_lb.main.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the load balancer, for a Route 53 alias record."
  value       = aws_lb.main.zone_id
}

output "ecr_repository_urls" {
  description = "ECR repository URL of each service (push <url>:<image_tag>)."
  value       = { for name, repository in aws_ecr_repository.service : name => repository.repository_url }
}

output "ops_tasks_repository_url" {
  description = "ECR repository of the one-off tasks' image (ops-tasks)."
  value       = aws_ecr_repository.ops_tasks.repository_url
}

output "ops_task_families" {
  description = "Task definition family of each one-off task (db-bootstrap, search-reindex)."
  value       = { for task, definition in aws_ecs_task_definition.ops_task : task => definition.family }
}

output "ecs_cluster_name" {
  description = "ECS cluster of the services."
  value       = aws_ecs_cluster.main.name
}

output "service_names" {
  description = "Cloud Map name of each service."
  value       = local.dns
}

output "db_endpoint" {
  description = "RDS MySQL endpoint (host:port)."
  value       = aws_db_instance.main.endpoint
}

output "db_master_secret_arn" {
  description = "Secrets Manager secret of the RDS master user (managed by RDS), used by the database bootstrap."
  value       = aws_db_instance.main.master_user_secret[0].secret_arn
}

output "db_password_secret_arns" {
  description = "Secrets Manager secret holding each service's database password (put by db-bootstrap)."
  value       = { for name, secret in aws_secretsmanager_secret.db : name => secret.arn }
}

output "operator_secret_arns" {
  description = "Secrets whose values the operator puts (see README.md)."
  value = {
    jwt_private_key = aws_secretsmanager_secret.jwt_private_key.arn
    ses_smtp        = aws_secretsmanager_secret.ses_smtp.arn
    admin_password  = aws_secretsmanager_secret.admin_password.arn
  }
}

output "elasticsearch_uri" {
  description = "The Elasticsearch node coupon-service searches (inside the VPC; user elastic, password in elasticsearch_password_secret_arn)."
  value       = local.elasticsearch_uri
}

output "elasticsearch_password_secret_arn" {
  description = "Secret holding the password of the Elasticsearch user elastic (put by db-bootstrap)."
  value       = aws_secretsmanager_secret.elasticsearch_password.arn
}

output "prometheus_endpoint" {
  description = "Query URL of the Amazon Managed Prometheus workspace (Grafana's Prometheus data source, SigV4, service aps)."
  value       = aws_prometheus_workspace.main.prometheus_endpoint
}

output "redis_primary_endpoint" {
  description = "ElastiCache Redis primary endpoint."
  value       = aws_elasticache_replication_group.main.primary_endpoint_address
}

output "queue_urls" {
  description = "URL of each SQS queue."
  value       = { for name, queue in aws_sqs_queue.main : name => queue.url }
}

output "dead_letter_queue_urls" {
  description = "URL of each dead-letter queue."
  value       = { for name, queue in aws_sqs_queue.dlq : name => queue.url }
}

output "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  value       = aws_sns_topic.alarms.arn
}

output "github_deploy_role_arn" {
  description = "Set as the GitHub variable AWS_DEPLOY_ROLE_ARN (cd.yml)."
  value       = aws_iam_role.github_deploy.arn
}

output "github_plan_role_arn" {
  description = "Set as the GitHub variable AWS_PLAN_ROLE_ARN (terraform.yml)."
  value       = aws_iam_role.github_plan.arn
}

output "github_apply_role_arn" {
  description = "Set as the GitHub variable AWS_APPLY_ROLE_ARN (terraform-apply.yml)."
  value       = aws_iam_role.github_apply.arn
}

output "github_variables" {
  description = "Repository variables the workflows read (Settings > Secrets and variables > Actions > Variables). None is a secret."
  value = {
    AWS_REGION             = var.aws_region
    AWS_DEPLOY_ROLE_ARN    = aws_iam_role.github_deploy.arn
    AWS_PLAN_ROLE_ARN      = aws_iam_role.github_plan.arn
    AWS_APPLY_ROLE_ARN     = aws_iam_role.github_apply.arn
    ECS_CLUSTER            = aws_ecs_cluster.main.name
    ECS_TASK_FAMILY_PREFIX = "${local.name}-"
    PUBLIC_BASE_URL        = var.public_base_url
    # where the one-off tasks run (cd.yml's db-bootstrap, ops-task.yml)
    OPS_TASK_SUBNETS              = join(",", [for subnet in aws_subnet.private : subnet.id])
    DB_BOOTSTRAP_SECURITY_GROUP   = aws_security_group.ops_task["db-bootstrap"].id
    SEARCH_REINDEX_SECURITY_GROUP = aws_security_group.ops_task["search-reindex"].id
    TF_STATE_BUCKET               = var.terraform_state_bucket
    TF_STATE_KEY                  = var.terraform_state_key
    TF_LOCK_TABLE                 = var.terraform_lock_table
  }
}
