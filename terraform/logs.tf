# One log group per service, and the alarms: load balancer 5xx, messages in any dead-letter queue, CPU per
# service, an outbox event parked. Alarms notify an SNS topic (optionally mailed to var.alarm_email).

resource "aws_cloudwatch_log_group" "service" {
  for_each = local.services

  name              = "/ecs/${local.name}/${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_sns_topic" "alarms" {
  name = "${local.name}-alarms"
}

resource "aws_sns_topic_subscription" "alarms_email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${local.name}-alb-5xx"
  alarm_description   = "The load balancer answered 5xx (its own or the gateway's)"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_ELB_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.alb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    LoadBalancer = aws_lb.main.arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "gateway_5xx" {
  alarm_name          = "${local.name}-gateway-5xx"
  alarm_description   = "gateway-service answered 5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.alb_5xx_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    LoadBalancer = aws_lb.main.arn_suffix
    TargetGroup  = aws_lb_target_group.gateway.arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  for_each = local.queues

  alarm_name          = "${local.name}-${each.key}-dlq-not-empty"
  alarm_description   = "Messages of ${each.key} failed ${local.dlq_max_receive_count} times and are in its dead-letter queue"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    QueueName = aws_sqs_queue.dlq[each.key].name
  }
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  for_each = local.services

  alarm_name          = "${local.name}-${each.key}-cpu"
  alarm_description   = "${each.key} uses more than ${var.cpu_alarm_threshold} % CPU"
  namespace           = "AWS/ECS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  period              = 60
  evaluation_periods  = 10
  datapoints_to_alarm = 8
  threshold           = var.cpu_alarm_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    ClusterName = aws_ecs_cluster.main.name
    ServiceName = aws_ecs_service.service[each.key].name
  }
}

# service-kit's outbox relay logs "Outbox event parked ..." at ERROR (with the event's id and type) when it sets aside
# an event SQS refused couponhub.outbox.relay.max-attempts times. The event stays parked, unsent, until an operator
# re-queues it (docs/operations.md); the gauge couponhub.outbox.parked.rows shows how many wait.
resource "aws_cloudwatch_log_metric_filter" "outbox_parked" {
  for_each = local.event_producers

  name           = "${local.name}-${each.key}-outbox-parked"
  log_group_name = aws_cloudwatch_log_group.service[each.key].name
  pattern        = "\"Outbox event parked\""

  metric_transformation {
    name          = "OutboxEventsParked"
    namespace     = "${local.name}/${each.key}"
    value         = "1"
    default_value = "0"
  }
}

resource "aws_cloudwatch_metric_alarm" "outbox_parked" {
  for_each = local.event_producers

  alarm_name          = "${local.name}-${each.key}-outbox-parked"
  alarm_description   = "${each.key} parked an outbox event SQS kept refusing; see docs/operations.md to re-queue it"
  namespace           = aws_cloudwatch_log_metric_filter.outbox_parked[each.key].metric_transformation[0].namespace
  metric_name         = aws_cloudwatch_log_metric_filter.outbox_parked[each.key].metric_transformation[0].name
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}
