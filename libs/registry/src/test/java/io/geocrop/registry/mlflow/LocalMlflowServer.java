package io.geocrop.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small, stateful MLflow 2.x tracking server for tests: the endpoints GeoCrop uses, answering with the shapes,
 * status codes and error codes of the MLflow 2.10.2 recordings in {@code shared/data/mlflow-2.10.2} (JSON
 * pretty-printed like gunicorn's answers, errors as {@code {"error_code": ..., "message": ...}} with 400 for
 * {@code RESOURCE_ALREADY_EXISTS}, {@code INVALID_PARAMETER_VALUE} for a missing alias, 404 for
 * {@code RESOURCE_DOES_NOT_EXIST}). It keeps experiments, runs, registered models, versions, aliases and artifacts in
 * memory, assigns ids and versions atomically, and can require a bearer token or fail the next requests on purpose.
 * Shared through {@code geocrop-registry:test-jar}.
 */
public final class LocalMlflowServer implements AutoCloseable {

    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Object lock = new Object();
    private final Map<String, Experiment> experiments = new LinkedHashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, RegisteredModel> models = new LinkedHashMap<>();
    private final Map<String, byte[]> artifacts = new TreeMap<>();
    private final List<String> requests = new ArrayList<>();
    private int nextExperimentId = 1;
    private long clock = 1_795_423_430_000L;
    private volatile String requiredAuthorization;
    private int failuresLeft;
    private int failureStatus;

