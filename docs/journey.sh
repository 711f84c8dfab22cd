#!/usr/bin/env bash
# The main journey with curl: one patient's cells from registration to the injection, as the four roles do
# it, against a running CPC Tracker. Any failed call stops the script with the server's answer.
#
#   BASE=http://localhost:3000/api/v1 ADMIN_EMAIL=admin@example.org ADMIN_PASSWORD=change-me-please \
#     bash docs/journey.sh
#
# Needs curl, jq and GNU date (times are back-dated, as paper records may be). Each run creates its own
# clinic and staff (a suffix of its own), so it can run again and again against the same database. It writes
# the growth chart to $OUT_DIR/growth.svg, the dose's label to $OUT_DIR/dose-label.pdf, the batch record
# and the dose's certificate to $OUT_DIR/batch-record.pdf and $OUT_DIR/certificate.pdf, and the clinic's
# periodic report to $OUT_DIR/periodic-report.pdf (default: the current folder).
set -euo pipefail

BASE=${BASE:-http://localhost:3000/api/v1}
ADMIN_EMAIL=${ADMIN_EMAIL:-admin@example.org}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-change-me-please}
OUT_DIR=${OUT_DIR:-.}
RUN=${RUN:-$(date +%s | awk '{ printf "%X", $1 }')$((RANDOM % 100))}

# One call: fails (and stops the script) on any non-2xx answer, printing what the server said.
call() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local args=(-sS --fail-with-body -X "$method" "$BASE$path" -H "authorization: Bearer $token")
  if [ "$method" = POST ]; then
    # Every POST carries its own Idempotency-Key: a retry of the same call would return the first answer.
    args+=(-H "Idempotency-Key: journey-$RUN-$(date +%s%N)-$RANDOM" -H 'content-type: application/json' -d "$body")
  fi
  local answer
  if ! answer=$(curl "${args[@]}"); then
    echo "journey: $method $path failed: $answer" >&2
    return 1
  fi
  printf '%s\n' "$answer"
}
post() { call POST "$@"; }
get() { call GET "$@"; }
login() {
  local answer
  if ! answer=$(curl -sS --fail-with-body "$BASE/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}"); then
    echo "journey: signing in as $1 failed: $answer" >&2
    return 1
  fi
  jq -er .accessToken <<<"$answer"
}
# A file (a PDF): written to $3 as it comes, never through a shell variable (which would drop its NUL bytes).
download() {
  if ! curl -sS --fail-with-body "$BASE$1" -H "authorization: Bearer $2" -o "$3"; then
    echo "journey: GET $1 failed: $(cat "$3")" >&2
    return 1
  fi
}
ago() { date -u -d "$1 ago" +%Y-%m-%dT%H:%M:%SZ; }

# The administrator sets up a clinic and the staff of this run.
ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
CLINIC=$(post /clinics "$ADMIN" "{\"code\":\"OSAKA-$RUN\",\"name\":\"大阪ひざクリニック (Osaka Knee Clinic) $RUN\"}" | jq -er .id)
user() { echo "$1-$RUN@example.org" | tr '[:upper:]' '[:lower:]'; }
for who in doctor technician technician2 qa; do
  role=${who%2}
  extra=$([ "$role" = doctor ] && echo ",\"clinicId\":\"$CLINIC\"" || true)
  post /users "$ADMIN" "{\"email\":\"$(user "$who")\",\"name\":\"Dr $who $RUN\",\"role\":\"$role\",\"password\":\"$who-password-1\"$extra}" >/dev/null
done
DOC=$(login "$(user doctor)" doctor-password-1)
TECH=$(login "$(user technician)" technician-password-1)
TECH2=$(login "$(user technician2)" technician2-password-1)
QA=$(login "$(user qa)" qa-password-1)
get /auth/me "$DOC" | jq -c '{email, role, clinicId}'

# The doctor registers the patient (consent, five screening markers) and the harvest.
DONOR=$(post /donors "$DOC" "{\"birthYear\":1961,\"sex\":\"F\",\"consent\":{\"treatment\":true,\"banking\":true,\"signedAt\":\"$(ago '3 days')\"}}")
DONOR_ID=$(jq -er .id <<<"$DONOR")
DONOR_CODE=$(jq -er .code <<<"$DONOR")
for marker in HBV HCV HIV HTLV1 SYPHILIS; do
  post "/donors/$DONOR_ID/screenings" "$DOC" "{\"marker\":\"$marker\",\"result\":\"NEGATIVE\",\"testedAt\":\"$(ago '2 days')\"}" >/dev/null
