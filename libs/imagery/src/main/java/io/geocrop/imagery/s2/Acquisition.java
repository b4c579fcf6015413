package io.geocrop.imagery.s2;

import io.geocrop.imagery.stac.StacItem;
import java.time.LocalDate;
import java.util.List;

/**
 * The items of one acquisition day, mosaicked together (a tile on the edge of two MGRS tiles, or of two
 * catalogue granules, is covered by several items of the same overpass).
 *
 * @param date      the UTC acquisition date
 * @param dayOfSeason days since 1 September of the season year
 * @param items     the day's items, best first (lowest cloud cover, then id)
 */
public record Acquisition(LocalDate date, int dayOfSeason, List<StacItem> items) {
    /** Copies the list. */
    public Acquisition {
        items = List.copyOf(items);
    }

    /** The ids of the day's items, in mosaic order. */
    public List<String> itemIds() {
        return items.stream().map(StacItem::id).toList();
    }
}
