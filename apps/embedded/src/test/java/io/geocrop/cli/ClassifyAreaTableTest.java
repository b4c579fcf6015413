package io.geocrop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The area table and the drift line {@code classify} prints from a summary.json. */
class ClassifyAreaTableTest {

    @Test
    void printsMappedAndAdjustedHectaresWithIntervalsAndTheAssumption() throws Exception {
        JsonNode summary = ApiClient.JSON.readTree("""
                {"total_hectares": 30.00,
                 "classes": [{"code": 1, "label": "Maize", "hectares": 20.00},
                             {"code": 5, "label": "Soybean", "hectares": 10.00}],
                 "area_estimate": {"available": true, "held_out_rows": 4200,
                   "assumption": "assumes the model's held-out error rates hold in this area",
                   "classes": [{"code": 1, "label": "Maize", "adjusted_hectares": 18.25, "ci95_hectares": 1.5},
                               {"code": 4, "label": "Groundnut", "adjusted_hectares": 2.5, "ci95_hectares": 0.75},
                               {"code": 5, "label": "Soybean", "adjusted_hectares": 9.25, "ci95_hectares": 1.25}],
                   "unverified_classes": []}}""");
        String table = ClassifyCommand.areaTable(summary);
        assertTrue(table.contains("Adjusted ha"), table);
        assertTrue(table.matches("(?s).*Maize\\s+20\\.00\\s+66\\.7%\\s+18\\.25\\s+± 1\\.50.*"), table);
        assertTrue(table.matches("(?s).*Groundnut\\s+0\\.00\\s+0\\.0%\\s+2\\.50\\s+± 0\\.75.*"),
                "a class estimated present but not mapped gets a row: " + table);
        assertTrue(table.contains("assumes the model's held-out error rates hold in this area"), table);
        assertTrue(table.contains("4200 rows"), table);
    }

    @Test
    void saysWhyThereAreNoAdjustedAreas() throws Exception {
        JsonNode summary = ApiClient.JSON.readTree("""
                {"total_hectares": 1.00, "classes": [{"code": 1, "label": "Maize", "hectares": 1.00}],
                 "area_estimate": {"available": false, "reason": "the model card records no held-out confusion matrix"}}""");
        String table = ClassifyCommand.areaTable(summary);
        assertTrue(!table.contains("Adjusted ha"), table);
        assertTrue(table.contains("No error-adjusted areas: the model card records no held-out confusion matrix"), table);
    }

    @Test
    void printsTheDriftInWordsOrWhyThereIsNone() throws Exception {
        JsonNode drifted = ApiClient.JSON.readTree("""
                {"drift": {"available": true, "level": "moderate", "score": 0.2391,
                  "words": "this area's peak NDVI days look unlike the training data"}}""");
        assertEquals("Drift from the training data: moderate (0.24): this area's peak NDVI days look unlike the training data",
                ClassifyCommand.driftLine(drifted));
        JsonNode unavailable = ApiClient.JSON.readTree("""
                {"drift": {"available": false, "reason": "the model card records no training distribution"}}""");
        assertEquals("Drift from the training data: not computed (the model card records no training distribution)",
                ClassifyCommand.driftLine(unavailable));
        assertEquals("", ClassifyCommand.driftLine(ApiClient.JSON.readTree("{}")));
    }
}
