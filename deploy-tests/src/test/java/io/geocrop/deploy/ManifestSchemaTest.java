package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every Kubernetes object the repository deploys validates against the schemas in shared/data/k8s-schemas:
 * the kustomize roots as rendered (base and overlay, so patches are checked too) and the standalone files.
 */
class ManifestSchemaTest {
    private static Schemas schemas;

    @BeforeAll
    static void load() {
        schemas = Schemas.fromSharedData();
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#KUSTOMIZE_ROOTS")
    void everyRenderedObjectMatchesItsSchema(String root) {
        Kustomize.Result result = Deployables.render(root);
        assertFalse(result.resources().isEmpty() && result.remote().isEmpty(), root + " renders nothing");
        List<String> problems = new ArrayList<>();
        for (Kustomize.Resource r : result.resources()) {
            for (String p : schemas.validate(r.doc())) {
                problems.add(r.origin() + " " + r.kind() + "/" + r.name() + ": " + p);
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#STANDALONE")
    void standaloneManifestsMatchTheirSchema(String file) {
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : Repo.yamlDocuments(Repo.path(file))) {
            schemas.validate(doc).forEach(p -> problems.add(file + ": " + p));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyObjectInTheGeoCropNamespacesIsNamespacedThere() {
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            for (Kustomize.Resource r : Deployables.render(root).resources()) {
                if (Schemas.CLUSTER_SCOPED.contains(r.kind())) {
                    continue;
                }
                String ns = r.doc().path("metadata").path("namespace").asText("");
                // infra/knative-config merges GeoCrop's settings into Knative's own ConfigMaps.
                List<String> allowed = r.origin().startsWith("infra/knative-config/")
                        ? List.of("knative-serving", "knative-eventing") : List.of("geocrop", "monitoring", "argocd");
                assertTrue(allowed.contains(ns),
                        r.origin() + " " + r.kind() + "/" + r.name() + " is in namespace '" + ns + "'");
            }
        }
    }

    // ---- the validator really rejects what the API server would ----

    @Test
    void anUnknownFieldInAKnativeServiceIsRejected() {
        ObjectNode service = knativeService("submit-job");
        ((ObjectNode) service.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertTrue(schemas.validate(service).stream().anyMatch(p -> p.contains("imagePullPolicyy")),
                () -> schemas.validate(service).toString());
    }

    @Test
    void aWrongTypeInAKnativeServiceIsRejected() {
        ObjectNode service = knativeService("tile-render");
        ((ObjectNode) service.at("/spec/template/spec")).put("timeoutSeconds", "sixty");
        assertFalse(schemas.validate(service).isEmpty());
    }

    @Test
    void anUnknownFieldInAStatefulSetIsRejected() {
        ObjectNode postgres = Deployables.render("infra/k8s").ofKind("StatefulSet").stream()
                .filter(r -> r.name().equals("postgres")).findFirst().orElseThrow().doc().deepCopy();
        ((ObjectNode) postgres.at("/spec")).put("replica", 1);
        assertTrue(schemas.validate(postgres).stream().anyMatch(p -> p.contains("replica")),
                () -> schemas.validate(postgres).toString());
    }

    @Test
    void anArgoApplicationWithoutDestinationIsRejected() {
        ObjectNode app = (ObjectNode) Repo.yaml(Repo.path("infra/argocd/root.yaml")).deepCopy();
        ((ObjectNode) app.path("spec")).remove("destination");
        assertTrue(schemas.validate(app).stream().anyMatch(p -> p.contains("destination")),
                () -> schemas.validate(app).toString());
    }

    @Test
    void aKindWithoutSchemaIsReported() {
        ObjectNode unknown = Repo.JSON.createObjectNode();
        unknown.put("apiVersion", "example.com/v1").put("kind", "Widget").putObject("metadata").put("name", "w");
        assertEquals(List.of("no schema for example.com/v1 Widget in shared/data/k8s-schemas"), schemas.validate(unknown));
    }

    static ObjectNode knativeService(String name) {
        return Deployables.render("knative/base").ofKind("Service").stream()
                .filter(r -> r.name().equals(name)).findFirst().orElseThrow().doc().deepCopy();
    }
}
