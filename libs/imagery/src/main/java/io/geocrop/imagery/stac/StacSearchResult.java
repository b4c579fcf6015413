package io.geocrop.imagery.stac;

import java.util.List;

/**
 * What a search found.
 *
 * @param items               the items, sorted by datetime then id, one per id
 * @param pages               pages fetched
 * @param droppedByCloudCover items the server returned although they fail the query's cloud filter
 * @param duplicates          items seen again on a later page (same id), dropped
 * @param stopReason          why paging stopped; anything but {@link StopReason#COMPLETE} means more items may
 *                            exist than were returned
 */
public record StacSearchResult(List<StacItem> items, int pages, int droppedByCloudCover, int duplicates,
                               StopReason stopReason) {

    /** Why a search stopped fetching pages. */
    public enum StopReason {
        /** The last page had no next link: every matching item was seen. */
        COMPLETE,
        /** The query's (or the settings') item limit was reached. */
        MAX_ITEMS,
        /** The settings' page limit was reached while the server still offered a next page. */
        MAX_PAGES,
        /** The server's next link repeated an earlier request (a paging loop). */
        REPEATED_NEXT_LINK
    }

    /** Copies the item list. */
    public StacSearchResult {
        items = List.copyOf(items);
    }

    /** True when paging ran to the end, so {@link #items()} is every match (within the filters). */
    public boolean isComplete() {
        return stopReason == StopReason.COMPLETE;
    }
}
