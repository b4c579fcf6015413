package io.geocrop.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.DynamicWorldClass;
import org.junit.jupiter.api.Test;

class LayerStyleTest {

    @Test
    void dynamicWorldStyleIsTheDomainEnum() {
        // DynamicWorldClass is checked against the published classes.json by the domain's own test.
        LayerStyle dw = LayerStyle.DYNAMIC_WORLD;
        assertEquals(DynamicWorldClass.all().size(), dw.legend().size());
        for (DynamicWorldClass c : DynamicWorldClass.all()) {
            assertEquals(c.code(), dw.indexOf(c.code()));
            assertEquals(0xff000000 | c.rgb(), dw.palette()[c.code()]);
            assertEquals(new LegendEntry(c.code(), c.id(), c.hex()), dw.legend().get(c.code()));
        }
        assertEquals(new LegendEntry(5, "shrub_and_scrub", "#dfc35a"), dw.legend().get(5));
        assertEquals(DynamicWorldClass.NODATA, LayerStyle.DW_NODATA);
    }

    @Test
    void dynamicWorldNodataAndUnknownValuesAreTransparent() {
        LayerStyle dw = LayerStyle.DYNAMIC_WORLD;
        assertEquals(9, dw.indexOf(LayerStyle.DW_NODATA));
        assertEquals(9, dw.indexOf(9));
        assertEquals(0, dw.palette()[dw.transparentIndex()] >>> 24);
        assertEquals(0xff419bdf, dw.palette()[dw.indexOf(0)]);
    }

    @Test
    void cropClassPaletteIsTheDomainColours() {
        LayerStyle s = LayerStyle.CROP_CLASS;
        assertEquals(0, s.transparentIndex());
        assertEquals(0, s.palette()[0] >>> 24);
        for (CropClass c : CropClass.all()) {
            assertEquals(c.code(), s.indexOf(c.code()));
            assertEquals(0xff000000 | c.rgb(), s.palette()[c.code()]);
        }
        assertEquals(0, s.indexOf(12), "values that are no class are transparent");
        assertEquals(11, s.legend().size());
        assertEquals(new LegendEntry(1, "Maize", "#f2c12e"), s.legend().getFirst());
    }

    @Test
    void confidenceRampIsViridisAndMonotonicInBrightness() {
        assertEquals(0x440154, ConfidenceRamp.rgb(0));
        assertEquals(0x21918c, ConfidenceRamp.rgb(50));
        assertEquals(0xfde725, ConfidenceRamp.rgb(100));
        assertEquals(0xfde725, ConfidenceRamp.rgb(180), "clamped");
        double previous = -1;
        for (int v = 0; v <= 100; v++) {
            int rgb = ConfidenceRamp.rgb(v);
            double luma = 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
            assertTrue(luma >= previous - 0.5, "brightness must not fall at " + v);
            previous = luma;
        }
        LayerStyle s = LayerStyle.CONFIDENCE;
        assertEquals(101, s.transparentIndex());
        assertEquals(100, s.indexOf(255));
        assertEquals(0, s.maskBand(), "masked by the class band");
    }
}
