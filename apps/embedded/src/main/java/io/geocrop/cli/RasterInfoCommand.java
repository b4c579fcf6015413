package io.geocrop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.raster.GeoTiff;
import io.geocrop.raster.GeoTransform;
import io.geocrop.raster.GeoTiffReader;
import io.geocrop.raster.Overview;
import io.geocrop.raster.RasterFormatException;
import io.geocrop.raster.RasterMetadata;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code geocrop raster info}: what GeoCrop's reader sees in a GeoTIFF, as JSON. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints what GeoCrop's reader sees in a GeoTIFF (path or http(s) URL) as JSON.")
final class RasterInfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IN", description = "A GeoTIFF file or an http(s) URL.")
    String in;

    @Override
    public Integer call() throws Exception {
        try (GeoTiff tiff = GeoTiffReader.open(RasterSources.open(in))) {
            RasterMetadata m = tiff.metadata();
            ObjectNode out = ApiClient.JSON.createObjectNode();
            out.put("source", in);
            out.put("width", m.width()).put("height", m.height()).put("bands", m.bands());
            out.put("sampleType", m.sampleType().name().toLowerCase(java.util.Locale.ROOT));
            out.put("epsg", m.epsg());
            if (m.transform() != null) { // GDAL's order: x0, pixel width, row rotation, y0, column rotation, pixel height
                GeoTransform t = m.transform();
                out.putArray("geoTransform").add(t.originX()).add(t.pixelWidth()).add(t.rowRotation())
                        .add(t.originY()).add(t.colRotation()).add(t.pixelHeight());
            }
            if (m.nodata() != null) {
                out.put("nodata", m.nodata());
            }
            ArrayNode overviews = out.putArray("overviews");
            for (Overview o : tiff.overviews()) {
                overviews.addObject().put("level", o.level()).put("width", o.width()).put("height", o.height())
                        .put("blockWidth", o.tileWidth()).put("blockHeight", o.tileHeight());
            }
            ArrayNode bands = out.putArray("bandDescriptions");
            for (int b = 0; b < m.bands(); b++) {
                bands.add(m.bandDescription(b));
            }
            ObjectNode md = out.putObject("metadata");
            m.metadata().forEach(md::put);
            out.put("colorTableEntries", m.colorTable() == null ? 0 : m.colorTable().size());
            System.out.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        } catch (RasterFormatException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }
}
