package io.geocrop.platform.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The catalogue of attacks on the doors issue 14 lists (and their spellings), shared by the embedded suite and the
 * multi-process one. Every attack sends no valid credential for the door it tries, or sends a valid one with a body
 * the door must refuse; none may change a job, an object or an alias.
 */
public final class Attacks {
    /** A body that would be a valid job request (a new AOI each time so a slipped-through request would create a job). */
    public static String jobBody() {
        double lon = 29.0 + Math.random();
        return "{\"lon\": " + lon + ", \"lat\": -18.5, \"radius_m\": 500, \"year\": 2023}";
    }

    /** A dead letter that would fail {@code job} with the attacker's text. */
    public static String deadLetter(UUID job) {
        return "{\"specversion\":\"1.0\",\"id\":\"attack-" + UUID.randomUUID() + "\",\"source\":\"/attacker\","
                + "\"type\":\"io.geocrop.tile.requested.v1\",\"datacontenttype\":\"application/json\","
                + "\"knativeerrordata\":\"pwned\",\"data\":{\"job_id\":\"" + job + "\",\"tile\":\"t-0-0\"}}";
    }

    /** A MinIO notification that would make score-tile score an attacker's object. */
    public static String minioNotification() {
        return "{\"EventName\":\"s3:ObjectCreated:Put\",\"Key\":\"geocrop-features/uploads/evil.tif\",\"Records\":[{"
                + "\"eventVersion\":\"2.0\",\"eventSource\":\"minio:s3\",\"awsRegion\":\"\",\"eventTime\":\"2024-01-01T00:00:00Z\","
                + "\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"geocrop-features\"},"
                + "\"object\":{\"key\":\"uploads/evil.tif\",\"size\":1,\"eTag\":\"x\"}}}]}";
    }

    private static final String FORGED_JWT = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMiLCJhdWQiOiJzdWJtaXQtam9iIiwiZXhwIjo0MTAyNDQ0ODAwfQ.";

    private Attacks() {}

