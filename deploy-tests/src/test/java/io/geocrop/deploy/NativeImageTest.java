package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The GraalVM native images as far as they can be checked without GraalVM: each function's native-image Maven
 * profile, its reachability metadata in the repository, the builder Dockerfile, the workflow jobs that build and
 * deploy them, and the overlay that selects them. (Whether the metadata covers what a function really loads is
 * e2e's NativeResourceCoverageE2eTest, on a recorded run.)
 */
class NativeImageTest {
    private static final Pattern MAIN_CLASS = Pattern.compile("<mainClass>([\\w.]+)</mainClass>");
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    static Path metadata(String fn) {
        return Deployables.function(fn).resolve("src/main/resources/META-INF/native-image/io.geocrop/geocrop-" + fn
                + "/reachability-metadata.json");
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#FUNCTIONS")
    void eachFunctionHasANativeImageProfileOnTheManagedNativeMavenPlugin(String fn) {
        String pom = Repo.read(Deployables.function(fn).resolve("pom.xml"));
        int start = pom.indexOf("<id>native-image</id>");
        assertTrue(start > 0, fn + ": no native-image profile");
        String profile = pom.substring(start, pom.indexOf("</profile>", start));
        assertTrue(profile.contains("<artifactId>native-maven-plugin</artifactId>"), profile);
        // The version comes from micronaut-parent's pluginManagement, as Micronaut's own builds use it.
        assertFalse(profile.contains("<version>"), fn + ": the plugin version is micronaut-parent's");
        assertTrue(profile.contains("<goal>compile-no-fork</goal>") && profile.contains("<phase>package</phase>"), profile);
        assertTrue(profile.contains("<imageName>app</imageName>"), "native.Dockerfile copies target/app");
        assertTrue(profile.contains("--enable-native-access=ALL-UNNAMED"), "libdeflate through the FFM API");
        // The same main class as the JVM jar's manifest.
        Matcher shaded = MAIN_CLASS.matcher(pom);
        assertTrue(shaded.find());
        assertTrue(profile.contains("<exec.mainClass>" + shaded.group(1) + "</exec.mainClass>"), profile);
        // Only in the profile: the normal build does not run native-image.
        assertEquals(1, pom.split("<artifactId>native-maven-plugin</artifactId>", -1).length - 1,
                fn + ": native-maven-plugin outside the profile");
    }

    @ParameterizedTest
    @FieldSource("io.geocrop.deploy.Deployables#FUNCTIONS")
    void eachFunctionShipsReachabilityMetadataForWhatItReachesDynamically(String fn) throws Exception {
        Path file = metadata(fn);
        assertTrue(Files.isRegularFile(file), "no " + Repo.rel(file));
        JsonNode m = Repo.json(file);
        List<String> globs = new ArrayList<>();
        m.path("resources").forEach(r -> globs.add(r.path("glob").asText()));
        for (String needed : List.of("application.yml", "logback.xml", "META-INF/services/*")) {
            assertTrue(globs.contains(needed), fn + ": resources lack " + needed + ": " + globs);
        }
        // Every type named for reflection or JNI in our own packages exists.
        for (String section : List.of("reflection", "jni")) {
            for (JsonNode t : m.path(section)) {
                String type = t.path("type").asText();
                if (type.startsWith("io.geocrop.")) {
                    String outer = type.replaceAll("\\$.*", "");
                    String source = outer.replace('.', '/') + ".java";
                    assertTrue(Repo.files("libs", ".java").stream().anyMatch(p -> p.toString().endsWith(source)),
                            fn + ": " + section + " names " + type + ", which is not in libs/");
                }
            }
        }
        // Jackson databind binds the event records in every function.
        String reflection = m.path("reflection").toString();
        for (String event : List.of("JobSubmittedV1", "TileRequestedV1", "JobCompletedV1", "JobFailedV1")) {
            assertTrue(reflection.contains("io.geocrop.events." + event), fn + ": " + event);
        }
        // Every function but submit-job reads or writes GeoTIFFs (libs/raster).
        if (!fn.equals("submit-job")) {
            // libdeflate's five downcalls (io.geocrop.raster.codec.Zlib).
            assertEquals(5, m.path("foreign").path("downcalls").size(), fn + ": libdeflate downcalls");
        }
        if (fn.equals("score-tile")) {
            String jni = m.path("jni").toString();
            assertTrue(jni.contains("ai.onnxruntime.OrtException") && jni.contains("ai.onnxruntime.OnnxTensor"), jni);
            assertTrue(globs.stream().anyMatch(g -> g.startsWith("ai/onnxruntime/native/")), "ONNX Runtime's libraries: " + globs);
        } else {
            assertTrue(m.path("jni").isMissingNode(), fn + " loads no JNI library");
        }
    }

    @Test
    void theNativeDockerfileBuildsWithTheProfileInAGraalVmBuilderImage() {
        String text = Repo.read(Repo.path("infra/docker/native.Dockerfile"));
        Matcher graal = Pattern.compile("ARG GRAALVM_IMAGE=ghcr\\.io/graalvm/native-image-community:(25[.\\d]*)").matcher(text);
        assertTrue(graal.find(), "the builder is GraalVM's native-image-community image for JDK 25");
        assertTrue(text.contains("FROM ${GRAALVM_IMAGE} AS build"));
        assertTrue(text.contains("-Pnative-image"), "the function's native-image profile, not a bare native-image -jar");
        assertTrue(text.contains("functions/${FUNCTION}/target/app"));
        assertFalse(text.contains("native-image --no-fallback"), "the profile runs native-image");
    }

    @Test
    void theWorkflowBuildsEveryNativeImageAndOnlyThenPointsTheNativeOverlayAtThem() {
        JsonNode jobs = Repo.yaml(Repo.path(".gitea/workflows/build-push.yaml")).path("jobs");
        JsonNode build = jobs.path("native");
        List<String> matrix = new ArrayList<>();
        build.path("strategy").path("matrix").path("function").forEach(f -> matrix.add(f.asText()));
        assertEquals(Deployables.FUNCTIONS.stream().sorted().toList(), matrix.stream().sorted().toList());
        String args = build.findValuesAsText("args").toString();
        assertTrue(args.contains("--dockerfile=infra/docker/native.Dockerfile"), args);
        assertTrue(args.contains("--build-arg=FUNCTION=${{ matrix.function }}"), args);
        assertTrue(args.contains("--destination=${{ vars.REGISTRY }}/geocrop/${{ matrix.function }}:${{ github.sha }}-native"), args);
        // A failed native build must not count as success for the overlay job.
        assertTrue(build.path("continue-on-error").isMissingNode(), "continue-on-error would let native-overlay run after a failure");
        JsonNode overlay = jobs.path("native-overlay");
        assertTrue(overlay.path("needs").toString().contains("\"native\""), overlay.path("needs").toString());
        assertTrue(overlay.path("needs").toString().contains("update-overlay"), "the JVM tags the native overlay also uses");
        String run = overlay.findValuesAsText("run").toString();
        assertTrue(run.contains("set-image-tags.sh knative/overlays/homelab-native \"$REGISTRY\" \"$GITHUB_SHA\""), run);
        assertTrue(run.contains("commit-deploy.sh") && run.contains("knative/overlays/homelab-native/kustomization.yaml"), run);
        // The JVM rollout never waits for a native build.
        assertFalse(jobs.path("update-overlay").path("needs").toString().contains("native"));
    }

    @Test
    void theNativeOverlayIsTheHomelabOverlayOnNativeImagesWithTheBootstrapJobOnTheJvm() {
        List<Kustomize.Resource> jvm = Kustomize.render(Repo.path("knative/overlays/homelab")).resources();
        List<Kustomize.Resource> nat = Kustomize.render(Repo.path("knative/overlays/homelab-native")).resources();
        assertEquals(jvm.size(), nat.size());
        for (int i = 0; i < jvm.size(); i++) {
            ObjectNode a = jvm.get(i).doc().deepCopy();
            ObjectNode b = nat.get(i).doc().deepCopy();
            List<String> jvmImages = images(a);
            List<String> nativeImages = images(b);
            for (int j = 0; j < jvmImages.size(); j++) {
                String function = Kustomize.imageName(jvmImages.get(j)).replaceAll(".*/geocrop/", "");
                String expected = jvmImages.get(j);
                if (Deployables.FUNCTIONS.contains(function) && !"Job".equals(jvm.get(i).kind())) {
                    expected = expected + "-native";
                }
                assertEquals(expected, nativeImages.get(j), jvm.get(i).kind() + " " + jvm.get(i).name());
            }
            // Apart from the images, the same objects.
            assertEquals(strip(a), strip(b), jvm.get(i).kind() + " " + jvm.get(i).name());
        }
    }

    @Test
    void setImageTagsKeepsTheNativeSuffixAndTheJvmImageOfTheBootstrapJob(@TempDir Path tmp) throws Exception {
        Path overlay = tmp.resolve("overlays/homelab-native");
        Files.createDirectories(overlay);
        for (Path f : Repo.files("knative/overlays/homelab-native", ".yaml")) {
            Files.copy(f, overlay.resolve(f.getFileName()));
        }
        Files.createSymbolicLink(tmp.resolve("base"), Repo.path("knative/base"));
        Process p = new ProcessBuilder("bash", Repo.path(".gitea/scripts/set-image-tags.sh").toString(),
                overlay.toString(), "registry.example:5000", SHA).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
        for (Kustomize.Resource r : Kustomize.render(overlay).resources()) {
            for (String image : images(r.doc())) {
                String name = Kustomize.imageName(image);
                boolean function = Deployables.FUNCTIONS.stream().anyMatch(f -> name.equals("registry.example:5000/geocrop/" + f));
                String tag = function && !"Job".equals(r.kind()) ? SHA + "-native" : SHA;
                assertEquals(tag, Kustomize.imageTag(image), r.kind() + " " + r.name() + ": " + image);
                assertTrue(name.startsWith("registry.example:5000/geocrop/") && !name.endsWith("-jvm"), image);
            }
        }
    }

    private static List<String> images(JsonNode doc) {
        List<String> out = new ArrayList<>();
        doc.findValues("image").forEach(v -> out.add(v.asText()));
        return out;
    }

    private static ObjectNode strip(ObjectNode doc) {
        for (JsonNode parent : doc.findParents("image")) {
            ((ObjectNode) parent).remove("image");
        }
        return doc;
    }
}
