package io.geocrop.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.geocrop.models.Evaluation;
import io.geocrop.models.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportAndProgressTest {

    private static Evaluation evaluation() {
        // 1 maize, 2 tobacco, 10 water: 8 of 10 right.
        int[] actual = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        int[] predicted = {0, 0, 0, 1, 1, 1, 0, 2, 2, 2};
        return Metrics.evaluate(actual, predicted, List.of(1, 2, 10), 90);
    }

    @Test
    void theTableShowsAccuracyKappaF1AndTheConfusionMatrix() {
        String table = TrainingReport.table(evaluation());
        assertTrue(table.contains("overall accuracy  0.800"), table);
        assertTrue(table.contains("kappa             0.697"), table);
        assertTrue(table.matches("(?s).*maize\\s+0\\.750\\s+4\\n.*"), table);
        assertTrue(table.matches("(?s).*water\\s+1\\.000\\s+3\\n.*"), table);
        assertTrue(table.matches("(?s).*actual \\\\ pred\\s+1\\s+2\\s+10\\n1 maize\\s+3\\s+1\\s+0\\n2 tobacco\\s+1\\s+2\\s+0\\n10 water\\s+0\\s+0\\s+3\\n.*"), table);
    }

    @Test
    void theConfusionsAreRecordedAsCardMetricsAndSummarisedLargestFirst() {
        java.util.Map<String, Double> confused = TrainingReport.confusionMetrics(evaluation());
        // maize: 1 of 4 predicted tobacco; tobacco: 1 of 3 predicted maize; water: never wrong.
        assertEquals(java.util.Map.of("confused_maize_as_tobacco", 0.25, "confused_tobacco_as_maize", 1.0 / 3), confused);
        java.util.Map<String, Double> card = new java.util.HashMap<>(Metrics.cardMetrics(evaluation()));
        card.putAll(confused);
        assertEquals("held-out accuracy 80.0 % (kappa 0.697); mixes up tobacco as maize 33 %, maize as tobacco 25 %",
                TrainingReport.heldOutSummary(card, 5));
        assertEquals("tobacco as maize 33 %", TrainingReport.confusionSummary(card, 1));
    }

    @Test
    void theJsonHoldsTheConfusionMatrixWithItsClassOrder() throws Exception {
        JsonNode json = new ObjectMapper().readTree(TrainingReport.evaluationJson(evaluation(), null));
        assertEquals(0.8, json.get("overall_accuracy").asDouble(), 1e-12);
        assertEquals("water", json.get("classes").get(2).get("id").asText());
        assertEquals(10, json.get("classes").get(2).get("code").asInt());
        assertEquals("[[3,1,0],[1,2,0],[0,0,3]]", json.get("confusion").toString());
        assertEquals(0.75, json.get("f1").get("maize").asDouble(), 1e-12);
        assertEquals(90, json.get("train_rows").asInt());
    }

    @Test
    void theProgressBarDrawsEachStageAndEndsItsLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextProgressBar bar = new TextProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.progress(Stages.FEATURES, 0, 2);
        bar.progress(Stages.FEATURES, 1, 2); // within 200 ms of the first: skipped
        bar.progress(Stages.FEATURES, 2, 2);
        bar.progress("train", 1, 3);
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].endsWith("features  [##############################]     2/2 tiles    0 s"), lines[0]);
        assertTrue(lines[0].startsWith("\rfeatures  [------------------------------]     0/2 tiles"), lines[0]);
        assertTrue(lines[1].startsWith("\rtrain     [##########--------------------]     1/3 rounds"), lines[1]);
    }

    @Test
    void inALogTheBarWritesOneLinePerTenthOfAStage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TextProgressBar bar = new TextProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (int done = 0; done <= 100; done++) {
            bar.progress(Stages.IMAGERY, done, 100);
        }
        bar.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(11, out.split("\n").length, out);
        assertTrue(!out.contains("\r"), "no carriage returns in a log");
    }
}
