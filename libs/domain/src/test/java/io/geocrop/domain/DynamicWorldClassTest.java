package io.geocrop.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The enum against the published catalogue record {@code shared/data/dynamic-world/classes.json}. */
class DynamicWorldClassTest {
    private static JsonNode catalogue() throws Exception {
        String dir = System.getProperty("geocrop.shared.data", "../../../shared/data");
        Path file = Path.of(dir, "dynamic-world", "classes.json");
        assertTrue(Files.isRegularFile(file), "missing " + file.toAbsolutePath());
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void valuesNamesLabelsAndColoursAreTheCatalogues() throws Exception {
        JsonNode json = catalogue();
        JsonNode classes = json.get("classes");
        assertEquals(classes.size(), DynamicWorldClass.all().size());
        assertEquals(json.at("/labelBand/minimum").asInt(), DynamicWorldClass.all().getFirst().code());
        assertEquals(json.at("/labelBand/maximum").asInt(), DynamicWorldClass.all().getLast().code());
        for (JsonNode c : classes) {
            int value = c.get("value").asInt();
            DynamicWorldClass dw = DynamicWorldClass.ofCode(value).orElseThrow();
            assertEquals(value, dw.code());
            assertEquals(c.get("name").asText(), dw.id());
            assertEquals(c.get("color").asText(), dw.hex());
            assertEquals(json.get("palette").get(value).asText(), String.format("%06x", dw.rgb()));
            // The label is the catalogue's band description ("... coverage by shrub and scrub"), capitalised.
            String described = c.get("bandDescription").asText().replaceFirst("^.* coverage by ", "");
            assertEquals(described.substring(0, 1).toUpperCase(Locale.ROOT) + described.substring(1), dw.label());
        }
        assertEquals(json.get("gsdMeters").asDouble(), DynamicWorldClass.GSD_M);
    }

    @Test
    void lookupByCodeCoversExactlyZeroToEight() {
        for (DynamicWorldClass c : DynamicWorldClass.values()) {
            assertEquals(c, DynamicWorldClass.ofCode(c.code()).orElseThrow());
            assertEquals(c.ordinal(), c.code(), "value = index, as in Dynamic World's label band");
        }
        assertTrue(DynamicWorldClass.ofCode(DynamicWorldClass.NODATA).isEmpty());
        assertTrue(DynamicWorldClass.ofCode(9).isEmpty());
        assertTrue(DynamicWorldClass.ofCode(-1).isEmpty());
        assertEquals(DynamicWorldClass.CROPS, DynamicWorldClass.ofCode(4).orElseThrow());
    }
}
