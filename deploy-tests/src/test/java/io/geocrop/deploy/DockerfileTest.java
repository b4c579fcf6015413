package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The function images: one recipe for all four ({@code infra/docker/function.Dockerfile}, build-arg FUNCTION, the
 * per-function settings in {@code functions/<name>/image.env}): multi-stage, a JRE 25 runtime, a non-root user,
 * versioned base images, the AOT cache trained at build time with the same JVM flags the ENTRYPOINT uses, and a
 * runnable jar from the function's own module. Structural checks: building images needs a daemon or Kaniko, which
 * CI has and this JVM does not.
 */
class DockerfileTest {
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ARG = Pattern.compile("(?m)^ARG\\s+([A-Z_]+)=(\\S+)");

    /** Problems of one Dockerfile (empty = fine). */
    static List<String> problems(String name, String text, boolean jvm) {
        List<String> problems = new ArrayList<>();
        Map<String, String> args = new LinkedHashMap<>();
        Matcher a = ARG.matcher(text);
        while (a.find()) {
            args.put(a.group(1), a.group(2));
        }
        List<String> images = new ArrayList<>();
        Matcher f = FROM.matcher(text);
        List<String> stages = new ArrayList<>();
        while (f.find()) {
            String image = f.group(1);
            Matcher var = Pattern.compile("^\\$\\{?([A-Z_]+)}?$").matcher(image);
            if (var.matches()) {
                image = args.getOrDefault(var.group(1), image);
            }
            images.add(image);
            if (f.group(2) != null) {
                stages.add(f.group(2));
            }
        }
        if (images.size() < 2) {
            problems.add(name + ": not multi-stage");
        }
        for (String image : images) {
            if (stages.contains(image)) {
                continue;
            }
            String tag = Kustomize.imageTag(image);
            if (!image.contains("@sha256:") && (tag == null || tag.equals("latest"))) {
                problems.add(name + ": base image " + image + " has no version tag");
            }
        }
        String runtime = images.isEmpty() ? "" : images.getLast();
        if (jvm && !runtime.matches("eclipse-temurin:25[0-9._]*-jre.*")) {
            problems.add(name + ": runtime stage must be a JRE 25 image, is " + runtime);
        }
        Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(text);
        String lastUser = null;
        while (user.find()) {
            lastUser = user.group(1);
        }
        if (lastUser == null || lastUser.startsWith("root") || lastUser.startsWith("0")) {
            problems.add(name + ": the image must run as a non-root USER");
        } else if (!lastUser.matches("\\d+(:\\d+)?")) {
            problems.add(name + ": USER must be numeric so runAsNonRoot can verify it");
        }
        if (!Pattern.compile("(?m)^ENTRYPOINT \\[").matcher(text).find()) {
            problems.add(name + ": ENTRYPOINT must be in exec form (signals reach the JVM)");
        }
        return problems;
    }

    private static final String FUNCTION_DOCKERFILE = "infra/docker/function.Dockerfile";

    @Test
    void theFunctionImageIsMultiStageJre25NonRootAndBuildsTheNamedFunctionsModule() {
        String text = Repo.read(Repo.path(FUNCTION_DOCKERFILE));
        assertEquals(List.of(), problems("function.Dockerfile", text, true));
        assertTrue(text.contains("-pl \"functions/${FUNCTION}\" -am package"), "must build the function's own module");
        assertTrue(text.contains("\"functions/${FUNCTION}/target/geocrop-${FUNCTION}-\"*\"-all.jar\""), text);
        assertTrue(text.contains(". \"functions/${FUNCTION}/image.env\""), "reads the function's image settings");
        assertTrue(text.contains("EXPOSE 8080"));
    }

    /** A function's image settings: the garbage collector and the AOT training requests. */
    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#FUNCTIONS")
    void everyFunctionNamesItsGarbageCollectorAndAotTrainingRequests(String fn) {
        String env = Repo.read(Deployables.function(fn).resolve("image.env"));
        assertTrue(Pattern.compile("(?m)^GC=(SerialGC|ParallelGC)$").matcher(env).find(), fn + ": GC=SerialGC|ParallelGC");
        Matcher paths = Pattern.compile("(?m)^AOT_PATHS=\"(/[^\"]*)\"$").matcher(env);
        assertTrue(paths.find(), fn + ": AOT_PATHS=\"/health ...\"");
        assertTrue(List.of(paths.group(1).split(" ")).contains("/health"), fn + ": the training run starts with the health path");
    }

