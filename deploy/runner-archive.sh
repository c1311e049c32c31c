#!/usr/bin/env bash
# Writes the runner image's application class-data archive (ADR 0024, amended a fourth time): a runner on a Fly
# Machine starts once per interview from the image, so it cannot learn an archive from an earlier runner as local
# runners do (RunnerJvm); the image is built with one instead. The training run is a standby runner: it rehearses a
# session's runner on a made-up session (Jetty and its WebSocket, Jackson, the OpenAI adapter, the relay's dry run)
# without a control plane or OpenAI, prints its READY line, and is stopped with SIGTERM; the JVM writes every class
# it loaded at its exit. Nothing of the training is kept but the archive: no key, no session, no log.
#
#   deploy/runner-archive.sh JAVA JAR ARCHIVE [JVM flags of the runners...]
#
# The runners must then start with the same java, the same jar path and -XX:SharedArchiveFile=ARCHIVE. Used by
# deploy/runner.Dockerfile and scripts/image-check (which checks a runner maps it, without Docker).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 JAVA JAR ARCHIVE [JVM flags...]" >&2; exit 2; }
java=$1 jar=$2 archive=$3
shift 3
rm -f "$archive"
log=$(mktemp)
pid=
# Only the training runner: "kill 0" would signal this whole process group, the caller included.
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
# Loopback addresses that refuse at once: the training talks to nobody. The key is a placeholder, not a secret; it
# only makes the runner build its OpenAI adapter, as a real runner does.
env -u JAVA_TOOL_OPTIONS INTERVIEW_MODE=runner RUNNER_STANDBY_KEY=runner-archive-training-not-a-secret \
    CONTROL_PLANE_URL=http://127.0.0.1:9 OPENAI_BASE_URL=http://127.0.0.1:9 OPENAI_API_KEY=sk-runner-archive-training \
    HOST=127.0.0.1 PORT=0 LOG_FORMAT=json \
    "$java" "$@" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  grep -q '^RUNNER_LISTENING' "$log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q '^RUNNER_LISTENING' "$log"; then
  echo "runner-archive: the training runner did not get ready; its output:" >&2
  tail -40 "$log" >&2
  exit 1
fi
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
pid=
# 143: ended by the SIGTERM, which still runs the JVM's exit, and with it the archive's dump.
if [ "$code" -ne 0 ] && [ "$code" -ne 143 ]; then
  echo "runner-archive: the training runner exited with $code; its output:" >&2
  tail -40 "$log" >&2
  exit 1
fi
[ -s "$archive" ] || { echo "runner-archive: no archive written at $archive" >&2; tail -40 "$log" >&2; exit 1; }
chmod 444 "$archive"
echo "runner-archive: $archive ($(du -k "$archive" | cut -f1) KB)"
