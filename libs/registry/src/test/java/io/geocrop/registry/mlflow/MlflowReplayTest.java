package io.geocrop.registry.mlflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds {@link MlflowRestClient} to the MLflow 2.10.2 recordings: for each recorded call the client makes, a local
 * server answers with the recorded response, and the test checks that the client sent the recorded method, path,
 * query and body, and read the answer right. Timestamps and ids are inputs of these calls (the registry takes them
 * from its clock and from earlier answers), so they are given the recorded values and compared exactly.
 */
class MlflowReplayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN = "94dcf295602e4b74b5fbbe62d2d9af26";
    private static final String RUN_ARTIFACTS = "mlflow-artifacts:/1/" + RUN + "/artifacts";

    /** Recordings of calls GeoCrop makes, each replayed by a test below. */
    private static final Set<String> REPLAYED = Set.of(
            "01_experiments_create.txt", "03_runs_create.txt", "06_runs_log_batch.txt", "08_artifact_put_MLmodel.txt",
            "09_artifact_put_json.txt", "12_artifact_get_MLmodel.txt", "13_runs_update.txt",
            "15_registered_models_create.txt", "16_model_versions_create.txt", "17_registered_models_set_alias.txt",
            "18_registered_models_get_alias.txt", "19_model_versions_get_download_uri.txt",
            "20_registered_models_get.txt", "21_model_versions_get.txt", "23_error_get_alias_missing.txt", "24_error_experiment_duplicate.txt");

    /** Recordings of calls GeoCrop does not make, and why (docs/registry.md says the same). */
    private static final Map<String, String> NOT_USED = Map.of(
            "02_experiments_get.txt", "the run's artifact_uri already says where artifacts go",
            "04_runs_log_metric.txt", "metrics go in one runs/log-batch",
            "05_runs_log_parameter.txt", "params go in one runs/log-batch",
            "07_metrics_get_history.txt", "GeoCrop logs one final value per metric",
            "10_artifact_list_proxy.txt", "file names in a model folder are fixed",
            "11_artifacts_list_tracking.txt", "file names in a model folder are fixed",
            "14_runs_get.txt", "the card carries params and metrics; the run is not read back",
            "22_runs_search.txt", "models are found by alias, not by searching runs");

    @Test
    void everyRecordingIsEitherReplayedOrDeliberatelyUnused() throws IOException {
        Set<String> files;
        try (Stream<Path> list = Files.list(MlflowRecording.directory())) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d_.*\\.txt"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> accounted = new TreeSet<>(REPLAYED);
        accounted.addAll(NOT_USED.keySet());
        assertEquals(files, accounted);
    }

    @Test
    void createExperiment01() throws IOException {
        String id = replay("01_experiments_create.txt",
                c -> c.createExperiment("peer-check", Map.of("purpose", "feasibility")));
        assertEquals("1", id);
    }

    @Test
    void duplicateExperimentIsResourceAlreadyExists24() throws IOException {
        MlflowException e = replay("24_error_experiment_duplicate.txt",
                c -> assertThrows(MlflowException.class, () -> c.createExperiment("peer-check", Map.of())));
        assertTrue(e.is(MlflowException.RESOURCE_ALREADY_EXISTS));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("Experiment(name=peer-check) already exists"), e.getMessage());
        // The server's SQL dump is cut short: an error message is for a log line, not a page.
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    @Test
    void createRun03() throws IOException {
        MlflowRunInfo run = replay("03_runs_create.txt",
                c -> c.createRun("1", "run-1", 1795423430814L, Map.of("mlflow.user", "peer")));
        assertEquals(new MlflowRunInfo(RUN, "1", "RUNNING", RUN_ARTIFACTS), run);
    }

    @Test
    void logBatch06() throws IOException {
        replay("06_runs_log_batch.txt", c -> {
            c.logBatch(RUN, List.of(new MlflowMetric("loss", 0.2, 1795423430814L, 2)), Map.of("epochs", "3"),
                    Map.of("stage", "dev"));
            return null;
        });
    }

    @Test
    void uploadMlmodel08() throws IOException {
        byte[] mlmodel = MlflowRecording.load("08_artifact_put_MLmodel.txt").requestBody();
        assertEquals(114, mlmodel.length); // the recorded Content-Length
        replay("08_artifact_put_MLmodel.txt", c -> {
            c.uploadArtifact(RUN_ARTIFACTS, "model/MLmodel", mlmodel);
            return null;
        });
    }

    @Test
    void uploadJson09() throws IOException {
        byte[] json = MlflowRecording.load("09_artifact_put_json.txt").requestBody();
        replay("09_artifact_put_json.txt", c -> {
            c.uploadArtifact(RUN_ARTIFACTS, "result.json", json);
            return null;
        });
    }

    @Test
    void registeredModel20() throws IOException {
        MlflowRestClient.RegisteredModel m = replay("20_registered_models_get.txt", c -> c.registeredModel("peer-model")
                .orElseThrow());
        assertEquals(Map.of("champion", "1"), m.aliases(), "models list reads the aliases from here");
        assertEquals(Map.of(), m.tags(), "and the audit entries from the tags (none recorded)");
    }

    @Test
    void downloadArtifact12() throws IOException {
        byte[] data = replay("12_artifact_get_MLmodel.txt", c -> c.downloadArtifact(RUN_ARTIFACTS + "/model", "MLmodel"));
        // What 08 uploaded is what 12 downloads.
        assertArrayEquals(MlflowRecording.load("08_artifact_put_MLmodel.txt").requestBody(), data);
    }

    @Test
    void finishRun13() throws IOException {
        MlflowRunInfo run = replay("13_runs_update.txt", c -> c.updateRun(RUN, "FINISHED", 1795423432560L));
        assertEquals(new MlflowRunInfo(RUN, "1", "FINISHED", RUN_ARTIFACTS), run);
    }

    @Test
    void createRegisteredModel15() throws IOException {
        replay("15_registered_models_create.txt", c -> {
            c.createRegisteredModel("peer-model", "feasibility check");
            return null;
        });
    }

    @Test
    void createModelVersion16() throws IOException {
        MlflowModelVersion v = replay("16_model_versions_create.txt",
                c -> c.createModelVersion("peer-model", RUN_ARTIFACTS + "/model", RUN));
        assertEquals(new MlflowModelVersion("peer-model", "1", RUN_ARTIFACTS + "/model", RUN, "READY", List.of()), v);
    }

    @Test
    void setAlias17() throws IOException {
        replay("17_registered_models_set_alias.txt", c -> {
            c.setAlias("peer-model", "champion", "1");
            return null;
        });
    }

    @Test
    void getAlias18() throws IOException {
        Optional<MlflowModelVersion> v = replay("18_registered_models_get_alias.txt",
                c -> c.modelVersionByAlias("peer-model", "champion"));
        assertEquals(Optional.of(new MlflowModelVersion("peer-model", "1", RUN_ARTIFACTS + "/model", RUN, "READY",
                List.of("champion"))), v);
    }

    @Test
    void downloadUri19() throws IOException {
        assertEquals(RUN_ARTIFACTS + "/model", replay("19_model_versions_get_download_uri.txt",
                c -> c.downloadUri("peer-model", "1")));
    }

    @Test
    void getModelVersion21() throws IOException {
        Optional<MlflowModelVersion> v = replay("21_model_versions_get.txt", c -> c.modelVersion("peer-model", "1"));
        assertEquals("READY", v.orElseThrow().status());
        assertEquals(List.of("champion"), v.orElseThrow().aliases());
    }

    @Test
    void missingAliasIsEmpty23() throws IOException {
        assertEquals(Optional.empty(), replay("23_error_get_alias_missing.txt",
                c -> c.modelVersionByAlias("peer-model", "nope")));
    }

    // ---- replay ----------------------------------------------------------------------------------------------

    private interface Call<T> {
        T apply(MlflowRestClient client);
    }

    private static <T> T replay(String file, Call<T> call) throws IOException {
        assertTrue(REPLAYED.contains(file), file + " is not listed as replayed");
        MlflowRecording recording = MlflowRecording.load(file);
        try (MlflowReplayServer server = MlflowReplayServer.serve(recording);
             MlflowRestClient client = new MlflowRestClient(MlflowSettings.of(server.uri()))) {
            T result = call.apply(client);
            List<MlflowReplayServer.Received> received = server.received();
            assertEquals(1, received.size(), recording + ": requests " + received);
            assertMatches(recording, received.getFirst());
            return result;
        }
    }

    private static void assertMatches(MlflowRecording recorded, MlflowReplayServer.Received sent) throws IOException {
        assertEquals(recorded.method(), sent.method(), recorded + ": method");
        assertEquals(recorded.path(), sent.rawPath(), recorded + ": path");
        assertEquals(query(recorded.rawQuery()), query(sent.rawQuery()), recorded + ": query");
        String contentType = sent.headers().getOrDefault("Content-type", List.of()).stream().findFirst().orElse(null);
        if (recorded.requestBody() == null) {
            assertEquals(0, sent.body().length, recorded + ": a request without body");
        } else if (recorded.requestBodyIsJson()) {
            assertEquals(JSON.readTree(recorded.requestBody()), JSON.readTree(sent.body()), recorded + ": JSON body");
            assertEquals("application/json", contentType, recorded + ": content type");
        } else {
            assertArrayEquals(recorded.requestBody(), sent.body(), recorded + ": file body");
            assertEquals(recorded.requestContentType(), contentType, recorded + ": content type");
        }
        assertFalse(sent.headers().containsKey("Authorization"), "no credentials configured, none sent");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
