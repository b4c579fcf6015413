package io.geocrop.domain;

import java.time.LocalDate;

/**
 * A Zimbabwe summer growing season: {@code year=Y} runs from Y-09-01 to (Y+1)-05-31 inclusive.
 */
public record Season(int year) {
    /** First season with a full Sentinel-2 L2A record in Digital Earth Africa. */
    public static final int FIRST_YEAR = 2017;

    public LocalDate start() {
        return LocalDate.of(year, 9, 1);
    }

    /** Last day of the season, inclusive. */
    public LocalDate end() {
        return LocalDate.of(year + 1, 5, 31);
    }

    /** Days since 1 September of the season (day 0 is 1 September). */
    public long dayOfSeason(LocalDate date) {
        return date.toEpochDay() - start().toEpochDay();
    }

    /** True once the season's last day is over on {@code today}. */
    public boolean isFinishedOn(LocalDate today) {
        return today.isAfter(end());
    }

    /** The newest season that is over on {@code today}. */
    public static Season latestFinished(LocalDate today) {
        int y = today.getYear();
        Season candidate = new Season(y);
        while (!candidate.isFinishedOn(today)) {
            candidate = new Season(--y);
        }
        return candidate;
    }

    /** ISO 8601 interval for STAC searches, {@code start/end} in UTC. */
    public String stacInterval() {
        return start() + "T00:00:00Z/" + end() + "T23:59:59Z";
    }
}
