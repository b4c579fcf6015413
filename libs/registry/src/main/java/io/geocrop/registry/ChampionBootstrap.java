package io.geocrop.registry;

import io.geocrop.models.ModelArtifact;
import io.geocrop.models.ModelCard;
import io.geocrop.models.ModelCards;
import io.geocrop.registry.mlflow.MlflowModelRegistry;
import io.geocrop.registry.mlflow.MlflowSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A fresh cluster's first model: when the served alias ({@code champion}) of the served model name resolves to
 * nothing, publishes the model found at a configured URL (a folder holding {@code model.onnx} and
 * {@code model-card.json}, over http(s) or {@code file:}) and points the alias at it; when it resolves, does
 * nothing. Run once per sync by the {@code model-bootstrap} Job (infra/k8s) with the score-tile image:
 * {@code java -cp /app/app.jar io.geocrop.registry.ChampionBootstrap}.
 *
 * <p>Environment: {@code GEOCROP_MLFLOW_TRACKING_URI} (required), {@code GEOCROP_MLFLOW_USERNAME} /
 * {@code GEOCROP_MLFLOW_PASSWORD} or {@code GEOCROP_MLFLOW_TOKEN}, {@code GEOCROP_MODELS_NAME},
 * {@code GEOCROP_MODELS_ALIAS}, {@code GEOCROP_BOOTSTRAP_MODEL_URL}. Exit codes: 0 the alias is set (already, or
 * now), 2 it is not and no URL is configured (the message says how to publish one), 1 anything failed.
 */
public final class ChampionBootstrap {

    /** What a run did. */
    public enum BootstrapOutcome {
        /** The alias already pointed at a version: nothing published. */
        ALREADY_SET,
        /** The model at the URL was published and the alias points at it. */
        PUBLISHED,
        /** No alias and no URL: nothing to do but tell the operator. */
        NO_SOURCE
    }

    private final ModelRegistry registry;
    private final HttpClient http;

    public ChampionBootstrap(ModelRegistry registry, HttpClient http) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.http = Objects.requireNonNull(http, "http");
    }

    /**
     * Publishes the model at {@code source} as {@code name@alias} unless that alias already resolves.
     *
     * @throws IllegalArgumentException when the model found there is not {@code name} or has the wrong feature order
     * @throws IOException when the model cannot be downloaded
     */
    public BootstrapOutcome ensure(String name, String alias, Optional<URI> source) throws IOException, InterruptedException {
        Optional<ModelCard> current = registry.card(name, alias);
        if (current.isPresent()) {
            System.out.printf("model-bootstrap: %s@%s is version %s already; nothing to do%n", name, alias, current.get().version());
            return BootstrapOutcome.ALREADY_SET;
        }
        if (source.isEmpty()) {
            System.out.printf("model-bootstrap: %s@%s is not set and GEOCROP_BOOTSTRAP_MODEL_URL is empty: jobs fail with"
                    + " \"no model\" until one is published (docs/deploy.md, step 7: ./geocrop train --publish through"
                    + " a port-forward, or set GEOCROP_BOOTSTRAP_MODEL_URL and sync again)%n", name, alias);
            return BootstrapOutcome.NO_SOURCE;
        }
        URI base = source.get().toString().endsWith("/") ? source.get() : URI.create(source.get() + "/");
        ModelCard card = ModelCards.fromJson(fetch(base.resolve(ModelArtifact.CARD_FILE)));
        if (!name.equals(card.name())) {
            throw new IllegalArgumentException("the model at " + base + " is '" + card.name() + "', not the served name '"
                    + name + "' (GEOCROP_MODELS_NAME)");
        }
        ModelCards.requireFeatureOrderV1(card);
        ModelArtifact published = registry.publish(new ModelArtifact(card, fetch(base.resolve(ModelArtifact.ONNX_FILE))), alias);
        System.out.printf("model-bootstrap: published %s version %s from %s as %s%n", name, published.card().version(), base, alias);
        return BootstrapOutcome.PUBLISHED;
    }

    private byte[] fetch(URI uri) throws IOException, InterruptedException {
        if ("file".equals(uri.getScheme())) {
            return Files.readAllBytes(Path.of(uri));
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("GEOCROP_BOOTSTRAP_MODEL_URL must be http(s) or file, got " + uri);
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** The Job's entry point; see the class comment for the environment and the exit codes. */
    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) {
        try {
            String tracking = env.getOrDefault("GEOCROP_MLFLOW_TRACKING_URI", "");
            if (tracking.isBlank()) {
                System.err.println("model-bootstrap: GEOCROP_MLFLOW_TRACKING_URI is not set");
                return 1;
            }
            MlflowSettings settings = MlflowSettings.fromConfig(tracking, null, env.get("GEOCROP_MLFLOW_TOKEN"),
                    env.get("GEOCROP_MLFLOW_USERNAME"), env.get("GEOCROP_MLFLOW_PASSWORD"), null, null, null).orElseThrow();
            String name = blankToDefault(env.get("GEOCROP_MODELS_NAME"), RegistrySettings.DEFAULT_MODEL_NAME);
            String alias = blankToDefault(env.get("GEOCROP_MODELS_ALIAS"), ModelRegistry.DEFAULT_ALIAS);
            String url = env.getOrDefault("GEOCROP_BOOTSTRAP_MODEL_URL", "");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            BootstrapOutcome outcome = new ChampionBootstrap(MlflowModelRegistry.create(settings), http)
                    .ensure(name, alias, url.isBlank() ? Optional.empty() : Optional.of(URI.create(url.strip())));
            return outcome == BootstrapOutcome.NO_SOURCE ? 2 : 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("model-bootstrap: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String blankToDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
