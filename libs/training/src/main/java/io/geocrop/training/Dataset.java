package io.geocrop.training;

import io.geocrop.domain.CropClass;
import io.geocrop.domain.JobTile;
import io.geocrop.models.TrainingData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A labelled dataset ready to train on, and how it was made.
 *
 * @param data        rows in FEATURE_ORDER_V1, labels ({@code CropClass} codes) and spatial groups
 * @param reference   where the rows come from, as recorded in the model card (e.g. "labels.csv, season 2024")
 * @param tiles       the job tiles whose features were computed
 * @param skipped     one readable line per label (or group of labels) left out, with why
 * @param locations   the pixel of each row, in row order
 * @param stageTimes  wall time of each stage ({@link Stages#IMAGERY}, {@link Stages#FEATURES}), in order
 */
public record Dataset(TrainingData data, String reference, List<JobTile> tiles, List<String> skipped,
                      List<PixelRef> locations, Map<String, StageTime> stageTimes) {
    public Dataset {
        if (locations.size() != data.size()) {
            throw new IllegalArgumentException(locations.size() + " locations for " + data.size() + " rows");
        }
        locations = List.copyOf(locations);
        tiles = List.copyOf(tiles);
        skipped = List.copyOf(skipped);
        stageTimes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stageTimes));
    }

    /** Rows per class id, in class-code order. */
    public Map<String, Integer> rowsByClass() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int label : data.labels()) {
            counts.merge(label, 1, Integer::sum);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.forEach((code, n) -> out.put(CropClass.ofCode(code).map(CropClass::id).orElse("class " + code), n));
        return out;
    }

    /**
     * SHA-256 of the rows, labels and groups (hex, first 16 digits): the same dataset always gives the same
     * fingerprint, so a model card can say exactly which rows trained it.
     */
    public String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (float v : data.rows()) {
                if (buf.remaining() < 4) {
                    sha.update(buf.flip());
                    buf.clear();
                }
                buf.putInt(Float.floatToIntBits(v)); // canonical NaN
            }
            for (int i = 0; i < data.size(); i++) {
                if (buf.remaining() < 8) {
                    sha.update(buf.flip());
                    buf.clear();
                }
                buf.putInt(data.labels()[i]).putInt(data.groups()[i]);
            }
            sha.update(buf.flip());
            return java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Number of distinct spatial groups. */
    public long groupCount() {
        return java.util.Arrays.stream(data.groups()).distinct().count();
    }
}
