package io.geocrop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * The job's cost as {@code classify} prints it, from the job API's {@code cost} object: CPU seconds (every thread
 * that worked for the job), imagery read from the catalogue and bytes written, per stage, in total and per km².
 */
final class JobCostTable {
    private JobCostTable() {}

    /** The table, or a line saying the job recorded no cost. */
    static String format(JsonNode cost) {
        if (cost == null || cost.isMissingNode() || cost.isNull() || !cost.has("stages")) {
            return "Cost: none recorded for this job.";
        }
        StringBuilder b = new StringBuilder("Cost by stage (CPU of every thread that worked for the job):\n");
        b.append(String.format(Locale.ROOT, "  %-12s %6s %10s %10s %11s %11s%n", "stage", "units", "CPU s",
                "requests", "read MiB", "written MiB"));
        for (JsonNode s : cost.path("stages")) {
            b.append(row(s.path("stage").asText(), Integer.toString(s.path("units").asInt()), s));
        }
        b.append(row("total", "", cost.path("total")));
        JsonNode per = cost.path("per_km2");
        if (!per.isMissingNode()) {
            b.append(String.format(Locale.ROOT, "  per km² (AOI %.2f km²): %.2f CPU s, %.0f requests, %.2f MiB read,"
                            + " %.2f MiB written%n", cost.path("aoi_km2").asDouble(), per.path("cpu_seconds").asDouble(),
                    per.path("catalogue_requests").asDouble(), per.path("catalogue_bytes").asDouble() / MIB,
                    per.path("bytes_written").asDouble() / MIB));
        }
        return b.toString().stripTrailing();
    }

    private static final double MIB = 1024.0 * 1024.0;

    private static String row(String stage, String units, JsonNode f) {
        return String.format(Locale.ROOT, "  %-12s %6s %10.2f %10d %11.2f %11.2f%n", stage, units,
                f.path("cpu_seconds").asDouble(), f.path("catalogue_requests").asLong(),
                f.path("catalogue_bytes").asDouble() / MIB, f.path("bytes_written").asDouble() / MIB);
    }
}
