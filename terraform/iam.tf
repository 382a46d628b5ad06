# Roles of the ECS tasks. No user, no access key: every AWS call is made with a role.
#  - execution role (shared by the services and the Elasticsearch node): pull the images, write the logs, read the
#    secrets of the tasks, nothing else;
#  - task role (one per service): what the application itself may do. A producer may only send to its target
#    queues, a consumer may only receive from its own queue (and, if it measures its backlog, read the size of its
#    dead-letter queue); services that use no AWS API get no permission.

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${local.name}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

locals {
  task_secret_arns = distinct(concat(
    [for secret in aws_secretsmanager_secret.db : secret.arn],
    [
      aws_secretsmanager_secret.jwt_private_key.arn,
      aws_secretsmanager_secret.admin_password.arn,
      aws_secretsmanager_secret.ses_smtp.arn,
      aws_secretsmanager_secret.elasticsearch_password.arn,
    ]
  ))
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"] # this action has no resource-level permission
  }

  statement {
    sid = "EcrPull"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [for repository in aws_ecr_repository.service : repository.arn]
  }

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = concat([for group in aws_cloudwatch_log_group.service : "${group.arn}:*"], ["${aws_cloudwatch_log_group.elasticsearch.arn}:*"])
  }

  statement {
    sid       = "TaskSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.task_secret_arns
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-log-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

resource "aws_iam_role" "task" {
  for_each = local.services

  name               = "${local.name}-${each.key}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

locals {
  sqs_producer_actions = ["sqs:SendMessage", "sqs:GetQueueUrl"]
  sqs_consumer_actions = [
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:ChangeMessageVisibility",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
  ]
  # consumers that publish the backlog gauge (couponhub.sqs.messages) also read the size of their dead-letter
  # queue, and nothing more on it
  sqs_dlq_monitor_actions = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
  sqs_backlog_monitors    = ["notification-service", "batch-service"]
  # consumers of messages that carry several events move a single unreadable event to their dead-letter queue
  # themselves (service-kit DeadLetters); they may send to it, and nothing else on it
  sqs_dlq_sender_actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
  sqs_event_dead_letterers = ["notification-service", "batch-service"]

  # service => the IAM statements of its queues (empty for services that use no queue)
  sqs_statements = {
    for name, svc in local.services : name => concat(
      [
        for queue, q in local.queues : {
          Effect   = "Allow"
          Action   = local.sqs_producer_actions
          Resource = aws_sqs_queue.main[queue].arn
        } if contains(q.producers, name)
      ],
      [
        for queue, q in local.queues : {
          Effect   = "Allow"
          Action   = local.sqs_consumer_actions
          Resource = aws_sqs_queue.main[queue].arn
        } if q.consumer == name
      ],
      [
        for queue, q in local.queues : {
          Effect   = "Allow"
          Action   = local.sqs_dlq_monitor_actions
          Resource = aws_sqs_queue.dlq[queue].arn
        } if q.consumer == name && contains(local.sqs_backlog_monitors, name)
      ],
      [
        for queue, q in local.queues : {
          Effect   = "Allow"
          Action   = local.sqs_dlq_sender_actions
          Resource = aws_sqs_queue.dlq[queue].arn
        } if q.consumer == name && contains(local.sqs_event_dead_letterers, name)
      ]
    )
  }
}

resource "aws_iam_role_policy" "task_sqs" {
  for_each = { for name, statements in local.sqs_statements : name => statements if length(statements) > 0 }

  name = "own-queues"
  role = aws_iam_role.task[each.key].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = each.value
  })
}
