#!/usr/bin/env bash
# Renders the sample pages of docs/records.md and the README: runs the main journey (docs/journey.sh) and turns
# the batch record and the certificate it downloads into PNG pages (poppler's pdftoppm), so a person can look
# at what QA signs and what the clinic gets without a PDF viewer.
#
#   bash docs/records/render-samples.sh                 # starts the built app on a database of its own
#   BASE=http://localhost:3000/api/v1 ADMIN_EMAIL=... ADMIN_PASSWORD=... bash docs/records/render-samples.sh
#
# Without BASE it builds the app (so the pages show this checkout), creates a throwaway database on the local PostgreSQL
# (postgres@127.0.0.1:5432, trust, as the tests use it), starts the app HTTP-only (APP_ROLE=api, so it takes
# no one's jobs) on SAMPLES_PORT (default 3977), and drops the database at the end. Writes
# batch-record-<page>.png and certificate-<page>.png to SAMPLES_DIR (default: this folder) and keeps the PDFs
# beside them when KEEP_PDF=1. Needs what journey.sh needs (curl, jq, GNU date) and pdftoppm (poppler-utils).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${SAMPLES_DIR:-$HERE}
DPI=${SAMPLES_DPI:-70}
WORK=$(mktemp -d)
APP_PID=
DB=

cleanup() {
  if [ -n "$APP_PID" ]; then kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [ -n "$DB" ]; then psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v pdftoppm >/dev/null || { echo "pdftoppm not found (apt-get install poppler-utils)" >&2; exit 1; }

if [ -z "${BASE:-}" ]; then
  PORT=${SAMPLES_PORT:-3977}
  DB="cpc_samples_$$"
  (cd "$ROOT" && npm run build >/dev/null)
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE \"$DB\""
  ADMIN_EMAIL=samples-admin@example.org
  ADMIN_PASSWORD=samples-password-1
  # Throwaway secrets: this app lives for one run, on a database dropped at the end.
  (cd "$ROOT" && exec env PORT="$PORT" DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB" \
    REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}" QUEUE_PREFIX="samples$$" APP_ROLE=api \
    JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
    BOOTSTRAP_ADMIN_EMAIL="$ADMIN_EMAIL" BOOTSTRAP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    FACILITY_NAME="${FACILITY_NAME:-Cell Processing Center (sample)}" LOG_LEVEL=warn \
    node dist/src/main.js >"$WORK/app.log" 2>&1) &
  APP_PID=$!
  BASE="http://127.0.0.1:$PORT/api/v1"
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log" >&2; exit 1; }
    sleep 1
  done
  export ADMIN_EMAIL ADMIN_PASSWORD
fi

BASE="$BASE" OUT_DIR="$WORK" bash "$ROOT/docs/journey.sh" >"$WORK/journey.log"

mkdir -p "$OUT"
for doc in batch-record certificate; do
  rm -f "$OUT/$doc"-*.png
  pdftoppm -r "$DPI" -png "$WORK/$doc.pdf" "$OUT/$doc"
  if [ "${KEEP_PDF:-0}" = 1 ]; then cp "$WORK/$doc.pdf" "$OUT/$doc.pdf"; fi
done
ls "$OUT"/batch-record-*.png "$OUT"/certificate-*.png
