#!/bin/bash
# Runs once, when the MySQL volume is empty: one schema and one least-privilege user per service, with the passwords
# given to the mysql container (from .env). The services' Flyway migrations create the tables.
set -euo pipefail
for svc in user store coupon notification batch; do
  var="${svc^^}_DB_PASSWORD"
  password="${!var:?$var is not set}"
  mysql --user=root --password="$MYSQL_ROOT_PASSWORD" <<SQL
CREATE DATABASE IF NOT EXISTS ${svc}_db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '${svc}_svc'@'%' IDENTIFIED BY '${password}';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, REFERENCES ON ${svc}_db.* TO '${svc}_svc'@'%';
SQL
done
