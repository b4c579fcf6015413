package io.geocrop.scoring;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.PixelClassifier;
import io.geocrop.registry.ModelRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry-backed {@link ModelSource}: resolves {@code name@alias} in a {@link ModelRegistry} and loads the model
 * once per process, on first use (not at start-up: a scaled-to-zero instance must start fast). Thread-safe: concurrent
 * first calls load once. A failed look-up is not remembered, so a model trained after start-up is picked up by the
 * next call; a loaded model stays until the process ends (a new champion takes effect on the next instance).
 */
public final class ModelProvider implements ModelSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelProvider.class);

    private final ModelRegistry registry;
    private final String name;
    private final String alias;
    private final ClassifierLoader loader;
    private final Consumer<Duration> loadTimer;
    private final Object lock = new Object();
    private volatile PixelClassifier loaded;

    /**
     * @param registry where models are registered
     * @param name     the registered model name, e.g. {@code geocrop-crop-type}
     * @param alias    the alias that names the serving version, e.g. {@code champion}
     * @param loader   how an artifact becomes a classifier
     */
    public ModelProvider(ModelRegistry registry, String name, String alias, ClassifierLoader loader) {
        this(registry, name, alias, loader, took -> {});
    }

    /**
     * As above, telling {@code loadTimer} how long each successful load took, from the registry look-up (which may
     * download the artifact) to the classifier ready: what a new instance pays before its first tile.
     */
    public ModelProvider(ModelRegistry registry, String name, String alias, ClassifierLoader loader,
                         Consumer<Duration> loadTimer) {
        this.loadTimer = Objects.requireNonNull(loadTimer, "loadTimer");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.name = requireText(name, "model name");
        this.alias = requireText(alias, "model alias");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public PixelClassifier classifier() {
        PixelClassifier c = loaded;
        if (c != null) {
            return c;
        }
        synchronized (lock) {
            if (loaded == null) {
                loaded = load();
            }
            return loaded;
        }
    }

    @Override
    public Optional<ModelCard> card() {
        PixelClassifier c = loaded;
        if (c != null) {
            return Optional.of(c.card());
        }
        return registry.card(name, alias);
    }

    /** {@code name@alias}, as configured. */
    public String reference() {
        return name + "@" + alias;
    }

    private PixelClassifier load() {
        long resolving = System.nanoTime();
        ModelArtifact artifact = registry.resolve(name, alias).orElseThrow(() -> new NoModelException(
                "no model '" + name + "' with alias '" + alias + "' in " + registry + "; train one with ./geocrop train"));
        long started = System.nanoTime();
        PixelClassifier classifier;
        try {
            classifier = loader.load(artifact);
        } catch (Exception e) {
            throw new NoModelException("model '" + name + "' version " + artifact.card().version() + " (alias '"
                    + alias + "') in " + registry + " cannot be loaded: " + e.getMessage(), e);
        }
        LOG.info("Loaded model {} version {} (alias {}, feature order {}) in {} ms", artifact.card().name(),
                artifact.card().version(), alias, artifact.card().featureOrderHash(),
                (System.nanoTime() - started) / 1_000_000);
        loadTimer.accept(Duration.ofNanos(System.nanoTime() - resolving));
        return classifier;
    }

    /** Closes the loaded classifier, if any. */
    @Override
    public void close() {
        synchronized (lock) {
            if (loaded != null) {
                loaded.close();
                loaded = null;
            }
        }
    }

    @Override
    public String toString() {
        return "ModelProvider[" + reference() + " in " + registry + "]";
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