done
HARVEST=$(post /harvests "$DOC" "{\"donorId\":\"$DONOR_ID\",\"tissue\":\"ADIPOSE\",\"volumeMl\":20,\"collectedAt\":\"$(ago '16 days')\"}" | jq -er .id)

# The CPC receives the tissue and creates the batch: its DIN and check character.
post "/harvests/$HARVEST/receipt" "$TECH" "{\"receivedAt\":\"$(ago '15 days')\",\"temperatureC\":4.5,\"intact\":true}" | jq -c '{status, deviations}'
BATCH=$(post /batches "$TECH" "{\"harvestId\":\"$HARVEST\",\"productType\":\"CULTURED_ADSC\",\"targetCellCount\":150000000}")
BATCH_ID=$(jq -er .id <<<"$BATCH")
jq -c '{din, dinCheck, status}' <<<"$BATCH"

# Culture: isolation (P0), passages, a count, the final harvest.
post "/batches/$BATCH_ID/isolation" "$TECH" "{\"performedAt\":\"$(ago '14 days')\",\"cellCount\":500000,\"viabilityPct\":92}" >/dev/null
post "/batches/$BATCH_ID/passages" "$TECH" "{\"passageNumber\":1,\"performedAt\":\"$(ago '10 days')\",\"cellsHarvested\":4000000,\"viabilityPct\":94,\"cellsSeeded\":1000000}" | jq -c '{passageNumber, populationDoublings, doublingTimeHours}'
post "/batches/$BATCH_ID/passages" "$TECH" "{\"passageNumber\":2,\"performedAt\":\"$(ago '6 days')\",\"cellsHarvested\":8000000,\"viabilityPct\":93,\"cellsSeeded\":2000000}" | jq -c '{passageNumber, populationDoublings, doublingTimeHours}'
post "/batches/$BATCH_ID/cell-counts" "$TECH" "{\"countedAt\":\"$(ago '1 day')\",\"totalCells\":4000000,\"viabilityPct\":95}" >/dev/null
get "/batches/$BATCH_ID" "$DOC" | jq -c '{status, cumulativePopulationDoublings, projectedReadyAt}'
post "/batches/$BATCH_ID/final-harvest" "$TECH" "{\"performedAt\":\"$(ago '2 hours')\",\"totalCells\":180000000,\"viabilityPct\":91}" >/dev/null

# QC by a second technician; QA, who recorded nothing on the batch, releases it with a signature.
for qc in '"test":"STERILITY","result":"NEGATIVE"' '"test":"MYCOPLASMA","result":"NEGATIVE"' \
  '"test":"ENDOTOXIN","value":0.05,"qualifier":"<"' '"test":"VIABILITY","value":91' \
  '"test":"CELL_COUNT","value":163800000' '"test":"IDENTITY_POSITIVE","value":96' '"test":"IDENTITY_NEGATIVE","value":0.8'; do
  post "/batches/$BATCH_ID/qc-results" "$TECH2" "{$qc,\"testedAt\":\"$(ago '1 hour')\"}" | jq -c '{test, outcome}'
done
post "/batches/$BATCH_ID/release" "$QA" '{"decision":"RELEASE","password":"qa-password-1","meaning":"Released for clinical use"}' | jq -c '{status, expiresAt, signedBy: .decision.signerName}'

