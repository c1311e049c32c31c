# The session runner: the runners' jar (interview-runner.jar, RunnerMain: the application's classes without what only
# the control plane loads), started by the control plane on a Fly Machine per interview with SESSION_ID, TENANT_ID,
# RUNNER_TOKEN, CLIENT_TOKEN_KEY and CONTROL_PLANE_URL.
# Build from the repository root and push where FLY_RUNNER_IMAGE points:
#   fly deploy --build-only --push -a <runner-app> --dockerfile deploy/runner.Dockerfile --image-label <tag>

FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY interview-domain interview-domain
COPY interview-adapters-openai interview-adapters-openai
COPY interview-adapters-flyio interview-adapters-flyio
COPY interview-adapters-supabase interview-adapters-supabase
COPY interview-adapters-apivideo interview-adapters-apivideo
COPY interview-app-http interview-app-http
COPY docs/openapi.yaml docs/openapi.yaml
RUN mvn -B -ntp -q -DskipTests package -pl interview-app-http -am

FROM eclipse-temurin:17-jdk-jammy AS jre
COPY deploy/jlink-modules /tmp/jlink-modules
# --generate-cds-archive: the runtime's own class-data archive (a jlinked runtime has none otherwise), so every runner
# maps the JDK's classes instead of loading them (ADR 0024).
RUN jlink --add-modules "$(cat /tmp/jlink-modules)" --strip-debug --no-header-files --no-man-pages \
      --compress=2 --generate-cds-archive --output /opt/jre

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --create-home --shell /usr/sbin/nologin runner
COPY --from=jre /opt/jre /opt/jre
COPY --from=build /src/interview-app-http/target/interview-runner.jar /app/interview-runner.jar
# A runner holds one interview: a small heap, quick start (C1 only), and exit on OOM so Fly replaces nothing
# (auto_destroy) and the control plane's reconciler sees the session fail cleanly. The rest are the local runners'
# flags (RunnerJvm.FLAGS, ADR 0013 and 0024): a heap that starts at 12 MB with a 2 MB young generation, one compiler
# thread, the class-data archives mapped where they were written; a hybrid runner then fits a 256 MB machine.
ENV RUNNER_JVM_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Djava.security.egd=file:/dev/urandom -Xms12m -Xmn2m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=32m -XX:CICompilerCount=1 -XX:StringTableSize=8192 -XX:-UseNotificationThread -XX:-UsePerfData -XX:-MethodFlushing -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
# The application's class-data archive, written by a training run at build time (ADR 0024, amended a fourth time):
# every runner here is a first runner, so it cannot learn one as local runners do. It halves the JVM's CPU before
# READY (scripts/image-check measures it on the same jlink runtime).
COPY deploy/runner-archive.sh /tmp/runner-archive.sh
RUN bash /tmp/runner-archive.sh /opt/jre/bin/java /app/interview-runner.jar /app/runner.jsa $RUNNER_JVM_OPTIONS \
    && rm /tmp/runner-archive.sh
ENV PATH="/opt/jre/bin:${PATH}" \
    INTERVIEW_MODE=runner \
    HOST=0.0.0.0 \
    PORT=8080 \
    LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="${RUNNER_JVM_OPTIONS} -XX:SharedArchiveFile=/app/runner.jsa"
USER 10001
WORKDIR /app
EXPOSE 8080
# Generous retries instead of --start-period (dockerfilelint 1.8 misreads the option).
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["java", "-jar", "/app/interview-runner.jar"]
