package io.geocrop.scoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.CropClass;
import java.math.BigDecimal;
import java.util.function.LongFunction;

/** The per-class area rows of a {@code summary.json}, shared by the job summary and an upload's summary. */
final class ClassAreas {
    private ClassAreas() {}

    /**
     * Adds one row per class with pixels (code, id, label, pixels, hectares) to {@code classes}.
     *
     * @return the total classified pixels
     */
    static long addRows(ArrayNode classes, long[] pixelsPerClass, LongFunction<BigDecimal> hectares) {
        long total = 0;
        for (int code = 1; code < pixelsPerClass.length; code++) {
            long pixels = pixelsPerClass[code];
            if (pixels == 0) {
                continue;
            }
            total += pixels;
            ObjectNode c = classes.addObject();
            c.put("code", code);
            CropClass cls = CropClass.ofCode(code).orElse(null);
            c.put("id", cls == null ? "class_" + code : cls.id());
            c.put("label", cls == null ? "Class " + code : cls.label());
            c.put("pixels", pixels);
            c.put("hectares", hectares.apply(pixels));
        }
        return total;
    }
}