    /**
     * Attacks on a server that serves the public routes with API key {@code apiKey} (the {@code all} or
     * {@code public} surface).
     */
    public static List<Attack> publicWrites(String apiKey, String internalToken) {
        List<Attack> a = new ArrayList<>();
        Map<String, String> json = Map.of("Content-Type", "application/json");
        a.add(Attack.of(401, "POST /jobs without an API key", "POST", "/jobs", jobBody(), json));
        a.add(Attack.of(401, "POST /jobs/ (trailing slash) without an API key", "POST", "/jobs/", jobBody(), json));
        a.add(Attack.of(401, "POST /jobs?x=1 (query) without an API key", "POST", "/jobs?api_key=" + apiKey, jobBody(), json));
        a.add(Attack.of(404, "POST //jobs (doubled slash) without an API key", "POST", "//jobs", jobBody(), json));
        a.add(Attack.of(404, "POST /JOBS (case) without an API key", "POST", "/JOBS", jobBody(), json));
        a.add(Attack.of(404, "POST /%6Aobs (percent-encoded letter) without an API key", "POST", "/%6Aobs", jobBody(), json));
        a.add(Attack.of(404, "POST /%2Fjobs (encoded slash) without an API key", "POST", "/%2Fjobs", jobBody(), json));
        a.add(Attack.of(404, "POST /jobs;x=1 (matrix parameter) without an API key", "POST", "/jobs;x=1", jobBody(), json));
        a.add(Attack.of(405, "POST /jobs/. (dot segment: the GET route /jobs/{id}) without an API key", "POST", "/jobs/.", jobBody(), json));
        a.add(Attack.of(401, "POST /jobs with a wrong bearer key", "POST", "/jobs", jobBody(),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer not-the-key")));
        a.add(Attack.of(401, "POST /jobs with a wrong X-API-Key", "POST", "/jobs", jobBody(),
                Map.of("Content-Type", "application/json", "X-API-Key", apiKey + "x")));
        a.add(Attack.of(401, "POST /jobs with the key as Basic credentials", "POST", "/jobs", jobBody(),
                Map.of("Content-Type", "application/json", "Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((":" + apiKey).getBytes()))));
        a.add(Attack.of(401, "POST /jobs with the internal token instead of the API key", "POST", "/jobs", jobBody(),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + internalToken)));
        a.add(Attack.of(401, "POST /jobs with a key prefix only", "POST", "/jobs", jobBody(),
                Map.of("Content-Type", "application/json", "X-API-Key", apiKey.substring(0, apiKey.length() - 1))));
        a.add(Attack.of(401, "PUT /uploads/{name} (a file to be scored) without an API key", "PUT", "/uploads/evil.tif",
                "II*\u0000", Map.of("Content-Type", "image/tiff")));
        a.add(Attack.of(405, "PUT /jobs", "PUT", "/jobs", jobBody(), json));
        a.add(Attack.of(405, "PATCH /jobs", "PATCH", "/jobs", jobBody(), json));
        a.add(Attack.of(405, "DELETE /jobs/{id}", "DELETE", "/jobs/" + UUID.randomUUID()));
        Map<String, String> keyed = Map.of("Content-Type", "application/json", "X-API-Key", apiKey);
        a.add(Attack.of(400, "POST /jobs with trailing content after the JSON object", "POST", "/jobs",
                jobBody() + "garbage", keyed));
        a.add(Attack.of(400, "POST /jobs with a second JSON document", "POST", "/jobs", jobBody() + jobBody(), keyed));
        a.add(Attack.of(400, "POST /jobs with duplicate keys", "POST", "/jobs",
                "{\"lon\": 29.8, \"lon\": 31.0, \"lat\": -18.5, \"radius_m\": 500, \"year\": 2023}", keyed));
        a.add(Attack.of(422, "POST /jobs for an AOI outside Zimbabwe", "POST", "/jobs",
                "{\"lon\": 2.35, \"lat\": 48.85, \"radius_m\": 500, \"year\": 2023}", keyed));
        a.add(Attack.of(422, "POST /jobs with a 1000 km radius (fan-out amplification)", "POST", "/jobs",
                "{\"lon\": 29.8, \"lat\": -18.5, \"radius_m\": 1000000, \"year\": 2023}", keyed));
        a.add(Attack.of(413, "POST /jobs with a 300 KB body", "POST", "/jobs", "{\"lon\": \"" + "9".repeat(300_000) + "\"}", keyed));
        a.add(Attack.of(404, "GET /beans (management endpoint)", "GET", "/beans"));
        a.add(Attack.of(404, "POST /refresh (management endpoint that reloads configuration)", "POST", "/refresh", "{}", json));
        a.add(Attack.of(404, "GET /routes (management endpoint listing routes)", "GET", "/routes"));
        a.add(Attack.of(404, "GET /threaddump", "GET", "/threaddump"));
        a.add(Attack.of(404, "GET /env (configuration with secrets)", "GET", "/env"));
        a.add(Attack.of(400, "GET /jobs/{id}/results/{name} with a path-escape id", "GET", "/jobs/..%2F..%2Fetc/results/cog"));
        a.add(Attack.of(404, "GET /jobs/{id}/results/{name} for a name outside the result set", "GET",
                "/jobs/" + UUID.randomUUID() + "/results/..%2Fmodel.onnx"));
        return a;
    }

    /** The embedded runtime's baseline generation, a public write of tile-render there. */
    public static Attack baselineWithoutKey() {
        return Attack.of(401, "POST /baselines/dw/2024 (generation) without an API key", "POST",
                "/baselines/dw/2024?lon=29.8&lat=-18.5&radius_m=500", "", Map.of());
    }

    /**
     * Attacks on submit-job's internal routes where they are served and the internal token is configured (the
     * {@code all} surface of the embedded suite, the {@code internal} surface of submit-job): 401 without it.
     */
    public static List<Attack> internalWithoutToken(UUID job, String apiKey) {
        List<Attack> a = new ArrayList<>();
        Map<String, String> ce = Map.of("Content-Type", "application/cloudevents+json");
        a.add(Attack.of(401, "POST /internal/dead-letter failing a listed job with the attacker's reason", "POST",
                "/internal/dead-letter", deadLetter(job), ce));
        a.add(Attack.of(401, "POST /internal/dead-letter/ (trailing slash)", "POST", "/internal/dead-letter/", deadLetter(job), ce));
        a.add(Attack.of(401, "POST /internal/dead-letter with the public API key", "POST", "/internal/dead-letter",
                deadLetter(job), Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer " + apiKey)));
        a.add(Attack.of(401, "POST /internal/dead-letter with an unsigned (alg none) JWT", "POST", "/internal/dead-letter",
                deadLetter(job), Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer " + FORGED_JWT)));
        a.add(Attack.of(401, "POST /internal/reconcile without credentials", "POST", "/internal/reconcile", "{}",
                Map.of("Content-Type", "application/json")));
        a.add(Attack.of(401, "POST /internal/reconcile claiming loopback in X-Forwarded-For", "POST", "/internal/reconcile",
                "{}", Map.of("Content-Type", "application/json", "X-Forwarded-For", "127.0.0.1", "X-Real-IP", "127.0.0.1")));
        a.add(Attack.of(401, "POST /internal/reconcile with the token in X-API-Key", "POST", "/internal/reconcile", "{}",
                Map.of("Content-Type", "application/json", "X-API-Key", apiKey)));
        a.add(Attack.of(405, "GET /internal/reconcile", "GET", "/internal/reconcile"));
        a.add(Attack.of(405, "DELETE /internal/dead-letter", "DELETE", "/internal/dead-letter"));
        a.add(Attack.of(401, "POST /webhooks/minio with a forged notification", "POST", "/webhooks/minio",
                minioNotification(), Map.of("Content-Type", "application/json")));
        a.add(Attack.of(401, "POST /webhooks/minio with the public API key", "POST", "/webhooks/minio",
                minioNotification(), Map.of("Content-Type", "application/json", "Authorization", "Bearer " + apiKey)));
        return a;
    }

    /** Attacks on CloudEvent ingress routes where they are served and the internal token is configured: 401. */
    public static List<Attack> ingressWithoutToken(UUID job, String apiKey, List<String> ingressPaths) {
        List<Attack> a = new ArrayList<>();
        Map<String, String> ce = Map.of("Content-Type", "application/cloudevents+json");
        for (String path : ingressPaths) {
            a.add(Attack.of(401, "POST " + path + " (CloudEvent ingress) with the public API key", "POST", path,
                    deadLetter(job), Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer " + apiKey)));
            a.add(Attack.of(401, "POST " + path + " (CloudEvent ingress) with a forged job-completed event", "POST", path,
                    "{\"specversion\":\"1.0\",\"id\":\"attack\",\"source\":\"/attacker\",\"type\":\"io.geocrop.job.completed.v1\","
                            + "\"data\":{\"job_id\":\"" + job + "\"}}", ce));
        }
        return a;
    }

    /** Attacks on a public-surface server: every internal route is absent (404), however it is spelled. */
    public static List<Attack> internalOnPublicSurface(UUID job, String internalToken, List<String> ingressPaths) {
        List<Attack> a = new ArrayList<>();
        Map<String, String> ce = Map.of("Content-Type", "application/cloudevents+json");
        Map<String, String> withToken = Map.of("Content-Type", "application/cloudevents+json",
                "Authorization", "Bearer " + internalToken);
        a.add(Attack.of(404, "POST /internal/dead-letter on the public surface", "POST", "/internal/dead-letter", deadLetter(job), ce));
        a.add(Attack.of(404, "POST /internal/dead-letter on the public surface, even with the token", "POST",
                "/internal/dead-letter", deadLetter(job), withToken));
        a.add(Attack.of(404, "POST /internal/reconcile/ on the public surface", "POST", "/internal/reconcile/", "{}", ce));
        a.add(Attack.of(404, "POST /webhooks/minio on the public surface", "POST", "/webhooks/minio", minioNotification(),
                Map.of("Content-Type", "application/json")));
        for (String path : ingressPaths) {
            a.add(Attack.of(404, "POST " + path + " (CloudEvent ingress) on the public surface", "POST", path, deadLetter(job), ce));
        }
        a.add(Attack.of(404, "GET /prometheus on the public surface", "GET", "/prometheus"));
        a.add(Attack.of(404, "HEAD /prometheus on the public surface", "HEAD", "/prometheus"));
        return a;
    }

    /** Attacks on an internal-surface server: the public API is absent there. */
    public static List<Attack> publicOnInternalSurface(String apiKey) {
        return List.of(Attack.of(404, "POST /jobs on the internal surface, with the key", "POST", "/jobs", jobBody(),
                Map.of("Content-Type", "application/json", "X-API-Key", apiKey)));
    }
}
