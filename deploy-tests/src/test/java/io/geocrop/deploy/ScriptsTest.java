package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell script a container, a Job or a workflow runs: found in the repository (scripts, ConfigMap data,
 * {@code sh -c} commands, workflow {@code run:} blocks), checked by shellcheck, and run here against what it talks
 * to (git, a JVM, the file system). The infra scripts (PostgreSQL init, MinIO setup, Redis ACL, MLflow auth) are run
 * by their own tests (PostgresInitTest, MinioSetupTest, RedisAclTest, MlflowAuthTest); here they are shellchecked.
 */
class ScriptsTest {
    @TempDir
    Path tmp;

    /** A script to check: where it is, its text, and the shell that runs it. */
    record Script(String origin, String text, String shell) {}

    /** Every script the deployment runs. */
    static List<Script> scripts() {
        List<Script> out = new ArrayList<>();
        for (String dir : List.of(".gitea/scripts", "infra/docker", ".ci")) {
            for (Path f : Repo.files(dir, ".sh", "run")) {
                String text = Repo.read(f);
                out.add(new Script(Repo.rel(f), text, text.startsWith("#!/bin/sh") ? "sh" : "bash"));
            }
        }
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            for (Kustomize.Resource r : Deployables.render(root).resources()) {
                if (r.kind().equals("ConfigMap")) {
                    r.doc().path("data").properties().forEach(e -> {
                        if (e.getKey().endsWith(".sh")) {
                            String text = e.getValue().asText();
                            out.add(new Script(r.origin() + " " + e.getKey(), text, text.startsWith("#!/bin/sh") ? "sh" : "bash"));
                        }
                    });
                }
                for (JsonNode c : r.doc().findValues("command")) {
                    if (c.isArray() && c.size() == 3 && c.get(0).asText().endsWith("sh") && c.get(1).asText().equals("-c")) {
                        out.add(new Script(r.origin() + " sh -c", c.get(2).asText(), "sh"));
                    }
                }
            }
        }
        for (Path wf : WorkflowTest.workflows()) {
            Repo.yaml(wf).path("jobs").properties().forEach(job -> {
                for (JsonNode step : job.getValue().path("steps")) {
                    if (step.hasNonNull("run")) {
                        // Expressions are substituted by the runner before the shell sees the text.
                        String text = step.path("run").asText().replaceAll("\\$\\{\\{[^}]*}}", "EXPRESSION");
                        out.add(new Script(Repo.rel(wf) + " " + job.getKey() + " '" + step.path("name").asText() + "'", text, "bash"));
                    }
                }
            });
        }
        return out;
    }

    @Test
    void everyScriptPassesShellcheck() throws Exception {
        List<Script> scripts = scripts();
        assertTrue(scripts.size() >= 12, "found " + scripts.size() + " scripts");
        List<String> failures = new ArrayList<>();
        for (Script s : scripts) {
            Path file = tmp.resolve("script-" + failures.size() + "-" + Math.abs(s.origin().hashCode()));
            Files.writeString(file, s.text());
            Result r = run(tmp, Map.of(), "shellcheck", "--shell=" + s.shell(), "--external-sources", file.toString());
            if (r.code() != 0) {
                failures.add(s.origin() + ":\n" + r.output());
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void shellcheckReallyRejectsABrokenScript() throws Exception {
        Path bad = tmp.resolve("bad.sh");
        Files.writeString(bad, "#!/bin/sh\nset -eu\nfor f in $(ls *.tif); do echo $f; done\n");
        assertTrue(run(tmp, Map.of(), "shellcheck", bad.toString()).code() != 0);
    }

    // ---- each script, run ----

    @Test
    void kanikoAuthWritesADockerConfigFromTheEnvironmentOnly() throws Exception {
        Path out = tmp.resolve("kaniko");
        Result ok = run(tmp, Map.of("REGISTRY_USERNAME", "ci", "REGISTRY_PASSWORD", "p:ss w0rd"), "bash",
                Repo.path(".gitea/scripts/kaniko-auth.sh").toString(), "registry.example:5000", out.toString());
        assertEquals(0, ok.code(), ok.output());
        JsonNode config = Repo.JSON.readTree(out.resolve("config.json").toFile());
        String auth = config.path("auths").path("registry.example:5000").path("auth").asText();
        assertEquals("ci:p:ss w0rd", new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8));
        assertFalse(ok.output().contains("p:ss w0rd"), "the password must not be logged");
        Result missing = run(tmp, Map.of("REGISTRY_USERNAME", "ci"), "bash",
                Repo.path(".gitea/scripts/kaniko-auth.sh").toString(), "registry.example:5000", out.toString());
        assertTrue(missing.code() != 0 && missing.output().contains("REGISTRY_PASSWORD"), missing.output());
        Result noRegistry = run(tmp, Map.of(), "bash", Repo.path(".gitea/scripts/kaniko-auth.sh").toString(), "", out.toString());
        assertTrue(noRegistry.code() != 0 && noRegistry.output().contains("REGISTRY"), noRegistry.output());
    }

    @Test
    void setImageDigestPinsMlflowInACopyOfInfraK8s() throws Exception {
        Path copy = tmp.resolve("k8s");
        copyTree(Repo.path("infra/k8s"), copy);
        String digest = "sha256:" + "ab".repeat(32);
        Result r = run(tmp, Map.of(), "bash", Repo.path(".gitea/scripts/set-image-digest.sh").toString(), copy.toString(),
                "geocrop/mlflow", "registry.example:5000/geocrop/mlflow", digest);
        assertEquals(0, r.code(), r.output());
        String image = Kustomize.render(copy).resources().stream().filter(x -> x.name().equals("mlflow") && x.kind().equals("Deployment"))
                .findFirst().orElseThrow().doc().at("/spec/template/spec/containers/0/image").asText();
        assertEquals("registry.example:5000/geocrop/mlflow@" + digest, image);
        Result bad = run(tmp, Map.of(), "bash", Repo.path(".gitea/scripts/set-image-digest.sh").toString(), copy.toString(),
                "geocrop/mlflow", "registry.example:5000/geocrop/mlflow", "latest");
        assertTrue(bad.code() != 0 && bad.output().contains("not a sha256 digest"), bad.output());
        Result unknown = run(tmp, Map.of(), "bash", Repo.path(".gitea/scripts/set-image-digest.sh").toString(), copy.toString(),
                "geocrop/nothing", "x/y", digest);
        assertTrue(unknown.code() != 0, unknown.output());
    }

    @Test
    void commitDeployRebasesOntoWhatLandedMeanwhileAndPushes() throws Exception {
        Path remote = tmp.resolve("remote.git");
        git(tmp, "init", "-q", "--bare", "-b", "main", remote.toString());
        Path a = tmp.resolve("a");
        git(tmp, "clone", "-q", remote.toString(), a.toString());
        Files.writeString(a.resolve("kustomization.yaml"), "newTag: old\n");
        Files.writeString(a.resolve("README"), "x\n");
        git(a, "add", ".");
        git(a, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
        git(a, "push", "-q", "origin", "HEAD:main");
        Path ci = tmp.resolve("ci");
        git(tmp, "clone", "-q", remote.toString(), ci.toString());
        // Someone pushes while the images build.
        Files.writeString(a.resolve("README"), "y\n");
        git(a, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-am", "meanwhile");
        git(a, "push", "-q", "origin", "HEAD:main");
        Files.writeString(ci.resolve("kustomization.yaml"), "newTag: new\n");
        Result r = run(ci, Map.of(), "bash", Repo.path(".gitea/scripts/commit-deploy.sh").toString(), "deploy: functions at new",
                "kustomization.yaml");
        assertEquals(0, r.code(), r.output());
        assertEquals("deploy: functions at new\nmeanwhile\nfirst", git(a, "log", "--format=%s", "origin/main").output().isEmpty()
                ? "" : git(remote, "log", "--format=%s", "main").output().strip());
        Result again = run(ci, Map.of(), "bash", Repo.path(".gitea/scripts/commit-deploy.sh").toString(), "deploy: again",
                "kustomization.yaml");
        assertEquals(0, again.code(), again.output());
        assertTrue(again.output().contains("nothing changed"), again.output());
    }

    @Test
    void aotTrainWritesACacheForATinyHttpJar() throws Exception {
        Path jar = tinyHttpJar();
        Path cache = tmp.resolve("app.aot");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = run(tmp, Map.of("AOT_TRAIN_PORT", Integer.toString(port), "PATH", javaHome() + "/bin:" + System.getenv("PATH")),
                "bash", Repo.path("infra/docker/aot-train.sh").toString(), jar.toString(), cache.toString(),
                "-XX:+UseSerialGC -Xmx64m", "/health", "/missing");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("GET /health -> HTTP/1.1 200") || r.output().contains("GET /health -> HTTP/1.0 200"), r.output());
        assertTrue(r.output().contains("GET /missing -> HTTP/1.1 404") || r.output().contains("GET /missing -> HTTP/1.0 404"), r.output());
        assertTrue(Files.size(cache) > 0, "no AOT cache written");
        // A jar that dies at start-up is reported with its log, not waited on for minutes.
        Path broken = tmp.resolve("broken.jar");
        Files.write(broken, new byte[] {1, 2, 3});
        Result failed = run(tmp, Map.of("AOT_TRAIN_PORT", Integer.toString(port), "PATH", javaHome() + "/bin:" + System.getenv("PATH")),
                "bash", Repo.path("infra/docker/aot-train.sh").toString(), broken.toString(), tmp.resolve("x.aot").toString(), "-Xmx64m", "/health");
        assertTrue(failed.code() != 0 && failed.output().contains("exited during start-up"), failed.output());
    }

    // ---- helpers ----

    record Result(int code, String output) {}

    static Result run(Path dir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Result git(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Result r = run(dir, Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_CONFIG_NOSYSTEM", "1"), command);
        assertEquals(0, r.code(), String.join(" ", command) + ": " + r.output());
        return r;
    }

    private static String javaHome() {
        return System.getProperty("java.home");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** A runnable jar whose main serves GET /health (200, else 404) on $PORT and exits on SIGTERM. */
    private Path tinyHttpJar() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Tiny.java"), """
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                public class Tiny {
                    public static void main(String[] args) throws Exception {
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 0);
                        server.createContext("/", exchange -> {
                            int status = exchange.getRequestURI().getPath().equals("/health") ? 200 : 404;
                            exchange.sendResponseHeaders(status, -1);
                            exchange.close();
                        });
                        server.start();
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.resolve("Tiny.java").toString());
        assertEquals(0, compiled);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Tiny");
        Path jar = tmp.resolve("tiny.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("Tiny.class"));
            out.write(Files.readAllBytes(classes.resolve("Tiny.class")));
            out.closeEntry();
        }
        return jar;
    }
}
