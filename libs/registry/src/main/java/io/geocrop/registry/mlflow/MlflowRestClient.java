package io.geocrop.registry.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.raster.io.Backoff;
import io.geocrop.raster.io.BoundedBodySubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The MLflow 2.x REST calls GeoCrop makes, with {@code java.net.http} and Jackson: tracking
 * ({@code /api/2.0/mlflow/experiments|runs/...}), the model registry ({@code registered-models},
 * {@code model-versions}, aliases) and the artifact proxy ({@code /api/2.0/mlflow-artifacts/artifacts/...}).
 * Request and answer shapes follow the recordings in {@code shared/data/mlflow-2.10.2} (the replay tests hold each
 * call to its recording).
 *
 * <p>Every call has a connect and an answer timeout. Connection failures, 429 and 503 are retried for every call;
 * other 5xx answers and timeouts only for calls that are safe to repeat (reads, PUTs, and creates whose repeat
 * answers {@code RESOURCE_ALREADY_EXISTS}); {@code runs/create} and {@code model-versions/create} are not repeated
 * after a request may have reached the server, since that could create a second run or version.
 */
public final class MlflowRestClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowRestClient.class);
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final String ARTIFACT_SCHEME = "mlflow-artifacts:";
    private static final long MAX_JSON_BYTES = 16L << 20;
    private static final int MAX_ERROR_MESSAGE = 300;
    private static final Duration BACKOFF_INITIAL = Duration.ofMillis(200);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private final MlflowSettings settings;
    private final String base;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** A client with its own {@link HttpClient}; {@link #close()} releases it. */
    public MlflowRestClient(MlflowSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        String uri = settings.trackingUri().toString();
        this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        if (settings.token() != null) {
            this.authorization = "Bearer " + settings.token();
        } else if (settings.username() != null) {
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                    (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
        } else {
            this.authorization = null;
        }
        // HTTP/1.1: MLflow runs on gunicorn, which does not speak h2c; an upgrade attempt only costs a round trip.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The settings this client was built with. */
    public MlflowSettings settings() {
        return settings;
    }

    // ---- tracking -------------------------------------------------------------------------------------------

    /**
     * {@code POST experiments/create}.
     *
     * @return the new experiment's id
     * @throws MlflowException {@code RESOURCE_ALREADY_EXISTS} when the name is taken (recording 24)
     */
    public String createExperiment(String name, Map<String, String> tags) {
        ObjectNode body = json.createObjectNode().put("name", name);
        putKeyValues(body, "tags", tags);
        return text(post("experiments/create", body, Retry.SAFE), "experiment_id");
    }

    /**
     * {@code GET experiments/get-by-name}.
     *
     * @return the experiment's id and lifecycle stage ({@code active} or {@code deleted}), or empty when no
     *         experiment has that name
     */
    public Optional<Experiment> experimentByName(String name) {
        try {
            JsonNode e = get(API + "experiments/get-by-name", Map.of("experiment_name", name)).path("experiment");
            return Optional.of(new Experiment(e.path("experiment_id").asText(), e.path("name").asText(),
                    e.path("lifecycle_stage").asText("active"), e.path("artifact_location").asText(null)));
        } catch (MlflowException e) {
            if (e.is(MlflowException.RESOURCE_DOES_NOT_EXIST)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code POST runs/create}: a RUNNING run in the experiment. Not retried once the request may have arrived. */
    public MlflowRunInfo createRun(String experimentId, String runName, long startTimeMillis, Map<String, String> tags) {
        ObjectNode body = json.createObjectNode().put("experiment_id", experimentId).put("start_time", startTimeMillis);
        if (runName != null) {
            body.put("run_name", runName);
        }
        putKeyValues(body, "tags", tags);
        return runInfo(post("runs/create", body, Retry.UNSENT_ONLY).path("run").path("info"));
    }

    /**
     * {@code POST runs/log-batch}. MLflow takes at most 1000 metrics, 100 params and 100 tags per call; the caller
     * splits larger sets.
     */
    public void logBatch(String runId, List<MlflowMetric> metrics, Map<String, String> params,
                         Map<String, String> tags) {
        ObjectNode body = json.createObjectNode().put("run_id", runId);
        if (!metrics.isEmpty()) {
            ArrayNode array = body.putArray("metrics");
            for (MlflowMetric m : metrics) {
                array.addObject().put("key", m.key()).put("value", m.value()).put("timestamp", m.timestamp())
                        .put("step", m.step());
            }
        }
        putKeyValues(body, "params", params);
        putKeyValues(body, "tags", tags);
        post("runs/log-batch", body, Retry.SAFE);
    }

    /** {@code POST runs/update}: ends a run with {@code FINISHED}, {@code FAILED} or {@code KILLED}. */
    public MlflowRunInfo updateRun(String runId, String status, long endTimeMillis) {
        ObjectNode body = json.createObjectNode().put("run_id", runId).put("status", status)
                .put("end_time", endTimeMillis);
        return runInfo(post("runs/update", body, Retry.SAFE).path("run_info"));
    }

    // ---- model registry -------------------------------------------------------------------------------------

    /**
     * {@code POST registered-models/create}.
     *
     * @throws MlflowException {@code RESOURCE_ALREADY_EXISTS} when the name is registered already
     */
    public void createRegisteredModel(String name, String description) {
        ObjectNode body = json.createObjectNode().put("name", name);
        if (description != null) {
            body.put("description", description);
        }
        post("registered-models/create", body, Retry.SAFE);
    }

    /** {@code POST model-versions/create}: the next version of {@code name}. Not retried once it may have arrived. */
    public MlflowModelVersion createModelVersion(String name, String source, String runId) {
        ObjectNode body = json.createObjectNode().put("name", name).put("source", source);
        if (runId != null) {
            body.put("run_id", runId);
        }
        return modelVersion(post("model-versions/create", body, Retry.UNSENT_ONLY).path("model_version"));
    }

    /** {@code GET model-versions/get}, or empty when the model or version does not exist. */
    public Optional<MlflowModelVersion> modelVersion(String name, String version) {
        try {
            return Optional.of(modelVersion(get(API + "model-versions/get", ordered("name", name, "version", version))
                    .path("model_version")));
        } catch (MlflowException e) {
            if (e.is(MlflowException.RESOURCE_DOES_NOT_EXIST)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code GET model-versions/get-download-uri}: where the version's files are, as the server resolves it. */
    public String downloadUri(String name, String version) {
        return text(get(API + "model-versions/get-download-uri", ordered("name", name, "version", version)),
                "artifact_uri");
    }

    /** {@code POST registered-models/alias}: points {@code alias} at {@code version}. */
    public void setAlias(String name, String alias, String version) {
        ObjectNode body = json.createObjectNode().put("name", name).put("alias", alias).put("version", version);
        post("registered-models/alias", body, Retry.SAFE);
    }

    /**
     * {@code GET registered-models/alias}: the version {@code alias} points at, or empty when the alias or the
     * model does not exist. MLflow 2.10 answers a missing alias with 400 {@code INVALID_PARAMETER_VALUE}
     * "Registered model alias ... not found." (recording 23); other servers use {@code RESOURCE_DOES_NOT_EXIST}.
     */
    public Optional<MlflowModelVersion> modelVersionByAlias(String name, String alias) {
        try {
            return Optional.of(modelVersion(get(API + "registered-models/alias", ordered("name", name, "alias", alias))
                    .path("model_version")));
        } catch (MlflowException e) {
            if (e.is(MlflowException.RESOURCE_DOES_NOT_EXIST) || e.is(MlflowException.INVALID_PARAMETER_VALUE)
                    && e.getMessage().contains("alias") && e.getMessage().contains("not found")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * {@code GET registered-models/get}: the model's aliases (alias to version) and tags, or empty when the name is
     * not registered.
     */
    public Optional<RegisteredModel> registeredModel(String name) {
        JsonNode m;
        try {
            m = get(API + "registered-models/get", Map.of("name", name)).path("registered_model");
        } catch (MlflowException e) {
            if (e.is(MlflowException.RESOURCE_DOES_NOT_EXIST)) {
                return Optional.empty();
            }
            throw e;
        }
        Map<String, String> aliases = new java.util.TreeMap<>();
        m.path("aliases").forEach(a -> aliases.put(a.path("alias").asText(), a.path("version").asText()));
        Map<String, String> tags = new java.util.TreeMap<>();
        m.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
        return Optional.of(new RegisteredModel(name, aliases, tags));
    }

    /** {@code GET model-versions/search} with {@code filter=name='<name>'}, every page: the model's versions. */
    public List<MlflowModelVersion> modelVersions(String name) {
        List<MlflowModelVersion> out = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            // Registered names are checked by RegistryNames (no quotes), so the filter needs no escaping.
            query.put("filter", "name='" + name + "'");
            query.put("max_results", "200");
            if (token != null) {
                query.put("page_token", token);
            }
            JsonNode page = get(API + "model-versions/search", query);
            page.path("model_versions").forEach(v -> out.add(modelVersion(v)));
            token = page.hasNonNull("next_page_token") && !page.get("next_page_token").asText().isEmpty()
                    ? page.get("next_page_token").asText() : null;
        } while (token != null);
        return out;
    }

    /** {@code POST registered-models/set-tag}: sets a tag on the registered model (values up to 5000 characters). */
    public void setRegisteredModelTag(String name, String key, String value) {
        ObjectNode body = json.createObjectNode().put("name", name).put("key", key).put("value", value);
        post("registered-models/set-tag", body, Retry.SAFE);
    }

    // ---- artifact proxy -------------------------------------------------------------------------------------

    /**
     * {@code PUT /api/2.0/mlflow-artifacts/artifacts/<path>}: stores {@code data} as {@code relativePath} under
     * {@code artifactUri} (a run's {@code mlflow-artifacts:/...} URI, recordings 08 and 09).
     */
    public void uploadArtifact(String artifactUri, String relativePath, byte[] data) {
        String path = artifactPath(artifactUri, relativePath);
        HttpRequest request = request(URI.create(base + ARTIFACTS + path))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build();
        send(request, Retry.SAFE, MAX_JSON_BYTES);
    }

    /**
     * {@code GET /api/2.0/mlflow-artifacts/artifacts/<path>} (recording 12), at most
     * {@link MlflowSettings#maxArtifactBytes()} bytes.
     *
     * @throws MlflowException status 404 when there is no such file
     */
    public byte[] downloadArtifact(String artifactUri, String relativePath) {
        String path = artifactPath(artifactUri, relativePath);
        HttpRequest request = request(URI.create(base + ARTIFACTS + path)).GET().build();
        return send(request, Retry.SAFE, settings.maxArtifactBytes());
    }

    /**
     * The artifact-proxy path of a file: {@code mlflow-artifacts:/1/<run>/artifacts} plus {@code model/model.onnx}
     * gives {@code 1/<run>/artifacts/model/model.onnx}, each segment percent-encoded. A
     * {@code mlflow-artifacts://host:port/...} URI is read through the configured tracking server, not the host it
     * names. Any other scheme ({@code s3:}, {@code file:}) means the server does not proxy artifacts.
     *
     * @throws MlflowException when the URI is not an artifact-proxy URI or its path climbs out of its folder
     */
    public static String artifactPath(String artifactUri, String relativePath) {
        if (artifactUri == null || !artifactUri.startsWith(ARTIFACT_SCHEME)) {
            throw new MlflowException(0, null, "artifact location " + artifactUri + " is not served by MLflow's "
                    + "artifact proxy: GeoCrop reads models through mlflow-artifacts: URIs, so run the tracking "
                    + "server with --serve-artifacts", null);
        }
        String rest = artifactUri.substring(ARTIFACT_SCHEME.length());
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            rest = slash < 0 ? "" : rest.substring(slash);
        }
        List<String> segments = new ArrayList<>();
        for (String part : (rest + "/" + relativePath).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.equals(".") || part.equals("..")) {
                throw new MlflowException(0, null, "artifact path " + artifactUri + "/" + relativePath
                        + " has a '.' or '..' segment", null);
            }
            segments.add(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        if (segments.isEmpty()) {
            throw new MlflowException(0, null, "artifact location " + artifactUri + " names no path", null);
        }
        return String.join("/", segments);
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- plumbing -------------------------------------------------------------------------------------------

    /** An experiment as {@code experiments/get-by-name} returns it. */
    /** A registered model's aliases (alias to version) and tags. */
    public record RegisteredModel(String name, Map<String, String> aliases, Map<String, String> tags) {}

    public record Experiment(String experimentId, String name, String lifecycleStage, String artifactLocation) {}

    private enum Retry {
        /** Repeating the call does no harm: retry connection errors, timeouts, 429 and 5xx. */
        SAFE,
        /** Repeating could duplicate what the server created: retry only if the request cannot have arrived. */
        UNSENT_ONLY
    }

    private JsonNode post(String endpoint, ObjectNode body, Retry retry) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the body of " + endpoint, e);
        }
        HttpRequest request = request(URI.create(base + API + endpoint)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        return parse(send(request, retry, MAX_JSON_BYTES), request);
    }

    private JsonNode get(String path, Map<String, String> query) {
        StringBuilder uri = new StringBuilder(base).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
            sep = '&';
        }
        HttpRequest request = request(URI.create(uri.toString())).GET().build();
        return parse(send(request, Retry.SAFE, MAX_JSON_BYTES), request);
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.requestTimeout())
                .header("Accept", "application/json").header("User-Agent", "geocrop-registry");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private byte[] send(HttpRequest request, Retry retry, long limit) {
        String what = request.method() + " " + request.uri().getRawPath();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> response;
            try {
                LOG.debug("MLflow {} (attempt {})", what, attempt);
                response = http.send(request, BoundedBodySubscriber.handler(limit));
            } catch (IOException e) {
                if (e instanceof BoundedBodySubscriber.TooLarge || e.getCause() instanceof BoundedBodySubscriber.TooLarge) {
                    throw new MlflowException(0, null, "MLflow " + what + ": " + e.getMessage(), e);
                }
                boolean unsent = e instanceof ConnectException || e.getCause() instanceof ConnectException;
                if (attempt < settings.maxAttempts() && (unsent || retry == Retry.SAFE)) {
                    pause(what, attempt, null, e.toString());
                    continue;
                }
                throw new MlflowException(0, null, "MLflow " + what + " at " + base + " failed after " + attempt
                        + " attempt(s): " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MlflowException(0, null, "interrupted during MLflow " + what, e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response.body();
            }
            boolean retryable = status == 429 || status == 503 || retry == Retry.SAFE && status >= 500;
            if (retryable && attempt < settings.maxAttempts()) {
                pause(what, attempt, Backoff.retryAfter(response.headers()), "HTTP " + status);
                continue;
            }
            throw error(what, status, response.body());
        }
    }

    private void pause(String what, int attempt, Duration retryAfter, String reason) {
        long millis = Backoff.millis(attempt, BACKOFF_INITIAL, BACKOFF_MAX, retryAfter, MAX_RETRY_AFTER);
        LOG.warn("MLflow {} failed ({}); retrying in {} ms", what, reason, millis);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowException(0, null, "interrupted while retrying MLflow " + what, e);
        }
    }

    private MlflowException error(String what, int status, byte[] body) {
        String code = null;
        String message = null;
        try {
            JsonNode node = json.readTree(body);
            if (node != null && node.isObject()) {
                code = node.path("error_code").asText(null);
                message = node.path("message").asText(null);
            }
        } catch (IOException e) {
            // Not JSON (a proxy's HTML page, a gunicorn error): fall back to the raw text below.
        }
        if (message == null) {
            message = new String(body, StandardCharsets.UTF_8).strip();
        }
        if (message.length() > MAX_ERROR_MESSAGE) {
            message = message.substring(0, MAX_ERROR_MESSAGE) + "...";
        }
        String hint = status == 401 || status == 403 ? " (check geocrop.mlflow.token or username/password)" : "";
        return new MlflowException(status, code, "MLflow " + what + " answered " + status
                + (code == null ? "" : " " + code) + ": " + message + hint, null);
    }

    private JsonNode parse(byte[] body, HttpRequest request) {
        try {
            JsonNode node = body.length == 0 ? json.createObjectNode() : json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MlflowException(200, null, "MLflow " + request.method() + " " + request.uri().getRawPath()
                        + " answered something other than a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw new MlflowException(200, null, "MLflow " + request.method() + " " + request.uri().getRawPath()
                    + " answered invalid JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isEmpty()) {
            throw new MlflowException(200, null, "MLflow's answer lacks " + field, null);
        }
        return value.asText();
    }

    private static MlflowRunInfo runInfo(JsonNode info) {
        String runId = info.path("run_id").asText(info.path("run_uuid").asText(""));
        if (runId.isEmpty()) {
            throw new MlflowException(200, null, "MLflow's run answer lacks run_id", null);
        }
        return new MlflowRunInfo(runId, info.path("experiment_id").asText(null), info.path("status").asText(null),
                info.path("artifact_uri").asText(null));
    }

    private static MlflowModelVersion modelVersion(JsonNode v) {
        if (!v.hasNonNull("name") || !v.hasNonNull("version")) {
            throw new MlflowException(200, null, "MLflow's model version answer lacks name or version", null);
        }
        List<String> aliases = new ArrayList<>();
        v.path("aliases").forEach(a -> aliases.add(a.asText()));
        return new MlflowModelVersion(v.get("name").asText(), v.get("version").asText(), v.path("source").asText(null),
                v.hasNonNull("run_id") && !v.get("run_id").asText().isEmpty() ? v.get("run_id").asText() : null,
                v.path("status").asText(null), aliases);
    }

    private static void putKeyValues(ObjectNode body, String field, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        ArrayNode array = body.putArray(field);
        values.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
