# Traces and metrics on AWS: an AWS Distro for OpenTelemetry (ADOT) collector beside every service, in the service's
# task. The service sends its spans (Zipkin, MANAGEMENT_ZIPKIN_TRACING_ENDPOINT) to the collector on localhost, which
# forwards them to X-Ray; the collector scrapes the service's /actuator/prometheus on localhost and remote-writes the
# metrics to an Amazon Managed Prometheus workspace, where Grafana reads them (README.md, "Traces and metrics").
# The collector's configuration is otel-collector.yaml.tftpl, one rendering per service.

locals {
  otel_collector_image = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0"
  # what the collector's container may use inside each service's task: the task gets the next Fargate memory size
  # that fits the service's own memory (local.services) plus this (ecs.tf task_memory)
  otel_collector_cpu    = 64
  otel_collector_memory = 256

  # AMP's remote write API; prometheus_endpoint ends with a slash
  prometheus_remote_write_endpoint = "${aws_prometheus_workspace.main.prometheus_endpoint}api/v1/remote_write"

  otel_collector_config = {
    for name, svc in local.services : name => templatefile("${path.module}/otel-collector.yaml.tftpl", {
      service               = name
      port                  = svc.port
      region                = var.aws_region
      remote_write_endpoint = local.prometheus_remote_write_endpoint
    })
  }

  # what every service gets: its spans go to the collector of its task, and this share of the traces is recorded
  tracing_environment = {
    MANAGEMENT_ZIPKIN_TRACING_ENDPOINT      = "http://localhost:9411/api/v2/spans"
    MANAGEMENT_TRACING_SAMPLING_PROBABILITY = tostring(var.tracing_sampling_probability)
  }
}

resource "aws_prometheus_workspace" "main" {
  alias = local.name
}

# Each service's task role may send its collector's traces to X-Ray and write metrics into this workspace, nothing
# else: PutTraceSegments and PutTelemetryRecords have no resource-level permission (X-Ray's sampling rules are not
# used: the services sample themselves, MANAGEMENT_TRACING_SAMPLING_PROBABILITY), RemoteWrite is on the workspace only
# (delivery-checks' rule metrics-write-scoped).
data "aws_iam_policy_document" "task_telemetry" {
  statement {
    sid       = "Traces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  statement {
    sid       = "Metrics"
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.main.arn]
  }
}

resource "aws_iam_role_policy" "task_telemetry" {
  for_each = local.services

  name   = "telemetry"
  role   = aws_iam_role.task[each.key].id
  policy = data.aws_iam_policy_document.task_telemetry.json
}
