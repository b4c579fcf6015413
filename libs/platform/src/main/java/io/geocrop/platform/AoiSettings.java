package io.geocrop.platform;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.List;

/**
 * {@code geocrop.aoi.*}: the radius bounds and the coverage rectangle {@code [minLon, minLat, maxLon, maxLat]}
 * an AOI must fit in.
 */
@ConfigurationProperties("geocrop.aoi")
public record AoiSettings(
        @Bindable(defaultValue = "100") double minRadiusM,
        @Bindable(defaultValue = "10000") double maxRadiusM,
        @Bindable(defaultValue = "25.2,-22.5,33.1,-15.6") List<Double> coverage) {}
