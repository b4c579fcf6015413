package io.geocrop.imagery.s2;

import io.geocrop.domain.JobTile;
import io.geocrop.features.SeasonTimeSeries;
import java.util.List;

/**
 * One job tile's season as read: the time series the features are computed from, the acquisition days it holds
 * (with the items mosaicked for each), and the items that had to be skipped, with why.
 *
 * @param tile         the job tile
 * @param series       bands and quality per acquisition day, on the tile's 512 x 512 grid of 10 m
 * @param acquisitions the days, in the order of the series
 * @param skipped      one readable line per item left out (corrupt or truncated COG, ...)
 */
public record SeasonStack(JobTile tile, SeasonTimeSeries series, List<Acquisition> acquisitions, List<String> skipped) {
    /** Copies the lists. */
    public SeasonStack {
        acquisitions = List.copyOf(acquisitions);
        skipped = List.copyOf(skipped);
    }

    /** The ids of every item read, in acquisition order. */
    public List<String> itemIds() {
        return acquisitions.stream().flatMap(a -> a.itemIds().stream()).toList();
    }
}
