package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kustomizations: every file listed exists, every file is listed, apply order, pinned images. */
class KustomizationTest {
    private static final Pattern NUMBERED = Pattern.compile("^(\\d{3})-[a-z0-9-]+\\.yaml$");
    private static final Pattern SHA = Pattern.compile("^[0-9a-f]{40}$");

    @Test
    void everyYamlFileIsUsedByAKustomizationOrStandalone() {
        Set<Path> used = new HashSet<>();
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            used.addAll(Deployables.render(root).filesUsed());
        }
        Deployables.STANDALONE.forEach(f -> used.add(Repo.path(f)));
        Deployables.NOT_MANIFESTS.forEach(f -> used.add(Repo.path(f)));
        Set<String> orphans = new TreeSet<>();
        for (String dir : Deployables.MANIFEST_DIRS) {
            for (Path file : Repo.files(dir, ".yaml", ".yml", ".json")) {
                if (!used.contains(file.toAbsolutePath().normalize())) {
                    orphans.add(Repo.rel(file));
                }
            }
        }
        assertEquals(Set.of(), orphans, "YAML/JSON files that no kustomization uses (list them or delete them)");
    }

    @Test
    void numberedManifestsAreListedInApplyOrder() throws IOException {
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            JsonNode k = Repo.yaml(Repo.path(root).resolve("kustomization.yaml"));
            List<Integer> numbers = new ArrayList<>();
            for (JsonNode r : k.path("resources")) {
                Matcher m = NUMBERED.matcher(r.asText());
                if (m.matches()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            }
            List<Integer> sorted = new ArrayList<>(numbers);
            sorted.sort(null);
            assertEquals(sorted, numbers, root + ": resources must be listed in file-number (apply) order");
            assertEquals(new TreeSet<>(numbers).size(), numbers.size(), root + ": two files share a number");
        }
        // Every manifest in knative/base is numbered: the number is its apply order.
        try (var files = Files.list(Repo.path("knative/base"))) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                assertTrue(name.equals("kustomization.yaml") || NUMBERED.matcher(name).matches(),
                        "knative/base/" + name + " is not named NNN-<what>.yaml");
            }
        }
    }

    @Test
    void knativeBaseIsInApplyOrderByKind() {
        // The Broker first, then what feeds it, then Triggers, Services, bindings and the ping source.
        List<String> order = List.of("Broker", "RedisStreamSource", "Trigger", "Service", "SinkBinding", "PingSource", "Job");
        int last = -1;
        for (Kustomize.Resource r : Deployables.render("knative/base").resources()) {
            int rank = order.indexOf(r.kind());
            assertTrue(rank >= 0, "unexpected kind " + r.kind() + " in knative/base");
            assertTrue(rank >= last, r.origin() + " (" + r.kind() + ") comes after a later kind");
            last = rank;
        }
    }

    @Test
    void theOverlayPinsEveryFunctionImageToACommitSha() {
        Kustomize.Result overlay = Deployables.render("knative/overlays/homelab");
        List<String> images = images(overlay);
        // The two surfaces of a function (and the model-bootstrap Job, with score-tile's) share its image; the
        // web Service has its own.
        assertEquals(Deployables.IMAGES.size(), new java.util.HashSet<>(images).size(), images.toString());
        for (String image : images) {
            String tag = Kustomize.imageTag(image);
            assertNotNull(tag, image + " has no tag");
            assertTrue(SHA.matcher(tag).matches(), image + ": tag must be a commit SHA");
            assertTrue(!Kustomize.imageName(image).startsWith("geocrop/"), image + " was not renamed to a registry");
        }
        // Base images are only kustomize names (no tag at all), so nothing can deploy them by accident as
        // :latest without an overlay.
        for (String image : images(Deployables.render("knative/base"))) {
            assertEquals(null, Kustomize.imageTag(image), image);
            assertTrue(image.startsWith("geocrop/"), image);
        }
    }

    @Test
    void noManifestUsesALatestOrUntaggedImage() {
        for (String root : Deployables.KUSTOMIZE_ROOTS) {
            if (root.equals("knative/base")) {
                continue; // kustomize names, replaced by the overlay (checked above)
            }
            for (String image : images(Deployables.render(root))) {
                String tag = Kustomize.imageTag(image);
                assertTrue(image.contains("@sha256:") || (tag != null && !tag.equals("latest")),
                        root + ": image " + image + " must have a version tag or digest, never :latest");
            }
        }
    }

    @Test
    void remoteResourcesArePinnedReleases() {
        List<String> remote = new ArrayList<>();
        Deployables.KUSTOMIZE_ROOTS.forEach(r -> remote.addAll(Deployables.render(r).remote()));
        assertEquals(1, remote.size(), remote.toString());
        for (String url : remote) {
            assertTrue(url.matches("https://github\\.com/[^/]+/[^/]+/releases/download/knative-v\\d+\\.\\d+\\.\\d+/[a-z-]+\\.yaml"),
                    url + " must name a fixed release");
        }
    }

    @Test
    void theSetImageTagsScriptRewritesACopyOfTheOverlay(@TempDir Path tmp) throws Exception {
        Path overlay = tmp.resolve("overlays/homelab");
        Files.createDirectories(overlay);
        for (Path f : Repo.files("knative/overlays/homelab", ".yaml")) {
            Files.copy(f, overlay.resolve(f.getFileName()));
        }
        // ../../base must resolve from the copy too.
        Files.createSymbolicLink(tmp.resolve("base"), Repo.path("knative/base"));
        String sha = "0123456789abcdef0123456789abcdef01234567";
        Process p = new ProcessBuilder("bash", Repo.path(".gitea/scripts/set-image-tags.sh").toString(),
                overlay.toString(), "registry.example:5000", sha).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        List<String> images = images(Kustomize.render(overlay));
        assertEquals(Deployables.IMAGES.size(), new java.util.HashSet<>(images).size());
        for (String fn : Deployables.IMAGES) {
            assertTrue(images.contains("registry.example:5000/geocrop/" + fn + ":" + sha), images.toString());
        }
        // A moving tag is refused.
        Process latest = new ProcessBuilder("bash", Repo.path(".gitea/scripts/set-image-tags.sh").toString(),
                overlay.toString(), "registry.example:5000", "latest").redirectErrorStream(true).start();
        latest.getInputStream().readAllBytes();
        assertEquals(1, latest.waitFor());
    }

    @Test
    void theRendererRefusesWhatItDoesNotImplement(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                replicas:
                  - name: x
                    count: 2
                """);
        assertThrows(IllegalStateException.class, () -> Kustomize.render(tmp));
        Files.writeString(tmp.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - missing.yaml
                """);
        assertThrows(IllegalStateException.class, () -> Kustomize.render(tmp));
    }

    static List<String> images(Kustomize.Result result) {
        List<String> images = new ArrayList<>();
        for (Kustomize.Resource r : result.resources()) {
            r.doc().findParents("image").forEach(parent -> {
                if (parent.path("image").isTextual() && parent.has("name")) {
                    images.add(parent.path("image").asText());
                }
            });
        }
        return images;
    }
}
