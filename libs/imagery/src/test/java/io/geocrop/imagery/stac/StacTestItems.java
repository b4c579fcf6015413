package io.geocrop.imagery.stac;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Fixture access and small hand-made items for the STAC tests. */
final class StacTestItems {
    private StacTestItems() {
    }

    /** A file under shared/data/stac (system property {@code geocrop.shared.data}, else the relative path). */
    static String fixture(String relative) {
        String property = System.getProperty("geocrop.shared.data");
        Path base = property != null && !property.isBlank() ? Path.of(property) : Path.of("../../../shared/data");
        try {
            return Files.readString(base.resolve("stac").resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal Sentinel-2 item with a red band COG. */
    static String item(String id, String datetime, double cloudCover) {
        return """
                {"type":"Feature","stac_version":"1.0.0","id":"%s","collection":"s2_l2a",
                 "bbox":[30.9,-17.9,31.1,-17.7],
                 "geometry":{"type":"Polygon","coordinates":[[[30.9,-17.9],[31.1,-17.9],[31.1,-17.7],[30.9,-17.7],[30.9,-17.9]]]},
                 "properties":{"datetime":"%s","platform":"sentinel-2a","eo:cloud_cover":%s,"proj:epsg":32736,
                   "some:unknown":{"nested":[1,2,3]}},
                 "links":[],
                 "assets":{"B04":{"href":"s3://deafrica-sentinel-2/sentinel-s2-l2a-cogs/36/K/VD/%s/B04.tif",
                   "type":"image/tiff; application=geotiff; profile=cloud-optimized"}}}
                """.formatted(id, datetime, cloudCover, id);
    }

    /** A FeatureCollection page with these features and links (JSON texts). */
    static String page(List<String> features, String... links) {
        return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "],\"links\":["
                + String.join(",", links) + "]}";
    }

    static List<String> ids(StacSearchResult result) {
        return result.items().stream().map(StacItem::id).collect(Collectors.toList());
    }
}
