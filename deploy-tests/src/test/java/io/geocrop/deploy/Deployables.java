package io.geocrop.deploy;

import java.nio.file.Path;
import java.util.List;

/** Where the repository's deployable manifests are: the kustomize roots and the standalone files. */
final class Deployables {
    /** Every kustomization that is applied or synced on its own (kubectl apply -k / an Argo CD Application). */
    static final List<String> KUSTOMIZE_ROOTS = List.of(
            "knative/base",
            "knative/overlays/homelab",
            "infra/k8s",
            "infra/monitoring",
            "infra/knative-redis-source",
            "infra/argocd/apps",
            "infra/knative-config",
            "knative/overlays/homelab-small",
            "knative/overlays/homelab-native");

    /** Manifests applied with kubectl apply -f, outside any kustomization. */
    static final List<String> STANDALONE = List.of("infra/argocd/root.yaml", "infra/argocd/network-policies.yaml");

    /** YAML in those folders that is no Kubernetes manifest: promtool's unit tests of the alert rules (PromtoolRulesTest). */
    static final List<String> NOT_MANIFESTS = List.of("infra/monitoring/tests/alert-rules-test.yml");

    /** The folders whose every YAML file must be used by a kustomization or be standalone. */
    static final List<String> MANIFEST_DIRS = List.of("knative", "infra");

    /** The four functions, as named by their Knative Services and their modules under functions/. */
    static final List<String> FUNCTIONS = List.of("submit-job", "extract-features", "score-tile", "tile-render");

    /** The web app's Service (nginx: the built SPA and a proxy to the public surfaces), image geocrop/web. */
    static final String WEB = "web";

    /** Every image an overlay pins: the four functions' and the web app's. */
    static final List<String> IMAGES = List.of("submit-job", "extract-features", "score-tile", "tile-render", WEB);

    /**
     * Every Knative Service that runs a function, by name, and the function whose image it runs: a public and a
     * cluster-local surface per function that has public routes, the other functions internal only. The web
     * Service ({@link #WEB}) is not among them.
     */
    static final java.util.Map<String, String> SERVICES = serviceImages();

    /** The Services' names, for parameterized tests. */
    static final List<String> SERVICE_NAMES = List.copyOf(SERVICES.keySet());

    /** The Services that carry the internal surface: cluster-local, and the targets of every Trigger and source. */
    static final List<String> INTERNAL_SERVICES = List.of("submit-job-internal", "extract-features", "score-tile",
            "tile-render-internal");

    /** The Services of the public surface: reached from outside only through the web Service. */
    static final List<String> PUBLIC_SERVICES = List.of("submit-job", "tile-render");

    private Deployables() {}

    /** The function (its module under functions/) a Knative Service runs, from its kustomize image name. */
    static String functionOf(String service) {
        String fn = SERVICES.get(service);
        if (fn == null) {
            throw new IllegalArgumentException("no Knative Service " + service + " in knative/base");
        }
        return fn;
    }

    private static java.util.Map<String, String> serviceImages() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Kustomize.Resource r : render("knative/base").ofKind("Service")) {
            String image = r.doc().at("/spec/template/spec/containers/0/image").asText();
            if (r.name().equals(WEB)) {
                continue;
            }
            out.put(r.name(), image.startsWith("geocrop/") ? image.substring("geocrop/".length()) : image);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    static Kustomize.Result render(String root) {
        return Kustomize.render(Repo.path(root));
    }

    static Path function(String name) {
        return Repo.path("functions/" + name);
    }
}
