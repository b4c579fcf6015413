package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
                    if (action.startsWith("docker://")) {
                        if (!action.contains("@sha256:")) {
                            problems.add(where + ": step image " + action + " is not pinned by digest");
                        }
                    } else if (!action.startsWith("./") && !PINNED_ACTION.matcher(action).matches()) {
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

    /**
     * Why act could not run a job, or a step would fail for a missing tool (empty = fine): the job's container (its
     * runs-on label's image or {@code container:}) needs /bin/sleep and a shell, node for {@code uses:} actions, and
     * every program a {@code run:} step calls; a {@code docker://} step needs a known, digest-pinned image with an
     * entrypoint.
     */
    static List<String> runnerProblems(String name, JsonNode wf) {
        List<String> problems = new ArrayList<>();
        wf.path("jobs").properties().forEach(job -> {
            String where = name + " job " + job.getKey();
            JsonNode j = job.getValue();
            String reference = j.path("container").isTextual() ? j.path("container").asText()
                    : j.path("container").path("image").asText(null);
            if (reference == null) {
                reference = RunnerImages.LABELS.get(j.path("runs-on").asText());
                if (reference == null) {
                    problems.add(where + ": runs-on '" + j.path("runs-on").asText() + "' is not a label of the stock runner "
                            + RunnerImages.LABELS.keySet());
                    return;
                }
            }
            RunnerImages.Image image = RunnerImages.lookup(reference);
            if (image == null) {
                problems.add(where + ": job image " + reference + " is not in the runner image table (RunnerImages)");
                return;
            }
            if (!image.binSleep() || image.shell() == null || !image.shell().startsWith("/bin") && !image.tools().contains(image.shell())) {
                problems.add(where + ": act starts the job container " + reference + " with /bin/sleep and drives it with a "
                        + "shell; this image lacks them");
            }
            for (JsonNode step : j.path("steps")) {
                String uses = step.path("uses").asText("");
                if (uses.startsWith("docker://")) {
                    String stepImage = uses.substring("docker://".length());
                    RunnerImages.Image known = RunnerImages.lookup(stepImage);
                    if (!stepImage.contains("@sha256:")) {
                        problems.add(where + ": step image " + stepImage + " is not pinned by digest");
                    }
                    if (known == null || known.entrypoint() == null) {
                        problems.add(where + ": step image " + stepImage + " has no known entrypoint");
                    }
                } else if (!uses.isEmpty() && !uses.startsWith("./") && !image.node()) {
                    problems.add(where + ": action " + uses + " needs node in " + reference);
                }
                if (step.hasNonNull("run")) {
                    for (String command : commands(step.path("run").asText())) {
                        if (!image.tools().contains(command) && RunnerImages.CHECKED_OUT_SCRIPTS.stream().noneMatch(command::startsWith)) {
                            problems.add(where + " step '" + step.path("name").asText() + "': " + command + " is not in " + reference);
                        }
                    }
                }
            }
        });
        return problems;
    }

    /** The programs a shell script calls: the first word of every simple command, keywords, builtins and assignments skipped. */
    static List<String> commands(String script) {
        List<String> out = new ArrayList<>();
        String joined = script.replace("\\\n", " ");
        for (String line : joined.split("\n")) {
            String code = line.replaceAll("(^|\\s)#.*$", "").replaceAll("\\$\\{\\{[^}]*}}", "X");
            for (String part : code.split("&&|\\|\\||;|\\||\\$\\(|`|\\(|\\)")) {
                String[] words = part.trim().split("\\s+");
                for (String word : words) {
                    if (word.isEmpty() || word.matches("[A-Za-z_][A-Za-z0-9_]*=.*") || word.startsWith(">") || word.startsWith("<")) {
                        if (word.isEmpty()) {
                            break;
                        }
                        continue;
                    }
                    if (RunnerImages.SHELL_WORDS.contains(word)) {
                        if (Set.of("then", "do", "else", "!", "{", "if", "while", "until", "elif").contains(word)) {
                            continue;
                        }
                        break;
                    }
                    if (!word.matches("[\\w./-]+")) {
                        break;
                    }
                    out.add(word);
                    break;
                }
            }
        }
        return out;
    }

    @Test
    void aStockActRunnerCanStartEveryJobAndEveryStepFindsItsTools() {
        List<String> problems = new ArrayList<>();
        for (Path f : workflows()) {
            problems.addAll(runnerProblems(Repo.rel(f), Repo.yaml(f)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void kanikoAsAJobContainerOrAMissingToolIsCaught() {
        String text = """
                name: bad
                on: push
                jobs:
                  image:
                    runs-on: ubuntu-latest
                    timeout-minutes: 5
                    container:
                      image: gcr.io/kaniko-project/executor:v1.23.2-debug@sha256:c3109d5926a997b100c4343944e06c6b30a6804b2f9abe0994d3de6ef92b028e
                    steps:
                      - run: /kaniko/executor --context git://example/repo.git
                  other:
                    runs-on: ubuntu-latest
                    timeout-minutes: 5
                    steps:
                      - name: push
                        run: |
                          if skopeo copy a b && git push; then echo ok; fi
                      - uses: docker://gcr.io/kaniko-project/executor:v1.23.2
                """;
        List<String> problems = runnerProblems("bad.yaml", Repo.yamlDocuments("bad.yaml", text).getFirst());
        assertTrue(problems.stream().anyMatch(p -> p.contains("job image") || p.contains("/bin/sleep")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("skopeo is not in")), problems.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("git is not in")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.contains("not pinned by digest")), problems.toString());
        assertEquals(List.of("git", "skopeo"), commands("if git x && skopeo y; then echo ok; fi"));
        assertEquals(List.of("cat", "bash"), commands("digest=$(cat f)\nFOO=1 bash .gitea/scripts/x.sh \"$A\" # a comment"));
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
        // Kaniko as a docker:// step with the checked-out workspace as its context: no job container without
        // /bin/sleep, no git clone over HTTPS by Kaniko.
        assertTrue(image.path("container").isMissingNode(), "the image job must run in the runner's own image");
        JsonNode kaniko = null;
        for (JsonNode step : image.path("steps")) {
            if (step.path("uses").asText().startsWith("docker://gcr.io/kaniko-project/executor:")) {
                kaniko = step;
            }
        }
        assertNotNull(kaniko, "no Kaniko docker:// step");
        String args = kaniko.path("with").path("args").asText();
        assertTrue(args.contains("--context=dir://${{ github.workspace }}"), args);
        assertTrue(args.contains("--dockerfile=infra/docker/function.Dockerfile"), args);
        assertTrue(args.contains("--build-arg=FUNCTION=${{ matrix.function }}"), args);
        // Tag = the commit SHA, registry from the repository variable.
        assertTrue(args.contains("--destination=${{ vars.REGISTRY }}/geocrop/${{ matrix.function }}:${{ github.sha }}"), args);
        assertEquals("${{ github.workspace }}/.kaniko", kaniko.path("env").path("DOCKER_CONFIG").asText());
        assertEquals("${{ vars.REGISTRY }}", wf.path("env").path("REGISTRY").asText());
        // Then the overlay is pointed at the SHA and committed back, after every image was pushed.
        JsonNode update = wf.path("jobs").path("update-overlay");
        assertTrue(update.path("needs").toString().contains("\"image\"") && update.path("needs").toString().contains("mlflow-image"));
        // The web app's image, tagged with the SHA like the functions, before the overlay commit.
        assertTrue(update.path("needs").toString().contains("web-image"), update.path("needs").toString());
        String webArgs = wf.path("jobs").path("web-image").findValuesAsText("args").toString();
        assertTrue(webArgs.contains("--dockerfile=infra/docker/web.Dockerfile"), webArgs);
        assertTrue(webArgs.contains("--context=dir://${{ github.workspace }}"), webArgs);
        assertTrue(webArgs.contains("--destination=${{ vars.REGISTRY }}/geocrop/web:${{ github.sha }}"), webArgs);
        assertTrue(wf.path("jobs").path("web-image").path("container").isMissingNode());
        String updateRun = update.findValuesAsText("run").toString();
        assertTrue(updateRun.contains("bash .gitea/scripts/set-image-tags.sh \"$overlay\" \"$REGISTRY\" \"$GITHUB_SHA\""), updateRun);
        for (String overlay : List.of("knative/overlays/homelab", "knative/overlays/homelab-small")) {
            assertTrue(updateRun.contains(overlay), overlay);
        }
        assertTrue(updateRun.contains("set-image-digest.sh infra/k8s geocrop/mlflow"), updateRun);
        assertTrue(updateRun.contains("commit-deploy.sh"), updateRun);
        // The overlay commit must not trigger another build.
        assertTrue(wf.path("on").path("push").path("paths-ignore").toString().contains("knative/overlays/**"));
        // A native-image job exists and does not gate the rollout.
        JsonNode nativeJob = wf.path("jobs").path("native");
        assertTrue(nativeJob.isObject(), "no native build job");
        assertTrue(nativeJob.findValuesAsText("args").toString().contains("--dockerfile=infra/docker/native.Dockerfile"));
        // MLflow: its image is built and its digest handed to the overlay commit.
        assertTrue(wf.path("jobs").path("mlflow-image").findValuesAsText("args").toString().contains("infra/docker/mlflow.Dockerfile"));
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
