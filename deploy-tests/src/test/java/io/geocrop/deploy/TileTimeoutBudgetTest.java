package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.geocrop.domain.Aoi;
import io.geocrop.domain.Coverage;
import io.geocrop.domain.JobRequestRules;
import io.geocrop.domain.ProcessingGrid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Per-tile work fits its timeout under each overlay's concurrency, with a margin. A tile event is an HTTP request
 * Knative holds until extract-features answers, and time queued in the activator counts against the Service's
 * {@code timeoutSeconds}. Worst case for one 10 km AOI whose tile events all arrive at once: {@code ceil(tiles /
 * (maxScale x containerConcurrency))} waves, each taking {@code containerConcurrency x perTile} (tiles in one pod
 * share its cores). The per-tile time is docs/performance.md's measured figure for the days-in-flight the manifest
 * sets, at 50 ms per request, doubled for DEA's 1024 px COGs; the tile count is the processing grid's own plan of
 * the largest AOI, at its worst position in the coverage. The Broker's delivery timeout must outlast every
 * subscriber's timeout, so it never re-sends a tile that still waits for a worker.
 */
class TileTimeoutBudgetTest {
    /** Knative Serving's default max-revision-timeout-seconds: no Service may ask for more. */
    static final int KNATIVE_MAX_TIMEOUT_S = 600;
    /** The worst case must stay this far below the timeout. */
    static final double REQUIRED_MARGIN = 1.25;
    /** DEA's COGs have 1024 px tiles: up to twice the bytes of the benchmark's 512 px ones (docs/performance.md). */
    static final double DEA_FACTOR = 2.0;

    /** The numbers of one overlay and their outcome. */
    record Budget(String overlay, int tiles, int maxScale, int concurrency, double perTileS, int timeoutS, Duration delivery) {
        int waves() {
            return (tiles + maxScale * concurrency - 1) / (maxScale * concurrency);
        }

        double worstCaseS() {
            return waves() * concurrency * perTileS;
        }

        double margin() {
            return timeoutS / worstCaseS();
        }

