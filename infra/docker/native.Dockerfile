# A GraalVM native executable of one function (build-arg FUNCTION), built by the native job of
# .gitea/workflows/build-push.yaml with Kaniko, from the repository root:
#   --dockerfile infra/docker/native.Dockerfile --build-arg FUNCTION=submit-job
# Never built on the machines this project is developed on (no GraalVM, no Docker there; docs/deploy.md). The runtime is a slim Debian with glibc, the
# libraries the executable links (zlib, libdeflate) and a non-root user; no JVM.
ARG GRAALVM_IMAGE=ghcr.io/graalvm/native-image-community:25.0.1
ARG RUNTIME_IMAGE=debian:12.11-slim

FROM ${GRAALVM_IMAGE} AS build
ARG FUNCTION
WORKDIR /src
COPY . .
# The function module's native-image profile (functions/<function>/pom.xml): native-maven-plugin's compile-no-fork,
# as Micronaut's native-image packaging runs it, on the GraalVM JDK of this image (micronaut-parent's graalvm
# profile adds the micronaut-graal processor here), with the function's reachability metadata from
# src/main/resources/META-INF/native-image. The executable is target/app.
RUN test -n "${FUNCTION}" \
 && ./mvnw -B -q -pl "functions/${FUNCTION}" -am package -Pnative-image -DskipTests \
 && cp "functions/${FUNCTION}/target/app" /tmp/app

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