    @Test
    void theAotCacheIsTrainedWithTheEntrypointsFlags() {
        String text = Repo.read(Repo.path(FUNCTION_DOCKERFILE));
        Matcher train = Pattern.compile("aot-train /app/app\\.jar /app/app\\.aot \"([^\"]+)\"").matcher(text);
        assertTrue(train.find(), "no AOT training step");
        Matcher entry = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)]$").matcher(text);
        assertTrue(entry.find());
        String entrypoint = entry.group(1);
        assertTrue(entrypoint.contains("\"-XX:AOTCache=/app/app.aot\""));
        assertTrue(entrypoint.contains("\"/app/app.jar\""));
        // Both read the one options file the build writes, so the flags (the GC among them) cannot differ.
        assertEquals("@/app/jvm.options", train.group(1));
        assertTrue(entrypoint.contains("\"@/app/jvm.options\""), entrypoint);
        assertTrue(text.contains("\"-XX:+Use${GC}\""), "the options file names the function's GC");
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#FUNCTIONS")
    void theFunctionModuleBuildsARunnableJar(String fn) {
        String pom = Repo.read(Deployables.function(fn).resolve("pom.xml"));
        assertTrue(pom.contains("maven-shade-plugin") && pom.contains("<shadedClassifierName>all</shadedClassifierName>"),
                "functions/" + fn + "/pom.xml must build a runnable -all jar (maven-shade-plugin), which the Dockerfile copies");
        Matcher main = Pattern.compile("<mainClass>([\\w.]+)</mainClass>").matcher(pom);
        assertTrue(main.find(), fn + ": no main class in the jar manifest");
        String path = main.group(1).replace('.', '/') + ".java";
        assertTrue(java.nio.file.Files.isRegularFile(Deployables.function(fn).resolve("src/main/java/" + path)),
                fn + ": main class " + main.group(1) + " does not exist");
    }

    @Test
    void theNativeImageDockerfileIsSoundToo() {
        String text = Repo.read(Repo.path("infra/docker/native.Dockerfile"));
        assertEquals(List.of(), problems("native.Dockerfile", text, false));
        assertTrue(text.contains("native-image"));
    }

    @Test
    void theWebImageIsNginxUnprivilegedOnPinnedBasesWithEveryFileInTheContext() {
        String text = Repo.read(Repo.path("infra/docker/web.Dockerfile"));
        assertEquals(List.of(), problems("web.Dockerfile", text, false));
        Matcher a = ARG.matcher(text);
        int pinned = 0;
        while (a.find()) {
            if (a.group(1).endsWith("_IMAGE")) {
                assertTrue(a.group(2).matches("[^@\\s]+:[^@\\s]+@sha256:[0-9a-f]{64}"), a.group(2) + " must be pinned by digest");
                pinned++;
            }
        }
        assertEquals(2, pinned, "node (build) and nginx-unprivileged (runtime)");
        assertTrue(text.contains("nginxinc/nginx-unprivileged:"), "an image that runs nginx as a non-root user");
        // Every file COPY takes from the context exists and .dockerignore keeps it.
        List<String> ignore = Repo.read(Repo.path(".dockerignore")).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!--from)(.+)\\s+(\\S+)$").matcher(text);
        int copies = 0;
        while (copy.find()) {
            for (String src : copy.group(1).trim().split("\\s+")) {
                copies++;
                String path = src.replaceAll("/$", "");
                assertTrue(java.nio.file.Files.exists(Repo.path(path)), src + " does not exist");
                String top = path.split("/")[0];
                assertTrue(!ignore.contains(top) || ignore.contains("!" + path), src + " is left out of the context by .dockerignore");
            }
        }
        assertEquals(4, copies, "package.json, package-lock.json, web/, the nginx config");
        assertTrue(text.contains("COPY infra/docker/web-nginx.conf /etc/nginx/nginx.conf"));
        assertTrue(Pattern.compile("(?m)^USER 101:101$").matcher(text).find(), "nginx-unprivileged's user, as runAsUser in 440");
    }

    @Test
    void theBuildContextKeepsWhatTheBuildNeeds() {
        String ignore = Repo.read(Repo.path(".dockerignore"));
        List<String> lines = ignore.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(lines.contains("**/target"), "build outputs must stay out of the context");
        assertTrue(lines.contains(".git"));
        // libs/events copies knative/base onto its classpath at build time, and the images run aot-train.sh.
        assertTrue(!lines.contains("knative"), "knative/ is needed by the events module's build");
        assertTrue(lines.contains("!infra/docker/aot-train.sh") || !lines.contains("infra"));
    }

    @Test
    void brokenDockerfilesAreCaught() {
        String bad = """
                FROM eclipse-temurin:latest
                COPY app.jar /app.jar
                ENTRYPOINT java -jar /app.jar
                """;
        List<String> problems = problems("bad", bad, true);
        assertTrue(problems.stream().anyMatch(p -> p.contains("not multi-stage")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("no version tag")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("JRE 25")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("non-root USER")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("exec form")), problems.toString());
    }
}
