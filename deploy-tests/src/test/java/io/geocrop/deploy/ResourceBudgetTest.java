package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.bertramlabs.plugins.hcl4j.HCLParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The resource budget at the worst moment: every function at its max-scale, each pod with Knative's queue-proxy
 * (its resources from infra/knative-config/config-deployment.yaml, the LimitRange's defaults where it sets none),
 * the platform services, the setup Jobs, monitoring, and Argo CD's seven workloads (no resources of their own,
 * so the LimitRange's defaults). Requests and limits per namespace must fit the namespace's ResourceQuota (Terraform,
 * with the profile's tfvars), and the requests of everything, with an allowance for k3s and Knative's own
 * controllers, must fit the profile's node: a pod whose requests do not fit stays Pending, and the events queued
 * for it time out.
 */
class ResourceBudgetTest {
    /** Argo CD 3.x install.yaml: application-controller, applicationset-controller, dex, notifications, redis, repo-server, server. */
    static final int ARGOCD_WORKLOADS = 7;
    /**
     * Requests of what runs on the node besides GeoCrop's namespaces (Knative 1.19's and k3s's own manifests):
     * Serving (activator 300m/60Mi, autoscaler, controller, webhook 100m/100Mi each), Kourier (controller and
     * gateway), Eventing (controller, webhook, IMC controller and dispatcher, MT broker controller, filter, ingress),
     * the Redis source's controller, k3s's CoreDNS, metrics-server and local-path provisioner.
     */
    static final double SYSTEM_CPU = 1.9;
    static final long SYSTEM_MEMORY = Quantities.bytes("1600Mi");

    /** A node profile: the overlay deployed on it, the Terraform variables used, and the node's size. */
    enum Profile {
        HOMELAB("knative/overlays/homelab", null, true, 8, "32Gi"),
        /** Without Argo CD: applied with kubectl. */
        HOMELAB_4C16G("knative/overlays/homelab-small", "infra/terraform/homelab-4c16g.tfvars", false, 4, "16Gi");

        final String overlay;
        final String tfvars;
        final boolean argocd;
        final double nodeCpu;
        final long nodeMemory;

        Profile(String overlay, String tfvars, boolean argocd, double nodeCpu, String nodeMemory) {
            this.overlay = overlay;
            this.tfvars = tfvars;
            this.argocd = argocd;
            this.nodeCpu = nodeCpu;
            this.nodeMemory = Quantities.bytes(nodeMemory);
        }
    }

    /** Requests and limits of some pods, CPU in cores, memory in bytes. */
    record Budget(double requestsCpu, long requestsMemory, double limitsCpu, long limitsMemory, int pods) {
        static final Budget ZERO = new Budget(0, 0, 0, 0, 0);

        Budget plus(Budget o) {
            return new Budget(requestsCpu + o.requestsCpu, requestsMemory + o.requestsMemory, limitsCpu + o.limitsCpu,
                    limitsMemory + o.limitsMemory, pods + o.pods);
        }

        Budget times(int n) {
            return new Budget(requestsCpu * n, requestsMemory * n, limitsCpu * n, limitsMemory * n, pods * n);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "requests %.2f CPU / %.2f GiB, limits %.2f CPU / %.2f GiB, %d pods",
                    requestsCpu, requestsMemory / GIB, limitsCpu, limitsMemory / GIB, pods);
        }
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The namespace LimitRange's defaults and maxima (Terraform variables). */
    record LimitRange(double defaultCpu, long defaultMemory, double defaultRequestCpu, long defaultRequestMemory,
                      double maxCpu, long maxMemory) {
        static LimitRange fromTerraform(Map<String, Object> vars) {
            return new LimitRange(cpu(var(vars, "default_container_cpu")), Quantities.bytes(var(vars, "light_container_memory")),
                    cpu(var(vars, "default_container_cpu_request")), Quantities.bytes(var(vars, "light_container_memory_request")),
                    cpu(var(vars, "max_container_cpu")), Quantities.bytes(var(vars, "worker_container_memory")));
        }
    }

    static double cpu(String quantity) {
        String q = quantity.trim();
        return q.endsWith("m") ? Double.parseDouble(q.substring(0, q.length() - 1)) / 1000 : Double.parseDouble(q);
    }

    /**
     * One container's requests and limits after Kubernetes' defaulting (a request left out equals the limit) and
     * the LimitRange's (defaults for what is still unset); problems go to {@code problems}.
     */
    static Budget container(String who, JsonNode resources, LimitRange lr, List<String> problems) {
        String limCpu = text(resources, "/limits/cpu");
        String limMem = text(resources, "/limits/memory");
        String reqCpu = text(resources, "/requests/cpu");
        String reqMem = text(resources, "/requests/memory");
        double lc = limCpu != null ? cpu(limCpu) : lr.defaultCpu();
        long lm = limMem != null ? Quantities.bytes(limMem) : lr.defaultMemory();
        double rc = reqCpu != null ? cpu(reqCpu) : limCpu != null ? lc : Math.min(lr.defaultRequestCpu(), lc);
        long rm = reqMem != null ? Quantities.bytes(reqMem) : limMem != null ? lm : Math.min(lr.defaultRequestMemory(), lm);
        if (lc > lr.maxCpu() || lm > lr.maxMemory()) {
            problems.add(who + ": limits above the LimitRange's maximum (" + lr.maxCpu() + " CPU, " + lr.maxMemory() / GIB + " GiB)");
        }
        return new Budget(rc, rm, lc, lm, 0);
    }

    /** A pod: the sum of its containers, or its largest init container if that is larger. */
    static Budget pod(String who, JsonNode podSpec, LimitRange lr, List<String> problems, JsonNode extraContainer) {
        Budget sum = Budget.ZERO;
        for (JsonNode c : podSpec.path("containers")) {
            sum = sum.plus(container(who + "/" + c.path("name").asText(), c.path("resources"), lr, problems));
        }
        if (extraContainer != null) {
            sum = sum.plus(container(who + "/queue-proxy", extraContainer, lr, problems));
        }
        for (JsonNode c : podSpec.path("initContainers")) {
            Budget init = container(who + "/" + c.path("name").asText(), c.path("resources"), lr, problems);
            sum = new Budget(Math.max(sum.requestsCpu(), init.requestsCpu()), Math.max(sum.requestsMemory(), init.requestsMemory()),
                    Math.max(sum.limitsCpu(), init.limitsCpu()), Math.max(sum.limitsMemory(), init.limitsMemory()), 0);
        }
        return new Budget(sum.requestsCpu(), sum.requestsMemory(), sum.limitsCpu(), sum.limitsMemory(), 1);
    }

    /** The queue-proxy's resources as Knative sets them from config-deployment (unset ones stay unset). */
    static JsonNode queueProxyResources() {
        JsonNode data = Repo.yaml(Repo.path("infra/knative-config/config-deployment.yaml")).path("data");
        ObjectNode resources = JsonNodeFactory.instance.objectNode();
        putIf(resources, "requests", "cpu", data.path("queue-sidecar-cpu-request").asText(null));
        putIf(resources, "requests", "memory", data.path("queue-sidecar-memory-request").asText(null));
        putIf(resources, "limits", "cpu", data.path("queue-sidecar-cpu-limit").asText(null));
        putIf(resources, "limits", "memory", data.path("queue-sidecar-memory-limit").asText(null));
        if (!resources.has("requests") || !resources.path("requests").has("cpu")) {
            resources.with("requests").put("cpu", "25m"); // Knative's default
        }
        return resources;
    }

    private static String text(JsonNode node, String pointer) {
        return Repo.text(node, pointer);
    }

    private static void putIf(ObjectNode resources, String kind, String resource, String value) {
        if (value != null && !value.isBlank()) {
            resources.with(kind).put(resource, value);
        }
    }

    /** Every Knative Service of the overlay at its max-scale, queue-proxy included. */
    static Map<String, Budget> functions(String overlay, LimitRange lr, List<String> problems) {
        Map<String, Budget> out = new LinkedHashMap<>();
        JsonNode queueProxy = queueProxyResources();
        for (Kustomize.Resource r : Deployables.render(overlay).ofKind("Service")) {
            JsonNode template = r.doc().path("spec").path("template");
            int max = Integer.parseInt(template.at("/metadata/annotations").path("autoscaling.knative.dev/max-scale").asText());
            out.put(r.name() + " x" + max, pod(r.name(), template.path("spec"), lr, problems, queueProxy).times(max));
        }
        return out;
    }

    /** Deployments, StatefulSets (replicas) and Jobs (one pod each while running) of a kustomization. */
    static Map<String, Budget> workloads(String root, LimitRange lr, List<String> problems) {
        Map<String, Budget> out = new LinkedHashMap<>();
        for (Kustomize.Resource r : Deployables.render(root).resources()) {
            int replicas = switch (r.kind()) {
                case "Deployment", "StatefulSet" -> r.doc().path("spec").path("replicas").asInt(1);
                case "Job" -> 1;
                default -> 0;
            };
            if (replicas > 0) {
                out.put(r.kind() + " " + r.name() + " x" + replicas,
                        pod(r.name(), r.doc().at("/spec/template/spec"), lr, problems, null).times(replicas));
            }
        }
        return out;
    }

    static Budget argoCd(LimitRange lr, List<String> problems) {
        return pod("argocd", JsonNodeFactory.instance.objectNode().set("containers",
                JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.objectNode().put("name", "workload"))),
                lr, problems, null).times(ARGOCD_WORKLOADS);
    }

    static Budget total(Map<String, Budget> parts) {
        return parts.values().stream().reduce(Budget.ZERO, Budget::plus);
    }

    /** Why {@code used} does not fit the quota {@code quota} (a Terraform object), empty if it does. */
    static List<String> overQuota(String namespace, Budget used, Map<?, ?> quota) {
        List<String> problems = new ArrayList<>();
        if (used.requestsCpu() > cpu(quota.get("requests_cpu").toString()) + 1e-9) {
            problems.add(namespace + ": requests.cpu " + used.requestsCpu() + " > quota " + quota.get("requests_cpu"));
        }
        if (used.limitsCpu() > cpu(quota.get("limits_cpu").toString()) + 1e-9) {
            problems.add(namespace + ": limits.cpu " + used.limitsCpu() + " > quota " + quota.get("limits_cpu"));
        }
        if (used.requestsMemory() > Quantities.bytes(quota.get("requests_memory").toString())) {
            problems.add(namespace + ": requests.memory " + used.requestsMemory() / GIB + " GiB > quota " + quota.get("requests_memory"));
        }
        if (used.limitsMemory() > Quantities.bytes(quota.get("limits_memory").toString())) {
            problems.add(namespace + ": limits.memory " + used.limitsMemory() / GIB + " GiB > quota " + quota.get("limits_memory"));
        }
        if (used.pods() > Double.parseDouble(quota.get("pods").toString())) {
            problems.add(namespace + ": " + used.pods() + " pods > quota " + quota.get("pods"));
        }
        return problems;
    }

    /** The Terraform variables of a profile: the defaults, overridden by its tfvars file. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> terraformVariables(Profile profile) {
        Map<String, Object> vars = new LinkedHashMap<>();
        TerraformTest.parsed().get("variable").forEach((name, v) -> vars.put(name, ((Map<String, Object>) v).get("default")));
        if (profile.tfvars != null) {
            try {
                vars.putAll(new HCLParser().parse(new File(Repo.path(profile.tfvars).toString()), "UTF-8"));
            } catch (Exception e) {
                throw new AssertionError(profile.tfvars + " does not parse as HCL: " + e.getMessage(), e);
            }
        }
        return vars;
    }

    private static String var(Map<String, Object> vars, String name) {
        Object value = vars.get(name);
        if (value == null) {
            throw new AssertionError("Terraform variable " + name + " has no value");
        }
        return value.toString();
    }

    @ParameterizedTest
    @EnumSource(Profile.class)
    void everythingAtMaxScaleFitsTheQuotasAndTheNode(Profile profile) {
        Map<String, Object> vars = terraformVariables(profile);
        LimitRange lr = LimitRange.fromTerraform(vars);
        List<String> problems = new ArrayList<>();
        Map<String, Budget> geocrop = new LinkedHashMap<>(functions(profile.overlay, lr, problems));
        geocrop.putAll(workloads(profile.overlay, lr, problems));
        geocrop.putAll(workloads("infra/k8s", lr, problems));
        Budget monitoring = total(workloads("infra/monitoring", lr, problems));
        Budget argocd = profile.argocd ? argoCd(lr, problems) : Budget.ZERO;
        Budget functions = total(geocrop);
        problems.addAll(overQuota("geocrop", functions, (Map<?, ?>) vars.get("geocrop_quota")));
        problems.addAll(overQuota("monitoring", monitoring, (Map<?, ?>) vars.get("monitoring_quota")));
        problems.addAll(overQuota("argocd", argocd, (Map<?, ?>) vars.get("argocd_quota")));
        Budget all = functions.plus(monitoring).plus(argocd);
        double cpu = all.requestsCpu() + SYSTEM_CPU;
        long memory = all.requestsMemory() + SYSTEM_MEMORY;
        System.out.printf(Locale.ROOT, "Budget %s on %.0f CPU / %.0f GiB:%n", profile, profile.nodeCpu, profile.nodeMemory / GIB);
        geocrop.forEach((k, v) -> System.out.printf("  geocrop %-40s %s%n", k, v));
        System.out.printf("  geocrop total %s%n  monitoring %s%n  argocd %s%n", functions, monitoring, argocd);
        System.out.printf(Locale.ROOT, "  node requests with %.1f CPU / %.2f GiB for k3s and Knative: %.2f CPU / %.2f GiB%n",
                SYSTEM_CPU, SYSTEM_MEMORY / GIB, cpu, memory / GIB);
        if (cpu > profile.nodeCpu) {
            problems.add(String.format(Locale.ROOT, "requests %.2f CPU do not fit a %.0f-core node", cpu, profile.nodeCpu));
        }
        if (memory > profile.nodeMemory) {
            problems.add(String.format(Locale.ROOT, "requests %.2f GiB do not fit a %.0f GiB node", memory / GIB, profile.nodeMemory / GIB));
        }
        assertEquals(List.of(), problems, profile.name());
    }

    @Test
    void theDeployGuideStatesTheNodeOfEachProfile() {
        String doc = Repo.read(Repo.path("docs/deploy.md"));
        for (Profile p : Profile.values()) {
            String size = String.format(Locale.ROOT, "%.0f cores, %.0f GiB", p.nodeCpu, p.nodeMemory / GIB);
            assertTrue(doc.contains(size) && doc.contains(p.overlay), "docs/deploy.md must name " + p.overlay + " with its node (" + size + ")");
        }
    }

    @Test
    void aQueueProxyWithoutLimitsTakesTheLimitRangesDefaultsAndBreaksTheQuota() {
        LimitRange lr = new LimitRange(1, Quantities.bytes("512Mi"), 0.1, Quantities.bytes("256Mi"), 2, Quantities.bytes("2Gi"));
        List<String> problems = new ArrayList<>();
        JsonNode onlyCpuRequest = Repo.yamlDocuments("qp", "requests: {cpu: 25m}").getFirst();
        Budget qp = container("queue-proxy", onlyCpuRequest, lr, problems);
        assertEquals(new Budget(0.025, Quantities.bytes("256Mi"), 1, Quantities.bytes("512Mi"), 0), qp);
        // Issue 15's count: 8 workers (2 CPU) and 8 light pods (1 CPU), each with such a queue-proxy, need 40 CPU of limits.
        JsonNode worker = Repo.yamlDocuments("w", "containers: [{name: w, resources: {limits: {cpu: '2', memory: 2Gi}}}]").getFirst();
        JsonNode light = Repo.yamlDocuments("l", "containers: [{name: l, resources: {limits: {cpu: '1', memory: 512Mi}}}]").getFirst();
        Budget b = pod("w", worker, lr, problems, onlyCpuRequest).times(8).plus(pod("l", light, lr, problems, onlyCpuRequest).times(8));
        assertEquals(40.0, b.limitsCpu(), 1e-9);
        assertEquals(List.of("geocrop: limits.cpu 40.0 > quota 32"),
                overQuota("geocrop", b, Map.of("requests_cpu", "100", "limits_cpu", "32", "requests_memory", "1Ti",
                        "limits_memory", "1Ti", "pods", "100")));
        assertEquals(List.of(), problems);
        // And Argo CD's seven workloads need 7 CPU of limits from the LimitRange: a quota of 6 rejects one.
        assertEquals(List.of("argocd: limits.cpu 7.0 > quota 6"), overQuota("argocd", argoCd(lr, problems),
                Map.of("requests_cpu", "2", "limits_cpu", "6", "requests_memory", "2Gi", "limits_memory", "6Gi", "pods", "20")));
    }
}
