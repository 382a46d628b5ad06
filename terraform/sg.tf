# Security groups: the internet reaches only the load balancer (80, 443); the load balancer reaches only the
# gateway; the gateway reaches each service's HTTP port; gRPC ports are open only to their callers; MySQL and
# Redis only to the services that use them.

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Public load balancer in front of the gateway"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from the internet"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from the internet, redirected to HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateway" {
  security_group_id            = aws_security_group.alb.id
  description                  = "to the gateway tasks"
  referenced_security_group_id = aws_security_group.service["gateway-service"].id
  ip_protocol                  = "tcp"
  from_port                    = local.services["gateway-service"].port
  to_port                      = local.services["gateway-service"].port
}

resource "aws_security_group" "service" {
  for_each = local.services

  name        = "${local.name}-${each.key}"
  description = "Tasks of ${each.key}"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-${each.key}" }
}

# Tasks call AWS APIs, the SES SMTP endpoint, Elasticsearch and each other.
resource "aws_vpc_security_group_egress_rule" "service_all" {
  for_each = local.services

  security_group_id = aws_security_group.service[each.key].id
  description       = "outbound"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_from_alb" {
  security_group_id            = aws_security_group.service["gateway-service"].id
  description                  = "HTTP from the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.services["gateway-service"].port
  to_port                      = local.services["gateway-service"].port
}

locals {
  service_ingress = merge(
    {
      for name, svc in local.services : "${name}-http-from-gateway-service" => {
        service = name
        source  = "gateway-service"
        port    = svc.port
      } if name != "gateway-service"
    },
    merge([
      for target, callers in local.grpc_callers : {
        for caller in callers : "${target}-grpc-from-${caller}" => {
          service = target
          source  = caller
          port    = local.services[target].grpc_port
        }
      }
    ]...)
  )
}

resource "aws_vpc_security_group_ingress_rule" "service" {
  for_each = local.service_ingress

  security_group_id            = aws_security_group.service[each.value.service].id
  description                  = "from ${each.value.source}"
  referenced_security_group_id = aws_security_group.service[each.value.source].id
  ip_protocol                  = "tcp"
  from_port                    = each.value.port
  to_port                      = each.value.port
}

resource "aws_security_group" "db" {
  name        = "${local.name}-db"
  description = "RDS MySQL"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-db" }
}

resource "aws_vpc_security_group_ingress_rule" "db" {
  for_each = local.db_services

  security_group_id            = aws_security_group.db.id
  description                  = "MySQL from ${each.key}"
  referenced_security_group_id = aws_security_group.service[each.key].id
  ip_protocol                  = "tcp"
  from_port                    = 3306
  to_port                      = 3306
}

resource "aws_security_group" "redis" {
  name        = "${local.name}-redis"
  description = "ElastiCache Redis"
  vpc_id      = aws_vpc.main.id

  tags = { Name = "${local.name}-redis" }
}

resource "aws_vpc_security_group_ingress_rule" "redis" {
  for_each = local.redis_services

  security_group_id            = aws_security_group.redis.id
  description                  = "Redis from ${each.key}"
  referenced_security_group_id = aws_security_group.service[each.key].id
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
}
