package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies, evaluated: every namespace denies by default, every policy and every in-namespace peer
 * selects real pods, every arrow of the architecture is open on both ends and a set of doors an attacker would try
 * is closed. The evaluator follows the NetworkPolicy rules (a pod selected by no policy of a direction is open in
 * that direction; otherwise one rule of one selecting policy must match peer and port).
 */
class NetworkPolicyTest {
    private static final Set<String> NAMESPACES = Set.of("geocrop", "monitoring", "argocd");

    /** A pod (namespace + labels) or an address outside the cluster. */
    record Peer(String namespace, Map<String, String> labels, String ip) {
        static Peer pod(String namespace, String... keyValues) {
            Map<String, String> labels = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                labels.put(keyValues[i], keyValues[i + 1]);
            }
            return new Peer(namespace, labels, null);
        }

        static Peer address(String ip) {
            return new Peer(null, Map.of(), ip);
        }

        @Override
        public String toString() {
            return ip != null ? ip : namespace + "/" + labels;
        }
    }

    // Pods that the repository does not template: Knative's, the DNS, the RedisStreamSource adapter (labels from
    // eventing-redis 1.19 resources/labels.go), Argo CD's, and strangers sharing the cluster.
    static final Peer ACTIVATOR = Peer.pod("knative-serving", "app", "activator");
    static final Peer GATEWAY = Peer.pod("kourier-system", "app", "3scale-kourier-gateway");
    static final Peer BROKER_INGRESS = Peer.pod("knative-eventing", "eventing.knative.dev/brokerRole", "ingress");
    static final Peer DNS = Peer.pod("kube-system", "k8s-app", "kube-dns");
    static final Peer ADAPTER = Peer.pod("geocrop", "eventing.knative.dev/source", "redisstream-source-controller",
            "eventing.knative.dev/sourceName", "geocrop-jobs");
    static final Peer ARGOCD_SERVER = Peer.pod("argocd", "app.kubernetes.io/name", "argocd-server");
    static final Peer STRANGER = Peer.pod("default", "app", "someone-elses");
    static final Peer STRANGER_IN_GEOCROP = Peer.pod("geocrop", "app", "debug-shell");
    static final Peer DEA = Peer.address("52.95.170.10");
    static final Peer METADATA = Peer.address("169.254.169.254");
    static final Peer LAN = Peer.address("192.168.1.20");

    static List<Kustomize.Resource> policies() {
        List<Kustomize.Resource> out = new ArrayList<>();
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            out.addAll(Deployables.render(root).ofKind("NetworkPolicy"));
        }
        for (String file : Deployables.STANDALONE) {
            for (JsonNode doc : Repo.yamlDocuments(Repo.path(file))) {
                if (doc.path("kind").asText().equals("NetworkPolicy")) {
                    out.add(new Kustomize.Resource(file, (ObjectNode) doc));
                }
            }
        }
        return out;
    }

    /** Every pod template of the repository (workloads, Jobs, Knative Services) plus the pods listed above. */
    static List<Peer> pods() {
        List<Peer> pods = new ArrayList<>(List.of(ACTIVATOR, GATEWAY, BROKER_INGRESS, DNS, ADAPTER, ARGOCD_SERVER, STRANGER));
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            for (Kustomize.Resource r : Deployables.render(root).resources()) {
                JsonNode labels = r.doc().at("/spec/template/metadata/labels");
                if (labels.isObject()) {
                    Map<String, String> map = new LinkedHashMap<>();
                    labels.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
                    pods.add(new Peer(r.doc().at("/metadata/namespace").asText(), map, null));
                }
            }
        }
        return pods;
    }

    static Peer app(String namespace, String name) {
        return pods().stream().filter(p -> namespace.equals(p.namespace()) && name.equals(p.labels().get("app.kubernetes.io/name")))
                .findFirst().orElseThrow(() -> new AssertionError("no pod template " + namespace + "/" + name));
    }

    @Test
    void everyNamespaceDeniesByDefault() {
        assertEquals(List.of(), namespacesWithoutDefaultDeny(policies()));
    }

    @Test
    void aMissingDefaultDenyIsReported() {
        List<Kustomize.Resource> without = policies().stream()
                .filter(p -> !(p.name().equals("default-deny") && p.doc().at("/metadata/namespace").asText().equals("monitoring"))).toList();
        assertEquals(List.of("monitoring"), namespacesWithoutDefaultDeny(without));
    }

    @Test
    void everyPolicyAndEveryPeerSelectsPods() {
        assertEquals(List.of(), selectingNothing(policies()));
        ObjectNode broken = (ObjectNode) policies().stream().filter(p -> p.name().equals("web")).findFirst()
                .orElseThrow().doc().deepCopy();
        ((ObjectNode) broken.at("/spec/podSelector/matchLabels")).put("app.kubernetes.io/name", "webs");
        assertEquals(1, selectingNothing(List.of(new Kustomize.Resource("test", broken))).size());
    }

    @Test
    void everyArrowOfTheArchitectureIsOpen() {
        List<Kustomize.Resource> policies = policies();
        List<String> closed = new ArrayList<>();
        for (String fn : Deployables.FUNCTIONS) {
            Peer f = app("geocrop", fn);
            expect(closed, policies, f, app("geocrop", "postgres"), 5433, true);
            expect(closed, policies, f, app("geocrop", "redis"), 6379, true);
            expect(closed, policies, f, app("geocrop", "minio"), 9000, true);
            expect(closed, policies, f, BROKER_INGRESS, 8080, true);
            expect(closed, policies, f, DNS, 53, true);
            expect(closed, policies, ACTIVATOR, f, 8012, true);
            expect(closed, policies, GATEWAY, f, 8012, true);
            expect(closed, policies, app("monitoring", "prometheus"), f, 8080, true);
        }
        // The one public Service: Knative brings the browser's requests, it passes the API's paths to the internal
        // gateway (kourier-internal's Envoy on 8081), which takes them to submit-job and tile-render.
        Peer web = app("geocrop", "web");
        expect(closed, policies, ACTIVATOR, web, 8012, true);
        expect(closed, policies, GATEWAY, web, 8012, true);
        expect(closed, policies, web, GATEWAY, 8081, true);
        expect(closed, policies, web, DNS, 53, true);
        expect(closed, policies, GATEWAY, app("geocrop", "submit-job"), 8012, true);
        expect(closed, policies, GATEWAY, app("geocrop", "tile-render"), 8012, true);
        expect(closed, policies, app("geocrop", "score-tile"), app("geocrop", "mlflow"), 5000, true);
        // submit-job reads the model card for GET /model (a READ-only MLflow user).
        expect(closed, policies, app("geocrop", "submit-job"), app("geocrop", "mlflow"), 5000, true);
        expect(closed, policies, app("geocrop", "extract-features"), DEA, 443, true);
        expect(closed, policies, app("geocrop", "minio"), GATEWAY, 8081, true);
        expect(closed, policies, ADAPTER, app("geocrop", "redis"), 6379, true);
        expect(closed, policies, ADAPTER, BROKER_INGRESS, 8080, true);
        expect(closed, policies, app("geocrop", "mlflow"), app("geocrop", "postgres"), 5433, true);
        expect(closed, policies, app("geocrop", "mlflow"), app("geocrop", "minio"), 9000, true);
        expect(closed, policies, app("geocrop", "postgres-migrate"), app("geocrop", "postgres"), 5433, true);
        expect(closed, policies, app("geocrop", "minio-setup"), app("geocrop", "minio"), 9000, true);
        expect(closed, policies, app("geocrop", "mlflow-users"), app("geocrop", "mlflow"), 5000, true);
        expect(closed, policies, app("monitoring", "grafana"), app("monitoring", "prometheus"), 9090, true);
        expect(closed, policies, app("monitoring", "prometheus"), app("monitoring", "alertmanager"), 9093, true);
        expect(closed, policies, ARGOCD_SERVER, Peer.address("10.43.0.1"), 443, true);
        assertEquals(List.of(), closed);
    }

    @Test
    void theDoorsAnAttackerWouldTryAreClosed() {
        List<Kustomize.Resource> policies = policies();
        List<String> open = new ArrayList<>();
        Peer postgres = app("geocrop", "postgres");
        Peer redis = app("geocrop", "redis");
        Peer minio = app("geocrop", "minio");
        Peer mlflow = app("geocrop", "mlflow");
        // Another tenant's pod, or a stray pod in geocrop, reaches nothing of GeoCrop's.
        for (Peer stranger : List.of(STRANGER, STRANGER_IN_GEOCROP)) {
            for (var target : List.of(Map.entry(postgres, 5433), Map.entry(redis, 6379), Map.entry(minio, 9000),
                    Map.entry(mlflow, 5000), Map.entry(app("geocrop", "submit-job"), 8080))) {
                expect(open, policies, stranger, target.getKey(), target.getValue(), false);
            }
        }
        // A compromised function: no model registry but score-tile's and submit-job's (READ-only users), no internet
        // but extract-features' (and that only on 443, never to private or link-local addresses), no other function
        // directly.
        expect(open, policies, app("geocrop", "extract-features"), mlflow, 5000, false);
        expect(open, policies, app("geocrop", "tile-render"), mlflow, 5000, false);
        expect(open, policies, app("geocrop", "submit-job"), DEA, 443, false);
        expect(open, policies, app("geocrop", "score-tile"), DEA, 443, false);
        expect(open, policies, app("geocrop", "extract-features"), DEA, 80, false);
        expect(open, policies, app("geocrop", "extract-features"), METADATA, 443, false);
        expect(open, policies, app("geocrop", "extract-features"), LAN, 443, false);
        expect(open, policies, app("geocrop", "extract-features"), app("geocrop", "tile-render"), 8080, false);
        expect(open, policies, app("geocrop", "tile-render"), app("geocrop", "submit-job"), 8080, false);
        // The web Service holds no credential and reaches nothing but the internal gateway: not the platform
        // services, not a function's pod directly (that would skip Knative's routing), not the internet.
        Peer web = app("geocrop", "web");
        for (var target : List.of(Map.entry(postgres, 5433), Map.entry(redis, 6379), Map.entry(minio, 9000),
                Map.entry(mlflow, 5000), Map.entry(app("geocrop", "submit-job"), 8080),
                Map.entry(app("geocrop", "tile-render"), 8012), Map.entry(DEA, 443), Map.entry(BROKER_INGRESS, 8080),
                Map.entry(GATEWAY, 8443))) {
            expect(open, policies, web, target.getKey(), target.getValue(), false);
        }
        expect(open, policies, STRANGER_IN_GEOCROP, web, 8080, false);
        // The platform services talk only along their arrows.
        expect(open, policies, ADAPTER, postgres, 5433, false);
        expect(open, policies, minio, postgres, 5433, false);
        expect(open, policies, minio, DEA, 443, false);
        expect(open, policies, redis, DEA, 443, false);
        expect(open, policies, postgres, DEA, 443, false);
        expect(open, policies, mlflow, DEA, 443, false);
        expect(open, policies, app("geocrop", "minio-setup"), postgres, 5433, false);
        expect(open, policies, app("monitoring", "grafana"), postgres, 5433, false);
        expect(open, policies, app("monitoring", "prometheus"), redis, 6379, false);
        expect(open, policies, STRANGER, app("monitoring", "grafana"), 3000, false);
        expect(open, policies, STRANGER, ARGOCD_SERVER, 8080, false);
        assertEquals(List.of(), open);
    }

    // ---- the evaluator ----

    static List<String> namespacesWithoutDefaultDeny(List<Kustomize.Resource> policies) {
        List<String> missing = new ArrayList<>();
        for (String ns : NAMESPACES.stream().sorted().toList()) {
            boolean found = policies.stream().map(Kustomize.Resource::doc).anyMatch(p ->
                    p.at("/metadata/namespace").asText().equals(ns)
                            && p.at("/spec/podSelector").isObject() && p.at("/spec/podSelector").isEmpty()
                            && types(p).containsAll(Set.of("Ingress", "Egress"))
                            && p.at("/spec/ingress").isMissingNode() && p.at("/spec/egress").isMissingNode());
            if (!found) {
                missing.add(ns);
            }
        }
        return missing;
    }

    static List<String> selectingNothing(List<Kustomize.Resource> policies) {
        List<Peer> pods = pods();
        List<String> problems = new ArrayList<>();
        for (Kustomize.Resource r : policies) {
            JsonNode p = r.doc();
            String ns = p.at("/metadata/namespace").asText();
            if (pods.stream().noneMatch(pod -> ns.equals(pod.namespace()) && matches(p.at("/spec/podSelector"), pod.labels()))) {
                problems.add(r.origin() + " " + r.name() + ": its podSelector selects no pod");
            }
            for (String direction : List.of("ingress", "egress")) {
                for (JsonNode rule : p.at("/spec/" + direction)) {
                    for (JsonNode peer : rule.path(direction.equals("ingress") ? "from" : "to")) {
                        if (peer.has("podSelector") && !peer.has("namespaceSelector") && pods.stream().noneMatch(pod ->
                                ns.equals(pod.namespace()) && matches(peer.path("podSelector"), pod.labels()))) {
                            problems.add(r.origin() + " " + r.name() + ": a " + direction + " peer selects no pod: " + peer);
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static void expect(List<String> wrong, List<Kustomize.Resource> policies, Peer from, Peer to, int port, boolean open) {
        boolean allowed = allowed(policies, from, to, port);
        if (allowed != open) {
            wrong.add(from + " -> " + to + ":" + port + (open ? " is closed" : " is open"));
        }
    }

    static boolean allowed(List<Kustomize.Resource> policies, Peer from, Peer to, int port) {
        return side(policies, from, "Egress", to, port) && (to.ip() != null || side(policies, to, "Ingress", from, port));
    }

    /** Whether {@code pod}'s policies of {@code type} let it talk to {@code other} on {@code port}. */
    private static boolean side(List<Kustomize.Resource> policies, Peer pod, String type, Peer other, int port) {
        boolean selected = false;
        for (Kustomize.Resource r : policies) {
            JsonNode p = r.doc();
            String ns = p.at("/metadata/namespace").asText();
            if (!ns.equals(pod.namespace()) || !types(p).contains(type) || !matches(p.at("/spec/podSelector"), pod.labels())) {
                continue;
            }
            selected = true;
            boolean ingress = type.equals("Ingress");
            for (JsonNode rule : p.at("/spec/" + (ingress ? "ingress" : "egress"))) {
                JsonNode peers = rule.path(ingress ? "from" : "to");
                boolean peerOk = peers.isMissingNode() || peers.isEmpty();
                for (JsonNode peer : peers) {
                    peerOk |= peerMatches(peer, ns, other);
                }
                JsonNode ports = rule.path("ports");
                boolean portOk = ports.isMissingNode() || ports.isEmpty();
                for (JsonNode pt : ports) {
                    portOk |= pt.path("port").asInt(-1) == port;
                }
                if (peerOk && portOk) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static boolean peerMatches(JsonNode peer, String policyNamespace, Peer other) {
        if (peer.has("ipBlock")) {
            if (other.ip() == null) {
                return false; // pod addresses are private: the ipBlocks here all exclude them
            }
            if (!inCidr(other.ip(), peer.at("/ipBlock/cidr").asText())) {
                return false;
            }
            for (JsonNode except : peer.at("/ipBlock/except")) {
                if (inCidr(other.ip(), except.asText())) {
                    return false;
                }
            }
            return true;
        }
        if (other.ip() != null) {
            return false;
        }
        boolean namespaceOk = peer.has("namespaceSelector")
                ? matches(peer.path("namespaceSelector"), Map.of("kubernetes.io/metadata.name", other.namespace()))
                : policyNamespace.equals(other.namespace());
        return namespaceOk && (!peer.has("podSelector") || matches(peer.path("podSelector"), other.labels()));
    }

    static boolean matches(JsonNode selector, Map<String, String> labels) {
        for (var e : selector.path("matchLabels").properties()) {
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.get(expression.path("key").asText());
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown operator " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> types(JsonNode policy) {
        Set<String> types = new java.util.HashSet<>();
        policy.at("/spec/policyTypes").forEach(t -> types.add(t.asText()));
        return types;
    }

    private static boolean inCidr(String ip, String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xFFFFFFFFL << (32 - bits) & 0xFFFFFFFFL;
        return (toLong(ip) & mask) == (toLong(parts[0]) & mask);
    }

    private static long toLong(String ip) {
        long value = 0;
        for (String octet : ip.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    @Test
    void theEvaluatorItselfFollowsTheRules() {
        assertTrue(inCidr("10.1.2.3", "10.0.0.0/8"));
        assertFalse(inCidr("11.1.2.3", "10.0.0.0/8"));
        assertTrue(inCidr("8.8.8.8", "0.0.0.0/0"));
        // With no policy at all everything is open; an empty default-deny closes both directions.
        assertTrue(allowed(List.of(), STRANGER, DEA, 443));
        ObjectNode deny = (ObjectNode) Repo.yamlDocuments("deny", """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: d, namespace: default}
                spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
                """).getFirst();
        assertFalse(allowed(List.of(new Kustomize.Resource("t", deny)), STRANGER, DEA, 443));
    }
}
