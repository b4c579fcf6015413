package io.geocrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The native images' reachability metadata covers what the functions really load: the four function jars run one
 * job end to end as in {@link MultiProcessE2eTest} (score-tile on ONNX Runtime, so its JNI library loads too), plus
 * the read paths (results, tiles, legend, model card, a problem answer, metrics), each process recorded
 * ({@link LoadRecording}: every classpath resource it found, and the JVM's own {@code -Xlog:class+load} and
 * {@code -Xlog:library}). Then, per function:
 * <ul>
 *   <li>every resource found is matched by a {@code resources} glob of the function's
 *       {@code reachability-metadata.json} (a native image without it would not find it);</li>
 *   <li>a loaded libdeflate (FFM, {@code io.geocrop.raster.codec.Zlib}) has each of Zlib's downcall descriptors
 *       registered under {@code foreign.downcalls};</li>
 *   <li>a loaded ONNX Runtime JNI library has the classes it calls back registered under {@code jni}, and its
 *       libraries as resources.</li>
 * </ul>
 * Recordings stay in {@code e2e/target/native-loads/<millis>/} for reading.
 */
class NativeResourceCoverageE2eTest {
    private static final List<String> FUNCTIONS = List.of("submit-job", "extract-features", "score-tile", "tile-render");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LIBRARY = Pattern.compile("Loaded library ([^,\\s]+)");

    /**
     * Zlib's five downcalls ({@code libs/raster/.../codec/Zlib.java}), as native-image spells them: returnType,
     * parameterTypes, options ({@code Linker.Option.critical(true)} on the two that take heap arrays).
     */
    static final List<String> LIBDEFLATE_DOWNCALLS = List.of(
            "void*[]{}",
            "jint[\"void*\",\"void*\",\"jlong\",\"void*\",\"jlong\",\"void*\"]{\"critical\":{\"allowHeapAccess\":true}}",
            "void*[\"jint\"]{}",
            "jlong[\"void*\",\"void*\",\"jlong\",\"void*\",\"jlong\"]{\"critical\":{\"allowHeapAccess\":true}}",
            "jlong[\"void*\",\"jlong\"]{}");

    /** The classes libonnxruntime4j_jni.so finds by name (its FindClass strings, 1.29.0). */
    static final List<String> ONNXRUNTIME_JNI_TYPES = List.of("ai.onnxruntime.MapInfo", "ai.onnxruntime.NodeInfo",
            "ai.onnxruntime.OnnxMap", "ai.onnxruntime.OnnxModelMetadata", "ai.onnxruntime.OnnxSequence",
            "ai.onnxruntime.OnnxSparseTensor", "ai.onnxruntime.OnnxTensor", "ai.onnxruntime.OnnxValue",
            "ai.onnxruntime.OrtException", "ai.onnxruntime.SequenceInfo", "ai.onnxruntime.TensorInfo",
            "java.lang.String");

    @Test
    void everyResourceAndNativeLibraryAFunctionLoadsIsInItsReachabilityMetadata() throws Exception {
        // -Dgeocrop.e2e.native-loads=<a recording's folder> checks that recording again without a new run (to try a
        // change to the metadata quickly); otherwise the cluster runs and is recorded.
        String earlier = System.getProperty("geocrop.e2e.native-loads", "");
        Path dir = earlier.isBlank() ? record() : Path.of(earlier);
        List<String> problems = new ArrayList<>();
        for (String f : FUNCTIONS) {
            problems.addAll(uncovered(dir, f));
        }
        assertTrue(problems.isEmpty(), "not in the reachability metadata (recordings in " + dir + "):\n"
                + String.join("\n", problems));
    }

    /** Runs the job and the read paths with every function recorded; returns the recording's folder. */
    private static Path record() throws Exception {
        Path dir = Files.createDirectories(Cluster.root().resolve("e2e/target/native-loads/" + System.currentTimeMillis()));
        LoadRecording.recordInto(dir);
        try (Cluster cluster = Cluster.start(FUNCTIONS, Map.of("GEOCROP_SCORING_RUNTIME", "onnxruntime"))) {
            Cluster.Reply created = cluster.post("submit-job", "/jobs", MultiProcessE2eTest.JOB);
            assertEquals(202, created.status(), String.valueOf(created.body()));
            String id = created.body().get("id").asText();
            JsonNode view = cluster.awaitJob(id, v -> "completed".equals(v.path("state").asText()),
                    MultiProcessE2eTest.JOB_TIMEOUT);
            assertEquals("completed", view.path("state").asText(), "job " + view);
            // The read paths a cluster serves, so their resources are recorded too.
            for (String name : List.of("summary", "preview", "cog")) {
                assertEquals(200, get(cluster, "submit-job", "/jobs/" + id + "/results/" + name));
            }
            get(cluster, "submit-job", "/model");
            assertEquals(400, cluster.post("submit-job", "/jobs", "{not json").status());
            get(cluster, "tile-render", "/tiles/job-" + id + "-class/tilejson.json");
            get(cluster, "tile-render", "/tiles/job-" + id + "-class/12/2403/1857.png");
            get(cluster, "tile-render", "/legend/job-" + id + "-class");
            for (String f : FUNCTIONS) {
                get(cluster, f, "/health");
                get(cluster, f, "/prometheus");
            }
        } finally {
            LoadRecording.recordInto(null);
        }
        return dir;
    }

    /** What function {@code f} loaded in the recording under {@code dir} that its metadata does not cover. */
    static List<String> uncovered(Path dir, String f) throws Exception {
        NativeMetadata metadata = NativeMetadata.read(NativeMetadata.file(Cluster.root(), f));
        List<String> problems = new ArrayList<>();
        List<String> resources = Files.readAllLines(LoadRecording.resources(dir, f));
        assertTrue(resources.contains("application.yml"), f + " recorded no application.yml: is the recorder working?");
        for (String name : new TreeSet<>(resources)) {
            if (!metadata.covers(name)) {
                problems.add(f + ": resource " + name);
            }
        }
        Map<String, String> libraries = new LinkedHashMap<>();
        // The JVM's own libraries (logged by name or path) are not the function's.
        Path jdkLibs = Path.of(System.getProperty("java.home"), "lib").toRealPath();
        for (String line : Files.readAllLines(LoadRecording.jvmLog(dir, f))) {
            Matcher m = LIBRARY.matcher(line);
            if (m.find() && !m.group(1).startsWith(jdkLibs.toString())
                    && !Files.exists(jdkLibs.resolve(Path.of(m.group(1)).getFileName()))) {
                libraries.put(Path.of(m.group(1)).getFileName().toString(), m.group(1));
            }
        }
        for (String library : libraries.keySet()) {
            if (library.startsWith("libdeflate")) {
                for (String downcall : LIBDEFLATE_DOWNCALLS) {
                    if (!metadata.downcalls().contains(downcall)) {
                        problems.add(f + ": libdeflate loaded, downcall not registered: " + downcall);
                    }
                }
            } else if (library.contains("onnxruntime")) {
                for (String type : ONNXRUNTIME_JNI_TYPES) {
                    if (!metadata.jniTypes().contains(type)) {
                        problems.add(f + ": " + library + " loaded, JNI type not registered: " + type);
                    }
                }
            } else {
                problems.add(f + ": native library " + libraries.get(library) + " loaded, no metadata rule for it");
            }
        }
        return problems;
    }

    private static int get(Cluster cluster, String function, String path) throws Exception {
        URI uri = cluster.function(function).url().resolve(path);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
