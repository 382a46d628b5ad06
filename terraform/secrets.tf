# Secrets of the tasks, injected by ECS as container secrets (never as plain environment values):
#  - db[<service>]    SPRING_DATASOURCE_PASSWORD of <svc>_svc: generated here; the database user is created with
#                     it by the bootstrap in README.md
#  - admin_password   COUPONHUB_ADMIN_PASSWORD (user-service): generated here; read it from Secrets Manager
#  - jwt_private_key  COUPONHUB_JWT_PRIVATE_KEY (user-service): RSA PEM PKCS#8, put by the operator (README.md),
#                     so the signing key never passes through Terraform or its state
#  - ses_smtp         SPRING_MAIL_USERNAME / SPRING_MAIL_PASSWORD (notification-service): SES SMTP credentials as
#                     JSON {"username": ..., "password": ...}, put by the operator (README.md)
# Generated values live in Secrets Manager and in the (encrypted, access-restricted) remote state.

resource "random_password" "db" {
  for_each = local.db_services

  length           = 32
  special          = true
  override_special = "-_.~"
}

resource "aws_secretsmanager_secret" "db" {
  for_each = local.db_services

  name                    = "${local.name}/${each.key}/db-password"
  description             = "MySQL password of ${replace(each.key, "-service", "")}_svc (schema ${each.value.database})"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "db" {
  for_each = local.db_services

  secret_id     = aws_secretsmanager_secret.db[each.key].id
  secret_string = random_password.db[each.key].result
}

resource "random_password" "admin" {
  length           = 24
  special          = true
  override_special = "-_.~"
}

resource "aws_secretsmanager_secret" "admin_password" {
  name                    = "${local.name}/user-service/admin-password"
  description             = "Password of the ADMIN account (${var.admin_email}) created by user-service"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret_version" "admin_password" {
  secret_id     = aws_secretsmanager_secret.admin_password.id
  secret_string = random_password.admin.result
}

resource "aws_secretsmanager_secret" "jwt_private_key" {
  name                    = "${local.name}/user-service/jwt-private-key"
  description             = "RSA private key (PEM PKCS#8) that signs access tokens; value put by the operator"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret" "ses_smtp" {
  name                    = "${local.name}/notification-service/ses-smtp"
  description             = "SES SMTP credentials as JSON {username, password}; value put by the operator"
  recovery_window_in_days = var.secret_recovery_window_days
}
