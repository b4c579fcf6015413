package io.geocrop.domain;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates the fields of a job request against brief section 2: finite numbers, longitude and latitude in
 * range, a radius within the configured bounds, the whole AOI inside the coverage, and a finished season
 * from {@link Season#FIRST_YEAR} on. Every problem found is reported, each naming its field.
 */
public final class JobRequestRules {
    public static final double DEFAULT_MIN_RADIUS_M = 100;
    public static final double DEFAULT_MAX_RADIUS_M = 10_000;

    private final Coverage coverage;
    private final double minRadiusM;
    private final double maxRadiusM;
    private final Clock clock;

    public JobRequestRules(Coverage coverage, double minRadiusM, double maxRadiusM, Clock clock) {
        if (!(minRadiusM > 0 && minRadiusM <= maxRadiusM)) {
            throw new IllegalArgumentException("radius bounds must satisfy 0 < min <= max");
        }
        this.coverage = coverage;
        this.minRadiusM = minRadiusM;
        this.maxRadiusM = maxRadiusM;
        this.clock = clock;
    }

    public static JobRequestRules defaults() {
        return new JobRequestRules(Coverage.ZIMBABWE, DEFAULT_MIN_RADIUS_M, DEFAULT_MAX_RADIUS_M, Clock.systemUTC());
    }

    public Coverage coverage() {
        return coverage;
    }

    public double minRadiusM() {
        return minRadiusM;
    }

    public double maxRadiusM() {
        return maxRadiusM;
    }

    /** The newest season a job may ask for today. */
    public Season latestSeason() {
        return Season.latestFinished(LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    }

    /**
     * Checks the raw fields (null means the field was missing) and returns the request, or throws
     * {@link ValidationException} listing every field at fault.
     */
    public JobRequest validate(Double lon, Double lat, Double radiusM, Integer year) {
        List<FieldError> errors = new ArrayList<>();
        boolean lonOk = checkFinite("lon", lon, errors) && checkRange("lon", lon, -180, 180, errors);
        boolean latOk = checkFinite("lat", lat, errors) && checkRange("lat", lat, -90, 90, errors);
        if (lonOk && !latOk && lat != null && Double.isFinite(lat) && Math.abs(lon) <= 90) {
            // A latitude-sized lon next to a longitude-sized lat is the classic swap.
            errors.add(new FieldError("lat", "lon and lat look swapped: GeoCrop takes longitude first"));
        }
        boolean radiusOk = checkFinite("radius_m", radiusM, errors)
                && checkRange("radius_m", radiusM, minRadiusM, maxRadiusM, errors);
        Season season = checkYear(year, errors);
        if (lonOk && latOk && radiusOk) {
            Aoi aoi = new Aoi(lon, lat, radiusM);
            if (!coverage.contains(lon, lat)) {
                String hint = coverage.contains(lat, lon) ? " (lon and lat look swapped: longitude comes first)" : "";
                errors.add(new FieldError("lon", String.format(
                        "the AOI centre (%s, %s) is outside the coverage %s..%s E, %s..%s N%s",
                        lon, lat, coverage.minLon(), coverage.maxLon(), coverage.minLat(), coverage.maxLat(), hint)));
            } else if (!coverage.containsBox(aoi.bbox())) {
                errors.add(new FieldError("radius_m", String.format(
                        "a circle of %s m around (%s, %s) reaches outside the coverage; pick a smaller radius or move the centre inland",
                        radiusM, lon, lat)));
            }
            if (errors.isEmpty()) {
                return new JobRequest(aoi, season);
            }
        }
        throw new ValidationException(errors);
    }

    private static boolean checkFinite(String field, Double value, List<FieldError> errors) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
            return false;
        }
        if (!Double.isFinite(value)) {
            errors.add(new FieldError(field, "must be a finite number"));
            return false;
        }
        return true;
    }

    private static boolean checkRange(String field, double value, double min, double max, List<FieldError> errors) {
        if (value < min || value > max) {
            errors.add(new FieldError(field, String.format("must be between %s and %s, got %s", fmt(min), fmt(max), fmt(value))));
            return false;
        }
        return true;
    }

    private Season checkYear(Integer year, List<FieldError> errors) {
        if (year == null) {
            errors.add(new FieldError("year", "is required"));
            return null;
        }
        Season latest = latestSeason();
        if (year < Season.FIRST_YEAR || year > latest.year()) {
            errors.add(new FieldError("year", String.format(
                    "must be a finished season from %d to %d (season Y runs from Y-09-01 to Y+1-05-31), got %d",
                    Season.FIRST_YEAR, latest.year(), year)));
            return null;
        }
        return new Season(year);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