        List<String> problems() {
            List<String> p = new ArrayList<>();
            if (timeoutS > KNATIVE_MAX_TIMEOUT_S) {
                p.add(overlay + ": timeoutSeconds " + timeoutS + " above Knative's ceiling " + KNATIVE_MAX_TIMEOUT_S);
            }
            if (margin() < REQUIRED_MARGIN) {
                p.add(String.format(Locale.ROOT, "%s: %d tiles in %d waves of %.1f s = %.0f s, margin %.2fx to %d s (need %.2fx)",
                        overlay, tiles, waves(), concurrency * perTileS, worstCaseS(), margin(), timeoutS, REQUIRED_MARGIN));
            }
            if (delivery == null || delivery.toSeconds() <= timeoutS) {
                p.add(overlay + ": the Broker's delivery timeout " + delivery + " must outlast the Service's " + timeoutS + " s");
            }
            return p;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s: %d tiles / (%d workers x %d) = %d waves x %.1f s = %.0f s; timeout %d s (margin %.2fx); delivery timeout %s",
                    overlay, tiles, maxScale, concurrency, waves(), concurrency * perTileS, worstCaseS(), timeoutS, margin(), delivery);
        }
    }

    private static volatile Integer worstCaseTiles;

    /** The most job tiles a largest-radius AOI gets anywhere in the coverage (sampled every 0.05°; computed once). */
    static int worstCaseTiles() {
        Integer known = worstCaseTiles;
        if (known == null) {
            known = computeWorstCaseTiles();
            worstCaseTiles = known;
        }
        return known;
    }

    private static int computeWorstCaseTiles() {
        Coverage c = Coverage.ZIMBABWE;
        int most = 0;
        for (double lon = c.minLon() + 0.1; lon < c.maxLon() - 0.1; lon += 0.05) {
            for (double lat = c.minLat() + 0.1; lat < c.maxLat() - 0.1; lat += 0.05) {
                most = Math.max(most, ProcessingGrid.plan(new Aoi(lon, lat, JobRequestRules.DEFAULT_MAX_RADIUS_M)).tiles().size());
            }
        }
        return most;
    }

    /** Seconds per tile from docs/performance.md for {@code days} in flight at 50 ms per request, times the DEA factor. */
    static double perTileSeconds(int days) {
        String perf = Repo.read(Repo.path("docs/performance.md"));
        assertTrue(perf.contains("expect up to twice the bytes"), "the DEA factor's source sentence moved");
        String row = days == 16 ? "\\| seconds, 16 acquisition days read at once \\(default\\)" : "\\| seconds, " + days + " days at once";
        Matcher m = Pattern.compile("(?m)^" + row + " \\| ([0-9.]+) \\| ([0-9.]+) \\|").matcher(perf);
        assertTrue(m.find(), "docs/performance.md has no per-tile row for " + days + " days in flight");
        return Double.parseDouble(m.group(2)) * DEA_FACTOR;
    }

    static Budget budget(String overlay, int tiles) {
        Kustomize.Result r = Deployables.render(overlay);
        JsonNode svc = r.ofKind("Service").stream().filter(s -> s.name().equals("extract-features")).findFirst()
                .orElseThrow().doc();
        JsonNode template = svc.path("spec").path("template");
        int maxScale = Integer.parseInt(template.at("/metadata/annotations").path("autoscaling.knative.dev/max-scale").asText());
        int concurrency = template.path("spec").path("containerConcurrency").asInt(0);
        assertTrue(concurrency >= 1, overlay + ": a worker needs a hard containerConcurrency for this arithmetic");
        int days = Integer.parseInt(KnativeServicesTest.env(svc).get("GEOCROP_IMAGERY_CONCURRENT_DAYS"));
        JsonNode broker = r.ofKind("Broker").getFirst().doc();
        // A Trigger's own delivery replaces the Broker's for its events.
        JsonNode trigger = r.ofKind("Trigger").stream().filter(t -> t.name().equals("extract-features-on-tile-requested"))
                .findFirst().orElseThrow().doc();
        String timeout = trigger.at("/spec/delivery/timeout").asText(broker.at("/spec/delivery/timeout").asText(""));
        return new Budget(overlay, tiles, maxScale, concurrency, perTileSeconds(days),
                template.path("spec").path("timeoutSeconds").asInt(), timeout.isEmpty() ? null : Duration.parse(timeout));
    }

    @Test
    void aLargestAoiHasTwentyToTwentyFiveTiles() {
        int tiles = worstCaseTiles();
        assertTrue(tiles >= 20 && tiles <= 25, tiles + " tiles");
    }

    @ParameterizedTest
    @ValueSource(strings = {"knative/overlays/homelab", "knative/overlays/homelab-small"})
    void theLastTileOfALargestAoiIsAnsweredWellWithinTheTimeout(String overlay) {
        Budget b = budget(overlay, worstCaseTiles());
        System.out.println("Tile timeout budget " + b);
        assertEquals(List.of(), b.problems());
    }

    /** The slowest model load seen in score-tile's logs (docs/performance.md, "model load 0.4-1.3 s"). */
    static final double MODEL_LOAD_S = 1.3;
    /** Knative's bound on {@code scale-down-delay} (its autoscaler validation: 0 to 1 h, whole seconds). */
    static final Duration KNATIVE_MAX_SCALE_DOWN_DELAY = Duration.ofHours(1);
    private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** A Go duration of whole seconds as Knative's annotations take it ("70s", "1m30s"); null if it is not one. */
    static Duration goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return null;
        }
        long s = 0;
        for (int g = 1; g <= 3; g++) {
            s = s * 60 + (m.group(g) == null ? 0 : Long.parseLong(m.group(g)));
        }
        return Duration.ofSeconds(s);
    }

    /**
     * A tile worker is not scaled away between two tiles of one job: each Service's {@code scale-down-delay} covers two
     * tile-times without work (the per-tile figure of {@link #budget}), plus a model load for score-tile, whose
     * instances are fed one feature tile per tile-time of a worker. Losing the instance there would re-pay a cold start
     * for every tile.
     */
    @ParameterizedTest
    @ValueSource(strings = {"knative/overlays/homelab", "knative/overlays/homelab-small"})
    void tileWorkersStayUpBetweenTwoTilesOfAJob(String overlay) {
        Budget b = budget(overlay, worstCaseTiles());
        Kustomize.Result r = Deployables.render(overlay);
        for (String fn : List.of("extract-features", "score-tile")) {
            String text = r.ofKind("Service").stream().filter(s -> s.name().equals(fn)).findFirst().orElseThrow().doc()
                    .at("/spec/template/metadata/annotations").path("autoscaling.knative.dev/scale-down-delay").asText("");
            Duration delay = goDuration(text);
            assertTrue(delay != null && delay.compareTo(KNATIVE_MAX_SCALE_DOWN_DELAY) <= 0,
                    overlay + " " + fn + ": scale-down-delay '" + text + "' is not a Knative duration of 0 to 1 h");
            double needed = 2 * b.perTileS() + (fn.equals("score-tile") ? MODEL_LOAD_S : 0);
            System.out.printf(Locale.ROOT, "Scale-down delay %s %s: %d s, needed %.1f s%n", overlay, fn, delay.toSeconds(), needed);
            assertTrue(delay.toSeconds() >= needed, String.format(Locale.ROOT,
                    "%s %s: scale-down-delay %d s is shorter than two tile-times%s (%.1f s)", overlay, fn,
                    delay.toSeconds(), fn.equals("score-tile") ? " and a model load" : "", needed));
        }
    }

    @Test
    void knativeDurationsAreReadAsKnativeReadsThem() {
        assertEquals(Duration.ofSeconds(70), goDuration("70s"));
        assertEquals(Duration.ofSeconds(90), goDuration("1m30s"));
        assertEquals(Duration.ofHours(1), goDuration("1h"));
        assertEquals(null, goDuration(""));
        assertEquals(null, goDuration("70"));
        assertEquals(null, goDuration("1.5s"));
    }

    @Test
    void everySubscriberAnswersBeforeTheBrokerGivesUp() {
        Kustomize.Result r = Deployables.render("knative/overlays/homelab");
        Duration delivery = Duration.parse(r.ofKind("Broker").getFirst().doc().at("/spec/delivery/timeout").asText());
        for (Kustomize.Resource s : r.ofKind("Service")) {
            int t = s.doc().at("/spec/template/spec/timeoutSeconds").asInt();
            assertTrue(delivery.toSeconds() > t, s.name() + ": timeoutSeconds " + t + " >= the Broker's delivery timeout " + delivery);
        }
    }

    @Test
    void theDeployGuideStatesTheArithmeticOfEachOverlay() {
        String guide = Repo.read(Repo.path("docs/deploy.md"));
        int tiles = worstCaseTiles();
        for (String overlay : List.of("knative/overlays/homelab", "knative/overlays/homelab-small")) {
            Budget b = budget(overlay, tiles);
            String line = String.format(Locale.ROOT, "ceil(%d/%d) = %d", tiles, b.maxScale() * b.concurrency(), b.waves());
            assertTrue(guide.contains(line), "docs/deploy.md does not state " + line + " for " + overlay);
            String total = String.format(Locale.ROOT, "%d x %.1f s = %.0f s", b.waves(), b.concurrency() * b.perTileS(), b.worstCaseS());
            assertTrue(guide.contains(total), "docs/deploy.md does not state " + total + " for " + overlay);
        }
    }

    @Test
    void tooFewWorkersTooShortATimeoutOrAnImpatientBrokerAreCaught() {
        double perTile = perTileSeconds(8);
        // One worker for a largest AOI: 21+ waves of 34 s is far past 600 s.
        Budget oneWorker = new Budget("one worker", 25, 1, 1, perTile, 600, Duration.ofMinutes(11));
        assertFalse(oneWorker.problems().isEmpty(), oneWorker.toString());
        // Two tiles per pod halve the waves but double each (they share its cores): caught the same way.
        Budget doubled = new Budget("two per pod", 25, 1, 2, perTile, 600, Duration.ofMinutes(11));
        assertFalse(doubled.problems().isEmpty(), doubled.toString());
        Budget shortTimeout = new Budget("short timeout", 25, 3, 1, perTile, 300, Duration.ofMinutes(11));
        assertFalse(shortTimeout.problems().isEmpty(), shortTimeout.toString());
        Budget impatient = new Budget("impatient broker", 25, 3, 1, perTile, 600, Duration.ofSeconds(30));
        assertEquals(1, impatient.problems().size(), impatient.problems().toString());
        Budget noTimeout = new Budget("no delivery timeout", 25, 3, 1, perTile, 600, null);
        assertEquals(1, noTimeout.problems().size(), noTimeout.problems().toString());
    }
}
