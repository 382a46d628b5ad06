# The only public entry: HTTPS (certificate from ACM) in front of gateway-service. HTTP redirects to HTTPS.

resource "aws_lb" "main" {
  name                       = local.name
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.alb.id]
  subnets                    = [for subnet in aws_subnet.public : subnet.id]
  drop_invalid_header_fields = true
  # append the client's address to X-Forwarded-For: the gateway trusts exactly this one hop (trusted-proxy-hops 1)
  xff_header_processing_mode = "append"
  # notification streams (SSE) send a heartbeat every 15 s; anything idle longer than this is closed
  idle_timeout               = 120
  enable_deletion_protection = var.alb_deletion_protection
}

resource "aws_lb_target_group" "gateway" {
  name                 = "${local.name}-gateway"
  port                 = local.services["gateway-service"].port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = "/actuator/health/readiness"
    port                = "traffic-port"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.gateway.arn
  }
}

# The gateway serves /actuator/prometheus (and /actuator/info) to whoever reaches it; the internet must not: the
# listener answers /actuator/prometheus, /info and /metrics itself (404). The target group's health check goes to the tasks
# directly, not through this listener; metrics are scraped inside each task (the ADOT collector, observability.tf).
resource "aws_lb_listener_rule" "actuator_not_public" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  condition {
    path_pattern {
      values = ["/actuator/prometheus*", "/actuator/info*", "/actuator/metrics*"]
    }
  }

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/problem+json"
      status_code  = "404"
      message_body = "{\"type\":\"https://couponhub.dev/problems/not-found\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"No such resource.\",\"code\":\"NOT_FOUND\"}"
    }
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}
