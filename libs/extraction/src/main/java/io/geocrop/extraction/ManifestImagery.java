package io.geocrop.extraction;

import io.geocrop.events.TileRequestedV1;
import io.geocrop.imagery.stac.StacException;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.imagery.stac.StacItemJson;
import io.geocrop.jobs.ImageryItem;
import io.geocrop.jobs.JobStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tile's items, read from its job's imagery manifest (the planner's one search, documents included) instead of
 * the catalogue: every tile of a job reads the same acquisitions, and a job makes one search however many tiles it
 * has.
 */
final class ManifestImagery {
    private ManifestImagery() {
    }

    /**
     * The manifest's items the tile event names, in the manifest's (acquisition) order.
     *
     * @throws StacException when the manifest lacks an item the event names or holds one without its document
     *                       (recorded by id only, before documents were kept): the job cannot be read as planned
     */
    static List<StacItem> items(JobStore jobs, TileRequestedV1 request) {
        Set<String> wanted = new HashSet<>(request.itemIds());
        List<StacItem> items = new ArrayList<>();
        for (ImageryItem item : jobs.imageryItems(request.jobId())) {
            if (!wanted.remove(item.id())) {
                continue;
            }
            if (item.document() == null) {
                throw new StacException("item " + item.id() + " of the job's imagery manifest was recorded without"
                        + " its document (planned by an older version); submit the job again");
            }
            items.add(StacItemJson.read(item.document()));
        }
        if (!wanted.isEmpty()) {
            throw new StacException("the tile names items that are not in the job's imagery manifest: " + wanted);
        }
        return items;
    }
}
