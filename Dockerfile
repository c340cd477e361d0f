# mesh-bridge worker image: docker build -t mesh-bridge . && docker run mesh-bridge
# Build stage: the fat jar, without running the tests (they need a nats-server; CI runs them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
COPY config config
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --home-dir /app --shell /usr/sbin/nologin mesh
WORKDIR /app
COPY --from=build /src/target/mesh-bridge.jar /app/mesh-bridge.jar
COPY config /app/config
COPY routes /app/routes
RUN mkdir -p /app/data && chown mesh /app/data
USER mesh
# GET /health
EXPOSE 8080
# The worker stops gracefully on SIGTERM (docker stop): give it mesh.shutdown.timeout (30s) plus a margin,
# e.g. docker stop -t 40 or stop_grace_period in compose.
ENTRYPOINT ["java", "-jar", "/app/mesh-bridge.jar"]
CMD ["run"]
