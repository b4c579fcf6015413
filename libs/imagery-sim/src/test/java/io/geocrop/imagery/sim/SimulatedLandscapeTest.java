package io.geocrop.imagery.sim;

import io.geocrop.domain.CropClass;
import io.geocrop.raster.Raster;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedLandscapeTest {
    private final SimulatedLandscape land = new SimulatedLandscape(SimTestSupport.SEED, SimTestSupport.ZONE_36S);

    @Test
    void aSubWindowOfTheTruthEqualsThePartOfALargerWindow() {
        Raster big = land.truth(284_000, 8_036_000, 300, 200);
        Raster part = land.truth(284_000 + 10 * 73, 8_036_000 - 10 * 41, 111, 97);
        for (int y = 0; y < 97; y++) {
            for (int x = 0; x < 111; x++) {
                assertEquals(big.get(0, x + 73, y + 41), part.get(0, x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void truthAgreesWithClassAtPixelCentres() {
        Raster r = land.truth(284_000, 8_036_000, 50, 40);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                CropClass c = land.classAt(284_000 + 10 * x + 5, 8_036_000 - 10 * y - 5);
                assertEquals(c.code(), (int) r.get(0, x, y));
            }
        }
    }

    @Test
    void sameSeedSameLandscapeDifferentSeedDifferentOne() {
        Raster a = land.truth(280_000, 8_040_000, 256, 256);
        Raster b = new SimulatedLandscape(SimTestSupport.SEED, SimTestSupport.ZONE_36S).truth(280_000, 8_040_000, 256, 256);
        Raster c = new SimulatedLandscape(SimTestSupport.SEED + 1, SimTestSupport.ZONE_36S).truth(280_000, 8_040_000, 256, 256);
        assertArrayEquals(a.bytes(0), b.bytes(0));
        assertFalse(java.util.Arrays.equals(a.bytes(0), c.bytes(0)));
    }

    @Test
    void fieldsAreHalfToFiveHectaresAndMaizeIsTheCommonestCrop() {
        // Count pixels per parcel id over 6 km x 6 km and classes over parcels.
        Map<Long, Integer> pixels = new java.util.HashMap<>();
        Map<Long, CropClass> classOf = new java.util.HashMap<>();
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 600; x++) {
                Parcel p = land.parcelAt(280_000 + 10 * x + 5, 8_030_000 + 10 * y + 5);
                pixels.merge(p.id(), 1, Integer::sum);
                classOf.put(p.id(), p.cropClass());
            }
        }
        // Parcels cut by the window edge are smaller; judge the median parcel.
        int[] sizes = pixels.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        double medianHa = sizes[sizes.length / 2] * 100 / 10_000.0;
        assertTrue(medianHa > 0.5 && medianHa < 5, "median parcel " + medianHa + " ha");
        Map<CropClass, Integer> parcelsPerClass = new EnumMap<>(CropClass.class);
        classOf.values().forEach(c -> parcelsPerClass.merge(c, 1, Integer::sum));
        int maize = parcelsPerClass.getOrDefault(CropClass.MAIZE, 0);
        for (CropClass c : CropClass.values()) {
            if (c != CropClass.MAIZE && c != CropClass.GRASSLAND_SHRUB && c != CropClass.TREES) {
                assertTrue(maize > parcelsPerClass.getOrDefault(c, 0), "maize " + maize + " vs " + c + " " + parcelsPerClass);
            }
        }
    }

    @Test
    void everyClassOccursOverALargeArea() {
        Set<CropClass> seen = new HashSet<>();
        for (int y = 0; y < 80; y++) {
            for (int x = 0; x < 80; x++) {
                seen.add(land.classAt(270_000 + 500 * x + 5, 8_020_000 + 500 * y + 5));
            }
        }
        assertEquals(Set.of(CropClass.values()), seen);
    }

    @Test
    void parcelAttributesVaryPerParcel() {
        Parcel a = land.parcelAt(285_005, 8_035_005);
        Parcel b = land.parcelAt(285_005 + 3 * SimulatedLandscape.PARCEL_SPACING_M, 8_035_005);
        assertNotEquals(a.id(), b.id());
        assertNotEquals(a.vigour(), b.vigour());
        assertTrue(a.vigour() >= 0.55 && a.vigour() <= 1.1);
    }

    @Test
    void misalignedWindowsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> land.truth(284_005, 8_036_000, 10, 10));
        assertTrue(e.getMessage().contains("minX"), e.getMessage());
    }
}
