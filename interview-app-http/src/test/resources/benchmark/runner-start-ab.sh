#!/usr/bin/env bash
# A/B of one runner JVM's start and footprint, interleaved (the cleanest figure on a busy machine): two builds of the
# app's jar, each with the runner flags of its time and its own class-data archive (written here by a first run).
# Per round and side: wall milliseconds until the runner says where it listens, the CPU it spent until then (robust
# against a loaded machine), and the CPU and RSS / PSS / threads 1.5 s later; then N runners of each side live at once (PSS
# splits the pages they share: the archives, the JVM). The control plane and OpenAI are runner-fakes.js on loopback.
#   runner-start-ab.sh <before.jar> <after.jar> [rounds] [live]
#   BEFORE_FLAGS / AFTER_FLAGS override the flags (default: today's RunnerJvm.FLAGS on JDK 17 on both sides, so that
#   two builds are compared and nothing else; set BEFORE_FLAGS to compare flags).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
before_jar=$1; after_jar=$2; rounds=${3:-5}; live=${4:-5}
read -r -a before <<< "${BEFORE_FLAGS:--Xms12m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UseNotificationThread -XX:-UsePerfData -XX:-MethodFlushing -XX:CICompilerCount=1 -Xmn2m -XX:StringTableSize=8192 -Xss512k -Xshare:auto -Xlog:cds=off,cds+dynamic=off -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0}"
read -r -a after <<< "${AFTER_FLAGS:--Xms12m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UseNotificationThread -XX:-UsePerfData -XX:-MethodFlushing -XX:CICompilerCount=1 -Xmn2m -XX:StringTableSize=8192 -Xss512k -Xshare:auto -Xlog:cds=off,cds+dynamic=off -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0}"
work=$(mktemp -d)
port=$(( 40000 + RANDOM % 20000 ))
node "$here/runner-fakes.js" "$port" & fakes=$!
trap 'kill $fakes 2>/dev/null; rm -rf "$work"' EXIT
sleep 0.5

runner() { # runner <session suffix> <out file> <jar> flags...: starts one runner in the background
  local n=$1 out=$2 jar=$3; shift 3
  env -i PATH="$PATH" HOME="$HOME" INTERVIEW_MODE=runner HOST=127.0.0.1 PORT=0 LOG_FORMAT=json \
    SESSION_ID=3f1c2a9e-0000-4000-8000-0000000000$n TENANT_ID=3f1c2a9e-0000-4000-8000-000000000002 \
    RUNNER_TOKEN=benchmark-runner-token CLIENT_TOKEN_KEY=benchmark-client-token-key-0123456789abcdef \
    CONTROL_PLANE_URL=http://127.0.0.1:$port OPENAI_API_KEY=sk-benchmark OPENAI_BASE_URL=http://127.0.0.1:$port \
    MALLOC_ARENA_MAX=2 java "$@" -cp "$jar" ai.interviewinsights.app.Main >"$out" 2>&1 &
}
footprint() { # RSS, PSS (MB) and threads of a process
  echo "rss_mb=$(awk '/VmRSS/{print int($2/1024)}' /proc/$1/status) pss_mb=$(awk '/^Pss:/{print int($2/1024)}' /proc/$1/smaps_rollup) threads=$(awk '/Threads/{print $2}' /proc/$1/status)"
}
one() { # one <label> <jar> flags...
  local label=$1 jar=$2; shift 2
  local out=$work/out-$label-$RANDOM t0 t1 cpu pid
  t0=$(date +%s%N)
  runner 01 "$out" "$jar" "$@"; pid=$!
  until grep -q RUNNER_LISTENING "$out" 2>/dev/null; do
    kill -0 $pid 2>/dev/null || { echo "$label: runner exited"; cat "$out"; return 1; }
    sleep 0.002
  done
  t1=$(date +%s%N)
  cpu=$(awk '{print ($14+$15)*10}' /proc/$pid/stat) # utime+stime in ticks of 10 ms
  sleep 1.5
  # cpu_idle_ms: the CPU from exec until 1.5 s after READY, the relay warm-up (which runs alongside) included
  echo "$label start_ms=$(( (t1 - t0) / 1000000 )) cpu_ms=$cpu cpu_idle_ms=$(awk '{print ($14+$15)*10}' /proc/$pid/stat) $(footprint $pid)"
  kill $pid; wait $pid 2>/dev/null || true
}
dump() { # dump <jar> <archive> flags...: the first runner writes the archive at its exit
  local jar=$1 archive=$2; shift 2
  runner 00 "$work/dump" "$jar" "$@" -XX:ArchiveClassesAtExit="$archive"; local pid=$!
  until grep -q RUNNER_LISTENING "$work/dump" 2>/dev/null; do sleep 0.05; done
  sleep 1; kill $pid; wait $pid 2>/dev/null || true
}
dump "$before_jar" "$work/before.jsa" "${before[@]}"
dump "$after_jar" "$work/after.jsa" "${after[@]}"
for i in $(seq "$rounds"); do
  one before "$before_jar" "${before[@]}" -XX:SharedArchiveFile="$work/before.jsa"
  one after "$after_jar" "${after[@]}" -XX:SharedArchiveFile="$work/after.jsa"
done
for side in before after; do
  if [ $side = before ]; then jar=$before_jar; flags=("${before[@]}"); else jar=$after_jar; flags=("${after[@]}"); fi
  pids=()
  for i in $(seq -f %02g "$live"); do runner "$i" "$work/live-$i" "$jar" "${flags[@]}" -XX:SharedArchiveFile="$work/$side.jsa"; pids+=($!); done
  sleep 15
  for pid in "${pids[@]}"; do echo "$side $live-live $(footprint "$pid")"; done
  kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
