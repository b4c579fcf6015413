package io.geocrop.registry.mlflow;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an MLflow tracking server (2.x REST API, with {@code --serve-artifacts} for the artifact proxy).
 *
 * @param trackingUri      the server's base URL, e.g. {@code http://mlflow.mlflow.svc:5000} (a path prefix such as
 *                         {@code https://host/mlflow} is kept)
 * @param experiment       the experiment that training runs are logged to (created if missing)
 * @param token            bearer token, or {@code null}
 * @param username         basic-auth user (MLflow's {@code --app-name basic-auth}), or {@code null}
 * @param password         basic-auth password, or {@code null}
 * @param connectTimeout   TCP connect timeout
 * @param requestTimeout   time allowed for each answer's headers
 * @param maxAttempts      attempts per call (1 = no retry) on connection errors, 429 and 5xx
 * @param maxArtifactBytes largest artifact (ONNX file) accepted from the artifact proxy
 */
public record MlflowSettings(URI trackingUri, String experiment, String token, String username, String password,
                             Duration connectTimeout, Duration requestTimeout, int maxAttempts, long maxArtifactBytes) {

    /** Experiment used when none is configured. */
    public static final String DEFAULT_EXPERIMENT = "geocrop";
    /** Default attempts per call. */
    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    /** Default largest artifact: far above a 400-tree ensemble (a few MB), far below the heap. */
    public static final long DEFAULT_MAX_ARTIFACT_BYTES = 512L << 20;

    public MlflowSettings {
        Objects.requireNonNull(trackingUri, "trackingUri");
        String scheme = trackingUri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || trackingUri.getHost() == null) {
            throw new IllegalArgumentException("geocrop.mlflow.tracking-uri must be an http(s) URL such as "
                    + "http://mlflow:5000, got " + trackingUri.getScheme() + "://" + trackingUri.getHost());
        }
        if (trackingUri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("geocrop.mlflow.tracking-uri must not carry credentials: "
                    + "use geocrop.mlflow.username/password or token");
        }
        experiment = experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment;
        token = blankToNull(token);
        username = blankToNull(username);
        password = blankToNull(password);
        if (token != null && username != null) {
            throw new IllegalArgumentException("set either geocrop.mlflow.token or geocrop.mlflow.username, not both");
        }
        if (username != null && password == null) {
            throw new IllegalArgumentException("geocrop.mlflow.username is set but geocrop.mlflow.password is not");
        }
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(10), "connect-timeout");
        requestTimeout = positive(requestTimeout, Duration.ofSeconds(60), "request-timeout");
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("geocrop.mlflow.max-attempts must be 1..10, got " + maxAttempts);
        }
        if (maxArtifactBytes < 1) {
            throw new IllegalArgumentException("the largest MLflow artifact must be positive, got " + maxArtifactBytes);
        }
    }

    /**
     * Settings from configuration values ({@code geocrop.mlflow.*}); blank values mean the defaults.
     *
     * @return empty when {@code trackingUri} is blank (no MLflow configured)
     * @throws IllegalArgumentException naming the key when a value is malformed
     */
    public static java.util.Optional<MlflowSettings> fromConfig(String trackingUri, String experiment, String token,
                                                                String username, String password,
                                                                Duration connectTimeout, Duration requestTimeout,
                                                                Integer maxAttempts) {
        if (trackingUri == null || trackingUri.isBlank()) {
            return java.util.Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(trackingUri.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("geocrop.mlflow.tracking-uri is not a URL: " + e.getReason());
        }
        return java.util.Optional.of(new MlflowSettings(uri, experiment, token, username, password, connectTimeout,
                requestTimeout, maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts, DEFAULT_MAX_ARTIFACT_BYTES));
    }

    /** Defaults for everything but the server: experiment {@value #DEFAULT_EXPERIMENT}, no auth. */
    public static MlflowSettings of(URI trackingUri) {
        return new MlflowSettings(trackingUri, DEFAULT_EXPERIMENT, null, null, null, null, null, DEFAULT_MAX_ATTEMPTS,
                DEFAULT_MAX_ARTIFACT_BYTES);
    }

    /** The same settings with another experiment. */
    public MlflowSettings withExperiment(String newExperiment) {
        return new MlflowSettings(trackingUri, newExperiment, token, username, password, connectTimeout, requestTimeout,
                maxAttempts, maxArtifactBytes);
    }

    /** The same settings with a bearer token. */
    public MlflowSettings withToken(String newToken) {
        return new MlflowSettings(trackingUri, experiment, newToken, null, null, connectTimeout, requestTimeout,
                maxAttempts, maxArtifactBytes);
    }

    /** The same settings with basic-auth credentials. */
    public MlflowSettings withBasicAuth(String newUsername, String newPassword) {
        return new MlflowSettings(trackingUri, experiment, null, newUsername, newPassword, connectTimeout,
                requestTimeout, maxAttempts, maxArtifactBytes);
    }

    /** The same settings with other timeouts and attempts. */
    public MlflowSettings withTimeouts(Duration newConnectTimeout, Duration newRequestTimeout, int newMaxAttempts) {
        return new MlflowSettings(trackingUri, experiment, token, username, password, newConnectTimeout,
                newRequestTimeout, newMaxAttempts, maxArtifactBytes);
    }

    /** Secrets are never printed: a settings object ends up in logs and error messages. */
    @Override
    public String toString() {
        String auth = token != null ? "bearer token" : username != null ? "basic auth as " + username : "none";
        return "MlflowSettings[trackingUri=" + trackingUri + ", experiment=" + experiment + ", auth=" + auth
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxAttempts="
                + maxAttempts + ", maxArtifactBytes=" + maxArtifactBytes + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Duration positive(Duration d, Duration fallback, String key) {
        if (d == null) {
            return fallback;
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("geocrop.mlflow." + key + " must be positive, got " + d);
        }
        return d;
    }
}
