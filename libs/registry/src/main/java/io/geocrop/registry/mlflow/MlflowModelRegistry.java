package io.geocrop.registry.mlflow;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.registry.ModelCardJson;
import io.geocrop.registry.ModelAuditEntry;
import io.geocrop.registry.ModelRegistry;
import io.geocrop.registry.RegistryException;
import io.geocrop.registry.RegistryNames;
import io.geocrop.registry.UnknownModelVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model registry on MLflow 2.x. {@link #publish} logs a run and registers it:
 * <ol>
 *   <li>{@code experiments/create} (on {@code RESOURCE_ALREADY_EXISTS}: {@code experiments/get-by-name})</li>
 *   <li>{@code runs/create}, {@code runs/log-batch} (the card's params and metrics, GeoCrop tags)</li>
 *   <li>artifact proxy PUTs of {@code model/model.onnx} and {@code model/MLmodel}</li>
 *   <li>{@code registered-models/create} (a {@code RESOURCE_ALREADY_EXISTS} answer is fine),
 *       {@code model-versions/create} with source {@code <run artifact_uri>/model} and the run id,
 *       {@code model-versions/get} while the version is PENDING_REGISTRATION</li>
 *   <li>artifact proxy PUT of {@code model/model-card.json}, carrying the version MLflow assigned</li>
 *   <li>{@code runs/update} FINISHED (FAILED if a step above failed)</li>
 *   <li>{@code registered-models/alias} (POST) to point the alias at the new version</li>
 * </ol>
 * {@link #resolve} reads {@code registered-models/alias} (GET; missing alias or model gives empty),
 * {@code model-versions/get-download-uri}, then {@code model-card.json} and {@code model.onnx} through the artifact
 * proxy. The version in the returned card is the registry's (it matches the card's unless someone registered the
 * same folder again by hand).
 */
public final class MlflowModelRegistry implements ModelRegistry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowModelRegistry.class);
    /** Folder of a run's artifacts that holds the model, and the last part of every version's source. */
    public static final String MODEL_FOLDER = "model";
    /** MLflow's model descriptor, so the MLflow UI and {@code mlflow.onnx.load_model} recognise the folder. */
    public static final String MLMODEL_FILE = "MLmodel";
    /** The MLflow release whose MLmodel format GeoCrop writes (the server version it was tried against). */
    public static final String MLMODEL_MLFLOW_VERSION = "2.10.2";
    private static final int MAX_PARAMS_PER_BATCH = 100;
    private static final int MAX_METRICS_PER_BATCH = 1000;
    private static final int MAX_TAG_VALUE = 5000;
    private static final int MAX_PARAM_VALUE = 6000;
    private static final int REGISTRATION_POLLS = 30;
    private static final long REGISTRATION_POLL_MILLIS = 500;

    private final MlflowRestClient client;
    private final String experimentName;
    private final Clock clock;
    private volatile String experimentId;

    /**
     * @param client         the REST client (closed with this registry)
     * @param experimentName experiment that publish logs runs to; created on first publish if missing
     * @param clock          stamps runs and metrics
     */
    public MlflowModelRegistry(MlflowRestClient client, String experimentName, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.experimentName = Objects.requireNonNull(experimentName, "experimentName");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A registry with its own REST client. */
    public static MlflowModelRegistry create(MlflowSettings settings) {
        return new MlflowModelRegistry(new MlflowRestClient(settings), settings.experiment(), Clock.systemUTC());
    }

    @Override
    public ModelArtifact publish(ModelArtifact model, String alias) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(model.card(), "model.card");
        String name = RegistryNames.requireModelName(model.card().name());
        RegistryNames.requireAlias(alias);
        ModelCardJson.requirePublishable(model.card());
        if (model.onnx() == null || model.onnx().length == 0) {
            throw new IllegalArgumentException("model " + name + " has no ONNX bytes to publish");
        }
        ModelCard card = model.card();
        long start = clock.millis();
        MlflowRunInfo run = client.createRun(experimentId(), name, start, runTags(card, runUser()));
        MlflowModelVersion version;
        try {
            logParamsAndMetrics(run.runId(), card, start);
            client.uploadArtifact(run.artifactUri(), MODEL_FOLDER + "/" + ModelArtifact.ONNX_FILE, model.onnx());
            client.uploadArtifact(run.artifactUri(), MODEL_FOLDER + "/" + MLMODEL_FILE, mlmodel(run.runId()));
            ensureRegisteredModel(name);
            version = awaitReady(client.createModelVersion(name, run.artifactUri() + "/" + MODEL_FOLDER, run.runId()));
            // The card goes in once MLflow has numbered the version, so that it carries that number like the
            // bucket's cards do. The alias is not set yet, so nobody resolves this version before it is there.
            client.uploadArtifact(run.artifactUri(), MODEL_FOLDER + "/" + ModelArtifact.CARD_FILE,
                    ModelCardJson.write(card.withVersion(version.version())));
            client.updateRun(run.runId(), "FINISHED", clock.millis());
        } catch (RuntimeException e) {
            markFailed(run.runId(), e);
            throw e;
        }
        client.setAlias(name, alias, version.version());
        LOG.info("Published model {} version {} (MLflow run {}) as {}", name, version.version(), run.runId(), alias);
        return new ModelArtifact(card.withVersion(version.version()), model.onnx());
    }

    @Override
    public Optional<ModelArtifact> resolve(String name, String alias) {
        RegistryNames.requireModelName(name);
        RegistryNames.requireAlias(alias);
        return client.modelVersionByAlias(name, alias).map(v -> {
            String uri = client.downloadUri(name, v.version());
            ModelCard card = readCard(name, v.version(), uri);
            byte[] onnx = readArtifact(name, v.version(), uri, ModelArtifact.ONNX_FILE);
            return new ModelArtifact(card, onnx);
        });
    }

    @Override
    public Optional<ModelCard> card(String name, String alias) {
        RegistryNames.requireModelName(name);
        RegistryNames.requireAlias(alias);
        return client.modelVersionByAlias(name, alias)
                .map(v -> readCard(name, v.version(), client.downloadUri(name, v.version())));
    }

    @Override
    public ModelCard promote(String name, String version, String alias) {
        RegistryNames.requireModelName(name);
        RegistryNames.requireVersion(version);
        RegistryNames.requireAlias(alias);
        if (client.modelVersion(name, version).isEmpty()) {
            throw new UnknownModelVersionException(name, version);
        }
        ModelCard card = readCard(name, version, client.downloadUri(name, version));
        client.setAlias(name, alias, version);
        LOG.info("Alias {} of model {} now points at MLflow version {}", alias, name, version);
        return card;
    }

    @Override
    public List<String> versions(String name) {
        RegistryNames.requireModelName(name);
        return client.modelVersions(name).stream()
                .filter(v -> v.status() == null || "READY".equals(v.status()))
                .map(MlflowModelVersion::version)
                .sorted(Comparator.comparingLong(Long::parseLong))
                .toList();
    }

    @Override
    public Optional<ModelArtifact> version(String name, String version) {
        RegistryNames.requireModelName(name);
        RegistryNames.requireVersion(version);
        if (client.modelVersion(name, version).isEmpty()) {
            return Optional.empty();
        }
        String uri = client.downloadUri(name, version);
        return Optional.of(new ModelArtifact(readCard(name, version, uri),
                readArtifact(name, version, uri, ModelArtifact.ONNX_FILE)));
    }

    @Override
    public Map<String, String> aliases(String name) {
        RegistryNames.requireModelName(name);
        return client.registeredModel(name).map(MlflowRestClient.RegisteredModel::aliases).orElse(Map.of());
    }

    /** Prefix of the registered-model tags that hold the audit entries: {@code geocrop.audit.<instant>.<id>}. */
    public static final String AUDIT_TAG_PREFIX = "geocrop.audit.";

    @Override
    public void recordAudit(String name, ModelAuditEntry entry) {
        RegistryNames.requireModelName(name);
        Objects.requireNonNull(entry, "entry");
        // One tag per entry, keyed by time then a random id: tags are the registry's own append-only-ish store and
        // show up in the MLflow UI next to the model. Millisecond precision keeps keys sortable as text.
        String key = AUDIT_TAG_PREFIX + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(entry.at()) + "."
                + java.util.UUID.randomUUID().toString().substring(0, 8);
        String value = new String(entry.toJson(), StandardCharsets.UTF_8);
        client.setRegisteredModelTag(name, key, truncateNote(entry, value));
    }

    /** Keeps a tag within MLflow's 5000 characters by shortening the free-text note, never the facts. */
    private static String truncateNote(ModelAuditEntry entry, String value) {
        if (value.length() <= MAX_TAG_VALUE) {
            return value;
        }
        int cut = Math.max(0, entry.note().length() - (value.length() - MAX_TAG_VALUE) - 3);
        ModelAuditEntry shorter = new ModelAuditEntry(entry.action(), entry.alias(), entry.version(),
                entry.previousVersion(), entry.user(), entry.at(), entry.metrics(), entry.note().substring(0, cut) + "...");
        return new String(shorter.toJson(), StandardCharsets.UTF_8);
    }

    @Override
    public List<ModelAuditEntry> audit(String name) {
        RegistryNames.requireModelName(name);
        List<ModelAuditEntry> out = new ArrayList<>();
        client.registeredModel(name).ifPresent(m -> m.tags().forEach((key, value) -> {
            if (key.startsWith(AUDIT_TAG_PREFIX)) {
                out.add(ModelAuditEntry.fromJson(value.getBytes(StandardCharsets.UTF_8), "MLflow tag " + key));
            }
        }));
        out.sort(Comparator.comparing(ModelAuditEntry::at));
        return out;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "MlflowModelRegistry[" + client.settings() + "]";
    }

    private String experimentId() {
        String id = experimentId;
        if (id != null) {
            return id;
        }
        try {
            id = client.createExperiment(experimentName, Map.of());
        } catch (MlflowException e) {
            if (!e.is(MlflowException.RESOURCE_ALREADY_EXISTS)) {
                throw e;
            }
            MlflowRestClient.Experiment existing = client.experimentByName(experimentName).orElseThrow(() ->
                    new RegistryException("MLflow says experiment " + experimentName
                            + " exists but does not find it by name", e));
            if (!"active".equals(existing.lifecycleStage())) {
                throw new RegistryException("MLflow experiment " + experimentName + " is " + existing.lifecycleStage()
                        + ": restore it in MLflow or set geocrop.mlflow.experiment to another name", e);
            }
            id = existing.experimentId();
        }
        experimentId = id;
        return id;
    }

    /**
     * Who publishes, as MLflow's own clients tag a run ({@code mlflow.user}, shown in its UI's "User" column): the
     * MLflow account when basic auth is used (the name the server itself knows), otherwise {@code GEOCROP_USER} or the
     * OS user, as the models CLI's audit entries record it.
     */
    private String runUser() {
        String account = client.settings().username();
        if (account != null) {
            return account;
        }
        String named = System.getenv("GEOCROP_USER");
        return named != null && !named.isBlank() ? named.strip() : System.getProperty("user.name", "unknown");
    }

    private static Map<String, String> runTags(ModelCard card, String user) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.user", truncate(user, MAX_TAG_VALUE));
        tags.put("mlflow.source.name", "geocrop");
        tags.put("geocrop.model_name", card.name());
        tags.put("geocrop.feature_order_hash", card.featureOrderHash());
        tags.put("geocrop.synthetic", Boolean.toString(card.synthetic()));
        if (card.trainingData() != null) {
            tags.put("geocrop.training_data", truncate(card.trainingData(), MAX_TAG_VALUE));
        }
        return tags;
    }

    private void logParamsAndMetrics(String runId, ModelCard card, long timestamp) {
        Map<String, String> params = new TreeMap<>();
        card.params().forEach((k, v) -> params.put(k, truncate(v, MAX_PARAM_VALUE)));
        params.putIfAbsent("seed", Long.toString(card.seed()));
        params.putIfAbsent("feature_count", Integer.toString(card.featureNames().size()));
        List<MlflowMetric> metrics = new ArrayList<>();
        new TreeMap<>(card.metrics()).forEach((k, v) -> metrics.add(new MlflowMetric(k, v, timestamp, 0)));
        List<Map.Entry<String, String>> paramList = new ArrayList<>(params.entrySet());
        int batches = Math.max(ceilDiv(paramList.size(), MAX_PARAMS_PER_BATCH), ceilDiv(metrics.size(), MAX_METRICS_PER_BATCH));
        for (int b = 0; b < batches; b++) {
            Map<String, String> p = new LinkedHashMap<>();
            for (var e : paramList.subList(Math.min(paramList.size(), b * MAX_PARAMS_PER_BATCH),
                    Math.min(paramList.size(), (b + 1) * MAX_PARAMS_PER_BATCH))) {
                p.put(e.getKey(), e.getValue());
            }
            List<MlflowMetric> m = metrics.subList(Math.min(metrics.size(), b * MAX_METRICS_PER_BATCH),
                    Math.min(metrics.size(), (b + 1) * MAX_METRICS_PER_BATCH));
            client.logBatch(runId, m, p, Map.of());
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private void markFailed(String runId, RuntimeException cause) {
        try {
            client.updateRun(runId, "FAILED", clock.millis());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureRegisteredModel(String name) {
        try {
            client.createRegisteredModel(name, "GeoCrop crop-type classifier (ONNX tree ensemble)");
        } catch (MlflowException e) {
            if (!e.is(MlflowException.RESOURCE_ALREADY_EXISTS)) {
                throw e;
            }
        }
    }

    /** File and SQL stores answer READY at once; asynchronous registries need a few polls. */
    private MlflowModelVersion awaitReady(MlflowModelVersion version) {
        MlflowModelVersion current = version;
        for (int poll = 0; "PENDING_REGISTRATION".equals(current.status()); poll++) {
            if (poll == REGISTRATION_POLLS) {
                throw new RegistryException("MLflow model " + version.name() + " version " + version.version()
                        + " is still PENDING_REGISTRATION after " + REGISTRATION_POLLS + " checks");
            }
            try {
                Thread.sleep(REGISTRATION_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted while waiting for MLflow to register " + version.name(), e);
            }
            current = client.modelVersion(version.name(), version.version()).orElseThrow(() -> new RegistryException(
                    "MLflow model " + version.name() + " version " + version.version() + " vanished while registering"));
        }
        if (!"READY".equals(current.status()) && current.status() != null) {
            throw new RegistryException("MLflow model " + version.name() + " version " + version.version()
                    + " registration ended as " + current.status());
        }
        return current;
    }

    private ModelCard readCard(String name, String version, String uri) {
        byte[] bytes = readArtifact(name, version, uri, ModelArtifact.CARD_FILE);
        return ModelCardJson.read(bytes, uri + "/" + ModelArtifact.CARD_FILE).withVersion(version);
    }

    private byte[] readArtifact(String name, String version, String uri, String file) {
        try {
            return client.downloadArtifact(uri, file);
        } catch (MlflowException e) {
            if (e.status() == 404 || e.is(MlflowException.RESOURCE_DOES_NOT_EXIST)) {
                throw new RegistryException("MLflow model " + name + " version " + version + " has no " + file
                        + " at " + uri + ": it was not published by GeoCrop", e);
            }
            throw e;
        }
    }

    /** A minimal MLmodel with the onnx flavour: what mlflow.onnx needs to load the folder. */
    private byte[] mlmodel(String runId) {
        String yaml = "artifact_path: " + MODEL_FOLDER + "\n"
                + "flavors:\n"
                + "  onnx:\n"
                + "    data: " + ModelArtifact.ONNX_FILE + "\n"
                + "    providers:\n"
                + "    - CPUExecutionProvider\n"
                + "  python_function:\n"
                + "    data: " + ModelArtifact.ONNX_FILE + "\n"
                + "    loader_module: mlflow.onnx\n"
                + "mlflow_version: " + MLMODEL_MLFLOW_VERSION + "\n"
                // MLflow writes uuid4().hex here; tools that track a model across copies key on it.
                + "model_uuid: " + java.util.UUID.randomUUID().toString().replace("-", "") + "\n"
                + "run_id: " + runId + "\n"
                + "utc_time_created: '" + clock.instant() + "'\n";
        return yaml.getBytes(StandardCharsets.UTF_8);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
