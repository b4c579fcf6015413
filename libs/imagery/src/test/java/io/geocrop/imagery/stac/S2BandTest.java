package io.geocrop.imagery.stac;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class S2BandTest {

    @Test
    void namesResolveFromBandIdsAndAliases() {
        assertEquals(Optional.of(S2Band.B04), S2Band.fromName("B04"));
        assertEquals(Optional.of(S2Band.B04), S2Band.fromName("b4"));
        assertEquals(Optional.of(S2Band.B04), S2Band.fromName("red"));
        assertEquals(Optional.of(S2Band.B8A), S2Band.fromName("b8a"));
        assertEquals(Optional.of(S2Band.B8A), S2Band.fromName("nir08"));
        assertEquals(Optional.of(S2Band.B08), S2Band.fromName("NIR"));
        assertEquals(Optional.of(S2Band.B06), S2Band.fromName("rededge2"));
        assertEquals(Optional.of(S2Band.SCL), S2Band.fromName("scl"));
        assertEquals(Optional.empty(), S2Band.fromName("rededge"), "shared by B05, B06 and B07");
        assertEquals(Optional.empty(), S2Band.fromName("visual"));
        assertEquals(Optional.empty(), S2Band.fromName(null));
    }

    @Test
    void fromIdAcceptsOnlyBandIds() {
        assertEquals(Optional.of(S2Band.B11), S2Band.fromId("B11"));
        assertEquals(Optional.of(S2Band.SCL), S2Band.fromId("SCL"));
        assertEquals(Optional.of(S2Band.B04), S2Band.fromId("B4"));
        assertEquals(Optional.empty(), S2Band.fromId("swir16"));
        assertEquals(Optional.empty(), S2Band.fromId("red"));
    }

    @Test
    void geoCropBandsAreTheTenReflectanceBandsAndScl() {
        assertEquals(List.of("B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B11", "B12", "SCL"),
                S2Band.GEOCROP_BANDS.stream().map(S2Band::id).toList());
        assertEquals(10, S2Band.GEOCROP_BANDS.stream().filter(S2Band::isReflectance).count());
        assertFalse(S2Band.SCL.isReflectance());
        assertEquals(20, S2Band.B8A.resolutionM());
        assertEquals(60, S2Band.B01.resolutionM());
    }
}
