package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow behind authentication: the basic-auth ini written by {@code render-auth-config.sh} is parsed by Python's
 * configparser as MLflow parses it; {@code create-users.py} runs against a recording endpoint that answers like
 * MLflow's user API (no MLflow on this machine); the Deployment runs the basic-auth app on a release past the
 * published advisories, pinned by digest, and reads the ini its init container writes.
 */
class MlflowAuthTest {
    /** 3.13.0 fixed the last advisory we know of (trace API authorization, CVE-2026-8147); 2.x path traversals earlier. */
    private static final int[] MINIMUM_VERSION = {3, 13, 0};
    private static final Pattern IMAGE = Pattern.compile("^ghcr\\.io/mlflow/mlflow:v(\\d+)\\.(\\d+)\\.(\\d+)@sha256:[0-9a-f]{64}$");

    private static Path mounted;

    @BeforeAll
    static void mount(@TempDir Path tmp) {
        mounted = InfraScripts.mount(InfraScripts.configMap("infra/k8s", "mlflow-auth"), tmp.resolve("scripts"));
    }

    @Test
    void theScriptsPassShellcheckAndParse() {
        assertEquals(List.of(), InfraScripts.shellcheckAll(mounted));
        InfraScripts.run(List.of("python3", "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())",
                mounted.resolve("create-users.py").toString()), Map.of(), null).assertSucceeded("create-users.py parses");
    }

