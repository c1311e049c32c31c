#!/usr/bin/env bash
# A/B of one runner JVM's start, interleaved: the flags of before issue 16 against RunnerJvm's flags with the
# class-data archive. Prints, per round, the milliseconds until the runner says where it listens and its RSS/PSS and
# threads 1.5 s later. Loopback only; the runner is given a control plane URL nobody listens on (it reports only once
# an interview ends) and is stopped after each measure.
#   runner-start-ab.sh <app jar> <archive .jsa written for that jar> [rounds]
set -euo pipefail
jar=$1; archive=$2; rounds=${3:-5}
old=(-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k)
new=(-Xms8m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxMetaspaceSize=96m
     -XX:ReservedCodeCacheSize=32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UseNotificationThread
     -XX:-UsePerfData -Xss512k -Xshare:auto -Xlog:cds=off,cds+dynamic=off -XX:SharedArchiveFile="$archive")
one() {
  local label=$1; shift
  local out; out=$(mktemp)
  local t0; t0=$(date +%s%N)
  env -i PATH="$PATH" HOME="$HOME" INTERVIEW_MODE=runner HOST=127.0.0.1 PORT=0 LOG_FORMAT=json \
    SESSION_ID=3f1c2a9e-0000-4000-8000-000000000001 TENANT_ID=3f1c2a9e-0000-4000-8000-000000000002 \
    RUNNER_TOKEN=benchmark-runner-token CLIENT_TOKEN_KEY=benchmark-client-token-key-0123456789abcdef \
    CONTROL_PLANE_URL=http://127.0.0.1:9 OPENAI_API_KEY=sk-benchmark OPENAI_BASE_URL=http://127.0.0.1:9 \
    MALLOC_ARENA_MAX=$([ "$label" = new ] && echo 2 || echo 8) \
    java "$@" -cp "$jar" ai.interviewinsights.app.Main >"$out" 2>&1 &
  local pid=$!
  until grep -q RUNNER_LISTENING "$out" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "$label: runner exited"; cat "$out"; return 1; }
    sleep 0.002
  done
  local t1; t1=$(date +%s%N)
  sleep 1.5
  local rss pss threads
  rss=$(awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status)
  threads=$(awk '/Threads/{print $2}' /proc/$pid/status)
  pss=$(awk '/^Pss:/{print int($2/1024)}' /proc/$pid/smaps_rollup)
  kill $pid; wait $pid 2>/dev/null || true
  rm -f "$out"
  echo "$label start_ms=$(( (t1 - t0) / 1000000 )) rss_mb=$rss pss_mb=$pss threads=$threads"
}
for i in $(seq "$rounds"); do
  one old "${old[@]}"
  one new "${new[@]}"
done
