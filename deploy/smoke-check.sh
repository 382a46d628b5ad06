#!/usr/bin/env bash
# Smoke check of a deployed suite, run by the deploy workflow after every deploy (and by SmokeCheckIT against the
# devstack): through the public address, the gateway is healthy, the web app is served, and a public read reaches
# store-service and coupon-service with their databases. Retries until SMOKE_TIMEOUT seconds (default 180) have
# passed, since a rolling deploy may still be replacing tasks; exits 0 when every check passed once in one round,
# else 1 with the last failures. Needs only bash and curl.
#   deploy/smoke-check.sh https://api.example.com
set -uo pipefail

base="${1:?usage: smoke-check.sh <base URL, e.g. https://api.example.com>}"
base="${base%/}"
timeout="${SMOKE_TIMEOUT:-180}"
deadline=$((SECONDS + timeout))

# check <name> <path> <expected text in the body>
check() {
  local body status
  body="$(curl -sS --max-time 10 -o - -w '\n%{http_code}' "$base$2" 2>&1)"
  status="${body##*$'\n'}"
  body="${body%$'\n'*}"
  if [[ "$status" != 200 || "$body" != *"$3"* ]]; then
    failures+=("$1: $base$2 answered ${status:-nothing}")
    return 1
  fi
}

while true; do
  failures=()
  check "gateway health" "/actuator/health" '"UP"'
  check "web app" "/" "<div id=\"root\">"
  check "stores (store-service, its database)" "/api/v1/stores?size=1" '"totalElements"'
  check "coupons (coupon-service, its database)" "/api/v1/coupons?size=1" '"totalElements"'
  if [[ ${#failures[@]} -eq 0 ]]; then
    echo "smoke check passed: $base"
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    printf 'smoke check failed after %ss:\n' "$timeout" >&2
    printf '  %s\n' "${failures[@]}" >&2
    exit 1
  fi
  sleep 5
done