    @Test
    void theIniIsWhatMlflowReads(@TempDir Path tmp) throws Exception {
        Path ini = tmp.resolve("basic_auth.ini");
        InfraScripts.run(List.of("sh", mounted.resolve("render-auth-config.sh").toString(), ini.toString()), authEnv(), tmp)
                .assertSucceeded("render-auth-config.sh");
        // mlflow.server.auth.config.read_auth_config: configparser.ConfigParser(), section "mlflow".
        String json = InfraScripts.run(List.of("python3", "-c",
                "import configparser, json, sys; c = configparser.ConfigParser(); c.read(sys.argv[1]); print(json.dumps(dict(c['mlflow'])))",
                ini.toString()), Map.of(), null).assertSucceeded("configparser").output();
        JsonNode config = Repo.JSON.readTree(json);
        assertEquals("READ", config.path("default_permission").asText());
        assertEquals("geocrop-admin", config.path("admin_username").asText());
        assertEquals("admin-password-0123456789", config.path("admin_password").asText());
        assertEquals("postgresql://geocrop_mlflow:db-password-0123456789@postgres.geocrop.svc.cluster.local:5433/mlflow_auth",
                config.path("database_uri").asText());
        assertEquals("mlflow.server.auth:authenticate_request_basic_auth", config.path("authorization_function").asText());
        assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(ini), "the ini holds passwords: owner only");
    }

    @Test
    void aMissingOrUnsafePasswordIsRefused(@TempDir Path tmp) {
        for (var bad : List.of(Map.of("MLFLOW_ADMIN_PASSWORD", ""), Map.of("DB_PASSWORD", "has%percent-and-more-chars"),
                Map.of("MLFLOW_ADMIN_PASSWORD", "short"))) {
            Map<String, String> env = authEnv();
            env.putAll(bad);
            InfraScripts.Run run = InfraScripts.run(List.of("sh", mounted.resolve("render-auth-config.sh").toString(),
                    tmp.resolve("x.ini").toString()), env, tmp);
            assertNotEquals(0, run.exit(), bad.toString());
            assertTrue(run.output().contains("mlflow auth: " + bad.keySet().iterator().next()), run.output());
            assertTrue(!Files.exists(tmp.resolve("x.ini")));
        }
    }

    @Test
    void createUsersMakesScoreTileAReaderAndIsIdempotent() throws Exception {
        List<String> calls = new ArrayList<>();
        Set<String> users = ConcurrentHashMap.newKeySet();
        String admin = "Basic " + Base64.getEncoder().encodeToString("geocrop-admin:admin-password-0123456789".getBytes(StandardCharsets.UTF_8));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            calls.add(exchange.getRequestMethod() + " " + path + " " + body);
            int status;
            String reply = "{}";
            if (!admin.equals(exchange.getRequestHeaders().getFirst("Authorization")) && !path.equals("/health")) {
                status = 401;
            } else if (path.equals("/api/2.0/mlflow/users/create")) {
                String user = Repo.JSON.readTree(body).path("username").asText();
                status = users.add(user) ? 200 : 400;
                reply = status == 200 ? "{\"user\":{}}" : "{\"error_code\":\"RESOURCE_ALREADY_EXISTS\",\"message\":\"User exists\"}";
            } else {
                status = path.equals("/health") || path.startsWith("/api/2.0/mlflow/users/update-") ? 200 : 404;
            }
            byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = authEnv();
            env.put("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + server.getAddress().getPort());
            env.put("MLFLOW_SCORE_TILE_PASSWORD", "score-tile-password-0123");
            env.put("MLFLOW_SUBMIT_JOB_PASSWORD", "submit-job-password-0123");
            List<String> command = List.of("python3", mounted.resolve("create-users.py").toString());
            InfraScripts.run(command, env, null).assertSucceeded("create-users.py");
            assertTrue(calls.contains("POST /api/2.0/mlflow/users/create {\"username\": \"score-tile\", \"password\": \"score-tile-password-0123\"}"), calls.toString());
            assertTrue(calls.contains("PATCH /api/2.0/mlflow/users/update-admin {\"username\": \"score-tile\", \"is_admin\": false}"), calls.toString());
            // submit-job's user, for the model card of GET /model: created, and no admin either.
            assertTrue(calls.contains("POST /api/2.0/mlflow/users/create {\"username\": \"submit-job\", \"password\": \"submit-job-password-0123\"}"), calls.toString());
            assertTrue(calls.contains("PATCH /api/2.0/mlflow/users/update-admin {\"username\": \"submit-job\", \"is_admin\": false}"), calls.toString());
            calls.clear();
            InfraScripts.run(command, env, null).assertSucceeded("create-users.py again");
            assertTrue(calls.contains("PATCH /api/2.0/mlflow/users/update-password {\"username\": \"score-tile\", \"password\": \"score-tile-password-0123\"}"),
                    calls.toString());
            // A wrong admin password is an error, not a silent success.
            env.put("MLFLOW_ADMIN_PASSWORD", "wrong-password-0123456789");
            InfraScripts.Run denied = InfraScripts.run(command, env, null);
            assertNotEquals(0, denied.exit());
            assertTrue(denied.output().contains("HTTP 401"), denied.output());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theDeploymentRunsTheBasicAuthAppOnACurrentReleasePinnedByDigest() {
        JsonNode spec = Deployables.render("infra/k8s").ofKind("Deployment").stream().filter(r -> r.name().equals("mlflow"))
                .findFirst().orElseThrow().doc().at("/spec/template/spec");
        List<JsonNode> containers = new ArrayList<>();
        spec.path("initContainers").forEach(containers::add);
        spec.path("containers").forEach(containers::add);
        for (JsonNode c : containers) {
            String image = c.path("image").asText();
            if (image.matches("^[^@]+/geocrop/mlflow@sha256:[0-9a-f]{64}$")) {
                // GeoCrop's MLflow image (drivers baked in, issue 15), pinned by digest: its base is the release.
                Matcher base = Pattern.compile("(?m)^ARG MLFLOW_IMAGE=(\\S+)$").matcher(Repo.read(Repo.path("infra/docker/mlflow.Dockerfile")));
                assertTrue(base.find(), "infra/docker/mlflow.Dockerfile names no MLFLOW_IMAGE");
                image = base.group(1);
            }
            Matcher m = IMAGE.matcher(image);
            assertTrue(m.matches(), c.path("name").asText() + ": " + image + " is not an MLflow release pinned by digest");
            int[] version = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
            assertTrue(java.util.Arrays.compare(version, MINIMUM_VERSION) >= 0, image + " predates the advisories' fixes");
        }
        JsonNode server = spec.at("/containers/0");
        String command = server.path("command").toString();
        assertTrue(command.contains("\"--app-name\",\"basic-auth\""), command);
        assertTrue(command.contains("postgresql://geocrop_mlflow:$(DB_PASSWORD)@"), command);
        Map<String, String> env = InfraScripts.env(server);
        String written = null;
        for (JsonNode c : spec.path("initContainers")) {
            if (c.path("command").toString().contains("render-auth-config.sh")) {
                written = c.path("command").get(2).asText();
            }
        }
        assertEquals("/run/mlflow-auth/basic_auth.ini", written);
        assertEquals(written, env.get("MLFLOW_AUTH_CONFIG_PATH"));
        assertEquals("secret:geocrop-mlflow-admin/flask-secret-key", env.get("MLFLOW_FLASK_SERVER_SECRET_KEY"));
        assertEquals("secret:geocrop-s3-mlflow/access-key", env.get("AWS_ACCESS_KEY_ID"));
    }

    private static Map<String, String> authEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("MLFLOW_ADMIN_USERNAME", "geocrop-admin");
        env.put("MLFLOW_ADMIN_PASSWORD", "admin-password-0123456789");
        env.put("DB_PASSWORD", "db-password-0123456789");
        return env;
    }
}
