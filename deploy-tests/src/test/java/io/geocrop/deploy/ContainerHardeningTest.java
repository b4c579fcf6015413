package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every container GeoCrop deploys (infra/ and knative/, init containers and Jobs included) runs with a read-only
 * root filesystem, as non-root, without privilege escalation or capabilities, under the RuntimeDefault seccomp
 * profile; every emptyDir it writes to has a size limit; no Secret it reads is optional (cluster mode: a missing
 * Secret must stop the pod, not start it without a password or API key).
 */
class ContainerHardeningTest {
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "Job", "DaemonSet", "Service");

    @Test
    void everyContainerIsLockedDown() {
        List<String> problems = new ArrayList<>();
        int containers = 0;
        for (Kustomize.Resource r : resources()) {
            containers += podSpec(r.doc()) == null ? 0 : podSpec(r.doc()).path("containers").size();
            problems.addAll(problems(r));
        }
        assertEquals(List.of(), problems);
        assertTrue(containers >= 12, "only " + containers + " containers found: is the renderer reading every root?");
    }

    @Test
    void aWritableRootAnUnboundedEmptyDirOrAnOptionalSecretIsReported() {
        ObjectNode minio = find("infra/k8s", "StatefulSet", "minio");
        ((ObjectNode) minio.at("/spec/template/spec/containers/0/securityContext")).put("readOnlyRootFilesystem", false);
        ((ObjectNode) minio.at("/spec/template/spec/volumes/0/emptyDir")).remove("sizeLimit");
        ((ObjectNode) minio.at("/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef")).put("optional", true);
        List<String> problems = problems(new Kustomize.Resource("test", minio));
        assertEquals(3, problems.size(), problems.toString());
        ObjectNode service = find("knative/base", "Service", "tile-render");
        ((ObjectNode) service.at("/spec/template/spec/containers/0/securityContext")).remove("readOnlyRootFilesystem");
        assertEquals(1, problems(new Kustomize.Resource("test", service)).size());
    }

    @Test
    void everyNamespaceRefusesPrivilegedPods() {
        String text = Repo.read(Repo.path("infra/terraform/namespaces.tf"));
        var namespaces = TerraformTest.block(TerraformTest.parsed().get("resource"), "kubernetes_namespace_v1");
        assertEquals(Set.of("geocrop", "argocd", "monitoring"), namespaces.keySet());
        // Each namespace's labels merge local.pod_security_labels (hcl4j keeps merge() unevaluated: read the text).
        for (String ns : namespaces.keySet()) {
            String block = text.substring(text.indexOf("\"kubernetes_namespace_v1\" \"" + ns + "\""));
            block = block.substring(0, block.indexOf("\n}\n") + 2);
            assertTrue(block.contains("local.pod_security_labels"), ns + " lacks the Pod Security labels");
        }
        assertTrue(text.matches("(?s).*\"pod-security\\.kubernetes\\.io/enforce\"\\s*=\\s*\"baseline\".*"), text);
        assertTrue(text.matches("(?s).*\"pod-security\\.kubernetes\\.io/warn\"\\s*=\\s*\"restricted\".*"), text);
    }

    static List<Kustomize.Resource> resources() {
        List<Kustomize.Resource> out = new ArrayList<>();
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            out.addAll(Deployables.render(root).resources());
        }
        return out;
    }

    private static ObjectNode find(String root, String kind, String name) {
        return Deployables.render(root).ofKind(kind).stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow()
                .doc().deepCopy();
    }

    /** The pod spec of a workload, Job or Knative Service; null for other kinds. */
    static JsonNode podSpec(JsonNode doc) {
        if (!WORKLOADS.contains(doc.path("kind").asText())) {
            return null;
        }
        JsonNode spec = doc.at("/spec/template/spec");
        return spec.isObject() ? spec : null;
    }

    static List<String> problems(Kustomize.Resource r) {
        JsonNode spec = podSpec(r.doc());
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            return problems;
        }
        String where = r.origin() + " " + r.kind() + "/" + r.name();
        JsonNode pod = spec.path("securityContext");
        List<JsonNode> containers = new ArrayList<>();
        spec.path("initContainers").forEach(containers::add);
        spec.path("containers").forEach(containers::add);
        for (JsonNode c : containers) {
            String name = where + " container " + c.path("name").asText();
            JsonNode sc = c.path("securityContext");
            if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
                problems.add(name + ": root filesystem is writable (readOnlyRootFilesystem: true, and an emptyDir for temp files)");
            }
            if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
                problems.add(name + ": allowPrivilegeEscalation must be false");
            }
            boolean dropsAll = false;
            for (JsonNode cap : sc.at("/capabilities/drop")) {
                dropsAll |= cap.asText().equals("ALL");
            }
            if (!dropsAll || sc.at("/capabilities/add").size() > 0) {
                problems.add(name + ": must drop ALL capabilities and add none");
            }
            if (!sc.path("runAsNonRoot").asBoolean(pod.path("runAsNonRoot").asBoolean(false))) {
                problems.add(name + ": runAsNonRoot");
            }
            String seccomp = sc.at("/seccompProfile/type").asText(pod.at("/seccompProfile/type").asText(""));
            if (!seccomp.equals("RuntimeDefault")) {
                problems.add(name + ": seccompProfile RuntimeDefault");
            }
            for (JsonNode ref : c.findValues("secretKeyRef")) {
                if (ref.path("optional").asBoolean(false)) {
                    problems.add(name + ": Secret " + ref.path("name").asText() + " is optional");
                }
            }
            for (JsonNode from : c.path("envFrom")) {
                if (from.at("/secretRef/optional").asBoolean(false)) {
                    problems.add(name + ": Secret " + from.at("/secretRef/name").asText() + " is optional");
                }
            }
        }
        for (JsonNode v : spec.path("volumes")) {
            if (v.has("emptyDir") && v.at("/emptyDir/sizeLimit").asText("").isBlank()) {
                problems.add(where + " volume " + v.path("name").asText() + ": emptyDir without sizeLimit");
            }
            if (v.at("/secret/optional").asBoolean(false)) {
                problems.add(where + " volume " + v.path("name").asText() + ": optional Secret");
            }
        }
        return problems;
    }
}
