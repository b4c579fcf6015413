package io.geocrop.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A TileJSON 3.0.0 document (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0) for one raster layer.
 *
 * @param bounds west, south, east, north in WGS84 degrees
 * @param center longitude, latitude, zoom
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TileJson(String tilejson, String name, String description, String attribution, String scheme,
                       List<String> tiles, int minzoom, int maxzoom, List<Double> bounds, List<Double> center,
                       String legend) {}
