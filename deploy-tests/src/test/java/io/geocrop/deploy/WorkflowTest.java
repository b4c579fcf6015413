package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Gitea workflows. No workflow schema is in shared/data, so the structure is checked here: triggers,
 * jobs with runs-on and steps, third-party actions pinned to a full commit SHA, container images pinned,
 * nothing :latest, Kaniko instead of Docker-in-Docker, SHA tags, and the overlay commit back for Argo CD.
 */
class WorkflowTest {
    private static final Pattern PINNED_ACTION = Pattern.compile("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$");

    static List<Path> workflows() {
        return Repo.files(".gitea/workflows", ".yaml", ".yml");
    }

    /** Problems of one workflow document (empty = fine). */
    static List<String> problems(String name, JsonNode wf, String text) {
        List<String> problems = new ArrayList<>();
        if (!wf.hasNonNull("name")) {
            problems.add(name + ": no name");
        }
        if (!wf.has("on")) {
            problems.add(name + ": no 'on' trigger");
        }
        if (!wf.path("jobs").isObject() || wf.path("jobs").isEmpty()) {
            problems.add(name + ": no jobs");
        }
        wf.path("jobs").properties().forEach(job -> {
            String where = name + " job " + job.getKey();
            JsonNode j = job.getValue();
            if (!j.hasNonNull("runs-on")) {
                problems.add(where + ": no runs-on");
            }
            if (!j.path("timeout-minutes").isNumber()) {
                problems.add(where + ": no timeout-minutes");
            }
            if (!j.path("steps").isArray() || j.path("steps").isEmpty()) {
                problems.add(where + ": no steps");
            }
            String image = j.path("container").isTextual() ? j.path("container").asText() : j.path("container").path("image").asText(null);
            if (image != null && !image.contains("@sha256:")) {
                problems.add(where + ": container image " + image + " is not pinned by digest");
            }
            for (JsonNode step : j.path("steps")) {
                boolean uses = step.hasNonNull("uses");
                boolean run = step.hasNonNull("run");
                if (uses == run) {
                    problems.add(where + ": a step needs exactly one of uses/run: " + step);
                }
                if (uses) {
                    String action = step.path("uses").asText();
                    if (!action.startsWith("./") && !PINNED_ACTION.matcher(action).matches()) {
                        problems.add(where + ": action " + action + " is not pinned to a 40-hex commit SHA");
                    }
                }
            }
        });
        if (Pattern.compile(":latest\\b").matcher(text).find()) {
            problems.add(name + ": mentions a :latest image");
        }
        if (Pattern.compile("docker (build|push)|docker:dind|dind").matcher(text).find()) {
            problems.add(name + ": uses Docker-in-Docker");
        }
        return problems;
    }

    @Test
    void everyWorkflowIsWellFormedAndPinned() {
        List<Path> files = workflows();
        assertTrue(files.size() >= 2, files.toString());
        List<String> problems = new ArrayList<>();
        for (Path f : files) {
            problems.addAll(problems(Repo.rel(f), Repo.yaml(f), Repo.read(f)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void ciRunsTheTestSuite() {
        JsonNode ci = Repo.yaml(Repo.path(".gitea/workflows/ci.yaml"));
        assertTrue(ci.path("on").has("push") && ci.path("on").has("pull_request"));
        String runs = ci.findValuesAsText("run").toString();
        assertTrue(runs.contains("bash .ci/run"), "ci.yaml must run the project's test entry point");
        assertTrue(ci.findValuesAsText("java-version").contains("25"));
    }

    @Test
    void buildPushBuildsEveryFunctionWithKanikoTaggedWithTheSha() {
        Path file = Repo.path(".gitea/workflows/build-push.yaml");
        JsonNode wf = Repo.yaml(file);
        JsonNode image = wf.path("jobs").path("image");
        List<String> matrix = new ArrayList<>();
        image.path("strategy").path("matrix").path("function").forEach(f -> matrix.add(f.asText()));
        assertEquals(Deployables.FUNCTIONS.stream().sorted().toList(), matrix.stream().sorted().toList());
        assertTrue(image.path("container").path("image").asText().startsWith("gcr.io/kaniko-project/executor:"));
        String script = image.findValuesAsText("run").toString();
        assertTrue(script.contains("/kaniko/executor"));
        assertTrue(script.contains("--dockerfile \"functions/${{ matrix.function }}/Dockerfile\""), script);
        // Tag = the commit SHA, registry from the repository variable.
        assertTrue(script.contains("--destination \"${REGISTRY}/geocrop/${{ matrix.function }}:${GITHUB_SHA}\""), script);
        assertEquals("${{ vars.REGISTRY }}", wf.path("env").path("REGISTRY").asText());
        // Then the overlay is pointed at the SHA and committed back, after every image was pushed.
        JsonNode update = wf.path("jobs").path("update-overlay");
        assertEquals("image", update.path("needs").asText());
        String updateRun = update.findValuesAsText("run").toString();
        assertTrue(updateRun.contains(".gitea/scripts/set-image-tags.sh knative/overlays/homelab \"$REGISTRY\" \"$GITHUB_SHA\""), updateRun);
        assertTrue(updateRun.contains("git push"), updateRun);
        // The overlay commit must not trigger another build.
        assertTrue(wf.path("on").path("push").path("paths-ignore").toString().contains("knative/overlays/**"));
        // A native-image job exists and does not gate the rollout.
        JsonNode nativeJob = wf.path("jobs").path("native");
        assertTrue(nativeJob.isObject(), "no native build job");
        assertTrue(nativeJob.findValuesAsText("run").toString().contains("infra/docker/native.Dockerfile"));
        assertFalse(update.path("needs").toString().contains("native"));
    }

    @Test
    void unpinnedActionsAndLatestImagesAreCaught() {
        String text = """
                name: bad
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-latest
                    timeout-minutes: 5
                    container:
                      image: gcr.io/kaniko-project/executor:latest
                    steps:
                      - uses: actions/checkout@v4
                      - run: echo
                        uses: actions/setup-java@c5195efecf7bdfc987ee8bae7a71cb8b11521c00
                """;
        List<String> problems = problems("bad.yaml", Repo.yamlDocuments("bad.yaml", text).getFirst(), text);
        assertTrue(problems.stream().anyMatch(p -> p.contains("actions/checkout@v4 is not pinned")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("not pinned by digest")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains(":latest")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("exactly one of uses/run")), problems.toString());
    }
}
