package io.geocrop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository under test and the shared fixtures, plus YAML/JSON reading shared by every check. */
final class Repo {
    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {}

    /** The repository root: system property {@code geocrop.root} (set by the root pom), else {@code ..}. */
    static Path root() {
        String root = System.getProperty("geocrop.root");
        Path path = root == null || root.isBlank() ? Path.of("..") : Path.of(root);
        path = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path.resolve("pom.xml")) || !Files.isDirectory(path.resolve("knative"))) {
            throw new IllegalStateException(path + " is not the GeoCrop repository root");
        }
        return path;
    }

    /** {@code ../shared/data}: system property {@code geocrop.shared.data}. */
    static Path sharedData() {
        String data = System.getProperty("geocrop.shared.data");
        Path path = data == null || data.isBlank() ? root().resolve("../shared/data") : Path.of(data);
        return path.toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every YAML document of {@code text} that is not empty, in order. */
    static List<JsonNode> yamlDocuments(String origin, String text) {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(text)) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNextValue()) {
                JsonNode doc = iterator.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(origin + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    static List<JsonNode> yamlDocuments(Path file) {
        return yamlDocuments(root().relativize(file.toAbsolutePath().normalize()).toString(), read(file));
    }

    static JsonNode yaml(Path file) {
        List<JsonNode> docs = yamlDocuments(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + " holds " + docs.size() + " YAML documents, expected one");
        }
        return docs.getFirst();
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file + " as JSON", e);
        }
    }

    /** Files under {@code dir} (relative to the root) whose names end with one of {@code suffixes}, sorted. */
    static List<Path> files(String dir, String... suffixes) {
        Path base = path(dir);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(base)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
    }

    static String rel(Path file) {
        return root().relativize(file.toAbsolutePath().normalize()).toString();
    }

    static ObjectNode copy(JsonNode node) {
        return (ObjectNode) node.deepCopy();
    }

    static String text(JsonNode node, String pointer) {
        JsonNode value = node.at(pointer);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
