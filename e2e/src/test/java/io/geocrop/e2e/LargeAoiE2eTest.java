package io.geocrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The largest AOI the API accepts (10 km radius) through the four functions as separate processes, at the homelab's
 * concurrency: one instance of each function, each taking one event at a time (extract-features'
 * {@code containerConcurrency: 1}), the functions' pool and imagery settings of {@code knative/base}, and a 1.5 GiB
 * heap (75 % of extract-features' 2 GiB limit, as its image runs it). The job must complete with no delivery
 * dead-lettered, within the broker's own per-delivery timeout.
 *
 * <p>Not part of CI: 21 tiles one at a time on a small machine take far longer than the CI budget. Run by
 * {@code bench/e2e-large.sh} (which sets {@code GEOCROP_E2E_LARGE=true}); the result is recorded in
 * docs/reliability.md.
 */
@EnabledIfEnvironmentVariable(named = "GEOCROP_E2E_LARGE", matches = "true")
class LargeAoiE2eTest {
    static final String JOB = "{\"lon\": 31.05, \"lat\": -17.83, \"radius_m\": 10000, \"year\": 2023}";

    @Test
    void aTenKilometreJobCompletesWithoutATimeoutOrADeadLetter() throws Exception {
        Duration timeout = Duration.ofMinutes(Long.parseLong(System.getenv().getOrDefault("GEOCROP_E2E_LARGE_MINUTES", "180")));
        Map<String, String> homelab = Map.of(
                "JAVA_TOOL_OPTIONS", "-Xmx1536m",
                "GEOCROP_DB_POOL_SIZE", "2",
                "GEOCROP_IMAGERY_PARALLELISM", "2",
                "GEOCROP_IMAGERY_CONCURRENT_DAYS", "8");
        try (Cluster cluster = Cluster.startWithConcurrency(
                List.of("submit-job", "extract-features", "score-tile", "tile-render"), homelab, 1)) {
            Instant submitted = Instant.now();
            Cluster.Reply created = cluster.post("submit-job", "/jobs", JOB);
            assertEquals(202, created.status(), String.valueOf(created.body()));
            String id = created.body().get("id").asText();
            JsonNode view = cluster.awaitJob(id, v -> "completed".equals(v.path("state").asText()), timeout);
            System.out.printf("E2E large: job %s %s in %d s, tiles %s; broker %s%n", id, view.path("state").asText(),
                    Duration.between(submitted, Instant.now()).toSeconds(), view.path("tiles"), cluster.broker.stats());
            assertEquals("completed", view.path("state").asText(), "job " + view);
            assertEquals(view.path("tiles").path("total").asInt(), view.path("tiles").path("scored").asInt());
            assertEquals(0, cluster.broker.stats().deadLettered(), "dead letters: " + cluster.broker.stats());
        }
    }
}
