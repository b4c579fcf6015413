package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** App of apps: the root Application syncs infra/argocd/apps, whose Applications cover infra/ and knative/. */
class ArgoCdTest {

    @Test
    void theRootAppSyncsTheAppsFolder() {
        JsonNode root = Repo.yaml(Repo.path("infra/argocd/root.yaml"));
        assertEquals("Application", root.path("kind").asText());
        assertEquals("infra/argocd/apps", root.at("/spec/source/path").asText());
        assertEquals("argocd", root.at("/metadata/namespace").asText());
        assertTrue(root.at("/spec/syncPolicy/automated/prune").asBoolean());
    }

    @Test
    void theAppsCoverInfraAndKnativeFromTheSameRepository() {
        JsonNode root = Repo.yaml(Repo.path("infra/argocd/root.yaml"));
        String repo = root.at("/spec/source/repoURL").asText();
        Set<String> paths = new TreeSet<>();
        List<Integer> waves = new ArrayList<>();
        for (Kustomize.Resource r : Deployables.render("infra/argocd/apps").resources()) {
            JsonNode app = r.doc();
            assertEquals("Application", r.kind(), r.origin());
            assertEquals(repo, app.at("/spec/source/repoURL").asText(), r.origin());
            assertEquals("main", app.at("/spec/source/targetRevision").asText(), r.origin() + ": track a branch, not HEAD or a tag");
            String path = app.at("/spec/source/path").asText();
            assertTrue(Files.isRegularFile(Repo.path(path).resolve("kustomization.yaml")), r.origin() + ": " + path);
            assertTrue(Deployables.KUSTOMIZE_ROOTS.contains(path), path + " is not a checked kustomize root");
            assertEquals("https://kubernetes.default.svc", app.at("/spec/destination/server").asText());
            assertTrue(app.at("/spec/syncPolicy/automated/selfHeal").asBoolean(), r.origin());
            waves.add(Integer.parseInt(app.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asText("0")));
            paths.add(path);
        }
        assertEquals(Set.of("infra/k8s", "infra/monitoring", "infra/knative-redis-source", "knative/overlays/homelab"), paths);
        List<Integer> sorted = new ArrayList<>(waves);
        sorted.sort(null);
        assertEquals(sorted, waves, "apps/kustomization.yaml lists the Applications in sync-wave order");
    }

    @Test
    void theFunctionsAppToleratesTheSinkBindingsInjection() {
        JsonNode app = Deployables.render("infra/argocd/apps").resources().stream()
                .filter(r -> r.name().equals("geocrop-functions")).findFirst().orElseThrow().doc();
        assertTrue(app.at("/spec/ignoreDifferences").toString().contains("K_SINK"));
        assertTrue(app.at("/spec/syncPolicy/syncOptions").toString().contains("RespectIgnoreDifferences=true"));
        assertTrue(Integer.parseInt(app.at("/metadata/annotations").path("argocd.argoproj.io/sync-wave").asText())
                > 1, "functions sync after the platform services and the Redis source");
    }
}
