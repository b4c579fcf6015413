package io.geocrop.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schemas for every kind GeoCrop's manifests use, from {@code ../shared/data/k8s-schemas}: Kubernetes'
 * own kinds from the "standalone-strict" JSON files (kubeconform naming), custom resources from the CRDs'
 * {@code openAPIV3Schema}, turned into strict JSON Schema the way the API server's strict field validation
 * treats them (unknown fields are errors unless the schema preserves them).
 */
final class Schemas {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    /** Kinds that have no namespace. */
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "PersistentVolume", "StorageClass");

    private final Path kubernetesDir;
    private final Map<String, JsonNode> crdSchemas = new HashMap<>();
    private final Map<String, JsonSchema> cache = new HashMap<>();
    private final JsonNode objectMeta;

    Schemas(Path k8sSchemas) {
        this.kubernetesDir = k8sSchemas.resolve("kubernetes/v1.32.2-standalone-strict");
        if (!Files.isDirectory(kubernetesDir)) {
            throw new IllegalStateException("no Kubernetes schemas at " + kubernetesDir);
        }
        // CRDs leave metadata open; validate it as the API server does, with the strict ObjectMeta schema.
        this.objectMeta = Repo.json(kubernetesDir.resolve("configmap-v1.json")).path("properties").path("metadata");
        for (String dir : List.of("knative", "argocd")) {
            for (Path file : list(k8sSchemas.resolve(dir))) {
                for (JsonNode crd : Repo.yamlDocuments(file.getFileName().toString(), Repo.read(file))) {
                    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                        continue;
                    }
                    String group = crd.path("spec").path("group").asText();
                    String kind = crd.path("spec").path("names").path("kind").asText();
                    for (JsonNode version : crd.path("spec").path("versions")) {
                        JsonNode schema = version.path("schema").path("openAPIV3Schema");
                        if (version.path("served").asBoolean(false) && schema.isObject()) {
                            crdSchemas.put(key(group + "/" + version.path("name").asText(), kind),
                                    strictCrdSchema(group + "/" + version.path("name").asText(), kind, schema));
                        }
                    }
                }
            }
        }
    }

    static Schemas fromSharedData() {
        return new Schemas(Repo.sharedData().resolve("k8s-schemas"));
    }

    /** True if a schema for {@code apiVersion}/{@code kind} is known. */
    boolean knows(String apiVersion, String kind) {
        return crdSchemas.containsKey(key(apiVersion, kind)) || kubernetesFile(apiVersion, kind) != null;
    }

    /** Problems of {@code doc} against its kind's schema (empty = valid); unknown kinds are a problem too. */
    List<String> validate(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText(null);
        String kind = doc.path("kind").asText(null);
        if (apiVersion == null || kind == null) {
            return List.of("no apiVersion/kind");
        }
        JsonSchema schema = cache.computeIfAbsent(key(apiVersion, kind), k -> load(apiVersion, kind));
        if (schema == null) {
            return List.of("no schema for " + apiVersion + " " + kind + " in shared/data/k8s-schemas");
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage message : schema.validate(doc)) {
            problems.add(message.getMessage());
        }
        if (doc.path("metadata").path("name").asText("").isBlank()) {
            problems.add("metadata.name is required");
        }
        return problems;
    }

    private JsonSchema load(String apiVersion, String kind) {
        JsonNode crd = crdSchemas.get(key(apiVersion, kind));
        if (crd != null) {
            return FACTORY.getSchema(crd);
        }
        Path file = kubernetesFile(apiVersion, kind);
        if (file == null) {
            return null;
        }
        ObjectNode schema = (ObjectNode) Repo.json(file);
        schema.remove("$schema");
        dropExtensions(schema);
        if (!Files.isRegularFile(kubernetesDir.resolve(fileName(apiVersion, kind)))) {
            // ClusterRole/ClusterRoleBinding: the folder holds only Role/RoleBinding, whose fields are the
            // same (ClusterRole adds aggregationRule, unused here); only kind differs.
            ((ObjectNode) schema.path("properties").path("kind")).set("enum",
                    JsonNodeFactory.instance.arrayNode().add(kind));
        }
        return FACTORY.getSchema(schema);
    }

    private Path kubernetesFile(String apiVersion, String kind) {
        Path file = kubernetesDir.resolve(fileName(apiVersion, kind));
        if (Files.isRegularFile(file)) {
            return file;
        }
        if (kind.startsWith("Cluster") && (kind.equals("ClusterRole") || kind.equals("ClusterRoleBinding"))) {
            Path namespaced = kubernetesDir.resolve(fileName(apiVersion, kind.substring("Cluster".length())));
            return Files.isRegularFile(namespaced) ? namespaced : null;
        }
        return null;
    }

    /** kubeconform's naming: {@code <kind>-<first label of the group>-<version>.json}, core group without. */
    static String fileName(String apiVersion, String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            return k + "-" + apiVersion + ".json";
        }
        String group = apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return k + "-" + group.split("\\.")[0] + "-" + version + ".json";
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }

    private JsonNode strictCrdSchema(String apiVersion, String kind, JsonNode openApi) {
        ObjectNode schema = strict(openApi.deepCopy());
        ObjectNode properties = schema.with("properties");
        properties.set("metadata", objectMeta.deepCopy());
        properties.set("apiVersion", JsonNodeFactory.instance.objectNode().put("type", "string")
                .set("enum", JsonNodeFactory.instance.arrayNode().add(apiVersion)));
        properties.set("kind", JsonNodeFactory.instance.objectNode().put("type", "string")
                .set("enum", JsonNodeFactory.instance.arrayNode().add(kind)));
        ArrayNode required = JsonNodeFactory.instance.arrayNode().add("apiVersion").add("kind").add("metadata");
        schema.set("required", required);
        schema.put("additionalProperties", false);
        return schema;
    }

    /**
     * OpenAPI v3 structural schema → JSON Schema draft 4: {@code nullable} becomes a null type, int-or-string
     * an anyOf, and objects with declared properties reject unknown fields unless
     * {@code x-kubernetes-preserve-unknown-fields} keeps them.
     */
    private static ObjectNode strict(ObjectNode node) {
        boolean preserve = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (node.path("x-kubernetes-int-or-string").asBoolean(false)) {
            node.remove("type");
            node.remove("anyOf");
            node.set("anyOf", JsonNodeFactory.instance.arrayNode()
                    .add(JsonNodeFactory.instance.objectNode().put("type", "integer"))
                    .add(JsonNodeFactory.instance.objectNode().put("type", "string")));
        }
        if (node.path("nullable").asBoolean(false) && node.path("type").isTextual()) {
            node.set("type", JsonNodeFactory.instance.arrayNode().add(node.path("type").asText()).add("null"));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.startsWith("x-kubernetes-") || name.equals("nullable") || name.equals("format")) {
                it.remove();
            }
        }
        if (node.get("properties") instanceof ObjectNode props) {
            props.properties().forEach(e -> {
                if (e.getValue() instanceof ObjectNode child) {
                    strict(child);
                }
            });
            if (!preserve && !node.has("additionalProperties")) {
                node.put("additionalProperties", false);
            }
        }
        if (node.get("additionalProperties") instanceof ObjectNode additional) {
            strict(additional);
        }
        if (node.get("items") instanceof ObjectNode items) {
            strict(items);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            if (node.get(combinator) instanceof ArrayNode list) {
                list.forEach(child -> {
                    if (child instanceof ObjectNode o) {
                        strict(o);
                    }
                });
            }
        }
        if (node.get("not") instanceof ObjectNode not) {
            strict(not);
        }
        return node;
    }

    /** Removes the x-kubernetes-* annotations (no meaning for validation) so the validator does not warn. */
    private static void dropExtensions(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().removeIf(e -> e.getKey().startsWith("x-kubernetes-"));
            object.forEach(Schemas::dropExtensions);
        } else if (node instanceof ArrayNode array) {
            array.forEach(Schemas::dropExtensions);
        }
    }

    private static List<Path> list(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
