#!/usr/bin/env bash
# `make serve`: dagster-webserver, dagster-daemon, the sync-runs API and, without a real
# HubSpot token, a seeded simulator; Ctrl-C (or any one of them exiting) stops them all.
set -euo pipefail

VENV_BIN="${VENV_BIN:-.venv/bin}"
DAGSTER_PORT="${DAGSTER_PORT:-3000}"
API_PORT="${API_PORT:-8000}"
SIMULATOR_PORT="${SIMULATOR_PORT:-8090}"

if [[ -z "${SYNC_API_TOKEN:-}" ]]; then
  echo "SYNC_API_TOKEN is not set: export the bearer token clients of the API must send," >&2
  echo "e.g. export SYNC_API_TOKEN=\$(openssl rand -hex 32)" >&2
  exit 2
fi

trap 'trap - EXIT INT TERM; kill 0' EXIT INT TERM

if [[ -z "${HUBSPOT_ACCESS_TOKEN:-}" ]]; then
  export HUBSPOT_ACCESS_TOKEN="serve-simulator-token"
  export HUBSPOT_API_BASE_URL="http://127.0.0.1:${SIMULATOR_PORT}"
  export HUBSPOT_START_DATE="${HUBSPOT_START_DATE:-$(date -u -d '-400 days' +%F)}"
  echo "No HUBSPOT_ACCESS_TOKEN: serving the HubSpot simulator on ${HUBSPOT_API_BASE_URL}"
  "$VENV_BIN/python" -m hubspot_pipeline.simulator --port "$SIMULATOR_PORT" \
    --token "$HUBSPOT_ACCESS_TOKEN" --latency-ms 50 &
fi

"$VENV_BIN/dagster-webserver" -h 127.0.0.1 -p "$DAGSTER_PORT" -w workspace.yaml &
"$VENV_BIN/dagster-daemon" run -w workspace.yaml &
DAGSTER_GRAPHQL_URL="http://127.0.0.1:${DAGSTER_PORT}/graphql" \
  "$VENV_BIN/hubspot-sync" serve-api --port "$API_PORT" &

echo "Dagster UI http://127.0.0.1:${DAGSTER_PORT}, sync-runs API http://127.0.0.1:${API_PORT}/docs"
wait -n
