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
            "infra/argocd/apps");

    /** Manifests applied with kubectl apply -f, outside any kustomization. */
    static final List<String> STANDALONE = List.of("infra/argocd/root.yaml", "infra/argocd/network-policies.yaml");

    /** The folders whose every YAML file must be used by a kustomization or be standalone. */
    static final List<String> MANIFEST_DIRS = List.of("knative", "infra");

    /** The four functions, as named by their Knative Services and their modules under functions/. */
    static final List<String> FUNCTIONS = List.of("submit-job", "extract-features", "score-tile", "tile-render");

    private Deployables() {}

    static Kustomize.Result render(String root) {
        return Kustomize.render(Repo.path(root));
    }

    static Path function(String name) {
        return Repo.path("functions/" + name);
    }
}
