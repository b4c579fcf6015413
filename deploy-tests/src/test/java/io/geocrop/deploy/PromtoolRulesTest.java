package io.geocrop.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules, executed: {@code promtool check rules} on {@code infra/monitoring/config/alert-rules.yml} and
 * {@code promtool test rules} on {@code infra/monitoring/tests/alert-rules-test.yml}, whose input series are recorded
 * in the names score-tile exposes (the drift alert of issue 19: fires when most recent jobs drifted, not for a few).
 */
class PromtoolRulesTest {

    private static String run(Path dir, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(args)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "promtool did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out);
        return out;
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        String out = run(Repo.path("infra/monitoring/config"), "promtool", "check", "rules", "alert-rules.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void theAlertRulesPassTheirUnitTestsOnRecordedSeries() throws Exception {
        String out = run(Repo.path("infra/monitoring/tests"), "promtool", "test", "rules", "alert-rules-test.yml");
        assertTrue(out.contains("SUCCESS"), out);
        assertTrue(Repo.read(Repo.path("infra/monitoring/tests/alert-rules-test.yml")).contains("GeoCropJobsDrifted"));
    }
}
