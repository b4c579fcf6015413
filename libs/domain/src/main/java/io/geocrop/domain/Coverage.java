package io.geocrop.domain;

/**
 * The WGS84 rectangle GeoCrop serves; an AOI must lie inside it entirely.
 * The default is Zimbabwe's bounding box.
 */
public record Coverage(double minLon, double minLat, double maxLon, double maxLat) {
    public static final Coverage ZIMBABWE = new Coverage(25.2, -22.5, 33.1, -15.6);

    public Coverage {
        if (!(minLon < maxLon && minLat < maxLat)) {
            throw new IllegalArgumentException("coverage must have min < max on both axes");
        }
    }

    public boolean contains(double lon, double lat) {
        return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
    }

    public boolean containsBox(double[] bbox) {
        return contains(bbox[0], bbox[1]) && contains(bbox[2], bbox[3]);
    }
}
