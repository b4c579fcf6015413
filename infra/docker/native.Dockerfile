# A GraalVM native executable of one function (build-arg FUNCTION), built by the native job of
# .gitea/workflows/build-push.yaml with Kaniko, from the repository root:
#   --dockerfile infra/docker/native.Dockerfile --build-arg FUNCTION=submit-job
# Not built on developer machines (no native-image there). The runtime is a slim Debian with glibc, the
# libraries the executable links (zlib, libdeflate) and a non-root user; no JVM.
ARG GRAALVM_IMAGE=ghcr.io/graalvm/native-image-community:25.0.1
ARG RUNTIME_IMAGE=debian:12.11-slim

FROM ${GRAALVM_IMAGE} AS build
ARG FUNCTION
WORKDIR /src
COPY . .
# The runnable jar first (same as the JVM image), then native-image on it. Micronaut's annotation processors
# generate the reflection metadata native-image needs into the jar (META-INF/native-image).
RUN test -n "${FUNCTION}" \
 && ./mvnw -B -q -pl "functions/${FUNCTION}" -am package -DskipTests \
 && native-image --no-fallback -H:+ReportExceptionStackTraces --enable-native-access=ALL-UNNAMED \
      -jar "functions/${FUNCTION}/target/geocrop-${FUNCTION}-"*"-all.jar" -o /tmp/app

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends zlib1g libdeflate0 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 geocrop \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin geocrop
WORKDIR /app
COPY --from=build /tmp/app /app/app
USER 10001:10001
ENV GEOCROP_HOME=/tmp/geocrop
EXPOSE 8080
ENTRYPOINT ["/app/app"]
