package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MinIO's least privilege: {@code setup.sh} of {@code 320-minio-setup-configmap.yaml} runs as the Job runs it, with
 * a recording {@code mc} first on the PATH (no MinIO binary on this machine), and the users, policies and
 * attachments it makes are checked; every policy document is validated (structure, S3 actions, bucket/prefix
 * resources) and evaluated with IAM's rules for the accesses each function needs and the ones it must not have.
 */
class MinioSetupTest {
    private static final List<String> USERS = List.of("submit-job", "extract-features", "score-tile", "tile-render", "mlflow");
    private static final Set<String> BUCKETS = Set.of("geocrop-models", "geocrop-baselines", "geocrop-results",
            "geocrop-datasets", "geocrop-features");
    private static final Set<String> OBJECT_ACTIONS = Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
            "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    private static final Set<String> BUCKET_ACTIONS = Set.of("s3:HeadBucket", "s3:ListBucket");
    private static final Pattern RESOURCE = Pattern.compile("^arn:aws:s3:::([a-z0-9-]+)(/[a-z0-9-]+/\\*)?$");
    /** A recording mc: one line per call, arguments separated by tabs. */
    private static final String FAKE_MC = """
            #!/bin/sh
            { for a in "$@"; do printf '%s\\t' "$a"; done; echo; } >> "$MC_LOG"
            exit 0
            """;

    private static JsonNode configMap;
    private static Path mounted;

    @BeforeAll
    static void mount(@TempDir Path tmp) {
        configMap = InfraScripts.configMap("infra/k8s", "minio-setup");
        mounted = InfraScripts.mount(configMap, tmp.resolve("scripts"));
    }

    @Test
    void theScriptPassesShellcheck() {
        assertEquals(List.of(), InfraScripts.shellcheckAll(mounted));
    }

    @Test
    void createsOneUserAndItsOwnPolicyPerFunction(@TempDir Path tmp) throws Exception {
        Map<String, String> env = env(tmp);
        InfraScripts.run(List.of("/bin/sh", mounted.resolve("setup.sh").toString()), env, tmp).assertSucceeded("setup.sh");
        List<List<String>> calls = calls(tmp);
        assertTrue(calls.contains(List.of("alias", "set", "geocrop", "http://minio.geocrop.svc.cluster.local:9000", "root-user", "root-password-0123456789")),
                calls.toString());
        for (String bucket : BUCKETS) {
            assertTrue(calls.contains(List.of("mb", "--ignore-existing", "geocrop/" + bucket)), bucket);
        }
        Set<String> accessKeys = new TreeSet<>();
        for (String user : USERS) {
            String access = env.get(var(user, "ACCESS_KEY"));
            String secret = env.get(var(user, "SECRET_KEY"));
            accessKeys.add(access);
            assertTrue(calls.contains(List.of("admin", "policy", "create", "geocrop", "geocrop-" + user,
                    mounted.resolve("policy-" + user + ".json").toString())), user + ": " + calls);
            assertTrue(calls.contains(List.of("admin", "user", "add", "geocrop", access, secret)), user);
            assertTrue(calls.contains(List.of("admin", "policy", "attach", "geocrop", "geocrop-" + user, "--user", access)), user);
        }
        // Every attachment is one of ours, to one of ours: no built-in readwrite/consoleAdmin, nothing for root.
        for (List<String> call : calls) {
            if (call.size() > 2 && call.get(0).equals("admin") && call.get(2).equals("attach")) {
                assertTrue(call.get(4).startsWith("geocrop-") && accessKeys.contains(call.get(6)), call.toString());
            }
            assertFalse(call.contains("readwrite") || call.contains("consoleAdmin") || call.contains("writeonly"), call.toString());
        }
        assertEquals(USERS.size(), calls.stream().filter(c -> c.size() > 2 && c.get(1).equals("user") && c.get(2).equals("add")).count());
    }

    @Test
    void refusesToRunWithoutAFunctionsKeys(@TempDir Path tmp) throws Exception {
        Map<String, String> env = env(tmp);
        env.put(var("score-tile", "SECRET_KEY"), null);
        InfraScripts.Run run = InfraScripts.run(List.of("/bin/sh", mounted.resolve("setup.sh").toString()), env, tmp);
        assertNotEquals(0, run.exit());
        assertTrue(run.output().contains("secret key (16+ characters) of score-tile must be set"), run.output());
        assertTrue(calls(tmp).stream().noneMatch(c -> c.contains("geocrop-score-tile")), "nothing done for score-tile");
    }

