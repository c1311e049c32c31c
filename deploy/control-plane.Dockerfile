# The control plane: the app's jar on a jlink runtime (only the JDK modules it uses), as a non-root user.
# Build from the repository root: docker build -f deploy/control-plane.Dockerfile -t interview-insights .
# (on Fly: fly deploy, which reads fly.toml). The same image serves as runner image (INTERVIEW_MODE=runner);
# deploy/runner.Dockerfile builds a runner-only image with its own defaults.

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
RUN jlink --add-modules "$(cat /tmp/jlink-modules)" --strip-debug --no-header-files --no-man-pages \
      --compress=2 --output /opt/jre

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --create-home --shell /usr/sbin/nologin app
COPY --from=jre /opt/jre /opt/jre
COPY --from=build /src/interview-app-http/target/interview-app-http.jar /app/interview-app-http.jar
# The runners' jar beside it: local runners (no Fly token) start from it (RunnerJvm.runnersJarBeside).
COPY --from=build /src/interview-app-http/target/interview-runner.jar /app/interview-runner.jar
ENV PATH="/opt/jre/bin:${PATH}" \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/app/data \
    LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Djava.security.egd=file:/dev/urandom"
USER 10001
WORKDIR /app
EXPOSE 8080 9091
# Generous retries instead of --start-period (dockerfilelint 1.8 misreads the option); Fly uses fly.toml checks.
HEALTHCHECK --interval=15s --timeout=5s --retries=8 CMD curl -fsS "http://127.0.0.1:${PORT}/health" || exit 1
ENTRYPOINT ["java", "-jar", "/app/interview-app-http.jar"]
