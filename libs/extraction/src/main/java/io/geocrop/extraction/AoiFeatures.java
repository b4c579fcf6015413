package io.geocrop.extraction;

import io.geocrop.domain.Aoi;
import io.geocrop.domain.JobTile;
import io.geocrop.domain.ProcessingGrid;
import io.geocrop.domain.Season;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.StacItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Feature GeoTIFFs for an AOI without a job: what {@code geocrop features} runs. Plans the AOI's tiles, searches
 * the season once, and writes {@code <tile>.tif} per tile into a directory.
 */
public final class AoiFeatures {
    private final ImagerySource imagery;
    private final FeaturePipeline tiles;

    public AoiFeatures(ImagerySource imagery, FeaturePipeline tiles) {
        this.imagery = imagery;
        this.tiles = tiles;
    }

    /** One written tile. */
    public record WrittenTile(JobTile tile, Path file, int acquisitions, List<String> skipped) {}

    /**
     * Writes the feature tiles of {@code aoi} for {@code season} into {@code outDir} (created if needed).
     *
     * @param progress told of each tile as it is written
     * @throws IllegalStateException if the catalogue has no imagery for the AOI and season
     */
    public List<WrittenTile> run(Aoi aoi, Season season, Path outDir, Consumer<WrittenTile> progress)
            throws IOException {
        List<StacItem> items = imagery.search(LonLatBox.of(aoi.bbox()), season);
        if (items.isEmpty()) {
            throw new IllegalStateException("No Sentinel-2 imagery covers this area between " + season.start()
                    + " and " + season.end() + " in " + imagery.describe() + ".");
        }
        Files.createDirectories(outDir);
        List<WrittenTile> written = new ArrayList<>();
        for (JobTile tile : ProcessingGrid.plan(aoi).tiles()) {
            Path file = outDir.resolve(tile.id() + ".tif");
            FeaturePipeline.Computed computed = tiles.computeAndWrite(tile, season, items, "aoi", file);
            WrittenTile w = new WrittenTile(tile, file, computed.acquisitions().size(), computed.skipped());
            written.add(w);
            progress.accept(w);
        }
        return written;
    }
}
