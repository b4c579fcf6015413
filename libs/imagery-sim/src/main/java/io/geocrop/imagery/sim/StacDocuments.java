package io.geocrop.imagery.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.geocrop.domain.CropClass;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The STAC JSON of the simulated catalogue, shaped like Digital Earth Africa's {@code s2_l2a} items (and Earth
 * Search's, which they derive from): same property names, asset keys by band id, {@code proj:}, {@code eo:bands}
 * and {@code raster:bands} per asset. Field order is fixed, so the same item serialises to the same bytes.
 */
final class StacDocuments {
    private StacDocuments() {}

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    static final String STAC_VERSION = "1.0.0";
    static final List<String> ITEM_EXTENSIONS = List.of(
            "https://stac-extensions.github.io/eo/v1.0.0/schema.json",
            "https://stac-extensions.github.io/view/v1.0.0/schema.json",
            "https://stac-extensions.github.io/projection/v1.0.0/schema.json",
            "https://stac-extensions.github.io/raster/v1.1.0/schema.json",
            "https://stac-extensions.github.io/mgrs/v1.0.0/schema.json",
            "https://stac-extensions.github.io/grid/v1.0.0/schema.json");
    static final List<String> CONFORMANCE = List.of(
            "https://api.stacspec.org/v1.0.0/core",
            "https://api.stacspec.org/v1.0.0/collections",
            "https://api.stacspec.org/v1.0.0/ogcapi-features",
            "https://api.stacspec.org/v1.0.0/item-search",
            "https://api.stacspec.org/v1.0.0/item-search#query",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson");

    static ObjectNode item(SimulatedDea dea, SimulatedItemId id, SimulatedDea.SceneStats stats, URI base) {
        Scene scene = id.scene();
        LocalDate date = id.date();
        Instant time = SimulatedDea.acquisitionTime(scene, date);
        SimulatedSeason.Conditions sky = dea.season(scene.zone(), date).conditions(date);
        String itemId = id.toString();

        ObjectNode item = JSON.objectNode();
        item.put("type", "Feature");
        item.put("stac_version", STAC_VERSION);
        ArrayNode ext = item.putArray("stac_extensions");
        ITEM_EXTENSIONS.forEach(ext::add);
        item.put("id", itemId);
        item.put("collection", SimulatedDea.COLLECTION);

        ObjectNode geometry = item.putObject("geometry");
        geometry.put("type", "Polygon");
        ArrayNode ring = geometry.putArray("coordinates").addArray();
        for (double[] p : scene.footprint()) {
            ring.addArray().add(round(p[0], 9)).add(round(p[1], 9));
        }
        double[] bbox = scene.bbox();
        item.set("bbox", SimulatedDea.array(round(bbox[0], 9), round(bbox[1], 9), round(bbox[2], 9), round(bbox[3], 9)));

        ObjectNode props = item.putObject("properties");
        props.put("datetime", time.toString());
        // Real items are processed a few hours after the overpass.
        props.put("created", time.plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        props.put("updated", time.plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        props.put("platform", id.platformCode().equals("S2A") ? "sentinel-2a" : "sentinel-2b");
        props.put("constellation", "sentinel-2");
        props.putArray("instruments").add("msi");
        props.put("eo:cloud_cover", stats.cloudCover());
        props.put("proj:epsg", scene.zone().epsg());
        props.put("mgrs:utm_zone", scene.zone().zone());
        props.put("mgrs:latitude_band", String.valueOf(scene.latitudeBand()));
        props.put("mgrs:grid_square", scene.gridSquare());
        props.put("grid:code", "MGRS-" + scene.zone().zone() + scene.latitudeBand() + scene.gridSquare());
        props.put("view:sun_azimuth", sky.sunAzimuth());
        props.put("view:sun_elevation", sky.sunElevation());
        props.put("s2:nodata_pixel_percentage", 0.0);
        props.put("s2:cloud_shadow_percentage", stats.cloudShadow());
        props.put("s2:vegetation_percentage", stats.vegetation());
        props.put("s2:not_vegetated_percentage", stats.notVegetated());
        props.put("s2:water_percentage", stats.water());
        props.put("s2:medium_proba_clouds_percentage", stats.mediumProbaClouds());
        props.put("s2:high_proba_clouds_percentage", stats.highProbaClouds());
        props.put("s2:thin_cirrus_percentage", stats.thinCirrus());
        props.put("s2:product_type", "S2MSI2A");
        props.put("s2:processing_baseline", "05.10");
        props.put("sentinel:boa_offset_applied", true);
        props.put("odc:region_code", scene.id());
        props.put("odc:product", SimulatedDea.COLLECTION);
        props.put("geocrop:simulated", true);
        props.put("geocrop:simulation_seed", dea.seed());
        props.put("geocrop:generator_version", SimulatedDea.GENERATOR_VERSION);

        String root = base.toString();
        ArrayNode links = item.putArray("links");
        link(links, "self", root + "stac/collections/" + SimulatedDea.COLLECTION + "/items/" + itemId, "application/geo+json");
        link(links, "parent", root + "stac/collections/" + SimulatedDea.COLLECTION, "application/json");
        link(links, "collection", root + "stac/collections/" + SimulatedDea.COLLECTION, "application/json");
        link(links, "root", root + "stac", "application/json");
        link(links, "related", root + "truth/" + scene.id() + ".tif", SimulatedDea.COG_MEDIA_TYPE)
                .put("title", "Simulated ground truth: crop class per 10 m pixel (codes " + CropClass.all().getFirst().code()
                        + ".." + CropClass.all().getLast().code() + ")");

        ObjectNode assets = item.putObject("assets");
        for (S2Band band : S2Band.values()) {
            assets.set(band.name(), asset(scene, band, root + "assets/" + itemId + "/" + band.name() + ".tif"));
        }
        return item;
    }

    private static ObjectNode asset(Scene scene, S2Band band, String href) {
        int res = band.resolutionM();
        ObjectNode a = JSON.objectNode();
        a.put("href", href);
        a.put("type", SimulatedDea.COG_MEDIA_TYPE);
        a.put("title", band.title());
        if (band.isReflectance()) {
            ObjectNode eo = a.putArray("eo:bands").addObject();
            eo.put("name", band.name());
            eo.put("common_name", band.commonName());
            eo.put("center_wavelength", band.centerWavelength());
            eo.put("full_width_half_max", band.fullWidthHalfMax());
            a.put("gsd", res);
        }
        a.putArray("proj:shape").add(scene.height(res)).add(scene.width(res));
        a.set("proj:transform", SimulatedDea.array(res, 0, scene.minX(), 0, -res, scene.maxY()));
        ObjectNode raster = a.putArray("raster:bands").addObject();
        raster.put("nodata", 0);
        raster.put("data_type", band.isReflectance() ? "uint16" : "uint8");
        raster.put("spatial_resolution", res);
        if (band.isReflectance()) {
            raster.put("scale", 0.0001);
            raster.put("offset", 0);
        }
        ArrayNode roles = a.putArray("roles").add("data");
        if (band.isReflectance()) {
            roles.add("reflectance");
        }
        return a;
    }

    static ObjectNode collection(URI base) {
        String root = base.toString();
        ObjectNode c = JSON.objectNode();
        c.put("type", "Collection");
        c.put("stac_version", STAC_VERSION);
        c.put("id", SimulatedDea.COLLECTION);
        c.put("title", "Sentinel-2 Level-2A (simulated)");
        c.put("description", "Simulated Sentinel-2 L2A surface reflectance, generated by GeoCrop's imagery-sim for"
                + " offline runs: same item and asset layout as Digital Earth Africa's s2_l2a.");
        c.put("license", "CC-BY-4.0");
        ObjectNode extent = c.putObject("extent");
        extent.putObject("spatial").putArray("bbox").add(SimulatedDea.array(-180, -80, 180, 84));
        extent.putObject("temporal").putArray("interval").addArray().add(Acquisition.FIRST_DATE + "T00:00:00Z").addNull();
        ObjectNode summaries = c.putObject("summaries");
        summaries.putArray("platform").add("sentinel-2a").add("sentinel-2b");
        summaries.putArray("instruments").add("msi");
        ArrayNode eoBands = summaries.putArray("eo:bands");
        for (S2Band b : S2Band.REFLECTANCE) {
            eoBands.addObject().put("name", b.name()).put("common_name", b.commonName())
                    .put("center_wavelength", b.centerWavelength()).put("full_width_half_max", b.fullWidthHalfMax());
        }
        ArrayNode links = c.putArray("links");
        link(links, "self", root + "stac/collections/" + SimulatedDea.COLLECTION, "application/json");
        link(links, "items", root + "stac/collections/" + SimulatedDea.COLLECTION + "/items", "application/geo+json");
        link(links, "root", root + "stac", "application/json");
        link(links, "parent", root + "stac", "application/json");
        return c;
    }

    static ObjectNode landing(URI base) {
        String root = base.toString();
        ObjectNode l = JSON.objectNode();
        l.put("type", "Catalog");
        l.put("stac_version", STAC_VERSION);
        l.put("id", "geocrop-simulated-dea");
        l.put("title", "Digital Earth Africa (simulated)");
        l.put("description", "A local STAC API serving a simulated Sentinel-2 L2A archive like Digital Earth Africa.");
        ArrayNode conforms = l.putArray("conformsTo");
        CONFORMANCE.forEach(conforms::add);
        ArrayNode links = l.putArray("links");
        link(links, "self", root + "stac", "application/json");
        link(links, "root", root + "stac", "application/json");
        link(links, "conformance", root + "stac/conformance", "application/json");
        link(links, "data", root + "stac/collections", "application/json");
        link(links, "search", root + "stac/search", "application/geo+json").put("method", "GET");
        link(links, "search", root + "stac/search", "application/geo+json").put("method", "POST");
        link(links, "child", root + "stac/collections/" + SimulatedDea.COLLECTION, "application/json");
        return l;
    }

    static ObjectNode link(ArrayNode links, String rel, String href, String type) {
        ObjectNode link = links.addObject();
        link.put("rel", rel);
        link.put("href", href);
        link.put("type", type);
        return link;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
