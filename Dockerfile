# mesh-bridge worker image (see README, "Containers").
#   docker build -t mesh-bridge .
#   docker run --rm -p 8080:8080 -v mesh-data:/app/data mesh-bridge     # the worker, embedded nats-server
#   docker run --rm mesh-bridge events list --server nats://HOST:4222   # any command of bin/mesh-bridge
ARG NATS_VERSION=2.15

# --- 1. the jar. Tests are not compiled or run here: they start nats-servers (CI runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src/main src/main
COPY config config
RUN mvn -q -B package -Dmaven.test.skip=true

# --- 2. nats-server, a static binary, for the embedded default (mesh.nats.embedded=auto)
FROM nats:${NATS_VERSION} AS nats

# --- 3. the runtime: a JRE, the launcher, the jar, the shipped routes and config, nats-server
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 mesh \
 && useradd --system --uid 10001 --gid mesh --home-dir /app --no-create-home --shell /usr/sbin/nologin mesh
COPY --from=nats /nats-server /usr/local/bin/nats-server
WORKDIR /app
COPY --from=build /src/target/mesh-bridge.jar /app/mesh-bridge.jar
COPY bin/mesh-bridge /app/bin/mesh-bridge
COPY config/application.properties /app/config/application.properties
COPY routes /app/routes
ENV PATH=/app/bin:$PATH \
    MESH_ARCHIVE_WORKER_ID=mesh-bridge
# The launcher's AppCDS archive, made now by its training run (as root: /app stays read-only for the user,
# who reads it), on top of the JRE's default CDS archive (made first should the JRE lack it); then the data
# directories, owned by the user, so that a new named volume mounted on /app/data or /app/data/archive takes
# that ownership and the worker can write (nats store, archive).
RUN { [ -f "$JAVA_HOME/lib/server/classes.jsa" ] || java -Xshare:dump >/dev/null; } \
 && mesh-bridge --version \
 && ls /app/mesh-bridge-*.jsa \
 && mkdir -p /app/data/archive \
 && chown -R 10001:10001 /app/data \
 && nats-server --version
USER 10001:10001
# the worker's HTTP port: /health, the ingest
EXPOSE 8080
# Readiness through the image's own probe (GET http://127.0.0.1:$MESH_HTTP_PORT/health, 8080 when unset):
# a small JVM of its own, whatever MESH_JAVA_OPTS says for the worker.
HEALTHCHECK --interval=15s --timeout=10s --start-period=60s --retries=3 \
    CMD ["env", "JAVA_OPTS=", "MESH_JAVA_OPTS=-Xmx64m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC", \
         "mesh-bridge", "health", "--timeout", "5s"]
# The launcher execs java (PID 1), which stops gracefully on SIGTERM: give it mesh.shutdown.timeout (30s)
# plus a margin, docker stop -t 40 or stop_grace_period: 40s in compose.
STOPSIGNAL SIGTERM
ENTRYPOINT ["mesh-bridge"]
CMD ["run"]
