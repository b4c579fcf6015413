package io.geocrop.scoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.CropClass;
import io.geocrop.models.AreaEstimator;
import io.geocrop.models.ModelCard;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * The per-class area rows of a {@code summary.json}, shared by the job summary and an upload's summary, and the
 * error-adjusted area estimate next to them ({@code area_estimate}).
 */
final class ClassAreas {
    /** What the adjusted areas assume; shown wherever they are. */
    static final String ASSUMPTION = "assumes the model's held-out error rates hold in this area";
    static final String METHOD = "stratified estimator of Olofsson et al. (2014) with the map classes as strata and"
            + " the model's spatially held-out confusion matrix as the sample";
    private static final ObjectMapper JSON = new ObjectMapper();

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
            c.put("id", id(code));
            c.put("label", cls == null ? "Class " + code : cls.label());
            c.put("pixels", pixels);
            c.put("hectares", hectares.apply(pixels));
        }
        return total;
    }

    private static String id(int code) {
        return CropClass.ofCode(code).map(CropClass::id).orElse("class_" + code);
    }

    /** The card's held-out confusion as the result-tile metadata value, or empty when the card has none. */
    static Optional<String> confusionItem(ModelCard card) {
        if (card.heldOutConfusion().isEmpty()) {
            return Optional.empty();
        }
        ObjectNode o = JSON.createObjectNode();
        ArrayNode codes = o.putArray("class_codes");
        card.classCodes().forEach(codes::add);
        ArrayNode rows = o.putArray("confusion");
        for (List<Long> row : card.heldOutConfusion()) {
            ArrayNode r = rows.addArray();
            row.forEach(r::add);
        }
        return Optional.of(o.toString());
    }

    /** A held-out confusion matrix with its class codes, as carried by result tiles. */
    record HeldOut(List<Integer> classCodes, long[][] confusion) {}

    /**
     * Reads a {@link ResultTiles#MODEL_HELD_OUT_CONFUSION} value.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    static HeldOut parseConfusion(String item) {
        JsonNode o;
        try {
            o = JSON.readTree(item);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        List<Integer> codes = new ArrayList<>();
        o.path("class_codes").forEach(n -> codes.add(n.asInt()));
        JsonNode rows = o.path("confusion");
        if (codes.isEmpty() || rows.size() != codes.size()) {
            throw new IllegalArgumentException("expected a " + codes.size() + " x " + codes.size() + " confusion matrix");
        }
        long[][] m = new long[codes.size()][codes.size()];
        for (int i = 0; i < m.length; i++) {
            JsonNode row = rows.get(i);
            if (row.size() != codes.size()) {
                throw new IllegalArgumentException("row " + i + " has " + row.size() + " counts, not " + codes.size());
            }
            for (int j = 0; j < m.length; j++) {
                m[i][j] = row.get(j).asLong();
            }
        }
        return new HeldOut(codes, m);
    }

    /**
     * Adds {@code area_estimate} to a summary: per class the mapped and error-adjusted hectares with a 95 % confidence
     * interval ({@link AreaEstimator}), or {@code available: false} and the reason when they cannot be computed.
     *
     * @param heldOut        the scoring model's held-out confusion; null when it is not known
     * @param whyUnavailable the reason to give when {@code heldOut} is null
     * @param haPerPixel     hectares of one pixel
     */
    static void addEstimate(ObjectNode root, long[] pixelsPerClass, HeldOut heldOut, String whyUnavailable,
                            double haPerPixel) {
        ObjectNode e = root.putObject("area_estimate");
        e.put("method", METHOD);
        e.put("assumption", ASSUMPTION);
        e.put("confidence_level", 0.95);
        if (heldOut == null) {
            e.put("available", false);
            e.put("reason", whyUnavailable);
            return;
        }
        double[] mapped = new double[heldOut.classCodes().size()];
        long total = 0;
        for (int code = 1; code < pixelsPerClass.length; code++) {
            if (pixelsPerClass[code] == 0) {
                continue;
            }
            int i = heldOut.classCodes().indexOf(code);
            if (i < 0) {
                e.put("available", false);
                e.put("reason", "the map has class " + id(code) + ", which the model's held-out matrix lacks");
                return;
            }
            mapped[i] = pixelsPerClass[code] * haPerPixel;
            total += pixelsPerClass[code];
        }
        if (total == 0) {
            e.put("available", false);
            e.put("reason", "no classified pixels");
            return;
        }
        AreaEstimator.Estimate est = AreaEstimator.fromHeldOut(heldOut.classCodes(), heldOut.confusion(), mapped);
        long samples = 0;
        for (long[] row : heldOut.confusion()) {
            for (long n : row) {
                samples += n;
            }
        }
        e.put("available", true);
        e.put("held_out_rows", samples);
        ArrayNode classes = e.putArray("classes");
        for (AreaEstimator.ClassEstimate c : est.classes()) {
            ObjectNode r = classes.addObject();
            r.put("code", c.code());
            r.put("id", id(c.code()));
            r.put("label", CropClass.ofCode(c.code()).map(CropClass::label).orElse("Class " + c.code()));
            r.put("mapped_hectares", round(c.mapped()));
            r.put("adjusted_hectares", round(c.adjusted()));
            r.put("ci95_hectares", round(c.halfWidth95()));
            r.put("low_hectares", round(Math.max(0, c.adjusted() - c.halfWidth95())));
            r.put("high_hectares", round(c.adjusted() + c.halfWidth95()));
            if (!Double.isNaN(c.usersAccuracy())) {
                r.put("users_accuracy", BigDecimal.valueOf(c.usersAccuracy()).setScale(4, RoundingMode.HALF_EVEN));
            }
        }
        ArrayNode unverified = e.putArray("unverified_classes");
        est.unverifiedMapClasses().forEach(code -> unverified.add(id(code)));
    }

    private static BigDecimal round(double hectares) {
        return BigDecimal.valueOf(hectares).setScale(2, RoundingMode.HALF_EVEN);
    }
}
