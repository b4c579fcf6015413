# The JVM image of one function (build-arg FUNCTION): the same recipe for all four, so the images cannot drift.
# What differs per function is in functions/<name>/image.env: GC (SerialGC for the light 1-CPU services,
# ParallelGC for the CPU-bound workers) and AOT_PATHS (the GET requests that train the AOT cache).
#
# Build from the repository root (the Maven reactor needs every module's pom):
#   docker build -f infra/docker/function.Dockerfile --build-arg FUNCTION=submit-job \
#     -t geocrop/submit-job:$(git rev-parse HEAD) .
# In CI, Kaniko builds it (.gitea/workflows/build-push.yaml). Two stages: a JDK that builds the runnable jar,
# then a JRE 25 runtime holding only that jar and an AOT cache trained on it during the build.
ARG JDK_IMAGE=eclipse-temurin:25.0.1_8-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:25.0.1_8-jre-noble

FROM ${JDK_IMAGE} AS build
ARG FUNCTION
WORKDIR /src
COPY . .
# The function and the libraries it depends on (-am), tests skipped: CI ran them (ci.yaml). The JVM flags go to
# one options file that both the AOT training run and the ENTRYPOINT read (@/app/jvm.options): a cache only
# applies to the same JDK, jar and flags (garbage collector included), so they cannot differ.
RUN test -n "${FUNCTION}" && test -f "functions/${FUNCTION}/image.env" \
 && ./mvnw -B -q -pl "functions/${FUNCTION}" -am package -DskipTests \
 && cp "functions/${FUNCTION}/target/geocrop-${FUNCTION}-"*"-all.jar" /tmp/app.jar \
 && . "functions/${FUNCTION}/image.env" \
 && printf '%s\n' "-XX:+Use${GC}" -XX:MaxRAMPercentage=75 --sun-misc-unsafe-memory-access=allow \
      --enable-native-access=ALL-UNNAMED > /tmp/jvm.options \
 && printf '%s\n' ${AOT_PATHS} > /tmp/aot-paths

FROM ${JRE_IMAGE}
# libdeflate: the raster library's fast DEFLATE path through the FFM API (falls back to java.util.zip).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libdeflate0 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 geocrop \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin geocrop
WORKDIR /app
COPY --from=build /tmp/app.jar /tmp/jvm.options /tmp/aot-paths /app/
COPY infra/docker/aot-train.sh /usr/local/bin/aot-train
# AOT cache (JDK 25): classes loaded and linked during a training start, so a cold start (scale from zero)
# skips most class loading.
RUN aot-train /app/app.jar /app/app.aot "@/app/jvm.options" $(cat /app/aot-paths) \
 && chmod 0444 /app/app.jar /app/app.aot /app/jvm.options
USER 10001:10001
ENV GEOCROP_HOME=/tmp/geocrop
EXPOSE 8080
# Knative sets PORT; everything else comes from the environment (knative/base/4x0-service-<function>.yaml).
# Extra JVM options: JDK_JAVA_OPTIONS.
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:AOTCache=/app/app.aot", "-jar", "/app/app.jar"]
