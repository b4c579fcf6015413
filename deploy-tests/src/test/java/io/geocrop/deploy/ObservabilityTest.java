package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Prometheus scrapes the functions where they expose metrics, the alert rules issue 8 names exist, and the
 * Grafana dashboard has its panels; every metric they use is one the code exposes today or one listed in
 * docs/deploy.md ("Metrics").
 */
class ObservabilityTest {
    private static final Pattern METRIC = Pattern.compile("\\b([a-z_]+(?:_total|_seconds(?:_bucket|_count|_sum|_max)?|_bytes|_stuck))\\b");
    /** Exposed today by Micronaut/Micrometer (web server timer, uptime) and the kubelet's cAdvisor. */
    private static final Set<String> EXISTING = Set.of("http_server_requests_seconds_count", "http_server_requests_seconds_bucket",
            "http_server_requests_seconds_sum", "process_uptime_seconds", "process_start_time_seconds",
            "container_oom_events_total", "container_memory_working_set_bytes", "container_spec_memory_limit_bytes",
            "container_cpu_usage_seconds_total");

    static JsonNode prometheus() {
        return Repo.yaml(Repo.path("infra/monitoring/config/prometheus.yml"));
    }

    @Test
    void prometheusScrapesTheFunctionsMetricsEndpoint() {
        JsonNode job = null;
        for (JsonNode j : prometheus().path("scrape_configs")) {
            if (j.path("job_name").asText().equals("geocrop-functions")) {
                job = j;
            }
        }
        assertTrue(job != null, "no geocrop-functions scrape job");
        assertEquals("/prometheus", job.path("metrics_path").asText());
        assertEquals("pod", job.at("/kubernetes_sd_configs/0/role").asText());
        assertEquals("geocrop", job.at("/kubernetes_sd_configs/0/namespaces/names/0").asText());
        assertTrue(job.path("relabel_configs").toString().contains("serving_knative_dev_service"));
        // The endpoint is served by every function (platform application.yml).
        String yml = Repo.read(Repo.path("libs/platform/src/main/resources/application.yml"));
        assertTrue(yml.matches("(?s).*\\bprometheus:\\s*\\n\\s+enabled: true.*"), "the /prometheus endpoint is not enabled");
        assertEquals("/etc/prometheus/alert-rules.yml", prometheus().at("/rule_files/0").asText());
    }

    @Test
    void theAlertsIssue8AsksForExist() {
        JsonNode rules = Repo.yaml(Repo.path("infra/monitoring/config/alert-rules.yml"));
        Set<String> alerts = new TreeSet<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.add(rule.path("alert").asText());
                assertFalse(rule.path("expr").asText().isBlank());
                assertEquals(null, unbalanced(rule.path("expr").asText()), rule.path("alert").asText());
                assertFalse(rule.at("/annotations/summary").asText().isBlank());
            }
        }
        assertEquals(Set.of("GeoCropJobFailureRateHigh", "GeoCropEventsDeadLettered", "GeoCropJobsStuck",
                "GeoCropContainerOOMKilled", "GeoCropTileRenderErrors",
                "GeoCropJobsDrifted"), alerts); // issue 19: the share of recent jobs whose pixels drifted
    }

    @Test
    void theDashboardHasTheAskedPanels() {
        JsonNode dash = Repo.json(Repo.path("infra/monitoring/config/geocrop-dashboard.json"));
        List<String> titles = new ArrayList<>();
        for (JsonNode p : dash.path("panels")) {
            titles.add(p.path("title").asText());
            if (!p.path("type").asText().equals("row")) {
                assertFalse(p.path("targets").isEmpty(), p.path("title").asText());
                for (JsonNode t : p.path("targets")) {
                    assertEquals(null, unbalanced(t.path("expr").asText()), p.path("title").asText());
                }
            }
        }
        for (String wanted : List.of("Jobs per 5 min", "Tiles per second", "Pixel throughput", "Request latency (heatmap)", "Cold starts")) {
            assertTrue(titles.contains(wanted), "dashboard lacks '" + wanted + "': " + titles);
        }
        assertTrue(dash.toString().contains("heatmap"));
        assertEquals("prometheus", Repo.yaml(Repo.path("infra/monitoring/config/grafana-datasources.yml")).at("/datasources/0/uid").asText());
    }

    @Test
    void everyMetricUsedExistsOrIsDocumented() {
        String doc = Repo.read(Repo.path("docs/deploy.md"));
        Set<String> used = new TreeSet<>();
        collect(Repo.read(Repo.path("infra/monitoring/config/alert-rules.yml")), used);
        collect(Repo.read(Repo.path("infra/monitoring/config/geocrop-dashboard.json")), used);
        Set<String> unknown = new TreeSet<>();
        for (String metric : used) {
            String base = metric.replaceAll("_(bucket|count|sum|max)$", "");
            if (!EXISTING.contains(metric) && !doc.contains("`" + base + "`") && !doc.contains("`" + metric + "`")) {
                unknown.add(metric);
            }
        }
        assertEquals(Set.of(), unknown, "metrics neither exposed today nor listed in docs/deploy.md");
        assertTrue(used.contains("geocrop_jobs_failed_total") && used.contains("geocrop_cold_start_seconds_count"), used.toString());
    }

    private static void collect(String text, Set<String> into) {
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String unbalanced(String expr) {
        return TerraformTest.unbalanced(expr.replace("\"", "'").replaceAll("'[^']*'", "''"));
    }
}
