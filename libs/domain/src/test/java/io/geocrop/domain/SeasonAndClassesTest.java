package io.geocrop.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeasonAndClassesTest {

    @Test
    void seasonWindow() {
        Season s = new Season(2023);
        assertEquals(LocalDate.of(2023, 9, 1), s.start());
        assertEquals(LocalDate.of(2024, 5, 31), s.end());
        assertEquals(0, s.dayOfSeason(LocalDate.of(2023, 9, 1)));
        assertEquals(273, s.dayOfSeason(LocalDate.of(2024, 5, 31)));
        assertEquals("2023-09-01T00:00:00Z/2024-05-31T23:59:59Z", s.stacInterval());
        assertFalse(s.isFinishedOn(LocalDate.of(2024, 5, 31)));
        assertTrue(s.isFinishedOn(LocalDate.of(2024, 6, 1)));
    }

    @Test
    void cropClassesAreNumberedOneToElevenWithDistinctColours() {
        assertEquals(11, CropClass.all().size());
        Set<Integer> colours = new HashSet<>();
        for (int code = 1; code <= 11; code++) {
            CropClass c = CropClass.ofCode(code).orElseThrow();
            assertEquals(code, c.code());
            assertTrue(colours.add(c.rgb()), "duplicate colour for " + c);
            assertTrue(c.hex().matches("#[0-9a-f]{6}"));
        }
        assertTrue(CropClass.ofCode(CropClass.NODATA).isEmpty());
        assertTrue(CropClass.ofCode(12).isEmpty());
    }

    @Test
    void jobStatesOnlyMoveForward() {
        assertTrue(JobState.QUEUED.canMoveTo(JobState.EXTRACTING));
        assertFalse(JobState.COMPLETED.canMoveTo(JobState.FAILED));
        assertFalse(JobState.SCORING.canMoveTo(JobState.QUEUED));
        for (JobState s : JobState.values()) {
            assertTrue(s.canMoveTo(s), s + " must allow idempotent redelivery");
        }
    }
}