    @Test
    void theJobPassesEachUsersSecret() {
        JsonNode job = Deployables.render("infra/k8s").ofKind("Job").stream().filter(r -> r.name().equals("minio-setup"))
                .findFirst().orElseThrow().doc();
        Map<String, String> env = InfraScripts.env(job.at("/spec/template/spec/containers/0"));
        for (String user : USERS) {
            assertEquals("secret:geocrop-s3-" + user + "/access-key", env.get(var(user, "ACCESS_KEY")), user);
            assertEquals("secret:geocrop-s3-" + user + "/secret-key", env.get(var(user, "SECRET_KEY")), user);
        }
    }

    @Test
    void everyPolicyIsWellFormedAndNarrow() {
        List<String> problems = new ArrayList<>();
        for (String user : USERS) {
            JsonNode policy = policy(user);
            String where = "policy-" + user + ".json";
            if (!"2012-10-17".equals(policy.path("Version").asText())) {
                problems.add(where + ": Version must be 2012-10-17");
            }
            if (!policy.path("Statement").isArray() || policy.path("Statement").isEmpty()) {
                problems.add(where + ": no Statement list");
            }
            for (JsonNode s : policy.path("Statement")) {
                if (!"Allow".equals(s.path("Effect").asText())) {
                    problems.add(where + ": Effect " + s.path("Effect"));
                }
                for (JsonNode a : s.path("Action")) {
                    String action = a.asText();
                    if (!OBJECT_ACTIONS.contains(action) && !BUCKET_ACTIONS.contains(action)) {
                        problems.add(where + ": action " + action + " (wildcards and admin actions are not allowed)");
                    }
                    for (JsonNode r : s.path("Resource")) {
                        var m = RESOURCE.matcher(r.asText());
                        if (!m.matches() || !BUCKETS.contains(m.group(1))) {
                            problems.add(where + ": resource " + r.asText() + " is not one of GeoCrop's buckets or a prefix in one");
                        } else if (OBJECT_ACTIONS.contains(action) == (m.group(2) == null)) {
                            problems.add(where + ": " + action + " on " + r.asText()
                                    + " (object actions need bucket/prefix/*, bucket actions a bucket)");
                        }
                    }
                    if (action.equals("s3:ListBucket") && s.at("/Condition/StringLike/s3:prefix").isMissingNode()) {
                        problems.add(where + ": s3:ListBucket without an s3:prefix condition lists the whole bucket");
                    }
                }
                if (!s.path("Action").isArray() || !s.path("Resource").isArray()) {
                    problems.add(where + ": Action and Resource must be lists");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void eachFunctionReachesWhatItsCodeUsesAndNothingElse() {
        // What the code does (libs/storage ObjectKeys prefixes; the functions' ObjectStore calls).
        allow("extract-features", "s3:PutObject", "geocrop-features", "jobs/6f1c/0_0.tif");
        allow("extract-features", "s3:GetObject", "geocrop-features", "jobs/6f1c/0_0.tif");
        deny("extract-features", "s3:DeleteObject", "geocrop-features", "jobs/6f1c/0_0.tif");
        deny("extract-features", "s3:PutObject", "geocrop-features", "uploads/x.tif");
        deny("extract-features", "s3:PutObject", "geocrop-results", "results/6f1c/crop-map.tif");

        allow("score-tile", "s3:GetObject", "geocrop-features", "uploads/field.tif");
        allow("score-tile", "s3:PutObject", "geocrop-results", "results/6f1c/crop-map.tif");
        allow("score-tile", "s3:DeleteObject", "geocrop-results", "uploads/field.error.json");
        deny("score-tile", "s3:PutObject", "geocrop-features", "jobs/6f1c/0_0.tif");
        deny("score-tile", "s3:GetObject", "geocrop-models", "mlflow/1/artifacts/model.onnx");
        deny("score-tile", "s3:PutObject", "geocrop-baselines", "dw/zim/summer/2023/x.tif");

        allow("tile-render", "s3:GetObject", "geocrop-results", "results/6f1c/crop-map.tif");
        allow("tile-render", "s3:GetObject", "geocrop-baselines", "dw/zim/summer/2023/cell.tif");
        allowList("tile-render", "geocrop-baselines", "dw/zim/summer/2023/");
        denyList("tile-render", "geocrop-results", "results/");
        denyList("tile-render", "geocrop-baselines", "");
        deny("tile-render", "s3:PutObject", "geocrop-results", "results/6f1c/crop-map.tif");
        deny("tile-render", "s3:GetObject", "geocrop-features", "uploads/field.tif");

        allow("submit-job", "s3:GetObject", "geocrop-results", "results/6f1c/summary.json");
        allow("submit-job", "s3:GetObject", "geocrop-features", "jobs/6f1c/0_0.tif");
        deny("submit-job", "s3:PutObject", "geocrop-results", "results/6f1c/summary.json");
        deny("submit-job", "s3:GetObject", "geocrop-datasets", "labels.csv");

        allow("mlflow", "s3:PutObject", "geocrop-models", "mlflow/1/abc/artifacts/model.onnx");
        allowList("mlflow", "geocrop-models", "mlflow/1/");
        deny("mlflow", "s3:GetObject", "geocrop-results", "results/6f1c/crop-map.tif");
        deny("mlflow", "s3:PutObject", "geocrop-models", "geocrop-crop-type/aliases/champion.json");

        for (String user : USERS) {
            for (String bucket : BUCKETS) {
                for (String action : List.of("s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:PutBucketNotification")) {
                    assertFalse(allowed(user, action, bucket, null, null), user + " may " + action + " " + bucket);
                }
                // Every function checks the buckets at start (ensureBuckets: HEAD bucket).
                if (!user.equals("mlflow")) {
                    assertTrue(allowed(user, "s3:HeadBucket", bucket, null, null), user + " cannot HEAD " + bucket);
                }
            }
            assertFalse(allowed(user, "s3:GetObject", "geocrop-datasets", "labels.csv", null), user);
        }
    }

    @Test
    void theEvaluatorRefusesWhatNoStatementAllows() {
        assertFalse(allowed("tile-render", "s3:GetObject", "geocrop-results", "results", null), "a prefix without the slash");
        assertFalse(allowed("tile-render", "s3:GetObject", "geocrop-resultsx", "results/a", null));
    }

    // ---- IAM evaluation (Allow statements only; a request is allowed when one statement matches) ----

    private static boolean allowed(String user, String action, String bucket, String key, String listPrefix) {
        String resource = "arn:aws:s3:::" + bucket + (key == null ? "" : "/" + key);
        for (JsonNode s : policy(user).path("Statement")) {
            boolean actionMatches = false;
            for (JsonNode a : s.path("Action")) {
                actionMatches |= a.asText().equals(action);
            }
            boolean resourceMatches = false;
            for (JsonNode r : s.path("Resource")) {
                resourceMatches |= glob(r.asText(), resource);
            }
            boolean conditionHolds = true;
            JsonNode prefixes = s.at("/Condition/StringLike/s3:prefix");
            if (!prefixes.isMissingNode()) {
                conditionHolds = false;
                for (JsonNode p : prefixes) {
                    conditionHolds |= listPrefix != null && glob(p.asText(), listPrefix);
                }
            }
            if (actionMatches && resourceMatches && conditionHolds) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String pattern, String value) {
        return value.matches(Pattern.quote(pattern).replace("*", "\\E.*\\Q"));
    }

    private static void allow(String user, String action, String bucket, String key) {
        assertTrue(allowed(user, action, bucket, key, null), user + " cannot " + action + " " + bucket + "/" + key);
    }

    private static void deny(String user, String action, String bucket, String key) {
        assertFalse(allowed(user, action, bucket, key, null), user + " may " + action + " " + bucket + "/" + key);
    }

    private static void allowList(String user, String bucket, String prefix) {
        assertTrue(allowed(user, "s3:ListBucket", bucket, null, prefix), user + " cannot list " + bucket + "/" + prefix);
    }

    private static void denyList(String user, String bucket, String prefix) {
        assertFalse(allowed(user, "s3:ListBucket", bucket, null, prefix), user + " may list " + bucket + "/" + prefix);
    }

    // ---- helpers ----

    private static JsonNode policy(String user) {
        String text = configMap.path("data").path("policy-" + user + ".json").asText(null);
        assertTrue(text != null, "no policy-" + user + ".json in the minio-setup ConfigMap");
        try {
            return Repo.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("policy-" + user + ".json is not JSON: " + e.getMessage(), e);
        }
    }

    private static String var(String user, String key) {
        return "S3_" + user.toUpperCase().replace('-', '_') + "_" + key;
    }

    private static Map<String, String> env(Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path mc = bin.resolve("mc");
        Files.writeString(mc, FAKE_MC);
        Files.setPosixFilePermissions(mc, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("MC_LOG", tmp.resolve("mc.log").toString());
        env.put("MINIO_ROOT_USER", "root-user");
        env.put("MINIO_ROOT_PASSWORD", "root-password-0123456789");
        for (String user : USERS) {
            env.put(var(user, "ACCESS_KEY"), "ak-" + user);
            env.put(var(user, "SECRET_KEY"), "sk-" + user + "-0123456789abcdef");
        }
        return env;
    }

    private static List<List<String>> calls(Path tmp) throws Exception {
        Path log = tmp.resolve("mc.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream().map(l -> List.of(l.split("\t"))).toList();
    }
}
