# GitHub Actions reach AWS through OpenID Connect: each workflow run gets a short-lived token that one role
# trusts, scoped to this repository. No access key exists anywhere.
#  - deploy role (cd.yml and ops-task.yml, environment "production" only): push images to the services' and ops-tasks'
#    ECR repositories, register task definitions, update the services, run the one-off tasks (ops_tasks.tf) in the
#    cluster and read their logs, and pass only the ECS task and execution roles;
#  - plan role (terraform.yml, pull requests): read-only view of the account, read the state, hold the lock, and
#    never read a secret's value (an explicit Deny, below): a pull request's code runs with this role;
#  - apply role (terraform-apply.yml, environment "production" only): what terraform apply needs, which is broad
#    (below).
# GitHub puts the environment into the token's subject, so every job of environment "production" may assume the deploy
# and the apply role: the environment's required reviewers and its deployment branch rule (main only) guard both.

locals {
  github_oidc_url          = "token.actions.githubusercontent.com"
  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.github_oidc_url}"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_url}"
  client_id_list = ["sts.amazonaws.com"]
  # AWS verifies GitHub's certificate through its own trust store; the thumbprint is kept for older accounts.
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
}

data "aws_iam_policy_document" "github_assume" {
  for_each = {
    deploy = "repo:${var.github_repository}:environment:production"
    apply  = "repo:${var.github_repository}:environment:production"
    plan   = "repo:${var.github_repository}:pull_request"
  }

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:sub"
      values   = [each.value]
    }
  }
}

resource "aws_iam_role" "github_deploy" {
  name                 = "${local.name}-github-deploy"
  assume_role_policy   = data.aws_iam_policy_document.github_assume["deploy"].json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "github_deploy" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PushServiceImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = concat([for repository in aws_ecr_repository.service : repository.arn], [aws_ecr_repository.ops_tasks.arn])
  }

  # RegisterTaskDefinition and DescribeTaskDefinition support no resource-level permissions.
  statement {
    sid       = "TaskDefinitions"
    actions   = ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"]
  }

  statement {
    sid       = "DeployServices"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [for service in aws_ecs_service.service : service.id]
  }

  # db-bootstrap before each deploy, search-reindex on demand: any revision of their families, in this cluster only
  statement {
    sid       = "RunOpsTasks"
    actions   = ["ecs:RunTask"]
    resources = [for task, definition in aws_ecs_task_definition.ops_task : "arn:aws:ecs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:task-definition/${definition.family}:*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.main.arn]
    }
  }

  # wait for a one-off task to stop and read its exit code, and show its log when it failed
  statement {
    sid       = "WatchOpsTasks"
    actions   = ["ecs:DescribeTasks"]
    resources = ["arn:aws:ecs:${var.aws_region}:${data.aws_caller_identity.current.account_id}:task/${aws_ecs_cluster.main.name}/*"]
  }

  statement {
    sid       = "OpsTaskLogs"
    actions   = ["logs:GetLogEvents"]
    resources = ["${aws_cloudwatch_log_group.ops_tasks.arn}:*"]
  }

  statement {
    sid     = "PassTaskRoles"
    actions = ["iam:PassRole"]
    resources = concat(
      [aws_iam_role.execution.arn, aws_iam_role.ops_execution.arn],
      [for role in aws_iam_role.task : role.arn],
      [for role in aws_iam_role.ops_task : role.arn]
    )

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "github_deploy" {
  name   = "deploy"
  role   = aws_iam_role.github_deploy.id
  policy = data.aws_iam_policy_document.github_deploy.json
}

resource "aws_iam_role" "github_plan" {
  name                 = "${local.name}-github-plan"
  assume_role_policy   = data.aws_iam_policy_document.github_assume["plan"].json
  max_session_duration = 3600
}

# terraform plan refreshes every resource, which needs read access to their configuration across services.
resource "aws_iam_role_policy_attachment" "github_plan_read_only" {
  role       = aws_iam_role.github_plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "github_plan_state" {
  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.terraform_state_bucket}", "arn:aws:s3:::${var.terraform_state_bucket}/*"]
  }

  statement {
    sid       = "StateLock"
    actions   = ["dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem"]
    resources = ["arn:aws:dynamodb:${var.aws_region}:${data.aws_caller_identity.current.account_id}:table/${var.terraform_lock_table}"]
  }
}

resource "aws_iam_role_policy" "github_plan_state" {
  name   = "terraform-state"
  role   = aws_iam_role.github_plan.id
  policy = data.aws_iam_policy_document.github_plan_state.json
}

# A pull request's workflow runs its own code with the plan role, so whatever the role can read, the pull request can
# print. ReadOnlyAccess reads configuration, not secret values, except through these actions: an explicit Deny holds
# even if a policy attached later allows them (delivery-checks' rule plan-role-reads-secrets).
#  - Secrets Manager values (the services' secrets, the RDS master secret): terraform plan needs none, the
#    configuration has no secret version and no data source reading one (rule secret-in-state);
#  - SSM parameter values (GetParameter* decrypts SecureString parameters) and their history;
#  - kms:Decrypt except through S3: reading the state (the bucket's SSE-KMS key) is decrypted by S3 on the role's
#    behalf (kms:ViaService s3), which stays allowed; a direct Decrypt of anything else is refused.
data "aws_iam_policy_document" "github_plan_no_secrets" {
  statement {
    sid    = "NoSecretValues"
    effect = "Deny"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:BatchGetSecretValue",
      "ssm:GetParameter",
      "ssm:GetParameters",
      "ssm:GetParametersByPath",
      "ssm:GetParameterHistory",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "NoDecryptButTheState"
    effect    = "Deny"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "github_plan_no_secrets" {
  name   = "no-secret-values"
  role   = aws_iam_role.github_plan.id
  policy = data.aws_iam_policy_document.github_plan_no_secrets.json
}

resource "aws_iam_role" "github_apply" {
  name                 = "${local.name}-github-apply"
  assume_role_policy   = data.aws_iam_policy_document.github_assume["apply"].json
  max_session_duration = 3600
}

# terraform apply creates and changes nearly every kind of resource here (VPC, load balancer, RDS, ElastiCache, EFS,
# ECS, SQS, CloudWatch, Secrets Manager, Prometheus, ...): PowerUserAccess, which is everything but IAM and
# Organizations, and covers the state bucket and its lock table. That is broad, and cannot be much narrower without
# listing every action of every resource type.
resource "aws_iam_role_policy_attachment" "github_apply_power_user" {
  role       = aws_iam_role.github_apply.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

# IAM only on what this configuration names: its roles and policies (<project>-<environment>-*, the apply role itself
# included, which is why this role is as powerful as the configuration), GitHub's OIDC provider, the service-linked
# roles AWS creates on the first use of ECS, RDS, ElastiCache, EFS and auto-scaling; reading IAM anywhere.
data "aws_iam_policy_document" "github_apply_iam" {
  statement {
    sid     = "OwnRolesAndPolicies"
    actions = ["iam:*"]
    resources = [
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name}-*",
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:policy/${local.name}-*",
      "arn:aws:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.github_oidc_url}",
    ]
  }

  statement {
    sid       = "ServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/aws-service-role/*"]
  }

  statement {
    sid       = "ReadIam"
    actions   = ["iam:Get*", "iam:List*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "github_apply_iam" {
  name   = "own-iam"
  role   = aws_iam_role.github_apply.id
  policy = data.aws_iam_policy_document.github_apply_iam.json
}
