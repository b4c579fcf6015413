package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Knative Services: scale to zero with bounded scale-out, concurrency, resources sized as issue 8 says
 * (light about 512 MiB, workers about 2 GiB), probes on Micronaut's health endpoints, timeouts, a non-root
 * container, cluster-mode configuration with secrets only by reference, and environment names the code reads.
 */
class KnativeServicesTest {
    private static final Set<String> WORKERS = Set.of("extract-features", "score-tile");
    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY).*");
    /** Read by the java launcher itself, not by Micronaut. */
    private static final Set<String> JVM_ENV = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void scalesToZeroWithBoundedScaleOut(String fn) {
        JsonNode template = service(fn).path("spec").path("template");
        JsonNode annotations = template.path("metadata").path("annotations");
        assertEquals("0", annotations.path("autoscaling.knative.dev/min-scale").asText(), fn + " must scale to zero");
        int max = Integer.parseInt(annotations.path("autoscaling.knative.dev/max-scale").asText("0"));
        assertTrue(max >= 1 && max <= 10, fn + ": max-scale " + max);
        assertEquals("concurrency", annotations.path("autoscaling.knative.dev/metric").asText(), fn);
        int target = Integer.parseInt(annotations.path("autoscaling.knative.dev/target").asText("0"));
        assertTrue(target >= 1, fn + ": a concurrency target is required");
        int hard = template.path("spec").path("containerConcurrency").asInt(-1);
        assertTrue(hard >= 0, fn + ": containerConcurrency must be set");
        assertTrue(hard == 0 || target <= hard, fn + ": soft target above the hard limit");
        if (WORKERS.contains(Deployables.functionOf(fn))) {
            assertTrue(hard >= 1 && hard <= 2, fn + ": a worker takes one or two events at a time, got " + hard);
        }
        int timeout = template.path("spec").path("timeoutSeconds").asInt(0);
        // 600 s is Knative's default max-revision-timeout-seconds.
        assertTrue(timeout > 0 && timeout <= 600, fn + ": timeoutSeconds " + timeout);
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void hasResourcesSizedForItsRole(String fn) {
        JsonNode resources = container(fn).path("resources");
        for (String field : List.of("requests/cpu", "requests/memory", "limits/cpu", "limits/memory")) {
            assertFalse(resources.at("/" + field).asText("").isBlank(), fn + ": resources." + field.replace('/', '.'));
        }
        long limit = Quantities.bytes(resources.at("/limits/memory").asText());
        long request = Quantities.bytes(resources.at("/requests/memory").asText());
        assertTrue(request <= limit, fn);
        long expected = WORKERS.contains(Deployables.functionOf(fn)) ? Quantities.bytes("2Gi") : Quantities.bytes("512Mi");
        assertEquals(expected, limit, fn + ": memory limit");
        // The namespace's LimitRange (Terraform) must allow it.
        assertTrue(limit <= Quantities.bytes(TerraformTest.variableDefault("worker_container_memory")), fn);
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void probesMicronautHealthAndRunsAsNonRoot(String fn) {
        JsonNode c = container(fn);
        assertEquals("/health/readiness", c.at("/readinessProbe/httpGet/path").asText(), fn);
        assertEquals("/health/liveness", c.at("/livenessProbe/httpGet/path").asText(), fn);
        // Knative derives the port; a probe port must not differ from it.
        assertTrue(c.at("/readinessProbe/httpGet/port").isMissingNode(), fn);
        assertEquals(8080, c.at("/ports/0/containerPort").asInt(), fn);
        assertEquals("http1", c.at("/ports/0/name").asText(), fn);
        assertTrue(c.at("/securityContext/runAsNonRoot").asBoolean(false), fn);
        assertTrue(c.at("/securityContext/runAsUser").asInt(0) > 0, fn);
        assertFalse(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true), fn);
        assertEquals("ALL", c.at("/securityContext/capabilities/drop/0").asText(), fn);
        assertEquals("user-container", c.path("name").asText(), fn + ": Prometheus and the dashboard select this name");
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void runsInClusterModeAgainstThePlatformServices(String fn) {
        Map<String, String> env = env(service(fn));
        assertEquals("cluster", env.get("GEOCROP_EVENTS_TRANSPORT"), fn);
        assertEquals("s3", env.get("GEOCROP_STORAGE_BACKEND"), fn);
        assertTrue(env.containsKey("GEOCROP_S3_ACCESS_KEY") && env.containsKey("GEOCROP_S3_SECRET_KEY"), fn);
        String db = env.get("GEOCROP_DB_URL");
        assertNotNull(db, fn);
        assertTrue(db.startsWith("jdbc:postgresql://"), db);
        URI dbUri = URI.create(db.substring("jdbc:".length()));
        assertEquals(5433, dbUri.getPort(), "PostgreSQL listens on 5433");
        assertTrue(platformServiceExists(dbUri.getHost(), dbUri.getPort()), db);
        URI s3 = URI.create(env.get("GEOCROP_S3_ENDPOINT"));
        assertTrue(platformServiceExists(s3.getHost(), s3.getPort()), s3.toString());
        String mlflow = env.get("GEOCROP_MLFLOW_TRACKING_URI");
        if (mlflow != null) {
            URI m = URI.create(mlflow);
            assertTrue(platformServiceExists(m.getHost(), m.getPort()), mlflow);
        }
        assertFalse(env.containsKey("K_SINK"), fn + ": K_SINK comes from the SinkBinding, not the manifest");
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void theRootFilesystemIsReadOnlyWithASizeLimitedTmp(String fn) {
        JsonNode c = container(fn);
        assertEquals(List.of(), containerHardeningProblems(fn, c, service(fn).at("/spec/template/spec/volumes")));
        assertEquals("/tmp/geocrop", env(service(fn)).get("GEOCROP_HOME"), fn + ": GEOCROP_HOME must be on the writable /tmp volume");
    }

    /**
     * Why a container could write its root filesystem, escalate, or fill the node's disk (empty = fine): a
     * read-only root, a size-limited emptyDir at /tmp (java.io.tmpdir: the JVM's perf data, ONNX Runtime's
     * extracted native library, spill files), non-root, no capabilities, RuntimeDefault seccomp.
     */
    static List<String> containerHardeningProblems(String who, JsonNode c, JsonNode volumes) {
        List<String> problems = new ArrayList<>();
        JsonNode sc = c.path("securityContext");
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            problems.add(who + ": readOnlyRootFilesystem is not true");
        }
        if (!sc.path("runAsNonRoot").asBoolean(false)) {
            problems.add(who + ": runAsNonRoot is not true");
        }
        if (sc.path("allowPrivilegeEscalation").asBoolean(true)) {
            problems.add(who + ": allowPrivilegeEscalation is not false");
        }
        if (!sc.path("capabilities").path("drop").toString().contains("\"ALL\"")) {
            problems.add(who + ": capabilities are not all dropped");
        }
        if (!"RuntimeDefault".equals(sc.path("seccompProfile").path("type").asText())) {
            problems.add(who + ": seccompProfile is not RuntimeDefault");
        }
        String tmpVolume = null;
        for (JsonNode m : c.path("volumeMounts")) {
            if ("/tmp".equals(m.path("mountPath").asText())) {
                tmpVolume = m.path("name").asText();
            }
        }
        if (tmpVolume == null) {
            problems.add(who + ": no volume at /tmp (java.io.tmpdir) on a read-only root");
        } else {
            boolean limited = false;
            for (JsonNode v : volumes) {
                if (tmpVolume.equals(v.path("name").asText()) && v.has("emptyDir")) {
                    limited = !v.path("emptyDir").path("sizeLimit").asText("").isBlank();
                }
            }
            if (!limited) {
                problems.add(who + ": the /tmp volume is not an emptyDir with a sizeLimit");
            }
        }
        return problems;
    }

    @Test
    void aWritableRootOrAnUnlimitedTmpIsCaught() {
        JsonNode c = Repo.yamlDocuments("bad", """
                securityContext:
                  runAsNonRoot: true
                  allowPrivilegeEscalation: false
                  capabilities: {drop: [ALL]}
                  seccompProfile: {type: RuntimeDefault}
                volumeMounts:
                  - {name: tmp, mountPath: /tmp}
                """).getFirst();
        JsonNode volumes = Repo.yamlDocuments("bad", "- {name: tmp, emptyDir: {}}").getFirst();
        assertEquals(List.of("bad: readOnlyRootFilesystem is not true", "bad: the /tmp volume is not an emptyDir with a sizeLimit"),
                containerHardeningProblems("bad", c, volumes));
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void aServiceServesOneSurfaceAndOnlyPublicOnesLeaveTheCluster(String fn) {
        JsonNode s = service(fn);
        boolean clusterLocal = "cluster-local".equals(s.at("/metadata/labels").path("networking.knative.dev/visibility").asText());
        String surface = env(s).get("GEOCROP_HTTP_SURFACE");
        assertEquals(surfaceProblems(fn, clusterLocal, surface), List.of());
        // Every function is cluster-local: the public surfaces are reached through the web Service only.
        assertTrue(clusterLocal, fn + ": a function's Service is cluster-local (the web Service is the way in)");
        assertEquals(Deployables.PUBLIC_SERVICES.contains(fn), "public".equals(surface), fn);
        if ("internal".equals(surface)) {
            Map<String, String> env = env(s);
            assertEquals("true", env.get("GEOCROP_INTERNAL_OIDC_ENABLED"), fn + ": Eventing's OIDC tokens are checked");
            for (String name : List.of("GEOCROP_INTERNAL_OIDC_AUDIENCE", "GEOCROP_INTERNAL_OIDC_ISSUER", "GEOCROP_INTERNAL_OIDC_JWKS_URI")) {
                assertFalse(env.getOrDefault(name, "").isBlank(), fn + ": " + name);
            }
        } else {
            assertFalse(env(s).containsKey("GEOCROP_INTERNAL_TOKEN"), fn + ": the internal token has no business on a public surface");
        }
    }

    /** A Service carrying internal routes must be cluster-local; every Service names its surface. */
    static List<String> surfaceProblems(String fn, boolean clusterLocal, String surface) {
        if (!"public".equals(surface) && !"internal".equals(surface)) {
            return List.of(fn + ": GEOCROP_HTTP_SURFACE must be public or internal, is " + surface);
        }
        if ("internal".equals(surface) && !clusterLocal) {
            return List.of(fn + ": serves internal routes but is not cluster-local");
        }
        return List.of();
    }

    @Test
    void theWebServiceIsTheOnlyOneThatLeavesTheClusterAndCarriesNoCredential() {
        List<String> leaving = BASE.ofKind("Service").stream()
                .filter(r -> !"cluster-local".equals(r.doc().at("/metadata/labels").path("networking.knative.dev/visibility").asText()))
                .map(Kustomize.Resource::name).toList();
        assertEquals(List.of(Deployables.WEB), leaving);
        JsonNode web = service(Deployables.WEB);
        assertEquals("geocrop/web", container(Deployables.WEB).path("image").asText());
        assertTrue(web.at("/spec/template/spec/containers/0/env").isMissingNode(), "nginx needs no environment, no Secret");
        assertEquals(List.of(), web.findValues("secretKeyRef"));
        assertFalse(web.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true), "no Kubernetes API token");
        // The activator always in the path: nginx's X-Forwarded-For rule (client = left of the last) holds at every scale.
        assertEquals("-1", web.at("/spec/template/metadata/annotations").path("autoscaling.knative.dev/target-burst-capacity").asText());
        // Knative's probes hit nginx's own /healthz, never a function (which would wake it from zero).
        assertEquals("/healthz", container(Deployables.WEB).at("/readinessProbe/httpGet/path").asText());
        assertTrue(Repo.read(Repo.path("infra/docker/web-nginx.conf")).contains("location = /healthz"));
        assertEquals(List.of(), containerHardeningProblems(Deployables.WEB, container(Deployables.WEB),
                web.at("/spec/template/spec/volumes")));
        // SSE streams pass through it: as long a timeout as submit-job's.
        assertEquals(service("submit-job").at("/spec/template/spec/timeoutSeconds").asInt(),
                web.at("/spec/template/spec/timeoutSeconds").asInt());
    }

    @Test
    void anInternalSurfaceOnAPublicServiceIsCaught() {
        assertEquals(List.of("x: serves internal routes but is not cluster-local"), surfaceProblems("x", false, "internal"));
        assertEquals(List.of("x: GEOCROP_HTTP_SURFACE must be public or internal, is null"), surfaceProblems("x", true, null));
    }

    @Test
    void noSecretIsOptionalInClusterManifests() {
        List<String> optional = new ArrayList<>();
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            for (Kustomize.Resource r : Deployables.render(root).resources()) {
                for (JsonNode ref : r.doc().findValues("secretKeyRef")) {
                    if (ref.path("optional").asBoolean(false)) {
                        optional.add(r.origin() + ": " + ref.path("name").asText() + "/" + ref.path("key").asText());
                    }
                }
                for (JsonNode ref : r.doc().findValues("secretRef")) {
                    if (ref.path("optional").asBoolean(false)) {
                        optional.add(r.origin() + ": " + ref.path("name").asText());
                    }
                }
            }
        }
        assertEquals(List.of(), optional, "a missing Secret must stop the pod, not start it without the credential");
    }

    @Test
    void thePublicSubmitJobNeedsTheApiKeyAndCountsKnativesProxies() {
        Map<String, String> env = env(service("submit-job"));
        assertEquals("secret:geocrop-api/api-key", env.get("GEOCROP_INGRESS_API_KEY"));
        // web's nginx sends only the client; Kourier's internal Envoy appends nginx's address and the activator
        // (always in the path: target-burst-capacity -1) Envoy's. WebProxyTest runs nginx's side of this.
        for (String fn : Deployables.PUBLIC_SERVICES) {
            assertEquals("3", env(service(fn)).get("GEOCROP_INGRESS_TRUSTED_PROXY_HOPS"), fn);
            assertEquals("-1", service(fn).at("/spec/template/metadata/annotations")
                    .path("autoscaling.knative.dev/target-burst-capacity").asText(), fn);
        }
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void secretsAreOnlySecretReferences(String fn) {
        for (JsonNode e : container(fn).path("env")) {
            String name = e.path("name").asText();
            if (SECRET_NAME.matcher(name).matches()) {
                assertFalse(e.has("value"), fn + ": " + name + " must come from a Secret, not a literal");
                assertFalse(e.at("/valueFrom/secretKeyRef/name").asText("").isBlank(), fn + ": " + name);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#SERVICE_NAMES")
    void everyEnvironmentNameIsOneTheCodeReads(String fn) {
        assertEquals(Set.of(), unknownEnv(Deployables.functionOf(fn), env(service(fn)).keySet()),
                fn + ": environment names no configuration of the function reads (typo, or a setting not in application.yml)");
    }

    @Test
    void theOverlayAddsOnlyKnownNamesToo() {
        for (Kustomize.Resource r : Deployables.render("knative/overlays/homelab").ofKind("Service")) {
            if (r.name().equals(Deployables.WEB)) {
                assertTrue(r.doc().at("/spec/template/spec/containers/0/env").isMissingNode());
                continue;
            }
            assertEquals(Set.of(), unknownEnv(Deployables.functionOf(r.name()), env(r.doc()).keySet()), r.name());
        }
    }

    @Test
    void aMisspelledNameIsCaught() {
        assertEquals(Set.of("GEOCROP_S3_ENDPIONT"), unknownEnv("submit-job", Set.of("GEOCROP_S3_ENDPOINT", "GEOCROP_S3_ENDPIONT")));
        // A setting of another function (extract-features' ImagerySettings) is not one submit-job reads.
        assertEquals(Set.of("GEOCROP_IMAGERY_ALLOWED_ASSET_HOSTS"), unknownEnv("submit-job", Set.of("GEOCROP_IMAGERY_ALLOWED_ASSET_HOSTS")));
        assertEquals(Set.of(), unknownEnv("extract-features", Set.of("GEOCROP_IMAGERY_ALLOWED_ASSET_HOSTS")));
    }

    @Test
    void noSecretValuesAnywhereInTheRepository() {
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            for (Kustomize.Resource r : Deployables.render(root).resources()) {
                assertFalse(r.kind().equals("Secret"), r.origin() + ": Secrets are created with kubectl (docs/deploy.md)");
            }
        }
        for (var file : Repo.files("knative", "kustomization.yaml")) {
            assertFalse(Repo.read(file).contains("secretGenerator"), Repo.rel(file));
        }
        for (var file : Repo.files("infra", "kustomization.yaml")) {
            assertFalse(Repo.read(file).contains("secretGenerator"), Repo.rel(file));
        }
    }

    @Test
    void everyReferencedSecretIsDocumentedWithItsKeys() {
        String doc = Repo.read(Repo.path("docs/deploy.md"));
        Map<String, Set<String>> refs = new LinkedHashMap<>();
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            for (Kustomize.Resource r : Deployables.render(root).resources()) {
                for (JsonNode ref : r.doc().findValues("secretKeyRef")) {
                    String ns = r.doc().path("metadata").path("namespace").asText();
                    refs.computeIfAbsent(ns + "/" + ref.path("name").asText(), k -> new TreeSet<>()).add(ref.path("key").asText());
                }
            }
        }
        assertFalse(refs.isEmpty());
        List<String> missing = new ArrayList<>();
        refs.forEach((nsName, keys) -> {
            String ns = nsName.substring(0, nsName.indexOf('/'));
            String name = nsName.substring(nsName.indexOf('/') + 1);
            Matcher m = Pattern.compile("kubectl -n " + ns + " create secret generic " + Pattern.quote(name) + "((?:\\\\\\n|[^\\n])*)").matcher(doc);
            if (!m.find()) {
                missing.add(nsName + " (no 'kubectl -n " + ns + " create secret generic " + name + "')");
                return;
            }
            for (String key : keys) {
                if (!m.group(1).contains("--from-literal=" + key + "=")) {
                    missing.add(nsName + " key " + key);
                }
            }
        });
        assertEquals(List.of(), missing, "docs/deploy.md must show how to create every Secret the manifests use");
    }

    // ---- helpers shared with other tests ----

    private static final Kustomize.Result BASE = Deployables.render("knative/base");

    static Set<String> unknownEnv(String fn, Set<String> names) {
        Set<String> known = new TreeSet<>(Code.configurationEnv(fn));
        known.addAll(Code.frameworkEnv());
        known.addAll(JVM_ENV);
        Set<String> unknown = new TreeSet<>(names);
        unknown.removeAll(known);
        return unknown;
    }

    static JsonNode service(String fn) {
        return BASE.ofKind("Service").stream().filter(r -> r.name().equals(fn))
                .findFirst().orElseThrow(() -> new AssertionError("no Knative Service " + fn)).doc();
    }

    static JsonNode container(String fn) {
        JsonNode containers = service(fn).at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), fn);
        return containers.get(0);
    }

    /** Literal env values by name (secret references map to "secret:<name>/<key>"). */
    static Map<String, String> env(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : service.at("/spec/template/spec/containers/0/env")) {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            env.put(e.path("name").asText(), e.has("value") ? e.path("value").asText()
                    : ref.isMissingNode() ? null : "secret:" + ref.path("name").asText() + "/" + ref.path("key").asText());
        }
        return env;
    }

    static JsonNode envEntry(JsonNode service, String name) {
        for (JsonNode e : service.at("/spec/template/spec/containers/0/env")) {
            if (e.path("name").asText().equals(name)) {
                return e;
            }
        }
        return MissingNode.getInstance();
    }

    /** True if infra/k8s defines a Service {@code name} in {@code namespace} with {@code port}. */
    static boolean platformServiceExists(String host, int port) {
        String[] labels = host.split("\\.");
        if (labels.length < 2 || !host.endsWith(".svc.cluster.local")) {
            return false;
        }
        for (Kustomize.Resource r : Deployables.render("infra/k8s").ofKind("Service")) {
            ObjectNode doc = r.doc();
            if (doc.path("metadata").path("name").asText().equals(labels[0])
                    && doc.path("metadata").path("namespace").asText().equals(labels[1])) {
                for (JsonNode p : doc.path("spec").path("ports")) {
                    if (p.path("port").asInt() == port) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