# A dose, dispatched to the clinic, received and given: wristband code and syringe label must both match.
DOSE=$(post "/batches/$BATCH_ID/doses" "$TECH" "{\"cells\":50000000,\"volumeMl\":5,\"formulatedAt\":\"$(ago '30 minutes')\"}")
DOSE_ID=$(jq -er .id <<<"$DOSE")
DOSE_LABEL=$(jq -er .label <<<"$DOSE")
# The syringe gets its label (PDF for an office printer; /zpl for a thermal one); every hand-off scans it.
LABELS=$(post /labels "$TECH" "{\"subjectType\":\"DOSE\",\"subjectId\":\"$DOSE_ID\"}")
jq -c '{serials, reprint}' <<<"$LABELS"
get "/labels/$(jq -er .id <<<"$LABELS")/pdf" "$TECH" >"$OUT_DIR/dose-label.pdf"
echo "dose label: $OUT_DIR/dose-label.pdf"
post "/doses/$DOSE_ID/dispatch" "$TECH" "{\"dispatchedAt\":\"$(ago '20 minutes')\",\"scan\":\"$DOSE_LABEL\"}" >/dev/null
post "/doses/$DOSE_ID/receipt" "$DOC" "{\"receivedAt\":\"$(ago '5 minutes')\",\"temperatureC\":5,\"intact\":true,\"scan\":\"$DOSE_LABEL\"}" >/dev/null
post "/doses/$DOSE_ID/administration" "$DOC" "{\"administeredAt\":\"$(ago '1 minute')\",\"site\":\"LEFT_KNEE\",\"patientCode\":\"$DONOR_CODE\",\"doseLabel\":\"$DOSE_LABEL\",\"scan\":\"$DOSE_LABEL\"}" | jq -c '{label: .label, status}'
get "/doses/$DOSE_ID/custody" "$DOC" | jq -c '[.events[] | {kind, scanVerified}]'

# The whole record: lineage, the growth chart, and the batch's audit trail.
get "/batches/$BATCH_ID/lineage" "$DOC" | jq -c '{donor: .donor.code, doses: [.doses[].label]}'
get "/batches/$BATCH_ID/growth.svg" "$DOC" >"$OUT_DIR/growth.svg"
echo "growth chart: $OUT_DIR/growth.svg"

# The records that leave the system: the batch record QA signs off and the certificate that goes with the dose.
get "/batches/$BATCH_ID/record" "$QA" | jq -c '{documentHash, steps: (.steps | length), qc: (.qc | length)}'
download "/batches/$BATCH_ID/record.pdf" "$QA" "$OUT_DIR/batch-record.pdf"
download "/doses/$DOSE_ID/certificate.pdf" "$DOC" "$OUT_DIR/certificate.pdf"
echo "batch record: $OUT_DIR/batch-record.pdf, certificate: $OUT_DIR/certificate.pdf"
get "/audit?entityId=$BATCH_ID" "$ADMIN" | jq -r '.items[].action'
get /audit/verify "$ADMIN" | jq -c .

# After the injection: the patient has a serious adverse event. The doctor records it (its reporting clock
# starts from knownAt) and files the signed report; QA reads the look-back and closes it with the causality.
EVENT=$(post /adverse-events "$DOC" "{\"donorId\":\"$DONOR_ID\",\"doseId\":\"$DOSE_ID\",\"onsetAt\":\"$(ago '40 seconds')\",\"knownAt\":\"$(ago '30 seconds')\",\"seriousness\":\"HOSPITALIZATION\",\"description\":\"膝の腫れと発熱 (swelling and fever of the treated knee)\",\"suspectedInfection\":true}" | jq -er .id)
get "/adverse-events/$EVENT" "$QA" | jq -c '{status, reportDueAt, batch: .lookback.batch.din, otherDoses: (.lookback.otherDoses | length)}'
post "/adverse-events/$EVENT/report" "$DOC" "{\"reportedAt\":\"$(ago '20 seconds')\",\"reference\":\"MHLW-$RUN\",\"password\":\"doctor-password-1\"}" | jq -c '{status, late}'
post "/adverse-events/$EVENT/close" "$QA" '{"causality":"UNRELATED","conclusion":"Joint fluid culture negative","password":"qa-password-1"}' | jq -c '{status}'

# The clinic's periodic report for the last year, as JSON and printed.
YEAR="from=$(ago '1 year')&to=$(date -u -d '1 minute' +%Y-%m-%dT%H:%M:%SZ)&clinicId=$CLINIC"
get "/reports/periodic?$YEAR" "$QA" | jq -c '{patientsTreated, hospitalizations: .adverseEvents.bySeriousness.HOSPITALIZATION}'
download "/reports/periodic.pdf?$YEAR" "$QA" "$OUT_DIR/periodic-report.pdf"
echo "periodic report: $OUT_DIR/periodic-report.pdf"
