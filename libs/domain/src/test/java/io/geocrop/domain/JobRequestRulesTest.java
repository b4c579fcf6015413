package io.geocrop.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobRequestRulesTest {
    private final JobRequestRules rules = new JobRequestRules(Coverage.ZIMBABWE, 100, 10_000,
            Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void acceptsAValidRequest() {
        JobRequest request = rules.validate(31.05, -17.83, 2000.0, 2024);
        assertEquals(new Aoi(31.05, -17.83, 2000.0), request.aoi());
        assertEquals(2024, request.season().year());
    }

    @Test
    void latestSeasonIsTheLastFinishedOne() {
        assertEquals(2025, rules.latestSeason().year());
        JobRequestRules beforeEnd = new JobRequestRules(Coverage.ZIMBABWE, 100, 10_000,
                Clock.fixed(Instant.parse("2026-05-31T23:00:00Z"), ZoneOffset.UTC));
        assertEquals(2024, beforeEnd.latestSeason().year());
    }

    @ParameterizedTest(name = "{0},{1},{2},{3} -> {4}")
    @CsvSource(nullValues = "null", value = {
        "null, -17.83, 2000, 2024, lon",
        "31.05, null, 2000, 2024, lat",
        "31.05, -17.83, null, 2024, radius_m",
        "31.05, -17.83, 2000, null, year",
        "NaN, -17.83, 2000, 2024, lon",
        "31.05, Infinity, 2000, 2024, lat",
        "181, -17.83, 2000, 2024, lon",
        "31.05, -91, 2000, 2024, lat",
        "-17.83, 31.05, 2000, 2024, lon",
        "31.05, -17.83, 99.9, 2024, radius_m",
        "31.05, -17.83, 10000.1, 2024, radius_m",
        "31.05, -17.83, -5, 2024, radius_m",
        "2.35, 48.85, 2000, 2024, lon",
        "25.21, -17.9, 5000, 2024, radius_m",
        "31.05, -17.83, 2000, 2016, year",
        "31.05, -17.83, 2000, 2026, year",
    })
    void rejectsWithTheFieldNamed(Double lon, Double lat, Double radius, Integer year, String field) {
        ValidationException e = assertThrows(ValidationException.class, () -> rules.validate(lon, lat, radius, year));
        assertTrue(e.errors().stream().anyMatch(err -> err.field().equals(field)), () -> e.errors().toString());
    }

    @Test
    void swappedCoordinatesSaySo() {
        ValidationException e = assertThrows(ValidationException.class, () -> rules.validate(-17.83, 31.05, 2000.0, 2024));
        assertTrue(e.getMessage().contains("swapped"), e.getMessage());
    }

    @Test
    void reportsEveryBadField() {
        ValidationException e = assertThrows(ValidationException.class, () -> rules.validate(null, 200.0, 1.0, 1999));
        assertEquals(4, e.errors().size(), e.errors().toString());
    }
}
