package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs what the platform's containers run: the files of a rendered ConfigMap written out as Kubernetes mounts
 * them, shell scripts started as processes with a given environment, and shellcheck on every script.
 */
final class InfraScripts {
    private InfraScripts() {}

    /** A container's literal env values by name (secret references as "secret:<name>/<key>"). */
    static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText()
                    : ref.isMissingNode() ? null : "secret:" + ref.path("name").asText() + "/" + ref.path("key").asText());
        }
        return env;
    }

    /** What a process printed and how it ended. */
    record Run(int exit, String output) {
        Run assertSucceeded(String what) {
            assertEquals(0, exit, what + " failed:\n" + output);
            return this;
        }
    }

    /** The ConfigMap {@code name} of the rendered kustomization {@code root}. */
    static JsonNode configMap(String root, String name) {
        return Deployables.render(root).ofKind("ConfigMap").stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name + " in " + root)).doc();
    }

    /** Writes every key of the ConfigMap's data into {@code dir} (mode 0555, as the manifests mount scripts). */
    static Path mount(JsonNode configMap, Path dir) {
        try {
            Files.createDirectories(dir);
            for (var e : configMap.path("data").properties()) {
                Path file = dir.resolve(e.getKey());
                Files.writeString(file, e.getValue().asText(), StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r-xr-xr-x"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} with {@code env} added to (or, for null values, removed from) this process's. */
    static Run run(List<String> command, Map<String, String> env, Path workDir) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish:\n" + output);
            }
            return new Run(p.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** shellcheck's findings for the POSIX sh script {@code script} (empty = clean). */
    static String shellcheck(Path script) {
        Run run = run(List.of("shellcheck", "--shell=sh", "--severity=style", script.toString()), Map.of(), null);
        return run.exit() == 0 ? "" : run.output();
    }

    /** Every {@code *.sh} file of a mounted ConfigMap, checked by shellcheck. */
    static List<String> shellcheckAll(Path dir) {
        List<String> findings = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sh")).sorted().toList()) {
                String out = shellcheck(f);
                if (!out.isEmpty()) {
                    findings.add(f.getFileName() + ":\n" + out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return findings;
    }
}
