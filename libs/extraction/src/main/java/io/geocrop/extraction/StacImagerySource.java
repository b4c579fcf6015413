package io.geocrop.extraction;

import io.geocrop.domain.Season;
import io.geocrop.imagery.stac.LonLatBox;
import io.geocrop.imagery.stac.StacAsset;
import io.geocrop.imagery.stac.StacClient;
import io.geocrop.imagery.stac.StacItem;
import io.geocrop.imagery.stac.StacQuery;
import io.geocrop.imagery.stac.StacSearchResult;
import io.geocrop.imagery.stac.StacSettings;
import io.geocrop.raster.ByteSource;
import io.geocrop.raster.io.HttpByteSource;
import io.geocrop.raster.io.HttpSettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.Comparator;
import java.util.List;

/** {@link ImagerySource} over a STAC API: searches with {@link StacClient}, reads assets with HTTP ranges. */
public final class StacImagerySource implements ImagerySource, AutoCloseable {
    private final StacSettings settings;
    private final StacClient client;
    private final HttpSettings assetHttp;
    private final HttpClient assetClient;

    /** A source for the catalogue {@code settings} describe (endpoint, collection, allowlists, retries). */
    public StacImagerySource(StacSettings settings) {
        this.settings = settings;
        this.client = new StacClient(settings);
        this.assetHttp = settings.assetHttpSettings();
        // One HTTP client for every asset: connections to the COG host are reused across reads.
        this.assetClient = HttpByteSource.newClient(assetHttp);
    }

    @Override
    public List<StacItem> search(LonLatBox box, Season season) {
        StacQuery query = StacQuery.builder()
                .collections(settings.collection())
                .bbox(box)
                .season(season)
                .build();
        StacSearchResult result = client.search(query);
        return result.items().stream()
                .filter(StacItem::hasGeoCropBands)
                .sorted(Comparator.comparing(StacItem::datetime).thenComparing(StacItem::id))
                .toList();
    }

    @Override
    public ByteSource open(StacAsset asset) throws IOException {
        settings.requireAssetHostAllowed(asset.href());
        return new HttpByteSource(asset.href(), assetHttp, assetClient);
    }

    @Override
    public String describe() {
        return "STAC " + settings.endpoint() + " (" + settings.collection() + ")";
    }

    @Override
    public void close() {
        client.close();
        assetClient.close();
    }
}
