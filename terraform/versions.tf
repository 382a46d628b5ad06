terraform {
  required_version = ">= 1.7" # removed blocks (secrets.tf)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # Remote state in S3 with a DynamoDB lock table. The bucket, key, region and table are given at init time:
  #   terraform init -backend-config=backend.hcl
  # (see README.md, "Remote state"). Credentials come from the caller's AWS profile or SSO session, never from here.
  backend "s3" {
    encrypt = true
  }
}

# Credentials come from the standard AWS chain (SSO, profile, CI OIDC role): no keys in code or variables.
provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = var.project
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