    private LocalMlflowServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        experiments.put("0", new Experiment("0", "Default", "mlflow-artifacts:/0", now()));
    }

    /** Starts a server on an ephemeral loopback port. */
    public static LocalMlflowServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        LocalMlflowServer mlflow = new LocalMlflowServer(server, executor);
        server.createContext("/", mlflow::handle);
        server.start();
        return mlflow;
    }

    /** The tracking URI, e.g. {@code http://127.0.0.1:40123}. */
    public URI trackingUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requires {@code Authorization: Bearer <token>} on every request from now on; 401 otherwise. */
    public void requireBearerToken(String token) {
        requiredAuthorization = "Bearer " + token;
    }

    /** Requires {@code Authorization: Basic <user:password>} (MLflow's {@code --app-name basic-auth}); 401 otherwise. */
    public void requireBasicAuth(String username, String password) {
        requiredAuthorization = "Basic " + java.util.Base64.getEncoder().encodeToString(
                (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Answers the next {@code count} requests with {@code status} (e.g. 503) instead of handling them. */
    public void failNext(int count, int status) {
        synchronized (lock) {
            failuresLeft = count;
            failureStatus = status;
        }
    }

    /** "METHOD path" of every request received, in order (failed ones included). */
    public List<String> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** A run's state: status, params, metrics (key to last value) and tags. */
    public RunView run(String runId) {
        synchronized (lock) {
            Run r = runs.get(runId);
            if (r == null) {
                throw new IllegalArgumentException("no run " + runId);
            }
            Map<String, Double> last = new TreeMap<>();
            r.metrics.forEach(m -> last.put(m.path("key").asText(), m.path("value").asDouble()));
            return new RunView(r.id, r.experimentId, r.status, r.artifactUri(), Map.copyOf(r.params), last,
                    Map.copyOf(r.tags), r.endTime);
        }
    }

    /** The source and run id of a model version. */
    public VersionView modelVersion(String name, String version) {
        synchronized (lock) {
            ModelVersion v = models.get(name).versions.get(Integer.parseInt(version) - 1);
            return new VersionView(v.name, v.version, v.source, v.runId);
        }
    }

    /** The stored artifact at {@code path} (relative to the proxy root, e.g. {@code 1/<run>/artifacts/model/MLmodel}). */
    public byte[] artifact(String path) {
        synchronized (lock) {
            return artifacts.get(path);
        }
    }

    /** What tests can see of a run. */
    public record RunView(String runId, String experimentId, String status, String artifactUri,
                          Map<String, String> params, Map<String, Double> metrics, Map<String, String> tags,
                          Long endTime) {}

    /** What tests can see of a model version. */
    public record VersionView(String name, String version, String source, String runId) {}

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- HTTP ----------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            synchronized (lock) {
                requests.add(method + " " + path);
                if (failuresLeft > 0) {
                    failuresLeft--;
                    sendText(exchange, failureStatus, "text/html", "<html><body>Injected failure</body></html>");
                    return;
                }
            }
            String auth = requiredAuthorization;
            if (auth != null && !auth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"mlflow\"");
                sendText(exchange, 401, "text/plain", "You are not authenticated. Please see "
                        + "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to "
                        + "authenticate.");
                return;
            }
            Answer answer;
            try {
                answer = route(method, path, query(exchange.getRequestURI()), body);
            } catch (MlflowError e) {
                answer = new Answer(e.status, "application/json", json.writeValueAsBytes(Map.of(
                        "error_code", e.code, "message", e.getMessage())));
            }
            exchange.getResponseHeaders().add("Content-Type", answer.contentType);
            exchange.sendResponseHeaders(answer.status, answer.body.length == 0 ? -1 : answer.body.length);
            exchange.getResponseBody().write(answer.body);
        }
    }

    private Answer route(String method, String path, Map<String, String> query, byte[] body) throws IOException {
        if (path.startsWith(ARTIFACTS)) {
            String key = URLDecoder.decode(path.substring(ARTIFACTS.length()), StandardCharsets.UTF_8);
            if (key.isEmpty() || key.contains("..")) {
                throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Invalid path");
            }
            return switch (method) {
                case "PUT" -> {
                    synchronized (lock) {
                        artifacts.put(key, body);
                    }
                    yield ok(json.createObjectNode());
                }
                case "GET" -> {
                    byte[] data = artifact(key);
                    if (data == null) {
                        throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "File " + key + " not found");
                    }
                    yield new Answer(200, key.endsWith(".json") ? "application/json" : key.endsWith("MLmodel")
                            ? "text/plain" : "application/octet-stream", data);
                }
                default -> throw new MlflowError(405, "ENDPOINT_NOT_FOUND", "Method not allowed");
            };
        }
        if (!path.startsWith(API)) {
            return notFound();
        }
        String endpoint = method + " " + path.substring(API.length());
        JsonNode in = method.equals("POST") ? parseBody(body) : null;
        synchronized (lock) {
            return switch (endpoint) {
                case "POST experiments/create" -> createExperiment(in);
                case "GET experiments/get-by-name" -> experimentByName(required(query, "experiment_name"));
                case "GET experiments/get" -> experimentAnswer(experiment(required(query, "experiment_id")));
                case "POST runs/create" -> createRun(in);
                case "POST runs/log-batch" -> logBatch(in);
                case "POST runs/update" -> updateRun(in);
                case "GET runs/get" -> runAnswer(runRecord(required(query, "run_id")));
                case "POST registered-models/create" -> createRegisteredModel(in);
                case "POST model-versions/create" -> createModelVersion(in);
                case "GET model-versions/get" -> versionAnswer(
                        version(required(query, "name"), required(query, "version")), true);
                case "GET model-versions/get-download-uri" -> ok(json.createObjectNode().put("artifact_uri",
                        version(required(query, "name"), required(query, "version")).source));
                case "POST registered-models/alias" -> setAlias(in);
                case "GET registered-models/alias" -> getAlias(required(query, "name"), required(query, "alias"));
                case "GET registered-models/get" -> getRegisteredModel(required(query, "name"));
                case "POST registered-models/set-tag" -> setRegisteredModelTag(in);
                case "GET model-versions/search" -> searchVersions(required(query, "filter"));
                case "DELETE registered-models/alias" -> deleteAlias(required(query, "name"), required(query, "alias"));
                default -> notFound();
            };
        }
    }

    private Answer createExperiment(JsonNode in) {
        String name = requiredField(in, "name");
        for (Experiment e : experiments.values()) {
            if (e.name.equals(name)) {
                throw new MlflowError(400, "RESOURCE_ALREADY_EXISTS", "Experiment(name=" + name + ") already exists. "
                        + "Error: (raised as a result of Query-invoked autoflush)\n(sqlite3.IntegrityError) UNIQUE "
                        + "constraint failed: experiments.name");
            }
        }
        String id = Integer.toString(nextExperimentId++);
        Experiment e = new Experiment(id, name, "mlflow-artifacts:/" + id, now());
        in.path("tags").forEach(t -> e.tags.put(t.path("key").asText(), t.path("value").asText()));
        experiments.put(id, e);
        return ok(json.createObjectNode().put("experiment_id", id));
    }

    private Answer experimentByName(String name) {
        return experiments.values().stream().filter(e -> e.name.equals(name)).findFirst()
                .map(this::experimentAnswer)
                .orElseThrow(() -> new MlflowError(404, "RESOURCE_DOES_NOT_EXIST",
                        "Could not find experiment with name '" + name + "'"));
    }

    private Answer experimentAnswer(Experiment e) {
        ObjectNode out = json.createObjectNode();
        ObjectNode x = out.putObject("experiment");
        x.put("experiment_id", e.id).put("name", e.name).put("artifact_location", e.artifactLocation)
                .put("lifecycle_stage", "active").put("last_update_time", e.created).put("creation_time", e.created);
        putTags(x, e.tags);
        return ok(out);
    }

    private Answer createRun(JsonNode in) {
        Experiment e = experiment(requiredField(in, "experiment_id"));
        String id = UUID.randomUUID().toString().replace("-", "");
        Run r = new Run(id, e.id, e.artifactLocation, in.path("run_name").asText(null), in.path("start_time").asLong(now()));
        in.path("tags").forEach(t -> r.tags.put(t.path("key").asText(), t.path("value").asText()));
        if (r.name != null) {
            r.tags.put("mlflow.runName", r.name);
        }
        runs.put(id, r);
        ObjectNode out = json.createObjectNode();
        ObjectNode run = out.putObject("run");
        run.set("info", runInfo(r));
        putTags(run.putObject("data"), r.tags);
        return ok(out);
    }

    private Answer logBatch(JsonNode in) {
        Run r = runRecord(requiredField(in, "run_id"));
        for (JsonNode p : in.path("params")) {
            String key = p.path("key").asText();
            String old = r.params.get(key);
            if (old != null && !old.equals(p.path("value").asText())) {
                throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed. "
                        + "Param with key='" + key + "' was already logged with value='" + old + "'");
            }
            r.params.put(key, p.path("value").asText());
        }
        in.path("metrics").forEach(r.metrics::add);
        in.path("tags").forEach(t -> r.tags.put(t.path("key").asText(), t.path("value").asText()));
        return ok(json.createObjectNode());
    }

    private Answer updateRun(JsonNode in) {
        Run r = runRecord(requiredField(in, "run_id"));
        r.status = in.path("status").asText(r.status);
        if (in.has("end_time")) {
            r.endTime = in.get("end_time").asLong();
        }
        ObjectNode out = json.createObjectNode();
        out.set("run_info", runInfo(r));
        return ok(out);
    }

    private Answer runAnswer(Run r) {
        ObjectNode out = json.createObjectNode();
        ObjectNode run = out.putObject("run");
        run.set("info", runInfo(r));
        ObjectNode data = run.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        r.metrics.forEach(metrics::add);
        ArrayNode params = data.putArray("params");
        r.params.forEach((k, v) -> params.addObject().put("key", k).put("value", v));
        putTags(data, r.tags);
        run.putObject("inputs");
        return ok(out);
    }

    private Answer createRegisteredModel(JsonNode in) {
        String name = requiredField(in, "name");
        if (models.containsKey(name)) {
            throw new MlflowError(400, "RESOURCE_ALREADY_EXISTS", "Registered Model (name=" + name + ") already exists.");
        }
        RegisteredModel m = new RegisteredModel(name, in.path("description").asText(""), now());
        models.put(name, m);
        ObjectNode out = json.createObjectNode();
        out.putObject("registered_model").put("name", name).put("creation_timestamp", m.created)
                .put("last_updated_timestamp", m.created).put("description", m.description);
        return ok(out);
    }

    private Answer createModelVersion(JsonNode in) {
        String name = requiredField(in, "name");
        RegisteredModel m = registered(name);
        String source = requiredField(in, "source");
        String runId = in.path("run_id").asText("");
        if (!runId.isEmpty()) {
            runRecord(runId);
        }
        ModelVersion v = new ModelVersion(name, Integer.toString(m.versions.size() + 1), source, runId, now());
        m.versions.add(v);
        return versionAnswer(v, false);
    }

    private Answer versionAnswer(ModelVersion v, boolean withAliases) {
        ObjectNode out = json.createObjectNode();
        ObjectNode x = out.putObject("model_version");
        x.put("name", v.name).put("version", v.version).put("creation_timestamp", v.created)
                .put("last_updated_timestamp", v.created).put("current_stage", "None").put("description", "")
                .put("source", v.source).put("run_id", v.runId).put("status", "READY").put("run_link", "");
        if (withAliases) {
            ArrayNode aliases = x.putArray("aliases");
            registered(v.name).aliases.forEach((alias, version) -> {
                if (version.equals(v.version)) {
                    aliases.add(alias);
                }
            });
        }
        return ok(out);
    }

    private Answer setAlias(JsonNode in) {
        String name = requiredField(in, "name");
        String alias = requiredField(in, "alias");
        String version = requiredField(in, "version");
        version(name, version);
        registered(name).aliases.put(alias, version);
        return ok(json.createObjectNode());
    }

    private Answer getAlias(String name, String alias) {
        RegisteredModel m = models.get(name);
        String version = m == null ? null : m.aliases.get(alias);
        if (version == null) {
            // MLflow 2.10.2 answers a missing alias (also of an unknown model) this way: recording 23.
            throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Registered model alias " + alias + " not found.");
        }
        return versionAnswer(version(name, version), true);
    }

    /** The shape of recording 20, with {@code tags} as MLflow 2.10 adds them once a tag is set. */
    private Answer getRegisteredModel(String name) {
        RegisteredModel m = registered(name);
        ObjectNode out = json.createObjectNode();
        ObjectNode x = out.putObject("registered_model");
        x.put("name", name).put("creation_timestamp", m.created).put("last_updated_timestamp", m.created)
                .put("description", m.description);
        if (!m.versions.isEmpty()) {
            ModelVersion v = m.versions.getLast();
            x.putArray("latest_versions").addObject().put("name", name).put("version", v.version)
                    .put("current_stage", "None").put("source", v.source).put("run_id", v.runId).put("status", "READY");
        }
        if (!m.tags.isEmpty()) {
            ArrayNode tags = x.putArray("tags");
            m.tags.forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
        }
        if (!m.aliases.isEmpty()) {
            ArrayNode aliases = x.putArray("aliases");
            m.aliases.forEach((alias, version) -> aliases.addObject().put("alias", alias).put("version", version));
        }
        return ok(out);
    }

    private Answer setRegisteredModelTag(JsonNode in) {
        String name = requiredField(in, "name");
        String key = requiredField(in, "key");
        String value = in.path("value").asText("");
        if (key.length() > 250 || value.length() > 5000) {
            throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Tag key or value too long");
        }
        registered(name).tags.put(key, value);
        return ok(json.createObjectNode());
    }

    /** Only the {@code name='x'} filter GeoCrop sends; one page. */
    private Answer searchVersions(String filter) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name\\s*=\\s*'([^']*)'").matcher(filter);
        if (!m.matches()) {
            throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Unsupported filter: " + filter);
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode versions = out.putArray("model_versions");
        RegisteredModel model = models.get(m.group(1));
        if (model != null) {
            for (ModelVersion v : model.versions.reversed()) {
                versions.addObject().put("name", v.name).put("version", v.version).put("creation_timestamp", v.created)
                        .put("current_stage", "None").put("source", v.source).put("run_id", v.runId)
                        .put("status", "READY");
            }
        }
        return ok(out);
    }

    private Answer deleteAlias(String name, String alias) {
        registered(name).aliases.remove(alias);
        return ok(json.createObjectNode());
    }

    // ---- state -----------------------------------------------------------------------------------------------

    private Experiment experiment(String id) {
        Experiment e = experiments.get(id);
        if (e == null) {
            throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + id + " exists");
        }
        return e;
    }

    private Run runRecord(String id) {
        Run r = runs.get(id);
        if (r == null) {
            throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + id + " not found");
        }
        return r;
    }

    private RegisteredModel registered(String name) {
        RegisteredModel m = models.get(name);
        if (m == null) {
            throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
        }
        return m;
    }

    private ModelVersion version(String name, String version) {
        RegisteredModel m = registered(name);
        int n;
        try {
            n = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Model version must be an integer, got '" + version + "'");
        }
        if (n < 1 || n > m.versions.size()) {
            throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "Model Version (name=" + name + ", version="
                    + version + ") not found");
        }
        return m.versions.get(n - 1);
    }

    private ObjectNode runInfo(Run r) {
        ObjectNode info = json.createObjectNode();
        info.put("run_uuid", r.id).put("experiment_id", r.experimentId).put("run_name", r.name).put("user_id", "")
                .put("status", r.status).put("start_time", r.startTime);
        if (r.endTime != null) {
            info.put("end_time", r.endTime);
        }
        info.put("artifact_uri", r.artifactUri()).put("lifecycle_stage", "active").put("run_id", r.id);
        return info;
    }

    private long now() {
        return ++clock;
    }

    private void putTags(ObjectNode node, Map<String, String> tags) {
        if (!tags.isEmpty()) {
            ArrayNode array = node.putArray("tags");
            tags.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
        }
    }

    private JsonNode parseBody(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MlflowError(400, "MALFORMED_REQUEST", "Request body is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new MlflowError(400, "MALFORMED_REQUEST", "Malformed JSON body");
        }
    }

    private static String requiredField(JsonNode in, String field) {
        String value = in.path(field).asText("");
        if (value.isEmpty()) {
            throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter '" + field + "'.");
        }
        return value;
    }

    private static String required(Map<String, String> query, String field) {
        String value = query.get(field);
        if (value == null || value.isEmpty()) {
            throw new MlflowError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter '" + field + "'.");
        }
        return value;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private Answer ok(ObjectNode node) {
        try {
            return new Answer(200, "application/json", json.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer notFound() {
        return new Answer(404, "text/html; charset=utf-8", ("<!doctype html><title>404 Not Found</title><h1>Not Found"
                + "</h1>").getBytes(StandardCharsets.UTF_8));
    }

    private static void sendText(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private record Answer(int status, String contentType, byte[] body) {}

    private static final class MlflowError extends RuntimeException {
        final int status;
        final String code;

        MlflowError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private static final class Experiment {
        final String id;
        final String name;
        final String artifactLocation;
        final long created;
        final Map<String, String> tags = new LinkedHashMap<>();

        Experiment(String id, String name, String artifactLocation, long created) {
            this.id = id;
            this.name = name;
            this.artifactLocation = artifactLocation;
            this.created = created;
        }
    }

    private static final class Run {
        final String id;
        final String experimentId;
        final String experimentArtifacts;
        final String name;
        final long startTime;
        final Map<String, String> params = new LinkedHashMap<>();
        final List<JsonNode> metrics = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        String status = "RUNNING";
        Long endTime;

        Run(String id, String experimentId, String experimentArtifacts, String name, long startTime) {
            this.id = id;
            this.experimentId = experimentId;
            this.experimentArtifacts = experimentArtifacts;
            this.name = name;
            this.startTime = startTime;
        }

        String artifactUri() {
            return experimentArtifacts + "/" + id + "/artifacts";
        }
    }

    private static final class RegisteredModel {
        final String name;
        final String description;
        final long created;
        final List<ModelVersion> versions = new ArrayList<>();
        final Map<String, String> aliases = new LinkedHashMap<>();
        final Map<String, String> tags = new java.util.TreeMap<>();

        RegisteredModel(String name, String description, long created) {
            this.name = name;
            this.description = description;
            this.created = created;
        }
    }

    private record ModelVersion(String name, String version, String source, String runId, long created) {}
}
