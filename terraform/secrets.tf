# Secrets of the tasks, injected by ECS as container secrets (never as plain environment values). Terraform creates the
# secrets only, never a value: no value ever passes through Terraform, so none is in its state or its plans (a pull
# request's plan role can read the state, github_oidc.tf).
#  - db[<service>]    SPRING_DATASOURCE_PASSWORD of <svc>_svc: a random password put by the one-off task db-bootstrap
#                     (ops_tasks.tf) when the secret is empty, which then creates the MySQL user with it
#  - admin_password   COUPONHUB_ADMIN_PASSWORD (user-service): a random password put by db-bootstrap when empty; read it
#                     from Secrets Manager
#  - elasticsearch_password (elasticsearch.tf) ELASTIC_PASSWORD of the node, SPRING_ELASTICSEARCH_PASSWORD of
#                     coupon-service: a random password put by db-bootstrap when empty
#  - jwt_private_key  COUPONHUB_JWT_PRIVATE_KEY (user-service): RSA PEM PKCS#8, put by the operator (README.md)
#  - ses_smtp         SPRING_MAIL_USERNAME / SPRING_MAIL_PASSWORD (notification-service): SES SMTP credentials as
#                     JSON {"username": ..., "password": ...}, put by the operator (README.md)
# The RDS master password is generated and kept in Secrets Manager by RDS itself (rds.tf).
# delivery-checks' rule secret-in-state refuses random_password and secret versions with a value here.

resource "aws_secretsmanager_secret" "db" {
  for_each = local.db_services

  name                    = "${local.name}/${each.key}/db-password"
  description             = "MySQL password of ${replace(each.key, "-service", "")}_svc (schema ${each.value.database}); value put by the db-bootstrap task"
  recovery_window_in_days = var.secret_recovery_window_days
}

resource "aws_secretsmanager_secret" "admin_password" {
  name                    = "${local.name}/user-service/admin-password"
  description             = "Password of the ADMIN account (${var.admin_email}) created by user-service; value put by the db-bootstrap task"
  recovery_window_in_days = var.secret_recovery_window_days
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

# Earlier versions of this configuration generated the passwords with random_password and wrote them as secret
# versions. Forget those resources without deleting anything in AWS: the values stay in Secrets Manager (and the
# services keep working), only the state stops holding them. README.md, "Secrets out of the state", says how to rotate
# them, since older state versions in the bucket still hold them.
removed {
  from = random_password.db

  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_secretsmanager_secret_version.db

  lifecycle {
    destroy = false
  }
}

removed {
  from = random_password.admin

  lifecycle {
    destroy = false
  }
}

removed {
  from = aws_secretsmanager_secret_version.admin_password

  lifecycle {
    destroy = false
  }
}
