package io.geocrop.imagery.sim;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The id of a simulated acquisition, in Earth Search's Sentinel-2 style: {@code S2A_36KTE07_20240105_0_L2A}
 * (platform, scene, date, sequence 0, processing level).
 *
 * @param platformCode {@code S2A} or {@code S2B}
 * @param scene        the simulated granule
 * @param date         acquisition date
 */
public record SimulatedItemId(String platformCode, Scene scene, LocalDate date) {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

    public SimulatedItemId {
        if (!"S2A".equals(platformCode) && !"S2B".equals(platformCode)) {
            throw new IllegalArgumentException("platform code must be S2A or S2B, got " + platformCode);
        }
    }

    /** The id string. */
    @Override
    public String toString() {
        return platformCode + "_" + scene.id() + "_" + date.format(BASIC) + "_0_L2A";
    }

    /** Parses an id; throws {@link IllegalArgumentException} naming the id when it is malformed. */
    public static SimulatedItemId parse(String id) {
        String[] parts = id == null ? new String[0] : id.split("_", -1);
        if (parts.length != 5 || !parts[3].equals("0") || !parts[4].equals("L2A")) {
            throw new IllegalArgumentException("not a simulated item id: '" + id + "' (expected e.g. S2A_36KTE07_20240105_0_L2A)");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(parts[2], BASIC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a simulated item id: '" + id + "': bad date " + parts[2], e);
        }
        try {
            return new SimulatedItemId(parts[0], Scene.parse(parts[1]), date);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a simulated item id: '" + id + "': " + e.getMessage(), e);
        }
    }
}
