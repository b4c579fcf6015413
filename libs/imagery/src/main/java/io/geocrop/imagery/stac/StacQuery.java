package io.geocrop.imagery.stac;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.Season;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An item search. Null parts are left out of the request ({@code collections} empty, {@code limit} and
 * {@code maxItems} null: {@link StacSettings} defaults apply).
 *
 * @param collections   collection ids; empty = {@link StacSettings#collection()}
 * @param bbox          WGS84 box the items must intersect, or null
 * @param start         start of the datetime interval (inclusive), or null for open
 * @param end           end of the datetime interval (inclusive), or null for open
 * @param limit         page size, or null
 * @param maxCloudCover largest {@code eo:cloud_cover} in percent, or null for no filter; sent to the server and
 *                      also applied to the answers (an item without {@code eo:cloud_cover} is dropped, as the
 *                      server-side filter would drop it)
 * @param maxItems      most items the search returns, or null
 */
public record StacQuery(List<String> collections, LonLatBox bbox, Instant start, Instant end, Integer limit,
                        Double maxCloudCover, Integer maxItems) {

    /** The largest page size the STAC API spec lets a client ask for. */
    public static final int MAX_LIMIT = 10_000;

    /** Validates every part. */
    public StacQuery {
        collections = collections == null ? List.of() : List.copyOf(collections);
        for (String c : collections) {
            if (c.isBlank() || c.indexOf(',') >= 0 || c.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("invalid collection id '" + c + "'");
            }
        }
        if (start != null && end != null && start.isAfter(end)) {
            throw new IllegalArgumentException("datetime start " + start + " is after end " + end);
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (maxCloudCover != null && !(maxCloudCover >= 0 && maxCloudCover <= 100)) {
            throw new IllegalArgumentException("maxCloudCover must be 0..100 percent, got " + maxCloudCover);
        }
        if (maxItems != null && maxItems < 1) {
            throw new IllegalArgumentException("maxItems must be >= 1, got " + maxItems);
        }
    }

    /** A builder with nothing set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The STAC {@code datetime} parameter: {@code start/end} in RFC 3339 UTC, {@code ..} for an open end; null
     * when neither end is set.
     */
    public String datetimeInterval() {
        if (start == null && end == null) {
            return null;
        }
        return (start == null ? ".." : start.toString()) + "/" + (end == null ? ".." : end.toString());
    }

    /** Whether an item passes the cloud filter of this query. */
    public boolean acceptsCloudCover(Double cloudCover) {
        return maxCloudCover == null || cloudCover != null && cloudCover <= maxCloudCover;
    }

    /** Builds a {@link StacQuery}. */
    public static final class Builder {
        private final List<String> collections = new ArrayList<>();
        private LonLatBox bbox;
        private Instant start;
        private Instant end;
        private Integer limit;
        private Double maxCloudCover;
        private Integer maxItems;

        private Builder() {
        }

        /** Collection ids to search (replacing any given before). */
        public Builder collections(String... ids) {
            collections.clear();
            collections.addAll(Arrays.asList(ids));
            return this;
        }

        /** The WGS84 box items must intersect. */
        public Builder bbox(LonLatBox box) {
            bbox = box;
            return this;
        }

        /** The box as {@code [minLon, minLat, maxLon, maxLat]}. */
        public Builder bbox(double minLon, double minLat, double maxLon, double maxLat) {
            bbox = new LonLatBox(minLon, minLat, maxLon, maxLat);
            return this;
        }

        /** The bounding box of an AOI circle. */
        public Builder bbox(Aoi aoi) {
            bbox = LonLatBox.of(aoi.bbox());
            return this;
        }

        /** The datetime interval, both ends inclusive; null for an open end. */
        public Builder datetime(Instant from, Instant to) {
            start = from;
            end = to;
            return this;
        }

        /** A growing season: 1 September 00:00:00Z to 31 May 23:59:59Z, as {@link Season#stacInterval()}. */
        public Builder season(Season season) {
            Objects.requireNonNull(season, "season");
            start = season.start().atStartOfDay(ZoneOffset.UTC).toInstant();
            end = season.end().atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
            return this;
        }

        /** Page size. */
        public Builder limit(int value) {
            limit = value;
            return this;
        }

        /** Largest cloud cover in percent. */
        public Builder maxCloudCover(double percent) {
            maxCloudCover = percent;
            return this;
        }

        /** Most items returned. */
        public Builder maxItems(int value) {
            maxItems = value;
            return this;
        }

        /** The validated query. */
        public StacQuery build() {
            return new StacQuery(collections, bbox, start, end, limit, maxCloudCover, maxItems);
        }
    }
}
