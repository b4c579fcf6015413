package io.geocrop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does for the features GeoCrop's kustomizations
 * use: {@code resources} (files, directories with their own kustomization, remote URLs recorded but not
 * fetched), {@code namespace}, {@code labels}, {@code images}, {@code patches} (RFC 6902 JSON patches with a
 * target) and {@code configMapGenerator} with {@code files} (names without hash suffix). Any other field
 * fails the rendering, so a kustomization cannot silently do something these checks do not see.
 */
final class Kustomize {
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "labels",
            "images", "patches", "configMapGenerator", "generatorOptions");

    /** One rendered object and the file it came from. */
    record Resource(String origin, ObjectNode doc) {
        String kind() {
            return doc.path("kind").asText();
        }

        String name() {
            return doc.path("metadata").path("name").asText();
        }
    }

    /** The rendering: objects, remote resources left unfetched, and every local file the tree used. */
    record Result(List<Resource> resources, List<String> remote, List<Path> filesUsed) {
        List<Resource> ofKind(String kind) {
            return resources.stream().filter(r -> r.kind().equals(kind)).toList();
        }
    }

    private Kustomize() {}

    static Result render(Path dir) {
        List<Resource> out = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        List<Path> used = new ArrayList<>();
        render(dir.toAbsolutePath().normalize(), out, remote, used);
        return new Result(out, remote, used);
    }

    private static void render(Path dir, List<Resource> out, List<String> remote, List<Path> used) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(dir + " has no kustomization.yaml");
        }
        used.add(file);
        JsonNode k = Repo.yaml(file);
        String where = Repo.rel(file);
        for (Iterator<String> it = k.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalStateException(where + ": field '" + field + "' is not supported by the test renderer");
            }
        }
        if (!"Kustomization".equals(k.path("kind").asText()) || !k.path("apiVersion").asText().startsWith("kustomize.config.k8s.io/")) {
            throw new IllegalStateException(where + ": not a kustomize.config.k8s.io Kustomization");
        }
        List<Resource> mine = new ArrayList<>();
        for (JsonNode entry : k.path("resources")) {
            String resource = entry.asText();
            if (resource.startsWith("http://") || resource.startsWith("https://")) {
                remote.add(resource);
                continue;
            }
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                List<Resource> nested = new ArrayList<>();
                render(path, nested, remote, used);
                mine.addAll(nested);
            } else if (Files.isRegularFile(path)) {
                used.add(path);
                for (JsonNode doc : Repo.yamlDocuments(path)) {
                    if (!(doc instanceof ObjectNode object)) {
                        throw new IllegalStateException(Repo.rel(path) + ": a document is not a mapping");
                    }
                    mine.add(new Resource(Repo.rel(path), object));
                }
            } else {
                throw new IllegalStateException(where + " lists '" + resource + "', which does not exist");
            }
        }
        JsonNode options = k.path("generatorOptions");
        for (JsonNode generator : k.path("configMapGenerator")) {
            if (!options.path("disableNameSuffixHash").asBoolean(false)) {
                throw new IllegalStateException(where + ": configMapGenerator needs generatorOptions.disableNameSuffixHash: true "
                        + "(the test renderer does not rewrite hashed names)");
            }
            ObjectNode cm = JsonNodeFactory.instance.objectNode();
            cm.put("apiVersion", "v1").put("kind", "ConfigMap");
            cm.putObject("metadata").put("name", generator.path("name").asText());
            ObjectNode data = cm.putObject("data");
            for (JsonNode f : generator.path("files")) {
                Path source = dir.resolve(f.asText()).normalize();
                if (!Files.isRegularFile(source)) {
                    throw new IllegalStateException(where + ": configMapGenerator file " + f.asText() + " does not exist");
                }
                used.add(source);
                data.put(source.getFileName().toString(), Repo.read(source));
            }
            mine.add(new Resource(where + " configMapGenerator " + generator.path("name").asText(), cm));
        }
        for (JsonNode patch : k.path("patches")) {
            applyPatch(dir, where, patch, mine, used);
        }
        for (JsonNode label : k.path("labels")) {
            if (label.path("includeSelectors").asBoolean(false) || label.path("includeTemplates").asBoolean(false)) {
                throw new IllegalStateException(where + ": labels with includeSelectors/includeTemplates are not supported");
            }
            for (Resource r : mine) {
                ObjectNode labels = r.doc().with("metadata").with("labels");
                label.path("pairs").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            }
        }
        if (k.hasNonNull("namespace")) {
            String namespace = k.path("namespace").asText();
            for (Resource r : mine) {
                if (!Schemas.CLUSTER_SCOPED.contains(r.kind())) {
                    r.doc().with("metadata").put("namespace", namespace);
                }
            }
        }
        for (JsonNode image : k.path("images")) {
            for (Resource r : mine) {
                replaceImages(r.doc(), image);
            }
        }
        out.addAll(mine);
    }

    private static void applyPatch(Path dir, String where, JsonNode patch, List<Resource> resources, List<Path> used) {
        JsonNode operations;
        if (patch.hasNonNull("path")) {
            Path file = dir.resolve(patch.path("path").asText()).normalize();
            used.add(file);
            operations = Repo.yaml(file);
        } else {
            operations = Repo.yamlDocuments(where, patch.path("patch").asText()).getFirst();
        }
        if (!operations.isArray()) {
            throw new IllegalStateException(where + ": only RFC 6902 patches (a list of operations) are supported");
        }
        JsonNode target = patch.path("target");
        List<Resource> matched = resources.stream().filter(r -> matches(target, r.doc())).toList();
        if (matched.isEmpty()) {
            throw new IllegalStateException(where + ": patch target " + target + " matches no resource");
        }
        for (Resource r : matched) {
            for (JsonNode op : operations) {
                JsonPatch.apply(r.doc(), op, where);
            }
        }
    }

    private static boolean matches(JsonNode target, JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
        return (!target.has("kind") || target.path("kind").asText().equals(doc.path("kind").asText()))
                && (!target.has("name") || target.path("name").asText().equals(doc.path("metadata").path("name").asText()))
                && (!target.has("group") || target.path("group").asText().equals(group))
                && (!target.has("version") || target.path("version").asText().equals(version));
    }

    /** Kustomize's images transformer: every {@code image} field of a container list naming {@code name}. */
    private static void replaceImages(JsonNode node, JsonNode image) {
        if (node instanceof ObjectNode object) {
            for (String list : List.of("containers", "initContainers")) {
                if (object.get(list) instanceof ArrayNode containers) {
                    for (JsonNode c : containers) {
                        String current = c.path("image").asText(null);
                        if (current != null && imageName(current).equals(image.path("name").asText())) {
                            String name = image.hasNonNull("newName") ? image.path("newName").asText() : imageName(current);
                            String ref = image.hasNonNull("digest") ? name + "@" + image.path("digest").asText()
                                    : image.hasNonNull("newTag") ? name + ":" + image.path("newTag").asText() : name;
                            ((ObjectNode) c).put("image", ref);
                        }
                    }
                }
            }
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                replaceImages(e.getValue(), image);
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(child -> replaceImages(child, image));
        }
    }

    /** The image reference without tag or digest. */
    static String imageName(String ref) {
        String withoutDigest = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(0, colon) : withoutDigest;
    }

    /** The tag of an image reference, or null. */
    static String imageTag(String ref) {
        String withoutDigest = ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        return colon > slash ? withoutDigest.substring(colon + 1) : null;
    }
}
