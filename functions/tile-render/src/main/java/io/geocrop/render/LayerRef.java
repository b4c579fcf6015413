package io.geocrop.render;

import io.geocrop.platform.problem.ProblemException;
import io.geocrop.tiles.LayerStyle;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed layer id: {@code job-<uuid>-class}, {@code job-<uuid>-confidence}, {@code dw-<year>}, or
 * {@code upload-<name>-class}/{@code -confidence} (the result of {@code geocrop-features/uploads/<name>.tif}).
 * Characters other than letters, digits and '-' (path separators, dots, percent escapes) and malformed job ids
 * or years are a 400 naming the field {@code layer}; a well-formed id of no known kind is a 404.
 */
sealed interface LayerRef permits LayerRef.JobLayer, LayerRef.BaselineLayer, LayerRef.UploadLayer {
    Pattern SAFE = Pattern.compile("[A-Za-z0-9-]{1,128}");
    Pattern JOB = Pattern.compile("job-(.*)-(class|confidence)");
    Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    Pattern DW = Pattern.compile("dw-(.*)");
    Pattern UPLOAD = Pattern.compile("upload-([A-Za-z0-9][A-Za-z0-9-]*)-(class|confidence)");
    Pattern YEAR = Pattern.compile("[0-9]{4}");

    /** The id as given. */
    String id();

    LayerStyle style();

    /** One band of a job's result COG. */
    record JobLayer(String id, UUID job, LayerStyle style) implements LayerRef {}

    /** One band of a scored upload's result, {@code geocrop-results/uploads/<name>.tif}. */
    record UploadLayer(String id, String name, LayerStyle style) implements LayerRef {}

    /** The Dynamic World baseline of a season year. */
    record BaselineLayer(String id, int year) implements LayerRef {
        @Override
        public LayerStyle style() {
            return LayerStyle.DYNAMIC_WORLD;
        }
    }

    /**
     * Parses a layer id.
     *
     * @throws ProblemException 400 for unsafe characters or a malformed job id or year, 404 for an unknown kind
     */
    static LayerRef parse(String id) {
        if (id == null || !SAFE.matcher(id).matches()) {
            throw ProblemException.badField("layer", "must be 1 to 128 letters, digits or '-' (e.g. job-<uuid>-class"
                    + " or dw-2024), got '" + abbreviate(id) + "'");
        }
        Matcher job = JOB.matcher(id);
        if (job.matches()) {
            if (!UUID_TEXT.matcher(job.group(1)).matches()) {
                throw ProblemException.badField("layer", "the job id in '" + id + "' must be a UUID");
            }
            LayerStyle style = job.group(2).equals("class") ? LayerStyle.CROP_CLASS : LayerStyle.CONFIDENCE;
            return new JobLayer(id, UUID.fromString(job.group(1)), style);
        }
        Matcher upload = UPLOAD.matcher(id);
        if (upload.matches()) {
            LayerStyle style = upload.group(2).equals("class") ? LayerStyle.CROP_CLASS : LayerStyle.CONFIDENCE;
            return new UploadLayer(id, upload.group(1), style);
        }
        Matcher dw = DW.matcher(id);
        if (dw.matches()) {
            if (!YEAR.matcher(dw.group(1)).matches()) {
                throw ProblemException.badField("layer", "the year in '" + id + "' must have 4 digits, e.g. dw-2024");
            }
            return new BaselineLayer(id, Integer.parseInt(dw.group(1)));
        }
        throw notFound(id, "unknown layer '" + id + "'; layers are job-<uuid>-class, job-<uuid>-confidence, dw-<year>"
                + " and upload-<name>-class|confidence");
    }

    /** A 404 about the layer. */
    static ProblemException notFound(String id, String detail) {
        return ProblemException.ofField(404, "layer", detail, detail);
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }
}
