package io.geocrop.imagery.sim;

import io.geocrop.domain.UtmZone;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One simulated Sentinel-2 overpass: a date and the satellite that flew it.
 *
 * @param date     acquisition date (UTC)
 * @param platform {@code sentinel-2a} or {@code sentinel-2b}
 */
public record Acquisition(LocalDate date, String platform) {
    /** Revisit of the two-satellite constellation at the equator, days. */
    public static final int REVISIT_DAYS = 5;
    /** No simulated acquisition before this date (the first full Sentinel-2 L2A year in DEA). */
    public static final LocalDate FIRST_DATE = LocalDate.of(2017, 1, 1);

    /** Short platform code used in item ids: {@code S2A} or {@code S2B}. */
    public String platformCode() {
        return platform.equals("sentinel-2a") ? "S2A" : "S2B";
    }

    /**
     * The overpasses between two dates (inclusive) over a zone: every {@value #REVISIT_DAYS} days, alternating
     * S2A and S2B, with a phase in the 5-day cycle drawn from the seed and the zone (as real relative orbits differ
     * from place to place). Dates before {@link #FIRST_DATE} have none.
     */
    public static List<Acquisition> between(long seed, UtmZone zone, LocalDate from, LocalDate to) {
        LocalDate start = from.isBefore(FIRST_DATE) ? FIRST_DATE : from;
        long phase = Math.floorMod(Hashing.hash(seed, 31, zone.zone(), zone.south() ? 1 : 0), REVISIT_DAYS);
        long first = start.toEpochDay();
        first += Math.floorMod(phase - first, REVISIT_DAYS);
        List<Acquisition> out = new ArrayList<>();
        for (long day = first; day <= to.toEpochDay(); day += REVISIT_DAYS) {
            boolean a = Math.floorMod(Math.floorDiv(day - phase, REVISIT_DAYS), 2) == 0;
            out.add(new Acquisition(LocalDate.ofEpochDay(day), a ? "sentinel-2a" : "sentinel-2b"));
        }
        return out;
    }

    /** Whether the constellation flies over {@code zone} on {@code date} (and with which satellite). */
    public static Optional<Acquisition> on(long seed, UtmZone zone, LocalDate date) {
        List<Acquisition> one = between(seed, zone, date, date);
        return one.isEmpty() ? Optional.empty() : Optional.of(one.getFirst());
    }
}
